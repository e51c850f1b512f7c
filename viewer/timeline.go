package viewer

import (
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"

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
	MarkDisk                // a copy on local disk: no share read needed
)

// MarkColors are the strip's colours, by Mark.
var MarkColors = [...]color.NRGBA{
	MarkNone:    {0x3a, 0x3a, 0x40, 0xff},
	MarkBytes:   {0x2f, 0x6f, 0xb0, 0xff},
	MarkDecoded: {0x3c, 0xc0, 0x60, 0xff},
	MarkLoading: {0xe8, 0xb0, 0x30, 0xff},
	MarkError:   {0xe0, 0x40, 0x40, 0xff},
	MarkGap:     {0x10, 0x10, 0x10, 0xff},
	MarkDisk:    {0x6a, 0x4c, 0x9c, 0xff},
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
	length  int
	value   int
	marks   []Mark
	gaps    []int // a gap in the numbering follows these frames
	numbers []int // real frame numbers, shown at the ends and by the handle
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
	if slices.Equal(t.marks, marks) {
		return // a refresh repaints the whole window
	}
	t.marks = marks
	t.Refresh()
}

// SetGaps marks a gap in the numbering after each of the given frames.
func (t *Timeline) SetGaps(after []int) {
	t.gaps = after
	t.Refresh()
}

// SetNumbers sets the real frame numbers (the first frame may be 1001);
// nil shows positions from 1.
func (t *Timeline) SetNumbers(numbers []int) {
	t.numbers = numbers
	t.Refresh()
}

// number is the label of frame i.
func (t *Timeline) number(i int) string {
	if i < len(t.numbers) {
		return strconv.Itoa(t.numbers[i])
	}
	return strconv.Itoa(i + 1)
}

// Tapped jumps to the frame under the pointer.
func (t *Timeline) Tapped(ev *fyne.PointEvent) { t.moveTo(ev.Position.X) }

// Dragged scrubs to the frame under the pointer.
func (t *Timeline) Dragged(ev *fyne.DragEvent) { t.moveTo(ev.Position.X) }

// DragEnd implements fyne.Draggable.
func (t *Timeline) DragEnd() {}

// track is the x range the handle moves over.
func (t *Timeline) track() (left, width float32) {
	lw := labelWidth(t.number(0))
	rw := labelWidth(t.number(max(t.length-1, 0)))
	left = lw + handleWidth/2
	return left, fyne.Max(t.Size().Width-left-rw-handleWidth/2, 1)
}

func labelWidth(s string) float32 {
	return fyne.MeasureText(s, labelSize(), fyne.TextStyle{}).Width + 2*theme.Padding()
}

// labelSize is the text size of the frame numbers at the ends.
func labelSize() float32 { return theme.TextSize() * 0.9 }

// frameAt maps an x position to a frame index.
func (t *Timeline) frameAt(x float32) int {
	if t.length <= 1 {
		return 0
	}
	left, width := t.track()
	// Each frame owns an equal cell of the strip, as its mark does.
	i := int(math.Floor(float64((x - left) / width * float32(t.length))))
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
	timelineMin float32 = 30
)

// CreateRenderer implements fyne.Widget.
func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	text := func() *canvas.Text {
		c := canvas.NewText("", theme.Color(theme.ColorNameForeground))
		c.TextSize = labelSize()
		return c
	}
	r := &timelineRenderer{
		timeline: t,
		track:    canvas.NewRectangle(MarkColors[MarkNone]),
		strip:    &canvas.Image{ScaleMode: canvas.ImageScalePixels, FillMode: canvas.ImageFillStretch},
		handle:   canvas.NewRectangle(color.White),
		first:    text(),
		last:     text(),
	}
	r.handle.CornerRadius = 2
	r.Refresh()
	return r
}

type timelineRenderer struct {
	timeline    *Timeline
	track       *canvas.Rectangle
	strip       *canvas.Image
	handle      *canvas.Rectangle
	first, last *canvas.Text
	pixels      *image.RGBA // the strip's columns, reused
}

func (r *timelineRenderer) Layout(size fyne.Size) {
	t := r.timeline
	left, width := t.track()
	y := (size.Height - stripHeight) / 2
	r.track.Move(fyne.NewPos(left, y))
	r.track.Resize(fyne.NewSize(width, stripHeight))
	r.strip.Move(r.track.Position())
	r.strip.Resize(r.track.Size())
	x := left + width/2 // the handle sits on the middle of its frame's cell
	if t.length > 0 {
		x = left + width*(float32(t.value)+0.5)/float32(t.length)
	}
	r.handle.Move(fyne.NewPos(x-handleWidth/2, y-6))
	r.handle.Resize(fyne.NewSize(handleWidth, stripHeight+12))
	pad := theme.Padding()
	ty := (size.Height - r.first.MinSize().Height) / 2
	r.first.Move(fyne.NewPos(pad, ty))
	r.last.Move(fyne.NewPos(size.Width-r.last.MinSize().Width-pad, ty))
}

func (r *timelineRenderer) MinSize() fyne.Size {
	return fyne.NewSize(10*theme.Padding(), timelineMin)
}

// Refresh repaints the strip. Each frame gets stripRes columns when they
// fit, so a gap can show as a dark column between two frames; with more
// frames than columns, a column shows the most telling mark of its frames.
func (r *timelineRenderer) Refresh() {
	t := r.timeline
	n := len(t.marks)
	cols := min(n*stripRes, maxColumns)
	if cols == 0 {
		r.strip.Hidden = true
	} else {
		if r.pixels == nil || r.pixels.Rect.Dx() != cols {
			r.pixels = image.NewRGBA(image.Rect(0, 0, cols, 1))
		}
		paint := func(c int, m Mark) {
			k := MarkColors[m]
			copy(r.pixels.Pix[4*c:], []uint8{k.R, k.G, k.B, 0xff})
		}
		for c := range cols {
			from := c * n / cols
			to := max((c+1)*n/cols, from+1)
			m := t.marks[from]
			for _, mk := range t.marks[from:to] {
				if markRank[mk] > markRank[m] {
					m = mk
				}
			}
			paint(c, m)
		}
		for _, g := range t.gaps {
			if g >= 0 && g < n-1 {
				paint(min((g+1)*cols/n, cols-1), MarkGap)
			}
		}
		r.strip.Image = r.pixels
		r.strip.Hidden = false
	}
	r.first.Text = t.number(0)
	r.last.Text = t.number(max(t.length-1, 0))
	r.first.Hidden, r.last.Hidden = t.length == 0, t.length == 0
	r.first.Color = theme.Color(theme.ColorNameForeground)
	r.last.Color = r.first.Color
	r.first.Refresh()
	r.last.Refresh()
	r.Layout(t.Size())
	r.strip.Refresh()
	r.handle.Refresh()
}

const (
	stripRes   = 4    // columns per frame on short sequences
	maxColumns = 4096 // beyond this, frames share columns
)

// markRank orders marks by how much they matter when several frames share
// one column: an error or gap must not hide behind a cached neighbour.
var markRank = [...]int{MarkNone: 0, MarkDisk: 1, MarkBytes: 2, MarkDecoded: 3, MarkLoading: 4, MarkGap: 5, MarkError: 6}

func (r *timelineRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.strip, r.first, r.last, r.handle}
}

func (r *timelineRenderer) Destroy() {}
