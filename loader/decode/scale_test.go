package decode

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	xdraw "golang.org/x/image/draw"
)

func TestFitSize(t *testing.T) {
	tests := []struct {
		name         string
		w, h, vw, vh int
		wantW, wantH int
	}{
		{"landscape into landscape view", 3840, 2160, 1280, 720, 1280, 720},
		{"landscape bound by width", 3840, 2160, 1000, 1000, 1000, 563},
		{"landscape bound by height", 3840, 2160, 2000, 500, 889, 500},
		{"portrait", 1080, 1920, 800, 600, 338, 600},
		{"portrait bound by width", 1080, 1920, 300, 1000, 300, 533},
		{"square into wide view", 1000, 1000, 400, 300, 300, 300},
		{"fits already", 640, 480, 1920, 1080, 640, 480},
		{"fits exactly", 1920, 1080, 1920, 1080, 1920, 1080},
		{"one side over", 1921, 1080, 1920, 1080, 1920, 1079},
		{"zero view", 3840, 2160, 0, 0, 3840, 2160},
		{"zero view width", 3840, 2160, 0, 500, 3840, 2160},
		{"negative view", 3840, 2160, -1, 720, 3840, 2160},
		{"empty image", 0, 0, 100, 100, 0, 0},
		{"extreme wide strip", 100000, 1, 100, 100, 100, 1},
		{"extreme tall strip", 1, 100000, 100, 100, 1, 100},
		{"wide strip, rounds to 0", 16384, 3, 200, 200, 200, 1},
		{"1x1 view", 3840, 2160, 1, 1, 1, 1},
		{"huge sizes do not overflow", math.MaxInt32, math.MaxInt32 - 1, 1920, 1080, 1080, 1080},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := FitSize(tt.w, tt.h, tt.vw, tt.vh)
			if w != tt.wantW || h != tt.wantH {
				t.Errorf("FitSize(%d, %d, %d, %d) = %d×%d, want %d×%d", tt.w, tt.h, tt.vw, tt.vh, w, h, tt.wantW, tt.wantH)
			}
		})
	}
}

// TestFitSizeProperties checks, over many sizes, what the table shows by
// example: the result fits, keeps the aspect ratio to within rounding,
// touches the view on one side and never has a 0 side.
func TestFitSizeProperties(t *testing.T) {
	sides := []int{1, 2, 3, 7, 100, 719, 720, 1080, 1920, 2160, 3840, 16384, 100000}
	for _, w := range sides {
		for _, h := range sides {
			for _, vw := range sides[:9] {
				for _, vh := range sides[:9] {
					gw, gh := FitSize(w, h, vw, vh)
					if w <= vw && h <= vh {
						if gw != w || gh != h {
							t.Fatalf("FitSize(%d,%d,%d,%d) = %d×%d: changed an image that fits", w, h, vw, vh, gw, gh)
						}
						continue
					}
					if gw < 1 || gh < 1 || gw > vw || gh > vh || (gw != vw && gh != vh) {
						t.Fatalf("FitSize(%d,%d,%d,%d) = %d×%d", w, h, vw, vh, gw, gh)
					}
					// Aspect within the rounding of the shorter side
					// (half a pixel), unless clamped to 1.
					if gw > 1 && gh > 1 {
						got, want := float64(gw)/float64(gh), float64(w)/float64(h)
						tol := want * (0.5/float64(min(gw, gh)) + 1e-9) * 1.01
						if math.Abs(got-want) > tol*2 {
							t.Fatalf("FitSize(%d,%d,%d,%d) = %d×%d: aspect %.4f, want %.4f", w, h, vw, vh, gw, gh, got, want)
						}
					}
				}
			}
		}
	}
}

func solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func TestScaleToFit(t *testing.T) {
	c := color.RGBA{200, 100, 50, 255}
	half := color.RGBA{100, 50, 25, 128} // premultiplied
	tests := []struct {
		name         string
		w, h, vw, vh int
		c            color.RGBA
		wantW, wantH int
	}{
		{"4K to 720p (box 3 only)", 3840, 2160, 1280, 720, c, 1280, 720},
		{"1080p to 540p (box 2 only)", 1920, 1080, 960, 540, c, 960, 540},
		{"box then area", 3840, 2160, 1000, 1000, c, 1000, 563},
		{"under 2x: area only", 1920, 1080, 1280, 720, c, 1280, 720},
		{"translucent", 1920, 1080, 500, 500, half, 500, 281},
		{"odd sizes", 1001, 777, 333, 333, color.RGBA{1, 2, 3, 4}, 333, 258},
		{"transparent", 999, 555, 100, 100, color.RGBA{}, 100, 56},
		{"to 1 pixel", 640, 480, 1, 1, c, 1, 1},
		{"past the box limit", 20000, 10, 50, 50, c, 50, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := solid(tt.w, tt.h, tt.c)
			got := ScaleToFit(src, tt.vw, tt.vh)
			if got.Rect != image.Rect(0, 0, tt.wantW, tt.wantH) {
				t.Fatalf("size %v, want %d×%d", got.Rect, tt.wantW, tt.wantH)
			}
			// A flat colour must stay exactly that colour: no darkened
			// edges, no rounding drift.
			for y := 0; y < tt.wantH; y++ {
				for x := 0; x < tt.wantW; x++ {
					if p := got.RGBAAt(x, y); p != tt.c {
						t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, p, tt.c)
					}
				}
			}
		})
	}
	t.Run("fits: returns src", func(t *testing.T) {
		src := solid(100, 50, c)
		for _, v := range [][2]int{{100, 50}, {1000, 1000}, {0, 0}} {
			if got := ScaleToFit(src, v[0], v[1]); got != src {
				t.Errorf("view %v: a new image, want src itself", v)
			}
		}
	})
	t.Run("src untouched", func(t *testing.T) {
		src := solid(300, 200, c)
		ScaleToFit(src, 100, 100)
		if src.RGBAAt(0, 0) != c || src.RGBAAt(299, 199) != c {
			t.Error("ScaleToFit changed src")
		}
	})
}

// TestBoxShrinkAverages checks that every output pixel is the rounded mean
// of its block, for the factors the fixed-point division must get right.
func TestBoxShrinkAverages(t *testing.T) {
	for _, k := range [][2]int{{2, 2}, {3, 3}, {4, 3}, {7, 5}, {16, 16}, {255, 1}, {255, 255}} {
		t.Run(fmt.Sprintf("%dx%d", k[0], k[1]), func(t *testing.T) {
			w, h := 3*k[0]-1, 3*k[1]-1 // spare columns and rows, fewer than k, to drop
			src := image.NewRGBA(image.Rect(0, 0, w, h))
			for i := range src.Pix {
				src.Pix[i] = uint8(i * 151 % 256)
			}
			dst := boxShrink(src, k[0], k[1])
			if dst.Rect != image.Rect(0, 0, 2, 2) {
				t.Fatalf("size %v, want 2×2", dst.Rect)
			}
			n := k[0] * k[1]
			for y := 0; y < 2; y++ {
				for x := 0; x < 2; x++ {
					for c := range 4 {
						sum := 0
						for sy := y * k[1]; sy < (y+1)*k[1]; sy++ {
							for sx := x * k[0]; sx < (x+1)*k[0]; sx++ {
								sum += int(src.Pix[src.PixOffset(sx, sy)+c])
							}
						}
						want := uint8((sum + n/2) / n)
						if got := dst.Pix[dst.PixOffset(x, y)+c]; got != want {
							t.Fatalf("pixel (%d,%d) channel %d = %d, want %d", x, y, c, got, want)
						}
					}
				}
			}
		})
	}
	// The division on its own, for every sum, at the largest factor.
	t.Run("division", func(t *testing.T) {
		for _, n := range []uint64{2, 3, 9, 10, 255, 65025} {
			m := (1<<40 + n - 1) / n
			for s := uint64(0); s <= 255*n; s += 1 + n/64 {
				if got, want := (s+n/2)*m>>40, (s+n/2)/n; got != want {
					t.Fatalf("n=%d s=%d: %d, want %d", n, s, got, want)
				}
			}
		}
	})
}

// TestScaleQuality measures aliasing: a 1-pixel checkerboard in the 4K
// frame is pure detail above what the view can show and must come out as
// even gray, not as a pattern. Kernels that sample rather than average
// (NearestNeighbor, ApproxBiLinear) give back black and white.
func TestScaleQuality(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3840, 2160))
	for y := 0; y < 2160; y++ {
		for x := 0; x < 3840; x++ {
			v := uint8(255 * ((x + y) & 1))
			src.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	spread := func(img *image.RGBA) int {
		lo, hi := 255, 0
		for i := 0; i < len(img.Pix); i += 4 {
			lo, hi = min(lo, int(img.Pix[i])), max(hi, int(img.Pix[i]))
		}
		return hi - lo
	}
	tests := []struct {
		view      image.Point
		maxSpread int
	}{
		// A 3×3 box over a checkerboard holds 4 or 5 white pixels of 9:
		// 113 or 142. Even boxes and area weights do better.
		{image.Pt(1280, 720), 29},
		{image.Pt(1920, 1080), 0},
		{image.Pt(1600, 900), 29},
		{image.Pt(1000, 1000), 29},
		{image.Pt(3000, 3000), 128}, // area only, 1.28×: between pixels
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.view), func(t *testing.T) {
			got := spread(ScaleToFit(src, tt.view.X, tt.view.Y))
			t.Logf("ScaleToFit: output spread %d", got)
			if got > tt.maxSpread {
				t.Errorf("checkerboard came out with values %d apart, want ≤ %d", got, tt.maxSpread)
			}
		})
	}
	for _, s := range scalers()[:2] {
		dst := image.NewRGBA(image.Rect(0, 0, 1280, 720))
		s.scale(dst, src)
		t.Logf("%s to 1280×720: output spread %d", s.name, spread(dst))
	}
}

func TestAreaWeights(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 100, 1080, 1920, 2160, 3840} {
		for _, m := range []int{1, 2, 3, 7, 99, 100, 719, 720, 900, 1600} {
			if m > n {
				continue
			}
			ws := areaWeights(n, m, yBits)
			for i := range m {
				row := ws.w[i*ws.taps : (i+1)*ws.taps]
				var sum uint32
				for k, w := range row {
					sum += w
					// Each weight is within one rounding step of
					// the input's share of the output.
					j := ws.start[i] + k
					lo, hi := float64(i)*float64(n)/float64(m), float64(i+1)*float64(n)/float64(m)
					cover := max(0, min(hi, float64(j+1))-max(lo, float64(j)))
					want := cover / (float64(n) / float64(m)) * (1 << yBits)
					if math.Abs(float64(w)-want) > 1 {
						t.Fatalf("n=%d m=%d: output %d weight of input %d = %d, want %.1f", n, m, i, j, w, want)
					}
				}
				if sum != 1<<yBits {
					t.Fatalf("n=%d m=%d: weights of output %d sum to %d", n, m, i, sum)
				}
				if ws.start[i] < 0 || ws.start[i]+ws.taps > n {
					t.Fatalf("n=%d m=%d: output %d taps [%d,%d) outside the input", n, m, i, ws.start[i], ws.start[i]+ws.taps)
				}
			}
		}
	}
}

// TestAreaShrink compares areaShrink with a floating-point area average.
func TestAreaShrink(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tests := []struct{ sw, sh, w, h int }{
		{10, 10, 7, 7},
		{37, 23, 20, 13},
		{100, 60, 99, 59},
		{64, 64, 1, 1},
		{5, 300, 3, 170},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d to %dx%d", tt.sw, tt.sh, tt.w, tt.h), func(t *testing.T) {
			src := image.NewRGBA(image.Rect(0, 0, tt.sw, tt.sh))
			for i := range src.Pix {
				src.Pix[i] = uint8(rng.Uint32())
			}
			got := areaShrink(src, tt.w, tt.h)
			fx, fy := float64(tt.sw)/float64(tt.w), float64(tt.sh)/float64(tt.h)
			for y := range tt.h {
				for x := range tt.w {
					for c := range 4 {
						var sum float64
						for sy := range tt.sh {
							cy := max(0, min(float64(y+1)*fy, float64(sy+1))-max(float64(y)*fy, float64(sy)))
							for sx := range tt.sw {
								cx := max(0, min(float64(x+1)*fx, float64(sx+1))-max(float64(x)*fx, float64(sx)))
								sum += cx * cy * float64(src.Pix[src.PixOffset(sx, sy)+c])
							}
						}
						want := sum / (fx * fy)
						if g := float64(got.Pix[got.PixOffset(x, y)+c]); math.Abs(g-want) > 1 {
							t.Fatalf("pixel (%d,%d) channel %d = %v, want %.2f", x, y, c, g, want)
						}
					}
				}
			}
		})
	}
}

type xscaler struct {
	name  string
	scale func(dst, src *image.RGBA)
}

func scalers() []xscaler {
	x := func(s xdraw.Scaler) func(dst, src *image.RGBA) {
		return func(dst, src *image.RGBA) { s.Scale(dst, dst.Rect, src, src.Rect, xdraw.Src, nil) }
	}
	return []xscaler{
		{"NearestNeighbor", x(xdraw.NearestNeighbor)},
		{"ApproxBiLinear", x(xdraw.ApproxBiLinear)},
		{"BiLinear", x(xdraw.BiLinear)},
		{"CatmullRom", x(xdraw.CatmullRom)},
		{"Box2+ApproxBiLinear", func(dst, src *image.RGBA) {
			mid := boxShrink(src, 2, 2)
			xdraw.ApproxBiLinear.Scale(dst, dst.Rect, mid, mid.Rect, xdraw.Src, nil)
		}},
		{"Area", func(dst, src *image.RGBA) { *dst = *areaShrink(src, dst.Rect.Dx(), dst.Rect.Dy()) }},
		{"ScaleToFit", func(dst, src *image.RGBA) { *dst = *ScaleToFit(src, dst.Rect.Dx(), dst.Rect.Dy()) }},
	}
}

var frame4KRGBA = sync.OnceValue(func() *image.RGBA {
	im, err := Full(context.Background(), frame4K(), DefaultLimits)
	if err != nil {
		panic(err)
	}
	return im.RGBA
})

// BenchmarkScaleToFit4K times ScaleToFit from 4K into common view sizes:
// whole-factor boxes only, and a box followed by bilinear.
func BenchmarkScaleToFit4K(b *testing.B) {
	src := frame4KRGBA()
	for _, v := range []image.Point{{1920, 1080}, {1600, 900}, {1280, 720}, {1000, 1000}, {640, 360}} {
		b.Run(fmt.Sprintf("%dx%d", v.X, v.Y), func(b *testing.B) {
			for b.Loop() {
				ScaleToFit(src, v.X, v.Y)
			}
		})
	}
}

// BenchmarkScale4KTo720p compares the x/image/draw interpolators with
// ScaleToFit on a decoded 4K frame. Run with -cpu 1: ScaleToFit runs on
// one decoder goroutine per core.
func BenchmarkScale4KTo720p(b *testing.B) {
	src := frame4KRGBA()
	for _, s := range scalers() {
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				dst := image.NewRGBA(image.Rect(0, 0, 1280, 720))
				s.scale(dst, src)
			}
		})
	}
}
