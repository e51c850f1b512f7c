package viewer

import (
	"image"
	"image/color"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestTimelineTapAndDrag(t *testing.T) {
	test.NewTempApp(t)
	tl := NewTimeline(11)
	w := test.NewTempWindow(t, tl)
	w.Resize(fyne.NewSize(206, 40))
	tl.Resize(fyne.NewSize(206, 24))
	// The timeline starts away from every frame tapped below, so each
	// case's first tap must move it: the left end is not its start value.
	tl.SetValue(7)
	var got []int
	tl.OnChanged = func(i int) { got = append(got, i) }

	left, width := tl.track()
	at := func(f float32) float32 { return left + f*width }
	tests := []struct {
		name string
		x    float32
		want int
	}{
		{"left end", 0, 0},
		{"middle", at(0.5), 5},
		{"right end", at(1), 10},
		{"past the end", 400, 10},
		{"first tenth", at(0.1), 1},
		{"nearest frame", at(0.14), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test.TapAt(tl, fyne.NewPos(tt.x, 10))
			if tl.Value() != tt.want {
				t.Fatalf("tap at %v: value %d, want %d", tt.x, tl.Value(), tt.want)
			}
		})
	}
	// Tapping the same frame twice reports it once: no redundant loads.
	if want := []int{0, 5, 10, 1}; !slices.Equal(got, want) {
		t.Fatalf("OnChanged calls = %v, want %v", got, want)
	}
	tl.SetValue(3) // programmatic moves are not reported
	if len(got) != 4 {
		t.Fatal("SetValue called OnChanged")
	}
	tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(at(0.5), 5)}})
	if tl.Value() != 5 {
		t.Fatalf("drag: value %d, want 5", tl.Value())
	}
}

// TestNothingTakesFocus: after clicking the timeline and a button the
// canvas has no focused object, so its key handler gets the arrows.
func TestNothingTakesFocus(t *testing.T) {
	test.NewTempApp(t)
	tl := NewTimeline(5)
	tapped := 0
	b := NewIconButton(theme.NavigateNextIcon(), "Next frame (Right)", func() { tapped++ })
	w := test.NewTempWindow(t, container.NewVBox(NewFrameView(), tl, b))
	test.Tap(tl)
	test.Tap(b)
	test.FocusNext(w.Canvas())
	if f := w.Canvas().Focused(); f != nil {
		t.Fatalf("%T took focus", f)
	}
	if tapped != 1 {
		t.Fatalf("button tapped %d times", tapped)
	}
}

func TestTimelineMarksRender(t *testing.T) {
	test.NewTempApp(t)
	tl := NewTimeline(8)
	tl.SetMarks([]Mark{MarkDecoded, MarkDecoded, MarkLoading, MarkBytes, MarkNone, MarkNone, MarkError, MarkNone})
	tl.SetNumbers([]int{1001, 1002, 1003, 1004, 1005, 1009, 1010, 1011})
	tl.SetGaps([]int{4}) // 1006–1008 are missing
	tl.SetValue(1)
	w := test.NewTempWindow(t, tl)
	w.Resize(fyne.NewSize(300, 40))
	test.AssertRendersToImage(t, "timeline_marks.png", w.Canvas())
}

// TestTimelineManyFrames: with more frames than columns, a column shows the
// most telling mark of its frames, so one broken frame in 100,000 shows.
func TestTimelineManyFrames(t *testing.T) {
	test.NewTempApp(t)
	marks := make([]Mark, 100_000)
	marks[54_321] = MarkError
	tl := NewTimeline(len(marks))
	tl.SetMarks(marks)
	test.NewTempWindow(t, tl)
	r := test.TempWidgetRenderer(t, tl).(*timelineRenderer)
	red := 0
	for c := range r.pixels.Rect.Dx() {
		if r.pixels.RGBAAt(c, 0) == rgba(MarkColors[MarkError]) {
			red++
		}
	}
	if red != 1 {
		t.Fatalf("%d columns show the error, want 1", red)
	}
}

func rgba(c color.NRGBA) color.RGBA { return color.RGBA(c) }

func TestFrameViewStates(t *testing.T) {
	test.NewTempApp(t)
	v := NewFrameView()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(240, 160))
	frame := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for i := range frame.Pix {
		frame.Pix[i] = []uint8{0x30, 0x90, 0xd0, 0xff}[i%4]
	}
	v.SetFrame(Frame{View: frame, Full: frame, Size: frame.Rect.Size()})
	test.AssertRendersToImage(t, "frameview_frame.png", w.Canvas())
	v.SetLoading("loading 37.png…")
	test.AssertRendersToImage(t, "frameview_loading.png", w.Canvas())
	v.SetMessage("37.png is cut short", "The file ends before its last pixel: truncated, or its copy did not finish.")
	test.AssertRendersToImage(t, "frameview_error.png", w.Canvas())
	if v.Loading() != "" {
		t.Fatal("a message kept the loading note")
	}
	v.SetFrame(Frame{View: frame, Size: frame.Rect.Size()})
	if m := v.Message(); m != "" {
		t.Fatalf("the next frame left the message %q", m)
	}
}

func TestPixelSizeReported(t *testing.T) {
	test.NewTempApp(t)
	v := NewFrameView()
	var w, h int
	v.OnPixelSize = func(pw, ph int) { w, h = pw, ph }
	win := test.NewTempWindow(t, v)
	win.Resize(fyne.NewSize(300, 200))
	if w <= 0 || h <= 0 {
		t.Fatalf("pixel size not reported: %d×%d", w, h)
	}
}

// checker is a w×h frame of 1-pixel black and white squares: any blur or
// resampling at 100 % turns it grey.
func checker(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			if (x+y)%2 == 0 {
				img.Set(x, y, color.White)
			} else {
				img.Set(x, y, color.Black)
			}
		}
	}
	return img
}

func TestZoom(t *testing.T) {
	test.NewTempApp(t)
	v := NewFrameView()
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(100, 80))
	full := checker(400, 200)
	v.SetFrame(Frame{View: full, Full: full, Size: full.Rect.Size()})
	r := test.TempWidgetRenderer(t, v).(*frameViewRenderer)

	v.ZoomActual()
	if got := r.imageA.Size(); got != fyne.NewSize(400, 200) {
		t.Fatalf("at 100 %% the frame is %v, want 400×200", got)
	}
	if r.imageA.ScaleMode != canvas.ImageScalePixels {
		t.Fatal("100 % is not drawn with nearest-neighbour pixels")
	}
	// The image pixel under the pointer stays under it when zooming.
	at := fyne.NewPos(70, 20)
	before := r.imageA.Position()
	under := at.Subtract(before) // image pixel under the pointer at 100 %
	v.ZoomBy(2, at)
	after := r.imageA.Position()
	if got := at.Subtract(after); absf(got.X-2*under.X) > 0.5 || absf(got.Y-2*under.Y) > 0.5 {
		t.Fatalf("zoom moved the point under the pointer: %v then %v", under, got)
	}
	// Dragging pans.
	v.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 10, DY: 0}})
	if p := r.imageA.Position(); absf(p.X-after.X-10) > 0.5 {
		t.Fatalf("drag by 10 moved the frame from %v to %v", after, p)
	}
	// The wheel zooms out, and 0 goes back to fit.
	v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: -10}})
	if z := v.Zoom(); z >= 2 {
		t.Fatalf("wheel down left the zoom at %v", z)
	}
	v.ZoomFit()
	if v.Zoom() != 0 || r.imageA.Image != full || r.imageA.Size() != fyne.NewSize(100, 50) || r.imageA.Position() != fyne.NewPos(0, 15) {
		t.Fatalf("fit did not return to the fitted view: %v at %v", r.imageA.Size(), r.imageA.Position())
	}
}

func TestZoomActualRendersExactPixels(t *testing.T) {
	test.NewTempApp(t)
	v := NewFrameView()
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(60, 40))
	full := checker(300, 300)
	v.SetFrame(Frame{View: full, Full: full, Size: full.Rect.Size()})
	v.ZoomActual()
	test.AssertRendersToImage(t, "frameview_100.png", w.Canvas())
}

// TestFrameViewFilters: the fitted view copy is drawn 1:1 with nearest
// filtering (exact, and the cheapest repaint); a copy of another size (a
// resize under way) and an enlarged frame are filtered; zoomed in without
// the full frame, the view copy is enlarged until the full frame comes.
func TestFrameViewFilters(t *testing.T) {
	test.NewTempApp(t)
	v := NewFrameView()
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(200, 100))
	r := test.TempWidgetRenderer(t, v).(*frameViewRenderer)
	big := image.Pt(800, 400)
	fitted := checker(200, 100)
	tests := []struct {
		name   string
		frame  Frame
		zoom   func()
		image  image.Image
		mode   canvas.ImageScale
		beyond bool
	}{
		{"fitted copy at fit", Frame{View: fitted, Size: big}, v.ZoomFit, fitted, canvas.ImageScalePixels, false},
		{"stale copy at fit", Frame{View: checker(150, 75), Size: big}, v.ZoomFit, nil, canvas.ImageScaleFastest, false},
		{"small frame enlarged at fit", Frame{View: checker(40, 20), Size: image.Pt(40, 20)}, v.ZoomFit, nil, canvas.ImageScaleFastest, false},
		{"100 % before the full frame", Frame{View: fitted, Size: big}, v.ZoomActual, fitted, canvas.ImageScaleFastest, true},
		{"100 % with the full frame", Frame{View: fitted, Full: checker(800, 400), Size: big}, v.ZoomActual, nil, canvas.ImageScalePixels, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v.SetFrame(tt.frame)
			tt.zoom()
			if r.imageA.ScaleMode != tt.mode {
				t.Errorf("scale mode %v, want %v", r.imageA.ScaleMode, tt.mode)
			}
			if want := tt.image; want != nil && r.imageA.Image != want {
				t.Errorf("shows %T %v, want the view copy", r.imageA.Image, r.imageA.Image.Bounds())
			}
			if tt.frame.Full != nil && r.imageA.Image != tt.frame.Full {
				t.Error("does not show the full frame")
			}
			if got := v.BeyondView(); got != tt.beyond {
				t.Errorf("BeyondView = %v, want %v", got, tt.beyond)
			}
		})
	}
}

// TestMessageActions: the buttons under a message call their actions and
// take no focus.
func TestMessageActions(t *testing.T) {
	test.NewTempApp(t)
	v := NewFrameView()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(400, 300))
	var got []string
	v.SetMessage("Opening 5.png — the share has not answered for 6 s", "/mnt/share/5.png",
		Action{"Open Folder…", func() { got = append(got, "folder") }}, Action{"Demo Sequence", func() { got = append(got, "demo") }})
	var buttons []*TextButton
	for _, o := range test.LaidOutObjects(v) {
		if b, ok := o.(*TextButton); ok && b.Visible() {
			buttons = append(buttons, b)
		}
	}
	if len(buttons) != 2 {
		t.Fatalf("%d buttons, want 2", len(buttons))
	}
	test.Tap(buttons[1])
	test.Tap(buttons[0])
	if !slices.Equal(got, []string{"demo", "folder"}) {
		t.Fatalf("actions called: %v", got)
	}
	if f := w.Canvas().Focused(); f != nil {
		t.Fatalf("%T took focus", f)
	}
	v.SetFrame(Frame{View: checker(10, 10), Size: image.Pt(10, 10)})
	for _, o := range test.LaidOutObjects(v) {
		if b, ok := o.(*TextButton); ok && b.Visible() {
			t.Fatalf("button %q still shown with a frame", b.Label())
		}
	}
}

// TestTooltipNamesKeyAndKeepsButtonClickable: the hint shows on hover, and
// the button under it still gets the click.
func TestTooltipNamesKeyAndKeepsButtonClickable(t *testing.T) {
	test.NewTempApp(t)
	tips := NewTooltipLayer()
	tapped := 0
	b := NewIconButton(theme.NavigateNextIcon(), "Next frame (Right)", func() { tapped++ })
	b.Tips = tips
	w := test.NewTempWindow(t, container.NewStack(container.NewCenter(b), tips.Container))
	w.Resize(fyne.NewSize(300, 120))
	test.MoveMouse(w.Canvas(), fyne.NewPos(150, 60))
	if tips.Text() != "Next frame (Right)" {
		t.Fatalf("tooltip %q", tips.Text())
	}
	test.TapCanvas(w.Canvas(), fyne.NewPos(150, 60))
	if tapped != 1 {
		t.Fatalf("button tapped %d times through its tooltip", tapped)
	}
	test.MoveMouse(w.Canvas(), fyne.NewPos(5, 5))
	if tips.Text() != "" {
		t.Fatal("tooltip stayed after the pointer left")
	}
}

// flat is a w×h frame of one colour.
func flat(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

// TestCompareModes renders each way of comparing two frames: A is red, B
// blue, their difference grey.
func TestCompareModes(t *testing.T) {
	test.NewTempApp(t)
	v := NewFrameView()
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(240, 140))
	a, b := flat(240, 135, color.RGBA{0xd0, 0x30, 0x30, 0xff}), flat(240, 135, color.RGBA{0x30, 0x50, 0xd0, 0xff})
	v.SetFrame(Frame{View: a, Size: image.Pt(480, 270)})
	v.SetFrameB(Frame{View: b, Size: image.Pt(480, 270)})
	v.SetNames("v001", "v002")
	tests := []struct {
		mode   Compare
		golden string
		setup  func()
	}{
		{Wipe, "compare_wipe.png", func() { v.SetWipe(0.5) }},
		{SideBySide, "compare_side_by_side.png", nil},
		{Difference, "compare_difference.png", func() { v.SetDifference(flat(240, 135, color.RGBA{0x60, 0x60, 0x60, 0xff})) }},
		{OnlyB, "compare_b_only.png", nil},
		{Wipe, "compare_b_missing.png", func() { v.SetNoteB("v002 has no frame 1005") }},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			v.SetCompare(true, tt.mode)
			if tt.setup != nil {
				tt.setup()
			}
			test.AssertRendersToImage(t, tt.golden, w.Canvas())
		})
	}
}

// TestWipeDragAndPointer: a drag that starts on the wipe line moves it; a
// drag elsewhere pans; the pointer maps to the same pixel of A and B.
func TestWipeDragAndPointer(t *testing.T) {
	test.NewTempApp(t)
	v := NewFrameView()
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(200, 100))
	v.SetFrame(Frame{View: checker(200, 100), Size: image.Pt(400, 200)})
	v.SetFrameB(Frame{View: checker(200, 100), Size: image.Pt(400, 200)})
	v.SetCompare(true, Wipe)
	var moved []float32
	v.OnWipe = func(f float32) { moved = append(moved, f) }
	drag := func(from, to fyne.Position) {
		v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.Delta{DX: to.X - from.X, DY: to.Y - from.Y}})
		v.DragEnd()
	}
	drag(fyne.NewPos(100, 50), fyne.NewPos(150, 50))
	if v.WipeSplit() != 0.75 || len(moved) != 1 {
		t.Fatalf("wipe at %v after a drag from the line to 150 of 200 (told %v)", v.WipeSplit(), moved)
	}
	drag(fyne.NewPos(20, 50), fyne.NewPos(60, 50)) // away from the line: at fit, nothing to pan
	if v.WipeSplit() != 0.75 {
		t.Fatalf("a drag away from the line moved it to %v", v.WipeSplit())
	}
	var at PointerAt
	v.OnPointer = func(p PointerAt) { at = p }
	v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(50, 25)}})
	if !at.InA || !at.InB || at.A != image.Pt(100, 50) || at.B != at.A {
		t.Fatalf("pointer at (50,25) of a 400×200 frame fitted to 200×100: %+v", at)
	}
	v.SetCompare(true, SideBySide)
	v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(150, 50)}})
	if !at.InA || !at.InB || at.B != image.Pt(200, 100) || at.A != at.B {
		t.Fatalf("pointer over the middle of B side by side: %+v", at)
	}
	v.MouseOut()
	if at.Over {
		t.Fatal("the pointer left but is still over")
	}
}
