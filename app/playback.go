package app

import (
	"fmt"
	"sync/atomic"
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

// sinceShown is how long the last frame of this playback has been up;
// ok is false before the first.
func (p *playback) sinceShown() (d time.Duration, ok bool) {
	if n := len(p.recent); n > 0 {
		return time.Since(p.recent[n-1]), true
	}
	return 0, false
}

// marksRide reports whether the timeline's marks are refreshed with the
// frames playback shows, so a refresh of their own would only add a
// repaint: while frames keep coming, more often than marksEvery.
func (p *playback) marksRide() bool {
	d, ok := p.sinceShown()
	return p.stop != nil && ok && d < marksEvery
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
	if u.sess == nil {
		return
	}
	u.play.stop = make(chan struct{})
	u.play.dir, u.play.dropped, u.play.recent, u.play.clock = 1, 0, nil, u.sess.index
	u.playBtn.SetIcon(theme.MediaPauseIcon())
	u.syncPlaying()
	u.startTicker()
	u.updateStatus()
}

// period is the time of one frame at the rate asked for.
func (p *playback) period() time.Duration {
	return time.Duration(float64(time.Second) / p.fps)
}

// startTicker runs the clock of playback at the current rate. A tick is
// sent to the UI goroutine only once the last one has run: ticks queued
// while the window was busy would run back to back and show frames that
// are replaced before they are ever painted.
func (u *ui) startTicker() {
	stop := u.play.stop
	go func() {
		t := time.NewTicker(u.play.period())
		defer t.Stop()
		var due atomic.Bool
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if !due.CompareAndSwap(false, true) {
					continue
				}
				u.do(func() {
					due.Store(false)
					if u.play.stop == stop {
						u.tick()
					}
				})
			}
		}
	}()
}

// tick advances playback by one frame time.
//
// Showing every frame, each frame stays up at least most of a frame time,
// and the next is presented only once it is loaded: until then picture,
// timeline and title stay on the frame on screen, so nothing repaints
// between frames and no loading note flickers.
//
// In realtime it moves on regardless, counting the frames it could not
// show, and asks for a new frame only once the last one asked for is up:
// so at most one load is outstanding and read-ahead, not a queue of
// cancelled loads, supplies the frames that are shown.
func (u *ui) tick() {
	s := u.sess
	if s == nil {
		return
	}
	if !u.play.realtime {
		if s.waiting || s.want != s.index { // the next frame is on its way
			return
		}
		if d, ok := u.play.sinceShown(); ok && d < u.play.period()*3/4 {
			return
		}
		u.request(u.nextPlayFrame(s.index))
		return
	}
	u.play.clock = u.nextPlayFrame(u.play.clock)
	if s.waiting {
		u.play.dropped++
		return
	}
	u.show(u.play.clock)
}

// nextPlayFrame is the frame after i in playback order.
func (u *ui) nextPlayFrame(i int) int {
	n := u.sess.seq.Len()
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
		u.syncPlaying()
		if s := u.sess; s != nil {
			s.want = s.index // a frame still on its way is not shown
			u.updateStatus()
			u.refreshMarks()
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
	u.updateStatus()
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
	if u.sess == nil {
		return
	}
	if u.follow {
		u.last()
	}
	u.updateStatus()
}

// syncPlaying tells the loader whether playback is on, and whether
// read-ahead should wrap around the ends: only while playback loops.
func (u *ui) syncPlaying() {
	for _, s := range u.sessions() {
		s.svc.SetPlaying(u.play.stop != nil, !u.play.bounce)
	}
}
