package decode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// naive is the path Full replaces: the format's decoder, then draw.Draw
// into a new RGBA. Full must give exactly its bytes.
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

// packed reports how img is not a packed RGBA at (0,0), or "".
func packed(img *image.RGBA) string {
	if img.Rect.Min != (image.Point{}) || img.Stride != 4*img.Rect.Dx() || len(img.Pix) != 4*img.Rect.Dx()*img.Rect.Dy() {
		return fmt.Sprintf("Rect %v, Stride %d, %d bytes: not a packed RGBA at (0,0)", img.Rect, img.Stride, len(img.Pix))
	}
	return ""
}

func mustFull(t *testing.T, data []byte) *Image {
	t.Helper()
	im, err := Full(context.Background(), data, DefaultLimits)
	if err != nil {
		t.Fatalf("Full: %v", err)
	}
	if p := packed(im.RGBA); p != "" {
		t.Fatalf("Full gave %s", p)
	}
	return im
}

// rgbaOf is toRGBA's image, checked to be the same whether it keeps the
// straight image or not (which may premultiply src in place).
func rgbaOf(t *testing.T, src image.Image, w, h int) *image.RGBA {
	t.Helper()
	kept, _ := toRGBA(src, w, h, true)
	kept = to(kept, newRGBA) // a copy: the next call may change src
	plain, _ := toRGBA(src, w, h, false)
	if d := diff(plain, kept, 0); d != "" {
		t.Errorf("toRGBA without keep differs from with keep: %s", d)
	}
	return kept
}

func TestFullPNG(t *testing.T) {
	sizes := []image.Point{{13, 9}, {1, 1}, {3, 2}, {1, 17}}
	for name, s := range pngSpecs() {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size.X, size.Y), func(t *testing.T) {
				data := s.encode(size.X, size.Y)
				im := mustFull(t, data)
				want := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
				for y := 0; y < size.Y; y++ {
					for x := 0; x < size.X; x++ {
						want.SetRGBA(x, y, s.want(x, y))
					}
				}
				if d := diff(im.RGBA, want, 0); d != "" {
					t.Errorf("against the PNG spec: %s", d)
				}
				if d := diff(im.RGBA, naive(t, data), 0); d != "" {
					t.Errorf("against png.Decode+draw.Draw: %s", d)
				}
				for y := 0; y < size.Y; y++ {
					for x := 0; x < size.X; x++ {
						if got, want := im.Pixel(x, y), s.pixel(x, y); got != want {
							t.Fatalf("Pixel(%d, %d) = %+v, want %+v", x, y, got, want)
						}
					}
				}
			})
		}
	}
}

// pixel is what Image.Pixel must give for pixel (x,y): the file's samples,
// palette and tRNS expanded, low depths scaled to 8 bits.
func (s pngSpec) pixel(x, y int) Pixel {
	info := pngHeader{ct: s.ct, depth: s.depth, trns: s.trns != nil}.info()
	p := Pixel{Channels: info.Channels, Depth: 8}
	if s.depth == 16 {
		p.Depth = 16
	}
	scale := func(v uint16) uint16 {
		if s.depth < 8 {
			return v * (255 / (1<<s.depth - 1))
		}
		return v
	}
	if s.ct == ctPalette {
		i := s.sample(x, y, 0)
		c := s.plte[i]
		p.Values = [4]uint16{uint16(c.R), uint16(c.G), uint16(c.B)}
		if s.trns != nil {
			p.Values[3] = 0xff
			if int(i) < len(s.trns) {
				p.Values[3] = uint16(s.trns[i])
			}
		}
		return p
	}
	n := s.channels()
	for c := range n {
		p.Values[c] = scale(s.sample(x, y, c))
	}
	if s.trns != nil && (s.ct == ctGray || s.ct == ctRGB) {
		opaque := uint16(0xff)
		if s.depth == 16 {
			opaque = 0xffff
		}
		p.Values[n] = opaque
		match := true
		for c := range n {
			match = match && s.sample(x, y, c) == uint16(s.trns[2*c])<<8|uint16(s.trns[2*c+1])
		}
		if match {
			p.Values[n] = 0
		}
	}
	return p
}

// TestFullPNGTypes checks that the table above reaches every fast path.
func TestFullPNGTypes(t *testing.T) {
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

func TestFullFormats(t *testing.T) {
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
		{"bmp/paletted", paletted(w, h, opaqueColors), bmp.Encode, nil, 0, 0},
		{"tiff/nrgba", pattern(w, h, true), tiffDeflate, nil, 0, 0},
		{"tiff/rgba", to(pattern(w, h, true), newRGBA), tiffPlain, nil, 0, 0},
		{"tiff/gray", gray(w, h), tiffPlain, nil, 0, 0},
		{"tiff/gray16", gray16(w, h), tiffDeflate, nil, 0, 0},
		{"tiff/nrgba64", nrgba64(w, h), tiffDeflate, nil, 0, 0},
		{"tiff/rgba64", to(nrgba64(w, h), newRGBA64), tiffPlain, nil, 0, 0},
		{"tiff/paletted", paletted(w, h, opaqueColors), tiffPlain, nil, 0, 0},
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
			got := mustFull(t, data).RGBA
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

// TestFullGIFFrameOffset: a GIF's first frame may cover part of the
// screen; Full returns the whole screen with the frame in place.
func TestFullGIFFrameOffset(t *testing.T) {
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
	got := mustFull(t, buf.Bytes()).RGBA
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
			if d := diff(rgbaOf(t, src, r.Dx(), r.Dy()), want, 0); d != "" {
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
		if d := diff(rgbaOf(t, m, r.Dx(), r.Dy()), premultiplied(m), 1); d != "" {
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
					toRGBA(&c, 3840, 2160, false)
				} else {
					toRGBA(s.img, 3840, 2160, false)
				}
			}
		})
	}
}

// panicReader panics on the first read, as a decoder bug on corrupt data
// would.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("decoder bug") }

// TestDecoderPanic: a decoder's panic becomes a KindCorrupt error.
func TestDecoderPanic(t *testing.T) {
	img, err := decodeImage(io.MultiReader(bytes.NewReader([]byte("\x89PNG\r\n\x1a\n")), panicReader{}))
	if img != nil {
		t.Error("an image as well as an error")
	}
	e, ok := errors.AsType[*Error](err)
	if !ok || e.Kind != KindCorrupt || !strings.Contains(e.Detail, "decoder bug") {
		t.Errorf("err = %v, want a KindCorrupt *Error that quotes the panic", err)
	}
}
