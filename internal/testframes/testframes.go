// Package testframes generates deterministic test image sequences: PNG frames
// that look and compress like rendered frames, flat frames, and whole
// numbered sequences as an fstest.MapFS or in a real folder.
//
// Everything is a pure function of its arguments, so tests and benchmarks
// can regenerate identical data instead of checking files in.
package testframes

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing/fstest"
)

// PNG returns a w×h RGBA PNG of frame n that compresses like a rendered
// frame (smooth gradients + some noise + a moving shape; a 3840×2160 frame
// comes out at about 6 MB), deterministic for (w,h,n). w and h must be
// positive: PNG has no empty images.
//
// The moving disc is semi-transparent, so the file is colour type 6 (RGBA)
// and decodes to *image.NRGBA, the common case for rendered PNG sequences
// with an alpha channel; an opaque frame would be written as RGB instead.
//
// Generating a 4K frame takes a few hundred milliseconds; callers that need
// the same frame repeatedly should cache it.
func PNG(w, h, n int) []byte { return Encode(Image(w, h, n)) }

// Image returns frame n of PNG's sequence before encoding, for callers
// that paint something over it (a marker) and then Encode it.
func Image(w, h, n int) *image.NRGBA {
	mustSize(w, h)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	paint(img, n)
	return img
}

// paint fills img with frame n.
func paint(img *image.NRGBA, n int) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	// The disc moves along a diagonal, wrapping around, so consecutive
	// frames differ the way an animation's frames do.
	r := max(min(w, h)/6, 1)
	cx := (w/4 + n*max(w/50, 1)) % w
	cy := (h/3 + n*max(h/70, 1)) % h
	inner2, outer2 := (r-1)*(r-1), (r+1)*(r+1)

	for y := 0; y < h; y++ {
		// One PRNG stream per row, seeded from (w,h,n,y), keeps the noise
		// deterministic and independent of how rows are visited.
		rng := splitmix(uint64(w)<<42 ^ uint64(h)<<21 ^ uint64(n)<<1 ^ uint64(y)*0x9E3779B97F4A7C15)
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		gy := 255 * y / max(h-1, 1)
		dy := y - cy
		for x := 0; x < w; x++ {
			gx := 255 * x / max(w-1, 1)
			// Luminance grain of -1..+1, the same on every channel:
			// enough entropy that the frame compresses like a real render
			// (~6 MB at 4K) rather than like a synthetic gradient (80 kB).
			// Independent noise per channel would make it ~11 MB.
			noise := rng.next()
			c := row[4*x : 4*x+4 : 4*x+4]
			c[0] = clamp8(gx + int(noise%3) - 1)
			c[1] = clamp8(gy + int(noise%3) - 1)
			c[2] = clamp8((gx+gy)/2 + (n*3)%64 + int(noise%3) - 1)
			c[3] = 255

			dx := x - cx
			d2 := dx*dx + dy*dy
			if d2 >= outer2 {
				continue
			}
			// Inside the disc: a warm, semi-transparent colour with a
			// one-pixel soft edge, as an anti-aliased render would have.
			a := 192
			if d2 > inner2 {
				a = a * (outer2 - d2) / (outer2 - inner2)
			}
			c[0], c[1], c[2], c[3] = 240, clamp8(120+int(noise>>24%5)), 40, uint8(a)
		}
	}
}

// Flat returns a w×h PNG of one flat colour (w, h > 0), as an RGBA PNG
// whatever the colour so that it decodes like PNG's frames.
func Flat(w, h int, c color.Color) []byte {
	mustSize(w, h)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	nc := color.NRGBAModel.Convert(c).(color.NRGBA)
	px := []byte{nc.R, nc.G, nc.B, nc.A}
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:i+4], px)
	}
	return Encode(img)
}

// encode writes img as an 8-bit RGBA PNG (colour type 6), every row with
// the Paeth filter, compressed at zlib.BestSpeed.
//
// image/png's encoder spends over half its time choosing a filter for each
// row (it tries all five); a fixed filter makes a 4K frame about three times
// as fast to generate (~0.35 s instead of ~1 s) and the output is still an
// ordinary PNG. Paeth is what adaptive encoders mostly pick for rendered
// images, and the slowest filter to undo, so decode benchmarks on these
// frames are not flattered by an unusually cheap file (Up would be ~30%
// faster to decode).
func Encode(img *image.NRGBA) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // bit depth 8, colour type RGBA; the rest 0
	writeChunk(&buf, "IHDR", ihdr[:])

	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed) // err only for a bad level
	line := make([]byte, 1+4*w)
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		var prev []byte
		if y > 0 {
			prev = img.Pix[(y-1)*img.Stride : (y-1)*img.Stride+4*w]
		}
		line[0] = 4 // Paeth
		paethRow(line[1:], row, prev)
		zw.Write(line) // writes to a bytes.Buffer cannot fail
	}
	zw.Close()
	// 32 KiB IDAT chunks, as image/png writes them (libpng uses 8 KiB):
	// decoders see chunk boundaries in the middle of rows, as with real files.
	for data := z.Bytes(); len(data) > 0; {
		n := min(len(data), 32<<10)
		writeChunk(&buf, "IDAT", data[:n])
		data = data[n:]
	}
	writeChunk(&buf, "IEND", nil)
	return buf.Bytes()
}

func writeChunk(buf *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	buf.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	buf.WriteString(typ)
	buf.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	buf.Write(n[:])
}

// MapFS returns an fstest.MapFS with count frames named
// fmt.Sprintf(pattern, i) for i in first..first+count-1, each made by
// gen(i). gen is called once per frame, in order, on the calling goroutine.
func MapFS(pattern string, first, count int, gen func(i int) []byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := first; i < first+count; i++ {
		fsys[fmt.Sprintf(pattern, i)] = &fstest.MapFile{Data: gen(i), Mode: 0o444}
	}
	return fsys
}

// WriteDir writes the same frames as MapFS into dir (for real-folder
// tests), creating dir and any folders the pattern names.
func WriteDir(dir, pattern string, first, count int, gen func(i int) []byte) error {
	for i := first; i < first+count; i++ {
		name := filepath.Join(dir, filepath.FromSlash(fmt.Sprintf(pattern, i)))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return fmt.Errorf("testframes: %w", err)
		}
		if err := os.WriteFile(name, gen(i), 0o644); err != nil {
			return fmt.Errorf("testframes: %w", err)
		}
	}
	return nil
}

// mustSize panics on a size PNG cannot store: that is a bug in the test
// that asked for it, and a panic shows where.
func mustSize(w, h int) {
	if w <= 0 || h <= 0 || w > 1<<31-1 || h > 1<<31-1 {
		panic(fmt.Sprintf("testframes: no PNG can be %d×%d", w, h))
	}
}

func clamp8(v int) uint8 {
	return uint8(min(max(v, 0), 255))
}

// splitmix is SplitMix64: tiny, fast and good enough for image noise.
type splitmix uint64

func (s *splitmix) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	z := uint64(*s)
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// paethRow writes the Paeth-filtered bytes of row into out; prev is the row
// above (nil for the first row, which the PNG spec treats as zeros).
func paethRow(out, row, prev []byte) {
	for i := range row {
		var a, b, c int
		if i >= 4 {
			a = int(row[i-4])
		}
		if prev != nil {
			b = int(prev[i])
			if i >= 4 {
				c = int(prev[i-4])
			}
		}
		p := a + b - c
		pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
		pred := c
		if pa <= pb && pa <= pc {
			pred = a
		} else if pb <= pc {
			pred = b
		}
		out[i] = row[i] - byte(pred)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// WriteFile writes data to path under a hidden temporary name and renames
// it, so a file with that name is always complete, even if a generator is
// interrupted.
func WriteFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("testframes: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("testframes: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("testframes: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("testframes: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("testframes: %w", err)
	}
	return nil
}

// IsPNG reports whether path is a PNG whose header says w×h: a frame a
// generator already made, worth keeping.
func IsPNG(path string, w, h int) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	// Signature (8), IHDR length and type (8), then width and height.
	var hdr [24]byte
	if _, err := io.ReadFull(f, hdr[:]); err != nil {
		return false
	}
	return string(hdr[:8]) == "\x89PNG\r\n\x1a\n" && string(hdr[12:16]) == "IHDR" &&
		binary.BigEndian.Uint32(hdr[16:]) == uint32(w) && binary.BigEndian.Uint32(hdr[20:]) == uint32(h)
}

// WriteMissing makes the frames 1…n of dir named by pattern (e.g.
// "%04d.png") that are not already w×h PNGs, writing gen(k) for frame k
// with WriteFile on every core: 4K frames take seconds each to encode, so
// benchmarks keep what an earlier run made. progress, if not nil, is
// called after each frame written, one call at a time. It returns the
// first error.
func WriteMissing(dir, pattern string, n, w, h int, gen func(k int) []byte, progress func(done, total int)) error {
	path := func(k int) string { return filepath.Join(dir, fmt.Sprintf(pattern, k)) }
	var missing []int
	for k := 1; k <= n; k++ {
		if !IsPNG(path(k), w, h) {
			missing = append(missing, k)
		}
	}
	var (
		mu    sync.Mutex
		done  int
		first error
		next  = make(chan int)
		wg    sync.WaitGroup
	)
	for range min(runtime.NumCPU(), len(missing)) {
		wg.Go(func() {
			for k := range next {
				err := WriteFile(path(k), gen(k))
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				done++
				if progress != nil {
					progress(done, len(missing))
				}
				mu.Unlock()
			}
		})
	}
	for _, k := range missing {
		next <- k
	}
	close(next)
	wg.Wait()
	return first
}

// The 4K benchmark sequence: frames of the size seqview is built for,
// shared by the loader's soak, the decode benchmarks and the benchmark
// module, and kept between runs in the user cache folder (generating 60
// frames takes minutes, reading them back seconds).
const (
	Width4K   = 3840
	Height4K  = 2160
	Pattern4K = "%04d.png" // frame k, 1-based as renders are
)

// Dir4K is where the 4K sequence is kept. The version in the name changes
// whenever the frames would.
func Dir4K() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("testframes: %w", err)
	}
	return filepath.Join(d, "seqview", "bench-4k-v1"), nil
}

// Ensure4K makes Dir4K hold at least n 4K frames 0001.png … made by PNG,
// generating only the missing ones, and returns the folder. progress is as
// for WriteMissing.
func Ensure4K(n int, progress func(done, total int)) (string, error) {
	dir, err := Dir4K()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("testframes: %w", err)
	}
	return dir, WriteMissing(dir, Pattern4K, n, Width4K, Height4K, func(k int) []byte { return PNG(Width4K, Height4K, k) }, progress)
}
