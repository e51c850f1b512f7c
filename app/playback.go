package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/theme"
)

// playback is the state of the transport. It is used on the UI goroutine
// only; the ticker goroutine reaches it through u.do.
type playback struct {
	stop     chan struct{} // closed to stop the ticker; nil when not playing
	fps      float64       // the rate asked for
	bounce   bool          // ping-pong at the ends instead of looping
	realtime bool          // keep time by dropping frames, instead of showing every frame
	dir      int           // +1 or -1 while bouncing
	clock    int           // in realtime, the frame whose time it is
	dropped  int           // frames skipped to keep time since play started
	recent   []time.Time   // when recent frames reached the screen, for the actual rate
}

// playRates are the rates the menu and the [ and ] keys step through.
var playRates = []float64{1, 2, 6, 12, 15, 24, 25, 30, 48, 50, 60}

// shown records that a frame reached the screen.
func (p *playback) shown(t time.Time) {
	if p.stop == nil {
		return
	}
	p.recent = append(p.recent, t)
	if len(p.recent) > 48 {
		p.recent = p.recent[len(p.recent)-48:]
	}
}

// actualFPS is the rate frames reached the screen over the last frames.
func (p *playback) actualFPS() float64 {
	n := len(p.recent)
	if n < 2 {
		return 0
	}
	return float64(n-1) / p.recent[n-1].Sub(p.recent[0]).Seconds()
}

// status is the playback part of the status line.
func (p *playback) status() string {
	if p.stop == nil {
		return ""
	}
	mode := "every frame"
	if p.realtime {
		mode = "realtime"
	}
	s := fmt.Sprintf("   playing %.1f fps of %g (%s)", p.actualFPS(), p.fps, mode)
	if p.dropped > 0 {
		s += fmt.Sprintf("  %d dropped", p.dropped)
	}
	return s
}

// togglePlay starts or stops playback.
func (u *ui) togglePlay() {
	if u.play.stop != nil {
		u.stopPlay()
		return
	}
	if u.svc == nil {
		return
	}
	u.play.stop = make(chan struct{})
	u.play.dir, u.play.dropped, u.play.recent, u.play.clock = 1, 0, nil, u.index
	u.playBtn.SetIcon(theme.MediaPauseIcon())
	u.syncLoop()
	u.startTicker()
	u.updateStatus()
}

// startTicker runs the clock of playback at the current rate.
func (u *ui) startTicker() {
	stop, every := u.play.stop, time.Duration(float64(time.Second)/u.play.fps)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				u.do(func() {
					if u.play.stop == stop {
						u.tick()
					}
				})
			}
		}
	}()
}

// tick advances playback by one frame time. Showing every frame, it waits
// while the next frame loads. In realtime it moves on regardless, counting
// the frames it could not show, and asks for a new frame only once the last
// one asked for is up: so at most one load is outstanding and read-ahead,
// not a queue of cancelled loads, supplies the frames that are shown.
func (u *ui) tick() {
	if u.svc == nil {
		return
	}
	if !u.play.realtime {
		if !u.waiting {
			u.show(u.nextPlayFrame(u.index))
		}
		return
	}
	u.play.clock = u.nextPlayFrame(u.play.clock)
	if u.waiting {
		u.play.dropped++
		return
	}
	u.show(u.play.clock)
}

// nextPlayFrame is the frame after i in playback order.
func (u *ui) nextPlayFrame(i int) int {
	n := u.svc.Sequence().Len()
	if n < 2 {
		return 0
	}
	if u.play.bounce {
		if i+u.play.dir < 0 || i+u.play.dir >= n {
			u.play.dir = -u.play.dir
		}
		return i + u.play.dir
	}
	return (i + 1) % n
}

func (u *ui) stopPlay() {
	if u.play.stop != nil {
		close(u.play.stop)
		u.play.stop = nil
		u.playBtn.SetIcon(theme.MediaPlayIcon())
		u.syncLoop()
		if u.svc != nil {
			u.updateStatus()
		}
	}
}

// setRate changes the playback rate, restarting the clock if playing.
func (u *ui) setRate(fps float64) {
	u.play.fps = fps
	if u.play.stop != nil {
		close(u.play.stop)
		u.play.stop = make(chan struct{})
		u.play.recent = nil
		u.startTicker()
	}
	u.setMenu()
	if u.svc != nil {
		u.updateStatus()
	}
}

// stepRate moves to the next standard rate up (d > 0) or down.
func (u *ui) stepRate(d int) {
	for i, r := range playRates {
		if d > 0 && r > u.play.fps {
			u.setRate(r)
			return
		}
		if d < 0 && r >= u.play.fps && i > 0 {
			u.setRate(playRates[i-1])
			return
		}
	}
}

// toggleFollow turns "follow newest" on or off (key l): while on, the
// last frame is shown as a renderer adds frames to the folder.
func (u *ui) toggleFollow() {
	u.follow = !u.follow
	u.setMenu()
	if u.svc == nil {
		return
	}
	if u.follow {
		u.stopPlay()
		u.show(u.svc.Sequence().Len() - 1)
	}
	u.updateStatus()
}

// syncLoop tells the loader whether read-ahead should wrap around the
// ends: only while playback loops, so the first frames are ready when the
// last one plays.
func (u *ui) syncLoop() {
	if u.svc != nil {
		u.svc.SetLoop(u.play.stop != nil && !u.play.bounce)
	}
}
