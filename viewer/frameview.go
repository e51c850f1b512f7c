package viewer

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Background is the neutral dark grey behind frames: it neither tints the
// picture nor glares around it.
var Background = color.NRGBA{R: 0x20, G: 0x20, B: 0x22, A: 0xff}

// FrameView shows one frame fitted to its area, a message in place of the
// picture when there is none to show (an error, an empty folder), and a small
// "loading" note over the picture while the next one is not ready, so the
// view is never blank.
//
// Frames are shown as they come: it never scales pixels itself. Give it a
// frame already scaled to its pixel size (OnPixelSize tells the size) and it
// draws it with the fastest scaler, which then copies pixels one to one.
type FrameView struct {
	widget.BaseWidget

	// OnPixelSize is called on the UI goroutine with the view's size in
	// device pixels when it changes.
	OnPixelSize func(w, h int)

	// Fields below are used on the UI goroutine only.
	frame   image.Image
	message string
	loading string
	pixelW  int
	pixelH  int
}

var _ fyne.Widget = (*FrameView)(nil)

// NewFrameView returns an empty view.
func NewFrameView() *FrameView {
	v := &FrameView{}
	v.ExtendBaseWidget(v)
	return v
}

// SetFrame shows img and clears any message and loading note. img should be
// an *image.RGBA: any other type is converted at paint time.
func (v *FrameView) SetFrame(img image.Image) {
	v.frame, v.message, v.loading = img, "", ""
	v.Refresh()
}

// SetMessage shows msg in place of the picture.
func (v *FrameView) SetMessage(msg string) {
	v.frame, v.message, v.loading = nil, msg, ""
	v.Refresh()
}

// SetLoading shows a small note such as "loading 37.png…" over the current
// picture, or removes it when text is "".
func (v *FrameView) SetLoading(text string) {
	if v.loading == text {
		return
	}
	v.loading = text
	v.Refresh()
}

// Message returns the message shown in place of the picture, if any.
func (v *FrameView) Message() string { return v.message }

// Loading returns the loading note, if any.
func (v *FrameView) Loading() string { return v.loading }

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
		view:       v,
		background: canvas.NewRectangle(Background),
		image:      &canvas.Image{ScaleMode: canvas.ImageScaleFastest, FillMode: canvas.ImageFillContain},
		message:    widget.NewLabel(""),
		noteBack:   canvas.NewRectangle(color.NRGBA{A: 0xa0}),
		note:       canvas.NewText("", color.White),
	}
	r.message.Wrapping = fyne.TextWrapWord
	r.message.Alignment = fyne.TextAlignCenter
	r.note.TextSize = theme.CaptionTextSize()
	r.noteBack.CornerRadius = 4
	r.Refresh()
	return r
}

type frameViewRenderer struct {
	view       *FrameView
	background *canvas.Rectangle
	image      *canvas.Image
	message    *widget.Label
	noteBack   *canvas.Rectangle
	note       *canvas.Text
}

func (r *frameViewRenderer) Layout(size fyne.Size) {
	r.background.Resize(size)
	r.image.Resize(size)
	pad := theme.Padding()
	msg := r.message.MinSize()
	width := fyne.Min(size.Width-4*pad, 720)
	r.message.Resize(fyne.NewSize(width, msg.Height))
	r.message.Resize(fyne.NewSize(width, r.message.MinSize().Height))
	r.message.Move(fyne.NewPos((size.Width-width)/2, (size.Height-r.message.Size().Height)/2))
	ns := r.note.MinSize()
	r.noteBack.Resize(ns.AddWidthHeight(2*pad, pad))
	r.noteBack.Move(fyne.NewPos(pad, pad))
	r.note.Move(fyne.NewPos(2*pad, pad*1.5))
}

func (r *frameViewRenderer) MinSize() fyne.Size { return fyne.NewSize(160, 120) }

func (r *frameViewRenderer) Refresh() {
	v := r.view
	if r.image.Image != v.frame {
		r.image.Image = v.frame
		r.image.Hidden = v.frame == nil
		r.image.Refresh()
	}
	r.message.SetText(v.message)
	r.message.Hidden = v.message == ""
	r.note.Text = v.loading
	r.note.Hidden = v.loading == ""
	r.noteBack.Hidden = r.note.Hidden
	r.note.Refresh()
	r.Layout(v.Size())
	r.noteBack.Refresh()
}

func (r *frameViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.background, r.image, r.message, r.noteBack, r.note}
}

func (r *frameViewRenderer) Destroy() {}
