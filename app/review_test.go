package app

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"image"

	"fyne.io/fyne/v2"

	"seqview/internal/testframes"
	"seqview/loader/look"
	"seqview/viewer"
)

// numberedDir writes frames shot_NNNN.png for the given numbers; frame n
// has red r and green n%256.
func numberedDir(t *testing.T, dir string, r uint8, numbers ...int) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range numbers {
		data := testframes.Flat(32, 18, color.NRGBA{R: r, G: uint8(n % 256), B: 90, A: 255})
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("shot_%04d.png", n)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCompareSteps: B is stepped with A, paired by frame number; a number
// B lacks is said in B's half; the keys change how the two are shown.
func TestCompareSteps(t *testing.T) {
	tu := newTestUI(t)
	a := numberedDir(t, t.TempDir(), 200, 1001, 1002, 1003, 1004)
	b := numberedDir(t, t.TempDir(), 40, 1002, 1003, 1005)
	tu.openPath(a)
	tu.until("A", func() bool { return tu.sess != nil && tu.sess.shown != nil })
	tu.compareWith(b, "")
	bShows := func(number int) {
		t.Helper()
		tu.until(fmt.Sprintf("B at frame %d", number), func() bool {
			bs := tu.sideB()
			return bs != nil && bs.shown != nil && !bs.waiting && bs.index == bs.want &&
				bs.shown.Name == fmt.Sprintf("shot_%04d.png", number) && tu.view.NoteB() == ""
		})
	}
	tu.until("B's note for 1001", func() bool { return strings.Contains(tu.view.NoteB(), "has no frame 1001") })
	tu.key(fyne.KeyRight)
	bShows(1002)
	tu.key(fyne.KeyRight)
	bShows(1003)
	tu.key(fyne.KeyRight) // A 1004: B has none
	tu.until("B's note for 1004", func() bool { return strings.Contains(tu.view.NoteB(), "has no frame 1004") })
	if on, mode := tu.view.Comparing(); !on || mode != viewer.Wipe {
		t.Fatalf("comparing %v in %v, want a wipe", on, mode)
	}
	if !strings.HasPrefix(tu.win.Title(), "shot_1004.png (4/4)") || !strings.Contains(tu.status.Text, "B "+filepath.Base(b)) {
		t.Fatalf("title %q, status %q", tu.win.Title(), tu.status.Text)
	}
	for _, k := range []struct {
		r    rune
		mode viewer.Compare
	}{{'s', viewer.SideBySide}, {'d', viewer.Difference}, {'a', viewer.OnlyA}, {'b', viewer.OnlyB}, {'w', viewer.Wipe}} {
		tu.win.Canvas().OnTypedRune()(k.r)
		if _, mode := tu.view.Comparing(); mode != k.mode {
			t.Fatalf("key %c: %v", k.r, mode)
		}
	}
	tu.stopComparing()
	if on, _ := tu.view.Comparing(); on || tu.sideB() != nil {
		t.Fatal("still comparing")
	}
}

// TestDifferenceOffTheUIGoroutine: the difference picture arrives for the
// frames shown, |A−B| brightened.
func TestDifferenceOffTheUIGoroutine(t *testing.T) {
	tu := newTestUI(t)
	a := numberedDir(t, t.TempDir(), 100, 1, 2)
	b := numberedDir(t, t.TempDir(), 90, 1, 2)
	tu.openPath(a)
	tu.until("A", func() bool { return tu.sess != nil && tu.sess.shown != nil })
	tu.compareWith(b, "")
	tu.until("B", func() bool { return tu.sideB() != nil && tu.sideB().shown != nil })
	tu.setCompareMode(viewer.Difference)
	tu.until("the difference", func() bool {
		d, ok := tu.cmp.diffs.Peek(tu.cmp.diffKey)
		return ok && d != nil
	})
	d, _ := tu.cmp.diffs.Peek(tu.cmp.diffKey)
	if got, want := d.Pix[0], uint8(10*look.DefaultGain); got != want {
		t.Fatalf("difference of red 100 and 90: %d, want %d", got, want)
	}
}

// TestOtherVersions: versions beside A are found; Ctrl+Right compares A
// with the next one.
func TestOtherVersions(t *testing.T) {
	tu := newTestUI(t)
	root := t.TempDir()
	v1 := numberedDir(t, filepath.Join(root, "shot_v001"), 10, 1, 2)
	numberedDir(t, filepath.Join(root, "shot_v002"), 20, 1, 2)
	numberedDir(t, filepath.Join(root, "shot_v003"), 30, 1, 2)
	tu.openPath(v1)
	tu.until("the versions", func() bool { return len(tu.versions) == 3 })
	tu.stepVersion(1)
	tu.until("v002 as B", func() bool { b := tu.sideB(); return b != nil && filepath.Base(b.folder) == "shot_v002" })
	tu.until("B shown", func() bool { return tu.sideB().shown != nil })
	tu.stepVersion(1)
	tu.until("v003 as B", func() bool { b := tu.sideB(); return b != nil && filepath.Base(b.folder) == "shot_v003" })
}

// TestLookKeys: the channel, exposure and gamma keys change how frames
// are shown, and x resets them.
func TestLookKeys(t *testing.T) {
	tu := newTestUI(t)
	tu.openPath(frameDir(t, 3))
	tu.shows(1, 3)
	typeRune := func(r rune) { tu.win.Canvas().OnTypedRune()(r) }
	typeRune('G')
	tu.until("green as grey", func() bool {
		f := tu.sess.shown
		return f.Look.Channel == look.Green && f.View.Pix[0] == 50 && f.View.Pix[2] == 50
	})
	typeRune('E')
	typeRune('Y')
	if !strings.Contains(tu.status.Text, "exposure +0.5") || !strings.Contains(tu.status.Text, "gamma 1.1") {
		t.Fatalf("status %q does not say the look", tu.status.Text)
	}
	typeRune('x')
	tu.until("colour again", func() bool { return tu.sess.shown.Look.IsNeutral() })
	if strings.Contains(tu.status.Text, "exposure") {
		t.Fatalf("status %q after reset", tu.status.Text)
	}
}

// TestPixelValues: p shows the file's values under the pointer, from the
// full-resolution frame once it is there.
func TestPixelValues(t *testing.T) {
	tu := newTestUI(t)
	tu.openPath(frameDir(t, 2))
	tu.shows(1, 2)
	tu.win.Canvas().OnTypedRune()('p')
	tu.pointerMoved(viewer.PointerAt{Over: true, A: image2(5, 6), InA: true})
	tu.until("values from the full frame", func() bool {
		return tu.sess.shown.Full != nil && strings.Contains(tu.view.PointerInfo(), "R 10  G 50  B 90  A 255  (8-bit)") &&
			!strings.Contains(tu.view.PointerInfo(), "approx")
	})
	if !strings.Contains(tu.view.PointerInfo(), "x 5  y 6") {
		t.Fatalf("pointer info %q", tu.view.PointerInfo())
	}
	tu.win.Canvas().OnTypedRune()('p')
	if tu.view.PointerInfo() != "" {
		t.Fatal("p did not hide the values")
	}
}

func image2(x, y int) image.Point { return image.Pt(x, y) }

// TestHelpListsEveryKey: the key list is made from the table the key
// handler uses, so every key the handler knows is in the help.
func TestHelpListsEveryKey(t *testing.T) {
	list := keyList()
	for _, b := range bindings() {
		if !strings.Contains(list, b.key) || !strings.Contains(list, b.what) {
			t.Errorf("the help does not list %q (%s)", b.key, b.what)
		}
	}
	for _, want := range []string{"Right", "Space", "Ctrl+O", "F11", "?", "F1", "R", "e", "w", "p", "Ctrl+Left"} {
		if !strings.Contains(list, "  "+want+" ") {
			t.Errorf("the help does not list %s", want)
		}
	}
}
