package look

import "image"

// Apply writes src as l shows it into dst, both premultiplied 8-bit. dst
// may be src itself (the frame changed in place); otherwise the two must
// not share pixels. Sizes may differ: the top-left area both cover is
// written, the rest of dst is left as it is, so dst is normally made the
// size of src (image.NewRGBA(src.Rect)). A neutral look copies.
func Apply(dst, src *image.RGBA, l Look) {
	w, h := overlap(dst.Rect, src.Rect)
	if w == 0 || h == 0 {
		return
	}
	l = l.norm()
	if l.IsNeutral() {
		if &dst.Pix[0] != &src.Pix[0] || dst.Stride != src.Stride {
			for y := range h {
				copy(dst.Pix[y*dst.Stride:][:4*w], src.Pix[y*src.Stride:][:4*w])
			}
		}
		return
	}
	c := newCurve(l)
	lut := c.lut8()
	var luma lumaTable
	if l.Channel == Luma {
		luma = c.lumaLUT()
	}
	un, pm := unpremul(), premul()
	soft := softLUT{lut: lut}
	for y := range h {
		d := dst.Pix[y*dst.Stride:][:4*w]
		s := src.Pix[y*src.Stride:][:4*w]
		switch l.Channel {
		case Color:
			colorRow(d, s, lut, &soft)
		case Red, Green, Blue:
			channelRow(d, s, int(l.Channel-Red), lut, &soft)
		case Alpha:
			alphaRow(d, s, lut)
		case Luma:
			lumaRow(d, s, luma, linear8(), un, pm)
		}
	}
}

// overlap returns the size of the top-left area two rectangles both cover
// when laid at the same origin.
func overlap(a, b image.Rectangle) (w, h int) {
	return max(0, min(a.Dx(), b.Dx())), max(0, min(a.Dy(), b.Dy()))
}

// The row functions read a pixel whole before writing it, so d may be s.
// Opaque pixels take the short path; every other alpha, 0 included, goes
// through the tables for that alpha. They are byte loops with full slice
// expressions: loading whole words and switching on alpha was several
// times slower (see BenchmarkApply).

// softLUT is lut for premultiplied values under every alpha: at [a<<8|c],
// c un-premultiplied, put through lut and premultiplied again. One lookup
// instead of three for each channel of a partly transparent pixel; built
// on the first such pixel, as most frames have none or few.
type softLUT struct {
	lut *[256]uint8
	t   *[65536]uint8
}

// row returns the table for alpha a.
func (s *softLUT) row(a uint8) *[256]uint8 {
	if s.t == nil {
		s.build()
	}
	return row256(s.t, a)
}

func (s *softLUT) build() {
	un, pm := unpremul(), premul()
	s.t = new([65536]uint8)
	for a := range 256 {
		u, m, t := row256(un, uint8(a)), row256(pm, uint8(a)), row256(s.t, uint8(a))
		for c := range 256 {
			t[c] = m[s.lut[u[c]]]
		}
	}
}

// colorRow puts each straight colour value through lut.
func colorRow(d, s []byte, lut *[256]uint8, soft *softLUT) {
	n := 4 * (min(len(s), len(d)) / 4)
	s, d = s[:n], d[:n]
	for i := 0; i < len(s); i += 4 {
		p, q := s[i:i+4:i+4], d[i:i+4:i+4]
		r, g, b, a := p[0], p[1], p[2], p[3]
		if a == 0xff {
			q[0], q[1], q[2], q[3] = lut[r], lut[g], lut[b], 0xff
			continue
		}
		m := soft.row(a)
		q[0], q[1], q[2], q[3] = m[r], m[g], m[b], a
	}
}

// channelRow shows channel ch (0 red, 1 green, 2 blue) as grey.
func channelRow(d, s []byte, ch int, lut *[256]uint8, soft *softLUT) {
	n := 4 * (min(len(s), len(d)) / 4)
	s, d = s[:n], d[:n]
	ch &= 3
	for i := 0; i < len(s); i += 4 {
		p, q := s[i:i+4:i+4], d[i:i+4:i+4]
		v, a := p[ch], p[3]
		if a == 0xff {
			g := lut[v]
			q[0], q[1], q[2], q[3] = g, g, g, 0xff
			continue
		}
		g := soft.row(a)[v]
		q[0], q[1], q[2], q[3] = g, g, g, a
	}
}

// alphaRow shows alpha as opaque grey.
func alphaRow(d, s []byte, lut *[256]uint8) {
	n := 4 * (min(len(s), len(d)) / 4)
	s, d = s[:n], d[:n]
	for i := 0; i < len(s); i += 4 {
		g := lut[s[i+3]]
		q := d[i : i+4 : i+4]
		q[0], q[1], q[2], q[3] = g, g, g, 0xff
	}
}

// lumaRow shows luminance as grey: lin gives each straight value's
// weighted linear light, luma the grey shown for a luminance.
func lumaRow(d, s []byte, luma lumaTable, lin *[3][256]float32, un, pm *[65536]uint8) {
	luma = luma[:lumaLen]
	n := 4 * (min(len(s), len(d)) / 4)
	s, d = s[:n], d[:n]
	for i := 0; i < len(s); i += 4 {
		p, q := s[i:i+4:i+4], d[i:i+4:i+4]
		r, g, b, a := p[0], p[1], p[2], p[3]
		if a == 0xff {
			y := luma[lumaIndex(lin[0][r]+lin[1][g]+lin[2][b])]
			q[0], q[1], q[2], q[3] = y, y, y, 0xff
			continue
		}
		u := row256(un, a)
		y := row256(pm, a)[luma[lumaIndex(lin[0][u[r]]+lin[1][u[g]]+lin[2][u[b]])]]
		q[0], q[1], q[2], q[3] = y, y, y, a
	}
}
