package app

import (
	"fmt"
	"image"
	"strings"

	"seqview/loader"
	"seqview/loader/decode"
	"seqview/viewer"
)

// toggleInspect shows or hides the pixel values under the pointer (key p).
// They are read from the full-resolution frames, which the loaders make on
// demand while the inspector is on; meanwhile the view frame's values are
// shown, marked approx.
func (u *ui) toggleInspect() {
	u.inspect = !u.inspect
	for _, s := range u.sessions() {
		s.svc.SetFullSize(u.inspect || u.view.BeyondView())
		if s.seq.Len() > 0 && u.inspect {
			u.requestSide(s, s.index)
		}
	}
	u.refreshPointer()
	u.setMenu()
}

// pointerMoved follows the pointer over the view.
func (u *ui) pointerMoved(p viewer.PointerAt) {
	u.pointer = p
	u.refreshPointer()
}

// refreshPointer rewrites the pixel values by the pointer.
func (u *ui) refreshPointer() {
	if !u.inspect || !u.pointer.Over || u.sess == nil {
		u.view.SetPointerInfo("")
		return
	}
	var lines []string
	p := u.pointer
	switch {
	case p.InA:
		lines = append(lines, fmt.Sprintf("x %d  y %d", p.A.X, p.A.Y))
	case p.InB:
		lines = append(lines, fmt.Sprintf("x %d  y %d", p.B.X, p.B.Y))
	default:
		u.view.SetPointerInfo("")
		return
	}
	b := u.sideB()
	side := func(label string, s *session, at image.Point, in bool) {
		if s == nil || !in || s.shown == nil {
			return
		}
		lines = append(lines, label+pixelText(s.shown, at))
	}
	if b == nil {
		side("", u.sess, p.A, p.InA)
	} else {
		side("A  ", u.sess, p.A, p.InA)
		side("B  ", b, p.B, p.InB)
	}
	u.view.SetPointerInfo(strings.Join(lines, "\n"))
}

// pixelText is frame f's values at pixel at of its full size: the file's
// own, from the full-resolution frame, or the view frame's meanwhile.
func pixelText(f *loader.Decoded, at image.Point) string {
	if f.Full != nil {
		return formatPixel(f.Full.Pixel(at.X, at.Y), "")
	}
	// The view frame's pixel over that point, straight (not premultiplied).
	v := f.View.Rect
	x, y := at.X*v.Dx()/max(f.Info.Width, 1), at.Y*v.Dy()/max(f.Info.Height, 1)
	c := f.View.RGBAAt(x, y)
	r, g, bl := unpremultiply(c.R, c.A), unpremultiply(c.G, c.A), unpremultiply(c.B, c.A)
	px := decode.Pixel{Values: [4]uint16{uint16(r), uint16(g), uint16(bl), uint16(c.A)}, Channels: 4, Depth: 8}
	return formatPixel(px, "  approx.")
}

func unpremultiply(c, a uint8) uint8 {
	if a == 0 {
		return 0
	}
	return uint8(min(255, (uint32(c)*255+uint32(a)/2)/uint32(a)))
}

// formatPixel writes a pixel's values with their channels' names.
func formatPixel(p decode.Pixel, note string) string {
	names := map[int]string{1: "Y", 2: "YA", 3: "RGB", 4: "RGBA"}[p.Channels]
	var b strings.Builder
	for i := range p.Channels {
		fmt.Fprintf(&b, "%c %d  ", names[i], p.Values[i])
	}
	fmt.Fprintf(&b, "(%d-bit)%s", p.Depth, note)
	return b.String()
}
