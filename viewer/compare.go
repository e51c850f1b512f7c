package viewer

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Compare is how FrameView shows two frames, A and B.
type Compare uint8

const (
	OnlyA      Compare = iota // A alone: also the view of a single frame
	Wipe                      // A left of a vertical line, B right of it, at the same scale and position
	SideBySide                // A in the left half, B in the right, each fitted to its half
	Difference                // the difference picture set with SetDifference, in A's place
	OnlyB                     // B alone, where A would be
)

var compareNames = [...]string{OnlyA: "A only", Wipe: "wipe", SideBySide: "side by side", Difference: "difference", OnlyB: "B only"}

func (c Compare) String() string {
	if int(c) < len(compareNames) {
		return compareNames[c]
	}
	return "unknown"
}

// comparison is the state of a comparison (UI goroutine only).
type comparison struct {
	on      bool    // there is a B at all
	mode    Compare // how the two are shown
	split   float32 // the wipe line, 0 at the left edge of the view, 1 at the right
	b       Frame   // B's frame; View nil when B has none here
	bNote   string  // what B's half says when B has no frame, e.g. "B has no frame 1005"
	diff    Frame   // the difference picture, for Difference
	nameA   string  // labels of the two sides
	nameB   string
	pending bool // the difference picture is on its way
}

// SetCompare starts comparing (on) in mode, or stops (!on): only A is
// shown then and B is forgotten.
func (v *FrameView) SetCompare(on bool, mode Compare) {
	if !on {
		v.cmp = comparison{split: v.cmp.split}
	}
	v.cmp.on, v.cmp.mode = on, mode
	if !on {
		v.cmp.mode = OnlyA
	}
	v.Refresh()
}

// Comparing reports whether a comparison is shown, and how.
func (v *FrameView) Comparing() (bool, Compare) { return v.cmp.on, v.cmp.mode }

// SetNames labels the two sides of a comparison, e.g. by their folders.
func (v *FrameView) SetNames(a, b string) {
	v.cmp.nameA, v.cmp.nameB = a, b
	v.Refresh()
}

// SetFrameB shows B's frame. It keeps A's zoom and position.
func (v *FrameView) SetFrameB(f Frame) {
	v.cmp.b, v.cmp.bNote = f, ""
	v.Refresh()
}

// SetNoteB says, in B's half, why B shows no frame.
func (v *FrameView) SetNoteB(note string) {
	v.cmp.b, v.cmp.bNote = Frame{}, note
	v.Refresh()
}

// NoteB returns what B's half says in place of a frame, if anything.
func (v *FrameView) NoteB() string { return v.cmp.bNote }

// SetDifference sets the picture Difference shows: |A−B| made for the
// frames shown, at A's view size. nil says it is on its way (A is shown
// meanwhile).
func (v *FrameView) SetDifference(diff image.Image) {
	v.cmp.diff, v.cmp.pending = Frame{View: diff, Size: v.frame.Size}, diff == nil
	v.Refresh()
}

// SetWipe puts the wipe line at split (0 left edge … 1 right edge).
func (v *FrameView) SetWipe(split float32) {
	v.cmp.split = fyne.Max(0, fyne.Min(1, split))
	v.Refresh()
}

// WipeSplit returns where the wipe line is.
func (v *FrameView) WipeSplit() float32 { return v.cmp.split }

// PointerAt is where the pointer is over the frames: the pixel of A and
// of B under it, in their full-resolution coordinates, and whether it is
// over each picture at all.
type PointerAt struct {
	Over     bool          // the pointer is over the view
	Pos      fyne.Position // in the view
	A, B     image.Point
	InA, InB bool
}

// pointerState is the pointer box (UI goroutine only).
type pointerState struct {
	at   PointerAt
	text string
}

// SetPointerInfo shows text in a box by the pointer (pixel values), or
// hides it when text is "".
func (v *FrameView) SetPointerInfo(text string) {
	if v.pointer.text == text {
		return
	}
	v.pointer.text = text
	v.Refresh()
}

// PointerInfo returns the text by the pointer, if any.
func (v *FrameView) PointerInfo() string { return v.pointer.text }

// MouseIn implements desktop.Hoverable.
func (v *FrameView) MouseIn(ev *desktop.MouseEvent) { v.MouseMoved(ev) }

// MouseMoved tells OnPointer which pixels are under the pointer.
func (v *FrameView) MouseMoved(ev *desktop.MouseEvent) {
	v.pointer.at = v.pointAt(ev.Position)
	if v.OnPointer != nil {
		v.OnPointer(v.pointer.at)
	}
	if v.pointer.text != "" {
		v.Refresh() // the box follows the pointer
	}
}

// MouseOut implements desktop.Hoverable.
func (v *FrameView) MouseOut() {
	v.pointer.at = PointerAt{}
	if v.OnPointer != nil {
		v.OnPointer(v.pointer.at)
	}
}

// pointAt maps a position in the view to the pixels of A and B under it.
func (v *FrameView) pointAt(p fyne.Position) PointerAt {
	at := PointerAt{Over: true, Pos: p}
	pixel := func(r rect, size image.Point) (image.Point, bool) {
		if r.size.Width <= 0 || r.size.Height <= 0 || size.X <= 0 {
			return image.Point{}, false
		}
		x := int((p.X - r.pos.X) / r.size.Width * float32(size.X))
		y := int((p.Y - r.pos.Y) / r.size.Height * float32(size.Y))
		return image.Pt(x, y), x >= 0 && y >= 0 && x < size.X && y < size.Y
	}
	if v.frame.View != nil {
		at.A, at.InA = pixel(v.imageRect(v.frame, v.areaA()), v.frame.Size)
	}
	if v.cmp.on && v.cmp.b.View != nil {
		at.B, at.InB = pixel(v.imageRectB(), v.cmp.b.Size)
	}
	if v.cmp.on && v.cmp.mode == SideBySide {
		// Each half shows one side: the other's pixel is the same image
		// point of it.
		left := p.X < v.areaB().pos.X
		switch {
		case left && v.cmp.b.View != nil && at.InA:
			at.B, at.InB = scalePoint(at.A, v.frame.Size, v.cmp.b.Size), true
		case !left && v.frame.View != nil && at.InB:
			at.A, at.InA = scalePoint(at.B, v.cmp.b.Size, v.frame.Size), true
		}
	}
	return at
}

// scalePoint maps pixel p of a picture of size from to one of size to.
func scalePoint(p, from, to image.Point) image.Point {
	if from.X <= 0 || from.Y <= 0 {
		return p
	}
	return image.Pt(p.X*to.X/from.X, p.Y*to.Y/from.Y)
}
