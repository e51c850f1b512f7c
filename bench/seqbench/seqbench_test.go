package seqbench

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"go.uber.org/goleak"

	"seqview/internal/slowfs"
	"seqview/internal/testframes"
	"seqview/loader"
)

// tinyFS is n small frames 0001.png …: they decode in microseconds, so
// the tests run in a fraction of a second.
func tinyFS(n int) fstest.MapFS {
	return testframes.MapFS(testframes.Pattern4K, 1, n, func(i int) []byte { return testframes.PNG(64, 36, i) })
}

func tinySeq(t *testing.T, base fstest.MapFS) *loader.Sequence {
	t.Helper()
	seq, err := FirstFrames(base, 0)
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// fakePlayer stands in for a strategy with known timing: a blocking one
// takes block per request on the UI goroutine; an async one answers at
// once and delivers after deliverAfter through the runner.
type fakePlayer struct {
	r            *runner
	block        time.Duration
	deliverAfter time.Duration // 0: ready at once (or after block)
	timers       []*time.Timer
}

func (p *fakePlayer) request(i int) (bool, *loader.Decoded, error) {
	time.Sleep(p.block)
	if p.deliverAfter == 0 {
		return true, nil, nil
	}
	p.timers = append(p.timers, time.AfterFunc(p.deliverAfter, func() { p.r.delivered(loader.Result{Index: i}) }))
	return false, nil, nil
}

func (p *fakePlayer) play(bool) {}

func (p *fakePlayer) close() {
	for _, t := range p.timers {
		t.Stop()
	}
}

// every makes n events for frames 0, 1, … interval apart.
func every(n int, interval time.Duration) Workload {
	w := Workload{Name: "test", Turn: -1}
	for k := range n {
		w.Events = append(w.Events, Event{At: time.Duration(k) * interval, Frame: k})
	}
	return w
}

func runFake(t *testing.T, p *fakePlayer, w Workload) *Result {
	t.Helper()
	base := tinyFS(8)
	return p.r.run(p, slowfs.New(base, slowfs.Config{}), tinySeq(t, base), w)
}

// TestQueueDelaysBlockingStrategy: events every 10 ms against loads of
// 40 ms on the UI goroutine queue up: each is taken only when the previous
// load is done, every frame but the last is overtaken before it is ready,
// and the last one shows long after it was asked for.
func TestQueueDelaysBlockingStrategy(t *testing.T) {
	const n, interval, block = 5, 10 * time.Millisecond, 40 * time.Millisecond
	p := &fakePlayer{r: newRunner(), block: block}
	res := runFake(t, p, every(n, interval))
	reqs := res.Requests
	for k := 1; k < n; k++ {
		if reqs[k].Start < reqs[k-1].Ready {
			t.Errorf("request %d taken at %v, before request %d was done at %v: the UI cannot take events while it loads",
				k, reqs[k].Start, k-1, reqs[k-1].Ready)
		}
		if !reqs[k-1].Dropped {
			t.Errorf("request %d (ready %v, next asked %v) not dropped", k-1, reqs[k-1].Ready, reqs[k].At)
		}
	}
	// The last event waits for the n-1 loads before it, then its own.
	if want := n*block - (n-1)*interval; res.Settle < want || res.Dropped != n-1 {
		t.Errorf("settle %v, dropped %d; want ≥ %v and %d", res.Settle, res.Dropped, want, n-1)
	}
	if res.Hits != 0 {
		t.Errorf("hits = %d, want 0: nothing was ready at once", res.Hits)
	}
}

// TestSupersededDropped: an async strategy that delivers 30 ms after each
// request while requests come every 10 ms shows only the last frame; late
// deliveries for frames left behind are ignored.
func TestSupersededDropped(t *testing.T) {
	defer goleak.VerifyNone(t)
	const n, interval, after = 5, 10 * time.Millisecond, 30 * time.Millisecond
	r := newRunner()
	p := &fakePlayer{r: r, deliverAfter: after}
	res := runFake(t, p, every(n, interval))
	for k, q := range res.Requests[:n-1] {
		if !q.Dropped {
			t.Errorf("request %d: ready %v while request %d came at %v; want dropped", k, q.Ready, k+1, res.Requests[k+1].At)
		}
	}
	last := res.Requests[n-1]
	if last.Dropped || last.Latency() < after || res.Settle != last.Latency() {
		t.Errorf("last request: dropped %v, latency %v, settle %v; want shown after ≥ %v", last.Dropped, last.Latency(), res.Settle, after)
	}
	// A delivery for an old frame after the run must not touch the record.
	r.delivered(loader.Result{Index: 0})
	if r.reqs[0].Ready != res.Requests[0].Ready {
		t.Error("a late delivery for a frame left behind was recorded")
	}
}

// TestImmediateHits: a strategy that answers at once is recorded ready by
// the UI goroutine itself, when it takes the event, with no delivery.
// (Whether that counts as a hit depends on how late a busy machine wakes
// the UI goroutine; TestSummarize checks the counting.)
func TestImmediateHits(t *testing.T) {
	p := &fakePlayer{r: newRunner()}
	res := runFake(t, p, every(3, 200*time.Millisecond))
	for k, r := range res.Requests {
		if r.Dropped || r.Ready < r.Start || r.Ready-r.Start > 100*time.Millisecond {
			t.Errorf("request %d: taken %v, ready %v, dropped %v; want ready when taken", k, r.Start, r.Ready, r.Dropped)
		}
	}
}

func TestPlaybackPacing(t *testing.T) {
	// Loads of 20 ms at 25 fps (40 ms): the rate is the fps, not the load.
	p := &fakePlayer{r: newRunner(), block: 20 * time.Millisecond}
	w := Workload{Name: "play", Turn: -1, Play: &Playback{FPS: 25, For: 300 * time.Millisecond}}
	res := runFake(t, p, w)
	if got := len(res.Requests); got < 2 || got > 8 {
		t.Errorf("%d requests in 300 ms at 25 fps over 8 frames, want about 8", got)
	}
	for k := 1; k < len(res.Requests); k++ {
		if d := res.Requests[k].At - res.Requests[k-1].At; d < 40*time.Millisecond {
			t.Errorf("requests %d and %d %v apart, want ≥ 40 ms", k-1, k, d)
		}
	}
	// Ready times jitter with the machine's load; requests cannot.
	if res.FPS <= 0 || res.FPS > 30 {
		t.Errorf("fps = %.1f, want in (0, 25] give or take jitter", res.FPS)
	}
}

func TestSummarize(t *testing.T) {
	msd := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	res := &Result{Playback: true, Requests: []Request{
		{Frame: 0, At: 0, Ready: msd(500)},        // first: no hit whatever it took
		{Frame: 1, At: msd(600), Ready: -1},       // never ready
		{Frame: 2, At: msd(700), Ready: msd(710)}, // hit
		{Frame: 3, At: msd(800), Ready: msd(900)}, // ready after the next came: dropped
		{Frame: 4, At: msd(850), Ready: msd(1050)},
		{Frame: 5, At: msd(1100), Ready: msd(1100), Err: fmt.Errorf("boom")},
	}}
	res.summarize()
	if res.Dropped != 2 || res.Hits != 2 || res.HitRate != 0.4 || res.Errors != 1 {
		t.Errorf("dropped %d hits %d rate %.2f errors %d; want 2, 2, 0.40, 1", res.Dropped, res.Hits, res.HitRate, res.Errors)
	}
	// Shown latencies: 500, 10, 200, 0 → median (nearest rank 2 of 4) 10, p95 500.
	if res.Median != msd(10) || res.P95 != msd(500) || res.Settle != 0 {
		t.Errorf("median %v p95 %v settle %v; want 10ms 500ms 0s", res.Median, res.P95, res.Settle)
	}
	// Frames shown after the first: 3 in 600 ms.
	if res.FPS != 5 {
		t.Errorf("fps = %v, want 5", res.FPS)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 20; i++ {
		d = append(d, time.Duration(i))
	}
	if p := percentile(d, 0.95); p != 19 {
		t.Errorf("p95 of 1..20 = %v, want 19", p)
	}
	if p := percentile(d, 0.5); p != 10 {
		t.Errorf("p50 of 1..20 = %v, want 10", p)
	}
	if p := percentile(nil, 0.5); p != -1 {
		t.Errorf("percentile of nothing = %v, want -1", p)
	}
}

func frames(w Workload) []int {
	var fs []int
	for _, e := range w.Events {
		fs = append(fs, e.Frame)
	}
	return fs
}

func TestWorkloads(t *testing.T) {
	const pace = 600 * time.Millisecond
	ws := Workloads(60, pace, 7)
	byName := map[string]Workload{}
	for _, w := range ws {
		byName[w.Name] = w
	}
	fwd := byName["forward"]
	if len(fwd.Events) != 31 || fwd.Events[30].Frame != 30 || fwd.Events[30].At != 30*pace {
		t.Errorf("forward: %d events, last %+v; want 31, frame 30 at 30 paces", len(fwd.Events), fwd.Events[len(fwd.Events)-1])
	}
	fb := byName["fwd-back"]
	if got := frames(fb)[19:]; !slices.Equal(got, []int{19, 20, 19, 18, 17, 16, 15}) || fb.Turn != 21 {
		t.Errorf("fwd-back ends %v, turn %d; want 19 20 19 … 15, turn 21", got, fb.Turn)
	}
	far := byName["far-back"]
	if f := frames(far); len(f) != 81 || f[40] != 40 || f[80] != 0 || far.Turn != 41 {
		t.Errorf("far-back: %d events, frame 40 at %d, last %d, turn %d", len(f), f[40], f[80], far.Turn)
	}
	rnd := frames(byName["random"])
	if len(rnd) != 20 || !slices.Equal(rnd, frames(Workloads(60, pace, 7)[3])) {
		t.Errorf("random: %v, want 20 frames, the same for the same seed", rnd)
	}
	for k, f := range rnd {
		if f < 0 || f >= 60 || (k > 0 && rnd[k-1] == f) {
			t.Errorf("random jump %d to frame %d: out of range or no jump", k, f)
		}
	}
	held := byName["held-key"]
	if n := len(held.Events); n != 60 || held.Events[1].At != HeldRepeat || !held.Held {
		t.Errorf("held key over 60 frames: %d events, want 60 (stops at the last frame) %v apart", n, HeldRepeat)
	}
	if n := len(Workloads(200, pace, 7)[4].Events); n != int(HeldFor/HeldRepeat)+1 {
		t.Errorf("held key over 200 frames: %d events, want %d", n, int(HeldFor/HeldRepeat)+1)
	}
	if byName["playback"].Play == nil {
		t.Error("playback has no Playback")
	}
	// A short sequence cuts every workload to fit.
	for _, w := range Workloads(3, pace, 7) {
		for _, e := range w.Events {
			if e.Frame < 0 || e.Frame >= 3 {
				t.Errorf("%s over 3 frames asks for frame %d", w.Name, e.Frame)
			}
		}
	}
	if one := Workloads(1, pace, 7); one[1].Turn != -1 || len(one[2].Events) != 1 {
		t.Errorf("a one-frame sequence: fwd-back turn %d, far-back %d events", one[1].Turn, len(one[2].Events))
	}
}

// TestRunStrategies runs the real strategies on a tiny sequence over a
// share with small latencies. It checks what does not depend on timing:
// counts of opens and that every run ends with its last frame shown.
func TestRunStrategies(t *testing.T) {
	defer goleak.VerifyNone(t)
	const n = 12
	base := tinyFS(n)
	env, err := NewEnv(base, tinySeq(t, base), slowfs.Config{OpenLatency: 2 * time.Millisecond, ReadLatency: time.Millisecond}, 32, 18)
	if err != nil {
		t.Fatal(err)
	}
	if env.Cold.Load() <= 0 || env.MeanFileBytes <= 0 {
		t.Fatalf("cold %+v, mean bytes %d", env.Cold, env.MeanFileBytes)
	}
	ws := Workloads(n, 20*time.Millisecond, 1)
	var results []*Result
	for _, w := range []Workload{ws[0], ws[2]} { // forward, far-back
		for _, s := range Strategies {
			res, err := Run(env, s, w)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, res)
			name := w.Name + "/" + s.String()
			if res.Errors > 0 || res.Settle < 0 || len(res.Requests) != len(w.Events) {
				t.Errorf("%s: %d errors (%v), settle %v, %d requests", name, res.Errors, res.FirstErr, res.Settle, len(res.Requests))
			}
			switch s {
			case NoCache:
				if res.FS.Opens != len(w.Events) {
					t.Errorf("%s: %d opens for %d requests, want one each", name, res.FS.Opens, len(w.Events))
				}
			case Ours, Simple:
				if m := slices.Max(res.Opens); m > 1 {
					t.Errorf("%s: a file opened %d times (%v), want once", name, m, res.Opens)
				}
			}
			if s == Ours && w.Turn > 0 {
				if o, fs := BackReads(res, 1, n); o != 0 {
					t.Errorf("%s: stepping back opened %d files again (frames %v)", name, o, fs)
				}
			}
		}
	}
	md := Markdown(env, results)
	for _, want := range []string{"| forward | ours |", "| far-back | simple |", "median ÷ nocache", "Targets (ours):", "back 1–9 frames costs no read"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestTargets(t *testing.T) {
	env := &Env{
		Seq:           &loader.Sequence{Frames: make([]loader.Frame, 50)},
		Slow:          slowfs.Config{BytesPerSecond: 60e6},
		Cold:          Cold{Read: 200 * time.Millisecond, Decode: 300 * time.Millisecond},
		MeanFileBytes: 6e6,
	}
	// far-back over 12 frames: 0..11, back to 0. Frame 0 (11 back) was read
	// again after the turn, frame 5 was opened twice before it.
	var reqs []Request
	for _, f := range append([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0) {
		reqs = append(reqs, Request{Frame: f})
	}
	opens := []int{2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1}
	before := []int{1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1}
	results := []*Result{
		{Workload: "forward", Strategy: Ours, Requests: make([]Request, 31), Hits: 29, HitRate: 29.0 / 30, Opens: []int{1}},
		{Workload: "far-back", Strategy: Ours, Requests: reqs, Turn: 12, Opens: opens, OpensBeforeTurn: before},
		{Workload: "held-key", Strategy: Ours, Held: true, Requests: []Request{{At: time.Second}}, Settle: 700 * time.Millisecond},
		{Workload: "playback", Strategy: Ours, Playback: true, FPS: 9},
	}
	got := map[string]Target{}
	for _, tg := range Targets(env, results) {
		got[strings.SplitN(tg.Name, ":", 2)[0]] = tg
	}
	check := func(prefix string, pass bool, detail string) {
		t.Helper()
		for name, tg := range got {
			if strings.HasPrefix(name, prefix) {
				if tg.Pass != pass || !strings.Contains(tg.Detail, detail) {
					t.Errorf("%s", tg)
				}
				return
			}
		}
		t.Errorf("no target %q among %v", prefix, got)
	}
	check("forward", true, "97 % (29 of 30)")
	check("back 1–9", true, "far-back 0 opens")
	check("back 10–40", false, "far-back 1 opens (frames 0)")
	check("held key", false, "700 ms after the last request (limit 600 ms")
	check("no file read twice", false, "far-back max 2 (frames 0, 5)")
	// Bound: min(60/6 = 10, 2 cores / 0.3 s = 6.7) on a 2-core machine.
	bound, byLink, _ := PlaybackBound(env)
	if byLink != 10 {
		t.Errorf("link bound %.2f, want 10", byLink)
	}
	check("playback", 9 >= 0.9*bound, fmt.Sprintf("9.0 fps of %.1f", bound))
}

func TestEnsureFrames(t *testing.T) {
	dir := t.TempDir()
	made := 0
	count := func(done, total int) { made++ }
	if err := EnsureFrames(dir, 3, 16, 9, count); err != nil || made != 3 {
		t.Fatalf("first EnsureFrames: err %v, made %d; want 3", err, made)
	}
	made = 0
	if err := EnsureFrames(dir, 3, 16, 9, count); err != nil || made != 0 {
		t.Fatalf("second EnsureFrames: err %v, made %d; want nothing made", err, made)
	}
	// A truncated frame and one of another size are made again; one more
	// frame is added.
	if err := os.WriteFile(filepath.Join(dir, "0002.png"), []byte("\x89PNG"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "0003.png"), testframes.PNG(8, 9, 3), 0o644); err != nil {
		t.Fatal(err)
	}
	made = 0
	if err := EnsureFrames(dir, 4, 16, 9, count); err != nil || made != 3 {
		t.Fatalf("EnsureFrames after damage: err %v, made %d; want 3", err, made)
	}
	seq, err := FirstFrames(os.DirFS(dir), 2)
	if err != nil || seq.Len() != 2 || seq.Frames[1].Name != "0002.png" {
		t.Fatalf("FirstFrames(2): %v, %v", seq, err)
	}
	if _, err := FirstFrames(os.DirFS(dir), 5); err == nil || !strings.HasPrefix(err.Error(), "seqbench: ") {
		t.Errorf("FirstFrames(5) of 4: err = %v, want a seqbench: error", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 4 {
		t.Errorf("%d entries in the folder, want the 4 frames and no temporary file", len(ents))
	}
}

func TestParseStrategy(t *testing.T) {
	for _, s := range Strategies {
		if got, err := ParseStrategy(s.String()); err != nil || got != s {
			t.Errorf("ParseStrategy(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseStrategy("fast"); err == nil {
		t.Error("ParseStrategy(fast) did not fail")
	}
}
