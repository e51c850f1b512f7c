package seqbench

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"seqview/internal/slowfs"
	"seqview/internal/testframes"
	"seqview/loader"
)

// The benchmark sequence: 4K frames, the size the loader is built for.
const (
	Width4K  = 3840
	Height4K = 2160
	// DefaultFrames is how many frames the benchmark uses: enough for 40
	// steps forward and back.
	DefaultFrames = 60
	// The view frames are scaled to fit: a 1280×720 window.
	DefaultViewW = 1280
	DefaultViewH = 720
)

// DefaultSlow is the share of the benchmark: a round trip of 40 ms per
// open, 10 ms per 1 MiB read request, and 60 MB/s shared by all reads, a
// busy office share over gigabit or a good VPN.
var DefaultSlow = slowfs.Config{
	OpenLatency:    40 * time.Millisecond,
	ReadLatency:    10 * time.Millisecond,
	BytesPerSecond: 60e6,
	ChunkSize:      slowfs.DefaultChunkSize,
}

// DefaultDir is where the 4K sequence is kept between runs: the folder of
// testframes.Ensure4K, which the loader's soak uses too, so generating it
// (minutes) is done once for both.
func DefaultDir() (string, error) {
	d, err := testframes.Dir4K()
	if err != nil {
		return "", fmt.Errorf("seqbench: %w", err)
	}
	return d, nil
}

// EnsureFrames makes dir hold n w×h frames 0001.png … made by
// testframes.PNG, generating only the missing ones, on one goroutine per
// core. progress, if not nil, is told after each frame made (from those
// goroutines, one call at a time).
//
// A frame is written under a hidden temporary name and renamed, so a file
// with a frame's name is complete even if an earlier run was interrupted;
// its PNG header is still checked for the size, so a folder of frames of
// another size is regenerated rather than trusted.
func EnsureFrames(dir string, n, w, h int, progress func(done, total int)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("seqbench: %w", err)
	}
	return testframes.WriteMissing(dir, testframes.Pattern4K, n, w, h, func(k int) []byte { return testframes.PNG(w, h, k) }, progress)
}

// FirstFrames returns the longest sequence in base's root cut to its first
// n frames (all of them if n <= 0), so a folder generated for more frames
// serves a shorter run.
func FirstFrames(base fs.FS, n int) (*loader.Sequence, error) { return FramesIn(base, ".", n) }

// SecondOffset is added to the frame number of the second sequence's
// pictures (EnsureSecond), so no frame of it looks like one of the first.
const SecondOffset = 1000

// EnsureSecond is EnsureFrames for a second sequence, to compare with the
// first: the same size and encoding, different pictures.
func EnsureSecond(dir string, n, w, h int, progress func(done, total int)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("seqbench: %w", err)
	}
	return testframes.WriteMissing(dir, testframes.Pattern4K, n, w, h, func(k int) []byte { return testframes.PNG(w, h, k+SecondOffset) }, progress)
}

// Folders is an fs.FS whose top-level names are folders on this machine:
// name/x is x in the folder Folders[name]. It puts two sequences kept
// anywhere behind one slow share.
type Folders map[string]string

func (f Folders) route(op, name string) (fs.FS, string, error) {
	if !fs.ValidPath(name) {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	top, rest, _ := strings.Cut(name, "/")
	dir, ok := f[top]
	if !ok {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	if rest == "" {
		rest = "."
	}
	return os.DirFS(dir), rest, nil
}

// Open opens name; the root itself cannot be opened (nothing lists it).
func (f Folders) Open(name string) (fs.File, error) {
	fsys, rest, err := f.route("open", name)
	if err != nil {
		return nil, err
	}
	return fsys.Open(rest)
}

// Stat describes name.
func (f Folders) Stat(name string) (fs.FileInfo, error) {
	fsys, rest, err := f.route("stat", name)
	if err != nil {
		return nil, err
	}
	return fs.Stat(fsys, rest)
}

// ReadDir lists name.
func (f Folders) ReadDir(name string) ([]fs.DirEntry, error) {
	fsys, rest, err := f.route("readdir", name)
	if err != nil {
		return nil, err
	}
	return fs.ReadDir(fsys, rest)
}
