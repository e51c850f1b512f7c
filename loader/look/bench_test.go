package look

import (
	"image"
	"image/color"
	"math/rand/v2"
	"runtime"
	"testing"
)

// loop runs f b.N times on one OS thread and reports its CPU time per
// call as cpu-ms/op: wall time alone says little while other builds share
// the machine.
func loop(b *testing.B, f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start, ok := threadCPU()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	if end, _ := threadCPU(); ok && n > 0 {
		b.ReportMetric(float64(end-start)/1e6/float64(n), "cpu-ms/op")
	}
}

// The view size the loader hands the user interface.
const benchW, benchH = 1280, 720

// benchFrame is a view frame with noise over gradients, like a render;
// soft makes every pixel partly transparent (alpha ramping from 1 to 254
// across, with noise), the slow path.
func benchFrame(soft bool) *image.RGBA {
	rng := rand.New(rand.NewPCG(3, 4))
	img := image.NewRGBA(image.Rect(0, 0, benchW, benchH))
	for y := range benchH {
		for x := range benchW {
			p := img.Pix[img.PixOffset(x, y):][:4]
			n := rng.IntN(16)
			a := 255
			if soft {
				a = 1 + min(253, x*253/benchW+n)
			}
			p[0] = uint8((x*255/benchW + n) * a / 270)
			p[1] = uint8((y*255/benchH + n) * a / 270)
			p[2] = uint8(((x+y)*255/(benchW+benchH) + n) * a / 270)
			p[3] = uint8(a)
		}
	}
	return img
}

// bench16 is a 16-bit view frame: gradients with noise, opaque.
func bench16() *image.NRGBA64 {
	rng := rand.New(rand.NewPCG(5, 6))
	img := image.NewNRGBA64(image.Rect(0, 0, benchW, benchH))
	for y := range benchH {
		for x := range benchW {
			n := rng.IntN(1024)
			img.SetNRGBA64(x, y, color.NRGBA64{
				uint16(x*0xfbff/benchW + n), uint16(y*0xfbff/benchH + n),
				uint16((x+y)*0xfbff/(benchW+benchH) + n), 0xffff})
		}
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
				loop(b, func() { Apply(dst, src, bl.l) })
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
			loop(b, func() {
				if err := Apply16(dst, src, bl.l); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func BenchmarkDifference(b *testing.B) {
	x, y := benchFrame(false), benchFrame(true)
	dst := image.NewRGBA(x.Rect)
	b.SetBytes(int64(len(dst.Pix)))
	loop(b, func() { Difference(dst, x, y, 0) })
}

// BenchmarkTables is the cost of a look's own tables, paid on every call.
func BenchmarkTables(b *testing.B) {
	c := newCurve(Look{Exposure: 1.5, Gamma: 2.2})
	b.Run("lut8", func(b *testing.B) {
		loop(b, func() { c.lut8() })
	})
	b.Run("lut16", func(b *testing.B) {
		loop(b, func() { c.lut16() })
	})
	b.Run("luma", func(b *testing.B) {
		loop(b, func() { c.lumaLUT() })
	})
}
