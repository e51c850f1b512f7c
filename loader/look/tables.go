package look

import (
	"math"
	"sort"
	"sync"
)

// srgbToLinear is the sRGB decoding curve (IEC 61966-2-1) on [0, 1].
func srgbToLinear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// linearToSRGB is the sRGB encoding curve on [0, 1].
func linearToSRGB(v float64) float64 {
	if v <= 0.0031308 {
		return 12.92 * v
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}

// curve is a look's exposure and gamma as numbers.
type curve struct {
	gain     float64 // 2^Exposure
	invGamma float64 // 1/Gamma
}

func newCurve(l Look) curve {
	l = l.norm()
	return curve{gain: math.Exp2(l.Exposure), invGamma: 1 / l.Gamma}
}

// fromLinear maps linear light to the display value shown for it, in
// [0, 1]: exposed, clipped, encoded, gamma applied.
func (c curve) fromLinear(y float64) float64 {
	v := y * c.gain
	if !(v > 0) { // also NaN from 0·Inf
		return 0
	}
	if v >= 1 {
		return 1
	}
	d := linearToSRGB(v)
	if c.invGamma != 1 {
		d = math.Pow(d, c.invGamma)
	}
	return d
}

// display maps a straight encoded value in [0, 1] to the value shown.
func (c curve) display(v float64) float64 { return c.fromLinear(srgbToLinear(v)) }

// linearFor returns the linear light whose display value is s, the inverse
// of fromLinear (NaN or out of [0, 1] when s cannot be reached).
func (c curve) linearFor(s float64) float64 {
	return srgbToLinear(math.Pow(s, 1/c.invGamma)) / c.gain
}

// to8 rounds a value in [0, 1] to 8 bits.
func to8(v float64) uint8 { return uint8(v*255 + 0.5) }

// lut8 is the curve for every 8-bit value.
func (c curve) lut8() *[256]uint8 {
	var t [256]uint8
	for i := range t {
		t[i] = to8(c.display(float64(i) / 255))
	}
	return &t
}

// lut16 is the curve for every 16-bit value, to 8 bits.
func (c curve) lut16() *[65536]uint8 {
	t := steps(65536,
		func(i int) uint8 { return to8(c.display(float64(i) / 65535)) },
		func(s float64) int {
			x := linearToSRGB(c.linearFor(s))
			if !(x >= 0 && x <= 1) { // also NaN
				return 65536
			}
			return int(math.Ceil(x * 65535))
		})
	return (*[65536]uint8)(t)
}

// steps returns the table t[i] = out(i), i in [0, n), of a non-decreasing
// out. Rather than calling out n times it finds where out reaches each of
// the 255 steps 1..255, starting from guess's index (where the curve's
// exact output is that step's midpoint, o−½), checked and nudged by a few
// calls to out, and found by a binary search when the guess is off.
func steps(n int, out func(int) uint8, guess func(s float64) int) []uint8 {
	t := make([]uint8, n)
	lo := 0 // out(i) ≥ o-1 for every i ≥ lo
	for o := 1; o <= 255; o++ {
		// at reports whether out has reached o at i; past the end it has,
		// so that a step out never reaches is found at n.
		at := func(i int) bool { return i >= n || int(out(i)) >= o }
		g := min(max(lo, guess((float64(o)-0.5)/255)), n)
		for k := 0; k < 2 && g < n && !at(g); k++ {
			g++
		}
		for k := 0; k < 2 && g > lo && at(g-1); k++ {
			g--
		}
		if !at(g) || (g > lo && at(g-1)) {
			g = lo + sort.Search(n-lo, func(k int) bool { return at(lo + k) })
		}
		for i := lo; i < g; i++ {
			t[i] = uint8(o - 1)
		}
		lo = g
	}
	for i := lo; i < n; i++ {
		t[i] = 255
	}
	return t
}

// lumaTable maps linear luminance to the 8-bit value shown. It is indexed
// by the top bits of the luminance as a float32, 10 bits of mantissa per
// power of two from 2^-24 up: steps of 1/1024 of the value, as fine in the
// shadows of a 16-bit frame as in its highlights (16-bit fixed point would
// be one step of linear light there, several output values apart after
// negative exposure and gamma), in a table small enough for the L1 cache;
// more bits round fewer pixels the other way at a step, at the cost of
// cache misses. The smallest luminance of a nonzero 16-bit value is above
// 2^-24; below counts as black.
type lumaTable []uint8

const (
	lumaShift = 23 - 10                        // mantissa bits dropped
	lumaBase  = (127 - 24) << (23 - lumaShift) // index of 2^-24
	lumaLen   = 25 << (23 - lumaShift)         // 2^-24 up to just below 2
)

// lumaIndex is y's entry in a lumaTable.
func lumaIndex(y float32) int {
	return min(max(int(math.Float32bits(y)>>lumaShift)-lumaBase, 0), lumaLen-1)
}

// lumaValue is the middle of entry i's span of luminance.
func lumaValue(i int) float64 {
	if i == 0 {
		return 0 // and everything below 2^-24
	}
	return float64(math.Float32frombits(uint32(i+lumaBase)<<lumaShift | 1<<(lumaShift-1)))
}

// lumaLUT is the curve for luminance.
func (c curve) lumaLUT() lumaTable {
	return steps(lumaLen,
		func(i int) uint8 { return to8(c.fromLinear(lumaValue(i))) },
		func(s float64) int {
			y := c.linearFor(s)
			if !(y >= 0) || y > 2 {
				return lumaLen
			}
			return lumaIndex(float32(y))
		})
}

// luminance is the Rec. 709 luminance of three linear values.
func luminance(r, g, b float32) float32 { return 0.2126*r + 0.7152*g + 0.0722*b }

// linear8 holds, for every 8-bit sRGB value, its linear light times the
// luminance weight of red, green and blue: adding three entries gives a
// pixel's luminance.
var linear8 = sync.OnceValue(func() *[3][256]float32 {
	var t [3][256]float32
	for i := range 256 {
		l := float32(srgbToLinear(float64(i) / 255))
		t[0][i], t[1][i], t[2][i] = 0.2126*l, 0.7152*l, 0.0722*l
	}
	return &t
})

// linear16 holds the linear light of every 16th 16-bit sRGB value, and of
// 0xffff+1 (extrapolated) so that every value has a next entry: lin16
// interpolates between them. This table stays in the L1 cache, where one
// entry per value (256 KiB) would not on a noisy frame; the curve is
// smooth enough that the interpolation stays far below an output step
// (TestApply16MatchesReference).
var linear16 = sync.OnceValue(func() *[4097]float32 {
	var t [4097]float32
	for i := range t {
		t[i] = float32(srgbToLinear(float64(i*16) / 65535))
	}
	return &t
})

// lin16 is the linear light of the 16-bit value v, interpolated in t.
func lin16(t *[4097]float32, v uint16) float32 {
	i := v >> 4
	a, b := t[i], t[i+1]
	return a + (b-a)*float32(v&15)*(1.0/16)
}

// unpremul holds, at [a<<8|c], the straight 8-bit value of the
// premultiplied value c under alpha a, rounded, at most 255; 0 for a = 0.
var unpremul = sync.OnceValue(func() *[65536]uint8 {
	var t [65536]uint8
	for a := 1; a < 256; a++ {
		for c := range 256 {
			t[a<<8|c] = uint8(min(255, (c*255+a/2)/a))
		}
	}
	return &t
})

// premul holds, at [a<<8|c], c·a/255 rounded. premul of unpremul gives
// back every premultiplied value c ≤ a exactly: the straight value is off
// by at most ½, which a/255 ≤ 1 shrinks to at most ½ again.
var premul = sync.OnceValue(func() *[65536]uint8 {
	var t [65536]uint8
	for a := range 256 {
		for c := range 256 {
			t[a<<8|c] = uint8((c*a + 127) / 255)
		}
	}
	return &t
})

// row256 returns the 256 entries of a table for alpha a.
func row256(t *[65536]uint8, a uint8) *[256]uint8 {
	return (*[256]uint8)(t[int(a)<<8:])
}
