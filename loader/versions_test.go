package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func TestVersionToken(t *testing.T) {
	tests := []struct {
		name   string
		label  string
		number int
	}{
		{"v001", "v001", 1},
		{"V003", "V003", 3},
		{"shot_010_v12", "v12", 12},
		{"shot_010_v12_", "v12", 12},
		{"_v2_", "v2", 2},
		{"a-v7.b", "v7", 7},
		{"my v4 final", "v4", 4},
		{"shot_v1_v2_", "v2", 2},
		{"v0", "v0", 0},
		{"v9", "v9", 9},
		{"shot_v3_rev4_", "v3", 3},
		{"v1_v99999999999999999999999", "v1", 1}, // the overflowing token is skipped
		// Not versions: a "v" glued to letters or digits is part of a word.
		{"ev1", "", 0},
		{"rev3", "", 0},
		{"shot_rev3_", "", 0},
		{"v2a", "", 0},
		{"shotv2", "", 0},
		{"shot010v3", "", 0},
		{"v1v2", "", 0},
		{"version2", "", 0},
		{"v", "", 0},
		{"v_", "", 0},
		{"", "", 0},
		{"v99999999999999999999999", "", 0},
		{"ｖ2", "", 0}, // fullwidth v
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			label, number, ok := VersionToken(tt.name)
			if ok != (tt.label != "") || label != tt.label || number != tt.number {
				t.Errorf("VersionToken(%q) = %q, %d, %v; want %q, %d", tt.name, label, number, ok, tt.label, tt.number)
			}
		})
	}
}

// versionFS is a MapFS of empty files and, for names ending in "/",
// empty folders.
func versionFS(names ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for _, n := range names {
		if d, ok := strings.CutSuffix(n, "/"); ok {
			m[d] = &fstest.MapFile{Mode: fs.ModeDir}
			continue
		}
		m[n] = &fstest.MapFile{}
	}
	return m
}

// frameRun is n frame names prefix0001suffix… in dir.
func versionRun(dir, prefix, suffix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = path.Join(dir, fmt.Sprintf("%s%04d%s", prefix, i+1, suffix))
	}
	return out
}

// seqOf is the sequence of dir in fsys whose pattern is pattern, as Scan
// finds it.
func versionSeq(t testing.TB, fsys fs.FS, dir, pattern string) *Sequence {
	t.Helper()
	seqs, err := Scan(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seqs {
		if s.Pattern() == pattern {
			return s
		}
	}
	t.Fatalf("no %s in %s", pattern, dir)
	return nil
}

// brief is a Version as a test writes it: "*" marks the current one.
func versionBrief(vs []Version) []string {
	var out []string
	for _, v := range vs {
		s := fmt.Sprintf("%d %s %s/%s", v.Number, v.Label, v.Folder, v.Pattern)
		if v.Current {
			s = "*" + s
		}
		out = append(out, s)
	}
	return out
}

func versionFiles(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestVersions(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		dir     string
		pattern string // of the current sequence
		want    []string
	}{
		{
			name: "same folder",
			files: versionFiles(versionRun("shot", "shot_010_v001_", ".png", 3), versionRun("shot", "shot_010_v002_", ".png", 3),
				versionRun("shot", "shot_010_v003_", ".png", 1),
				versionRun("shot", "other_v004_", ".png", 2),          // another shot
				versionRun("shot", "shot_010_v005_", ".jpg", 2),       // another suffix
				[]string{"shot/shot_010_v006.png", "shot/notes.txt"}), // "shot_010_v#.png": no token
			dir: "shot", pattern: "shot_010_v002_####.png",
			want: []string{
				"3 v003 shot/shot_010_v003_####.png",
				"*2 v002 shot/shot_010_v002_####.png",
				"1 v001 shot/shot_010_v001_####.png",
			},
		},
		{
			name:  "root folder",
			files: versionFiles(versionRun(".", "a_v1.", ".png", 2), versionRun(".", "a_v2.", ".png", 2)),
			dir:   ".", pattern: "a_v1.####.png",
			want: []string{"2 v2 ./a_v2.####.png", "*1 v1 ./a_v1.####.png"},
		},
		{
			name:  "mixed case",
			files: versionFiles(versionRun("d", "shot_V003_", ".png", 2), versionRun("d", "shot_v002_", ".png", 2), versionRun("d", "Shot_v001_", ".png", 2)),
			dir:   "d", pattern: "shot_v002_####.png",
			// "Shot_" differs outside the token: another sequence.
			want: []string{"3 V003 d/shot_V003_####.png", "*2 v002 d/shot_v002_####.png"},
		},
		{
			name:  "missing versions",
			files: versionFiles(versionRun("d", "s_v001_", ".png", 2), versionRun("d", "s_v004_", ".png", 2), versionRun("d", "s_v007_", ".png", 1)),
			dir:   "d", pattern: "s_v004_####.png",
			want: []string{"7 v007 d/s_v007_####.png", "*4 v004 d/s_v004_####.png", "1 v001 d/s_v001_####.png"},
		},
		{
			name:  "padding differs",
			files: versionFiles(versionRun("d", "s_v9_", ".png", 2), versionRun("d", "s_v010_", ".png", 2), versionRun("d", "s_v0002_", ".png", 1), versionRun("d", "s_v2_", ".png", 1)),
			dir:   "d", pattern: "s_v9_####.png",
			want: []string{"10 v010 d/s_v010_####.png", "*9 v9 d/s_v9_####.png", "2 v0002 d/s_v0002_####.png", "2 v2 d/s_v2_####.png"},
		},
		{
			name:  "pattern from the first frame",
			files: []string{"d/s_v1_1.png", "d/s_v1_2.png", "d/s_v2_10.png", "d/s_v2_9.png", "d/s_v2_11.png"},
			dir:   "d", pattern: "s_v1_#.png",
			want: []string{"2 v2 d/s_v2_#.png", "*1 v1 d/s_v1_#.png"},
		},
		{
			name:  "no token",
			files: versionFiles(versionRun("renders", "shot_", ".png", 3), versionRun("renders", "shot_v2_", ".png", 3)),
			dir:   "renders", pattern: "shot_####.png",
		},
		{
			name:  "not versions",
			files: versionFiles(versionRun("d", "rev3_", ".png", 2), versionRun("d", "rev4_", ".png", 2), versionRun("d", "ev1_", ".png", 1)),
			dir:   "d", pattern: "rev3_####.png",
		},
		{
			// The last digits of a name are its frame number, so single
			// versioned images are frames of one sequence.
			name:  "frame number, not version",
			files: []string{"d/comp_v1.png", "d/comp_v2.png", "d/comp_v3.png"},
			dir:   "d", pattern: "comp_v#.png",
		},
		{
			name:  "frame number, not version, suffix",
			files: []string{"d/comp_v2_final.png", "d/comp_v3_final.png"},
			dir:   "d", pattern: "comp_v#_final.png",
		},
		{
			name:  "one version only",
			files: versionFiles(versionRun("d", "s_v3_", ".png", 2), versionRun("d", "t_v4_", ".png", 2)),
			dir:   "d", pattern: "s_v3_####.png",
		},
		{
			name: "version folders",
			files: versionFiles(versionRun("shot/v001", "frame_", ".png", 3), versionRun("shot/v002", "frame_", ".png", 2),
				versionRun("shot/v003", "other_", ".png", 2), // no frame_ sequence
				versionRun("shot/V004", "frame_", ".png", 1),
				versionRun("shot/v005/sub", "frame_", ".png", 1),                // nested deeper: not looked into
				[]string{"shot/v006/", "shot/v007", "shot/v1x/frame_0001.png"}), // empty folder, a file, not a version
			dir: "shot/v001", pattern: "frame_####.png",
			want: []string{
				"4 V004 shot/V004/frame_####.png",
				"2 v002 shot/v002/frame_####.png",
				"*1 v001 shot/v001/frame_####.png",
			},
		},
		{
			name: "versioned folder names",
			files: versionFiles(versionRun("shot_v1", "f.", ".png", 2), versionRun("shot_v2", "f.", ".png", 2), versionRun("shot_v10", "f.", ".png", 2),
				versionRun("other_v3", "f.", ".png", 2), versionRun("shot_v4_old", "f.", ".png", 2)),
			dir: "shot_v2", pattern: "f.####.png",
			want: []string{"10 v10 shot_v10/f.####.png", "*2 v2 shot_v2/f.####.png", "1 v1 shot_v1/f.####.png"},
		},
		{
			name: "versioned folders and files",
			files: versionFiles(versionRun("shot/v001", "shot_v001_", ".png", 2), versionRun("shot/v002", "shot_v002_", ".png", 2),
				versionRun("shot/v003", "shot_v002_", ".png", 2), versionRun("shot/v003", "shot_v003_", ".png", 2), // its own preferred
				versionRun("shot/v004", "shot_v002_", ".png", 1), versionRun("shot/v004", "shot_v001_", ".png", 1), // else the highest
				versionRun("shot/v005", "shot_", ".png", 1)), // not the same prefix
			dir: "shot/v001", pattern: "shot_v001_####.png",
			want: []string{
				"4 v004 shot/v004/shot_v002_####.png",
				"3 v003 shot/v003/shot_v003_####.png",
				"2 v002 shot/v002/shot_v002_####.png",
				"*1 v001 shot/v001/shot_v001_####.png",
			},
		},
		{
			name: "same folder and sibling folders",
			files: versionFiles(versionRun("r/v1", "s_v1_", ".png", 2), versionRun("r/v1", "s_v1b_", ".png", 2), versionRun("r/v1", "s_v0_", ".png", 2),
				versionRun("r/v2", "s_v2_", ".png", 2)),
			dir: "r/v1", pattern: "s_v1_####.png",
			want: []string{"2 v2 r/v2/s_v2_####.png", "*1 v1 r/v1/s_v1_####.png", "0 v0 r/v1/s_v0_####.png"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := versionFS(tt.files...)
			seq := versionSeq(t, fsys, tt.dir, tt.pattern)
			// Versions must not rely on seq.Dir: the caller's fs may be
			// rooted at the folder.
			seq.Dir = "."
			got, err := Versions(listOnlyFS{t, fsys}, tt.dir, seq)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil && got != nil {
				t.Errorf("got %q, want nil", versionBrief(got))
			}
			if tt.want != nil && !reflect.DeepEqual(versionBrief(got), tt.want) {
				t.Errorf("got\n%q\nwant\n%q", versionBrief(got), tt.want)
			}
			// Given the folder's sequences, the same without listing it.
			seqs, err := Scan(fsys, tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			again, err := VersionsAmong(listOnlyFS{t, fsys}, tt.dir, seq, seqs)
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("VersionsAmong = %q, %v; Versions gave %q", versionBrief(again), err, versionBrief(got))
			}
		})
	}
}

// listOnlyFS fails the test when anything but a folder is opened or a
// file is statted: Versions only lists.
type listOnlyFS struct {
	t    testing.TB
	fsys fs.FS
}

func (s listOnlyFS) Open(name string) (fs.File, error) {
	f, err := s.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && !fi.IsDir() {
		s.t.Errorf("opened the file %q", name)
	}
	return f, nil
}

func (s listOnlyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return fs.ReadDir(s.fsys, name)
}

// versionCountFS counts the entries listed from each folder opened with Open,
// and refuses to list the folders in deny.
type versionCountFS struct {
	fs.FS
	deny []string

	mu     sync.Mutex
	listed map[string]int // guarded by mu
}

func (c *versionCountFS) Open(name string) (fs.File, error) {
	for _, d := range c.deny {
		if name == d {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
		}
	}
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if rd, ok := f.(fs.ReadDirFile); ok {
		return versionCountDir{rd, c, name}, nil
	}
	return f, nil
}

type versionCountDir struct {
	fs.ReadDirFile
	c    *versionCountFS
	name string
}

func (d versionCountDir) ReadDir(n int) ([]fs.DirEntry, error) {
	entries, err := d.ReadDirFile.ReadDir(n)
	d.c.mu.Lock()
	if d.c.listed == nil {
		d.c.listed = map[string]int{}
	}
	d.c.listed[d.name] += len(entries)
	d.c.mu.Unlock()
	return entries, err
}

// TestVersionsListsSiblingsInPart checks that a sibling folder of many
// frames is listed only until its sequence turns up.
func TestVersionsListsSiblingsInPart(t *testing.T) {
	const n = 3 * listBatch
	m := versionFS(versionFiles(versionRun("shot/v1", "f_", ".png", 2), versionRun("shot/v2", "f_", ".png", n),
		versionRun("shot/v3", "a_", ".png", n), versionRun("shot/v3", "f_", ".png", 1))...)
	c := &versionCountFS{FS: m}
	seq := versionSeq(t, m, "shot/v1", "f_####.png")
	got, err := Versions(c, "shot/v1", seq)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"3 v3 shot/v3/f_####.png", "2 v2 shot/v2/f_####.png", "*1 v1 shot/v1/f_####.png"}
	if !reflect.DeepEqual(versionBrief(got), want) {
		t.Errorf("got %q, want %q", versionBrief(got), want)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.listed["shot/v2"]; l > listBatch {
		t.Errorf("listed %d entries of shot/v2, whose first batch holds the sequence", l)
	}
	// v3's f_ file comes after all the a_ files: listed whole.
	if l := c.listed["shot/v3"]; l != n+1 {
		t.Errorf("listed %d entries of shot/v3, want %d", l, n+1)
	}
}

func TestVersionsErrors(t *testing.T) {
	m := versionFS(versionFiles(versionRun("p/shot_v1", "s_v1_", ".png", 2), versionRun("p/shot_v1", "s_v2_", ".png", 2),
		versionRun("p/shot_v2", "s_v1_", ".png", 2), versionRun("p/shot_v3", "s_v3_", ".png", 2))...)
	seq := versionSeq(t, m, "p/shot_v1", "s_v1_####.png")
	tests := []struct {
		name string
		deny []string
		want []string
		err  bool
	}{
		// shot_v2 holds s_v1_: a version folder is numbered by its name.
		{"all listed", nil, []string{"3 v3 p/shot_v3/s_v3_####.png", "2 v2 p/shot_v1/s_v2_####.png", "2 v2 p/shot_v2/s_v1_####.png", "*1 v1 p/shot_v1/s_v1_####.png"}, false},
		// A share refusing to list its root costs only the sibling folders.
		{"parent refused", []string{"p"}, []string{"2 v2 p/shot_v1/s_v2_####.png", "*1 v1 p/shot_v1/s_v1_####.png"}, false},
		{"a sibling refused", []string{"p/shot_v3"}, []string{"2 v2 p/shot_v1/s_v2_####.png", "2 v2 p/shot_v2/s_v1_####.png", "*1 v1 p/shot_v1/s_v1_####.png"}, false},
		{"folder refused", []string{"p/shot_v1"}, nil, true},
	}
	t.Run("folder refused, its sequences known", func(t *testing.T) {
		seqs, err := Scan(m, "p/shot_v1")
		if err != nil {
			t.Fatal(err)
		}
		got, err := VersionsAmong(&versionCountFS{FS: m, deny: []string{"p/shot_v1"}}, "p/shot_v1", seq, seqs)
		if err != nil || len(got) != 4 {
			t.Errorf("got %q, %v; want 4 versions: the folder need not be listed", versionBrief(got), err)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Versions(&versionCountFS{FS: m, deny: tt.deny}, "p/shot_v1", seq)
			if tt.err {
				var oe *OpenError
				if !errors.As(err, &oe) || oe.Path != "p/shot_v1" || !errors.Is(err, fs.ErrPermission) {
					t.Errorf("err = %v, want an OpenError for p/shot_v1 wrapping ErrPermission", err)
				}
				if got != nil {
					t.Errorf("got %q with an error", versionBrief(got))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(versionBrief(got), tt.want) {
				t.Errorf("got\n%q\nwant\n%q", versionBrief(got), tt.want)
			}
		})
	}
}

func TestVersionsNoSequence(t *testing.T) {
	for _, seq := range []*Sequence{nil, {Prefix: "s_v1_", Suffix: ".png"}} {
		if got, err := Versions(fstest.MapFS{}, "d", seq); got != nil || err != nil {
			t.Errorf("Versions(%v) = %v, %v", seq, got, err)
		}
	}
}

func TestFolderVersions(t *testing.T) {
	root := t.TempDir()
	for _, f := range versionFiles(versionRun("shot/v001", "f_", ".png", 2), versionRun("shot/v002", "f_", ".png", 2)) {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	folder := filepath.Join(root, "shot", "v001")
	o, err := Open(folder)
	if err != nil {
		t.Fatal(err)
	}
	got, err := FolderVersions(folder, o.Sequences[o.Seq], nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Version{
		{Number: 2, Label: "v002", Folder: filepath.Join(root, "shot", "v002"), Pattern: "f_####.png"},
		{Number: 1, Label: "v001", Folder: folder, Pattern: "f_####.png", Current: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}

	// With the folder's sequences given, nothing changes.
	if again, err := FolderVersions(folder, o.Sequences[o.Seq], o.Sequences); err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("with its sequences: %+v, %v", again, err)
	}

	_, err = FolderVersions(filepath.Join(root, "shot", "gone_v3"), &Sequence{Prefix: "f_v3_", Suffix: ".png", Frames: []Frame{{Name: "f_v3_0001.png", Number: 1}}}, nil)
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Path != filepath.Join(root, "shot", "gone_v3") || oe.Reason != Gone {
		t.Errorf("err = %#v, want an OpenError naming the folder, reason gone", err)
	}
}

// BenchmarkVersions lists folders of 100,000 files on disk: the same
// folder (four versions of 25,000 frames), and two version folders of
// 100,000 frames each beside the current one; ReadDir100k is one such
// listing, for scale. Making the files takes a minute.
func BenchmarkVersions(b *testing.B) {
	root := b.TempDir()
	write := func(names []string) {
		for _, f := range names {
			p := filepath.Join(root, filepath.FromSlash(f))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	const n = 100000
	for v := 1; v <= 4; v++ {
		write(versionRun("same", fmt.Sprintf("shot_v%03d_", v), ".png", n/4))
	}
	// The current version's folder is not listed (its prefix has no token).
	write(versionRun("sib/v002", "f_", ".png", 10))
	write(versionRun("sib/v001", "f_", ".png", n))
	write(versionRun("sib/v003", "f_", ".png", n))
	fsys := DirFS(root)
	b.Run("same-folder", func(b *testing.B) {
		seq := versionSeq(b, fsys, "same", "shot_v002_####.png")
		for b.Loop() {
			if vs, err := Versions(fsys, "same", seq); err != nil || len(vs) != 4 {
				b.Fatal(vs, err)
			}
		}
	})
	b.Run("same-folder-scanned", func(b *testing.B) {
		// With the folder's sequences already scanned: no listing.
		seqs, err := Scan(fsys, "same")
		if err != nil {
			b.Fatal(err)
		}
		seq := versionSeq(b, fsys, "same", "shot_v002_####.png")
		for b.Loop() {
			if vs, err := VersionsAmong(fsys, "same", seq, seqs); err != nil || len(vs) != 4 {
				b.Fatal(vs, err)
			}
		}
	})
	b.Run("sibling-folders", func(b *testing.B) {
		seq := versionSeq(b, fsys, "sib/v002", "f_####.png")
		for b.Loop() {
			if vs, err := Versions(fsys, "sib/v002", seq); err != nil || len(vs) != 3 {
				b.Fatal(vs, err)
			}
		}
	})
	b.Run("ReadDir100k", func(b *testing.B) {
		for b.Loop() {
			if _, err := os.ReadDir(filepath.Join(root, "sib", "v001")); err != nil {
				b.Fatal(err)
			}
		}
	})
}
