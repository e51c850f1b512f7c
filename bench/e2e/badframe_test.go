package e2e

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"seqview/bench/xwin"
)

// TestBadFrames: in the real window, a truncated frame and a text file
// named .png each show their message in place of the picture — never the
// previous frame, never a blank window — and the frames after them show
// again. The app is started on a file in the middle of the sequence.
func TestBadFrames(t *testing.T) {
	requireDisplay(t)
	bin := seqviewBinary(t)
	dir := writeFrames(t)
	five := filepath.Join(dir, "5.png")
	data, err := os.ReadFile(five)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		// Written a minute ago: broken for good, not still being written.
		past := time.Now().Add(-time.Minute)
		if err := os.Chtimes(p, past, past); err != nil {
			t.Fatal(err)
		}
	}
	write("5.png", data[:len(data)/3])
	write("7.png", []byte("render log: frame 7 failed\n"))

	app := startApp(t, bin, filepath.Join(dir, "4.png"))
	x, err := xwin.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	s := &session{x: x, app: app}
	step := stepper(t)

	step("opens_on_4", func(t *testing.T) {
		s.findWindow(t)
		s.expectFrame(t, 4, windowDeadline)
	})
	bad := func(i int) func(t *testing.T) {
		return func(t *testing.T) {
			s.key(t, xwin.KeyRight)
			deadline := time.Now().Add(stepDeadline)
			for {
				s.app.checkRunning(t)
				o := s.observe()
				// The message replaces the picture: left of the centred
				// message, the dark surround shows where frame i-1's
				// colour was.
				g := s.geometry(t)
				side := image.Pt(g.Min.X+g.Dx()/5, g.Min.Y+g.Dy()*40/100)
				c, err := s.colorAt(side)
				if o.err == nil && err == nil && o.title == wantTitle(i) && near(c, background) {
					return
				}
				if time.Now().After(deadline) {
					s.fail(t, "want frame %d's message in place of the picture; last seen: %v, colour %v at %v", i, o, c, side)
				}
				time.Sleep(pollInterval)
			}
		}
	}
	step("Right_to_truncated_5", bad(5))
	step("Right_to_6", func(t *testing.T) {
		s.key(t, xwin.KeyRight)
		s.expectFrame(t, 6, stepDeadline)
	})
	step("Right_to_text_7", bad(7))
	step("Right_to_8", func(t *testing.T) {
		s.key(t, xwin.KeyRight)
		s.expectFrame(t, 8, stepDeadline)
	})
	if out := s.app.out.String(); strings.Contains(out, "panic") {
		t.Fatalf("the app panicked:\n%s", out)
	}
}
