package decode

import (
	"context"
	"fmt"
	"image"
	"sync"
	"testing"
	"time"

	"seqview/internal/testframes"
)

// frame4K is a 3840×2160 RGBA PNG that looks and compresses like a
// rendered frame (~6 MB), made once: generating it takes ~0.4 s.
var frame4K = sync.OnceValue(func() []byte { return testframes.PNG(3840, 2160, 1) })

// The three 4K benchmarks are the comparison, to be run together
// with -cpu 1 (one decode per core): a 4K RGBA PNG into a 1280×720 view by
// View's stream (C zlib and C filters where built in), by the pure-Go
// stream, and by the general path (image/png at full size, then
// ScaleToFit), which is what the loader did before View. Besides wall time
// they report the CPU time per decode (cpu-ms/op), which other work on the
// machine inflates less.

func BenchmarkView4K(b *testing.B) { benchView(b, rowMode{}) }

func BenchmarkViewPureGo4K(b *testing.B) { benchView(b, rowMode{pureGo: true}) }

// BenchmarkView4KAhead is View4K inflating on a second goroutine (View's
// way when a processor is free for it): run with -cpu 2, its wall time is
// what a decode alone on two cores takes (a jump, the first frame); its
// CPU time, what the handing over of batches adds.
func BenchmarkView4KAhead(b *testing.B) { benchView(b, rowMode{ahead: true}) }

func benchView(b *testing.B, mode rowMode) {
	data := frame4K()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		img, _, err := view(context.Background(), data, 1280, 720, DefaultLimits, mode)
		if err != nil {
			b.Fatal(err)
		}
		if img.Rect.Dx() != 1280 {
			b.Fatalf("size %v", img.Rect)
		}
	}
}

func BenchmarkFullThenScale4K(b *testing.B) {
	data := frame4K()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		info, _, err := prepare(context.Background(), data, DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		im, err := full(context.Background(), data, info, false)
		if err != nil {
			b.Fatal(err)
		}
		ScaleToFit(im.RGBA, 1280, 720)
	}
}

// reportCPU starts counting CPU time; the function it returns reports it
// per op as cpu-ms/op.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkRows4K times the row decoders alone on the 4K frame: inflate
// and unfilter, no scaling (View4K less these is the premultiply and the
// area average).
func BenchmarkRows4K(b *testing.B) {
	data := frame4K()
	ph, err := parsePNGHeader(data)
	if err != nil {
		b.Fatal(err)
	}
	for _, pureGo := range []bool{false, true} {
		name := "native"
		if pureGo {
			name = "pureGo"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				dec, err := newPNGRows(data, ph, false, rowBatch, rowMode{pureGo: pureGo})
				if err != nil {
					b.Fatal(err)
				}
				for y := 0; y < ph.h; y += rowBatch {
					if _, _, err := dec.rows(min(rowBatch, ph.h-y)); err != nil {
						b.Fatal(err)
					}
				}
				if err := dec.finish(); err != nil {
					b.Fatal(err)
				}
				dec.close()
			}
		})
	}
}

// BenchmarkView4KSizes times View from 4K into other view sizes: whole
// factors only, and a box followed by the area stage.
func BenchmarkView4KSizes(b *testing.B) {
	data := frame4K()
	for _, v := range []image.Point{{1920, 1080}, {1600, 900}, {1000, 1000}, {640, 360}, {0, 0}} {
		b.Run(fmt.Sprintf("%dx%d", v.X, v.Y), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := View(context.Background(), data, v.X, v.Y, DefaultLimits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
