// Package seqbench measures seqview's loader against the simple strategies
// of package baseline on the same sequence and the same slow share, with a
// model of how a viewer uses them.
//
// The model is a UI goroutine that handles input events in order, as an
// event loop does: each event asks for a frame at a given time, and the UI
// takes it then or, if it is still busy with an earlier one, as soon as it
// is free. A blocking strategy (baseline.NoCache, baseline.Simple) loads on
// that goroutine, so events queue up behind slow loads, which is what makes
// a naive viewer take seconds to settle after a held key. The loader
// (Ours) answers Show at once from its cache or delivers the frame later
// from its workers while the UI stays free.
//
// Each request is recorded with the time it was made and the time its
// frame was ready while it was still the latest request; a request
// overtaken by the next one before its frame was ready is dropped, as the
// person never saw it. Run turns the records of one workload and one
// strategy into figures (hit rate, latency, reads, memory, settle time,
// playback rate), Table prints them and Targets checks them against the
// goals of the loader's design.
package seqbench

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync"
	"time"
	"weak"

	"seqview/bench/baseline"
	"seqview/internal/slowfs"
	"seqview/loader"
	"seqview/loader/decode"
)

// Strategy is a way of loading frames.
type Strategy int

const (
	Ours    Strategy = iota // loader.Service
	NoCache                 // baseline.NoCache: read and decode every request on the UI goroutine
	Simple                  // baseline.Simple: unbounded map, one lock across loads, preload n+1
	// Previous is the loader of an earlier revision (DefaultPreviousRev),
	// run by that revision's own benchmark from a git worktree
	// (RunPrevious), not by Run.
	Previous
)

// Strategies lists every Strategy Run runs, ours first.
var Strategies = []Strategy{Ours, NoCache, Simple}

func (s Strategy) String() string {
	switch s {
	case Ours:
		return "ours"
	case NoCache:
		return "nocache"
	case Simple:
		return "simple"
	case Previous:
		return "previous"
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

// ParseStrategy returns the Strategy named name, as String writes it.
func ParseStrategy(name string) (Strategy, error) {
	for _, s := range append(Strategies, Previous) {
		if s.String() == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("seqbench: no strategy %q (want ours, nocache, simple or previous)", name)
}

// Env is what every run shares: the frames, the share's slowness, the view.
type Env struct {
	Base  fs.FS            // the frames, fast; each run wraps it in a fresh slowfs
	Seq   *loader.Sequence // the frames of Base to use
	Slow  slowfs.Config
	ViewW int
	ViewH int
	// Loader configures Ours; zero fields take the loader's defaults, and
	// Deliver is set by Run.
	Loader loader.Config

	Cold          Cold  // one frame's cold load, measured by NewEnv
	MeanFileBytes int64 // mean file size of Seq's frames
	// DecodeRate is the frames per second the machine decodes and scales
	// with every core busy on frames already in memory (NewEnv measures
	// it): the real ceiling of playback, which cores ÷ Cold.Decode
	// overstates when cores share memory bandwidth, or other work.
	DecodeRate float64
}

// NewEnv measures the cold load time and the frames' mean size for seq.
func NewEnv(base fs.FS, seq *loader.Sequence, slow slowfs.Config, vw, vh int) (*Env, error) {
	if seq.Len() == 0 {
		return nil, fmt.Errorf("seqbench: empty sequence")
	}
	env := &Env{Base: base, Seq: seq, Slow: slow, ViewW: vw, ViewH: vh}
	var total int64
	for i := range seq.Len() {
		st, err := fs.Stat(base, seq.Path(i))
		if err != nil {
			return nil, fmt.Errorf("seqbench: %w", err)
		}
		total += st.Size()
	}
	env.MeanFileBytes = total / int64(seq.Len())
	cold, err := MeasureCold(base, seq, slow, vw, vh)
	if err != nil {
		return nil, err
	}
	env.Cold = cold
	if env.DecodeRate, err = MeasureDecodeRate(base, seq, vw, vh); err != nil {
		return nil, err
	}
	return env, nil
}

// MeasureDecodeRate decodes and scales frames of seq, read from base into
// memory first, on one goroutine per core at once, twice over, and returns
// the frames per second.
func MeasureDecodeRate(base fs.FS, seq *loader.Sequence, vw, vh int) (float64, error) {
	const rounds = 2
	n := runtime.NumCPU()
	data := make([][]byte, n)
	for k := range data {
		var err error
		if data[k], err = fs.ReadFile(base, seq.Path(k%seq.Len())); err != nil {
			return 0, fmt.Errorf("seqbench: %w", err)
		}
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := time.Now()
	for k := range n {
		wg.Go(func() {
			for range rounds {
				if _, _, err := decode.View(context.Background(), data[k], vw, vh, decode.DefaultLimits); err != nil {
					errs[k] = fmt.Errorf("seqbench: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return float64(rounds*n) / took.Seconds(), nil
}

// Cold is the time one frame takes to load with nothing cached: read
// through a fresh slow share, then decode and scale to the view.
type Cold struct {
	Read   time.Duration
	Decode time.Duration // decode and scale, on one core
}

// Load is the whole cold load time.
func (c Cold) Load() time.Duration { return c.Read + c.Decode }

// coldSamples frames, spread over the sequence, are loaded by MeasureCold;
// the medians damp a busy moment on a shared machine.
const coldSamples = 3

// MeasureCold loads a few frames of seq one at a time, each through a fresh
// slowfs over base, on the calling goroutine, and returns the median read
// and decode times.
func MeasureCold(base fs.FS, seq *loader.Sequence, slow slowfs.Config, vw, vh int) (Cold, error) {
	var reads, decodes []time.Duration
	for k := range coldSamples {
		i := k * (seq.Len() - 1) / max(coldSamples-1, 1)
		f, err := baseline.LoadFrame(slowfs.New(base, slow), seq, i, vw, vh)
		if err != nil {
			return Cold{}, fmt.Errorf("seqbench: cold load: %w", err)
		}
		reads = append(reads, f.ReadTime)
		decodes = append(decodes, f.DecodeTime)
	}
	return Cold{Read: median(reads), Decode: median(decodes)}, nil
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}

// Request is one request of a run, its times from the start of the run.
type Request struct {
	Frame int
	At    time.Duration // when the person asked
	Start time.Duration // when the UI goroutine took the event (after At while it was busy)
	// Ready is when the frame was ready to show while this was still the
	// UI's latest request; -1 if it never was.
	Ready time.Duration
	// Dropped: the frame was not ready before the next request was made,
	// so it never counted as shown.
	Dropped bool
	Err     error
	// Decode is how long the frame shown took to decode and scale when it
	// was made, on a busy machine: for a cached frame, the decode that
	// made it earlier; 0 if unknown.
	Decode time.Duration
	// made is the frame shown: the same for a frame from the cache, a new
	// one for each decode. Weak, so the results of a run do not keep its
	// frames alive into the next runs (the harness's heap would grow by
	// every frame shown).
	made weak.Pointer[loader.Decoded]
}

// Latency is the time from asking to the frame being ready; -1 if dropped.
func (r Request) Latency() time.Duration {
	if r.Dropped {
		return -1
	}
	return r.Ready - r.At
}

// Result is one run of a workload with a strategy.
type Result struct {
	Workload string
	Strategy Strategy
	Requests []Request
	// N is the number of requests when Requests is not kept: a result
	// read from another revision's report (ParsePrevious).
	N        int
	Turn     int           // the workload's Turn
	Held     bool          // the workload is a held key
	Playback bool          // the workload is playback
	Elapsed  time.Duration // from the first request to the last one's frame
	FS       slowfs.Stats  // what the share served, read-ahead in flight at the end included
	// Opens[i] is how often frame i's file was opened; OpensBeforeTurn the
	// same just before the workload's turn (nil without one).
	Opens           []int
	OpensBeforeTurn []int
	PeakHeap        uint64 // bytes of heap objects, live or not yet collected (HeapAlloc), sampled every heapEvery, over the harness's own (its in-memory share)
	Errors          int    // requests that ended in an error
	FirstErr        error
	// Stats of the ready, not dropped requests; hits count after the
	// first request (which nothing can have loaded ahead).
	Hits    int
	HitRate float64
	Dropped int
	Median  time.Duration
	P95     time.Duration
	Settle  time.Duration // the last request's latency: after a held key, how long until the final frame shows
	FPS     float64       // playback: frames shown per second after the first
	// MeanDecode is the mean Decode of the distinct frames shown: the
	// decode time under this workload's load, to compare with Cold.Decode.
	MeanDecode time.Duration
}

// HitWithin is how soon after the request a frame must be ready to count as
// a hit, "ready at once": in time for the next paint of a 60 Hz display.
// A frame from a cache is ready in microseconds; one that has to be loaded
// takes at least a decode, tens of milliseconds at 4K.
const HitWithin = 16 * time.Millisecond

// heapEvery is how often the heap is sampled during a run.
const heapEvery = 5 * time.Millisecond

// readyTimeout bounds the wait for the last frame of a run (and for each
// frame of playback). It is no speed goal: it turns a lost delivery into a
// dropped request instead of a hung benchmark.
const readyTimeout = 2 * time.Minute

// Count is the number of requests.
func (r *Result) Count() int {
	if r.Requests == nil {
		return r.N
	}
	return len(r.Requests)
}

// ReadsPerStep is the files opened per request.
func (r *Result) ReadsPerStep() float64 { return float64(r.FS.Opens) / float64(max(r.Count(), 1)) }

// player is a strategy as the UI goroutine sees it.
type player interface {
	// request asks for frame i on the UI goroutine and reports whether
	// the frame is ready when it returns; if not, it is delivered later.
	request(i int) (ready bool, f *loader.Decoded, err error)
	// play says playback starts, as the viewer's Space does; loop: it
	// wraps around the end of the sequence.
	play(loop bool)
	close()
}

type syncPlayer struct{ l baseline.Loader }

func (p syncPlayer) request(i int) (bool, *loader.Decoded, error) {
	f, err := p.l.Load(i)
	return true, f, err
}
func (p syncPlayer) play(bool) {}
func (p syncPlayer) close()    { p.l.Close() }

type oursPlayer struct{ svc *loader.Service }

func (p oursPlayer) request(i int) (bool, *loader.Decoded, error) {
	res, ok := p.svc.Show(i)
	limitMemory(p.svc)
	return ok, res.Frame, asError(res.Err)
}

// harnessHeap is the heap the harness holds itself when a run starts (the
// frames of its in-memory share): the part of the process that is not the
// strategy's. Set and read on the harness's goroutine.
var harnessHeap uint64

// limitMemory sets the Go memory limit from what the services hold, as the
// app does (loader.MemoryLimit), on top of the harness's own heap, so the
// peak heap is the app's rather than what GOGC alone lets pile up;
// unlimitMemory lifts it after the run.
func limitMemory(svcs ...*loader.Service) {
	var held int64
	for _, s := range svcs {
		held += s.Stats().Held()
	}
	debug.SetMemoryLimit(loader.MemoryLimit(held) + int64(harnessHeap))
}

func unlimitMemory() { debug.SetMemoryLimit(math.MaxInt64) }

// asError is e as an error: nil when e is nil (a nil *FrameError in an
// error is not a nil error).
func asError(e *loader.FrameError) error {
	if e == nil {
		return nil
	}
	return e
}
func (p oursPlayer) play(loop bool) { p.svc.SetPlaying(true, loop) }
func (p oursPlayer) close()         { p.svc.Close(); unlimitMemory() }

// Run runs workload w with strategy s on a fresh strategy over a fresh slow
// share, after a full garbage collection so runs do not pay for each
// other's garbage. It blocks for the length of the workload.
func Run(env *Env, s Strategy, w Workload) (*Result, error) {
	var start func(fsys fs.FS, r *runner) player
	switch s {
	case Ours:
		start = func(fsys fs.FS, r *runner) player {
			return oursPlayer{newService(env, fsys, env.Seq, env.Loader, r.delivered)}
		}
	case NoCache:
		start = func(fsys fs.FS, _ *runner) player {
			return syncPlayer{baseline.NewNoCache(fsys, env.Seq, env.ViewW, env.ViewH)}
		}
	case Simple:
		start = func(fsys fs.FS, _ *runner) player {
			return syncPlayer{baseline.NewSimple(fsys, env.Seq, env.ViewW, env.ViewH)}
		}
	case Previous:
		return nil, fmt.Errorf("seqbench: %v runs from its own revision (RunPrevious), not in this process", s)
	default:
		return nil, fmt.Errorf("seqbench: unknown %v", s)
	}
	res := runPlayer(env, w, start)
	res.Strategy = s
	return res, nil
}

// newService starts a loader for seq over fsys with cfg, delivering to
// deliver, at env's view size.
func newService(env *Env, fsys fs.FS, seq *loader.Sequence, cfg loader.Config, deliver func(loader.Result)) *loader.Service {
	cfg.Deliver = deliver
	svc := loader.NewService(fsys, seq, cfg)
	svc.SetViewSize(env.ViewW, env.ViewH)
	return svc
}

// runPlayer runs workload w with the player start makes over a fresh slow
// share, after a full garbage collection so runs do not pay for each
// other's garbage.
func runPlayer(env *Env, w Workload, start func(fsys fs.FS, r *runner) player) *Result {
	runtime.GC()
	debug.FreeOSMemory()
	harnessHeap = heapObjects()
	fsys := slowfs.New(env.Base, env.Slow)
	r := newRunner()
	return r.run(start(fsys, r), fsys, env.Seq, w)
}

// runner is the UI goroutine's side of a run and the record of its
// requests.
type runner struct {
	start time.Time
	ready chan struct{} // poked when a request becomes ready

	mu   sync.Mutex
	reqs []Request
	cur  int // the request the UI shows or waits for; -1 before the first
}

func newRunner() *runner {
	return &runner{ready: make(chan struct{}, 1), cur: -1}
}

func (r *runner) now() time.Duration { return time.Since(r.start) }

// run plays w against p on the calling goroutine, the UI goroutine of the
// model, and measures it.
func (r *runner) run(p player, fsys *slowfs.FS, seq *loader.Sequence, w Workload) *Result {
	heap := sampleHeap()
	res := &Result{Workload: w.Name, Turn: w.Turn, Held: w.Held, Playback: w.Play != nil}
	r.start = time.Now()
	if w.Play != nil {
		p.play(w.Play.Loop)
		frames := w.Play.Frames
		if frames == nil {
			for i := w.Play.Start; i < seq.Len(); i++ {
				frames = append(frames, i)
			}
		}
		r.play(p, frames, *w.Play, func(k int) {
			if k == w.Turn {
				res.OpensBeforeTurn = opens(fsys.Stats(), seq)
			}
		})
	} else {
		for k, ev := range w.Events {
			time.Sleep(time.Until(r.start.Add(ev.At))) // no wait when the UI is behind: the event was queued
			if k == w.Turn {
				res.OpensBeforeTurn = opens(fsys.Stats(), seq)
			}
			r.request(p, ev.Frame, ev.At)
		}
		r.waitReady(len(w.Events) - 1)
	}
	res.Elapsed = r.now()
	p.close()
	res.FS = fsys.Stats()
	peak := heap()
	res.PeakHeap = peak - min(peak, harnessHeap)
	res.Opens = opens(res.FS, seq)
	r.mu.Lock()
	res.Requests = slices.Clone(r.reqs)
	r.mu.Unlock()
	res.summarize()
	return res
}

// play asks for frames in turn: it makes a request, waits for its frame,
// and makes the next no sooner than one frame interval after the previous
// request. before is called with each request's index before it is made.
func (r *runner) play(p player, frames []int, pb Playback, before func(k int)) {
	interval := time.Duration(float64(time.Second) / pb.FPS)
	prev := -interval
	for n, i := range frames {
		at := max(r.now(), prev+interval)
		time.Sleep(time.Until(r.start.Add(at)))
		before(n)
		k := r.request(p, i, at)
		if !r.waitReady(k) || r.now() >= pb.For {
			return
		}
		prev = at
	}
}

// request handles one event on the UI goroutine.
func (r *runner) request(p player, frame int, at time.Duration) int {
	r.mu.Lock()
	k := len(r.reqs)
	// Recorded before asking: a loader may deliver before Show returns.
	r.reqs = append(r.reqs, Request{Frame: frame, At: at, Start: r.now(), Ready: -1})
	r.cur = k
	r.mu.Unlock()
	if ready, f, err := p.request(frame); ready {
		r.markReady(k, frame, f, err)
	}
	return k
}

// delivered is Ours's Deliver: it runs on a loader goroutine. A frame
// delivered for a request the UI has moved past is ignored, as a viewer
// ignores it.
func (r *runner) delivered(res loader.Result) {
	r.mu.Lock()
	k := r.cur
	r.mu.Unlock()
	if k >= 0 {
		r.markReady(k, res.Index, res.Frame, asError(res.Err))
	}
}

// markReady records that frame became ready, if request k is still the
// latest and asked for it and has no ready time yet.
func (r *runner) markReady(k, frame int, f *loader.Decoded, err error) {
	t := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if k != r.cur || r.reqs[k].Frame != frame || r.reqs[k].Ready >= 0 {
		return
	}
	r.reqs[k].Ready, r.reqs[k].Err = t, err
	if f != nil {
		r.reqs[k].Decode, r.reqs[k].made = f.DecodeTime, weak.Make(f)
	}
	select {
	case r.ready <- struct{}{}:
	default:
	}
}

// waitReady waits until request k is ready, or readyTimeout.
func (r *runner) waitReady(k int) bool {
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		ok := r.reqs[k].Ready >= 0
		r.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-r.ready:
		case <-deadline.C:
			return false
		}
	}
}

func opens(st slowfs.Stats, seq *loader.Sequence) []int {
	o := make([]int, seq.Len())
	for i := range o {
		o[i] = st.OpensOf(seq.Path(i))
	}
	return o
}

// heapObjects is MemStats.HeapAlloc, read without stopping the world.
func heapObjects() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}

// sampleHeap samples the live heap every heapEvery until the returned
// function is called, which returns the peak.
func sampleHeap() func() uint64 {
	read := heapObjects
	stop, peak := make(chan struct{}), make(chan uint64)
	go func() {
		tick := time.NewTicker(heapEvery)
		defer tick.Stop()
		p := read()
		for {
			select {
			case <-tick.C:
				p = max(p, read())
			case <-stop:
				peak <- max(p, read())
				return
			}
		}
	}()
	return func() uint64 {
		close(stop)
		return <-peak
	}
}

// summarize computes the figures from the requests.
func (res *Result) summarize() {
	reqs := res.Requests
	for k := range reqs {
		r := &reqs[k]
		// Overtaken: the next request came before this frame was ready.
		r.Dropped = r.Ready < 0 || (k+1 < len(reqs) && reqs[k+1].At <= r.Ready)
		if r.Err != nil {
			res.Errors++
			if res.FirstErr == nil {
				res.FirstErr = r.Err
			}
		}
	}
	var lat []time.Duration
	var shown []Request
	for k, r := range reqs {
		if r.Dropped {
			res.Dropped++
			continue
		}
		lat = append(lat, r.Latency())
		shown = append(shown, r)
		if k > 0 && r.Latency() <= HitWithin {
			res.Hits++
		}
	}
	if len(reqs) > 1 {
		res.HitRate = float64(res.Hits) / float64(len(reqs)-1)
	}
	res.Median, res.P95 = percentile(lat, 0.5), percentile(lat, 0.95)
	var dec time.Duration
	seen := map[int]bool{}
	for _, r := range shown {
		if r.Decode > 0 && !seen[r.Frame] {
			seen[r.Frame] = true
			dec += r.Decode
		}
	}
	if len(seen) > 0 {
		res.MeanDecode = dec / time.Duration(len(seen))
	}
	res.Settle = -1
	if len(reqs) > 0 {
		res.Settle = reqs[len(reqs)-1].Latency()
	}
	if res.Playback && len(shown) > 1 {
		span := shown[len(shown)-1].Ready - shown[0].Ready
		res.FPS = float64(len(shown)-1) / span.Seconds()
	}
}

// percentile returns the nearest-rank p-th percentile of d, -1 if d is
// empty.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return -1
	}
	d = slices.Clone(d)
	slices.Sort(d)
	rank := int(math.Ceil(p * float64(len(d)))) // 1-based
	return d[min(max(rank, 1), len(d))-1]
}
