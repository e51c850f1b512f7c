package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"seqview/bench/xwin"
)

// flatFrames writes 1.png … n.png into dir, frame i of colour c(i).
func flatFrames(t *testing.T, dir string, n int, c func(i int) color.RGBA) {
	t.Helper()
	for i := 1; i <= n; i++ {
		writePNG(t, filepath.Join(dir, fmt.Sprintf("%d.png", i)), c(i))
	}
}

func writePNG(t *testing.T, path string, c color.RGBA) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, frameWidth, frameHeight))
	for p := 0; p < len(img.Pix); p += 4 {
		img.Pix[p], img.Pix[p+1], img.Pix[p+2], img.Pix[p+3] = c.R, c.G, c.B, c.A
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// titleOf is the window's title on frame i.png of n.
func titleOf(i, n int) string { return fmt.Sprintf("%d.png (%d/%d)%s", i, i, n, titleSuffix) }

// sampleAt is the median colour of a patch at fractions fx, fy of the
// window.
func (s *session) sampleAt(t *testing.T, fx, fy float64) color.RGBA {
	t.Helper()
	g := s.geometry(t)
	at := image.Pt(g.Min.X+int(float64(g.Dx())*fx), g.Min.Y+int(float64(g.Dy())*fy))
	img, err := s.x.Capture(image.Rect(at.X-patch/2, at.Y-patch/2, at.X+patch/2+1, at.Y+patch/2+1))
	if err != nil {
		s.fail(t, "capture: %v", err)
	}
	return median(img)
}

// TestCompareWipe: seqview A B shows A left of the wipe line and B right of
// it, and every step moves both.
func TestCompareWipe(t *testing.T) {
	requireDisplay(t)
	bin := seqviewBinary(t)
	a, b := t.TempDir(), t.TempDir()
	flatFrames(t, a, 6, frameColor)
	bColor := func(i int) color.RGBA { return frameColor(i + 6) } // six hues away from A's
	flatFrames(t, b, 6, bColor)
	app := startApp(t, bin, a, b)
	x, err := xwin.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	s := &session{x: x, app: app}
	step := stepper(t)
	shows := func(i int) func(t *testing.T) {
		return func(t *testing.T) {
			deadline := time.Now().Add(stepDeadline)
			for {
				s.app.checkRunning(t)
				title, _ := s.x.Title(s.win)
				left, right := s.sampleAt(t, 0.3, 0.4), s.sampleAt(t, 0.7, 0.4)
				if title == titleOf(i, 6) && near(left, frameColor(i)) && near(right, bColor(i)) {
					return
				}
				if time.Now().After(deadline) {
					s.fail(t, "frame %d: title %q, left of the wipe %v (want A's %v), right %v (want B's %v)",
						i, title, left, frameColor(i), right, bColor(i))
				}
				time.Sleep(pollInterval)
			}
		}
	}
	step("opens", func(t *testing.T) { s.findWindow(t) })
	step("frame_1", shows(1))
	for i := 2; i <= 4; i++ {
		step(fmt.Sprintf("right_to_%d", i), func(t *testing.T) {
			s.key(t, xwin.KeyRight)
			shows(i)(t)
		})
	}
	step("end", func(t *testing.T) {
		s.key(t, xwin.KeyEnd)
		shows(6)(t)
	})
}

// TestLocalCacheSecondRun: a first run over a folder copies its frames to
// the local disk cache; the second run reads no unchanged frame from the
// folder — their files are overwritten with junk of the same size and
// time, so a read would show a broken frame — and a frame rewritten in
// between shows its new picture.
func TestLocalCacheSecondRun(t *testing.T) {
	requireDisplay(t)
	bin := seqviewBinary(t)
	dir := t.TempDir()
	const n = 6
	flatFrames(t, dir, n, frameColor)
	home := t.TempDir()
	env := func() []string {
		return append(appEnv(t), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
			"XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
	}
	x, err := xwin.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	run := func(name string, want func(i int) color.RGBA) {
		app := startAppEnv(t, bin, env(), "-disk-cache", "on", "-disk-mb", "64", filepath.Join(dir, "1.png"))
		s := &session{x: x, app: app}
		step := stepper(t)
		step(name+"_opens", func(t *testing.T) { s.findWindow(t) })
		for i := 1; i <= n; i++ {
			step(fmt.Sprintf("%s_frame_%d", name, i), func(t *testing.T) {
				if i > 1 {
					s.key(t, xwin.KeyRight)
				}
				deadline := time.Now().Add(stepDeadline)
				for {
					s.app.checkRunning(t)
					o := s.observe()
					if o.title == titleOf(i, n) && near(o.color, want(i)) {
						return
					}
					if time.Now().After(deadline) {
						s.fail(t, "frame %d: want colour %v, saw %v", i, want(i), o)
					}
					time.Sleep(pollInterval)
				}
			})
		}
		step(name+"_closes", func(t *testing.T) {
			if err := x.CloseWindow(s.win); err != nil {
				t.Fatal(err)
			}
			select {
			case <-app.exited:
			case <-time.After(windowDeadline):
				t.Fatal("seqview did not end after its window was closed")
			}
		})
	}
	run("first", frameColor)

	// The copies are written behind the frames shown: wait until all are.
	files := filepath.Join(home, ".cache", "seqview", "files")
	deadline := time.Now().Add(windowDeadline)
	for copies(files) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d copies in %s after the first run, want %d", copies(files), files, n)
		}
		time.Sleep(pollInterval)
	}

	// Junk in place of every frame, same size and time: only the local
	// copies can show them now. Frame 3 is rewritten: a new picture, now.
	for i := 1; i <= n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("%d.png", i))
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, bytes.Repeat([]byte("junk"), int(fi.Size())/4+1)[:fi.Size()], 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	writePNG(t, filepath.Join(dir, "3.png"), frameColor(9))
	run("second", func(i int) color.RGBA {
		if i == 3 {
			return frameColor(9)
		}
		return frameColor(i)
	})
}

// copies counts the entries of a disk cache folder (not its temporary
// files).
func copies(dir string) int {
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "tmp") && !strings.HasPrefix(e.Name(), ".") {
			n++
		}
	}
	return n
}
