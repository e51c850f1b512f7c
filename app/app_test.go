package app

import (
	"fmt"
	"image/color"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"seqview/internal/testframes"
	"seqview/loader"
	"seqview/viewer"
)

// hangGuard bounds waits for the loader; it turns a deadlock into a failure
// and asserts nothing about speed.
const hangGuard = 30 * time.Second

// testUI is a ui whose UI-goroutine queue the test goroutine runs, so
// loader results are applied on the goroutine that also presses the keys,
// as in the real app.
type testUI struct {
	*ui
	t     *testing.T
	queue chan func()
}

func newTestUI(t *testing.T) *testUI {
	test.NewTempApp(t)
	tu := &testUI{t: t, queue: make(chan func(), 1024)}
	tu.ui = newUI(fyne.CurrentApp(), Options{FPS: 24, StateFile: filepath.Join(t.TempDir(), "state.json")})
	tu.ui.do = func(f func()) { tu.queue <- f }
	tu.win.Resize(fyne.NewSize(640, 400))
	t.Cleanup(tu.closeSession)
	t.Cleanup(tu.state.wait)
	return tu
}

// until runs queued UI work until cond holds.
func (tu *testUI) until(what string, cond func() bool) {
	tu.t.Helper()
	deadline := time.After(hangGuard)
	for !cond() {
		select {
		case f := <-tu.queue:
			f()
		case <-time.After(10 * time.Millisecond): // cond may be met off the UI goroutine
		case <-deadline:
			tu.t.Fatalf("still waiting for %s; title %q, status %q, message %q", what, tu.win.Title(), tu.status.Text, tu.view.Message())
		}
	}
}

// frameDir writes n flat frames 1.png … n.png; frame k has red k*10.
func frameDir(t *testing.T, n int) string {
	dir := t.TempDir()
	err := testframes.WriteDir(dir, "%d.png", 1, n, func(i int) []byte {
		return testframes.Flat(32, 18, color.NRGBA{R: uint8(i * 10), G: 50, B: 90, A: 255})
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// shows waits until frame k (1-based) of n is on screen.
func (tu *testUI) shows(k, n int) {
	tu.t.Helper()
	title := titleOf(k, n)
	tu.until(title, func() bool {
		s := tu.sess
		return tu.win.Title() == title && s != nil && s.shown != nil && !s.waiting &&
			int(s.shown.View.Pix[0]) == k*10
	})
}

func titleOf(k, n int) string { return fmt.Sprintf("%d.png (%d/%d) — seqview", k, k, n) }

func (tu *testUI) key(name fyne.KeyName) {
	tu.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func TestKeysStepThroughFrames(t *testing.T) {
	tu := newTestUI(t)
	tu.openPath(frameDir(t, 12))
	tu.shows(1, 12)
	steps := []struct {
		key  fyne.KeyName
		want int
	}{
		{fyne.KeyRight, 2}, {fyne.KeyRight, 3}, {fyne.KeyLeft, 2}, {fyne.KeyEnd, 12},
		{fyne.KeyRight, 12}, {fyne.KeyPageUp, 2}, {fyne.KeyHome, 1}, {fyne.KeyLeft, 1},
		{fyne.KeyPageDown, 11},
	}
	for _, s := range steps {
		t.Run(string(s.key), func(t *testing.T) {
			tu.key(s.key)
			tu.shows(s.want, 12)
		})
	}
}

// TestKeysWorkAfterClicks: clicking the timeline or a button must not take
// the keys away from the window.
func TestKeysWorkAfterClicks(t *testing.T) {
	tu := newTestUI(t)
	tu.openPath(frameDir(t, 5))
	tu.shows(1, 5)
	test.TapAt(tu.timeline, fyne.NewPos(tu.timeline.Size().Width, 5))
	tu.shows(5, 5)
	test.FocusNext(tu.win.Canvas())
	if f := tu.win.Canvas().Focused(); f != nil {
		t.Fatalf("%T has focus and would eat the arrow keys", f)
	}
	tu.key(fyne.KeyLeft)
	tu.shows(4, 5)
}

func TestStatusSaysAFrameFailed(t *testing.T) {
	tu := newTestUI(t)
	dir := frameDir(t, 3)
	if err := os.WriteFile(filepath.Join(dir, "2.png"), []byte("<!DOCTYPE html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	tu.openPath(dir)
	tu.shows(1, 3)
	tu.key(fyne.KeyRight)
	tu.until("frame 2's error", func() bool { return tu.view.Message() != "" })
	if !strings.Contains(tu.view.Message(), "2.png is not an image") {
		t.Fatalf("message %q does not say 2.png is not an image", tu.view.Message())
	}
	if !strings.Contains(tu.status.Text, "2.png   2/3   cannot be shown: not an image") {
		t.Fatalf("status %q does not say frame 2 cannot be shown", tu.status.Text)
	}
	tu.key(fyne.KeyRight)
	tu.shows(3, 3)
	if strings.Contains(tu.status.Text, "cannot") {
		t.Fatalf("status %q still says a frame failed", tu.status.Text)
	}
}

func TestDropOpensFolderAndFile(t *testing.T) {
	tu := newTestUI(t)
	dir := frameDir(t, 9)
	tu.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(filepath.Join(dir, "7.png"))})
	tu.shows(7, 9)
	tu.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(dir)})
	tu.shows(1, 9)
}

func TestBadPathsSayWhy(t *testing.T) {
	empty := t.TempDir()
	notImage := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notImage, []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, want string }{
		{"missing", filepath.Join(empty, "nope"), "no such file or folder"},
		{"empty folder", empty, "no image sequence"},
		{"not an image", notImage, "not an image file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tu := newTestUI(t)
			tu.openPath(tt.path)
			tu.until("an error message", func() bool { return tu.view.Message() != "" })
			if !strings.Contains(tu.view.Message(), tt.want) {
				t.Fatalf("message %q does not say %q", tu.view.Message(), tt.want)
			}
			if tu.win.Title() != "seqview" {
				t.Fatalf("title %q", tu.win.Title())
			}
		})
	}
}

func TestDemoPlays(t *testing.T) {
	tu := newTestUI(t)
	tu.openDemo()
	tu.until("the demo's first frame", func() bool { return tu.sess != nil && tu.sess.shown != nil })
	if !strings.HasPrefix(tu.win.Title(), "demo_0001.png (1/48)") {
		t.Fatalf("title %q", tu.win.Title())
	}
	tu.key(fyne.KeySpace)
	tu.until("playback to reach frame 4", func() bool { return tu.sess.index >= 3 })
	tu.key(fyne.KeySpace)
	if tu.play.stop != nil {
		t.Fatal("Space did not stop playback")
	}
}

func TestPlaybackModes(t *testing.T) {
	t.Run("bounce turns at the ends", func(t *testing.T) {
		tu := newTestUI(t)
		tu.openPath(frameDir(t, 4))
		tu.shows(1, 4)
		tu.play.bounce = true
		tu.togglePlay()
		var order []int
		tu.until("six frames of playback", func() bool {
			if n, s := len(order), tu.sess; !s.waiting && (n == 0 || order[n-1] != s.index+1) {
				order = append(order, s.index+1)
			}
			return len(order) >= 6
		})
		tu.stopPlay()
		want := []int{1, 2, 3, 4, 3, 2}
		if fmt.Sprint(order[:6]) != fmt.Sprint(want) {
			t.Fatalf("bounce played %v, want %v", order, want)
		}
	})
	t.Run("every frame keeps the frame on screen while the next loads", func(t *testing.T) {
		tu := newTestUI(t)
		gate := make(chan struct{})
		t.Cleanup(func() {
			select {
			case <-gate:
			default:
				close(gate)
			}
		})
		fsys := gatedFS{testframes.MapFS("%d.png", 1, 3, func(i int) []byte {
			return testframes.Flat(32, 18, color.NRGBA{R: uint8(i * 10), G: 50, B: 90, A: 255})
		}), "2.png", gate}
		seqs, err := loader.Scan(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		tu.start(1, "", fsys, nil, seqs, 0, 0)
		tu.shows(1, 3)
		tu.play.fps = 1 // a frame stays up most of a second: the test is never that slow
		tu.togglePlay()
		tu.stopTickerOnly()
		tu.play.recent = nil // frame 1 has been up a frame time
		tu.tick()
		s := tu.sess
		if s.index != 0 || s.waiting || tu.view.Loading() != "" || tu.timeline.Value() != 0 || s.want != 1 {
			t.Fatalf("while frame 2 loads: frame %d, waiting %v, note %q, timeline at %d, asked for %d; want frame 1 kept as it was",
				s.index+1, s.waiting, tu.view.Loading(), tu.timeline.Value()+1, s.want+1)
		}
		tu.tick() // a tick while it loads changes nothing
		if s.want != 1 {
			t.Fatalf("a tick while frame 2 loads asked for frame %d", s.want+1)
		}
		close(gate)
		tu.shows(2, 3)
		tu.tick() // frame 2 has not been up a frame time
		if s.index != 1 || s.want != 1 {
			t.Fatalf("frame %d replaced frame 2 at once", s.want+1)
		}
	})
	t.Run("realtime drops frames", func(t *testing.T) {
		tu := newTestUI(t)
		tu.openPath(frameDir(t, 10))
		tu.shows(1, 10)
		tu.play.realtime = true
		tu.togglePlay()
		tu.stopTickerOnly()
		tu.sess.waiting = true // frame 1's successor is slow: the clock moves on
		tu.tick()
		tu.tick()
		tu.sess.waiting = false
		tu.tick()
		if tu.sess.index != 3 || tu.play.dropped != 2 {
			t.Fatalf("after 3 ticks: frame %d, %d dropped; want frame 4 shown, 2 dropped", tu.sess.index+1, tu.play.dropped)
		}
	})
}

// gatedFS holds the opening of one file until gate is closed.
type gatedFS struct {
	fs.FS
	name string
	gate chan struct{}
}

func (g gatedFS) Open(name string) (fs.File, error) {
	if name == g.name {
		<-g.gate
	}
	return g.FS.Open(name)
}

// stopTickerOnly stops the clock goroutine but leaves playback on, so the
// test can drive tick itself.
func (tu *testUI) stopTickerOnly() {
	close(tu.play.stop)
	tu.play.stop = make(chan struct{})
}

func TestRecentAndReopenLast(t *testing.T) {
	tu := newTestUI(t)
	a, b := frameDir(t, 3), frameDir(t, 6)
	tu.openPath(a)
	tu.shows(1, 3)
	tu.openPath(filepath.Join(b, "5.png"))
	tu.shows(5, 6)
	if got := tu.state.get().Recent; fmt.Sprint(got) != fmt.Sprint([]string{b, a}) {
		t.Fatalf("recent = %v", got)
	}
	tu.quit()

	next := func() *testUI {
		n := &testUI{t: t, queue: make(chan func(), 1024)}
		n.ui = newUI(tu.app, Options{StateFile: tu.opts.StateFile})
		n.ui.do = func(f func()) { n.queue <- f }
		t.Cleanup(n.closeSession)
		t.Cleanup(n.state.wait)
		return n
	}
	again := next()
	if got := again.state.get().Recent; fmt.Sprint(got) != fmt.Sprint([]string{b, a}) {
		t.Fatalf("recent after a restart = %v", got)
	}
	again.openFirst("", "")
	again.shows(5, 6)

	os.RemoveAll(b) // gone: the demo instead
	demo := next()
	demo.openFirst("", "")
	demo.until("the demo", func() bool { return strings.HasPrefix(demo.win.Title(), "demo_0001.png") })
}

// TestLastFrameSurvivesAKill: the frame shown is written to the state file
// while stepping, not only when the window closes.
func TestLastFrameSurvivesAKill(t *testing.T) {
	tu := newTestUI(t)
	dir := frameDir(t, 4)
	tu.openPath(dir)
	tu.shows(1, 4)
	tu.key(fyne.KeyRight)
	tu.shows(2, 4)
	want := filepath.Join(dir, "2.png")
	tu.until("the last frame on disk", func() bool {
		return openState(tu.opts.StateFile, nil).get().LastFrame == want
	})
}

// TestLiveFolder: frames a renderer adds appear, keeping the frame shown;
// following the newest shows each as it lands; removed frames go.
func TestLiveFolder(t *testing.T) {
	tu := newTestUI(t)
	dir := frameDir(t, 3)
	tu.openPath(dir)
	tu.shows(2-1, 3)
	tu.key(fyne.KeyRight)
	tu.shows(2, 3)
	add := func(k int) {
		data := testframes.Flat(32, 18, color.NRGBA{R: uint8(k * 10), G: 50, B: 90, A: 255})
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.png", k)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	add(4)
	tu.until("4.png on the timeline", func() bool { return tu.timeline.Length() == 4 })
	tu.shows(2, 4) // still on frame 2
	tu.key(fyne.KeyEnd)
	tu.shows(4, 4)
	tu.toggleFollow()
	add(5)
	tu.shows(5, 5)
	os.Remove(filepath.Join(dir, "5.png"))
	os.Remove(filepath.Join(dir, "4.png"))
	tu.until("removed frames to go", func() bool { return tu.timeline.Length() == 3 })
	tu.shows(3, 3)
}

// TestFileShowsBeforeListing: opening a file starts on that file alone and
// takes in the rest of its sequence when the listing arrives.
func TestFileShowsBeforeListing(t *testing.T) {
	tu := newTestUI(t)
	dir := frameDir(t, 8)
	tu.openPath(filepath.Join(dir, "6.png"))
	var titles []string
	tu.until("the whole sequence", func() bool {
		if n := len(titles); n == 0 || titles[n-1] != tu.win.Title() {
			titles = append(titles, tu.win.Title())
		}
		return tu.win.Title() == "6.png (6/8) — seqview"
	})
	if titles[0] != "seqview" && titles[0] != "6.png (1/1) — seqview" {
		t.Fatalf("first title %q", titles[0])
	}
	if !slices.Contains(titles, "6.png (1/1) — seqview") {
		t.Fatalf("the file was not shown before the listing: titles %q", titles)
	}
	tu.shows(6, 8)
}

func TestStatusLine(t *testing.T) {
	tu := newTestUI(t)
	dir := t.TempDir()
	for _, k := range []int{1001, 1002, 1005, 1006, 1010} {
		data := testframes.Flat(40, 30, color.NRGBA{R: 10, A: 255})
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("shot_%04d.png", k)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tu.openPath(filepath.Join(dir, "shot_1005.png"))
	tu.until("the whole sequence", func() bool { return strings.HasPrefix(tu.win.Title(), "shot_1005.png (3/5)") })
	tu.until("the frame", func() bool { return tu.sess.shown != nil && !tu.sess.waiting })
	tests := []struct{ name, want string }{
		{"file name", "shot_1005.png"},
		{"position", "3/5"},
		{"real frame number", "frame 1005"},
		{"resolution", "40×30"},
		{"gaps", "5 missing (2 gaps)"},
		{"folder", filepath.Base(dir)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tu.status.Text, tt.want) {
				t.Fatalf("status %q does not show %q", tu.status.Text, tt.want)
			}
		})
	}
	tu.view.ZoomActual()
	if !strings.Contains(tu.status.Text, "zoom 100%") {
		t.Fatalf("status %q does not show the zoom", tu.status.Text)
	}
}

// TestDeadShareSaysWhatItWaitsFor: while an open is not answered, the
// window says what it waits for and for how long, and offers the dialogs
// and the demo; taking the demo drops the open when it answers at last.
func TestDeadShareSaysWhatItWaitsFor(t *testing.T) {
	tu := newTestUI(t)
	dir := frameDir(t, 3)
	release := make(chan struct{})
	hang := func(open func(string) (*loader.Opened, error)) func(string) (*loader.Opened, error) {
		return func(p string) (*loader.Opened, error) {
			<-release
			return open(p)
		}
	}
	tu.openFile, tu.openFolder = hang(loader.OpenFile), hang(loader.Open)
	tu.openPath(filepath.Join(dir, "2.png"))
	tu.until("the window to say the share has not answered", func() bool {
		return strings.Contains(tu.view.Message(), "Opening 2.png — the share has not answered for 2 s")
	})
	tu.until("the seconds to count", func() bool {
		return strings.Contains(tu.view.Message(), "has not answered for 3 s")
	})
	var demo *viewer.TextButton
	for _, o := range test.LaidOutObjects(tu.view) {
		if b, ok := o.(*viewer.TextButton); ok && b.Label() == "Demo Sequence" {
			demo = b
		}
	}
	if demo == nil {
		t.Fatal("no Demo Sequence button under the message")
	}
	test.Tap(demo)
	tu.until("the demo", func() bool { return strings.HasPrefix(tu.win.Title(), "demo_0001.png") })
	close(release)
	tu.opens.Wait() // the open has answered and posted what it found
	for len(tu.queue) > 0 {
		(<-tu.queue)()
	}
	if !strings.HasPrefix(tu.win.Title(), "demo_") {
		t.Fatalf("the late open replaced the demo: %q", tu.win.Title())
	}
}

// TestZoomLoadsFullResolution: zooming in past fit shows the view frame
// enlarged at once, then the full-resolution frame.
func TestZoomLoadsFullResolution(t *testing.T) {
	tu := newTestUI(t)
	dir := t.TempDir()
	if err := testframes.WriteDir(dir, "%d.png", 1, 3, func(i int) []byte { return testframes.PNG(800, 450, i) }); err != nil {
		t.Fatal(err)
	}
	tu.openPath(dir)
	tu.until("the first frame", func() bool { return tu.sess != nil && tu.sess.shown != nil })
	if f := tu.sess.shown; f.Full != nil || f.View.Rect.Dx() >= 800 {
		t.Fatalf("at fit: view %v, full %v; want a view frame only", f.View.Rect, f.Full != nil)
	}
	tu.view.ZoomActual()
	tu.until("the full frame", func() bool { return tu.sess.shown.Full != nil })
	if b := tu.sess.shown.Full.RGBA.Rect; b.Dx() != 800 || b.Dy() != 450 {
		t.Fatalf("full frame %v", b)
	}
	tu.key(fyne.KeyRight)
	tu.until("frame 2 at full resolution", func() bool {
		return tu.sess.index == 1 && tu.sess.shown != nil && tu.sess.shown.Name == "2.png" && tu.sess.shown.Full != nil
	})
	tu.view.ZoomFit()
	if st := tu.sess.svc.Stats(); st.Fulls.Entries != 0 {
		t.Fatalf("full frames kept at fit: %d", st.Fulls.Entries)
	}
}

// diskUI is a test window whose local disk cache is on for every folder,
// kept under a temporary user cache folder.
func diskUI(t *testing.T, state string) *testUI {
	t.Helper()
	test.NewTempApp(t)
	tu := &testUI{t: t, queue: make(chan func(), 1024)}
	tu.ui = newUI(fyne.CurrentApp(), Options{FPS: 24, StateFile: state, DiskCache: "on", DiskMB: 64})
	tu.ui.do = func(f func()) { tu.queue <- f }
	tu.win.Resize(fyne.NewSize(640, 400))
	t.Cleanup(func() { tu.closeSession(); tu.disk.close() })
	t.Cleanup(tu.state.wait)
	return tu
}

// TestLocalCopies: with the local cache on, the second visit of a folder
// takes its frames from local disk; Keep Sequence Local copies them all.
func TestLocalCopies(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	state := filepath.Join(t.TempDir(), "state.json")
	dir := frameDir(t, 6)
	first := diskUI(t, state)
	first.openPath(dir)
	first.shows(1, 6)
	first.toggleKeepLocal()
	first.until("every frame kept local", func() bool { return strings.Contains(first.status.Text, "kept local 6/6") })
	first.closeSession()
	first.disk.close()

	again := diskUI(t, state)
	again.openPath(filepath.Join(dir, "4.png"))
	again.shows(4, 6)
	if from := again.sess.shown.From; from != loader.FromDisk {
		t.Fatalf("second visit: frame from %v, want local disk", from)
	}
	again.infoOn = true
	again.refreshInfo()
	if !strings.Contains(again.view.Info(), "from local disk") || !strings.Contains(again.view.Info(), "local disk 6 files") {
		t.Fatalf("info overlay %q does not tell the local copies", again.view.Info())
	}
}

// TestLocalCacheOffSaysSoOnce: a local cache folder that cannot be used
// leaves the frames coming from the folder, and the status line says so.
func TestLocalCacheOffSaysSoOnce(t *testing.T) {
	cacheHome := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cacheHome)
	// A file where the cache folder should be: it cannot be made.
	if err := os.WriteFile(filepath.Join(cacheHome, "seqview"), []byte("in the way"), 0o600); err != nil {
		t.Fatal(err)
	}
	tu := diskUI(t, filepath.Join(t.TempDir(), "state.json"))
	tu.openPath(frameDir(t, 3))
	tu.shows(1, 3)
	tu.until("the status to say the local cache is off", func() bool { return strings.Contains(tu.status.Text, "local cache off") })
	tu.key(fyne.KeyRight)
	tu.shows(2, 3)
	if n := strings.Count(tu.status.Text, "local cache off"); n != 1 {
		t.Fatalf("status %q", tu.status.Text)
	}
}
