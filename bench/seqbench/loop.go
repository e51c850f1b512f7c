package seqbench

import (
	"fmt"
	"io/fs"
	"strings"
	"time"
	"weak"

	"seqview/loader"
)

// The loop scenario, from the issue: 48 4K frames looping at 24 fps.
const (
	LoopFrames = 48
	LoopPasses = 2
	LoopFPS    = 24
	// goalLoopFPS is the second pass's rate to reach, with no frame late.
	goalLoopFPS = 23
)

// Loop is a loop played every frame, pass after pass, with the loader
// told it loops.
type Loop struct {
	Frames int
	FPS    float64
	Run    *Result
	Passes []Pass
	// Bound is PlaybackBound's: what the first pass, from the share, can
	// reach at best.
	Bound, ByLink, ByCPU float64
}

// Pass is one pass of a loop.
type Pass struct {
	Frames int           // frames asked for
	FPS    float64       // frames shown per second after the pass's first
	Span   time.Duration // from the pass's first frame shown to its last
	// Late counts frames that missed their slot: ready more than one
	// frame interval after they were asked for, or never.
	Late int
	// Opens are the files the pass opened on the share, read-ahead of the
	// next pass included.
	Opens int
	// Made counts frames decoded anew in this pass: shown as another
	// Decoded than the pass before showed (0 for the first pass).
	Made int
}

// RunLoop plays the first n frames of env's sequence passes times over at
// fps, every frame shown, from a fresh loader told that playback loops.
func RunLoop(env *Env, n, passes int, fps float64) (*Loop, error) {
	if n > env.Seq.Len() {
		return nil, fmt.Errorf("seqbench: a loop of %d frames, the sequence has %d", n, env.Seq.Len())
	}
	e := *env
	e.Seq = cut(env.Seq, n)
	frames := make([]int, 0, n*passes)
	for range passes {
		for i := range n {
			frames = append(frames, i)
		}
	}
	// Long enough for any pass; readyTimeout still ends a lost frame.
	long := time.Duration(n*passes) * readyTimeout
	w := Workload{Name: "loop", Turn: n, Play: &Playback{FPS: fps, For: long, Frames: frames, Loop: true}}
	res, err := Run(&e, Ours, w)
	if err != nil {
		return nil, err
	}
	l := &Loop{Frames: n, FPS: fps, Run: res}
	l.Bound, l.ByLink, l.ByCPU = PlaybackBound(env)
	interval := time.Duration(float64(time.Second) / fps)
	reqs := res.Requests
	for p := 0; p*n < len(reqs); p++ {
		pass := reqs[p*n : min((p+1)*n, len(reqs))]
		ps := Pass{Frames: len(pass)}
		for k, r := range pass {
			if r.Ready < 0 || r.Ready-r.At > interval {
				ps.Late++
			}
			if p > 0 && r.made != (weak.Pointer[loader.Decoded]{}) && r.made != reqs[(p-1)*n+k].made {
				ps.Made++
			}
		}
		// From the pass's first frame shown to its last: the first
		// frame's own wait (a cold start, or a last frame of the pass
		// before that was late) is not the pass's.
		if first, last := pass[0].Ready, pass[len(pass)-1].Ready; first >= 0 && last > first {
			ps.Span = last - first
			ps.FPS = float64(len(pass)-1) / ps.Span.Seconds()
		}
		l.Passes = append(l.Passes, ps)
	}
	if res.OpensBeforeTurn != nil && len(l.Passes) > 1 {
		for i, o := range res.Opens {
			l.Passes[1].Opens += o - res.OpensBeforeTurn[i]
			l.Passes[0].Opens += res.OpensBeforeTurn[i]
		}
	}
	return l, nil
}

// cut returns seq's first n frames.
func cut(seq *loader.Sequence, n int) *loader.Sequence {
	s := *seq
	s.Frames = s.Frames[:n:n]
	return &s
}

// Targets checks the loop against the goals: the second pass at
// the rate asked for (within goalLoopFPS), from memory, no frame late; the
// first pass within goalPlayback of the bound.
func (l *Loop) Targets() []Target {
	var ts []Target
	if len(l.Passes) > 1 {
		p := l.Passes[1]
		ts = append(ts, Target{
			Name: fmt.Sprintf("loop of %d frames at %g fps, second pass ≥ %d fps, none dropped (late), from memory", l.Frames, l.FPS, goalLoopFPS),
			Pass: p.FPS >= goalLoopFPS && p.Late == 0 && p.Made == 0 && p.Opens == 0,
			Detail: fmt.Sprintf("%.1f fps, %d late, %d decoded again, %d files opened",
				p.FPS, p.Late, p.Made, p.Opens),
		})
	}
	if len(l.Passes) > 0 {
		p := l.Passes[0]
		ts = append(ts, Target{
			Name: fmt.Sprintf("loop, first pass from the share ≥ %.0f %% of the bound", 100*goalPlayback),
			Pass: p.FPS >= goalPlayback*l.Bound,
			Detail: fmt.Sprintf("%.1f fps of %.1f (%.0f %%); bound = min(link %.1f, cores %.1f)",
				p.FPS, l.Bound, 100*p.FPS/l.Bound, l.ByLink, l.ByCPU),
		})
	}
	return ts
}

// Markdown is the loop's table.
func (l *Loop) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d frames played every frame at %g fps, %d passes, from a fresh loader told that playback loops (SetPlaying(true, true)). "+
		"Late: frames ready more than one frame interval (%s) after they were asked for. Decoded again: frames shown from another decode than the pass before. "+
		"The first pass's bound is min(link ÷ mean file, cores ÷ one view decode) = %.1f fps.\n\n",
		l.Frames, l.FPS, len(l.Passes), ms(time.Duration(float64(time.Second)/l.FPS)), l.Bound)
	b.WriteString("| loop pass | frames | fps | of asked | of bound | late | decoded again | files opened | span ms |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for k, p := range l.Passes {
		ofBound := "–" // the bound is the share's: a later pass need not read
		if k == 0 {
			ofBound = fmt.Sprintf("%.0f %%", 100*p.FPS/l.Bound)
		}
		fmt.Fprintf(&b, "| %d | %d | %.1f | %.0f %% | %s | %d | %d | %d | %s |\n",
			k+1, p.Frames, p.FPS, 100*p.FPS/l.FPS, ofBound, p.Late, p.Made, p.Opens, msNum(p.Span))
	}
	if l.Run.Errors > 0 {
		fmt.Fprintf(&b, "\n%d requests failed, first: %v\n", l.Run.Errors, l.Run.FirstErr)
	}
	return b.String()
}

// FramesIn returns the longest sequence in base's folder dir cut to its
// first n frames (all of them if n <= 0).
func FramesIn(base fs.FS, dir string, n int) (*loader.Sequence, error) {
	seqs, err := loader.Scan(base, dir)
	if err != nil {
		return nil, fmt.Errorf("seqbench: %w", err)
	}
	seq := seqs[0]
	if n > 0 {
		if n > len(seq.Frames) {
			return nil, fmt.Errorf("seqbench: want %d frames, %s has %d", n, dir, len(seq.Frames))
		}
		seq = cut(seq, n)
	}
	return seq, nil
}
