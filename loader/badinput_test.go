package loader

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"seqview/internal/testframes"
)

// folderHarness runs a Service over a real folder, as the app does.
type folderHarness struct {
	t       *testing.T
	dir     string
	svc     *Service
	mu      sync.Mutex
	results map[int]Result
	changed chan struct{}
}

func openFolder(t *testing.T, dir string, fsys fs.FS) *folderHarness {
	t.Helper()
	if fsys == nil {
		fsys = DirFS(dir)
	}
	seqs, err := Scan(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	h := &folderHarness{t: t, dir: dir, results: map[int]Result{}, changed: make(chan struct{}, 1)}
	h.svc = NewService(fsys, seqs[0], Config{Deliver: func(r Result) {
		h.mu.Lock()
		h.results[r.Index] = r
		h.mu.Unlock()
		select {
		case h.changed <- struct{}{}:
		default:
		}
	}})
	t.Cleanup(h.svc.Close)
	return h
}

// show returns frame i's result, waiting for its delivery.
func (h *folderHarness) show(i int) Result {
	h.t.Helper()
	h.mu.Lock()
	delete(h.results, i)
	h.mu.Unlock()
	if r, ok := h.svc.Show(i); ok {
		return r
	}
	deadline := time.After(hangGuard)
	for {
		h.mu.Lock()
		r, ok := h.results[i]
		h.mu.Unlock()
		if ok && (r.Err == nil || r.Err.Reason != BeingWritten) {
			return r
		}
		select {
		case <-h.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			h.t.Fatalf("frame %d: no result after %v (hang)", i, hangGuard)
		}
	}
}

// good is a valid frame; the files around each bad one.
func good(k int) []byte {
	return testframes.Flat(24, 16, color.NRGBA{R: uint8(k), G: 80, B: 160, A: 255})
}

// old makes a file's modification time a minute ago, so a broken file is
// judged broken, not still being written.
func old(t *testing.T, path string) {
	past := time.Now().Add(-time.Minute)
	if err := os.Chtimes(path, past, past); err != nil {
		t.Fatal(err)
	}
}

// badCRC returns a valid PNG with its IDAT checksum spoiled.
func badCRC(data []byte) []byte {
	b := bytes.Clone(data)
	i := bytes.Index(b, []byte("IDAT"))
	n := int(b[i-4])<<24 | int(b[i-3])<<16 | int(b[i-2])<<8 | int(b[i-1])
	b[i+4+n] ^= 0xff
	return b
}

// bomb is a tiny PNG whose header declares w×h pixels.
func bomb(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := []byte{byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h), 8, 6, 0, 0, 0}
	chunk := func(typ string, data []byte) {
		n := len(data)
		b.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		s := crc.Sum32()
		b.Write([]byte{byte(s >> 24), byte(s >> 16), byte(s >> 8), byte(s)})
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func jpegBytes(t *testing.T) []byte {
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 24, 16))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBadInput is the matrix of what real shares hold. Each case puts one
// odd file as 2.png between good frames 1.png and 3.png, shows it through
// the real loader on a real folder, and checks the message (or the picture)
// and that the neighbours still load.
func TestBadInput(t *testing.T) {
	kind := func(file string) func(t *testing.T, p string) {
		return func(t *testing.T, p string) {
			data, err := os.ReadFile(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			write(t, p, data)
		}
	}
	tests := []struct {
		name    string
		setup   func(t *testing.T, path string) // writes 2.png (or whatever the case needs)
		wantErr bool                            // false = must display
		reason  Reason                          // why, when wantErr
		detail  string                          // in the detail, when wantErr
		fsys    func(dir string) fs.FS          // nil = os.DirFS
	}{
		{name: "truncated PNG", wantErr: true, reason: Truncated, setup: func(t *testing.T, p string) {
			write(t, p, good(2)[:60])
		}},
		{name: "zero-byte file", wantErr: true, reason: Empty, setup: func(t *testing.T, p string) { write(t, p, nil) }},
		{name: "text named .png", wantErr: true, reason: NotImage, detail: `starts with "render lo`, setup: func(t *testing.T, p string) {
			write(t, p, []byte("render log: frame 2 failed\n"))
		}},
		{name: "bad CRC", wantErr: true, reason: Corrupt, setup: func(t *testing.T, p string) { write(t, p, badCRC(good(2))) }},
		{name: "decompression bomb", wantErr: true, reason: TooLarge, detail: "100000×100000", setup: func(t *testing.T, p string) {
			write(t, p, bomb(100000, 100000))
		}},
		{name: "16-bit RGBA", setup: kind("rgba16.png")},
		{name: "palette with transparency", setup: kind("palette-trns.png")},
		{name: "gray+alpha", setup: kind("gray-alpha.png")},
		{name: "interlaced", setup: kind("interlaced.png")},
		{name: "JPEG named .png", setup: func(t *testing.T, p string) { write(t, p, jpegBytes(t)) }},
		{name: "mode 000", wantErr: true, reason: Unreadable, detail: "permission denied", setup: func(t *testing.T, p string) {
			write(t, p, good(2))
			if err := os.Chmod(p, 0); err != nil {
				t.Fatal(err)
			}
		}, fsys: func(dir string) fs.FS {
			if os.Geteuid() != 0 {
				return os.DirFS(dir)
			}
			// root reads mode 000 files anyway; refuse as a share would.
			return deny{os.DirFS(dir), "2.png", fs.ErrPermission}
		}},
		{name: "symlink loop", wantErr: true, reason: Unreadable, detail: "too many levels of symbolic links", setup: func(t *testing.T, p string) {
			if err := os.Symlink(filepath.Base(p), p); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "deleted after listing", wantErr: true, reason: Gone, setup: func(t *testing.T, p string) {
			write(t, p, good(2))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, k := range []int{1, 3} {
				write(t, filepath.Join(dir, fmt.Sprintf("%d.png", k)), good(k))
			}
			p := filepath.Join(dir, "2.png")
			tt.setup(t, p)
			if _, err := os.Lstat(p); err == nil && !isSymlink(p) {
				old(t, p)
			}
			var fsys fs.FS
			if tt.fsys != nil {
				fsys = tt.fsys(dir)
			}
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			h := openFolder(t, dir, fsys)
			if tt.name == "deleted after listing" {
				os.Remove(p)
			}
			r := h.show(1)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("allocated %d MiB for one small file", grew>>20)
			}
			switch {
			case !tt.wantErr && r.Err != nil:
				t.Fatalf("should display, got %v", r.Err)
			case !tt.wantErr && r.Frame.Info.Width != 24:
				t.Fatalf("decoded to %v", r.Frame.Info)
			case tt.wantErr && (r.Err == nil || r.Err.Name != "2.png" || r.Err.Reason != tt.reason || !strings.Contains(r.Err.Detail, tt.detail)):
				t.Fatalf("error %v, want %v of 2.png saying %q", r.Err, tt.reason, tt.detail)
			}
			if tt.wantErr {
				t.Logf("message: %v", r.Err)
			}
			for _, i := range []int{0, 2} {
				if r := h.show(i); r.Err != nil {
					t.Fatalf("frame %d after the bad one: %v", i+1, r.Err)
				}
			}
		})
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func isSymlink(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// deny is an fs.FS that refuses to open one file.
type deny struct {
	fs.FS
	name string
	err  error
}

func (d deny) Open(name string) (fs.File, error) {
	if name == d.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: d.err}
	}
	return d.FS.Open(name)
}

// TestFolderDeletedWhileOpen: frames in memory still show, the others say
// the file is gone, nothing hangs.
func TestFolderDeletedWhileOpen(t *testing.T) {
	dir := t.TempDir()
	for k := 1; k <= 30; k++ {
		write(t, filepath.Join(dir, fmt.Sprintf("%d.png", k)), good(k))
	}
	h := openFolder(t, dir, nil)
	if r := h.show(0); r.Err != nil {
		t.Fatal(r.Err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if r := h.show(0); r.Err != nil {
		t.Fatalf("a cached frame after the folder went: %v", r.Err)
	}
	if r := h.show(25); r.Err == nil || r.Err.Reason != Gone {
		t.Fatalf("an uncached frame after the folder went: %v", r.Err)
	}
}

// TestNonUTF8Names: names that are not valid UTF-8 (from old Windows or
// Latin-1 shares) are listed, ordered and loaded like any other.
func TestNonUTF8Names(t *testing.T) {
	dir := t.TempDir()
	for k := 1; k <= 3; k++ {
		write(t, filepath.Join(dir, fmt.Sprintf("pr\xe9vis_%03d.png", k)), good(k))
	}
	h := openFolder(t, dir, nil)
	if n := h.svc.Sequence().Len(); n != 3 {
		t.Fatalf("%d frames found", n)
	}
	for i := range 3 {
		if r := h.show(i); r.Err != nil || int(r.Frame.View.Pix[0]) != i+1 {
			t.Fatalf("frame %d: %v", i+1, r.Err)
		}
	}
}

// TestHundredThousandFiles: a folder of 100,000 frames (symlinks to one
// file, to keep the test fast) lists, loads any frame, and keeps memory
// bounded.
func TestHundredThousandFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 100,000 files")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "source.bin")
	write(t, src, good(7))
	for k := range 100_000 {
		if err := os.Symlink(src, filepath.Join(dir, fmt.Sprintf("f_%06d.png", k))); err != nil {
			t.Fatal(err)
		}
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	h := openFolder(t, dir, nil)
	if n := h.svc.Sequence().Len(); n != 100_000 {
		t.Fatalf("%d frames", n)
	}
	for _, i := range []int{0, 54_321, 99_999} {
		if r := h.show(i); r.Err != nil {
			t.Fatalf("frame %d: %v", i, r.Err)
		}
	}
	h.svc.States()
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<20 {
		t.Fatalf("heap grew %d MiB for 100,000 names", grew>>20)
	}
}

func TestDirFS(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.png"), good(1))
	d := DirFS(dir)
	for _, bad := range []string{"", "/etc/passwd", "../x", "a/../../x", "./a.png", "a//b", "x\x00y"} {
		if _, err := d.Open(bad); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q) = %v, want invalid", bad, err)
		}
	}
	if f, err := d.Open("a.png"); err != nil {
		t.Fatal(err)
	} else {
		f.Close()
	}
	if _, err := fs.ReadDir(d, "."); err != nil {
		t.Fatal(err)
	}
}
