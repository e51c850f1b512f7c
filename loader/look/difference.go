package look

import (
	"image"
	"math"
)

// DefaultGain is the brightening Difference applies when given none: a
// difference of one 8-bit step shows as 4, and differences of 64 steps
// or more as white.
const DefaultGain = 4

// Difference writes into dst the absolute difference of a and b, channel
// by channel on their premultiplied values (what each shows over black),
// times gain (≤ 0, NaN or Inf: DefaultGain), rounded and clipped to 255.
// The result is opaque. Alpha is not compared on its own: a change of
// alpha shows where it changes the premultiplied colour, and applying the
// Alpha look to both frames before Difference compares their mattes.
//
// Pixels are paired by their offset from each image's top-left corner,
// over dst's area, which is normally the union of the two sizes: where
// only one of a and b has a pixel, the other counts as transparent black,
// so the area one frame lacks shows that frame's pixels times gain; where
// neither has one, dst is transparent (0, 0, 0, 0), so the background
// shows through. dst may be a or b when all three have the same size.
func Difference(dst, a, b *image.RGBA, gain float64) {
	if !(gain > 0) || math.IsInf(gain, 1) {
		gain = DefaultGain
	}
	var lut [256]uint8
	for i := range lut {
		lut[i] = uint8(min(255, math.Round(float64(i)*gain)))
	}
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	aw, ah := a.Rect.Dx(), a.Rect.Dy()
	bw, bh := b.Rect.Dx(), b.Rect.Dy()
	for y := range h {
		d := dst.Pix[y*dst.Stride:][:4*w]
		var ra, rb []byte // the rows of a and b, as far as dst goes
		if y < ah {
			ra = a.Pix[y*a.Stride:][:4*min(aw, w)]
		}
		if y < bh {
			rb = b.Pix[y*b.Stride:][:4*min(bw, w)]
		}
		both := min(len(ra), len(rb))
		diffRow(d[:both], ra[:both], rb[:both], &lut)
		// Past the shorter row, only the longer one has pixels.
		one := ra
		if len(rb) > len(ra) {
			one = rb
		}
		n := len(one)
		diffRow(d[both:n], one[both:n], nil, &lut)
		clear(d[n:])
	}
}

// diffRow writes |a−b| through lut, opaque; b nil stands for transparent
// black.
func diffRow(d, a, b []byte, lut *[256]uint8) {
	if b == nil {
		n := 4 * (min(len(a), len(d)) / 4)
		a, d = a[:n], d[:n]
		for i := 0; i < len(a); i += 4 {
			p, q := a[i:i+4:i+4], d[i:i+4:i+4]
			q[0], q[1], q[2], q[3] = lut[p[0]], lut[p[1]], lut[p[2]], 0xff
		}
		return
	}
	n := 4 * (min(len(a), len(b), len(d)) / 4)
	a, b, d = a[:n], b[:n], d[:n]
	for i := 0; i < len(a); i += 4 {
		p, r, q := a[i:i+4:i+4], b[i:i+4:i+4], d[i:i+4:i+4]
		q[0], q[1], q[2], q[3] = lut[absDiff(p[0], r[0])], lut[absDiff(p[1], r[1])], lut[absDiff(p[2], r[2])], 0xff
	}
}

// absDiff is |x−y| without a branch: noise makes its sign unpredictable.
func absDiff(x, y uint8) uint8 {
	d := int32(x) - int32(y)
	m := d >> 31
	return uint8((d ^ m) - m)
}
