package viewer

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
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

// FrameView shows one frame, fitted to its area or zoomed, with a message in
// place of the picture when there is none to show (an error, an empty
// folder), a small "loading" note over the picture while the next one is not
// ready (so the view is never blank), and an optional info box.
//
// It never scales pixels on the CPU. Fitted, it shows the view-sized copy it
// is given (OnPixelSize tells the size to make) one to one, drawn with
// nearest-neighbour filtering, the cheapest repaint. Zoomed, it shows the
// full-resolution frame and lets the GPU scale it: nearest neighbour at
// 100 % and above, so pixels are exact, linear below; until the full frame
// is there, the view copy enlarged.
//
// The wheel zooms around the pointer and dragging pans a zoomed frame. As a
// fyne.Scrollable, the view also clips the zoomed frame to its area.
type FrameView struct {
	widget.BaseWidget

	// OnPixelSize is called on the UI goroutine with the view's size in
	// device pixels when it changes.
	OnPixelSize func(w, h int)
	// OnZoom is called on the UI goroutine when the zoom changes, with
	// the new scale in screen pixels per image pixel.
	OnZoom func(scale float64)

	// Fields below are used on the UI goroutine only.
	frame   Frame  // View is nil when showing a message
	message string // title of the message in place of the picture
	detail  string
	actions []Action
	loading string
	info    string
	zoom    float64       // screen pixels per image pixel; 0 = fit
	center  fyne.Position // image pixel shown at the view's centre when zoomed
	pixelW  int
	pixelH  int
}

// Action is a button under a message, such as "Open Folder…".
type Action struct {
	Label  string
	Tapped func()
}

var (
	_ fyne.Widget     = (*FrameView)(nil)
	_ fyne.Scrollable = (*FrameView)(nil)
	_ fyne.Draggable  = (*FrameView)(nil)
)

// NewFrameView returns an empty view.
func NewFrameView() *FrameView {
	v := &FrameView{}
	v.ExtendBaseWidget(v)
	return v
}

// SetFrame shows a frame. It clears any message and loading note and keeps
// the zoom, and the part of the picture zoomed into when the new frame has
// the same size.
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
// core taken from decoding (the real-window benchmark measured held-key
// settle 501 → 372 ms and playback 3.5 → 5.4 fps without it).
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

func (v *FrameView) middle() fyne.Position {
	s := v.Size()
	return fyne.NewPos(s.Width/2, s.Height/2)
}

// deviceScale is device pixels per logical unit.
func (v *FrameView) deviceScale() float64 {
	if w := v.Size().Width; w > 0 && v.pixelW > 0 {
		return float64(v.pixelW) / float64(w)
	}
	return 1
}

// fitScale is the zoom at which the full frame fits the view; above 1 for
// a frame smaller than the view, which fit enlarges like any other.
func (v *FrameView) fitScale() float64 {
	s := v.frame.Size
	if v.frame.View == nil || v.pixelW == 0 || v.pixelH == 0 || s.X <= 0 || s.Y <= 0 {
		return 0
	}
	return math.Min(float64(v.pixelW)/float64(s.X), float64(v.pixelH)/float64(s.Y))
}

// BeyondView reports whether the frame is shown larger than its view copy
// holds pixels for, so its full resolution is wanted: zoomed in past fit.
func (v *FrameView) BeyondView() bool {
	if v.zoom == 0 || v.frame.View == nil {
		return false
	}
	return v.zoom*float64(v.frame.Size.X) > float64(v.frame.View.Bounds().Dx())+0.5
}

// oneToOne reports whether the view copy is drawn at its own size at fit:
// the size the fit gives it (FitSize in loader/decode) is its size.
func (v *FrameView) oneToOne() bool {
	k, b := v.fitScale(), v.frame.View.Bounds()
	if k > 1 {
		return false // fit enlarges a frame smaller than the view
	}
	w, h := math.Round(k*float64(v.frame.Size.X)), math.Round(k*float64(v.frame.Size.Y))
	return math.Abs(w-float64(b.Dx())) <= 1 && math.Abs(h-float64(b.Dy())) <= 1
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
			d := at.Subtract(v.middle())
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

// Dragged pans a zoomed frame.
func (v *FrameView) Dragged(ev *fyne.DragEvent) {
	if v.zoom == 0 || v.frame.View == nil {
		return
	}
	k := float32(v.deviceScale() / v.zoom)
	v.center = v.center.Subtract(fyne.NewPos(ev.Dragged.DX*k, ev.Dragged.DY*k))
	v.clampCenter()
	v.Refresh()
}

// DragEnd implements fyne.Draggable.
func (v *FrameView) DragEnd() {}

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

// CreateRenderer implements fyne.Widget.
func (v *FrameView) CreateRenderer() fyne.WidgetRenderer {
	r := &frameViewRenderer{
		view:     v,
		image:    &canvas.Image{ScaleMode: canvas.ImageScalePixels, FillMode: canvas.ImageFillContain},
		message:  widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		detail:   widget.NewLabel(""),
		sign:     canvas.NewImageFromResource(theme.WarningIcon()),
		actions:  container.NewHBox(),
		noteBack: canvas.NewRectangle(color.NRGBA{A: 0xb0}),
		note:     canvas.NewText("", color.White),
		infoBack: canvas.NewRectangle(color.NRGBA{A: 0xb0}),
		info:     widget.NewLabel(""),
	}
	r.message.Wrapping = fyne.TextWrapWord
	r.detail.Wrapping = fyne.TextWrapWord
	r.detail.Alignment = fyne.TextAlignCenter
	r.sign.FillMode = canvas.ImageFillContain
	r.note.TextSize = theme.CaptionTextSize()
	r.noteBack.CornerRadius = 4
	r.infoBack.CornerRadius = 4
	r.info.TextStyle.Monospace = true
	r.Refresh()
	return r
}

type frameViewRenderer struct {
	view     *FrameView
	image    *canvas.Image
	message  *widget.Label
	detail   *widget.Label
	sign     *canvas.Image
	actions  *fyne.Container // TextButtons of the message's actions
	shown    []Action        // the actions the buttons were made for
	noteBack *canvas.Rectangle
	note     *canvas.Text
	infoBack *canvas.Rectangle
	info     *widget.Label
}

func (r *frameViewRenderer) Layout(size fyne.Size) {
	v := r.view
	if v.zoom == 0 || v.frame.View == nil {
		r.image.Move(fyne.Position{})
		r.image.Resize(size)
	} else {
		k := float32(v.zoom / v.deviceScale())
		is := fyne.NewSize(float32(v.frame.Size.X)*k, float32(v.frame.Size.Y)*k)
		r.image.Resize(is)
		mid := v.middle()
		r.image.Move(fyne.NewPos(mid.X-v.center.X*k, mid.Y-v.center.Y*k))
	}

	pad := theme.Padding()
	width := fyne.Min(size.Width-4*pad, 720)
	fit := func(l *widget.Label) float32 { // wrapped labels know their height once they know their width
		l.Resize(fyne.NewSize(width, l.MinSize().Height))
		l.Resize(fyne.NewSize(width, l.MinSize().Height))
		return l.Size().Height
	}
	signSize := float32(48)
	as := r.actions.MinSize()
	total := signSize + fit(r.message) + fit(r.detail) + as.Height
	y := (size.Height - total) / 2
	r.sign.Move(fyne.NewPos((size.Width-signSize)/2, y))
	r.sign.Resize(fyne.NewSquareSize(signSize))
	y += signSize
	r.message.Move(fyne.NewPos((size.Width-width)/2, y))
	y += r.message.Size().Height
	r.detail.Move(fyne.NewPos((size.Width-width)/2, y))
	y += r.detail.Size().Height
	r.actions.Move(fyne.NewPos((size.Width-as.Width)/2, y))
	r.actions.Resize(as)

	ns := r.note.MinSize()
	r.noteBack.Move(fyne.NewPos(2*pad, 2*pad))
	r.noteBack.Resize(ns.AddWidthHeight(3*pad, 3*pad))
	r.note.Move(fyne.NewPos(3.5*pad, 2.5*pad))

	is := r.info.MinSize()
	r.infoBack.Move(fyne.NewPos(size.Width-is.Width-pad, pad))
	r.infoBack.Resize(is)
	r.info.Move(r.infoBack.Position())
	r.info.Resize(is)
}

func (r *frameViewRenderer) MinSize() fyne.Size { return fyne.NewSize(160, 120) }

func (r *frameViewRenderer) Refresh() {
	v := r.view
	img, mode, fill := v.frame.View, canvas.ImageScaleFastest, canvas.ImageFillContain
	switch {
	case img == nil:
	case v.zoom == 0:
		if v.oneToOne() {
			mode = canvas.ImageScalePixels // drawn 1:1: nearest is exact and the cheapest repaint
		}
	case v.frame.Full != nil:
		img, fill = v.frame.Full, canvas.ImageFillStretch
		if v.zoom >= 1 {
			mode = canvas.ImageScalePixels // exact pixels: nearest, no blur
		}
	default:
		fill = canvas.ImageFillStretch // the view copy, enlarged until the full frame is there
	}
	if r.image.Image != img || r.image.ScaleMode != mode || r.image.FillMode != fill {
		r.image.Image, r.image.ScaleMode, r.image.FillMode = img, mode, fill
		r.image.Hidden = img == nil
		r.image.Refresh()
	}
	r.message.SetText(v.message)
	r.detail.SetText(v.detail)
	r.message.Hidden, r.detail.Hidden, r.sign.Hidden = v.message == "", v.message == "", v.message == ""
	if !sameActions(r.shown, v.actions) {
		r.shown = v.actions
		r.actions.Objects = nil
		for i, a := range v.actions {
			r.actions.Add(NewTextButton(a.Label, func() {
				if i < len(v.actions) {
					v.actions[i].Tapped()
				}
			}))
		}
	}
	r.actions.Hidden = len(v.actions) == 0
	r.note.Text = v.loading
	loading := v.loading != ""
	r.note.Hidden, r.noteBack.Hidden = !loading, !loading
	r.note.Refresh()
	r.info.SetText(v.info)
	r.info.Hidden, r.infoBack.Hidden = v.info == "", v.info == ""
	r.Layout(v.Size())
	r.noteBack.Refresh()
	r.infoBack.Refresh()
}

// sameActions reports whether a and b are the same buttons: the same
// labels. (Functions cannot be compared; the buttons call the view's
// current actions, so new functions for the same labels are used.)
func sameActions(a, b []Action) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Label != b[i].Label {
			return false
		}
	}
	return true
}

func (r *frameViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.image, r.sign, r.message, r.detail, r.actions, r.noteBack, r.note, r.infoBack, r.info}
}

func (r *frameViewRenderer) Destroy() {}
