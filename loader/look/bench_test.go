package look

import (
	"image"
	"math/rand/v2"
	"testing"
)

// The view size the loader hands the user interface.
const benchW, benchH = 1280, 720

// benchFrame is a view frame with noise over gradients, like a render;
// soft gives every pixel an alpha between 1 and 254, the slow path.
func benchFrame(soft bool) *image.RGBA {
	rng := rand.New(rand.NewPCG(3, 4))
	img := image.NewRGBA(image.Rect(0, 0, benchW, benchH))
	for y := range benchH {
		for x := range benchW {
			p := img.Pix[img.PixOffset(x, y):][:4]
			a := 255
			if soft {
				a = 1 + rng.IntN(254)
			}
			n := rng.IntN(16)
			p[0] = uint8((x*255/benchW + n) * a / 270)
			p[1] = uint8((y*255/benchH + n) * a / 270)
			p[2] = uint8(((x+y)*255/(benchW+benchH) + n) * a / 270)
			p[3] = uint8(a)
		}
	}
	return img
}

func bench16() *image.NRGBA64 {
	rng := rand.New(rand.NewPCG(5, 6))
	img := image.NewNRGBA64(image.Rect(0, 0, benchW, benchH))
	for i := 0; i < len(img.Pix); i += 8 {
		v := rng.Uint64()
		for k := range 6 {
			img.Pix[i+k] = uint8(v >> (8 * k))
		}
		img.Pix[i+6], img.Pix[i+7] = 0xff, 0xff
	}
	return img
}

var benchLooks = []struct {
	name string
	l    Look
}{
	{"neutral", Look{}},
	{"exposure", Look{Exposure: 1.5}},
	{"gamma", Look{Gamma: 2.2}},
	{"red", Look{Channel: Red, Exposure: 1}},
	{"alpha", Look{Channel: Alpha}},
	{"luma", Look{Channel: Luma, Exposure: -0.5}},
}

func BenchmarkApply(b *testing.B) {
	for _, alpha := range []struct {
		name string
		soft bool
	}{{"opaque", false}, {"soft", true}} {
		src := benchFrame(alpha.soft)
		dst := image.NewRGBA(src.Rect)
		for _, bl := range benchLooks {
			b.Run(bl.name+"/"+alpha.name, func(b *testing.B) {
				b.SetBytes(int64(len(src.Pix)))
				for b.Loop() {
					Apply(dst, src, bl.l)
				}
			})
		}
	}
}

func BenchmarkApply16(b *testing.B) {
	src := bench16()
	dst := image.NewRGBA(src.Rect)
	for _, bl := range benchLooks {
		b.Run(bl.name, func(b *testing.B) {
			b.SetBytes(int64(len(dst.Pix)))
			for b.Loop() {
				if err := Apply16(dst, src, bl.l); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDifference(b *testing.B) {
	x, y := benchFrame(false), benchFrame(true)
	dst := image.NewRGBA(x.Rect)
	b.SetBytes(int64(len(dst.Pix)))
	for b.Loop() {
		Difference(dst, x, y, 0)
	}
}

// BenchmarkTables is the cost of a look's own tables, paid on every call.
func BenchmarkTables(b *testing.B) {
	c := newCurve(Look{Exposure: 1.5, Gamma: 2.2})
	b.Run("lut8", func(b *testing.B) {
		for b.Loop() {
			c.lut8()
		}
	})
	b.Run("lut16", func(b *testing.B) {
		for b.Loop() {
			c.lut16()
		}
	})
	b.Run("luma", func(b *testing.B) {
		for b.Loop() {
			c.lumaLUT()
		}
	})
}
