package viewer

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// CreateRenderer implements fyne.Widget.
func (v *FrameView) CreateRenderer() fyne.WidgetRenderer {
	newBack := func() *canvas.Rectangle {
		r := canvas.NewRectangle(color.NRGBA{A: 0xb0})
		r.CornerRadius = 4
		return r
	}
	r := &frameViewRenderer{
		view:        v,
		imageA:      &canvas.Image{ScaleMode: canvas.ImageScalePixels, FillMode: canvas.ImageFillStretch},
		imageB:      &canvas.Image{ScaleMode: canvas.ImageScalePixels, FillMode: canvas.ImageFillStretch},
		blankB:      canvas.NewRectangle(Background),
		line:        canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xc0}),
		grip:        canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xe0}),
		tagA:        newTag(),
		tagB:        newTag(),
		noteB:       widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
		message:     widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		detail:      widget.NewLabel(""),
		sign:        canvas.NewImageFromResource(theme.WarningIcon()),
		actions:     container.NewHBox(),
		noteBack:    newBack(),
		note:        canvas.NewText("", color.White),
		infoBack:    newBack(),
		info:        widget.NewLabel(""),
		pointerBack: newBack(),
		pointer:     widget.NewLabel(""),
	}
	r.clipB = newClip(r.imageB)
	r.grip.CornerRadius = 3
	r.message.Wrapping = fyne.TextWrapWord
	r.detail.Wrapping = fyne.TextWrapWord
	r.detail.Alignment = fyne.TextAlignCenter
	r.noteB.Wrapping = fyne.TextWrapWord
	r.sign.FillMode = canvas.ImageFillContain
	r.note.TextSize = theme.CaptionTextSize()
	r.info.TextStyle.Monospace = true
	r.pointer.TextStyle.Monospace = true
	r.Refresh()
	return r
}

type frameViewRenderer struct {
	view        *FrameView
	imageA      *canvas.Image
	clipB       *clip // clips imageB to B's part of the view
	imageB      *canvas.Image
	blankB      *canvas.Rectangle // covers A in B's part of the view when B has no frame there
	line        *canvas.Rectangle // the wipe line
	grip        *canvas.Rectangle // where to take the wipe line
	tagA, tagB  *tag
	noteB       *widget.Label // B's half, when B has no frame there
	message     *widget.Label
	detail      *widget.Label
	sign        *canvas.Image
	actions     *fyne.Container // TextButtons of the message's actions
	shown       []Action        // the actions the buttons were made for
	noteBack    *canvas.Rectangle
	note        *canvas.Text
	infoBack    *canvas.Rectangle
	info        *widget.Label
	pointerBack *canvas.Rectangle
	pointer     *widget.Label
}

func (r *frameViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.imageA, r.blankB, r.clipB, r.line, r.grip, r.noteB, r.tagA, r.tagB, r.sign, r.message, r.detail,
		r.actions, r.noteBack, r.note, r.infoBack, r.info, r.pointerBack, r.pointer}
}

func (r *frameViewRenderer) Destroy() {}

func (r *frameViewRenderer) MinSize() fyne.Size { return fyne.NewSize(160, 120) }

// pick chooses what to draw of frame f drawn in rect at and how: the view
// copy or the full frame, nearest-neighbour filtering where pixels are
// drawn one to one or enlarged past 100 %, linear otherwise.
func (r *frameViewRenderer) pick(f Frame, at rect) (image.Image, canvas.ImageScale) {
	v := r.view
	switch {
	case f.View == nil:
		return nil, canvas.ImageScaleFastest
	case v.zoom == 0 && v.oneToOne(f, at):
		return f.View, canvas.ImageScalePixels // drawn 1:1: nearest is exact and the cheapest repaint
	case v.zoom != 0 && f.Full != nil && v.zoom >= 1:
		return f.Full, canvas.ImageScalePixels // exact pixels: nearest, no blur
	case v.zoom != 0 && f.Full != nil:
		return f.Full, canvas.ImageScaleFastest
	}
	return f.View, canvas.ImageScaleFastest // a stale size, or enlarged until the full frame is there
}

// show sets what an image draws, refreshing it only when that changed.
func show(img *canvas.Image, pic image.Image, mode canvas.ImageScale) {
	hidden := pic == nil
	if img.Image != pic || img.ScaleMode != mode || img.Hidden != hidden {
		img.Image, img.ScaleMode, img.Hidden = pic, mode, hidden
		img.Refresh()
	}
}

func (r *frameViewRenderer) Refresh() {
	v := r.view
	c := v.cmp
	a := v.frame
	if c.on && c.mode == Difference && c.diff.View != nil {
		a = c.diff
	}
	if c.on && c.mode == OnlyB {
		a = Frame{}
	}
	pic, mode := r.pick(a, v.imageRect(a, v.areaA()))
	show(r.imageA, pic, mode)
	bShown := c.on && (c.mode == Wipe || c.mode == SideBySide || c.mode == OnlyB)
	if bShown {
		pic, mode = r.pick(c.b, v.imageRectB())
	} else {
		pic = nil
	}
	show(r.imageB, pic, mode)
	r.clipB.Hidden = !bShown
	r.blankB.Hidden = !bShown || c.b.View != nil
	r.line.Hidden, r.grip.Hidden = !c.on || c.mode != Wipe, !c.on || c.mode != Wipe
	r.noteB.SetText(c.bNote)
	r.noteB.Hidden = !bShown || c.b.View != nil || c.bNote == ""
	r.tagA.set(c.nameA, c.on && c.nameA != "" && c.mode != OnlyB && c.mode != Difference)
	r.tagB.set(c.nameB, bShown && c.nameB != "")
	if c.on && c.mode == Difference {
		r.tagA.set("difference  "+c.nameA+" − "+c.nameB, true)
	}

	r.message.SetText(v.message)
	r.detail.SetText(v.detail)
	r.message.Hidden, r.detail.Hidden, r.sign.Hidden = v.message == "", v.message == "", v.message == ""
	if !sameActions(r.shown, v.actions) {
		r.shown = v.actions
		r.actions.Objects = nil
		for i, act := range v.actions {
			r.actions.Add(NewTextButton(act.Label, func() {
				if i < len(v.actions) {
					v.actions[i].Tapped()
				}
			}))
		}
	}
	r.actions.Hidden = len(v.actions) == 0
	r.note.Text = v.loading
	if c.on && c.mode == Difference && c.pending && v.loading == "" {
		r.note.Text = "making the difference…"
	}
	r.note.Hidden, r.noteBack.Hidden = r.note.Text == "", r.note.Text == ""
	r.note.Refresh()
	r.info.SetText(v.info)
	r.info.Hidden, r.infoBack.Hidden = v.info == "", v.info == ""
	r.pointer.SetText(v.pointer.text)
	r.pointer.Hidden = v.pointer.text == "" || !v.pointer.at.Over
	r.pointerBack.Hidden = r.pointer.Hidden
	r.Layout(v.Size())
	for _, o := range []fyne.CanvasObject{r.noteBack, r.infoBack, r.pointerBack, r.line, r.grip, r.blankB} {
		o.Refresh()
	}
}

func (r *frameViewRenderer) Layout(size fyne.Size) {
	v := r.view
	c := v.cmp
	place := func(o fyne.CanvasObject, at rect) {
		o.Move(at.pos)
		o.Resize(at.size)
	}
	a := v.frame
	if c.on && c.mode == Difference && c.diff.View != nil {
		a = c.diff
	}
	ra := v.imageRect(a, v.areaA())
	place(r.imageA, ra)

	// B is drawn where imageRectB says, cut to its part of the view.
	var clipAt rect
	switch {
	case !c.on:
	case c.mode == Wipe:
		x := v.wipeX()
		clipAt = rect{pos: fyne.NewPos(x, 0), size: fyne.NewSize(size.Width-x, size.Height)}
	case c.mode == SideBySide, c.mode == OnlyB:
		clipAt = v.areaB()
	}
	place(r.clipB, clipAt)
	place(r.blankB, clipAt)
	rb := v.imageRectB()
	place(r.imageB, rect{pos: rb.pos.Subtract(clipAt.pos), size: rb.size})
	x := v.wipeX()
	place(r.line, rect{pos: fyne.NewPos(x-1, 0), size: fyne.NewSize(2, size.Height)})
	place(r.grip, rect{pos: fyne.NewPos(x-4, size.Height/2-20), size: fyne.NewSize(8, 40)})
	noteArea := v.areaB()
	if c.mode == Wipe {
		noteArea = clipAt
	}
	ns := r.noteB.MinSize()
	width := fyne.Min(noteArea.size.Width-2*theme.Padding(), 360)
	r.noteB.Resize(fyne.NewSize(width, ns.Height))
	r.noteB.Resize(fyne.NewSize(width, r.noteB.MinSize().Height))
	r.noteB.Move(v.areaMiddle(noteArea).Subtract(fyne.NewPos(width/2, r.noteB.Size().Height/2)))

	pad := theme.Padding()
	// Tags sit at the bottom of each side, clear of the note and the info.
	ta, tb := r.tagA.MinSize(), r.tagB.MinSize()
	r.tagA.Resize(ta)
	r.tagB.Resize(tb)
	areaA := v.areaA()
	r.tagA.Move(fyne.NewPos(areaA.pos.X+2*pad, size.Height-ta.Height-2*pad))
	if c.mode == SideBySide || c.mode == OnlyB {
		r.tagB.Move(fyne.NewPos(v.areaB().pos.X+2*pad, size.Height-tb.Height-2*pad))
	} else {
		r.tagB.Move(fyne.NewPos(size.Width-tb.Width-2*pad, size.Height-tb.Height-2*pad))
	}

	r.layoutMessage(areaA)

	ns = r.note.MinSize()
	r.noteBack.Move(fyne.NewPos(2*pad, 2*pad))
	r.noteBack.Resize(ns.AddWidthHeight(3*pad, 3*pad))
	r.note.Move(fyne.NewPos(3.5*pad, 2.5*pad))

	is := r.info.MinSize()
	r.infoBack.Move(fyne.NewPos(size.Width-is.Width-pad, pad))
	r.infoBack.Resize(is)
	r.info.Move(r.infoBack.Position())
	r.info.Resize(is)

	// The pixel values follow the pointer, kept inside the view.
	ps := r.pointer.MinSize()
	p := v.pointer.at.Pos.Add(fyne.NewPos(16, 16))
	p.X = fyne.Max(0, fyne.Min(p.X, size.Width-ps.Width))
	p.Y = fyne.Max(0, fyne.Min(p.Y, size.Height-ps.Height))
	place(r.pointerBack, rect{pos: p, size: ps})
	place(r.pointer, rect{pos: p, size: ps})
}

// layoutMessage centres the message, its sign, detail and buttons in area.
func (r *frameViewRenderer) layoutMessage(area rect) {
	width := fyne.Min(area.size.Width-4*theme.Padding(), 720)
	fit := func(l *widget.Label) float32 { // wrapped labels know their height once they know their width
		l.Resize(fyne.NewSize(width, l.MinSize().Height))
		l.Resize(fyne.NewSize(width, l.MinSize().Height))
		return l.Size().Height
	}
	signSize := float32(48)
	as := r.actions.MinSize()
	total := signSize + fit(r.message) + fit(r.detail) + as.Height
	x := area.pos.X + (area.size.Width-width)/2
	y := area.pos.Y + (area.size.Height-total)/2
	r.sign.Move(fyne.NewPos(area.pos.X+(area.size.Width-signSize)/2, y))
	r.sign.Resize(fyne.NewSquareSize(signSize))
	y += signSize
	r.message.Move(fyne.NewPos(x, y))
	y += r.message.Size().Height
	r.detail.Move(fyne.NewPos(x, y))
	y += r.detail.Size().Height
	r.actions.Move(fyne.NewPos(area.pos.X+(area.size.Width-as.Width)/2, y))
	r.actions.Resize(as)
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
