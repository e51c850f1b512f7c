package look

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestLookNames(t *testing.T) {
	tests := []struct {
		l       Look
		neutral bool
		str     string
		key     string
	}{
		{Look{}, true, "", ""},
		{Look{Gamma: 1}, true, "", ""},
		{Look{Exposure: math.Copysign(0, -1), Gamma: -2}, true, "", ""},
		{Look{Exposure: math.NaN(), Gamma: math.Inf(1)}, true, "", ""},
		{Look{Channel: 99}, true, "", ""},
		{Look{Channel: Red}, false, "R", "R"},
		{Look{Channel: Alpha}, false, "alpha", "A"},
		{Look{Channel: Luma}, false, "luminance", "L"},
		{Look{Exposure: 1.5}, false, "exposure +1.5", "Ce1.5"},
		{Look{Exposure: -0.5}, false, "exposure -0.5", "Ce-0.5"},
		{Look{Gamma: 2.2}, false, "gamma 2.2", "Cg2.2"},
		{Look{Channel: Green, Exposure: 1.0 / 3, Gamma: 1 / 2.2}, false,
			"G, exposure +0.333, gamma 0.455", "Ge0.3333333333333333g0.45454545454545453"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.l), func(t *testing.T) {
			if got := tt.l.IsNeutral(); got != tt.neutral {
				t.Errorf("IsNeutral = %v, want %v", got, tt.neutral)
			}
			if got := tt.l.String(); got != tt.str {
				t.Errorf("String = %q, want %q", got, tt.str)
			}
			if got := tt.l.Key(); got != tt.key {
				t.Errorf("Key = %q, want %q", got, tt.key)
			}
		})
	}
	// Looks that differ at all in what they show must key apart.
	if a, b := (Look{Exposure: 0.5}).Key(), (Look{Exposure: 0.5000000001}).Key(); a == b {
		t.Errorf("two exposures share key %q", a)
	}
}

// px is a one-pixel premultiplied image.
func px(r, g, b, a uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	copy(img.Pix, []byte{r, g, b, a})
	return img
}

// TestKnownValues checks single pixels against values worked out by hand
// from the definitions in the package comment.
func TestKnownValues(t *testing.T) {
	tests := []struct {
		name string
		in   [4]uint8
		l    Look
		want [4]uint8
	}{
		{"neutral", [4]uint8{10, 128, 250, 255}, Look{}, [4]uint8{10, 128, 250, 255}},
		{"exposure +1", [4]uint8{128, 64, 0, 255}, Look{Exposure: 1}, [4]uint8{176, 90, 0, 255}},
		{"exposure -1", [4]uint8{255, 128, 64, 255}, Look{Exposure: -1}, [4]uint8{188, 92, 44, 255}},
		{"exposure +1 clips", [4]uint8{255, 250, 200, 255}, Look{Exposure: 1}, [4]uint8{255, 255, 255, 255}},
		{"gamma 2.2", [4]uint8{128, 0, 255, 255}, Look{Gamma: 2.2}, [4]uint8{186, 0, 255, 255}},
		// Straight red 128 at half alpha: exposed to 176, premultiplied again.
		{"exposure +1 half alpha", [4]uint8{64, 0, 0, 128}, Look{Exposure: 1}, [4]uint8{88, 0, 0, 128}},
		{"exposure keeps transparent", [4]uint8{0, 0, 0, 0}, Look{Exposure: 3, Gamma: 2}, [4]uint8{0, 0, 0, 0}},
		{"red", [4]uint8{200, 100, 50, 255}, Look{Channel: Red}, [4]uint8{200, 200, 200, 255}},
		{"green", [4]uint8{200, 100, 50, 255}, Look{Channel: Green}, [4]uint8{100, 100, 100, 255}},
		{"blue", [4]uint8{200, 100, 50, 255}, Look{Channel: Blue}, [4]uint8{50, 50, 50, 255}},
		{"red half alpha", [4]uint8{100, 50, 25, 128}, Look{Channel: Red}, [4]uint8{100, 100, 100, 128}},
		{"red exposure +1", [4]uint8{128, 0, 0, 255}, Look{Channel: Red, Exposure: 1}, [4]uint8{176, 176, 176, 255}},
		{"alpha", [4]uint8{64, 0, 0, 128}, Look{Channel: Alpha}, [4]uint8{128, 128, 128, 255}},
		{"alpha of transparent", [4]uint8{0, 0, 0, 0}, Look{Channel: Alpha}, [4]uint8{0, 0, 0, 255}},
		{"alpha exposure -1", [4]uint8{255, 255, 255, 255}, Look{Channel: Alpha, Exposure: -1}, [4]uint8{188, 188, 188, 255}},
		{"luma red", [4]uint8{255, 0, 0, 255}, Look{Channel: Luma}, [4]uint8{127, 127, 127, 255}},
		{"luma green", [4]uint8{0, 255, 0, 255}, Look{Channel: Luma}, [4]uint8{220, 220, 220, 255}},
		{"luma blue", [4]uint8{0, 0, 255, 255}, Look{Channel: Luma}, [4]uint8{76, 76, 76, 255}},
		{"luma grey", [4]uint8{128, 128, 128, 255}, Look{Channel: Luma}, [4]uint8{128, 128, 128, 255}},
		{"luma mixed", [4]uint8{200, 100, 50, 255}, Look{Channel: Luma}, [4]uint8{128, 128, 128, 255}},
		{"luma exposure -1", [4]uint8{255, 255, 255, 255}, Look{Channel: Luma, Exposure: -1}, [4]uint8{188, 188, 188, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := px(tt.in[0], tt.in[1], tt.in[2], tt.in[3])
			dst := image.NewRGBA(src.Rect)
			Apply(dst, src, tt.l)
			if got := [4]uint8(dst.Pix); got != tt.want {
				t.Errorf("Apply(%v, %+v) = %v, want %v", tt.in, tt.l, got, tt.want)
			}
		})
	}
}

// refCurve is the package comment's definition, written out again
// independently of the tables.
func refCurve(l Look) func(lin float64) float64 {
	l = l.norm()
	return func(lin float64) float64 {
		v := lin * math.Pow(2, l.Exposure)
		if !(v > 0) {
			return 0
		}
		v = min(v, 1)
		if v <= 0.0031308 {
			v *= 12.92
		} else {
			v = 1.055*math.Pow(v, 1/2.4) - 0.055
		}
		return math.Pow(v, 1/l.Gamma)
	}
}

func refDecode(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func round8(v float64) uint8 { return uint8(math.Round(v * 255)) }

// refPixel is one premultiplied 8-bit pixel as l shows it, in floating
// point: un-premultiplied to 8 bits, through the curve, premultiplied.
func refPixel(p [4]uint8, l Look) [4]uint8 {
	f := refCurve(l)
	a := p[3]
	if l.norm().Channel == Alpha {
		g := round8(f(refDecode(float64(a) / 255)))
		return [4]uint8{g, g, g, 255}
	}
	if a == 0 {
		return [4]uint8{}
	}
	var lin [3]float64
	var o [3]uint8
	for i := range 3 {
		u := min(255, math.Round(float64(p[i])*255/float64(a)))
		lin[i] = refDecode(u / 255)
		o[i] = round8(f(lin[i]))
	}
	switch l.norm().Channel {
	case Red, Green, Blue:
		c := o[l.Channel-Red]
		o = [3]uint8{c, c, c}
	case Luma:
		c := round8(f(0.2126*lin[0] + 0.7152*lin[1] + 0.0722*lin[2]))
		o = [3]uint8{c, c, c}
	}
	for i := range o {
		o[i] = uint8(math.Round(float64(o[i]) * float64(a) / 255))
	}
	return [4]uint8{o[0], o[1], o[2], a}
}

// everyPixel holds every premultiplied (value, alpha) pair in red, with
// green and blue varying so that luminance mixes all three.
func everyPixel() *image.RGBA {
	var pix []byte
	for a := range 256 {
		for c := 0; c <= a; c++ {
			pix = append(pix, uint8(c), uint8((c*7+a)%(a+1)), uint8((c*13)%(a+1)), uint8(a))
		}
	}
	n := len(pix) / 4
	img := image.NewRGBA(image.Rect(0, 0, n, 1))
	copy(img.Pix, pix)
	return img
}

var someLooks = []Look{
	{Exposure: 1}, {Exposure: -1}, {Exposure: 3.5}, {Exposure: -6}, {Gamma: 2.2}, {Gamma: 1 / 2.2},
	{Exposure: 0.5, Gamma: 1.8},
	{Channel: Red}, {Channel: Green, Exposure: 1}, {Channel: Blue, Gamma: 2.2},
	{Channel: Alpha}, {Channel: Alpha, Exposure: 4}, {Channel: Alpha, Gamma: 0.5},
	{Channel: Luma}, {Channel: Luma, Exposure: 1}, {Channel: Luma, Exposure: -2, Gamma: 2.2},
	{Exposure: 1e6}, {Exposure: -1e6}, {Gamma: 1e-9}, {Gamma: 1e9},
}

// TestApplyMatchesReference compares every valid premultiplied pixel with
// the floating-point definition: exact but for luminance, whose 16-bit
// fixed point may round one step the other way at a boundary.
func TestApplyMatchesReference(t *testing.T) {
	src := everyPixel()
	for _, l := range someLooks {
		t.Run(fmt.Sprintf("%+v", l), func(t *testing.T) {
			dst := image.NewRGBA(src.Rect)
			Apply(dst, src, l)
			tol, off := 0, 0
			if l.Channel == Luma {
				tol = 1
			}
			for i := 0; i < len(src.Pix); i += 4 {
				p := [4]uint8(src.Pix[i:])
				got, want := [4]uint8(dst.Pix[i:]), refPixel(p, l)
				if got == want {
					continue
				}
				off++
				for k := range got {
					if d := int(got[k]) - int(want[k]); d > tol || d < -tol {
						t.Fatalf("pixel %v: got %v, want %v", p, got, want)
					}
				}
			}
			if l.Channel == Luma {
				t.Logf("off %d of %d", off, len(src.Pix)/4)
			}
			if off > len(src.Pix)/4/100 {
				t.Errorf("%d of %d pixels one step off", off, len(src.Pix)/4)
			}
		})
	}
}

// TestSteps checks the 65536-entry tables, built from the curve's steps,
// against the curve evaluated at every entry.
func TestSteps(t *testing.T) {
	for _, l := range someLooks {
		t.Run(fmt.Sprintf("%+v", l), func(t *testing.T) {
			c := newCurve(l)
			lut, luma := c.lut16(), c.lumaLUT()
			for i := range lut {
				if want := to8(c.display(float64(i) / 65535)); lut[i] != want {
					t.Fatalf("lut16[%d] = %d, want %d", i, lut[i], want)
				}
			}
			for i := range luma {
				if want := to8(c.fromLinear(lumaValue(i))); luma[i] != want {
					t.Fatalf("lumaLUT[%d] = %d, want %d", i, luma[i], want)
				}
			}
		})
	}
}

func TestApplyInPlace(t *testing.T) {
	for _, l := range append(someLooks, Look{}) {
		t.Run(fmt.Sprintf("%+v", l), func(t *testing.T) {
			src := everyPixel()
			want := image.NewRGBA(src.Rect)
			Apply(want, src, l)
			Apply(src, src, l)
			if !bytes.Equal(src.Pix, want.Pix) {
				t.Error("in place differs from a copy")
			}
		})
	}
}

func TestApplySizes(t *testing.T) {
	src := synthetic(8, 4)
	tests := []struct {
		name string
		dst  image.Rectangle
	}{
		{"larger", image.Rect(0, 0, 10, 6)},
		{"smaller", image.Rect(0, 0, 5, 3)},
		{"offset", image.Rect(3, 7, 11, 11)},
		{"empty", image.Rectangle{}},
	}
	for _, tt := range tests {
		for _, l := range []Look{{}, {Exposure: 1}} {
			t.Run(tt.name+l.Key(), func(t *testing.T) {
				dst := image.NewRGBA(tt.dst)
				for i := range dst.Pix {
					dst.Pix[i] = 7
				}
				Apply(dst, src, l)
				want := image.NewRGBA(src.Rect)
				Apply(want, src, l)
				for y := range tt.dst.Dy() {
					for x := range tt.dst.Dx() {
						got := dst.RGBAAt(tt.dst.Min.X+x, tt.dst.Min.Y+y)
						exp := color.RGBA{7, 7, 7, 7}
						if x < src.Rect.Dx() && y < src.Rect.Dy() {
							exp = want.RGBAAt(x, y)
						}
						if got != exp {
							t.Fatalf("(%d,%d) = %v, want %v", x, y, got, exp)
						}
					}
				}
			})
		}
	}
}

// synthetic is a test frame: red across, green down, blue in a checker;
// the top half opaque, the bottom half's alpha ramping across.
func synthetic(w, h int) *image.RGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if y >= h/2 {
				a = uint8(x * 255 / max(1, w-1))
			}
			b := uint8(40)
			if (x/4+y/4)%2 == 0 {
				b = 220
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / max(1, w-1)), uint8(y * 255 / max(1, h-1)), b, a})
		}
	}
	dst := image.NewRGBA(img.Rect)
	draw.Draw(dst, dst.Rect, img, image.Point{}, draw.Src)
	return dst
}

// golden compares img's bytes with testdata/name.png, or writes it with
// -update. The file holds the premultiplied bytes as they are, in an NRGBA
// PNG (so it reads back byte for byte; a viewer shows partly transparent
// pixels darker than they are).
func golden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	file := filepath.Join("testdata", name+".png")
	raw := &image.NRGBA{Pix: img.Pix, Stride: img.Stride, Rect: img.Rect}
	if *update {
		var buf bytes.Buffer
		if err := png.Encode(&buf, raw); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	defer f.Close()
	g, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// An opaque image is written as RGB and read back as RGBA: the same
	// bytes.
	var want *image.NRGBA
	switch g := g.(type) {
	case *image.NRGBA:
		want = g
	case *image.RGBA:
		want = &image.NRGBA{Pix: g.Pix, Stride: g.Stride, Rect: g.Rect}
	default:
		t.Fatalf("%s: %T", file, g)
	}
	if want.Rect != img.Rect {
		t.Fatalf("%s: %v, want %v", file, want.Rect, img.Rect)
	}
	for y := range img.Rect.Dy() {
		a, b := img.Pix[y*img.Stride:][:4*img.Rect.Dx()], want.Pix[y*want.Stride:][:4*img.Rect.Dx()]
		for i := 0; i < len(a); i += 4 {
			if !bytes.Equal(a[i:i+4], b[i:i+4]) {
				t.Fatalf("%s: pixel (%d,%d) = %v, want %v", name, i/4, y, a[i:i+4], b[i:i+4])
			}
		}
	}
}

func TestGoldens(t *testing.T) {
	src := synthetic(64, 32)
	tests := []struct {
		name string
		l    Look
	}{
		{"colour", Look{}},
		{"exposure+1", Look{Exposure: 1}},
		{"exposure-1", Look{Exposure: -1}},
		{"gamma2.2", Look{Gamma: 2.2}},
		{"red", Look{Channel: Red}},
		{"green", Look{Channel: Green}},
		{"blue", Look{Channel: Blue}},
		{"alpha", Look{Channel: Alpha}},
		{"luma", Look{Channel: Luma}},
		{"luma-exposure+1-gamma2.2", Look{Channel: Luma, Exposure: 1, Gamma: 2.2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := image.NewRGBA(src.Rect)
			Apply(dst, src, tt.l)
			golden(t, tt.name, dst)
		})
	}
	t.Run("difference", func(t *testing.T) {
		b := changed(src)
		dst := image.NewRGBA(src.Rect)
		Difference(dst, src, b, 0)
		golden(t, "difference", dst)
	})
	t.Run("difference-sizes", func(t *testing.T) {
		b := changed(synthetic(48, 40))
		dst := image.NewRGBA(image.Rect(0, 0, 64, 40))
		Difference(dst, src, b, 8)
		golden(t, "difference-sizes", dst)
	})
	t.Run("16bit-exposure+4", func(t *testing.T) {
		dst := image.NewRGBA(image.Rect(0, 0, 64, 32))
		if err := Apply16(dst, dark16(64, 32), Look{Exposure: 4}); err != nil {
			t.Fatal(err)
		}
		golden(t, "16bit-exposure+4", dst)
	})
}

// changed is img with a square brightened by 3 steps and a dot of 60.
func changed(img *image.RGBA) *image.RGBA {
	b := image.NewRGBA(img.Rect)
	copy(b.Pix, img.Pix)
	for y := 4; y < 12; y++ {
		for x := 4; x < 12; x++ {
			p := b.Pix[b.PixOffset(x, y):]
			for k := range 3 {
				p[k] = uint8(min(int(p[k])+3, int(p[3])))
			}
		}
	}
	b.Pix[b.PixOffset(20, 6)] ^= 60
	return b
}

// dark16 is a 16-bit frame darker than one 8-bit step in its left half,
// a ramp over the whole range in its right half, alpha ramping down.
func dark16(w, h int) *image.NRGBA64 {
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint16(x * 256 / w * 2) // 0..255: below one 8-bit step
			if x >= w/2 {
				v = uint16((x - w/2) * 0xffff / (w/2 - 1))
			}
			a := uint16(0xffff - y*0xffff/(h-1)/2)
			img.SetNRGBA64(x, y, color.NRGBA64{v, v / 2, v / 4, a})
		}
	}
	return img
}

// ref16 is a straight 16-bit pixel as l shows it, in floating point.
func ref16(r, g, b, a uint16, l Look) [4]uint8 {
	f := refCurve(l)
	if l.norm().Channel == Alpha {
		v := round8(f(refDecode(float64(a) / 65535)))
		return [4]uint8{v, v, v, 255}
	}
	a8 := uint8(math.Round(float64(a) * 255 / 65535))
	if a8 == 0 {
		return [4]uint8{}
	}
	lin := [3]float64{refDecode(float64(r) / 65535), refDecode(float64(g) / 65535), refDecode(float64(b) / 65535)}
	var o [3]uint8
	for i := range o {
		o[i] = round8(f(lin[i]))
	}
	switch l.norm().Channel {
	case Red, Green, Blue:
		c := o[l.Channel-Red]
		o = [3]uint8{c, c, c}
	case Luma:
		c := round8(f(0.2126*lin[0] + 0.7152*lin[1] + 0.0722*lin[2]))
		o = [3]uint8{c, c, c}
	}
	for i := range o {
		o[i] = uint8(math.Round(float64(o[i]) * float64(a8) / 255))
	}
	return [4]uint8{o[0], o[1], o[2], a8}
}

func TestApply16MatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 20000
	nrgba := image.NewNRGBA64(image.Rect(0, 0, n, 1))
	gray := image.NewGray16(image.Rect(0, 0, n, 1))
	rgba := image.NewRGBA64(image.Rect(0, 0, n, 1)) // opaque: straight and premultiplied agree
	for x := range n {
		c := color.NRGBA64{uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32())}
		switch x % 4 { // many opaque and transparent pixels, and small values
		case 0:
			c.A = 0xffff
		case 1:
			c.A = 0
		case 2:
			c.R, c.G, c.B = c.R>>8, c.G>>10, c.B>>12
		}
		nrgba.SetNRGBA64(x, 0, c)
		gray.SetGray16(x, 0, color.Gray16{c.R})
		rgba.SetRGBA64(x, 0, color.RGBA64{c.R, c.G, c.B, 0xffff})
	}
	for _, l := range append(someLooks, Look{}) {
		t.Run(fmt.Sprintf("%+v", l), func(t *testing.T) {
			for _, tc := range []struct {
				src  image.Image
				want func(x int) [4]uint8
			}{
				{nrgba, func(x int) [4]uint8 {
					c := nrgba.NRGBA64At(x, 0)
					return ref16(c.R, c.G, c.B, c.A, l)
				}},
				{rgba, func(x int) [4]uint8 {
					c := rgba.RGBA64At(x, 0)
					return ref16(c.R, c.G, c.B, c.A, l)
				}},
				{gray, func(x int) [4]uint8 {
					v := gray.Gray16At(x, 0).Y
					return ref16(v, v, v, 0xffff, l)
				}},
			} {
				dst := image.NewRGBA(image.Rect(0, 0, n, 1))
				if err := Apply16(dst, tc.src, l); err != nil {
					t.Fatal(err)
				}
				tol := 0
				if l.Channel == Luma {
					tol = 1
				}
				off := 0
				for x := range n {
					got, want := [4]uint8(dst.Pix[4*x:]), tc.want(x)
					if got != want {
						off++
					}
					for k := range got {
						if d := int(got[k]) - int(want[k]); d > tol || d < -tol {
							t.Fatalf("%T pixel %d: got %v, want %v", tc.src, x, got, want)
						}
					}
				}
				if off > n/100 {
					t.Errorf("%T: %d of %d pixels one step off", tc.src, off, n)
				}
			}
		})
	}
}

// TestApply16Premultiplied checks that a premultiplied 16-bit pixel shows
// as its straight twin does.
func TestApply16Premultiplied(t *testing.T) {
	straight := image.NewNRGBA64(image.Rect(0, 0, 1, 1))
	straight.SetNRGBA64(0, 0, color.NRGBA64{40000, 20000, 1000, 30000})
	pre := image.NewRGBA64(straight.Rect)
	pre.Set(0, 0, straight.At(0, 0))
	for _, l := range someLooks {
		a, b := image.NewRGBA(straight.Rect), image.NewRGBA(straight.Rect)
		if err := Apply16(a, straight, l); err != nil {
			t.Fatal(err)
		}
		if err := Apply16(b, pre, l); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Pix, b.Pix) {
			t.Errorf("%+v: premultiplied %v, straight %v", l, b.Pix, a.Pix)
		}
	}
}

// TestApply16SeesBelow8Bits is why Apply16 exists: values below one 8-bit
// step are black in the 8-bit view at any exposure, and not here.
func TestApply16SeesBelow8Bits(t *testing.T) {
	src := image.NewGray16(image.Rect(0, 0, 2, 1))
	src.SetGray16(0, 0, color.Gray16{40})
	src.SetGray16(1, 0, color.Gray16{100})
	dst := image.NewRGBA(src.Rect)
	if err := Apply16(dst, src, Look{Exposure: 4}); err != nil {
		t.Fatal(err)
	}
	if got, want := []byte{dst.Pix[0], dst.Pix[4]}, []byte{2, 6}; !bytes.Equal(got, want) {
		t.Errorf("exposure +4 of 16-bit 40 and 100 = %v, want %v", got, want)
	}
}

// TestApply16Neutral checks that a neutral look shows 16-bit frames as
// the 8-bit view does (image/draw's conversion), within rounding.
func TestApply16Neutral(t *testing.T) {
	src := dark16(64, 32)
	view := image.NewRGBA(src.Rect)
	draw.Draw(view, view.Rect, src, image.Point{}, draw.Src)
	dst := image.NewRGBA(src.Rect)
	if err := Apply16(dst, src, Look{}); err != nil {
		t.Fatal(err)
	}
	for i := range dst.Pix {
		if d := int(dst.Pix[i]) - int(view.Pix[i]); d > 1 || d < -1 {
			t.Fatalf("byte %d: %d, view %d", i, dst.Pix[i], view.Pix[i])
		}
	}
}

func TestApply16Unknown(t *testing.T) {
	dst := image.NewRGBA(image.Rect(0, 0, 1, 1))
	dst.Pix[0] = 9
	if err := Apply16(dst, image.NewNRGBA(dst.Rect), Look{}); err == nil {
		t.Error("no error for an 8-bit image")
	}
	if dst.Pix[0] != 9 {
		t.Error("dst changed")
	}
}

func TestDifference(t *testing.T) {
	a := func(pix ...uint8) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, len(pix)/4, 1))
		copy(img.Pix, pix)
		return img
	}
	tests := []struct {
		name string
		a, b *image.RGBA
		dst  image.Rectangle
		gain float64
		want []uint8
	}{
		{"same", a(1, 2, 3, 255), a(1, 2, 3, 255), image.Rect(0, 0, 1, 1), 4, []uint8{0, 0, 0, 255}},
		{"default gain", a(10, 20, 30, 255), a(11, 18, 90, 255), image.Rect(0, 0, 1, 1), 0, []uint8{4, 8, 240, 255}},
		{"gain NaN", a(10, 20, 30, 255), a(11, 18, 90, 255), image.Rect(0, 0, 1, 1), math.NaN(), []uint8{4, 8, 240, 255}},
		{"clips", a(0, 0, 0, 255), a(100, 64, 63, 255), image.Rect(0, 0, 1, 1), 4, []uint8{255, 255, 252, 255}},
		{"gain 1", a(200, 0, 0, 255), a(0, 0, 200, 255), image.Rect(0, 0, 1, 1), 1, []uint8{200, 0, 200, 255}},
		{"gain 2.5 rounds", a(1, 3, 0, 255), a(0, 0, 0, 255), image.Rect(0, 0, 1, 1), 2.5, []uint8{3, 8, 0, 255}},
		{"premultiplied", a(50, 0, 0, 128), a(50, 0, 0, 255), image.Rect(0, 0, 1, 1), 4, []uint8{0, 0, 0, 255}},
		{"a wider", a(10, 0, 0, 255, 20, 0, 0, 255), a(10, 0, 0, 255), image.Rect(0, 0, 2, 1), 1, []uint8{0, 0, 0, 255, 20, 0, 0, 255}},
		{"b wider", a(10, 0, 0, 255), a(10, 0, 0, 255, 0, 30, 0, 255), image.Rect(0, 0, 2, 1), 1, []uint8{0, 0, 0, 255, 0, 30, 0, 255}},
		{"neither", a(10, 0, 0, 255), a(10, 0, 0, 255), image.Rect(0, 0, 2, 2), 1, []uint8{0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"dst smaller", a(10, 0, 0, 255, 5, 5, 5, 5), a(0, 0, 0, 255), image.Rect(0, 0, 1, 1), 1, []uint8{10, 0, 0, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := image.NewRGBA(tt.dst)
			for i := range dst.Pix {
				dst.Pix[i] = 99
			}
			Difference(dst, tt.a, tt.b, tt.gain)
			if !bytes.Equal(dst.Pix, tt.want) {
				t.Errorf("got %v, want %v", dst.Pix, tt.want)
			}
		})
	}
	t.Run("in place", func(t *testing.T) {
		x, y := synthetic(32, 16), changed(synthetic(32, 16))
		want := image.NewRGBA(x.Rect)
		Difference(want, x, y, 0)
		Difference(x, x, y, 0)
		if !bytes.Equal(x.Pix, want.Pix) {
			t.Error("in place differs from a copy")
		}
	})
}

// TestConcurrent runs looks at once on shared sources: with -race it
// checks that the shared tables are built safely and never written after.
func TestConcurrent(t *testing.T) {
	src := synthetic(64, 32)
	src16 := dark16(64, 32)
	var wg sync.WaitGroup
	for _, l := range someLooks[:8] {
		for range 2 {
			wg.Go(func() {
				dst := image.NewRGBA(src.Rect)
				Apply(dst, src, Look{Channel: Luma, Exposure: l.Exposure})
				if err := Apply16(dst, src16, l); err != nil {
					t.Error(err)
				}
				Difference(dst, src, dst, 0)
			})
		}
	}
	wg.Wait()
}
