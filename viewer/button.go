package viewer

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// IconButton is a flat button showing a themed icon. Unlike widget.Button
// it never takes keyboard focus, so the arrow keys keep stepping frames
// after it is clicked.
type IconButton struct {
	widget.BaseWidget

	// Hint names what the button does and its key, e.g. "Next frame (Right)".
	Hint     string
	OnTapped func()

	// Fields below are used on the UI goroutine only.
	icon    fyne.Resource
	hovered bool
}

var (
	_ fyne.Widget       = (*IconButton)(nil)
	_ fyne.Tappable     = (*IconButton)(nil)
	_ desktop.Hoverable = (*IconButton)(nil)
)

// NewIconButton returns a button showing icon.
func NewIconButton(icon fyne.Resource, hint string, tapped func()) *IconButton {
	b := &IconButton{icon: icon, Hint: hint, OnTapped: tapped}
	b.ExtendBaseWidget(b)
	return b
}

// SetIcon changes the icon, e.g. play to pause.
func (b *IconButton) SetIcon(icon fyne.Resource) {
	b.icon = icon
	b.Refresh()
}

// Tapped implements fyne.Tappable.
func (b *IconButton) Tapped(*fyne.PointEvent) {
	if b.OnTapped != nil {
		b.OnTapped()
	}
}

// MouseIn implements desktop.Hoverable.
func (b *IconButton) MouseIn(*desktop.MouseEvent) { b.hovered = true; b.Refresh() }

// MouseMoved implements desktop.Hoverable.
func (b *IconButton) MouseMoved(*desktop.MouseEvent) {}

// MouseOut implements desktop.Hoverable.
func (b *IconButton) MouseOut() { b.hovered = false; b.Refresh() }

// CreateRenderer implements fyne.Widget.
func (b *IconButton) CreateRenderer() fyne.WidgetRenderer {
	r := &iconButtonRenderer{button: b, background: canvas.NewRectangle(theme.Color(theme.ColorNameHover)), icon: canvas.NewImageFromResource(b.icon)}
	r.background.CornerRadius = theme.InputRadiusSize()
	r.icon.FillMode = canvas.ImageFillContain
	r.Refresh()
	return r
}

type iconButtonRenderer struct {
	button     *IconButton
	background *canvas.Rectangle
	icon       *canvas.Image
}

func (r *iconButtonRenderer) Layout(size fyne.Size) {
	r.background.Resize(size)
	pad := theme.InnerPadding()
	r.icon.Move(fyne.NewPos(pad/2, pad/2))
	r.icon.Resize(size.SubtractWidthHeight(pad, pad))
}

func (r *iconButtonRenderer) MinSize() fyne.Size {
	s := theme.IconInlineSize() + theme.InnerPadding()
	return fyne.NewSize(s*1.4, s)
}

func (r *iconButtonRenderer) Refresh() {
	r.background.Hidden = !r.button.hovered
	r.background.FillColor = theme.Color(theme.ColorNameHover)
	r.background.Refresh()
	if r.icon.Resource != r.button.icon {
		r.icon.Resource = r.button.icon
		r.icon.Refresh()
	}
}

func (r *iconButtonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.background, r.icon}
}

func (r *iconButtonRenderer) Destroy() {}
