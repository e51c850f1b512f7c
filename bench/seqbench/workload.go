package seqbench

import (
	"math/rand/v2"
	"time"
)

// Event is one input event: at At after the start of a run the person asks
// for Frame.
type Event struct {
	At    time.Duration
	Frame int
}

// Workload is a session of requests. Scheduled workloads list their events;
// playback makes each request once the previous frame is shown.
type Workload struct {
	Name   string
	Desc   string
	Events []Event
	// Turn is the index in Events of the first step back (in a loop's
	// Frames, the first frame of the second pass), -1 if none: the opens
	// made from then on show whether stepping back re-reads files.
	Turn int
	// Held marks a held key: the figure that matters is how long after
	// the last request (the key let go) its frame shows.
	Held bool
	// Play, if set, makes this a playback workload and Events is empty.
	Play *Playback
}

// Playback plays frames in order, every frame shown: the next request is
// made once the current frame is ready and at least 1/FPS after the
// previous request, until For has passed or the last frame is shown.
type Playback struct {
	FPS   float64
	For   time.Duration
	Start int
	// Frames, if set, are the frames asked for in turn (a loop's passes),
	// instead of Start to the last frame.
	Frames []int
	// Loop tells the loader playback wraps around the end.
	Loop bool
}

// The workloads' sizes, from the issue.
const (
	forwardSteps = 30
	fwdBackFwd   = 20
	fwdBackBack  = 5
	farBackSteps = 40
	randomJumps  = 20
	// HeldRepeat is a held key's auto-repeat interval (30/s, X11's usual
	// rate) and HeldFor how long the key is held.
	HeldRepeat = 33 * time.Millisecond
	HeldFor    = 3 * time.Second
	PlayFPS    = 24
	PlayFor    = 5 * time.Second
	// PaceMargin is added to the cold load time to make a human pace: a
	// person who waits for each frame and looks at it briefly.
	PaceMargin = 100 * time.Millisecond
)

// Pace is the human stepping interval for a cold load time: each step
// comes a little after the previous frame could have loaded from cold.
func Pace(cold time.Duration) time.Duration { return cold + PaceMargin }

// Workloads returns the benchmark's workloads over a sequence of n frames,
// human steps pace apart; random jumps are drawn from seed. Each is cut to
// fit n: 60 frames hold every workload except the held key, which stops at
// the last frame (after n-1 repeats) as a viewer stops there.
func Workloads(n int, pace time.Duration, seed uint64) []Workload {
	steps := func(frames ...int) []Event {
		ev := make([]Event, len(frames))
		for k, f := range frames {
			ev[k] = Event{At: time.Duration(k) * pace, Frame: f}
		}
		return ev
	}
	upTo := func(to int) []int { // 0, 1, … to
		fs := make([]int, to+1)
		for i := range fs {
			fs[i] = i
		}
		return fs
	}
	back := func(fs []int, k int) ([]int, int) { // k more steps back from the last frame of fs; turn index
		if k == 0 {
			return fs, -1
		}
		turn, top := len(fs), fs[len(fs)-1]
		for d := 1; d <= k; d++ {
			fs = append(fs, top-d)
		}
		return fs, turn
	}
	last := n - 1

	fb, fbTurn := back(upTo(min(fwdBackFwd, last)), min(fwdBackBack, fwdBackFwd, last))
	far, farTurn := back(upTo(min(farBackSteps, last)), min(farBackSteps, last))

	rng := rand.New(rand.NewPCG(seed, 0x5eeb))
	jumps := make([]int, 0, randomJumps)
	for len(jumps) < randomJumps {
		i := rng.IntN(n)
		if n > 1 && len(jumps) > 0 && jumps[len(jumps)-1] == i {
			continue // the same frame twice is no jump
		}
		jumps = append(jumps, i)
	}

	var held []Event
	for k := 0; k <= min(int(HeldFor/HeldRepeat), last); k++ {
		held = append(held, Event{At: time.Duration(k) * HeldRepeat, Frame: k})
	}

	noTurn := -1
	return []Workload{{
		Name: "forward", Desc: "steps forward at a human pace",
		Events: steps(upTo(min(forwardSteps, last))...), Turn: noTurn,
	}, {
		Name: "fwd-back", Desc: "steps forward, then a few back",
		Events: steps(fb...), Turn: fbTurn,
	}, {
		Name: "far-back", Desc: "steps forward, then all the way back",
		Events: steps(far...), Turn: farTurn,
	}, {
		Name: "random", Desc: "random jumps at a human pace",
		Events: steps(jumps...), Turn: noTurn,
	}, {
		Name: "held-key", Desc: "a key held down, then let go",
		Events: held, Turn: noTurn, Held: true,
	}, {
		Name: "playback", Desc: "plays every frame at up to 24 fps",
		Turn: noTurn, Play: &Playback{FPS: PlayFPS, For: PlayFor},
	}}
}
