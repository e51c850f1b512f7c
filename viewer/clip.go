package viewer

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// clip draws its content cut to its own area, and takes no input: the
// view under it still gets the wheel, drags and the pointer. The content is
// placed by whoever places the clip, in the clip's coordinates.
type clip struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

var _ fyne.Widget = (*clip)(nil)

func newClip(content fyne.CanvasObject) *clip {
	c := &clip{content: content}
	c.ExtendBaseWidget(c)
	return c
}

func (c *clip) CreateRenderer() fyne.WidgetRenderer { return &clipRenderer{c} }

type clipRenderer struct{ c *clip }

// IsClip tells Fyne's painter to clip this widget's objects to its area.
func (r *clipRenderer) IsClip() {}

func (r *clipRenderer) Layout(fyne.Size)             {}
func (r *clipRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (r *clipRenderer) Refresh()                     { r.c.content.Refresh() }
func (r *clipRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.c.content} }
func (r *clipRenderer) Destroy()                     {}

// tag is a small label on a dark box, naming a side of a comparison.
type tag struct {
	widget.BaseWidget
	text string
}

func newTag() *tag {
	t := &tag{}
	t.ExtendBaseWidget(t)
	return t
}

// set shows text, or hides the tag.
func (t *tag) set(text string, visible bool) {
	t.Hidden = !visible
	if t.text != text {
		t.text = text
		t.Refresh()
	}
}

func (t *tag) CreateRenderer() fyne.WidgetRenderer {
	r := &tagRenderer{t: t, back: canvas.NewRectangle(color.NRGBA{A: 0xb0}), text: canvas.NewText("", color.White)}
	r.back.CornerRadius = 4
	r.text.TextSize = theme.CaptionTextSize()
	r.Refresh()
	return r
}

type tagRenderer struct {
	t    *tag
	back *canvas.Rectangle
	text *canvas.Text
}

func (r *tagRenderer) Layout(size fyne.Size) {
	r.back.Resize(size)
	r.text.Move(fyne.NewPos(theme.Padding(), theme.Padding()/2))
}

func (r *tagRenderer) MinSize() fyne.Size {
	return r.text.MinSize().AddWidthHeight(2*theme.Padding(), theme.Padding())
}

func (r *tagRenderer) Refresh() {
	r.text.Text = r.t.text
	r.text.Refresh()
	r.back.Refresh()
}

func (r *tagRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.back, r.text} }
func (r *tagRenderer) Destroy()                     {}
