package decode

import "image"

// FitSize returns the size of a w×h image scaled down to fit within vw×vh
// keeping aspect ratio; it returns w,h unchanged when the image already
// fits, the view is 0 (not laid out yet) or the image is empty. Neither
// side of the result is ever 0: a 10000×1 strip in a 100×100 view is 100×1.
func FitSize(w, h, vw, vh int) (int, int) {
	if w <= 0 || h <= 0 || vw <= 0 || vh <= 0 || (w <= vw && h <= vh) {
		return w, h
	}
	// Compare w/h with vw/vh in int64 to decide which side is bound by the
	// view, then round the other side to nearest.
	W, H, VW, VH := int64(w), int64(h), int64(vw), int64(vh)
	if W*VH >= H*VW { // relatively wider than the view: width binds
		return vw, int(max(1, min(VH, (H*VW+W/2)/W)))
	}
	return int(max(1, min(VW, (W*VH+H/2)/H))), vh
}

// ScaleToFit returns src scaled down to fit vw×vh (on the calling
// goroutine; callers run it on a worker), or src itself when it fits.
// The result is a new image; src is not modified.
//
// It averages areas, in integer arithmetic: first a box average by the
// largest whole factor that does not go below the target (each source pixel
// read once, adds only; for 4K → 720p and 4K → 1080p that is the whole job),
// then areaShrink for the remaining factor under 2. Both are low-pass
// filters that see every source pixel, so nothing aliases (a 1-pixel
// checkerboard comes out as near-even gray, where nearest-neighbour and
// x/image/draw's ApproxBiLinear give back black and white); together they
// blur like a tent (bilinear) filter scaled to the shrink, which is what
// x/image/draw's BiLinear gives at several times the cost
// (BenchmarkScale4KTo720p compares them).
//
// View gives the same pixels from a stream of rows (see scaler).
func ScaleToFit(src *image.RGBA, vw, vh int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	w, h := FitSize(sw, sh, vw, vh)
	if w == sw && h == sh {
		return src
	}
	if kx, ky := min(sw/w, maxBox), min(sh/h, maxBox); kx > 1 || ky > 1 {
		src = boxShrink(src, kx, ky)
		if src.Rect.Dx() == w && src.Rect.Dy() == h {
			return src
		}
	}
	return areaShrink(src, w, h)
}

// maxBox bounds the box factor so that the sums of a box fit the
// fixed-point division in boxShrink; past it areaShrink does the rest.
const maxBox = 255

// boxShrink returns src shrunk by kx×ky, each output pixel the rounded
// mean of a kx×ky block. Source columns and rows past the last whole block
// (fewer than kx or ky) are dropped: less than one output pixel.
func boxShrink(src *image.RGBA, kx, ky int) *image.RGBA {
	w, h := src.Rect.Dx()/kx, src.Rect.Dy()/ky
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	// Divide by n = kx*ky with rounding as a multiply and shift: with
	// m = ceil(2^40/n), (s + n/2)*m >> 40 is exact for s ≤ 255n when
	// n < 2^16 (the error term, under n·256n/2^40, stays below 1/n).
	n := uint64(kx * ky)
	m := (1<<40 + n - 1) / n
	half := uint32(n / 2)
	acc := make([]uint32, 4*w)
	for y := 0; y < h; y++ {
		clear(acc)
		for sy := y * ky; sy < y*ky+ky; sy++ {
			row := src.Pix[(sy-src.Rect.Min.Y)*src.Stride:][:4*w*kx]
			addBlocks(acc, row, kx)
		}
		out := dst.Pix[y*dst.Stride:][:4*w]
		for i, s := range acc {
			out[i] = uint8(uint64(s+half) * m >> 40)
		}
	}
	return dst
}

// addBlocks adds each run of k pixels of row into one pixel of acc.
func addBlocks(acc []uint32, row []byte, k int) {
	// 2 and 3 (4K → 1080p, 4K → 720p) are unrolled: several times faster
	// than the general loop.
	if k == 2 {
		for i := 0; i+4 <= len(acc); i += 4 {
			a := acc[i : i+4 : i+4]
			p := row[2*i : 2*i+8 : 2*i+8]
			a[0] += uint32(p[0]) + uint32(p[4])
			a[1] += uint32(p[1]) + uint32(p[5])
			a[2] += uint32(p[2]) + uint32(p[6])
			a[3] += uint32(p[3]) + uint32(p[7])
		}
		return
	}
	if k == 3 {
		for i := 0; i+4 <= len(acc); i += 4 {
			a := acc[i : i+4 : i+4]
			p := row[3*i : 3*i+12 : 3*i+12]
			a[0] += uint32(p[0]) + uint32(p[4]) + uint32(p[8])
			a[1] += uint32(p[1]) + uint32(p[5]) + uint32(p[9])
			a[2] += uint32(p[2]) + uint32(p[6]) + uint32(p[10])
			a[3] += uint32(p[3]) + uint32(p[7]) + uint32(p[11])
		}
		return
	}
	for i := 0; i+4 <= len(acc); i += 4 {
		a := acc[i : i+4 : i+4]
		p := row[k*i : k*i+4*k]
		for j := 0; j+4 <= len(p); j += 4 {
			q := p[j : j+4 : j+4]
			a[0] += uint32(q[0])
			a[1] += uint32(q[1])
			a[2] += uint32(q[2])
			a[3] += uint32(q[3])
		}
	}
}

// addBlocksPremul is addBlocks for k = 2 or 3 over straight RGBA,
// premultiplying (in place) the pixels of each block that has an alpha
// under 255 before adding them up.
func addBlocksPremul(acc []uint32, row []byte, k int) {
	t := premulTable()
	if k == 2 {
		for i := 0; i+4 <= len(acc); i += 4 {
			a := acc[i : i+4 : i+4]
			p := row[2*i : 2*i+8 : 2*i+8]
			if p[3]&p[7] != 0xff {
				premultiplyPixel(p[0:4:4], t)
				premultiplyPixel(p[4:8:8], t)
			}
			a[0] += uint32(p[0]) + uint32(p[4])
			a[1] += uint32(p[1]) + uint32(p[5])
			a[2] += uint32(p[2]) + uint32(p[6])
			a[3] += uint32(p[3]) + uint32(p[7])
		}
		return
	}
	for i := 0; i+4 <= len(acc); i += 4 {
		a := acc[i : i+4 : i+4]
		p := row[3*i : 3*i+12 : 3*i+12]
		if p[3]&p[7]&p[11] != 0xff {
			premultiplyPixel(p[0:4:4], t)
			premultiplyPixel(p[4:8:8], t)
			premultiplyPixel(p[8:12:12], t)
		}
		a[0] += uint32(p[0]) + uint32(p[4]) + uint32(p[8])
		a[1] += uint32(p[1]) + uint32(p[5]) + uint32(p[9])
		a[2] += uint32(p[2]) + uint32(p[6]) + uint32(p[10])
		a[3] += uint32(p[3]) + uint32(p[7]) + uint32(p[11])
	}
}

// weights lists, for each output pixel along one axis, the input pixels it
// covers and how much: out[i] = Σ w[i*taps+t] * in[start[i]+t] / 2^bits.
type weights struct {
	start []int
	w     []uint32 // taps per output pixel, zero-padded
	taps  int
}

// Weight precision. The vertical pass sums 8-bit samples times 2^14-scale
// weights (< 2^22); the horizontal pass multiplies those by 2^9-scale
// weights, which keeps every sum under 2^31 without a rescaling pass. A
// 1/512 step in a weight moves an output by under 0.5 of 255.
const (
	yBits = 14
	xBits = 9
)

// areaWeights returns the weights of an area-average shrink from n to m
// pixels (m ≤ n): output pixel i covers input [i*n/m, (i+1)*n/m), each input
// pixel weighted by how much of it is covered. Every output's weights sum
// to exactly 2^bits, so a flat colour stays exactly that colour.
func areaWeights(n, m int, bits uint) weights {
	// Work in units of 1/m input pixel: input j spans [j*m, (j+1)*m),
	// output i spans [i*n, (i+1)*n). An output covers n/m inputs and
	// straddles one more unless aligned; never more than there are.
	taps := min((n+m-1)/m+1, n)
	ws := weights{start: make([]int, m), w: make([]uint32, m*taps), taps: taps}
	for i := range m {
		lo, hi := int64(i)*int64(n), int64(i+1)*int64(n)
		j0 := int(lo / int64(m))
		// The taps run from j0; near the end of the input they would run
		// past it, so start earlier with leading zero weights instead.
		first := max(0, j0+taps-n)
		ws.start[i] = j0 - first
		row := ws.w[i*taps : (i+1)*taps]
		// Weights are differences of the rounded running coverage, so
		// they sum to exactly 2^bits and each is within one rounding
		// step of its share.
		var covered int64
		prev := uint32(0)
		for t := first; t < taps; t++ {
			j := int64(j0 + t - first)
			cover := min(hi, (j+1)*int64(m)) - max(lo, j*int64(m))
			if cover <= 0 {
				break
			}
			covered += cover
			next := uint32((covered<<bits + int64(n)/2) / int64(n))
			row[t] = next - prev
			prev = next
		}
	}
	return ws
}

// areaShrink returns src shrunk to w×h by area averaging, vertically then
// horizontally, a row at a time (the vertical pass runs over whole rows,
// the tightest loop, and the row buffer stays in cache).
func areaShrink(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	xw, yw := areaWeights(sw, w, xBits), areaWeights(sh, h, yBits)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	acc := make([]uint32, 4*sw)
	for y := range h {
		// Vertical: acc = Σ wy * src row, over the full width.
		first := true
		for t := range yw.taps {
			wy := yw.w[y*yw.taps+t]
			if wy == 0 {
				continue
			}
			row := src.Pix[(yw.start[y]+t)*src.Stride:][:4*sw]
			acc := acc[:len(row)]
			if first {
				for i, p := range row {
					acc[i] = wy * uint32(p)
				}
				first = false
				continue
			}
			for i, p := range row {
				acc[i] += wy * uint32(p)
			}
		}
		horizontal(dst.Pix[y*dst.Stride:][:4*w], acc, xw)
	}
	return dst
}

// horizontal makes an output row from a row of vertical sums, each output
// pixel from its taps: areaShrink's horizontal pass.
func horizontal(out []byte, acc []uint32, xw weights) {
	for x := range len(out) / 4 {
		ws := xw.w[x*xw.taps:][:xw.taps]
		in := acc[4*xw.start[x]:][:4*len(ws)]
		var r, g, b, a uint32
		for t, wx := range ws {
			p := in[4*t : 4*t+4 : 4*t+4]
			r += wx * p[0]
			g += wx * p[1]
			b += wx * p[2]
			a += wx * p[3]
		}
		const shift = yBits + xBits
		const round = 1 << (shift - 1)
		o := out[4*x : 4*x+4 : 4*x+4]
		o[0] = uint8((r + round) >> shift)
		o[1] = uint8((g + round) >> shift)
		o[2] = uint8((b + round) >> shift)
		o[3] = uint8((a + round) >> shift)
	}
}
