package viewer

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Mark is what the loader has of one frame, shown as a colour on the
// timeline's strip.
type Mark uint8

const (
	MarkNone    Mark = iota // nothing in memory
	MarkBytes               // compressed bytes in memory: a decode away
	MarkDecoded             // ready to show
	MarkLoading             // being read or decoded
	MarkError               // could not be loaded
	MarkGap                 // a number missing from the sequence
)

// MarkColors are the strip's colours, by Mark.
var MarkColors = [...]color.NRGBA{
	MarkNone:    {0x3a, 0x3a, 0x40, 0xff},
	MarkBytes:   {0x2f, 0x6f, 0xb0, 0xff},
	MarkDecoded: {0x3c, 0xc0, 0x60, 0xff},
	MarkLoading: {0xe8, 0xb0, 0x30, 0xff},
	MarkError:   {0xe0, 0x40, 0x40, 0xff},
	MarkGap:     {0x10, 0x10, 0x10, 0xff},
}

// Timeline is a slider over the frames of a sequence with a strip that shows
// each frame's Mark. Dragging scrubs and clicking jumps.
//
// It is deliberately not focusable: the arrow keys step frames whichever
// widget was clicked last, so no widget may take them.
type Timeline struct {
	widget.BaseWidget

	// OnChanged is called on the UI goroutine when the person moves the
	// timeline to another frame (not when SetValue is called).
	OnChanged func(i int)

	// Fields below are used on the UI goroutine only.
	length int
	value  int
	marks  []Mark
}

var (
	_ fyne.Widget    = (*Timeline)(nil)
	_ fyne.Tappable  = (*Timeline)(nil)
	_ fyne.Draggable = (*Timeline)(nil)
)

// NewTimeline returns a timeline over length frames.
func NewTimeline(length int) *Timeline {
	t := &Timeline{length: length}
	t.ExtendBaseWidget(t)
	return t
}

// SetLength sets the number of frames and moves the value into range.
func (t *Timeline) SetLength(n int) {
	t.length = n
	t.value = max(min(t.value, n-1), 0)
	t.Refresh()
}

// Length returns the number of frames.
func (t *Timeline) Length() int { return t.length }

// SetValue moves the handle to frame i without calling OnChanged.
func (t *Timeline) SetValue(i int) {
	if i == t.value {
		return
	}
	t.value = i
	t.Refresh()
}

// Value returns the frame the handle is on.
func (t *Timeline) Value() int { return t.value }

// SetMarks sets every frame's mark; marks is used until the next call.
func (t *Timeline) SetMarks(marks []Mark) {
	t.marks = marks
	t.Refresh()
}

// Tapped jumps to the frame under the pointer.
func (t *Timeline) Tapped(ev *fyne.PointEvent) { t.moveTo(ev.Position.X) }

// Dragged scrubs to the frame under the pointer.
func (t *Timeline) Dragged(ev *fyne.DragEvent) { t.moveTo(ev.Position.X) }

// DragEnd implements fyne.Draggable.
func (t *Timeline) DragEnd() {}

// frameAt maps an x position to a frame index.
func (t *Timeline) frameAt(x float32) int {
	if t.length <= 1 {
		return 0
	}
	inset := float32(handleWidth) / 2
	f := (x - inset) / (t.Size().Width - 2*inset)
	i := int(math.Round(float64(f) * float64(t.length-1)))
	return max(min(i, t.length-1), 0)
}

func (t *Timeline) moveTo(x float32) {
	i := t.frameAt(x)
	if i == t.value {
		return
	}
	t.value = i
	t.Refresh()
	if t.OnChanged != nil {
		t.OnChanged(i)
	}
}

const (
	handleWidth float32 = 6
	stripHeight float32 = 8
	timelineMin float32 = 24
)

// CreateRenderer implements fyne.Widget.
func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{
		timeline: t,
		track:    canvas.NewRectangle(MarkColors[MarkNone]),
		strip:    &canvas.Image{ScaleMode: canvas.ImageScalePixels, FillMode: canvas.ImageFillStretch},
		handle:   canvas.NewRectangle(color.White),
	}
	r.handle.CornerRadius = 2
	r.Refresh()
	return r
}

type timelineRenderer struct {
	timeline *Timeline
	track    *canvas.Rectangle
	strip    *canvas.Image
	handle   *canvas.Rectangle
	pixels   *image.RGBA // one pixel per strip column, reused
}

func (r *timelineRenderer) Layout(size fyne.Size) {
	inset := handleWidth / 2
	y := (size.Height - stripHeight) / 2
	r.track.Move(fyne.NewPos(inset, y))
	r.track.Resize(fyne.NewSize(size.Width-2*inset, stripHeight))
	r.strip.Move(r.track.Position())
	r.strip.Resize(r.track.Size())
	t := r.timeline
	x := inset
	if t.length > 1 {
		x += (size.Width - 2*inset) * float32(t.value) / float32(t.length-1)
	}
	r.handle.Move(fyne.NewPos(x-handleWidth/2, 0))
	r.handle.Resize(fyne.NewSize(handleWidth, size.Height))
}

func (r *timelineRenderer) MinSize() fyne.Size {
	return fyne.NewSize(10*theme.Padding(), timelineMin)
}

// Refresh repaints the strip: one column per frame when they fit, else each
// column shows the most telling mark of the frames it covers.
func (r *timelineRenderer) Refresh() {
	t := r.timeline
	cols := min(len(t.marks), 2048)
	if cols == 0 {
		r.strip.Hidden = true
	} else {
		if r.pixels == nil || r.pixels.Rect.Dx() != cols {
			r.pixels = image.NewRGBA(image.Rect(0, 0, cols, 1))
		}
		for c := range cols {
			from, to := c*len(t.marks)/cols, max((c+1)*len(t.marks)/cols, c*len(t.marks)/cols+1)
			m := t.marks[from]
			for _, mk := range t.marks[from:to] {
				if markRank[mk] > markRank[m] {
					m = mk
				}
			}
			k := MarkColors[m]
			copy(r.pixels.Pix[4*c:], []uint8{k.R, k.G, k.B, 0xff})
		}
		r.strip.Image = r.pixels
		r.strip.Hidden = false
	}
	r.Layout(t.Size())
	r.strip.Refresh()
	r.handle.Refresh()
}

// markRank orders marks by how much they matter when several frames share
// one column: an error or gap must not hide behind a cached neighbour.
var markRank = [...]int{MarkNone: 0, MarkBytes: 1, MarkDecoded: 2, MarkLoading: 3, MarkGap: 4, MarkError: 5}

func (r *timelineRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.strip, r.handle}
}

func (r *timelineRenderer) Destroy() {}
