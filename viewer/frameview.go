package viewer

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Background is the neutral dark grey behind frames: it neither tints the
// picture nor glares around it. FrameView draws nothing behind the picture:
// a theme makes this the window's background, which the GL clear paints at
// no cost (a full-window rectangle costs a fill per repaint).
var Background = color.NRGBA{R: 0x20, G: 0x20, B: 0x22, A: 0xff}

// Frame is a picture as FrameView shows it.
type Frame struct {
	// View is the picture fitted to the view's pixel size (OnPixelSize
	// says which), or the full picture when it fits: shown one to one at
	// fit. It should be an *image.RGBA: any other type is converted at
	// paint time.
	View image.Image
	// Full is the picture at full resolution, for zooming in; nil while it
	// is not loaded, and View is then shown enlarged.
	Full image.Image
	// Size is the full picture's size in pixels.
	Size image.Point
}

// Zoom limits, in screen pixels per image pixel.
const (
	MinZoom = 1.0 / 32
	MaxZoom = 64
)

// FrameView shows a frame, fitted to its area or zoomed, or two frames
// compared (SetCompare): split by a wipe line, side by side, their
// difference, or either alone. In place of the picture it shows a message
// when there is none to show (an error, an empty folder), a small
// "loading" note over the picture while the next one is not ready (so the
// view is never blank), an optional info box, and a box of pixel values
// by the pointer.
//
// It never scales pixels on the CPU. Fitted, it shows the view-sized copy it
// is given (OnPixelSize tells the size to make) one to one, drawn with
// nearest-neighbour filtering, the cheapest repaint. Zoomed, it shows the
// full-resolution frame and lets the GPU scale it: nearest neighbour at
// 100 % and above, so pixels are exact, linear below; until the full frame
// is there, the view copy enlarged.
//
// The wheel zooms around the pointer; dragging pans a zoomed frame, or
// moves the wipe line when it starts on it. As a fyne.Scrollable, the view
// also clips the zoomed frame to its area.
type FrameView struct {
	widget.BaseWidget

	// Callbacks, all on the UI goroutine.
	OnPixelSize func(w, h int)      // the view's size in device pixels changed
	OnZoom      func(scale float64) // the zoom changed: screen pixels per image pixel
	OnPointer   func(p PointerAt)   // the pointer moved over the view, or left it
	OnWipe      func(split float32) // the person dragged the wipe line (0 left edge … 1 right edge)

	// Fields below are used on the UI goroutine only.
	frame   Frame  // A, or the only frame; View is nil when showing a message
	message string // title of the message in place of the picture
	detail  string
	actions []Action
	loading string
	info    string
	zoom    float64       // screen pixels per image pixel; 0 = fit
	center  fyne.Position // image pixel of A shown at the middle of its area when zoomed
	pixelW  int
	pixelH  int
	cmp     comparison
	pointer pointerState
	drag    dragKind // what the drag under way does
}

// Action is a button under a message, such as "Open Folder…".
type Action struct {
	Label  string
	Tapped func()
}

var (
	_ fyne.Widget       = (*FrameView)(nil)
	_ fyne.Scrollable   = (*FrameView)(nil)
	_ fyne.Draggable    = (*FrameView)(nil)
	_ desktop.Hoverable = (*FrameView)(nil)
)

// NewFrameView returns an empty view.
func NewFrameView() *FrameView {
	v := &FrameView{cmp: comparison{split: 0.5}}
	v.ExtendBaseWidget(v)
	return v
}

// SetFrame shows a frame (A, when comparing). It clears any message and
// loading note and keeps the zoom, and the part of the picture zoomed into
// when the new frame has the same size.
func (v *FrameView) SetFrame(f Frame) {
	if v.frame.View == nil || v.frame.Size != f.Size {
		v.center = fyne.NewPos(float32(f.Size.X)/2, float32(f.Size.Y)/2)
	}
	v.frame, v.message, v.detail, v.actions, v.loading = f, "", "", nil, ""
	v.Refresh()
}

// SetMessage shows a message in place of the picture: a warning sign, the
// title in bold (what could not be done, e.g. "Cannot show 37.png"), the
// detail below it (why) and buttons for what the person may do instead.
func (v *FrameView) SetMessage(title, detail string, actions ...Action) {
	v.frame, v.message, v.detail, v.actions, v.loading = Frame{}, title, detail, actions, ""
	v.Refresh()
}

// SetLoading shows a small note such as "loading 37.png…" over the current
// picture, or removes it when text is "". The note does not animate: in
// software GL an animation repaints the whole window 60 times a second, a
// core taken from decoding.
func (v *FrameView) SetLoading(text string) {
	if v.loading == text {
		return
	}
	v.loading = text
	v.Refresh()
}

// SetInfo shows text in a box in the top right corner, or hides it when
// text is "".
func (v *FrameView) SetInfo(text string) {
	if v.info == text {
		return
	}
	v.info = text
	v.Refresh()
}

// Message returns the message shown in place of the picture, title and
// detail on two lines, or "".
func (v *FrameView) Message() string {
	if v.detail == "" {
		return v.message
	}
	return v.message + "\n" + v.detail
}

// Loading returns the loading note, if any.
func (v *FrameView) Loading() string { return v.loading }

// Info returns the info box's text, if any.
func (v *FrameView) Info() string { return v.info }

// Zoom returns the zoom in screen pixels per image pixel, 0 when fitted.
func (v *FrameView) Zoom() float64 { return v.zoom }

// ZoomFit fits the frame to the view.
func (v *FrameView) ZoomFit() { v.setZoom(0, v.middle()) }

// ZoomActual shows the frame at 100 %: one image pixel per screen pixel.
func (v *FrameView) ZoomActual() { v.setZoom(1, v.middle()) }

// ZoomBy multiplies the zoom by f, keeping the image point under at (a
// position in the view) where it is.
func (v *FrameView) ZoomBy(f float64, at fyne.Position) {
	z := v.zoom
	if z == 0 {
		z = v.fitScale()
	}
	if z == 0 {
		return
	}
	nz := math.Max(MinZoom, math.Min(MaxZoom, z*f))
	// Snap to 100 % when passing it, so the exact size is easy to hit.
	if (z < 1 && nz > 1) || (z > 1 && nz < 1) {
		nz = 1
	}
	v.setZoom(nz, at)
}

// setZoom sets zoom z (0 = fit) keeping the image point under at in place.
func (v *FrameView) setZoom(z float64, at fyne.Position) {
	if v.frame.View != nil && z != 0 {
		old := v.zoom
		if old == 0 {
			old = v.fitScale()
		}
		if old > 0 {
			// The image point under at stays under at.
			k := float32(v.deviceScale())
			d := at.Subtract(v.areaMiddle(v.areaA()))
			q := v.center.Add(fyne.NewPos(d.X*k/float32(old), d.Y*k/float32(old)))
			v.center = q.Subtract(fyne.NewPos(d.X*k/float32(z), d.Y*k/float32(z)))
			v.clampCenter()
		}
	}
	if z == v.zoom {
		v.Refresh()
		return
	}
	v.zoom = z
	v.Refresh()
	if v.OnZoom != nil {
		if z == 0 {
			z = v.fitScale()
		}
		v.OnZoom(z)
	}
}

func (v *FrameView) clampCenter() {
	v.center.X = fyne.Max(0, fyne.Min(float32(v.frame.Size.X), v.center.X))
	v.center.Y = fyne.Max(0, fyne.Min(float32(v.frame.Size.Y), v.center.Y))
}

// Scrolled zooms around the pointer: one wheel notch is 1.25×.
func (v *FrameView) Scrolled(ev *fyne.ScrollEvent) {
	if ev.Scrolled.DY == 0 {
		return
	}
	v.ZoomBy(math.Pow(1.25, float64(ev.Scrolled.DY)/10), ev.Position)
}

// dragKind is what a drag does, decided where it starts.
type dragKind uint8

const (
	dragNone dragKind = iota
	dragPan
	dragWipe
)

// wipeGrab is how near the wipe line, in logical units, a drag must start
// to move the line rather than pan.
const wipeGrab = 12

// Dragged pans a zoomed frame, or moves the wipe line when the drag started
// on it.
func (v *FrameView) Dragged(ev *fyne.DragEvent) {
	if v.drag == dragNone {
		v.drag = dragPan
		start := ev.Position.Subtract(ev.Dragged)
		if v.cmp.mode == Wipe && absf(start.X-v.wipeX()) <= wipeGrab {
			v.drag = dragWipe
		}
	}
	switch {
	case v.drag == dragWipe:
		a := v.areaA()
		if a.size.Width > 0 {
			v.cmp.split = fyne.Max(0, fyne.Min(1, (ev.Position.X-a.pos.X)/a.size.Width))
			v.Refresh()
			if v.OnWipe != nil {
				v.OnWipe(v.cmp.split)
			}
		}
	case v.zoom != 0 && v.frame.View != nil:
		k := float32(v.deviceScale() / v.zoom)
		v.center = v.center.Subtract(fyne.NewPos(ev.Dragged.DX*k, ev.Dragged.DY*k))
		v.clampCenter()
		v.Refresh()
	}
}

// DragEnd implements fyne.Draggable.
func (v *FrameView) DragEnd() { v.drag = dragNone }

// Resize sizes the view and reports its new pixel size.
func (v *FrameView) Resize(size fyne.Size) {
	v.BaseWidget.Resize(size)
	c := fyne.CurrentApp().Driver().CanvasForObject(v)
	if c == nil {
		return
	}
	w, h := c.PixelCoordinateForPosition(fyne.NewPos(size.Width, size.Height))
	if w == v.pixelW && h == v.pixelH {
		return
	}
	v.pixelW, v.pixelH = w, h
	if v.OnPixelSize != nil {
		v.OnPixelSize(w, h)
	}
}

func absf(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}
