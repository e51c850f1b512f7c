package loader

import (
	"cmp"
	"errors"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Version is one version of a sequence, found by Versions.
type Version struct {
	Number int    // the version number: 12 for "v012"
	Label  string // the version token as written: "v012", "V3"
	// Folder holds the version: for Versions a slash-separated path inside
	// its fs.FS, like Sequence.Dir; for FolderVersions an absolute path.
	Folder string
	// Pattern names the sequence as Sequence.Pattern does:
	// "shot_010_v012_####.png". In a sibling folder, which is listed only
	// until a file of the sequence turns up, the '#'s count the digits of
	// the first file listed, which differ from the first frame's only in an
	// unpadded sequence.
	Pattern string
	Current bool // the sequence Versions was asked about
}

// VersionToken finds the version token of a name: the last "v" or "V"
// followed by ASCII digits, with a delimiter ('_', '-', '.', ' ') or the
// start of the name before it and a delimiter or the end after it. It
// returns the token as written and its number: "shot_010_v012_" gives
// "v012", 12; "V3" gives "V3", 3. "rev3", "ev1", "v2a", "shotv2" and
// "v1x2" have none: letters glued to a "v" make a word, not a version. A
// token whose number overflows an int is skipped.
func VersionToken(name string) (label string, number int, ok bool) {
	t, ok := lastVersion(name)
	if !ok {
		return "", 0, false
	}
	return name[t.start:t.end], t.number, true
}

// versionSpan is where a version token lies in a name.
type versionSpan struct{ start, end, number int }

func isVersionDelim(c byte) bool { return c == '_' || c == '-' || c == '.' || c == ' ' }

func lastVersion(s string) (versionSpan, bool) {
	var last versionSpan
	found := false
	for i := 0; i < len(s); i++ {
		if (s[i] != 'v' && s[i] != 'V') || (i > 0 && !isVersionDelim(s[i-1])) {
			continue
		}
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i+1 || (j < len(s) && !isVersionDelim(s[j])) {
			continue
		}
		if n, err := strconv.Atoi(s[i+1 : j]); err == nil {
			last, found = versionSpan{i, j, n}, true
		}
		i = j - 1
	}
	return last, found
}

// versioned is a name with its version token cut out: the names of other
// versions are before + token + after.
type versioned struct {
	before, after string
	label         string
	number        int
}

func splitVersion(name string) (versioned, bool) {
	t, ok := lastVersion(name)
	if !ok {
		return versioned{}, false
	}
	return versioned{name[:t.start], name[t.end:], name[t.start:t.end], t.number}, true
}

// match reports whether name is another version of v (or v itself), and
// which. The token's "v" may differ in case; the rest must match exactly,
// as Scan tells sequences apart by exact prefix. Since before ends with a
// delimiter (or is empty) and after starts with one, the token found is
// delimited as VersionToken requires, and is the last one of name.
func (v versioned) match(name string) (label string, number int, ok bool) {
	if len(name) < len(v.before)+2+len(v.after) ||
		!strings.HasPrefix(name, v.before) || !strings.HasSuffix(name, v.after) {
		return "", 0, false
	}
	tok := name[len(v.before) : len(name)-len(v.after)]
	if tok[0] != 'v' && tok[0] != 'V' {
		return "", 0, false
	}
	for i := 1; i < len(tok); i++ {
		if !isDigit(tok[i]) {
			return "", 0, false
		}
	}
	n, err := strconv.Atoi(tok[1:])
	if err != nil {
		return "", 0, false
	}
	return tok, n, true
}

// Versions finds the other versions of seq, a sequence of the folder dir
// of fsys (seq.Dir is not used: seq may come from an fs.FS rooted at dir),
// when its file-name prefix or dir's own name carries a version token (see
// VersionToken):
//
//   - in dir, the sequences with the same suffix whose prefix differs from
//     seq's only in the version token ("shot_v002_####.png" beside
//     "shot_v001_####.png");
//   - beside dir, the folders whose name differs from dir's only in the
//     token ("shot/v002" beside "shot/v001", "shot_v2" beside "shot_v1")
//     holding a sequence with seq's suffix and seq's prefix, or, when the
//     prefix has a token, that prefix with any version in it (the folder's
//     own version preferred). Such a folder is versioned by its name.
//
// The list holds seq itself (Current), newest first: highest Number, then
// Folder, then Pattern. It is nil when seq has no token, or no other
// version is found. Two spellings of one number ("v2", "v002") are two
// entries. A number at the very end of a file name is its frame number,
// not a version: "comp_v3.png" is frame 3 of "comp_v#.png".
//
// It lists dir (grouped as Scan groups it), dir's parent and the
// candidate sibling folders, and opens no file: a sibling folder is read
// in batches only until a file of the sequence turns up, so a share's
// folders of 100,000 frames are not listed whole. Sibling folders are
// looked for only when dir is not ".": to find them, give an fsys rooted
// above dir (FolderVersions does). A parent or sibling folder that cannot
// be listed (a share often refuses to list its root) only means no
// versions from there; an error listing dir is an *OpenError.
func Versions(fsys fs.FS, dir string, seq *Sequence) ([]Version, error) {
	return VersionsAmong(fsys, dir, seq, nil)
}

// VersionsAmong is Versions with dir's sequences already known: seqs, as
// Scan or Open found them, so that dir is not listed again (on a share,
// seconds for a big folder). With seqs nil it lists dir.
func VersionsAmong(fsys fs.FS, dir string, seq *Sequence, seqs []*Sequence) ([]Version, error) {
	if seq == nil || len(seq.Frames) == 0 {
		return nil, nil
	}
	numbered := isNumbered(seq)
	file, fileOK := splitVersion(seq.Prefix)
	folder, folderOK := splitVersion(path.Base(dir))
	if dir == "." || dir == "" {
		folderOK = false
	}
	if !fileOK && !folderOK {
		return nil, nil
	}

	self := Version{Folder: dir, Pattern: seq.Pattern(), Current: true}
	if fileOK {
		self.Number, self.Label = file.number, file.label
	} else {
		self.Number, self.Label = folder.number, folder.label
	}
	out := []Version{self}

	if fileOK {
		if seqs == nil {
			entries, err := fs.ReadDir(fsys, dir)
			if err != nil {
				return nil, openError(dir, err)
			}
			seqs = group(dir, entries)
		}
		for _, s := range seqs {
			if len(s.Frames) == 0 || s.Suffix != seq.Suffix || isNumbered(s) != numbered || s.Prefix == seq.Prefix {
				continue
			}
			if label, number, ok := file.match(s.Prefix); ok {
				out = append(out, Version{Number: number, Label: label, Folder: dir, Pattern: s.Pattern()})
			}
		}
	}
	if folderOK {
		parent := path.Dir(dir)
		if entries, err := fs.ReadDir(fsys, parent); err == nil {
			for _, e := range entries {
				label, number, ok := folder.match(e.Name())
				if !ok || e.Name() == path.Base(dir) || (!e.IsDir() && e.Type() != fs.ModeSymlink) {
					continue
				}
				sub := path.Join(parent, e.Name())
				if pattern, ok := findSequence(fsys, sub, seq, file, fileOK, numbered, number); ok {
					out = append(out, Version{Number: number, Label: label, Folder: sub, Pattern: pattern})
				}
			}
		}
	}
	if len(out) == 1 {
		return nil, nil
	}
	slices.SortFunc(out, func(a, b Version) int {
		if c := cmp.Compare(b.Number, a.Number); c != 0 {
			return c
		}
		if c := strings.Compare(a.Folder, b.Folder); c != 0 {
			return c
		}
		return strings.Compare(a.Pattern, b.Pattern)
	})
	return out, nil
}

// isNumbered tells a numbered sequence from a lone unnumbered image (Scan
// keeps "a.png" and "a1.png" apart).
func isNumbered(s *Sequence) bool {
	return len(s.Frames) > 0 && len(s.Frames[0].Name) > len(s.Prefix)+len(s.Suffix)
}

// findSequence looks in the folder sub for a file of seq's sequence in
// another version, and returns its pattern. With a versioned prefix
// (fileOK) any version of it will do, but the folder's own (want) ends
// the search at once; else the highest version listed, ties by name, so
// the answer does not depend on listing order. Without one, the prefix
// must be seq's.
func findSequence(fsys fs.FS, sub string, seq *Sequence, file versioned, fileOK, numbered bool, want int) (string, bool) {
	var best Name
	bestNumber, found := 0, false
	consider := func(name string) (done bool) {
		n, ok := ParseName(name)
		if !ok || n.Suffix != seq.Suffix || (n.Digits != "") != numbered {
			return false
		}
		number := want
		if fileOK {
			if _, number, ok = file.match(n.Prefix); !ok {
				return false
			}
		} else if n.Prefix != seq.Prefix {
			return false
		}
		if !found || number > bestNumber || (number == bestNumber && name < best.Prefix+best.Digits+best.Suffix) {
			best, bestNumber, found = n, number, true
		}
		return number == want
	}
	// An error part-way through still leaves what was found before it.
	_ = listUntil(fsys, sub, consider)
	if !found {
		return "", false
	}
	return best.Prefix + strings.Repeat("#", len(best.Digits)) + best.Suffix, true
}

// listBatch is how many entries listUntil asks for at a time: enough to
// make a round trip to a share worth it, few enough to stop early.
const listBatch = 256

// listUntil calls f with the names of dir's regular files and symlinks in
// listing order (not sorted) until f returns true or the listing ends.
func listUntil(fsys fs.FS, dir string, f func(name string) bool) error {
	d, err := fsys.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	rd, ok := d.(fs.ReadDirFile)
	if !ok {
		entries, err := fs.ReadDir(fsys, dir)
		for _, e := range entries {
			if t := e.Type(); (t == 0 || t == fs.ModeSymlink) && f(e.Name()) {
				return nil
			}
		}
		return err
	}
	for {
		entries, err := rd.ReadDir(listBatch)
		for _, e := range entries {
			if t := e.Type(); (t == 0 || t == fs.ModeSymlink) && f(e.Name()) {
				return nil
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			return nil
		}
	}
}

// FolderVersions is VersionsAmong for seq in the folder at the absolute
// path folder, whose sequences are seqs (nil: list it), through DirFS
// rooted at folder's parent so that sibling folders are found; Folder in
// the result is an absolute path, and so is an OpenError's Path.
func FolderVersions(folder string, seq *Sequence, seqs []*Sequence) ([]Version, error) {
	folder = filepath.Clean(folder)
	parent, dir := filepath.Dir(folder), filepath.Base(folder)
	if parent == folder { // a file system's root: no siblings
		parent, dir = folder, "."
	}
	vs, err := VersionsAmong(DirFS(parent), filepath.ToSlash(dir), seq, seqs)
	if err != nil {
		var oe *OpenError
		if errors.As(err, &oe) {
			oe.Path = folder
		}
		return nil, err
	}
	for i := range vs {
		vs[i].Folder = filepath.Join(parent, filepath.FromSlash(vs[i].Folder))
	}
	return vs, nil
}
