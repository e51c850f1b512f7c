package loader

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"seqview/loader/ospath"
)

// Name is a file name split around its frame number.
type Name struct {
	Prefix string // text before the frame number: "shot_" in "shot_0001.png"
	Digits string // the frame number as written: "0001"; "" if the name has no number
	Suffix string // text after the number, extension included: ".png"
	Number int    // the frame number; 0 if Digits == ""
}

// ParseName splits an image file name. ok is false, and n the zero Name,
// for hidden names (leading '.') and names whose extension is not an image
// one (png, jpg, jpeg, gif, bmp, tif, tiff, webp; ASCII case-insensitive).
//
// The frame number is the last run of ASCII digits in the name without its
// extension, so version numbers earlier in the name stay in the prefix:
// "render_v2_0012.png" is Prefix "render_v2_", Digits "0012", Number 12,
// Suffix ".png". A name without digits, or whose digit run is too long for
// an int, has no number: "cover.png" is Prefix "cover", Suffix ".png".
// Prefix+Digits+Suffix is always name.
func ParseName(name string) (n Name, ok bool) {
	if name == "" || name[0] == '.' {
		return Name{}, false
	}
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 || !isImageExt(name[dot+1:]) {
		return Name{}, false
	}
	base := name[:dot]
	end := len(base)
	for end > 0 && !isDigit(base[end-1]) {
		end--
	}
	start := end
	for start > 0 && isDigit(base[start-1]) {
		start--
	}
	if start == end {
		return Name{Prefix: base, Suffix: name[dot:]}, true
	}
	num, err := strconv.Atoi(base[start:end])
	if err != nil {
		// Only overflow can fail here. Such a run is more likely a hash
		// or a timestamp than a frame number, so the file stands alone.
		return Name{Prefix: base, Suffix: name[dot:]}, true
	}
	return Name{Prefix: base[:start], Digits: base[start:end], Suffix: name[end:], Number: num}, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isImageExt reports whether ext (without the dot) is an image extension.
// It folds ASCII case only: strings.EqualFold or ToLower would also accept
// look-alikes such as "tİf" that no decoder will recognise.
func isImageExt(ext string) bool {
	if len(ext) < 3 || len(ext) > 4 {
		return false
	}
	var buf [4]byte
	for i := 0; i < len(ext); i++ {
		c := ext[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(ext)]) {
	case "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp":
		return true
	}
	return false
}

// Frame is one file of a Sequence.
type Frame struct {
	Name   string // file name inside the sequence's Dir
	Number int    // frame number; 0 for an unnumbered image
}

// Sequence is one numbered sequence in a folder, in natural order.
type Sequence struct {
	Dir    string // folder inside the fs.FS, slash-separated, "." for the root
	Prefix string
	Suffix string
	Frames []Frame // ordered by Number, then Name (so 2.png before 10.png; "1.png" and "01.png" both kept)
}

// Len returns the number of frames.
func (s *Sequence) Len() int { return len(s.Frames) }

// Path returns the path of frame i inside the fs.FS the sequence came from.
func (s *Sequence) Path(i int) string { return path.Join(s.Dir, s.Frames[i].Name) }

// Index returns the index of the frame with the given file name, or -1.
// It searches by frame number, so it stays cheap on long sequences.
func (s *Sequence) Index(name string) int {
	n, ok := ParseName(name)
	if !ok {
		return -1
	}
	i, found := slices.BinarySearchFunc(s.Frames, Frame{Name: name, Number: n.Number}, compareFrames)
	if !found {
		return -1
	}
	return i
}

func compareFrames(a, b Frame) int {
	if c := cmp.Compare(a.Number, b.Number); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

// Pattern returns a name for display, with one '#' per digit of the first
// frame's number: "shot_####.png". An unnumbered image gives its own name.
func (s *Sequence) Pattern() string {
	width := 0
	if len(s.Frames) > 0 {
		width = max(len(s.Frames[0].Name)-len(s.Prefix)-len(s.Suffix), 0)
	}
	return s.Prefix + strings.Repeat("#", width) + s.Suffix
}

// Gap is a run of missing frame numbers: From..To, inclusive, are missing
// between frame index After and After+1.
type Gap struct{ After, From, To int }

// Gaps returns the missing runs between consecutive frames whose numbers
// differ by more than one, or nil if the sequence is complete.
func (s *Sequence) Gaps() []Gap {
	var gaps []Gap
	for i := 1; i < len(s.Frames); i++ {
		// Numbers are never negative, so the difference cannot overflow.
		if prev, next := s.Frames[i-1].Number, s.Frames[i].Number; next-prev > 1 {
			gaps = append(gaps, Gap{After: i - 1, From: prev + 1, To: next - 1})
		}
	}
	return gaps
}

// Scan lists dir in fsys and groups its image files into sequences by
// (Prefix, Suffix): ".png" and ".PNG" differ, as do "a_" and "b_". An
// unnumbered image is a sequence of one frame. The longest sequence comes
// first, ties ordered by Pattern.
//
// Hidden files, directories, non-image files and non-regular entries other
// than symlinks are skipped. Scan opens no file and stats no entry, as
// folders of a hundred thousand frames on network drives are the point;
// so a symlink is taken on its name even if it points at a folder, and
// fails later when decoded.
//
// Errors are *OpenError; if dir holds no image, its reason is NoSequence.
func Scan(fsys fs.FS, dir string) ([]*Sequence, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, openError(dir, err)
	}
	seqs := group(dir, entries)
	if len(seqs) == 0 {
		return nil, noSequence(dir)
	}
	return seqs, nil
}

func noSequence(dir string) *OpenError {
	return &OpenError{Path: dir, Reason: NoSequence, Err: ErrNoImages}
}

// group builds the sequences of dir from its entries.
func group(dir string, entries []fs.DirEntry) []*Sequence {
	// numbered keeps "a.png" (unnumbered, Prefix "a") apart from "a1.png"
	// (numbered, also Prefix "a"), and an overflowing digit run apart from
	// the sequence its prefix would otherwise join.
	type key struct {
		prefix, suffix string
		numbered       bool
	}
	byKey := make(map[key]*Sequence)
	var seqs []*Sequence
	var last *Sequence
	var lastKey key
	for _, e := range entries {
		if t := e.Type(); t != 0 && t != fs.ModeSymlink {
			continue
		}
		name := e.Name()
		n, ok := ParseName(name)
		if !ok {
			continue
		}
		k := key{n.Prefix, n.Suffix, n.Digits != ""}
		// Directory listings are usually sorted, so a frame most often
		// belongs to the same sequence as the one before: skip the map.
		if last == nil || k != lastKey {
			last = byKey[k]
			if last == nil {
				last = &Sequence{Dir: dir, Prefix: n.Prefix, Suffix: n.Suffix}
				byKey[k] = last
				seqs = append(seqs, last)
			}
			lastKey = k
		}
		last.Frames = append(last.Frames, Frame{Name: name, Number: n.Number})
	}

	type sorted struct {
		seq     *Sequence
		pattern string
	}
	all := make([]sorted, len(seqs))
	for i, s := range seqs {
		slices.SortFunc(s.Frames, compareFrames)
		all[i] = sorted{s, s.Pattern()}
	}
	slices.SortFunc(all, func(a, b sorted) int {
		if c := cmp.Compare(b.seq.Len(), a.seq.Len()); c != 0 {
			return c
		}
		if c := strings.Compare(a.pattern, b.pattern); c != 0 {
			return c
		}
		// Patterns can tie ("a#.png" is also a literal file name); names
		// in a folder cannot, so the order never depends on the map.
		return strings.Compare(a.seq.Frames[0].Name, b.seq.Frames[0].Name)
	})
	for i := range all {
		seqs[i] = all[i].seq
	}
	return seqs
}

// Opened is what Open found for a path given by the person.
type Opened struct {
	FS        fs.FS       // os.DirFS of Folder
	Folder    string      // absolute folder path
	Sequences []*Sequence // as Scan returns them
	Seq       int         // index into Sequences of the one to show
	Frame     int         // index into that sequence of the frame to show first
}

// OpenFile is Open for an image file, without listing its folder: the
// sequence it returns holds that file alone, so the file can be shown at
// once while Open lists the folder, which on a share of 100,000 files takes
// seconds. For a folder it returns ErrNotFile.
func OpenFile(p string) (*Opened, error) {
	folder, file, err := locate(p)
	if err != nil {
		return nil, err
	}
	if file == "" {
		return nil, ErrNotFile
	}
	return &Opened{FS: DirFS(folder), Folder: folder, Sequences: []*Sequence{FileSequence(".", file)}}, nil
}

// FileSequence is the sequence of one file of dir, before its folder is
// listed: shown at once, it grows with SetSequence when the listing is in.
func FileSequence(dir, name string) *Sequence {
	n, _ := ParseName(name)
	return &Sequence{Dir: dir, Prefix: n.Prefix, Suffix: n.Suffix, Frames: []Frame{{Name: name, Number: n.Number}}}
}

// ErrNotFile is returned by OpenFile for a folder.
var ErrNotFile = errors.New("loader: a folder, not a file")

// locate turns a path into its absolute folder and, for a file, the file's
// name; it only stats, it lists nothing. What a path means on this system
// (UNC shares, drive letters, either slash on Windows) is ospath's.
func locate(p string) (folder, file string, err error) {
	loc, err := ospath.Local.Locate(p)
	if err != nil {
		return "", "", openError(loc.Path, err)
	}
	if loc.File == "" {
		return loc.Folder, "", nil
	}
	if _, ok := ParseName(loc.File); !ok || !loc.Info.Mode().IsRegular() {
		return "", "", &OpenError{Path: loc.Path, Reason: NotImage, Detail: "not an image file by its name",
			Err: errors.New("not an image file")}
	}
	return loc.Folder, loc.File, nil
}

// Open takes a folder path, and opens its longest sequence at the first
// frame, or an image file path, and opens the sequence that file belongs to
// at that file. Errors name the absolute path.
func Open(p string) (*Opened, error) {
	folder, file, err := locate(p)
	if err != nil {
		return nil, err
	}
	// os.ReadDir rather than Scan on os.DirFS, so errors name the real
	// folder instead of ".".
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, openError(folder, err)
	}
	seqs := group(".", entries)
	if len(seqs) == 0 {
		return nil, noSequence(folder)
	}
	o := &Opened{FS: DirFS(folder), Folder: folder, Sequences: seqs}
	if file == "" {
		return o, nil
	}
	if i, j := find(seqs, file); i >= 0 {
		o.Seq, o.Frame = i, j
		return o, nil
	}
	// The file was there for Stat but not in the listing: it went away.
	return nil, openError(filepath.Join(folder, file), fs.ErrNotExist)
}

// find returns the sequence and frame of the file name, or -1, -1. A name
// that is not listed as given may be listed in another case: Stat found it
// on a file system that ignores case (Windows, SMB shares, macOS), where
// "SHOT_0001.PNG" typed opens "shot_0001.png". On one that does not, Stat
// finds only the exact name, which comes first.
func find(seqs []*Sequence, name string) (seq, frame int) {
	for i, s := range seqs {
		if j := s.Index(name); j >= 0 {
			return i, j
		}
	}
	n, ok := ParseName(name)
	if !ok {
		return -1, -1
	}
	for i, s := range seqs {
		// The frame number does not depend on case: search by it.
		j, _ := slices.BinarySearchFunc(s.Frames, n.Number, func(f Frame, n int) int { return cmp.Compare(f.Number, n) })
		for ; j < len(s.Frames) && s.Frames[j].Number == n.Number; j++ {
			if strings.EqualFold(s.Frames[j].Name, name) {
				return i, j
			}
		}
	}
	return -1, -1
}

// Nearest returns the index of the frame whose number is closest to number
// (the earlier one on a tie), or -1 for an empty sequence.
func (s *Sequence) Nearest(number int) int {
	if len(s.Frames) == 0 {
		return -1
	}
	i, _ := slices.BinarySearchFunc(s.Frames, number, func(f Frame, n int) int { return cmp.Compare(f.Number, n) })
	if i == len(s.Frames) || (i > 0 && number-s.Frames[i-1].Number <= s.Frames[i].Number-number) {
		return i - 1
	}
	return i
}
