package loader

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"seqview/internal/testframes"
)

// --- a PNG writer for every colour type, bit depth and interlacing ---
//
// image/png writes only some colour types (never gray+alpha, never tRNS for
// gray or RGB, never interlaced), so the tests write their own PNGs.

type pngSpec struct {
	ct, depth int  // PNG colour type and bit depth
	interlace bool // Adam7
	plte      []color.RGBA
	trns      []byte // raw tRNS chunk data
}

// channels is the number of samples per pixel of a colour type.
func (s pngSpec) channels() int {
	return map[int]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[s.ct]
}

// sample is the deterministic value of channel c of pixel (x,y): it cycles
// through 11 levels from 0 to the maximum, so every image has black, full
// and in-between values, opaque, transparent and translucent pixels.
func (s pngSpec) sample(x, y, c int) uint16 {
	maxv := 1<<s.depth - 1
	if s.ct == 3 {
		return uint16((x*7 + y*13) % (maxv + 1))
	}
	return uint16((x*7 + y*13 + c*5) % 11 * maxv / 10)
}

// want is the premultiplied colour of pixel (x,y) by the PNG spec and Go's
// colour model, computed without any decoder.
func (s pngSpec) want(x, y int) color.RGBA {
	scale := func(v uint16) uint16 { return uint16(uint32(v) * 0xffff / (1<<s.depth - 1)) }
	var c color.NRGBA64
	switch s.ct {
	case 0, 4:
		g := s.sample(x, y, 0)
		c = color.NRGBA64{scale(g), scale(g), scale(g), 0xffff}
		if s.ct == 4 {
			c.A = scale(s.sample(x, y, 1))
		} else if s.trns != nil && g == binary.BigEndian.Uint16(s.trns) {
			c.A = 0
		}
	case 2, 6:
		r, g, b := s.sample(x, y, 0), s.sample(x, y, 1), s.sample(x, y, 2)
		c = color.NRGBA64{scale(r), scale(g), scale(b), 0xffff}
		if s.ct == 6 {
			c.A = scale(s.sample(x, y, 3))
		} else if s.trns != nil && r == binary.BigEndian.Uint16(s.trns) &&
			g == binary.BigEndian.Uint16(s.trns[2:]) && b == binary.BigEndian.Uint16(s.trns[4:]) {
			c.A = 0
		}
	case 3:
		i := s.sample(x, y, 0)
		p := s.plte[i]
		a := uint8(0xff)
		if int(i) < len(s.trns) {
			a = s.trns[i]
		}
		return color.RGBAModel.Convert(color.NRGBA{p.R, p.G, p.B, a}).(color.RGBA)
	}
	return color.RGBAModel.Convert(c).(color.RGBA)
}

// adam7 lists the interlace passes: x0, y0, dx, dy.
var adam7 = [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

func (s pngSpec) encode(w, h int) []byte {
	var raw bytes.Buffer
	passes := [][4]int{{0, 0, 1, 1}}
	if s.interlace {
		passes = adam7[:]
	}
	for _, p := range passes {
		for y := p[1]; y < h; y += p[3] {
			var bw bitWriter
			for x := p[0]; x < w; x += p[2] {
				for c := range s.channels() {
					bw.write(uint32(s.sample(x, y, c)), s.depth)
				}
			}
			if len(bw.buf) == 0 && bw.n == 0 {
				continue // an empty pass has no rows at all
			}
			raw.WriteByte(0) // filter: none
			raw.Write(bw.bytes())
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()

	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, byte(s.depth), byte(s.ct), 0, 0, 0)
	if s.interlace {
		ihdr[12] = 1
	}
	writeChunk(&out, "IHDR", ihdr)
	if s.plte != nil {
		var plte []byte
		for _, c := range s.plte {
			plte = append(plte, c.R, c.G, c.B)
		}
		writeChunk(&out, "PLTE", plte)
	}
	if s.trns != nil {
		writeChunk(&out, "tRNS", s.trns)
	}
	writeChunk(&out, "IDAT", z.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes()
}

func writeChunk(w *bytes.Buffer, typ string, data []byte) {
	w.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
	w.WriteString(typ)
	w.Write(data)
	w.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(append([]byte(typ), data...))))
}

// bitWriter packs samples MSB first, as PNG rows do.
type bitWriter struct {
	buf []byte
	acc uint32
	n   int
}

func (b *bitWriter) write(v uint32, bits int) {
	b.acc = b.acc<<bits | v
	b.n += bits
	for b.n >= 8 {
		b.buf = append(b.buf, byte(b.acc>>(b.n-8)))
		b.n -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.n > 0 {
		return append(b.buf, byte(b.acc<<(8-b.n)))
	}
	return b.buf
}

// testPalette has 2^depth colours, and tRNS gives the first half of them
// alpha values from 0 up.
func testPalette(depth int) ([]color.RGBA, []byte) {
	n := 1 << depth
	plte := make([]color.RGBA, n)
	trns := make([]byte, (n+1)/2)
	for i := range plte {
		plte[i] = color.RGBA{uint8(i * 37), uint8(255 - i*11), uint8(i * 101), 255}
	}
	for i := range trns {
		trns[i] = uint8(i * 255 / max(len(trns)-1, 1) / 2)
	}
	return plte, trns
}

func pngSpecs() map[string]pngSpec {
	specs := map[string]pngSpec{}
	for _, d := range []int{1, 2, 4, 8, 16} {
		specs[fmt.Sprintf("gray%d", d)] = pngSpec{ct: 0, depth: d}
	}
	specs["gray2 tRNS"] = pngSpec{ct: 0, depth: 2, trns: []byte{0, 0}}
	specs["gray8 tRNS"] = pngSpec{ct: 0, depth: 8, trns: []byte{0, 51}}
	specs["gray16 tRNS"] = pngSpec{ct: 0, depth: 16, trns: []byte{0x33, 0x33}}
	for _, d := range []int{8, 16} {
		specs[fmt.Sprintf("rgb%d", d)] = pngSpec{ct: 2, depth: d}
		specs[fmt.Sprintf("gray+alpha%d", d)] = pngSpec{ct: 4, depth: d}
		specs[fmt.Sprintf("rgba%d", d)] = pngSpec{ct: 6, depth: d}
	}
	// Sample (0,0) is (0, v(5), v(10)); make it the transparent colour.
	specs["rgb8 tRNS"] = pngSpec{ct: 2, depth: 8, trns: []byte{0, 0, 0, 127, 0, 255}}
	specs["rgb16 tRNS"] = pngSpec{ct: 2, depth: 16, trns: []byte{0, 0, 0x7f, 0xff, 0xff, 0xff}}
	for _, d := range []int{1, 2, 4, 8} {
		plte, trns := testPalette(d)
		specs[fmt.Sprintf("palette%d", d)] = pngSpec{ct: 3, depth: d, plte: plte}
		specs[fmt.Sprintf("palette%d tRNS", d)] = pngSpec{ct: 3, depth: d, plte: plte, trns: trns}
	}
	for name, s := range specs {
		if strings.HasSuffix(name, "1") || strings.HasSuffix(name, "16") || strings.HasSuffix(name, "tRNS") || name == "rgba8" {
			s.interlace = true
			specs[name+" interlaced"] = s
		}
	}
	return specs
}

// naive is the path Decode replaces: the format's decoder, then draw.Draw
// into a new RGBA. Decode must give exactly its bytes.
func naive(t testing.TB, data []byte) *image.RGBA {
	t.Helper()
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image.Decode: %v", err)
	}
	dst := image.NewRGBA(src.Bounds())
	draw.Draw(dst, dst.Rect, src, src.Bounds().Min, draw.Src)
	return dst
}

func mustDecode(t *testing.T, data []byte) *image.RGBA {
	t.Helper()
	img, err := Decode(data, DefaultLimits)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if img.Rect.Min != (image.Point{}) || img.Stride != 4*img.Rect.Dx() || len(img.Pix) != 4*img.Rect.Dx()*img.Rect.Dy() {
		t.Fatalf("Decode gave Rect %v, Stride %d, %d bytes: not a packed RGBA at (0,0)", img.Rect, img.Stride, len(img.Pix))
	}
	return img
}

// diff returns the first pixel where a and b differ by more than tol in any
// channel, as a message, or "".
func diff(a, b *image.RGBA, tol int) string {
	if a.Rect != b.Rect {
		return fmt.Sprintf("bounds %v, want %v", a.Rect, b.Rect)
	}
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			ca, cb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			for _, d := range []int{int(ca.R) - int(cb.R), int(ca.G) - int(cb.G), int(ca.B) - int(cb.B), int(ca.A) - int(cb.A)} {
				if d > tol || -d > tol {
					return fmt.Sprintf("pixel (%d,%d) = %v, want %v", x, y, ca, cb)
				}
			}
		}
	}
	return ""
}

func TestDecodePNG(t *testing.T) {
	specs := pngSpecs()
	sizes := []image.Point{{13, 9}, {1, 1}, {3, 2}, {1, 17}}
	for name, s := range specs {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size.X, size.Y), func(t *testing.T) {
				data := s.encode(size.X, size.Y)
				got := mustDecode(t, data)
				want := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
				for y := 0; y < size.Y; y++ {
					for x := 0; x < size.X; x++ {
						want.SetRGBA(x, y, s.want(x, y))
					}
				}
				if d := diff(got, want, 0); d != "" {
					t.Errorf("against the PNG spec: %s", d)
				}
				if d := diff(got, naive(t, data), 0); d != "" {
					t.Errorf("against png.Decode+draw.Draw: %s", d)
				}
			})
		}
	}
}

// TestDecodePNGTypes checks that the table above reaches every fast path.
func TestDecodePNGTypes(t *testing.T) {
	specs := pngSpecs()
	tests := []struct {
		spec string
		want string
	}{
		{"gray8", "*image.Gray"},
		{"gray16", "*image.Gray16"},
		{"gray8 tRNS", "*image.NRGBA"},
		{"gray+alpha8", "*image.NRGBA"},
		{"gray+alpha16", "*image.NRGBA64"},
		{"rgb8", "*image.RGBA"},
		{"rgb16", "*image.RGBA64"},
		{"rgba8", "*image.NRGBA"},
		{"rgba16", "*image.NRGBA64"},
		{"palette4 tRNS", "*image.Paletted"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			img, err := png.Decode(bytes.NewReader(specs[tt.spec].encode(5, 5)))
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%T", img); got != tt.want {
				t.Errorf("png decodes %s to %s, want %s", tt.spec, got, tt.want)
			}
		})
	}
}

// pattern is a smooth NRGBA test picture with every kind of alpha.
func pattern(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if alpha {
				a = uint8(x * 255 / max(w-1, 1))
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / max(w-1, 1)), uint8(y * 255 / max(h-1, 1)), 160, a})
		}
	}
	return img
}

// premultiplied converts any image to RGBA through Go's colour model, the
// definition of the colours Decode must give.
func premultiplied(src image.Image) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			dst.SetRGBA(x, y, color.RGBAModel.Convert(src.At(b.Min.X+x, b.Min.Y+y)).(color.RGBA))
		}
	}
	return dst
}

func gray(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	return img
}

// to converts src to another image type with draw.Draw.
func to[T draw.Image](src image.Image, newImage func(image.Rectangle) T) T {
	dst := newImage(src.Bounds())
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
	return dst
}

func newNRGBA64(r image.Rectangle) *image.NRGBA64 { return image.NewNRGBA64(r) }
func newRGBA64(r image.Rectangle) *image.RGBA64   { return image.NewRGBA64(r) }
func newGray16(r image.Rectangle) *image.Gray16   { return image.NewGray16(r) }
func newRGBA(r image.Rectangle) *image.RGBA       { return image.NewRGBA(r) }

// Palettes for paletted: every format stores opaque colours, GIF also one
// fully transparent one, and only PNG (tested on its own) any alpha.
var (
	opaquePalette = color.Palette{color.RGBA{0, 0, 0, 255}, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{10, 20, 30, 255}}
	gifPalette    = color.Palette{color.RGBA{}, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{10, 20, 30, 255}}
	alphaPalette  = color.Palette{color.RGBA{}, color.RGBA{255, 0, 0, 255}, color.NRGBA{0, 255, 0, 128}, color.RGBA{10, 20, 30, 255}}
)

func paletted(w, h int, pal color.Palette) *image.Paletted {
	img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for i := range img.Pix {
		img.Pix[i] = uint8(i % len(pal))
	}
	return img
}

func encodeWith(t testing.TB, enc func(io.Writer, image.Image) error, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := enc(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDecodeFormats(t *testing.T) {
	const w, h = 16, 8
	tiffDeflate := func(w io.Writer, m image.Image) error {
		return tiff.Encode(w, m, &tiff.Options{Compression: tiff.Deflate, Predictor: true})
	}
	tiffPlain := func(w io.Writer, m image.Image) error { return tiff.Encode(w, m, nil) }
	jpeg100 := func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 100}) }
	gifEnc := func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }
	testdata := func(name string) func(io.Writer, image.Image) error {
		return func(w io.Writer, _ image.Image) error {
			_, err := w.Write(readTestdata(t, name))
			return err
		}
	}

	tests := []struct {
		name  string
		src   image.Image // what is encoded
		enc   func(io.Writer, image.Image) error
		want  image.Image // the picture expected back, in any colour model; nil: src
		tol   int         // allowed error against want (lossy formats)
		naive int         // allowed error against the decoder + draw.Draw
	}{
		// JPEG subsamples chroma, and the pattern changes fast.
		{"jpeg/color", pattern(w, h, false), jpeg100, nil, 24, 0},
		{"jpeg/gray", gray(w, h), jpeg100, nil, 3, 0},
		{"gif", paletted(w, h, gifPalette), gifEnc, nil, 0, 0},
		{"bmp/rgb", pattern(w, h, false), bmp.Encode, nil, 0, 0},
		// x/image/bmp writes alpha in a header its reader (rightly, for
		// BITMAPINFOHEADER) treats as opaque.
		{"bmp/rgba", pattern(w, h, true), bmp.Encode, pattern(w, h, false), 0, 0},
		{"bmp/gray", gray(w, h), bmp.Encode, nil, 0, 0},
		{"bmp/paletted", paletted(w, h, opaquePalette), bmp.Encode, nil, 0, 0},
		{"tiff/nrgba", pattern(w, h, true), tiffDeflate, nil, 0, 0},
		{"tiff/rgba", to(pattern(w, h, true), newRGBA), tiffPlain, nil, 0, 0},
		{"tiff/gray", gray(w, h), tiffPlain, nil, 0, 0},
		{"tiff/gray16", gray16(w, h), tiffDeflate, nil, 0, 0},
		{"tiff/nrgba64", nrgba64(w, h), tiffDeflate, nil, 0, 0},
		{"tiff/rgba64", to(nrgba64(w, h), newRGBA64), tiffPlain, nil, 0, 0},
		{"tiff/paletted", paletted(w, h, opaquePalette), tiffPlain, nil, 0, 0},
		// Made by cwebp 1.2.4 from webpSource:
		//   cwebp -lossless -exact alpha.png -o lossless-alpha.webp
		//   cwebp -q 95 opaque.png -o lossy.webp
		//   cwebp -q 95 -alpha_q 100 -exact alpha.png -o lossy-alpha.webp
		{"webp/lossless", webpSource(true), testdata("lossless-alpha.webp"), nil, 0, 0},
		// Lossy WebP is 4:2:0 too; the tolerance only proves it is the
		// right picture.
		{"webp/lossy", webpSource(false), testdata("lossy.webp"), nil, 40, 0},
		// Alpha is applied to 8-bit colour rather than 16-bit: ±1.
		{"webp/lossy alpha", webpSource(true), testdata("lossy-alpha.webp"), nil, 40, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := encodeWith(t, tt.enc, tt.src)
			got := mustDecode(t, data)
			want := tt.want
			if want == nil {
				want = tt.src
			}
			if d := diff(got, premultiplied(want), tt.tol); d != "" {
				t.Errorf("against the source picture (±%d): %s", tt.tol, d)
			}
			if d := diff(got, naive(t, data), tt.naive); d != "" {
				t.Errorf("against decoder+draw.Draw (±%d): %s", tt.naive, d)
			}
		})
	}
}

func gray16(w, h int) *image.Gray16 {
	img := image.NewGray16(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 29)
	}
	return img
}

// nrgba64 has 16-bit samples whose low bytes matter.
func nrgba64(w, h int) *image.NRGBA64 {
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 53)
	}
	return img
}

// webpSource is the picture the testdata WebP files were made from.
func webpSource(alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 16, 8))
	for y := 0; y < 8; y++ {
		for x := 0; x < 16; x++ {
			a := uint8(255)
			if alpha {
				a = uint8(x * 17)
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 16), uint8(y * 32), 160, a})
		}
	}
	return img
}

// TestDecodeGIFFrameOffset: a GIF's first frame may cover part of the
// screen; Decode returns the whole screen with the frame in place.
func TestDecodeGIFFrameOffset(t *testing.T) {
	frame := paletted(4, 3, gifPalette)
	frame.Rect = image.Rect(5, 2, 9, 5)
	var buf bytes.Buffer
	err := gif.EncodeAll(&buf, &gif.GIF{
		Image:  []*image.Paletted{frame},
		Delay:  []int{0},
		Config: image.Config{Width: 12, Height: 7, ColorModel: frame.Palette},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := mustDecode(t, buf.Bytes())
	want := image.NewRGBA(image.Rect(0, 0, 12, 7))
	draw.Draw(want, frame.Rect, premultiplied(frame), image.Point{}, draw.Src)
	if d := diff(got, want, 0); d != "" {
		t.Error(d)
	}
}

// TestPremul8 checks the premultiply formula against Go's colour model for
// every colour and alpha.
func TestPremul8(t *testing.T) {
	for a := range 256 {
		for c := range 256 {
			want := color.RGBAModel.Convert(color.NRGBA{uint8(c), 0, 0, uint8(a)}).(color.RGBA).R
			if got := premul8(uint32(c), uint32(a)); got != want {
				t.Fatalf("premul8(%d, %d) = %d, want %d", c, a, got, want)
			}
		}
	}
}

// TestConvert checks each fast path of toRGBA against draw.Draw, on random
// pixels and sizes with odd widths (the NRGBA loop takes two at a time).
func TestConvert(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randomize := func(pix []byte) {
		for i := range pix {
			// Mostly edge values, where rounding goes wrong.
			switch rng.IntN(4) {
			case 0:
				pix[i] = 0
			case 1:
				pix[i] = 0xff
			default:
				pix[i] = uint8(rng.Uint32())
			}
		}
	}
	r := image.Rect(0, 0, 37, 11)
	tests := []struct {
		name string
		img  func() image.Image
	}{
		{"NRGBA", func() image.Image { m := image.NewNRGBA(r); randomize(m.Pix); return m }},
		{"RGBA", func() image.Image {
			m := image.NewRGBA(r)
			randomize(m.Pix)
			return to(premultiplied(m), newRGBA) // valid premultiplied
		}},
		{"Gray", func() image.Image { m := image.NewGray(r); randomize(m.Pix); return m }},
		{"Gray16", func() image.Image { m := image.NewGray16(r); randomize(m.Pix); return m }},
		{"NRGBA64", func() image.Image { m := image.NewNRGBA64(r); randomize(m.Pix); return m }},
		{"RGBA64", func() image.Image {
			return to(func() image.Image { m := image.NewNRGBA64(r); randomize(m.Pix); return m }(), newRGBA64)
		}},
		{"Paletted", func() image.Image { m := paletted(r.Dx(), r.Dy(), alphaPalette); randomize(m.Pix); return m }}, // indices past the palette too
		{"CMYK", func() image.Image { m := image.NewCMYK(r); randomize(m.Pix); return m }},
		{"YCbCr", func() image.Image {
			m := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
			randomize(m.Y)
			randomize(m.Cb)
			randomize(m.Cr)
			return m
		}},
		{"Alpha", func() image.Image { m := image.NewAlpha(r); randomize(m.Pix); return m }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.img()
			var want *image.RGBA
			if p, ok := src.(*image.Paletted); ok {
				want = premultiplied(withFullPalette(p))
			} else {
				want = premultiplied(src)
			}
			if d := diff(toRGBA(src, r.Dx(), r.Dy()), want, 0); d != "" {
				t.Error(d)
			}
		})
	}
	t.Run("NYCbCrA", func(t *testing.T) {
		m := image.NewNYCbCrA(r, image.YCbCrSubsampleRatio444)
		randomize(m.Y)
		randomize(m.Cb)
		randomize(m.Cr)
		randomize(m.A)
		// 8-bit colour times 8-bit alpha, not 16-bit: ±1.
		if d := diff(toRGBA(m, r.Dx(), r.Dy()), premultiplied(m), 1); d != "" {
			t.Error(d)
		}
	})
}

// withFullPalette extends p's palette to 256 entries with transparent
// black, which is what toRGBA shows for an index past the palette (the
// colour model would panic).
func withFullPalette(p *image.Paletted) *image.Paletted {
	q := *p
	q.Palette = append(color.Palette{}, p.Palette...)
	for len(q.Palette) < 256 {
		q.Palette = append(q.Palette, color.RGBA{})
	}
	return &q
}

func TestDecodeErrors(t *testing.T) {
	valid := pngSpecs()["rgba8"].encode(16, 16)
	badData := bytes.Clone(valid)
	i := bytes.Index(badData, []byte("IDAT"))
	badData[i+6] ^= 0xff // a byte of the compressed data
	badCRC := bytes.Clone(valid)
	badCRC[len(badCRC)-12-1] ^= 0xff // IDAT's CRC, just before IEND
	badHeaderCRC := bytes.Clone(valid)
	badHeaderCRC[8+8+13] ^= 0xff // IHDR's CRC

	tests := []struct {
		name   string
		data   []byte
		lim    Limits
		is     error  // errors.Is target, if any
		prefix string // what the message must start with
	}{
		{"zero bytes", nil, DefaultLimits, nil, "loader: empty file"},
		{"text named png", []byte("hello world, I am not a picture"), DefaultLimits, image.ErrFormat,
			`loader: not a supported image (starts with "hello wo")`},
		{"short garbage", []byte{0x89, 'P'}, DefaultLimits, image.ErrFormat, `loader: not a supported image (starts with "\x89P")`},
		{"truncated png", valid[:len(valid)/2], DefaultLimits, nil, "loader: decoding png: png: invalid format: not enough pixel data"},
		{"truncated png IDAT chunk", valid[:len(valid)-20], DefaultLimits, nil, "loader: decoding png: png: invalid format: unexpected EOF"},
		{"truncated png header", valid[:20], DefaultLimits, io.ErrUnexpectedEOF, "loader: reading png header: "},
		{"bad IDAT CRC", badCRC, DefaultLimits, nil, "loader: decoding png: png: invalid format: invalid checksum"},
		{"corrupt IDAT data", badData, DefaultLimits, nil, "loader: decoding png: flate: corrupt input"},
		{"bad IHDR CRC", badHeaderCRC, DefaultLimits, nil, "loader: reading png header: png: invalid format: invalid checksum"},
		{"truncated jpeg", encodeWith(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, pattern(64, 64, false))[:600],
			DefaultLimits, nil, "loader: decoding jpeg: "},
		{"huge header", hugePNG(100000, 100000), DefaultLimits, ErrTooLarge,
			"loader: image is 100000×100000, over the limit of 16384×16384: too large"},
		{"over MaxSide", valid, Limits{MaxSide: 15}, ErrTooLarge, "loader: image is 16×16, over the limit of 15×15: too large"},
		{"over MaxBytes", hugePNG(16384, 16384), Limits{MaxBytes: 512 << 20}, ErrTooLarge,
			"loader: image is 16384×16384, over the limit of 512 MiB decoded (it needs 1024 MiB): too large"},
		{"zero Limits are the defaults", hugePNG(16385, 10), Limits{}, ErrTooLarge, "loader: image is 16385×10, over the limit of 16384×16384"},
		{"0x0 gif", []byte("GIF89a\x00\x00\x00\x00\x00\x00\x00;"), DefaultLimits, nil, "loader: gif image is 0×0: no pixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Decode(tt.data, tt.lim)
			if err == nil {
				t.Fatalf("no error, image %v", img.Rect)
			}
			if img != nil {
				t.Error("an image as well as an error")
			}
			if !strings.HasPrefix(err.Error(), tt.prefix) {
				t.Errorf("error %q, want it to start with %q", err, tt.prefix)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
		})
	}
}

// hugePNG is a PNG header claiming w×h, with a little image data after it.
func hugePNG(w, h int) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	writeChunk(&out, "IHDR", append(ihdr, 8, 6, 0, 0, 0))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1000))
	zw.Close()
	writeChunk(&out, "IDAT", z.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes()
}

// TestDecodeTooLargeAllocatesNothing: the limit is checked before the
// decoder allocates the 40 GB the header asks for.
func TestDecodeTooLargeAllocatesNothing(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"png 100000x100000", hugePNG(100000, 100000)},
		{"png 20000x20000", hugePNG(20000, 20000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const runs = 10
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range runs {
				if _, err := Decode(tt.data, DefaultLimits); !errors.Is(err, ErrTooLarge) {
					t.Fatalf("err = %v, want ErrTooLarge", err)
				}
			}
			runtime.ReadMemStats(&after)
			perRun := (after.TotalAlloc - before.TotalAlloc) / runs
			t.Logf("%d bytes allocated per Decode", perRun)
			if perRun > 1<<20 {
				t.Errorf("%d bytes allocated per Decode, want < 1 MiB", perRun)
			}
		})
	}
}

// countdownCtx is a context that reports itself cancelled after its Err
// method has been called n times: a cancel in the middle of a decode,
// deterministically.
type countdownCtx struct {
	context.Context
	n atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func (c *countdownCtx) Done() <-chan struct{} { return make(chan struct{}) } // not Background: reads are checked

func TestDecodeContext(t *testing.T) {
	big := testframes.PNG(640, 360, 0) // ~170 KB: dozens of 4 KiB reads
	tests := []struct {
		name string
		ctx  func() context.Context
	}{
		{"cancelled before", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}},
		{"cancelled after the header", func() context.Context {
			c := &countdownCtx{Context: context.Background()}
			c.n.Store(2) // DecodeContext's first check, then one read
			return c
		}},
		{"cancelled half way", func() context.Context {
			c := &countdownCtx{Context: context.Background()}
			c.n.Store(20)
			return c
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx()
			img, err := DecodeContext(ctx, big, DefaultLimits)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if img != nil {
				t.Error("an image as well as an error")
			}
			if !strings.HasPrefix(err.Error(), "loader: ") {
				t.Errorf("error %q lacks the loader: prefix", err)
			}
			if c, ok := ctx.(*countdownCtx); ok {
				// Reading stopped at the cancel: the decoder gave up
				// instead of reading on. After the cancel, n counts down
				// from 0 once per check: the failed read, and the one
				// that decides the error.
				if after := -c.n.Load(); after > 2 {
					t.Errorf("ctx checked %d times after the cancel, want 2", after)
				}
			}
		})
	}
	t.Run("not cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		img, err := DecodeContext(ctx, big, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if d := diff(img, naive(t, big), 0); d != "" {
			t.Error(d)
		}
	})
}

// --- fuzzing ---

// fuzzLimits keep the fuzzer from spending its time allocating images that
// valid-looking headers ask for.
var fuzzLimits = Limits{MaxSide: 1024, MaxBytes: 4 << 20}

func FuzzDecode(f *testing.F) {
	for name, s := range pngSpecs() {
		if !strings.Contains(name, "interlaced") || strings.HasPrefix(name, "rgba") {
			f.Add(s.encode(5, 3))
		}
	}
	small := pattern(6, 4, true)
	f.Add(encodeWith(f, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, small))
	f.Add(encodeWith(f, func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }, paletted(6, 4, gifPalette)))
	f.Add(encodeWith(f, bmp.Encode, small))
	f.Add(encodeWith(f, bmp.Encode, paletted(6, 4, gifPalette)))
	f.Add(encodeWith(f, func(w io.Writer, m image.Image) error {
		return tiff.Encode(w, m, &tiff.Options{Compression: tiff.Deflate, Predictor: true})
	}, small))
	f.Add(encodeWith(f, func(w io.Writer, m image.Image) error { return tiff.Encode(w, m, nil) }, paletted(6, 4, gifPalette)))
	for _, name := range []string{"lossless-alpha.webp", "lossy.webp", "lossy-alpha.webp"} {
		f.Add(readTestdata(f, name))
	}
	f.Add(hugePNG(2000, 10))

	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(data, fuzzLimits)
		if err != nil {
			if img != nil {
				t.Error("an image as well as an error")
			}
			if !strings.HasPrefix(err.Error(), "loader: ") {
				t.Errorf("error %q lacks the loader: prefix", err)
			}
			return
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Decode succeeded but DecodeConfig fails: %v", err)
		}
		if img == nil {
			t.Fatal("nil image and nil error")
		}
		if want := image.Rect(0, 0, cfg.Width, cfg.Height); img.Rect != want {
			t.Errorf("bounds %v, DecodeConfig says %v", img.Rect, want)
		}
		if img.Stride != 4*img.Rect.Dx() || len(img.Pix) != img.Stride*img.Rect.Dy() {
			t.Errorf("Stride %d and %d bytes for %v", img.Stride, len(img.Pix), img.Rect)
		}
	})
}

// --- benchmarks ---

// frame4K is a 3840×2160 RGBA PNG, made once: generating it takes ~0.4 s.
var frame4K = sync.OnceValue(func() []byte { return testframes.PNG(3840, 2160, 1) })

// BenchmarkDecode4KPNG compares Decode with the naive path it replaces on
// a rendered-looking 4K RGBA frame (decodes to NRGBA, ~6 MB file).
func BenchmarkDecode4KPNG(b *testing.B) {
	data := frame4K()
	b.Run("naive", func(b *testing.B) { // png.Decode, then draw.Draw into a new RGBA
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			src, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			dst := image.NewRGBA(src.Bounds())
			draw.Draw(dst, dst.Rect, src, image.Point{}, draw.Src)
		}
	})
	b.Run("Decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(data, DefaultLimits); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkConvert4K measures toRGBA's fast paths against draw.Draw, the
// generic conversion, for each decoder output type at 3840×2160.
func BenchmarkConvert4K(b *testing.B) {
	r := image.Rect(0, 0, 3840, 2160)
	nrgba := image.NewNRGBA(r)
	copy(nrgba.Pix, pattern(3840, 2160, true).Pix)
	opaque := to(pattern(3840, 2160, false), image.NewNRGBA)
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	nycca := image.NewNYCbCrA(r, image.YCbCrSubsampleRatio420)
	sources := []struct {
		name string
		img  image.Image
	}{
		{"NRGBA", nrgba},
		{"NRGBA opaque", opaque},
		{"NRGBA64", to(nrgba, newNRGBA64)},
		{"RGBA64", to(nrgba, newRGBA64)},
		{"Gray", to(nrgba, image.NewGray)},
		{"Gray16", to(nrgba, newGray16)},
		{"Paletted", to(nrgba, func(r image.Rectangle) *image.Paletted { return image.NewPaletted(r, alphaPalette) })},
		{"YCbCr", ycc},
		{"NYCbCrA", nycca},
	}
	for _, s := range sources {
		b.Run(s.name+"/draw", func(b *testing.B) {
			for b.Loop() {
				dst := image.NewRGBA(r)
				draw.Draw(dst, r, s.img, image.Point{}, draw.Src)
			}
		})
		b.Run(s.name+"/toRGBA", func(b *testing.B) {
			// toRGBA premultiplies NRGBA in place: convert a fresh copy
			// each time, and time the copy on its own to subtract.
			nr, inPlace := s.img.(*image.NRGBA)
			for b.Loop() {
				if inPlace {
					b.StopTimer()
					c := *nr
					c.Pix = bytes.Clone(nr.Pix)
					b.StartTimer()
					toRGBA(&c, 3840, 2160)
				} else {
					toRGBA(s.img, 3840, 2160)
				}
			}
		})
	}
}
