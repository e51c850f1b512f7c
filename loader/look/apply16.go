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
	var stride int
	var rect image.Rectangle
	var read func(row []uint16, s []byte)
	switch s := src.(type) {
	case *image.NRGBA64:
		pix, stride, rect, read = s.Pix, s.Stride, s.Rect, readNRGBA64
	case *image.RGBA64:
		pix, stride, rect, read = s.Pix, s.Stride, s.Rect, readRGBA64
	case *image.Gray16:
		pix, stride, rect, read = s.Pix, s.Stride, s.Rect, readGray16
	default:
		return fmt.Errorf("look: Apply16: %T is not a 16-bit image type it knows", src)
	}
	w, h := overlap(dst.Rect, rect)
	if w == 0 || h == 0 {
		return nil
	}
	l = l.norm()
	c := newCurve(l)
	lut, pm := c.lut16(), premul()
	var luma lumaTable
	if l.Channel == Luma {
		luma = c.lumaLUT()
	}
	bpp := 8
	if _, ok := src.(*image.Gray16); ok {
		bpp = 2
	}
	row := make([]uint16, 4*w) // straight R, G, B, A of one row
	for y := range h {
		read(row, pix[y*stride:][:bpp*w])
		d := dst.Pix[y*dst.Stride:][:4*w]
		switch l.Channel {
		case Color:
			color16Row(d, row, lut, pm)
		case Red, Green, Blue:
			channel16Row(d, row, int(l.Channel-Red), lut, pm)
		case Alpha:
			alpha16Row(d, row, lut)
		case Luma:
			luma16Row(d, row, luma, linear16(), pm)
		}
	}
	return nil
}

// The read functions turn a row of big-endian samples into straight
// R, G, B, A values.

func readNRGBA64(row []uint16, s []byte) {
	n := 4 * min(len(row)/4, len(s)/8)
	row = row[:n]
	for i := 0; i < len(row); i += 4 {
		v := binary.BigEndian.Uint64(s[2*i : 2*i+8 : 2*i+8]) // one load and a byte swap
		p := row[i : i+4 : i+4]
		p[0], p[1], p[2], p[3] = uint16(v>>48), uint16(v>>32), uint16(v>>16), uint16(v)
	}
}

func readRGBA64(row []uint16, s []byte) {
	readNRGBA64(row, s)
	for i := 0; i+4 <= len(row); i += 4 {
		p := row[i : i+4 : i+4]
		if a := p[3]; a != 0xffff && a != 0 {
			p[0], p[1], p[2] = straight16(p[0], a), straight16(p[1], a), straight16(p[2], a)
		}
	}
}

func readGray16(row []uint16, s []byte) {
	n := 4 * min(len(row)/4, len(s)/2)
	row = row[:n]
	for i := 0; i < len(row); i += 4 {
		v := binary.BigEndian.Uint16(s[i/2 : i/2+2 : i/2+2])
		p := row[i : i+4 : i+4]
		p[0], p[1], p[2], p[3] = v, v, v, 0xffff
	}
}

// straight16 un-premultiplies a 16-bit value, rounded, at most 0xffff.
func straight16(v, a uint16) uint16 {
	return uint16(min(0xffff, (uint32(v)*0xffff+uint32(a)/2)/uint32(a)))
}

// alpha8 rounds a 16-bit alpha to 8 bits.
func alpha8(a uint16) uint8 { return uint8((uint32(a)*0xff + 0x7fff) / 0xffff) }

// The row functions below write straight 16-bit pixels as shown, to d,
// in the style of the 8-bit ones.

func color16Row(d []byte, row []uint16, lut *[65536]uint8, pm *[65536]uint8) {
	n := 4 * (min(len(row), len(d)) / 4)
	row, d = row[:n], d[:n]
	for i := 0; i < len(row); i += 4 {
		p, q := row[i:i+4:i+4], d[i:i+4:i+4]
		if p[3] == 0xffff {
			q[0], q[1], q[2], q[3] = lut[p[0]], lut[p[1]], lut[p[2]], 0xff
			continue
		}
		a := alpha8(p[3])
		m := row256(pm, a)
		q[0], q[1], q[2], q[3] = m[lut[p[0]]], m[lut[p[1]]], m[lut[p[2]]], a
	}
}

func channel16Row(d []byte, row []uint16, ch int, lut *[65536]uint8, pm *[65536]uint8) {
	n := 4 * (min(len(row), len(d)) / 4)
	row, d = row[:n], d[:n]
	ch &= 3
	for i := 0; i < len(row); i += 4 {
		p, q := row[i:i+4:i+4], d[i:i+4:i+4]
		g := lut[p[ch]]
		if p[3] == 0xffff {
			q[0], q[1], q[2], q[3] = g, g, g, 0xff
			continue
		}
		a := alpha8(p[3])
		g = row256(pm, a)[g]
		q[0], q[1], q[2], q[3] = g, g, g, a
	}
}

func alpha16Row(d []byte, row []uint16, lut *[65536]uint8) {
	n := 4 * (min(len(row), len(d)) / 4)
	row, d = row[:n], d[:n]
	for i := 0; i < len(row); i += 4 {
		g := lut[row[i+3]]
		q := d[i : i+4 : i+4]
		q[0], q[1], q[2], q[3] = g, g, g, 0xff
	}
}

func luma16Row(d []byte, row []uint16, luma lumaTable, lin *[65536]float32, pm *[65536]uint8) {
	luma = luma[:lumaLen]
	n := 4 * (min(len(row), len(d)) / 4)
	row, d = row[:n], d[:n]
	for i := 0; i < len(row); i += 4 {
		p, q := row[i:i+4:i+4], d[i:i+4:i+4]
		y := luma[lumaIndex(luminance(lin[p[0]], lin[p[1]], lin[p[2]]))]
		if p[3] == 0xffff {
			q[0], q[1], q[2], q[3] = y, y, y, 0xff
			continue
		}
		a := alpha8(p[3])
		y = row256(pm, a)[y]
		q[0], q[1], q[2], q[3] = y, y, y, a
	}
}
