package loader

import (
	"errors"
	"fmt"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"go.uber.org/goleak"

	"seqview/internal/slowfs"
	"seqview/internal/testframes"
)

// hangGuard bounds every wait in these tests. It is not a speed assertion:
// a correct loader is done in milliseconds; it only turns a deadlock into a
// failure instead of a stuck test run.
const hangGuard = 30 * time.Second

// flatFrames is a sequence of n small flat-coloured frames 1.png … n.png;
// frame i (1-based) has red channel i.
func flatFrames(n int) fstest.MapFS {
	return testframes.MapFS("%d.png", 1, n, func(i int) []byte {
		return testframes.Flat(32, 18, color.NRGBA{R: uint8(i), G: 100, B: 200, A: 255})
	})
}

// harness runs a Service and records what it delivers.
type harness struct {
	t   *testing.T
	fs  *slowfs.FS
	svc *Service

	mu        sync.Mutex
	delivered []Result
	changed   chan struct{}
}

func newHarness(t *testing.T, base fstest.MapFS, slow slowfs.Config, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, fs: slowfs.New(base, slow), changed: make(chan struct{}, 1)}
	seqs, err := Scan(h.fs, ".")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Deliver = func(r Result) {
		h.mu.Lock()
		h.delivered = append(h.delivered, r)
		h.mu.Unlock()
		h.poke()
	}
	cfg.Changed = h.poke
	h.svc = NewService(h.fs, seqs[0], cfg)
	t.Cleanup(h.svc.Close)
	return h
}

func (h *harness) poke() {
	select {
	case h.changed <- struct{}{}:
	default:
	}
}

// waitFor waits until cond holds, re-checking whenever the service reports
// a change.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(hangGuard)
	for !cond() {
		select {
		case <-h.changed:
		case <-time.After(10 * time.Millisecond): // a change may predate the wait
		case <-deadline:
			h.t.Fatalf("still waiting for %s after %v", what, hangGuard)
		}
	}
}

// showAndWait shows frame i and returns its result, delivered or at once.
func (h *harness) showAndWait(i int) Result {
	h.t.Helper()
	if r, ok := h.svc.Show(i); ok {
		return r
	}
	var got Result
	h.waitFor(fmt.Sprintf("frame %d", i), func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, r := range h.delivered {
			if r.Index == i {
				got = r
				return true
			}
		}
		return false
	})
	return got
}

func redOf(t *testing.T, r Result) int {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("frame %d: %v", r.Index, r.Err)
	}
	return int(r.Frame.Full.Pix[0])
}

func TestShowDeliversThenCaches(t *testing.T) {
	h := newHarness(t, flatFrames(5), slowfs.Config{}, Config{Preload: 1})
	if _, ok := h.svc.Show(2); ok {
		t.Fatal("a cold frame was ready at once")
	}
	r := h.showAndWait(2)
	if got := redOf(t, r); got != 3 {
		t.Fatalf("frame index 2 has red %d, want 3 (file 3.png)", got)
	}
	r2, ok := h.svc.Show(2)
	if !ok || r2.Frame != r.Frame {
		t.Fatal("second Show of a loaded frame was not answered from the cache")
	}
	if n := h.fs.Stats().OpensOf("3.png"); n != 1 {
		t.Fatalf("3.png opened %d times, want 1", n)
	}
}

func TestReadAheadFollowsDirection(t *testing.T) {
	tests := []struct {
		name      string
		start     int
		steps     []int // frames shown after start, in order
		wantReady []int // frames that must come ready without being asked for
	}{
		{"forward", 0, []int{1}, []int{2, 3}},
		{"backward", 9, []int{8}, []int{7, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, flatFrames(12), slowfs.Config{}, Config{Preload: 2})
			h.showAndWait(tt.start)
			for _, s := range tt.steps {
				h.showAndWait(s)
			}
			for _, i := range tt.wantReady {
				h.waitFor(fmt.Sprintf("read-ahead of %d", i), func() bool { return h.svc.State(i) == StateDecoded })
			}
		})
	}
}

// TestStepBackCostsNoRead: the decoded cache answers recent frames, the
// bytes cache older ones, and neither touches the share.
func TestStepBackCostsNoRead(t *testing.T) {
	h := newHarness(t, flatFrames(40), slowfs.Config{}, Config{Preload: 2, CacheFrames: 10})
	for i := range 30 {
		h.showAndWait(i)
	}
	h.waitFor("read-ahead to settle", func() bool { return h.svc.State(31) == StateDecoded })
	opens := h.fs.Stats().Opens
	for i := 29; i >= 0; i-- {
		if got := redOf(t, h.showAndWait(i)); got != i+1 {
			t.Fatalf("frame %d has red %d", i, got)
		}
	}
	if n := h.fs.Stats().Opens - opens; n != 0 {
		t.Fatalf("stepping back 30 frames opened %d files, want 0", n)
	}
}

func TestConcurrentShowsShareOneRead(t *testing.T) {
	h := newHarness(t, flatFrames(20), slowfs.Config{OpenLatency: 20 * time.Millisecond}, Config{Preload: 1})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() { h.svc.Show(7) })
	}
	wg.Wait()
	h.showAndWait(7)
	if n := h.fs.Stats().OpensOf("8.png"); n != 1 {
		t.Fatalf("8.png opened %d times by 16 concurrent requests, want 1", n)
	}
}

func TestErrorsNameTheFile(t *testing.T) {
	fsys := flatFrames(4)
	fsys["3.png"] = &fstest.MapFile{Data: []byte("not a picture at all")}
	fsys["4.png"] = &fstest.MapFile{Data: fsys["2.png"].Data[:40]}
	h := newHarness(t, fsys, slowfs.Config{}, Config{Preload: 1})
	for _, tc := range []struct {
		i    int
		want string
	}{{2, "3.png"}, {3, "4.png"}} {
		t.Run(tc.want, func(t *testing.T) {
			r := h.showAndWait(tc.i)
			if r.Err == nil || !strings.Contains(r.Err.Error(), tc.want) {
				t.Fatalf("error = %v, want one naming %s", r.Err, tc.want)
			}
			if h.svc.State(tc.i) != StateFailed {
				t.Fatalf("state = %v, want failed", h.svc.State(tc.i))
			}
		})
	}
	if redOf(t, h.showAndWait(0)) != 1 {
		t.Fatal("a good frame after bad ones did not load")
	}
}

// TestLatestWins: after a burst of requests only the last one is
// delivered, and frames left behind are not all read.
func TestLatestWins(t *testing.T) {
	h := newHarness(t, flatFrames(60), slowfs.Config{OpenLatency: 15 * time.Millisecond}, Config{Preload: 2, Reads: 2})
	for i := range 50 {
		h.svc.Show(i)
	}
	r := h.showAndWait(49)
	if redOf(t, r) != 50 {
		t.Fatal("wrong final frame")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range h.delivered {
		if d.Index != 49 && d.Index < 45 {
			t.Errorf("delivered stale frame %d", d.Index)
		}
	}
	if opens := h.fs.Stats().Opens; opens > 25 {
		t.Errorf("%d files opened for a burst that ended at 49: stale loads were not dropped", opens)
	}
}

func TestViewSizedCopy(t *testing.T) {
	h := newHarness(t, flatFrames(3), slowfs.Config{}, Config{Preload: 1})
	h.svc.SetViewSize(16, 16)
	r := h.showAndWait(0)
	if b := r.Frame.View.Rect; b.Dx() != 16 || b.Dy() != 9 {
		t.Fatalf("view copy is %v, want 16×9", b)
	}
	if b := r.Frame.Full.Rect; b.Dx() != 32 {
		t.Fatalf("full frame is %v", b)
	}
	h.svc.SetViewSize(8, 8)
	h.waitFor("a copy for the new view size", func() bool {
		r, _ := h.svc.Show(0)
		return r.Frame != nil && r.Frame.View.Rect.Dx() == 8
	})
}

// TestStress fires random requests from several goroutines (run it with
// -race), then checks that Close leaves no goroutine behind and the caches
// stayed within their bounds.
func TestStress(t *testing.T) {
	defer goleak.VerifyNone(t)
	base := flatFrames(200)
	base["13.png"] = &fstest.MapFile{Data: []byte("broken")}
	fsys := slowfs.New(base, slowfs.Config{OpenLatency: 100 * time.Microsecond})
	seqs, err := Scan(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(fsys, seqs[0], Config{CacheFrames: 10, RawBytes: 20 << 10})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 2))
			for k := range 10000 / 8 {
				i := r.IntN(200)
				if k%3 == 0 {
					i = (i / 10) * 10 // revisit some frames so the caches are hit
				}
				svc.Show(i)
				if k%100 == 0 {
					svc.SetViewSize(r.IntN(40), r.IntN(40))
					svc.States()
				}
			}
		})
	}
	wg.Wait()
	st := svc.Stats()
	svc.Close()
	if st.Frames.Entries > 10 || st.Raw.Bytes > 20<<10 {
		t.Fatalf("caches over their bounds: %+v", st)
	}
}

// TestStatesAgree: the one-pass States gives what State gives frame by
// frame.
func TestStatesAgree(t *testing.T) {
	base := flatFrames(30)
	base["5.png"] = &fstest.MapFile{Data: []byte("broken")}
	h := newHarness(t, base, slowfs.Config{}, Config{Preload: 3, CacheFrames: 5})
	for _, i := range []int{0, 1, 2, 3, 4, 5, 6, 7, 20} {
		h.showAndWait(i)
	}
	h.waitFor("read-ahead", func() bool { return h.svc.State(23) == StateDecoded })
	st := h.svc.States()
	seen := map[State]bool{}
	for i, got := range st {
		if want := h.svc.State(i); got != want {
			t.Errorf("frame %d: States says %v, State says %v", i, got, want)
		}
		seen[got] = true
	}
	for _, want := range []State{StateNone, StateBytes, StateDecoded, StateFailed} {
		if !seen[want] {
			t.Errorf("no frame in state %v: %v", want, st)
		}
	}
}

// TestHeapReturnsToBudget: after a storm of random requests over frames
// larger than the budgets, the live heap is back within the decoded and
// bytes budgets (plus the frames in flight and a small slack).
func TestHeapReturnsToBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("generates frames")
	}
	const frames, frameBudget, rawBudget = 24, 8 << 20, 4 << 20
	base := testframes.MapFS("%03d.png", 1, frames, func(i int) []byte { return testframes.PNG(640, 360, i) })
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	h := newHarness(t, base, slowfs.Config{}, Config{CacheBytes: frameBudget, RawBytes: rawBudget, Preload: 2})
	r := rand.New(rand.NewPCG(7, 7))
	for k := range 400 {
		h.svc.Show(r.IntN(frames))
		if k%50 == 0 {
			h.showAndWait(r.IntN(frames))
		}
	}
	h.showAndWait(3)
	h.showAndWait(4)
	h.waitFor("read-ahead to finish", func() bool { return h.svc.State(6) == StateDecoded })
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	// In flight beyond the budgets: the planned frames' compressed bytes
	// awaiting decode (each well under 1 MiB here) and Go's own slack.
	const slack = 6 << 20
	if grown > frameBudget+rawBudget+slack {
		t.Fatalf("heap grew by %.1f MiB, budgets are %d+%d MiB", float64(grown)/(1<<20), frameBudget>>20, rawBudget>>20)
	}
	st := h.svc.Stats()
	if st.Frames.Bytes > frameBudget || st.Raw.Bytes > rawBudget {
		t.Fatalf("caches over budget: %+v", st)
	}
	t.Logf("heap grew %.1f MiB; decoded cache %d frames %.1f MiB, bytes cache %.1f MiB", float64(grown)/(1<<20),
		st.Frames.Entries, float64(st.Frames.Bytes)/(1<<20), float64(st.Raw.Bytes)/(1<<20))
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name  string
		shows []int
		want  []int
	}{
		{"forward", []int{4, 5}, []int{5, 6, 7, 8, 4}},
		{"backward", []int{5, 4}, []int{4, 3, 2, 1, 5}},
		{"jump keeps direction", []int{4, 5, 15}, []int{15, 16, 17, 18, 14}},
		{"home reads ahead", []int{4, 3, 0}, []int{0, 1, 2, 3, 4}},
		{"end reads behind", []int{0, 1, 19}, []int{19, 18, 17, 16, 15}},
		{"near the end", []int{16, 17, 18}, []int{18, 19, 17, 16, 15}},
		{"looping wraps", []int{-1, 17, 18}, []int{18, 19, 0, 1, 17}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, flatFrames(20), slowfs.Config{}, Config{Preload: 3})
			for _, i := range tt.shows {
				if i < 0 {
					h.svc.SetPlaying(true, true)
					continue
				}
				h.svc.Show(i)
			}
			h.svc.mu.Lock()
			var got []int
			for _, name := range h.svc.plan {
				got = append(got, h.svc.seq.Index(name))
			}
			h.svc.mu.Unlock()
			if !slices.Equal(got, tt.want) {
				t.Fatalf("plan %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPlayingReadsAheadAsDeepAsTheCache: playback's first frame already
// has the read-ahead of the cache's depth, whatever pace came before.
func TestPlayingReadsAheadAsDeepAsTheCache(t *testing.T) {
	h := newHarness(t, flatFrames(20), slowfs.Config{}, Config{CacheFrames: 6})
	h.svc.Show(4)
	h.svc.SetPlaying(true, false)
	plan := func() []int {
		h.svc.mu.Lock()
		defer h.svc.mu.Unlock()
		var got []int
		for _, name := range h.svc.plan {
			got = append(got, h.svc.seq.Index(name))
		}
		return got
	}
	if got, want := plan(), []int{4, 5, 6, 7, 8, 3}; !slices.Equal(got, want) {
		t.Fatalf("playing: plan %v, want %v (4 ahead: the cache of 6 less the current frame and one behind)", got, want)
	}
	h.svc.SetPlaying(false, false)
	if got, want := plan(), []int{4, 5, 6, 3}; !slices.Equal(got, want) {
		t.Fatalf("stopped: plan %v, want %v", got, want)
	}
}

// TestFrameBeingWritten: a frame a renderer is still writing is reported as
// being written, not cached as broken, and arrives on its own once whole.
func TestFrameBeingWritten(t *testing.T) {
	dir := t.TempDir()
	whole := testframes.Flat(32, 18, color.NRGBA{R: 9, A: 255})
	for i, data := range [][]byte{whole, whole[:len(whole)/2]} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.png", i+1)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys := os.DirFS(dir)
	seqs, err := Scan(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []Result
	changed := make(chan struct{}, 1)
	svc := NewService(fsys, seqs[0], Config{Deliver: func(r Result) {
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
		select {
		case changed <- struct{}{}:
		default:
		}
	}})
	defer svc.Close()
	svc.Show(1)
	last := func() Result {
		t.Helper()
		select {
		case <-changed:
		case <-time.After(hangGuard):
			t.Fatal("nothing delivered")
		}
		mu.Lock()
		defer mu.Unlock()
		return got[len(got)-1]
	}
	if r := last(); !errors.Is(r.Err, ErrBeingWritten) || !strings.Contains(r.Err.Error(), "2.png") {
		t.Fatalf("half-written frame: %v, want a being-written error naming 2.png", r.Err)
	}
	if st := svc.State(1); st != StateLoading {
		t.Fatalf("state %v, want loading (retried)", st)
	}
	if err := os.WriteFile(filepath.Join(dir, "2.png"), whole, 0o644); err != nil {
		t.Fatal(err)
	}
	for {
		r := last()
		if r.Frame != nil {
			break
		}
		if !errors.Is(r.Err, ErrBeingWritten) {
			t.Fatalf("after the write completed: %v", r.Err)
		}
	}
}

// TestCachesAreExclusive: a file's bytes are held once — with its decoded
// frame, or in the bytes cache once the frame is evicted — so 10 decoded
// frames plus a bytes budget of 33 files cover the 43 files read going 40
// forward (with 2 of read-ahead) and all the way back without a read.
func TestCachesAreExclusive(t *testing.T) {
	base := testframes.MapFS("%03d.png", 1, 50, func(i int) []byte {
		return testframes.Flat(32, 18, color.NRGBA{R: uint8(i), A: 255})
	})
	var fileSize int64 // the largest: the flat frames differ by a few bytes
	for _, f := range base {
		fileSize = max(fileSize, int64(len(f.Data)))
	}
	h := newHarness(t, base, slowfs.Config{}, Config{Preload: 2, CacheFrames: 10, RawBytes: 33 * fileSize})
	for i := range 41 {
		h.showAndWait(i)
	}
	h.waitFor("read-ahead", func() bool { return h.svc.State(42) == StateDecoded })
	opens := h.fs.Stats().Opens
	for i := 40; i >= 0; i-- {
		if got := redOf(t, h.showAndWait(i)); got != i+1 {
			t.Fatalf("frame %d has red %d", i, got)
		}
	}
	if n := h.fs.Stats().Opens - opens; n != 0 {
		var twice []string
		for name := range base {
			if h.fs.Stats().OpensOf(name) > 1 {
				twice = append(twice, name)
			}
		}
		t.Fatalf("going back 40 frames opened %d files; read twice: %v", n, twice)
	}
	if st := h.svc.Stats(); st.Raw.Bytes > 33*fileSize {
		t.Fatalf("bytes cache over budget: %d", st.Raw.Bytes)
	}
}

// TestOutrunDecodesLatestAlone: asking for frames faster than they load (a
// held key) or jumping decodes only the frame asked for last until it is
// ready; then read-ahead decodes again.
func TestOutrunDecodesLatestAlone(t *testing.T) {
	h := newHarness(t, flatFrames(40), slowfs.Config{OpenLatency: 5 * time.Millisecond}, Config{Preload: 3})
	h.showAndWait(0)
	h.waitFor("read-ahead", func() bool { return h.svc.State(3) == StateDecoded })
	alone := func() bool {
		h.svc.mu.Lock()
		defer h.svc.mu.Unlock()
		return h.svc.alone
	}
	h.svc.Show(1) // ready: a step, not outrunning
	if alone() {
		t.Fatal("a step onto a ready frame counted as outrunning")
	}
	for i := 2; i <= 12; i++ {
		h.svc.Show(i) // faster than frames load
	}
	if !alone() {
		t.Fatal("requests outrunning the loader did not make the latest decode alone")
	}
	h.svc.mu.Lock()
	for name := range h.svc.decoding {
		if name != h.svc.plan[0] && h.svc.decoding[name].ctx.Err() == nil {
			t.Errorf("%s decodes beside the latest", name)
		}
	}
	h.svc.mu.Unlock()
	h.showAndWait(12)
	h.waitFor("read-ahead after the latest", func() bool { return h.svc.State(14) == StateDecoded })
	if alone() {
		t.Fatal("still alone after the latest was ready")
	}
	h.svc.Show(30) // a jump
	if !alone() {
		t.Fatal("a jump did not decode its target alone")
	}
}

// TestFlickKeepsNearWork: a person flicking back and forth reverses the
// plan at every flick; work within the read-ahead depth goes on (it was
// restarted at every flick and never finished), work beyond it stops.
func TestFlickKeepsNearWork(t *testing.T) {
	h := newHarness(t, flatFrames(40), slowfs.Config{OpenLatency: 300 * time.Millisecond}, Config{Preload: 3})
	h.showAndWait(9)
	for _, i := range []int{10, 11, 12, 8} {
		h.waitFor(fmt.Sprintf("read-ahead of %d", i), func() bool { return h.svc.State(i) == StateDecoded })
	}
	h.svc.Show(11) // plan 11, 12, 13, 14, 10: 14.png and 15.png are read
	h.waitFor("the reads of 14.png and 15.png", func() bool {
		h.svc.mu.Lock()
		defer h.svc.mu.Unlock()
		return h.svc.reading["14.png"] != nil && h.svc.reading["15.png"] != nil
	})
	h.svc.Show(10) // back: plan 10, 9, 8, 7, 11
	h.svc.mu.Lock()
	defer h.svc.mu.Unlock()
	if jb := h.svc.reading["14.png"]; jb == nil || jb.ctx.Err() != nil {
		t.Error("the read of 14.png (index 13, 3 frames from 10, depth 3) was stopped by the flick back")
	}
	if jb := h.svc.reading["15.png"]; jb != nil && jb.ctx.Err() == nil {
		t.Error("the read of 15.png (index 14, 4 frames from 10, depth 3) goes on")
	}
}
