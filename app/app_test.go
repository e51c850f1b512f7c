package app

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"seqview/internal/testframes"
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
	tu.ui = newUI(fyne.CurrentApp(), Options{FPS: 24})
	tu.ui.do = func(f func()) { tu.queue <- f }
	tu.win.Resize(fyne.NewSize(640, 400))
	t.Cleanup(tu.closeService)
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
		case <-deadline:
			tu.t.Fatalf("still waiting for %s; title %q, status %q", what, tu.win.Title(), tu.status.Text)
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
		return tu.win.Title() == title && tu.shown != nil && !tu.waiting &&
			int(tu.shown.Full.Pix[0]) == k*10
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
		{"missing", filepath.Join(empty, "nope"), "no such file"},
		{"empty folder", empty, "no image sequence"},
		{"not an image", notImage, "not an image"},
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
	tu.until("the demo's first frame", func() bool { return tu.shown != nil })
	if !strings.HasPrefix(tu.win.Title(), "demo_0001.png (1/48)") {
		t.Fatalf("title %q", tu.win.Title())
	}
	tu.key(fyne.KeySpace)
	tu.until("playback to reach frame 4", func() bool { return tu.index >= 3 })
	tu.key(fyne.KeySpace)
	if tu.playing != nil {
		t.Fatal("Space did not stop playback")
	}
}
