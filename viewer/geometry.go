package viewer

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
)

// rect is an area of the view, in logical units.
type rect struct {
	pos  fyne.Position
	size fyne.Size
}

// areaA is where A is laid out: the whole view, or the left half side by
// side.
func (v *FrameView) areaA() rect {
	s := v.Size()
	if v.cmp.on && v.cmp.mode == SideBySide {
		return rect{size: fyne.NewSize(s.Width/2, s.Height)}
	}
	return rect{size: s}
}

// areaB is where B is laid out: the whole view (at A's place), or the
// right half side by side.
func (v *FrameView) areaB() rect {
	s := v.Size()
	if v.cmp.on && v.cmp.mode == SideBySide {
		return rect{pos: fyne.NewPos(s.Width/2, 0), size: fyne.NewSize(s.Width-s.Width/2, s.Height)}
	}
	return rect{size: s}
}

func (v *FrameView) middle() fyne.Position { return v.areaMiddle(rect{size: v.Size()}) }

func (v *FrameView) areaMiddle(a rect) fyne.Position {
	return a.pos.Add(fyne.NewPos(a.size.Width/2, a.size.Height/2))
}

// wipeX is where the wipe line is, in the view.
func (v *FrameView) wipeX() float32 {
	a := v.areaA()
	return a.pos.X + v.cmp.split*a.size.Width
}

// deviceScale is device pixels per logical unit.
func (v *FrameView) deviceScale() float64 {
	if w := v.Size().Width; w > 0 && v.pixelW > 0 {
		return float64(v.pixelW) / float64(w)
	}
	return 1
}

// fitIn is the scale, in device pixels per image pixel, at which a
// picture of size fits area a; above 1 for a picture smaller than the
// area, which fit enlarges like any other.
func (v *FrameView) fitIn(size image.Point, a rect) float64 {
	if size.X <= 0 || size.Y <= 0 || a.size.Width <= 0 || a.size.Height <= 0 {
		return 0
	}
	ds := v.deviceScale()
	return math.Min(float64(a.size.Width)*ds/float64(size.X), float64(a.size.Height)*ds/float64(size.Y))
}

// fitScale is the zoom at which A fits its area.
func (v *FrameView) fitScale() float64 {
	if v.frame.View == nil {
		return 0
	}
	return v.fitIn(v.frame.Size, v.areaA())
}

// imageRect is where frame f is drawn in area a: fitted and centred, or at
// the zoom around the view's centre point (A's, mapped to f's size). Its
// corners fall on device pixels, so a view copy drawn at its own size is
// drawn one to one.
func (v *FrameView) imageRect(f Frame, a rect) rect {
	ds := v.deviceScale()
	k := v.zoom
	if k == 0 {
		k = v.fitIn(f.Size, a)
	}
	w, h := math.Round(float64(f.Size.X)*k), math.Round(float64(f.Size.Y)*k)
	var x, y float64
	if v.zoom == 0 {
		x = math.Floor(float64(a.pos.X)*ds + (float64(a.size.Width)*ds-w)/2)
		y = math.Floor(float64(a.pos.Y)*ds + (float64(a.size.Height)*ds-h)/2)
	} else {
		c := v.center
		if f.Size != v.frame.Size && v.frame.Size.X > 0 && v.frame.Size.Y > 0 {
			c = fyne.NewPos(c.X*float32(f.Size.X)/float32(v.frame.Size.X), c.Y*float32(f.Size.Y)/float32(v.frame.Size.Y))
		}
		m := v.areaMiddle(a)
		x = math.Round(float64(m.X)*ds - float64(c.X)*k)
		y = math.Round(float64(m.Y)*ds - float64(c.Y)*k)
	}
	return rect{pos: fyne.NewPos(float32(x/ds), float32(y/ds)), size: fyne.NewSize(float32(w/ds), float32(h/ds))}
}

// imageRectB is where B is drawn: at A's place and size when they share
// the view (so a wipe compares the same point of both), in its own half
// side by side.
func (v *FrameView) imageRectB() rect {
	if v.cmp.mode == SideBySide || v.frame.View == nil {
		return v.imageRect(v.cmp.b, v.areaB())
	}
	return v.imageRect(v.frame, v.areaA())
}

// oneToOne reports whether f's view copy is drawn at its own size in r.
func (v *FrameView) oneToOne(f Frame, r rect) bool {
	ds, b := v.deviceScale(), f.View.Bounds()
	return math.Abs(float64(r.size.Width)*ds-float64(b.Dx())) < 0.5 && math.Abs(float64(r.size.Height)*ds-float64(b.Dy())) < 0.5
}

// BeyondView reports whether a frame is shown larger than its view copy
// holds pixels for, so its full resolution is wanted: zoomed in past fit.
func (v *FrameView) BeyondView() bool {
	if v.zoom == 0 {
		return false
	}
	beyond := func(f Frame) bool {
		return f.View != nil && v.zoom*float64(f.Size.X) > float64(f.View.Bounds().Dx())+0.5
	}
	return beyond(v.frame) || (v.cmp.on && beyond(v.cmp.b))
}
