package uibench

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/png" // image.Decode of the naive reference
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"seqview/bench/seqbench"
	"seqview/bench/xwin"
	"seqview/internal/slowfs"
)

// What is measured. Each scenario runs in a fresh viewer process, so its
// peak RSS and its caches are its own; "steps" measures two things.
const (
	ReadAhead = "read-ahead step"
	Cached    = "cached step"
	Jump      = "cold jump"
	Held      = "held key settle"
	Play      = "playback"
	Back      = "step back, no pause"
	Memory    = "60 steps (memory)"
	// The loop's passes: the first from the share, the second from what
	// the first left in memory.
	LoopFirst  = "loop, first pass"
	LoopSecond = "loop, second pass"
)

// Measures lists them in report order.
var Measures = []string{Cached, ReadAhead, Jump, Held, Back, Memory, Play, LoopFirst, LoopSecond}

// Scenarios, each one viewer process.
const (
	ScenarioSteps  = "steps" // read-ahead steps, then cached steps
	ScenarioJump   = "jump"
	ScenarioHeld   = "held"
	ScenarioPlay   = "play"
	ScenarioLoop   = "loop"   // a 48-frame loop played twice over
	ScenarioBack   = "back"   // 40 steps forward, then 30 back, with no pause
	ScenarioMemory = "memory" // 60 steps: peak RSS
)

// Scenarios lists them in run order.
var Scenarios = []string{ScenarioSteps, ScenarioJump, ScenarioHeld, ScenarioPlay, ScenarioLoop, ScenarioBack, ScenarioMemory}

// Only4K are the scenarios of the 4K configurations only: their goals are
// for 4K frames.
var Only4K = []string{ScenarioLoop, ScenarioBack, ScenarioMemory}

// The sizes of the scenarios, from the issue.
const (
	LoopFrames   = 48 // frames in the loop (LoopDataset)
	BackForward  = 40 // steps forward before going back
	BackSteps    = 30 // steps back, each timed
	MemorySteps  = 60
	loopPasses   = 2
	loopPassWait = 3 // a pass may take this many times its frames at the bound before the watch gives up
)

// Config is one setting of the matrix: a frame size read from local disk
// or through the slow share.
type Config struct {
	Dataset Dataset
	Share   string        // SEQVIEW_SLOWSHARE for the viewers; "" for local disk
	Slow    slowfs.Config // the same share, for the loader-level reference
}

// Name is e.g. "4k share".
func (c Config) Name() string {
	if c.Share == "" {
		return c.Dataset.Name + " local"
	}
	return c.Dataset.Name + " share"
}

// DefaultShare is the share of the benchmark, as the loader benchmark's.
const DefaultShare = "open=40ms,read=10ms,mbps=60"

// ShareConfig is what DefaultShare means.
var ShareConfig = seqbench.DefaultSlow

// Configs are the four settings of the matrix.
func Configs() []Config {
	var cs []Config
	for _, d := range Datasets {
		cs = append(cs, Config{Dataset: d}, Config{Dataset: d, Share: DefaultShare, Slow: ShareConfig})
	}
	return cs
}

// Options size a run.
type Options struct {
	Samples    int           // samples of each step measure
	HeldRuns   int           // held-key samples (each 2 s of key presses)
	MinSamples int           // a baseline over its budget stops after this many
	HeldMin    int           // the same for held keys, which take a baseline a minute each at 4K
	Budget     time.Duration // per measure and viewer: past it, stop at MinSamples
	PlayFor    time.Duration // how long playback is watched
	PlayFPS    float64       // the rate the viewers are asked to play at
	MaxRSS     int64         // stop a scenario whose viewer grows past this many bytes
	Start      time.Duration // hang guard for a window to show its first frame
	FrameWait  time.Duration // hang guard for one frame
	LoopWait   time.Duration // hang guard for a loop's two passes
	Verbose    bool          // log every sample and every frame change of playback
	Log        func(format string, args ...any)
}

// DefaultOptions are those of a full run.
func DefaultOptions() Options {
	return Options{
		Samples: 20, HeldRuns: 20, MinSamples: 5, HeldMin: 1, Budget: 8 * time.Second,
		// 10 s of playback: with 5 s, the start (frames read and decoded
		// before the first is shown) weighed on the rate, and two runs of
		// one build differed by 0.7 fps from the share.
		PlayFor: 10 * time.Second, PlayFPS: 24, MaxRSS: 12 << 30,
		Start: 90 * time.Second, FrameWait: 90 * time.Second, LoopWait: 3 * time.Minute,
	}
}

// HeldRepeat and HeldPresses make a 2 s held key at X11's usual auto-repeat.
const (
	HeldRepeat  = 33 * time.Millisecond
	HeldPresses = 60
	minPressGap = 5 * time.Millisecond
)

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Reference is what a configuration's frames cost without any viewer,
// and the pauses derived from it.
type Reference struct {
	Cold          seqbench.Cold // the loader's read + decode-and-scale of one frame, on one core
	NaiveDecode   time.Duration // image.Decode of one frame on one core, as the naive viewers do
	MeanFileBytes int64
	// Pause comes before every read-ahead step, jump, hold and playback:
	// long enough for read-ahead to finish (1.5 cold loads, at least
	// 300 ms).
	Pause time.Duration
	// Quick comes before every cached step but the first: 300 ms, a quick
	// look back and forth.
	Quick time.Duration
}

// Measure measures c's reference figures.
func Measure(c Config, folder string) (Reference, error) {
	base := os.DirFS(folder)
	seq, err := seqbench.FirstFrames(base, 0)
	if err != nil {
		return Reference{}, err
	}
	cold, err := seqbench.MeasureCold(base, seq, c.Slow, 1280, 720)
	if err != nil {
		return Reference{}, err
	}
	var total int64
	var decodes []time.Duration
	for k := 1; k <= c.Dataset.Unique; k++ {
		st, err := os.Stat(filepath.Join(folder, FrameName(k)))
		if err != nil {
			return Reference{}, fmt.Errorf("uibench: %w", err)
		}
		total += st.Size()
	}
	for _, k := range []int{1, c.Dataset.Unique / 2, c.Dataset.Unique} {
		data, err := fs.ReadFile(base, FrameName(k))
		if err != nil {
			return Reference{}, fmt.Errorf("uibench: %w", err)
		}
		start := time.Now()
		if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
			return Reference{}, fmt.Errorf("uibench: %s: %w", FrameName(k), err)
		}
		decodes = append(decodes, time.Since(start))
	}
	slices.Sort(decodes)
	return Reference{
		Cold: cold, NaiveDecode: decodes[1], MeanFileBytes: total / int64(c.Dataset.Unique),
		Pause: max(300*time.Millisecond, cold.Load()*3/2),
		Quick: 300 * time.Millisecond,
	}, nil
}

// PlaybackBound is the fastest every-frame playback the share and the
// cores allow (min of bandwidth ÷ file size and cores ÷ decode time), and
// the target of a run asked for fps: the lower of the two.
func PlaybackBound(c Config, ref Reference, fps float64) (bound, byLink, byCPU float64) {
	byCPU = float64(runtime.NumCPU()) / ref.Cold.Decode.Seconds()
	bound = byCPU
	if c.Slow.BytesPerSecond > 0 {
		byLink = float64(c.Slow.BytesPerSecond) / float64(ref.MeanFileBytes)
		bound = min(bound, byLink)
	}
	return min(bound, fps), byLink, byCPU
}

// PlayStats describes a playback run, or one pass of a loop.
type PlayStats struct {
	// FPS is the frames shown per second going forward, after the first
	// new frame: a frame jumped over was never shown and is not counted.
	FPS       float64
	Frames    int           // frames shown after the one showing at Space
	InOrder   int           // of which the frame after the one before
	Skipped   int           // frames jumped over: never on screen
	Backwards int           // changes to an earlier frame
	First     time.Duration // Space to the first new frame
	Span      time.Duration // first new frame to the last
	// Late counts frame times missed: a frame that stayed up for two
	// frame times or more (a loop's pass; 0 elsewhere).
	Late int `json:",omitempty"`
}

// Cell is one measure of one viewer in one configuration.
type Cell struct {
	Config  string
	Viewer  string
	Measure string
	Samples []time.Duration
	Sum     Summary
	PeakRSS int64 // VmHWM of the process that ran the measure's scenario
	Note    string
	Play    *PlayStats `json:",omitempty"`
	// Work is what the viewer process did during the measure, for those
	// that must not decode (step back, the loop's second pass).
	Work *Work `json:",omitempty"`
}

// Work is what a viewer process did over a span: its CPU time (every
// thread, software GL's included) and the bytes its read calls returned
// (rchar of /proc/PID/io: files, from disk or the page cache).
type Work struct {
	CPU   time.Duration
	Read  int64
	Count int // the frames or steps it was spent on
}

// PerStep is the CPU time per frame or step.
func (w *Work) PerStep() time.Duration { return w.CPU / time.Duration(max(w.Count, 1)) }

// Decoded reports whether the work looks like a frame decoded or read per
// step: half of one view decode of CPU a step, or half a frame file read
// in all.
func (w *Work) Decoded(ref Reference) bool {
	return w.PerStep() >= ref.Cold.Decode/2 || w.Read >= ref.MeanFileBytes/2
}

// String says the work per step.
func (w *Work) String() string {
	return fmt.Sprintf("CPU %s ms a frame, %.1f MB read over %d", msNum(w.PerStep()), float64(w.Read)/1e6, w.Count)
}

// Runner runs scenarios on one X display.
type Runner struct {
	X    *xwin.Conn
	Opts Options
}

func (r *Runner) logf(format string, args ...any) {
	if r.Opts.Log != nil {
		r.Opts.Log(format, args...)
	}
}

// Run runs scenario with viewer v in configuration c, whose sequence is in
// folder, and returns its cells.
func (r *Runner) Run(c Config, ref Reference, folder string, v Viewer, scenario string) ([]*Cell, error) {
	cell := func(m string) *Cell { return &Cell{Config: c.Name(), Viewer: v.Name, Measure: m} }
	var cells []*Cell
	switch scenario {
	case ScenarioSteps:
		cells = []*Cell{cell(ReadAhead), cell(Cached)}
	case ScenarioJump:
		cells = []*Cell{cell(Jump)}
	case ScenarioHeld:
		cells = []*Cell{cell(Held)}
	case ScenarioPlay:
		cells = []*Cell{cell(Play)}
	case ScenarioLoop:
		cells = []*Cell{cell(LoopFirst), cell(LoopSecond)}
	case ScenarioBack:
		cells = []*Cell{cell(Back)}
	case ScenarioMemory:
		cells = []*Cell{cell(Memory)}
	default:
		return nil, fmt.Errorf("uibench: no scenario %q (want %s)", scenario, strings.Join(Scenarios, ", "))
	}
	ds := c.Dataset
	if scenario == ScenarioLoop {
		ds = ds.LoopDataset() // folder is its folder
	}
	s, err := Start(r.X, v, ds, folder, c.Share, strings.ReplaceAll(c.Name(), " ", "-")+"-"+scenario, r.Opts.Start)
	if err != nil {
		return nil, err
	}
	defer s.Stop()
	// Let start-up work and the first read-ahead finish.
	time.Sleep(ref.Pause + 500*time.Millisecond)
	switch scenario {
	case ScenarioSteps:
		err = r.steps(s, ref, cells[0], cells[1])
	case ScenarioJump:
		err = r.jumps(s, ref, cells[0])
	case ScenarioHeld:
		err = r.held(s, ref, cells[0])
	case ScenarioPlay:
		err = r.play(s, ref, cells[0])
	case ScenarioLoop:
		err = r.loop(s, c, ref, cells[0], cells[1])
	case ScenarioBack:
		err = r.back(s, ref, cells[0])
	case ScenarioMemory:
		err = r.memory(s, ref, cells[0])
	}
	peak, perr := s.PeakRSS()
	for _, cl := range cells {
		cl.PeakRSS = peak
		cl.Sum = Summarize(cl.Samples)
	}
	if err == nil {
		err = perr
	}
	if err != nil {
		cells[len(cells)-1].Note = strings.TrimSpace(cells[len(cells)-1].Note + " error: " + err.Error())
		r.logf("    %s %s: %v\n%s", v.Name, scenario, err, lastLines(s.Output(), 10))
	}
	return cells, nil
}

// sampler runs one measure until it has n samples, or has spent the budget
// and has at least the minimum, or its viewer grew past MaxRSS.
func (r *Runner) sampler(s *Session, cl *Cell, n, least int, sample func() (time.Duration, error)) error {
	start := time.Now()
	skipped := 0
	for len(cl.Samples) < n {
		if s.budgeted && len(cl.Samples) >= min(least, n) && time.Since(start) > r.Opts.Budget {
			cl.Note = strings.TrimSpace(fmt.Sprintf("%s %d of %d samples: stopped after the %v budget", cl.Note, len(cl.Samples), n, r.Opts.Budget.Round(time.Second)))
			return nil
		}
		if rss, err := s.RSS(); err == nil && r.Opts.MaxRSS > 0 && rss > r.Opts.MaxRSS {
			cl.Note = strings.TrimSpace(fmt.Sprintf("%s %d of %d samples: stopped at %.1f GB RSS", cl.Note, len(cl.Samples), n, float64(rss)/1e9))
			return nil
		}
		d, err := sample()
		if err != nil {
			return err
		}
		if d < 0 { // no sample this time (the sampler noted why)
			if skipped++; skipped > 10 {
				return fmt.Errorf("uibench: %d runs without a sample", skipped)
			}
			continue
		}
		if r.Opts.Verbose {
			r.logf("    %s %s sample %d: %.1f ms (now at frame %d)", cl.Viewer, cl.Measure, len(cl.Samples)+1, float64(d)/1e6, s.Pos)
		}
		cl.Samples = append(cl.Samples, d)
	}
	return nil
}

// step presses sym after pause and returns how long the frame at pos took
// to show.
func (r *Runner) step(s *Session, sym xwin.Keysym, pos int, pause time.Duration) (time.Duration, error) {
	time.Sleep(pause + tickPhase())
	t0, err := s.Key(sym)
	if err != nil {
		return 0, err
	}
	at, err := s.WaitFrame(pos, r.Opts.FrameWait)
	return at.Sub(t0), err
}

// tickPhase is a random part of a pause, up to one 60 Hz tick. Fyne reads
// input on its 60 Hz event tick and the pause starts when a frame was
// painted on that tick, so with fixed pauses every key of a run would wait
// the same part of a tick (0 to 16.7 ms) and runs would differ by it: the
// same build measured 17 and 26 ms medians. The random part samples the
// wait as a person's keys meet it.
func tickPhase() time.Duration {
	return rand.N(time.Second / 60)
}

// steps: Right after a pause long enough for read-ahead, Samples times
// (read-ahead steps); then Left and Right in turn after a short pause,
// each back to the frame shown just before (cached steps).
func (r *Runner) steps(s *Session, ref Reference, ra, cached *Cell) error {
	err := r.sampler(s, ra, r.Opts.Samples, r.Opts.MinSamples, func() (time.Duration, error) {
		return r.step(s, xwin.KeyRight, s.Pos+1, ref.Pause)
	})
	if err != nil {
		return err
	}
	// The first step back comes after a full pause, so that the seed's
	// preload of the next frame is not still holding its lock.
	pause := ref.Pause
	back := true
	return r.sampler(s, cached, r.Opts.Samples, r.Opts.MinSamples, func() (time.Duration, error) {
		sym, pos := xwin.KeyRight, s.Pos+1
		if back {
			sym, pos = xwin.KeyLeft, s.Pos-1
		}
		back = !back
		d, err := r.step(s, sym, pos, pause)
		pause = ref.Quick
		return d, err
	})
}

// jumps: Page Down (+10, past any read-ahead) after a pause, to frames
// never loaded.
func (r *Runner) jumps(s *Session, ref Reference, cl *Cell) error {
	return r.sampler(s, cl, r.Opts.Samples, r.Opts.MinSamples, func() (time.Duration, error) {
		return r.step(s, xwin.KeyPageDown, s.Pos+10, ref.Pause)
	})
}

// held: after a pause, Right every 33 ms for 2 s, and the time from the
// last press to its frame on screen.
func (r *Runner) held(s *Session, ref Reference, cl *Cell) error {
	run := 0
	return r.sampler(s, cl, r.Opts.HeldRuns, r.Opts.HeldMin, func() (time.Duration, error) {
		run++
		time.Sleep(ref.Pause + tickPhase())
		target := s.Pos + HeldPresses
		start := time.Now()
		var last time.Time
		for k := range HeldPresses {
			// On schedule, but never closer than minPressGap to the
			// press before: a harness that fell behind must not send two
			// presses the server stamps with the same millisecond, which
			// GLFW drops as an input method's duplicate (x11_window.c,
			// keyPressTimes), losing a step. Auto-repeat never does that.
			at := start.Add(time.Duration(k) * HeldRepeat)
			if !last.IsZero() {
				at = later(at, last.Add(minPressGap))
			}
			time.Sleep(time.Until(at))
			t, err := s.Key(xwin.KeyRight)
			if err != nil {
				return 0, err
			}
			last = t
		}
		// A blocking baseline works through every press: a minute at 4K.
		at, err := s.WaitSettled(target, 3*time.Second, max(r.Opts.FrameWait, 2*time.Minute))
		var lost *LostPressError
		if errors.As(err, &lost) {
			// Not the viewer's settle time: note it and go on from
			// where it stopped.
			cl.Note = strings.TrimSpace(fmt.Sprintf("%s run %d: %v (not counted).", cl.Note, run, lost))
			r.logf("    %s held run %d: %v", cl.Viewer, run, lost)
			return -1, nil
		}
		return at.Sub(last), err
	})
}

// play: Space after a pause, watch for PlayFor, Space again. The samples
// are the intervals between frames.
func (r *Runner) play(s *Session, ref Reference, cl *Cell) error {
	time.Sleep(ref.Pause)
	t0, err := s.Key(xwin.KeySpace)
	if err != nil {
		return err
	}
	cs, err := s.Watch(r.Opts.PlayFor)
	if _, kerr := s.Key(xwin.KeySpace); err == nil {
		err = kerr
	}
	r.logChanges("playback", cs, t0)
	st := AnalyzePlayback(cs, t0, s.ds.Unique)
	cl.Play = &st
	for i := 2; i < len(cs); i++ {
		cl.Samples = append(cl.Samples, cs[i].At.Sub(cs[i-1].At))
	}
	return err
}

// AnalyzePlayback turns the changes seen after Space (sent at t0; cs[0] is
// the frame showing then) into a PlayStats.
func AnalyzePlayback(cs []Change, t0 time.Time, unique int) PlayStats {
	var st PlayStats
	if len(cs) < 2 {
		return st
	}
	st.First = cs[1].At.Sub(t0)
	st.Frames = len(cs) - 1
	for i := 1; i < len(cs); i++ {
		st.count(CodeDistance(cs[i-1].Code, cs[i].Code, unique))
	}
	st.Span = cs[len(cs)-1].At.Sub(cs[1].At)
	if st.Span > 0 {
		// The first change starts the span; the forward changes after
		// it are the frames shown in it.
		forward := 0
		for i := 2; i < len(cs); i++ {
			if CodeDistance(cs[i-1].Code, cs[i].Code, unique) > 0 {
				forward++
			}
		}
		st.FPS = float64(forward) / st.Span.Seconds()
	}
	return st
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// loop: Space after a pause, with the loop's 48 frames on screen in turn,
// until the second pass is over (the first frame comes round a second
// time), then Space again. The first pass reads from the share, the
// second shows what the first left in memory; each cell's samples are the
// intervals between the frames of its pass, its Play the pass's figures
// and its Work what the viewer did meanwhile.
func (r *Runner) loop(s *Session, c Config, ref Reference, first, second *Cell) error {
	time.Sleep(ref.Pause)
	// Long enough for both passes at a tenth of the bound, and for the
	// slowest viewer's pass of 4K frames.
	bound, _, _ := PlaybackBound(c, ref, r.Opts.PlayFPS)
	wait := max(r.Opts.LoopWait, time.Duration(float64(loopPasses*loopPassWait*s.ds.Total)/bound*float64(time.Second)))
	w0, err := s.Work()
	if err != nil {
		return err
	}
	t0, err := s.Key(xwin.KeySpace)
	if err != nil {
		return err
	}
	cs, wraps, works, err := s.watchLoop(loopPasses, wait)
	if _, kerr := s.Key(xwin.KeySpace); err == nil {
		err = kerr
	}
	r.logChanges("loop", cs, t0)
	period := time.Duration(float64(time.Second) / r.Opts.PlayFPS)
	starts := append([]int{1}, wraps...) // pass k runs from changes starts[k] to starts[k+1]
	begin := append([]*Work{w0}, works...)
	for k, cl := range []*Cell{first, second} {
		if k+1 >= len(starts) {
			cl.Note = strings.TrimSpace(fmt.Sprintf("%s the pass did not end within %v.", cl.Note, wait.Round(time.Second)))
			continue
		}
		from, to := starts[k], starts[k+1]
		if from >= to {
			continue
		}
		st := AnalyzePass(cs[from:to+1], s.ds.Unique, period)
		cl.Play = &st
		for i := from + 1; i <= to; i++ {
			cl.Samples = append(cl.Samples, cs[i].At.Sub(cs[i-1].At))
		}
		end := works[k]
		cl.Work = &Work{CPU: end.CPU - begin[k].CPU, Read: end.Read - begin[k].Read, Count: st.Frames}
	}
	return err
}

// watchLoop polls the marker until the loop's first frame has come round
// passes times after Space (its code drops), or wait has passed. It
// returns every change, starting with the frame showing at Space, the
// indexes of the changes that began a new pass, and the viewer's work
// when each was seen.
func (s *Session) watchLoop(passes int, wait time.Duration) (cs []Change, wraps []int, works []*Work, err error) {
	end := time.Now().Add(wait)
	for len(wraps) < passes {
		code, ok, at, err := s.Read()
		if err != nil {
			return cs, wraps, works, err
		}
		if ok && (len(cs) == 0 || cs[len(cs)-1].Code != code) {
			cs = append(cs, Change{at, code})
			if n := len(cs); n > 1 && code < cs[n-2].Code {
				w, err := s.Work()
				if err != nil {
					return cs, wraps, works, err
				}
				wraps, works = append(wraps, n-1), append(works, w)
			}
		}
		if at.After(end) {
			return cs, wraps, works, nil
		}
		time.Sleep(WatchEvery)
	}
	return cs, wraps, works, nil
}

// AnalyzePass describes one pass of a loop from its changes: cs[0] is the
// frame before the pass (the last of the pass before, or the first new
// frame after Space), the rest the frames of the pass; period is the
// frame time asked for. Frames counts the changes; FPS is them over the
// span from cs[0] to the last; Skipped counts the frames jumped over;
// Late the frame times missed, a frame staying up for two or more.
func AnalyzePass(cs []Change, unique int, period time.Duration) PlayStats {
	var st PlayStats
	if len(cs) < 2 {
		return st
	}
	st.Frames = len(cs) - 1
	for i := 1; i < len(cs); i++ {
		st.count(CodeDistance(cs[i-1].Code, cs[i].Code, unique))
		if iv := cs[i].At.Sub(cs[i-1].At); period > 0 {
			st.Late += max(0, int(math.Round(float64(iv)/float64(period)))-1)
		}
	}
	st.Span = cs[len(cs)-1].At.Sub(cs[0].At)
	if st.Span > 0 {
		st.FPS = float64(st.Frames) / st.Span.Seconds()
	}
	return st
}

// back: after a pause, BackForward steps Right, each as soon as the frame
// before is on screen, then BackSteps steps Left the same way, each
// timed; the viewer's work during the steps back says whether they
// decoded.
func (r *Runner) back(s *Session, ref Reference, cl *Cell) error {
	time.Sleep(ref.Pause)
	for range BackForward {
		if _, err := r.step(s, xwin.KeyRight, s.Pos+1, 0); err != nil {
			return err
		}
	}
	w0, err := s.Work()
	if err != nil {
		return err
	}
	for range BackSteps {
		d, err := r.step(s, xwin.KeyLeft, s.Pos-1, 0)
		if err != nil {
			return err
		}
		if r.Opts.Verbose {
			r.logf("    %s back to frame %d: %.1f ms", cl.Viewer, s.Pos, float64(d)/1e6)
		}
		cl.Samples = append(cl.Samples, d)
	}
	w1, err := s.Work()
	if err != nil {
		return err
	}
	cl.Work = &Work{CPU: w1.CPU - w0.CPU, Read: w1.Read - w0.Read, Count: BackSteps}
	return nil
}

// memory: after a pause, MemorySteps steps Right, each a short pause
// after the frame before showed; the cell's peak RSS is the measure.
func (r *Runner) memory(s *Session, ref Reference, cl *Cell) error {
	time.Sleep(ref.Pause)
	for range MemorySteps {
		if rss, err := s.RSS(); err == nil && r.Opts.MaxRSS > 0 && rss > r.Opts.MaxRSS {
			cl.Note = strings.TrimSpace(fmt.Sprintf("%s stopped after %d steps at %.1f GB RSS", cl.Note, len(cl.Samples), float64(rss)/1e9))
			return nil
		}
		d, err := r.step(s, xwin.KeyRight, s.Pos+1, ref.Quick)
		if err != nil {
			return err
		}
		cl.Samples = append(cl.Samples, d)
	}
	return nil
}

// logChanges logs, with -v, every change of the marker a watch saw.
func (r *Runner) logChanges(what string, cs []Change, t0 time.Time) {
	if !r.Opts.Verbose {
		return
	}
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, " %d@%.0f", c.Code, c.At.Sub(t0).Seconds()*1000)
	}
	r.logf("    %s changes (marker@ms after Space):%s", what, b.String())
}

// count classifies one change of the marker by its distance d from the
// frame before: the next frame, frames jumped over, or a step back.
func (st *PlayStats) count(d int) {
	switch {
	case d == 1:
		st.InOrder++
	case d > 1:
		st.Skipped += d - 1
	default:
		st.Backwards++
	}
}
