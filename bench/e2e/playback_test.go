package e2e

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"seqview/bench/xwin"
)

const (
	// playFPS is the rate TestPlayback asks for: slow enough that a
	// software-rendering machine keeps up, fast enough to see many frames.
	playFPS = 8
	// watchFor is how long TestPlayback watches playback.
	watchFor = 3 * time.Second
	// sampleEvery is how often it samples the title and the picture:
	// several times per frame.
	sampleEvery = 20 * time.Millisecond
)

// change is a moment the title (or the picture) went to another frame.
type change struct {
	at    time.Time
	frame int
}

// TestPlayback starts seqview at -fps 8, plays, and watches the window:
// the frames must follow each other in order (looping from the last to the
// first) at about the rate asked for, on average over a few seconds. The
// rate is checked loosely (half to one and a half times), so a slow
// machine does not fail it; the figure is logged.
func TestPlayback(t *testing.T) {
	s := launch(t, "-fps", fmt.Sprint(playFPS))
	step := stepper(t)

	step("window_opens_on_1", func(t *testing.T) {
		s.findWindow(t)
		s.expectFrame(t, 1, windowDeadline)
	})

	var titles, pictures []change
	step("Space_plays_in_order", func(t *testing.T) {
		s.key(t, xwin.KeySpace)
		titles, pictures = s.watch(t, watchFor)
		t.Logf("titles:   %s", changesString(titles))
		t.Logf("pictures: %s", changesString(pictures))

		if len(titles) < 3 {
			s.fail(t, "only %d title changes in %v at %d fps: playback did not run", len(titles), watchFor, playFPS)
		}
		// The title changes to the next frame every time: playback shows
		// every frame by default, looping.
		for k := 1; k < len(titles); k++ {
			if prev, next := titles[k-1].frame, titles[k].frame; next != prev%frameCount+1 {
				s.fail(t, "the title went from frame %d to %d, want %d", prev, next, prev%frameCount+1)
			}
		}
		// The picture moves forward too. A sample may miss a frame that
		// was painted for less than sampleEvery, so skipping one is
		// logged, not failed; going back is a failure.
		skipped := 0
		for k := 1; k < len(pictures); k++ {
			d := (pictures[k].frame - pictures[k-1].frame + frameCount) % frameCount
			switch {
			case d == 1:
			case d == 2 || d == 3:
				skipped += d - 1
			default:
				s.fail(t, "the picture went from frame %d to %d", pictures[k-1].frame, pictures[k].frame)
			}
		}
		if skipped > 0 {
			t.Logf("the samples missed %d frames' pictures", skipped)
		}
		if len(pictures) < len(titles)/2 {
			s.fail(t, "the picture changed %d times while the title changed %d times", len(pictures), len(titles))
		}
	})
	step("rate_about_fps", func(t *testing.T) {
		tr, pr := rate(titles), rate(pictures)
		t.Logf("playback at -fps %d: titles %.2f fps, pictures %.2f fps (%d and %d changes over %v)",
			playFPS, tr, pr, len(titles), len(pictures), watchFor)
		for _, r := range []float64{tr, pr} {
			if r < 0.5*playFPS || r > 1.5*playFPS {
				s.fail(t, "playback ran at %.2f fps on average, want about %d (%.1f to %.1f)",
					r, playFPS, 0.5*playFPS, 1.5*playFPS)
			}
		}
	})
	step("Space_pauses", func(t *testing.T) {
		s.key(t, xwin.KeySpace)
		s.expectStill(t)
	})
}

// watch samples the title and the picture's colour every sampleEvery for d
// and returns the changes of each, in order.
func (s *session) watch(t *testing.T, d time.Duration) (titles, pictures []change) {
	t.Helper()
	lastTitle, lastPicture := -1, -1
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(sampleEvery) {
		s.app.checkRunning(t)
		o := s.observe()
		now := time.Now()
		if o.err != nil {
			s.fail(t, "%v", o.err)
		}
		i := titleFrame(o.title)
		if i == 0 {
			s.fail(t, "title %q is not of the form %q", o.title, wantTitle(1))
		}
		if lastTitle >= 0 && i != lastTitle {
			titles = append(titles, change{now, i})
		}
		lastTitle = i
		// A colour between two frames' (a paint caught half way) or of
		// no frame counts as no change.
		if p := frameOf(o.color); p != 0 {
			if lastPicture >= 0 && p != lastPicture {
				pictures = append(pictures, change{now, p})
			}
			lastPicture = p
		}
	}
	return titles, pictures
}

// frameOf returns the frame whose colour c is, or 0.
func frameOf(c color.RGBA) int {
	for i := 1; i <= frameCount; i++ {
		if near(c, frameColor(i)) {
			return i
		}
	}
	return 0
}

// rate is the average number of changes per second between the first and
// the last change.
func rate(cs []change) float64 {
	if len(cs) < 2 {
		return 0
	}
	return float64(len(cs)-1) / cs[len(cs)-1].at.Sub(cs[0].at).Seconds()
}

func changesString(cs []change) string {
	var b strings.Builder
	for k, c := range cs {
		if k > 0 {
			fmt.Fprintf(&b, " +%dms→", c.at.Sub(cs[k-1].at).Milliseconds())
		}
		fmt.Fprint(&b, c.frame)
	}
	return b.String()
}
