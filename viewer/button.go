package viewer

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// IconButton is a flat button showing a themed icon. Unlike widget.Button
// it never takes keyboard focus, so the arrow keys keep stepping frames
// after it is clicked.
type IconButton struct {
	widget.BaseWidget

	// Hint names what the button does and its key, e.g. "Next frame (Right)";
	// it shows as a tooltip on Tips while the pointer is over the button.
	Hint     string
	Tips     *TooltipLayer
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
	b.hideTip()
	if b.OnTapped != nil {
		b.OnTapped()
	}
}

// MouseIn shows the hover state and the hint as a tooltip.
func (b *IconButton) MouseIn(*desktop.MouseEvent) {
	b.hovered = true
	b.Refresh()
	b.showTip()
}

// MouseMoved implements desktop.Hoverable.
func (b *IconButton) MouseMoved(*desktop.MouseEvent) {}

// MouseOut implements desktop.Hoverable.
func (b *IconButton) MouseOut() {
	b.hovered = false
	b.Refresh()
	b.hideTip()
}

// showTip shows the hint above the button on the tooltip layer.
func (b *IconButton) showTip() {
	if b.Tips != nil && b.Hint != "" {
		b.Tips.Show(b.Hint, b)
	}
}

func (b *IconButton) hideTip() {
	if b.Tips != nil {
		b.Tips.Hide()
	}
}

// TooltipLayer is a layer stacked over the window's content that shows one
// tooltip at a time. It is part of the content rather than a canvas overlay
// because Fyne sends all pointer input to the top overlay, which would make
// the button under its own tooltip unclickable.
type TooltipLayer struct {
	*fyne.Container
	tip *tooltip
}

// NewTooltipLayer returns an empty layer; stack it above the content with
// container.NewStack(content, layer).
func NewTooltipLayer() *TooltipLayer {
	return &TooltipLayer{Container: container.NewWithoutLayout()}
}

// Show shows text just above anchor, kept inside the layer.
func (l *TooltipLayer) Show(text string, anchor fyne.CanvasObject) {
	l.Hide()
	d := fyne.CurrentApp().Driver()
	l.tip = newTooltip(text)
	size := l.tip.MinSize()
	pos := d.AbsolutePositionForObject(anchor).Subtract(d.AbsolutePositionForObject(l.Container))
	x := fyne.Max(0, fyne.Min(pos.X, l.Size().Width-size.Width))
	y := pos.Y - size.Height - theme.Padding()
	if y < 0 {
		y = pos.Y + anchor.Size().Height + theme.Padding()
	}
	l.tip.Move(fyne.NewPos(x, y))
	l.tip.Resize(size)
	l.Add(l.tip)
	l.Refresh() // Add only lays out; without a refresh nothing repaints
}

// Hide removes the tooltip, if any.
func (l *TooltipLayer) Hide() {
	if l.tip != nil {
		l.Remove(l.tip)
		l.tip = nil
		l.Refresh()
	}
}

// Text returns the tooltip shown, if any.
func (l *TooltipLayer) Text() string {
	if l.tip == nil {
		return ""
	}
	return l.tip.text
}

// tooltip is a small dark box of text.
type tooltip struct {
	widget.BaseWidget
	text string
}

func newTooltip(text string) *tooltip {
	t := &tooltip{text: text}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tooltip) CreateRenderer() fyne.WidgetRenderer {
	back := canvas.NewRectangle(color.NRGBA{0x10, 0x10, 0x12, 0xe8})
	back.CornerRadius = 4
	text := canvas.NewText(t.text, color.White)
	text.TextSize = theme.CaptionTextSize()
	pad := theme.Padding()
	return &tooltipRenderer{back: back, text: text, pad: pad}
}

type tooltipRenderer struct {
	back *canvas.Rectangle
	text *canvas.Text
	pad  float32
}

func (r *tooltipRenderer) Layout(size fyne.Size) {
	r.back.Resize(size)
	r.text.Move(fyne.NewPos(r.pad*1.5, r.pad))
}

func (r *tooltipRenderer) MinSize() fyne.Size {
	return r.text.MinSize().AddWidthHeight(3*r.pad, 2*r.pad)
}

func (r *tooltipRenderer) Refresh()                     {}
func (r *tooltipRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.back, r.text} }
func (r *tooltipRenderer) Destroy()                     {}

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
	// The highlight stays visible and turns transparent: a rectangle
	// unhidden for the first time has no canvas yet and would not repaint.
	r.background.FillColor = color.Transparent
	if r.button.hovered {
		r.background.FillColor = theme.Color(theme.ColorNameHover)
	}
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

// TextButton is a flat button with a label, for the actions under a
// message. Like IconButton it never takes keyboard focus.
type TextButton struct {
	widget.BaseWidget

	OnTapped func()

	// Fields below are used on the UI goroutine only.
	label   string
	hovered bool
}

var (
	_ fyne.Widget       = (*TextButton)(nil)
	_ fyne.Tappable     = (*TextButton)(nil)
	_ desktop.Hoverable = (*TextButton)(nil)
)

// NewTextButton returns a button labelled label.
func NewTextButton(label string, tapped func()) *TextButton {
	b := &TextButton{label: label, OnTapped: tapped}
	b.ExtendBaseWidget(b)
	return b
}

// Label returns the button's label.
func (b *TextButton) Label() string { return b.label }

// Tapped implements fyne.Tappable.
func (b *TextButton) Tapped(*fyne.PointEvent) {
	if b.OnTapped != nil {
		b.OnTapped()
	}
}

// MouseIn shows the hover state.
func (b *TextButton) MouseIn(*desktop.MouseEvent) { b.hovered = true; b.Refresh() }

// MouseMoved implements desktop.Hoverable.
func (b *TextButton) MouseMoved(*desktop.MouseEvent) {}

// MouseOut clears the hover state.
func (b *TextButton) MouseOut() { b.hovered = false; b.Refresh() }

// CreateRenderer implements fyne.Widget.
func (b *TextButton) CreateRenderer() fyne.WidgetRenderer {
	r := &textButtonRenderer{b: b, back: canvas.NewRectangle(color.Transparent), text: canvas.NewText(b.label, theme.Color(theme.ColorNameForeground))}
	r.back.CornerRadius = theme.InputRadiusSize()
	r.back.StrokeWidth = 1
	r.Refresh()
	return r
}

type textButtonRenderer struct {
	b    *TextButton
	back *canvas.Rectangle
	text *canvas.Text
}

func (r *textButtonRenderer) Layout(size fyne.Size) {
	r.back.Resize(size)
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos((size.Width-ts.Width)/2, (size.Height-ts.Height)/2))
}

func (r *textButtonRenderer) MinSize() fyne.Size {
	p := theme.InnerPadding()
	return r.text.MinSize().AddWidthHeight(2*p, p)
}

func (r *textButtonRenderer) Refresh() {
	r.text.Text = r.b.label
	r.text.Color = theme.Color(theme.ColorNameForeground)
	r.back.StrokeColor = theme.Color(theme.ColorNameButton)
	r.back.FillColor = color.Transparent
	if r.b.hovered {
		r.back.FillColor = theme.Color(theme.ColorNameHover)
	}
	r.text.Refresh()
	r.back.Refresh()
}

func (r *textButtonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.back, r.text}
}

func (r *textButtonRenderer) Destroy() {}
