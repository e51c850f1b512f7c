package decode

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	// filters: row y of each pass is filtered with filter type y%5 (None,
	// Sub, Up, Average, Paeth); otherwise every row with None.
	filters bool
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
	bpp := max(1, s.channels()*s.depth/8)
	for _, p := range passes {
		var prev []byte
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
			row := bw.bytes()
			if prev == nil {
				prev = make([]byte, len(row))
			}
			ft := byte(0)
			if s.filters {
				ft = byte((y / p[3]) % 5)
			}
			raw.WriteByte(ft)
			raw.Write(filterRow(ft, row, prev, bpp))
			prev = row
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

// filterRow returns row filtered with filter type ft, by the PNG spec's
// definitions (prev is the unfiltered row above, zeros for the first).
func filterRow(ft byte, row, prev []byte, bpp int) []byte {
	out := make([]byte, len(row))
	for i := range row {
		var a, c int
		if i >= bpp {
			a, c = int(row[i-bpp]), int(prev[i-bpp])
		}
		b := int(prev[i])
		var pred int
		switch ft {
		case 1:
			pred = a
		case 2:
			pred = b
		case 3:
			pred = (a + b) / 2
		case 4:
			p := a + b - c
			pa, pb, pc := absInt(p-a), absInt(p-b), absInt(p-c)
			switch {
			case pa <= pb && pa <= pc:
				pred = a
			case pb <= pc:
				pred = b
			default:
				pred = c
			}
		}
		out[i] = row[i] - byte(pred)
	}
	return out
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
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
	opaqueColors = color.Palette{color.RGBA{0, 0, 0, 255}, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{10, 20, 30, 255}}
	gifPalette   = color.Palette{color.RGBA{}, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{10, 20, 30, 255}}
	alphaPalette = color.Palette{color.RGBA{}, color.RGBA{255, 0, 0, 255}, color.NRGBA{0, 255, 0, 128}, color.RGBA{10, 20, 30, 255}}
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

// hugePNG is a PNG header claiming w×h, with a little image data after it.
func hugePNG(w, h int) []byte {
	var z bytes.Buffer
	zw := zlibWriter(&z)
	zw.Write(make([]byte, 1000))
	zw.Close()
	return pngOf(w, h, ctRGBA, 8, z.Bytes())
}

// pngOf is a PNG of w×h pixels of colour type ct and bit depth, with the
// given zlib stream as its image data in one IDAT chunk.
func pngOf(w, h, ct, depth int, zdata []byte) []byte {
	var out bytes.Buffer
	out.Write(pngSignature)
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	writeChunk(&out, "IHDR", append(ihdr, byte(depth), byte(ct), 0, 0, 0))
	writeChunk(&out, "IDAT", zdata)
	writeChunk(&out, "IEND", nil)
	return out.Bytes()
}

func zlibWriter(w io.Writer) *zlib.Writer { return zlib.NewWriter(w) }

// rowModes lists every way a pngRows makes rows in this build: inflating
// in C (where built in) and in Go, on the caller's goroutine and ahead.
func rowModes() []rowMode {
	var ms []rowMode
	for _, pureGo := range []bool{false, true} {
		if !pureGo || haveCInflater {
			ms = append(ms, rowMode{pureGo: pureGo}, rowMode{pureGo: pureGo, ahead: true})
		}
	}
	return ms
}

func (m rowMode) String() string {
	s := "C"
	if m.pureGo || !haveCInflater {
		s = "pure Go"
	}
	if m.ahead {
		s += ", inflating ahead"
	}
	return s
}
