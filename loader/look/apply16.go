package look

import (
	"encoding/binary"
	"fmt"
	"image"
)

// Apply16 writes src, a 16-bit frame, as l shows it into dst, premultiplied
// 8-bit. The curve reads the 16-bit values, so exposure brings out detail
// that the 8-bit view has already rounded away. src is one of the types
// Go's PNG decoder gives 16-bit files:
//
//   - *image.NRGBA64: straight colour (RGBA and grey+alpha files);
//   - *image.RGBA64: premultiplied colour (RGB files, where it is opaque
//     and so the same as straight; and frames scaled with alpha), which is
//     un-premultiplied at 16 bits;
//   - *image.Gray16: grey files, opaque.
//
// Other types return an error and leave dst as it is. As for Apply, the
// top-left area both cover is written and the rest of dst left as it is;
// a neutral look still converts (to 8 bits, rounded). Alpha is rounded to
// 8 bits; a pixel whose alpha rounds to 0 is transparent black.
func Apply16(dst *image.RGBA, src image.Image, l Look) error {
	var pix []byte
	var stride, bpp int
	var rect image.Rectangle
	premultiplied := false
	switch s := src.(type) {
	case *image.NRGBA64:
		pix, stride, bpp, rect = s.Pix, s.Stride, 8, s.Rect
	case *image.RGBA64:
		pix, stride, bpp, rect, premultiplied = s.Pix, s.Stride, 8, s.Rect, true
	case *image.Gray16:
		pix, stride, bpp, rect = s.Pix, s.Stride, 2, s.Rect
	default:
		return fmt.Errorf("look: Apply16: %T is not a 16-bit image type it knows", src)
	}
	w, h := overlap(dst.Rect, rect)
	if w == 0 || h == 0 {
		return nil
	}
	l = l.norm()
	c := newCurve(l)
	t := tables16{lut: c.lut16(), pm: premul()}
	if l.Channel == Luma {
		t.luma, t.lin = c.lumaLUT(), linear16()
	}
	for y := range h {
		s := pix[y*stride:][:bpp*w]
		d := dst.Pix[y*dst.Stride:][:4*w]
		if bpp == 2 {
			gray16Row(d, s, l.Channel, &t)
			continue
		}
		switch l.Channel {
		case Color:
			color64Row(d, s, premultiplied, &t)
		case Red, Green, Blue:
			channel64Row(d, s, premultiplied, 48-16*uint(l.Channel-Red), &t)
		case Alpha:
			alpha64Row(d, s, &t)
		case Luma:
			luma64Row(d, s, premultiplied, &t)
		}
	}
	return nil
}

// tables16 are the tables of a look for 16-bit values.
type tables16 struct {
	lut  *[65536]uint8  // the curve for straight 16-bit values
	pm   *[65536]uint8  // premul
	luma lumaTable      // the curve for luminance (Luma only)
	lin  *[4097]float32 // linear16 (Luma only)
}

// straight16 un-premultiplies a 16-bit value, rounded, at most 0xffff.
func straight16(v, a uint16) uint16 {
	return uint16(min(0xffff, (uint32(v)*0xffff+uint32(a)/2)/uint32(a)))
}

// alpha8 rounds a 16-bit alpha to 8 bits.
func alpha8(a uint16) uint8 { return uint8((uint32(a)*0xff + 0x7fff) / 0xffff) }

// The 64 row functions read pixels of four big-endian 16-bit samples (one
// load and a byte swap each) and write them as shown to d, in the style of
// the 8-bit ones; premultiplied pixels are made straight first, at 16
// bits. They read and write in one pass: a row of straight values between
// cost more than the lookups.

// pixel64 is pixel k of s: a 64-bit word, R in the top bits.
func pixel64(s []byte, k int) uint64 { return binary.BigEndian.Uint64(s[8*k : 8*k+8 : 8*k+8]) }

// straight64 un-premultiplies a pixel word whose alpha is neither 0 nor
// 0xffff.
func straight64(v uint64) uint64 {
	a := uint16(v)
	return uint64(straight16(uint16(v>>48), a))<<48 | uint64(straight16(uint16(v>>32), a))<<32 |
		uint64(straight16(uint16(v>>16), a))<<16 | uint64(a)
}

func color64Row(d, s []byte, premultiplied bool, t *tables16) {
	lut := t.lut
	n := min(len(s)/8, len(d)/4)
	for k := range n {
		v := pixel64(s, k)
		q := d[4*k : 4*k+4 : 4*k+4]
		a := uint16(v)
		if a == 0xffff {
			q[0], q[1], q[2], q[3] = lut[uint16(v>>48)], lut[uint16(v>>32)], lut[uint16(v>>16)], 0xff
			continue
		}
		if premultiplied && a != 0 {
			v = straight64(v)
		}
		a8 := alpha8(a)
		m := row256(t.pm, a8)
		q[0], q[1], q[2], q[3] = m[lut[uint16(v>>48)]], m[lut[uint16(v>>32)]], m[lut[uint16(v>>16)]], a8
	}
}

// channel64Row shows the channel at bit shift (48 red, 32 green, 16 blue)
// as grey.
func channel64Row(d, s []byte, premultiplied bool, shift uint, t *tables16) {
	lut := t.lut
	n := min(len(s)/8, len(d)/4)
	for k := range n {
		v := pixel64(s, k)
		q := d[4*k : 4*k+4 : 4*k+4]
		a := uint16(v)
		if a == 0xffff {
			g := lut[uint16(v>>(shift&63))]
			q[0], q[1], q[2], q[3] = g, g, g, 0xff
			continue
		}
		if premultiplied && a != 0 {
			v = straight64(v)
		}
		a8 := alpha8(a)
		g := row256(t.pm, a8)[lut[uint16(v>>(shift&63))]]
		q[0], q[1], q[2], q[3] = g, g, g, a8
	}
}

func alpha64Row(d, s []byte, t *tables16) {
	lut := t.lut
	n := min(len(s)/8, len(d)/4)
	for k := range n {
		g := lut[uint16(pixel64(s, k))]
		q := d[4*k : 4*k+4 : 4*k+4]
		q[0], q[1], q[2], q[3] = g, g, g, 0xff
	}
}

func luma64Row(d, s []byte, premultiplied bool, t *tables16) {
	luma, lin := t.luma[:lumaLen], t.lin
	n := min(len(s)/8, len(d)/4)
	for k := range n {
		v := pixel64(s, k)
		q := d[4*k : 4*k+4 : 4*k+4]
		a := uint16(v)
		if premultiplied && a != 0xffff && a != 0 {
			v = straight64(v)
		}
		y := luma[lumaIndex(luminance(lin16(lin, uint16(v>>48)), lin16(lin, uint16(v>>32)), lin16(lin, uint16(v>>16))))]
		if a == 0xffff {
			q[0], q[1], q[2], q[3] = y, y, y, 0xff
			continue
		}
		a8 := alpha8(a)
		y = row256(t.pm, a8)[y]
		q[0], q[1], q[2], q[3] = y, y, y, a8
	}
}

// gray16Row shows opaque grey pixels: every channel but alpha and
// luminance is the grey itself.
func gray16Row(d, s []byte, ch Channel, t *tables16) {
	n := min(len(s)/2, len(d)/4)
	for k := range n {
		v := binary.BigEndian.Uint16(s[2*k : 2*k+2 : 2*k+2])
		var g uint8
		switch ch {
		case Alpha:
			g = t.lut[0xffff]
		case Luma:
			l := lin16(t.lin, v)
			g = t.luma[lumaIndex(luminance(l, l, l))]
		default:
			g = t.lut[v]
		}
		q := d[4*k : 4*k+4 : 4*k+4]
		q[0], q[1], q[2], q[3] = g, g, g, 0xff
	}
}
