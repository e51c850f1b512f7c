package loader

import "time"

// plan says which frames read-ahead wants in memory around the frame asked
// for last, most urgent first. It is a plain value: the Service keeps one
// under its lock and asks it for the order after every change.
type plan struct {
	n      int  // frames in the sequence
	latest int  // the frame asked for last; -1 before the first
	dir    int  // +1 or -1: the direction of the last step
	depth  int  // frames wanted ahead of latest
	loop   bool // read-ahead wraps around the ends (looping playback)
}

// order returns the frames wanted: latest, then depth frames ahead in dir,
// then the frame one step behind, or near an end of the sequence, where
// less lies ahead, as many behind as the depth leaves over. With loop,
// frames ahead wrap around the ends. Each frame appears once.
func (p plan) order() []int {
	if p.latest < 0 || p.latest >= p.n {
		return nil
	}
	out := []int{p.latest}
	seen := map[int]bool{p.latest: true}
	add := func(k, d int) bool {
		j := p.latest + k*d
		if p.loop {
			j = ((j % p.n) + p.n) % p.n
		}
		if j < 0 || j >= p.n || j == p.latest {
			return false
		}
		if !seen[j] {
			seen[j] = true
			out = append(out, j)
		}
		return true
	}
	k := 1
	for ; k <= p.depth; k++ {
		if !add(k, p.dir) {
			break
		}
	}
	behind := p.depth - (k - 1) + 1
	for k := 1; k <= behind; k++ {
		if !add(k, -p.dir) {
			break
		}
	}
	return out
}

// near reports whether frame i is within the read-ahead depth of latest on
// either side: work on such a frame is kept when the plan reverses (a
// person flicking between two frames), though it is last in line.
func (p plan) near(i int) bool {
	return p.latest >= 0 && i >= 0 && max(i-p.latest, p.latest-i) <= p.depth
}

// step reports how a request for frame i moves the plan: whether it is a
// jump (Page Down and beyond: past any read-ahead), which keeps the
// direction the person was going, and the new direction otherwise.
func (p plan) step(i int) (dir int, jump bool) {
	d := i - p.latest
	if p.latest < 0 || d == 0 {
		return p.dir, false
	}
	if d <= -jumpFrames || d >= jumpFrames {
		return p.dir, true
	}
	if d < 0 {
		return -1, false
	}
	return 1, false
}

// jumpFrames is the smallest move that counts as a jump rather than a step.
const jumpFrames = 10

// pace measures how fast the person steps and how long a frame takes to
// load, to decide how deep read-ahead must go.
type pace struct {
	step ewma // seconds between steps
	load ewma // seconds to read and decode one frame
}

// depth is how many frames ahead to keep ready: enough to cover one load at
// the person's pace (two at least), the whole limit while playing (every
// frame ahead will be shown, and the pace before playback says nothing of
// its rate), or preload when the person fixed it; never more than limit,
// the frames the cache holds besides the current one and the one behind.
func (p pace) depth(preload, limit int, playing bool) int {
	d := preload
	switch {
	case d > 0:
	case playing:
		d = limit
	default:
		d = 2
		if step, load := p.step.value(), p.load.value(); step > 0 && load > 0 {
			d = max(d, int(load/step)+2)
		}
	}
	return max(min(d, limit), 1)
}

// addStep records the time since the previous step, capped so that a pause
// does not make the person look slower than they step.
func (p *pace) addStep(since time.Duration) {
	p.step.add(min(since, 2*time.Second).Seconds())
}

// ewma is an exponentially weighted moving average; zero until the first
// sample.
type ewma struct {
	v float64
	n int
}

func (e *ewma) add(x float64) {
	e.n++
	if e.n == 1 {
		e.v = x
		return
	}
	e.v += 0.3 * (x - e.v)
}

func (e ewma) value() float64 { return e.v }

func (e ewma) duration() time.Duration { return time.Duration(e.v * float64(time.Second)) }
