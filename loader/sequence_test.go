package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

var parseNameTests = []struct {
	name string
	want Name
	ok   bool
}{
	{"shot_0001.png", Name{"shot_", "0001", ".png", 1}, true},
	{"render_v2_0012.png", Name{"render_v2_", "0012", ".png", 12}, true},
	{"shot.0001.png", Name{"shot.", "0001", ".png", 1}, true},
	{"frame-7.png", Name{"frame-", "7", ".png", 7}, true},
	{"1.png", Name{"", "1", ".png", 1}, true},
	{"cover.png", Name{"cover", "", ".png", 0}, true},
	{"v2.png", Name{"v", "2", ".png", 2}, true},
	{"shot_0001.PNG", Name{"shot_", "0001", ".PNG", 1}, true},
	{"a_10_final.JpEg", Name{"a_", "10", "_final.JpEg", 10}, true},
	{"x0.jpg", Name{"x", "0", ".jpg", 0}, true},
	{"p.gif", Name{"p", "", ".gif", 0}, true},
	{"p3.bmp", Name{"p", "3", ".bmp", 3}, true},
	{"p3.tif", Name{"p", "3", ".tif", 3}, true},
	{"p3.TIFF", Name{"p", "3", ".TIFF", 3}, true},
	{"p3.webp", Name{"p", "3", ".webp", 3}, true},
	{"кадр_0042.png", Name{"кадр_", "0042", ".png", 42}, true},
	{"ショット１２.png", Name{"ショット１２", "", ".png", 0}, true}, // fullwidth digits are not frame numbers
	{"x99999999999999999999999.png", Name{"x99999999999999999999999", "", ".png", 0}, true},
	{"x000000000000000000000000007.png", Name{"x", "000000000000000000000000007", ".png", 7}, true},
	{"a.txt", Name{}, false},
	{".hidden.png", Name{}, false},
	{".png", Name{}, false},
	{"x.png.bak", Name{}, false},
	{"12", Name{}, false},
	{"png", Name{}, false},
	{"", Name{}, false},
	{"a.pn", Name{}, false},
	{"a.pngg", Name{}, false},
	{"a.t\u0130f", Name{}, false}, // 'İ' lower-cases to 'i' in Unicode, not in file extensions
}

func TestParseName(t *testing.T) {
	for _, tt := range parseNameTests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseName(tt.name)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseName(%q) = %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseName(f *testing.F) {
	for _, tt := range parseNameTests {
		f.Add(tt.name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		n, ok := ParseName(name)
		if !ok {
			if n != (Name{}) {
				t.Fatalf("ParseName(%q) = %+v, false; want the zero Name", name, n)
			}
			return
		}
		if got := n.Prefix + n.Digits + n.Suffix; got != name {
			t.Fatalf("ParseName(%q): Prefix+Digits+Suffix = %q", name, got)
		}
		for i := 0; i < len(n.Digits); i++ {
			if !isDigit(n.Digits[i]) {
				t.Fatalf("ParseName(%q): Digits %q has a non-digit", name, n.Digits)
			}
		}
		if n.Digits == "" {
			if n.Number != 0 {
				t.Fatalf("ParseName(%q): Number %d without Digits", name, n.Number)
			}
			return
		}
		if num, err := strconv.Atoi(n.Digits); err != nil || num != n.Number {
			t.Fatalf("ParseName(%q): Number %d for Digits %q", name, n.Number, n.Digits)
		}
		// The run must be the last one: whole, and no digit after it.
		if n.Prefix != "" && isDigit(n.Prefix[len(n.Prefix)-1]) {
			t.Fatalf("ParseName(%q): Prefix %q ends in a digit", name, n.Prefix)
		}
		if beforeExt := n.Suffix[:strings.LastIndexByte(n.Suffix, '.')]; strings.ContainsAny(beforeExt, "0123456789") {
			t.Fatalf("ParseName(%q): Suffix %q has a digit before the extension", name, n.Suffix)
		}
	})
}

// frames builds the frames of a sequence from names, in the given order.
func frames(names ...string) []Frame {
	fr := make([]Frame, len(names))
	for i, name := range names {
		n, ok := ParseName(name)
		if !ok {
			panic("not an image name: " + name)
		}
		fr[i] = Frame{Name: name, Number: n.Number}
	}
	return fr
}

func mapFS(names ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for _, name := range names {
		m[name] = &fstest.MapFile{}
	}
	return m
}

// summary is what a test checks of a Sequence: its pattern and file names.
func summary(seqs []*Sequence) []string {
	var out []string
	for _, s := range seqs {
		names := make([]string, len(s.Frames))
		for i, f := range s.Frames {
			names[i] = f.Name
		}
		out = append(out, s.Pattern()+": "+strings.Join(names, " "))
	}
	return out
}

func TestScan(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		dir  string
		want []string
	}{
		{
			name: "natural order",
			fsys: mapFS("10.png", "1.png", "2.png", "3.png", "4.png", "5.png", "6.png", "7.png", "8.png", "9.png"),
			dir:  ".",
			want: []string{"#.png: 1.png 2.png 3.png 4.png 5.png 6.png 7.png 8.png 9.png 10.png"},
		},
		{
			name: "padded",
			fsys: mapFS("s_0010.png", "s_0009.png", "s_0100.png", "s_0001.png"),
			dir:  ".",
			want: []string{"s_####.png: s_0001.png s_0009.png s_0010.png s_0100.png"},
		},
		{
			name: "same number twice",
			fsys: mapFS("1.png", "01.png", "2.png"),
			dir:  ".",
			want: []string{"##.png: 01.png 1.png 2.png"},
		},
		{
			name: "longest first",
			fsys: mapFS("a_001.png", "a_002.png", "b_001.png", "b_002.png", "b_003.png", "cover.png"),
			dir:  ".",
			want: []string{
				"b_###.png: b_001.png b_002.png b_003.png",
				"a_###.png: a_001.png a_002.png",
				"cover.png: cover.png",
			},
		},
		{
			name: "ties by pattern",
			fsys: mapFS("z.png", "b_1.png", "a_01.png", "a.png", "a1.png"),
			dir:  ".",
			want: []string{"a#.png: a1.png", "a.png: a.png", "a_##.png: a_01.png", "b_#.png: b_1.png", "z.png: z.png"},
		},
		{
			name: "extension case and prefix split sequences",
			fsys: mapFS("a_1.png", "a_2.png", "a_3.PNG", "b_1.png"),
			dir:  ".",
			want: []string{"a_#.png: a_1.png a_2.png", "a_#.PNG: a_3.PNG", "b_#.png: b_1.png"},
		},
		{
			name: "skipped entries",
			fsys: fstest.MapFS{
				"a_1.png":             {},
				"a_2.png":             {Mode: fs.ModeSymlink, Data: []byte("a_1.png")},
				".a_3.png":            {},
				"a_4.txt":             {},
				"a_5.png.bak":         {},
				"a_6.png/x.png":       {}, // a directory with an image name
				"a_7.png":             {Mode: fs.ModeNamedPipe},
				"a_8.png":             {Mode: fs.ModeDevice},
				"sub/a_9.png":         {},
				"sub/deeper/a_10.png": {},
			},
			dir:  ".",
			want: []string{"a_#.png: a_1.png a_2.png"},
		},
		{
			name: "subdirectory",
			fsys: mapFS("top.png", "sub/x_1.png", "sub/x_2.png", "sub/deeper/x_3.png"),
			dir:  "sub",
			want: []string{"x_#.png: x_1.png x_2.png"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seqs, err := Scan(tt.fsys, tt.dir)
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if got := summary(seqs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Scan:\ngot  %q\nwant %q", got, tt.want)
			}
			for _, s := range seqs {
				if s.Dir != tt.dir {
					t.Errorf("%s: Dir = %q, want %q", s.Pattern(), s.Dir, tt.dir)
				}
				for i := range s.Frames {
					if _, err := fs.Stat(tt.fsys, s.Path(i)); err != nil {
						t.Errorf("%s: Path(%d): %v", s.Pattern(), i, err)
					}
					if got := s.Index(s.Frames[i].Name); got != i {
						t.Errorf("%s: Index(%q) = %d, want %d", s.Pattern(), s.Frames[i].Name, got, i)
					}
				}
			}
		})
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		dir     string
		is      error
		message string
	}{
		{"empty folder", fstest.MapFS{"empty": {Mode: fs.ModeDir}}, "empty", ErrNoImages, "loader: empty: no image sequence"},
		{"empty root", fstest.MapFS{}, ".", ErrNoImages, "loader: .: no image sequence"},
		{"no images", mapFS("a.txt", ".b.png", "sub/c.png"), ".", ErrNoImages, "loader: .: no image sequence"},
		{"missing folder", mapFS("a.png"), "nope", fs.ErrNotExist, "loader: nope: gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seqs, err := Scan(tt.fsys, tt.dir)
			if !errors.Is(err, tt.is) {
				t.Fatalf("Scan = %v, %v; want error %v", seqs, err, tt.is)
			}
			if err.Error() != tt.message {
				t.Errorf("error = %q, want %q", err, tt.message)
			}
		})
	}
}

// strictFS fails the test on any Open other than of dir itself, and on any
// DirEntry.Info call, which may stat.
type strictFS struct {
	t    *testing.T
	fsys fs.FS
	dir  string
}

func (s strictFS) Open(name string) (fs.File, error) {
	if name != s.dir {
		s.t.Errorf("Open(%q): Scan must open only the folder", name)
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	f, err := s.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	return strictDir{f.(fs.ReadDirFile), s.t}, nil
}

type strictDir struct {
	fs.ReadDirFile
	t *testing.T
}

func (d strictDir) Stat() (fs.FileInfo, error) {
	d.t.Error("Stat of the folder")
	return d.ReadDirFile.Stat()
}

func (d strictDir) ReadDir(n int) ([]fs.DirEntry, error) {
	entries, err := d.ReadDirFile.ReadDir(n)
	for i, e := range entries {
		entries[i] = strictEntry{e, d.t}
	}
	return entries, err
}

type strictEntry struct {
	fs.DirEntry
	t *testing.T
}

func (e strictEntry) Info() (fs.FileInfo, error) {
	e.t.Errorf("Info of %q", e.Name())
	return e.DirEntry.Info()
}

func TestScanOpensNoFile(t *testing.T) {
	m := fstest.MapFS{
		"d/a_1.png":     {},
		"d/a_2.png":     {Mode: fs.ModeSymlink, Data: []byte("a_1.png")},
		"d/a_3.png":     {},
		"d/b.jpg":       {},
		"d/x.txt":       {},
		"d/sub/a_4.png": {},
	}
	seqs, err := Scan(strictFS{t, m, "d"}, "d")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a_#.png: a_1.png a_2.png a_3.png", "b.jpg: b.jpg"}
	if got := summary(seqs); !reflect.DeepEqual(got, want) {
		t.Errorf("Scan:\ngot  %q\nwant %q", got, want)
	}
}

func TestSequence(t *testing.T) {
	s := &Sequence{Dir: "shots", Prefix: "s_", Suffix: ".png", Frames: frames("s_001.png", "s_002.png", "s_010.png")}
	if got := s.Len(); got != 3 {
		t.Errorf("Len = %d, want 3", got)
	}
	if got := s.Path(2); got != "shots/s_010.png" {
		t.Errorf("Path(2) = %q", got)
	}
	if got := s.Pattern(); got != "s_###.png" {
		t.Errorf("Pattern = %q", got)
	}
	for name, want := range map[string]int{
		"s_001.png": 0, "s_010.png": 2, "s_10.png": -1, "s_003.png": -1, "t_001.png": -1, "s_001.txt": -1, "": -1,
	} {
		if got := s.Index(name); got != want {
			t.Errorf("Index(%q) = %d, want %d", name, got, want)
		}
	}

	root := &Sequence{Dir: ".", Prefix: "cover", Suffix: ".png", Frames: frames("cover.png")}
	if got := root.Path(0); got != "cover.png" {
		t.Errorf("root Path(0) = %q", got)
	}
	if got := root.Pattern(); got != "cover.png" {
		t.Errorf("unnumbered Pattern = %q", got)
	}
	if got := root.Index("cover.png"); got != 0 {
		t.Errorf("unnumbered Index = %d", got)
	}
	if got := (&Sequence{Prefix: "a_", Suffix: ".png"}).Pattern(); got != "a_.png" {
		t.Errorf("empty Pattern = %q", got)
	}
}

func TestGaps(t *testing.T) {
	tests := []struct {
		name   string
		frames []Frame
		want   []Gap
	}{
		{"empty", nil, nil},
		{"one", frames("a_1.png"), nil},
		{"complete", frames("a_1.png", "a_2.png", "a_3.png"), nil},
		{"same number twice", frames("1.png", "01.png", "2.png"), nil},
		{"one missing", frames("a_1.png", "a_3.png"), []Gap{{After: 0, From: 2, To: 2}}},
		{"several", frames("a_1.png", "a_2.png", "a_6.png", "a_7.png", "a_9.png"), []Gap{{1, 3, 5}, {3, 8, 8}}},
		{"from zero", frames("a_0.png", "a_100.png"), []Gap{{0, 1, 99}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Sequence{Frames: tt.frames}
			if got := s.Gaps(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Gaps = %v, want %v", got, tt.want)
			}
		})
	}

	// Gaps found by Scan.
	seqs, err := Scan(mapFS("x_0001.png", "x_0002.png", "x_0005.png", "x_0100.png"), ".")
	if err != nil {
		t.Fatal(err)
	}
	want := []Gap{{1, 3, 4}, {2, 6, 99}}
	if got := seqs[0].Gaps(); !reflect.DeepEqual(got, want) {
		t.Errorf("Scan Gaps = %v, want %v", got, want)
	}
}

// writeFiles creates empty files (and their folders) under dir.
func writeFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir,
		"shots/a_001.png", "shots/a_002.png", "shots/a_003.png", "shots/a_004.png",
		"shots/b_1.jpg", "shots/b_2.jpg",
		"shots/notes.txt", "shots/.thumb.png",
		"docs/readme.txt", "docs/sub/x.png",
	)
	shots := filepath.Join(dir, "shots")

	tests := []struct {
		name    string
		path    string
		pattern string
		frame   string
	}{
		{"folder", shots, "a_###.png", "a_001.png"},
		{"folder with trailing separator", shots + string(filepath.Separator), "a_###.png", "a_001.png"},
		{"file in the middle", filepath.Join(shots, "a_003.png"), "a_###.png", "a_003.png"},
		{"file of the shorter sequence", filepath.Join(shots, "b_2.jpg"), "b_#.jpg", "b_2.jpg"},
		{"unclean path", shots + "/../shots/./b_1.jpg", "b_#.jpg", "b_1.jpg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Open(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if o.Folder != shots {
				t.Errorf("Folder = %q, want %q", o.Folder, shots)
			}
			if len(o.Sequences) != 2 {
				t.Fatalf("Sequences = %q", summary(o.Sequences))
			}
			s := o.Sequences[o.Seq]
			if got := s.Pattern(); got != tt.pattern {
				t.Errorf("sequence %s, want %s", got, tt.pattern)
			}
			if got := s.Frames[o.Frame].Name; got != tt.frame {
				t.Errorf("frame %s, want %s", got, tt.frame)
			}
			if _, err := fs.Stat(o.FS, s.Path(o.Frame)); err != nil {
				t.Errorf("frame not in FS: %v", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "shots/a_1.png", "shots/a.txt", "docs/readme.txt", "docs/sub/x.png")
	missing := filepath.Join(dir, "missing")
	txt := filepath.Join(dir, "shots", "a.txt")
	docs := filepath.Join(dir, "docs")

	tests := []struct {
		name   string
		path   string
		reason Reason
		is     error  // nil: any error
		prefix string // of the message
	}{
		{"missing path", missing, Gone, fs.ErrNotExist, fmt.Sprintf("loader: %s: gone", missing)},
		{"missing image", missing + ".png", Gone, fs.ErrNotExist, fmt.Sprintf("loader: %s.png: gone", missing)},
		{"missing folder of image", filepath.Join(missing, "a_1.png"), Gone, fs.ErrNotExist, "loader: " + missing},
		{"non-image file", txt, NotImage, nil, fmt.Sprintf("loader: %s: not an image", txt)},
		{"folder with no images", docs, NoSequence, ErrNoImages, fmt.Sprintf("loader: %s: no image sequence", docs)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Open(tt.path)
			var oe *OpenError
			if !errors.As(err, &oe) {
				t.Fatalf("Open(%q) = %+v, %v; want an *OpenError", tt.path, o, err)
			}
			if oe.Reason != tt.reason {
				t.Errorf("reason %v, want %v", oe.Reason, tt.reason)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.HasPrefix(err.Error(), tt.prefix) {
				t.Errorf("error = %q, want it to start with %q", err, tt.prefix)
			}
		})
	}
}

// dirEntry is a minimal fs.DirEntry for the benchmark.
type dirEntry struct {
	name string
	typ  fs.FileMode
}

func (e dirEntry) Name() string               { return e.name }
func (e dirEntry) IsDir() bool                { return e.typ.IsDir() }
func (e dirEntry) Type() fs.FileMode          { return e.typ }
func (e dirEntry) Info() (fs.FileInfo, error) { return nil, fs.ErrInvalid }

// listFS is a ReadDirFS holding one folder, ".", already listed.
type listFS []fs.DirEntry

func (l listFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (l listFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return l, nil
}

func BenchmarkScan100k(b *testing.B) {
	const n = 100_000
	entries := make(listFS, 0, n)
	for i := 0; len(entries) < n; i++ {
		switch i % 10 {
		case 0:
			entries = append(entries, dirEntry{fmt.Sprintf("notes_%d.txt", i), 0})
		case 1:
			entries = append(entries, dirEntry{fmt.Sprintf(".thumb_%d.png", i), 0})
		case 2:
			entries = append(entries, dirEntry{fmt.Sprintf("dir_%d", i), fs.ModeDir})
		case 3, 4, 5:
			entries = append(entries, dirEntry{fmt.Sprintf("comp_v2_%06d.exr.png", i), 0})
		default:
			entries = append(entries, dirEntry{fmt.Sprintf("shot_%07d.PNG", i), 0})
		}
	}
	// A directory listing comes sorted by name, as fs.ReadDir promises.
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	b.ReportAllocs()
	for b.Loop() {
		seqs, err := Scan(entries, ".")
		if err != nil {
			b.Fatal(err)
		}
		if len(seqs) != 2 {
			b.Fatalf("got %d sequences", len(seqs))
		}
	}
}
