package look

import (
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
//     and so the same as straight; and frames scaled with alpha);
//   - *image.Gray16: grey files, opaque.
//
// Other types return an error and leave dst as it is. As for Apply, the
// top-left area both cover is written and the rest of dst left as it is;
// a neutral look still converts (to 8 bits, rounded).
func Apply16(dst *image.RGBA, src image.Image, l Look) error {
	var pix []byte
	var stride, bpp int
	var rect image.Rectangle
	switch s := src.(type) {
	case *image.NRGBA64:
		pix, stride, bpp, rect = s.Pix, s.Stride, 8, s.Rect
	case *image.RGBA64:
		pix, stride, bpp, rect = s.Pix, s.Stride, 8, s.Rect
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
	o := out16{ch: l.Channel, lut: c.lut16(), pm: premul()}
	if l.Channel == Luma {
		o.luma, o.lin = c.lumaLUT(), linear16()
	}
	for y := range h {
		d := dst.Pix[y*dst.Stride:][:4*w]
		s := pix[y*stride:][:bpp*w]
		switch src.(type) {
		case *image.NRGBA64:
			for i := 0; i+8 <= len(s) && i/2+4 <= len(d); i += 8 {
				p := s[i : i+8 : i+8]
				o.put(d[i/2:i/2+4:i/2+4], be16(p[0:]), be16(p[2:]), be16(p[4:]), be16(p[6:]))
			}
		case *image.RGBA64:
			for i := 0; i+8 <= len(s) && i/2+4 <= len(d); i += 8 {
				p := s[i : i+8 : i+8]
				r, g, b, a := be16(p[0:]), be16(p[2:]), be16(p[4:]), be16(p[6:])
				if a != 0xffff && a != 0 {
					r, g, b = straight16(r, a), straight16(g, a), straight16(b, a)
				}
				o.put(d[i/2:i/2+4:i/2+4], r, g, b, a)
			}
		case *image.Gray16:
			for i := 0; i+2 <= len(s) && 2*i+4 <= len(d); i += 2 {
				v := be16(s[i:])
				o.put(d[2*i:2*i+4:2*i+4], v, v, v, 0xffff)
			}
		}
	}
	return nil
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

// straight16 un-premultiplies a 16-bit value, rounded, at most 0xffff.
func straight16(v, a uint16) uint16 {
	return uint16(min(0xffff, (uint32(v)*0xffff+uint32(a)/2)/uint32(a)))
}

// out16 turns straight 16-bit pixels into shown 8-bit ones.
type out16 struct {
	ch   Channel
	lut  *[65536]uint8   // the curve for straight 16-bit values
	luma lumaTable       // the curve for luminance (Luma only)
	lin  *[65536]float32 // linear light of 16-bit values (Luma only)
	pm   *[65536]uint8
}

// put writes the pixel r, g, b, a (straight, 16-bit) to q.
func (o *out16) put(q []byte, r, g, b, a uint16) {
	if o.ch == Alpha {
		v := o.lut[a]
		q[0], q[1], q[2], q[3] = v, v, v, 0xff
		return
	}
	// Rounded to 8 bits; pixels that round to alpha 0 are transparent.
	a8 := uint8((uint32(a)*0xff + 0x7fff) / 0xffff)
	if a8 == 0 {
		q[0], q[1], q[2], q[3] = 0, 0, 0, 0
		return
	}
	var vr, vg, vb uint8
	switch o.ch {
	case Red:
		vr = o.lut[r]
		vg, vb = vr, vr
	case Green:
		vr = o.lut[g]
		vg, vb = vr, vr
	case Blue:
		vr = o.lut[b]
		vg, vb = vr, vr
	case Luma:
		vr = o.luma[lumaIndex(luminance(o.lin[r], o.lin[g], o.lin[b]))]
		vg, vb = vr, vr
	default:
		vr, vg, vb = o.lut[r], o.lut[g], o.lut[b]
	}
	if a8 != 0xff {
		m := row256(o.pm, a8)
		vr, vg, vb = m[vr], m[vg], m[vb]
	}
	q[0], q[1], q[2], q[3] = vr, vg, vb, a8
}
