package uibench

import (
	"fmt"
	"os"
	"path/filepath"

	"seqview/internal/testframes"
)

// Dataset is a generated sequence: Unique distinct w×h frames, each with
// its marker, repeated by hard links to Total frames, so that a scenario
// can walk through a thousand never-loaded frames (a viewer keys its caches
// by name) while the disk holds only Unique files.
type Dataset struct {
	Name   string // e.g. "4k"
	W, H   int
	Unique int
	Total  int
	// Folder names the sequence's folder beside the distinct frames';
	// "" is "seq".
	Folder string `json:",omitempty"`
}

// Is4K reports whether d's frames are 4K or larger: the goals of the
// issue are for those.
func (d Dataset) Is4K() bool { return d.W >= 3840 }

// LoopDataset is the loop scenario's sequence of d's size: its first
// LoopFrames distinct frames, each once, in a folder of their own.
func (d Dataset) LoopDataset() Dataset {
	return Dataset{Name: d.Name, W: d.W, H: d.H, Unique: LoopFrames, Total: LoopFrames, Folder: fmt.Sprintf("loop%d", LoopFrames)}
}

// Datasets are the two frame sizes of the benchmark. 128 distinct frames
// tell apart any two frames fewer than 64 apart (a 2 s held key moves 60);
// 1300 frames hold 20 held-key samples of 60 frames each, in one pass.
var Datasets = []Dataset{
	{Name: "4k", W: 3840, H: 2160, Unique: 128, Total: 1300},
	{Name: "1080p", W: 1920, H: 1080, Unique: 128, Total: 1300},
}

// framesVersion changes whenever the generated frames would.
const framesVersion = "uibench-v1"

// DefaultRoot is where generated sequences are kept between runs, beside
// the loader benchmark's.
func DefaultRoot() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("uibench: %w", err)
	}
	return filepath.Join(d, "seqview", framesVersion), nil
}

// Dir is the folder of d's sequence under root; its frames are named
// 00001.png … .
func (d Dataset) Dir(root string) string {
	folder := d.Folder
	if folder == "" {
		folder = "seq"
	}
	return filepath.Join(root, fmt.Sprintf("%dx%d", d.W, d.H), folder)
}

func (d Dataset) uniqueDir(root string) string {
	return filepath.Join(root, fmt.Sprintf("%dx%d", d.W, d.H), "unique")
}

// FrameName is the file name of the frame at position pos (1-based).
func FrameName(pos int) string { return fmt.Sprintf("%05d.png", pos) }

// Code is the marker of the frame at position pos.
func (d Dataset) Code(pos int) int { return FrameCode(pos, d.Unique) }

// Ensure makes d's sequence under root, generating only what is missing,
// on one goroutine per core; progress, if not nil, is told after each
// distinct frame made. It returns the sequence's folder.
func (d Dataset) Ensure(root string, progress func(done, total int)) (string, error) {
	if d.Unique > MarkerCodes {
		return "", fmt.Errorf("uibench: %d distinct frames, but only %d markers", d.Unique, MarkerCodes)
	}
	udir, sdir := d.uniqueDir(root), d.Dir(root)
	for _, dir := range []string{udir, sdir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("uibench: %w", err)
		}
	}
	err := testframes.WriteMissing(udir, "%04d.png", d.Unique, d.W, d.H, func(k int) []byte { return MarkedPNG(d.W, d.H, k, k-1) }, progress)
	if err != nil {
		return "", err
	}
	for pos := 1; pos <= d.Total; pos++ {
		src := filepath.Join(udir, fmt.Sprintf("%04d.png", d.Code(pos)+1))
		dst := filepath.Join(sdir, FrameName(pos))
		if a, err := os.Stat(src); err == nil {
			if b, err := os.Stat(dst); err == nil && os.SameFile(a, b) {
				continue
			}
		}
		_ = os.Remove(dst)
		if err := os.Link(src, dst); err != nil {
			return "", fmt.Errorf("uibench: %w", err)
		}
	}
	// Frames past Total, from a run with a longer sequence, would change
	// the count in the viewers' titles: remove them.
	for pos := d.Total + 1; ; pos++ {
		if err := os.Remove(filepath.Join(sdir, FrameName(pos))); err != nil {
			break
		}
	}
	return sdir, nil
}

// MarkedPNG returns testframes.PNG(w, h, n) with the marker patch of code
// painted over its centre, encoded as testframes encodes (8-bit RGBA, Paeth
// on every row, zlib BestSpeed), so it decodes as slowly as the frames of
// the loader benchmark: a 4K frame is about 6 MB.
func MarkedPNG(w, h, n, code int) []byte {
	img := testframes.Image(w, h, n)
	c := MarkerColor(code)
	r := MarkerRect(w, h)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			o := img.PixOffset(x, y)
			copy(img.Pix[o:o+4], []uint8{c.R, c.G, c.B, 255})
		}
	}
	return testframes.Encode(img)
}
