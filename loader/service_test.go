package loader

import (
	"fmt"
	"image/color"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"go.uber.org/goleak"

	"seqview/internal/slowfs"
	"seqview/internal/testframes"
	"seqview/loader/look"
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
// a change. If it never holds, the test fails with what and, if given, why
// the last check failed.
func (h *harness) waitFor(what string, cond func() bool, why ...func() string) {
	h.t.Helper()
	deadline := time.After(hangGuard)
	for !cond() {
		select {
		case <-h.changed:
		case <-time.After(10 * time.Millisecond): // a change may predate the wait
		case <-deadline:
			for _, w := range why {
				what += ": " + w()
			}
			h.t.Fatalf("still waiting for %s after %v", what, hangGuard)
		}
	}
}

// showAndWait shows frame i and returns its result, delivered or at once.
func (h *harness) showAndWait(i int) Result {
	h.t.Helper()
	h.mu.Lock()
	kept := h.delivered[:0]
	for _, r := range h.delivered {
		if r.Index != i {
			kept = append(kept, r)
		}
	}
	h.delivered = kept
	h.mu.Unlock()
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
	return int(r.Frame.View.Pix[0])
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
		first     []int          // frames shown to set the direction
		then      []int          // frames shown after, in the same direction
		wantReady []int          // frames that must come ready without being asked for
		otherWay  func(int) bool // frames that must not be read once the direction is set
	}{
		{"forward", []int{4, 5}, []int{6, 7}, []int{8, 9}, func(i int) bool { return i < 6 }},
		{"backward", []int{14, 13}, []int{12, 11}, []int{10, 9}, func(i int) bool { return i > 11 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, flatFrames(20), slowfs.Config{}, Config{Preload: 2})
			for _, i := range tt.first {
				h.showAndWait(i)
			}
			h.waitFor("read-ahead", func() bool { return h.svc.State(tt.then[1]) == StateDecoded })
			before := h.fs.Stats()
			for _, i := range tt.then {
				h.showAndWait(i)
			}
			for _, i := range tt.wantReady {
				h.waitFor(fmt.Sprintf("read-ahead of %d", i), func() bool { return h.svc.State(i) == StateDecoded })
			}
			after := h.fs.Stats()
			for i := range 20 {
				name := fmt.Sprintf("%d.png", i+1)
				if n := after.OpensOf(name) - before.OpensOf(name); tt.otherWay(i) && n != 0 {
					t.Errorf("frame %d, the other way, was read %d times", i, n)
				}
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
	fsys["3.png"] = &fstest.MapFile{Data: []byte("not a picture at all"), ModTime: time.Now().Add(-time.Minute)}
	fsys["4.png"] = &fstest.MapFile{Data: fsys["2.png"].Data[:40], ModTime: time.Now().Add(-time.Minute)}
	h := newHarness(t, fsys, slowfs.Config{}, Config{Preload: 1})
	for _, tc := range []struct {
		i      int
		name   string
		reason Reason
	}{{2, "3.png", NotImage}, {3, "4.png", Truncated}} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.showAndWait(tc.i)
			if r.Err == nil || r.Err.Name != tc.name || r.Err.Reason != tc.reason || !strings.Contains(r.Err.Error(), tc.name) {
				t.Fatalf("error = %v, want %v naming %s", r.Err, tc.reason, tc.name)
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

// TestViewSizedCopy: frames are decoded to fit the view; after a resize
// the old frame is still shown while one of the new size is made.
func TestViewSizedCopy(t *testing.T) {
	h := newHarness(t, flatFrames(3), slowfs.Config{}, Config{Preload: 1})
	h.svc.SetViewSize(16, 16)
	r := h.showAndWait(0)
	if b := r.Frame.View.Rect; b.Dx() != 16 || b.Dy() != 9 {
		t.Fatalf("view frame is %v, want 16×9", b)
	}
	if r.Frame.Info.Width != 32 || r.Frame.Info.Height != 18 || r.Frame.Full != nil {
		t.Fatalf("info %v, full %v: want 32×18 and no full frame", r.Frame.Info, r.Frame.Full)
	}
	h.svc.SetViewSize(8, 8)
	if r, ok := h.svc.Show(0); !ok || r.Frame.View.Rect.Dx() != 16 {
		t.Fatal("the frame of the old size was not shown meanwhile")
	}
	h.waitFor("a frame for the new view size", func() bool {
		r, _ := h.svc.Show(0)
		return r.Frame != nil && r.Frame.View.Rect.Dx() == 8
	})
	if n := h.fs.Stats().OpensOf("1.png"); n != 1 {
		t.Fatalf("1.png opened %d times: the new size was not made from the bytes in memory", n)
	}
}

// TestFullSizeOnDemand: full resolution is decoded only while asked for,
// for the frame shown and the next one, and dropped after.
func TestFullSizeOnDemand(t *testing.T) {
	h := newHarness(t, flatFrames(6), slowfs.Config{}, Config{Preload: 2})
	h.svc.SetViewSize(16, 16)
	h.showAndWait(0)
	h.svc.SetFullSize(true)
	h.waitFor("the full frame of the frame shown", func() bool {
		r, _ := h.svc.Show(0)
		return r.Frame != nil && r.Frame.Full != nil
	})
	r, _ := h.svc.Show(0)
	if b := r.Frame.Full.RGBA.Rect; b.Dx() != 32 || b.Dy() != 18 || r.Frame.View.Rect.Dx() != 16 {
		t.Fatalf("full %v view %v", b, r.Frame.View.Rect)
	}
	for i := 1; i <= 3; i++ {
		h.showAndWait(i)
		h.waitFor(fmt.Sprintf("full frame %d", i), func() bool {
			r, _ := h.svc.Show(i)
			return r.Frame != nil && r.Frame.Full != nil
		})
		if n := h.svc.Stats().Fulls.Entries; n > 2 {
			t.Fatalf("%d full frames kept, want at most 2", n)
		}
	}
	h.svc.SetFullSize(false)
	if st := h.svc.Stats(); st.Fulls.Entries != 0 {
		t.Fatalf("full frames kept after zooming out: %+v", st.Fulls)
	}
	if r, _ := h.svc.Show(3); r.Frame.Full != nil {
		t.Fatal("a full frame handed out while not asked for")
	}
}

// TestStress mixes, from several goroutines and under -race, everything
// callers do at once: people stepping and jumping (Show), a live folder
// (SetSequence with frames coming and going, Invalidate for rewritten
// ones), a window (SetViewSize, SetPlaying, SetFullSize, States, Stats),
// over a sequence where every seventh frame fails, and Close from two
// goroutines while all that goes on. It checks that frames handed out are
// never written again, that the caches stay within their bounds, and that
// no goroutine is left. Run against the loader before its concurrency
// contract, it caught the decoder reading the sequence without the lock
// while SetSequence replaced it.
func TestStress(t *testing.T) {
	defer goleak.VerifyNone(t)
	base := flatFrames(200)
	for i := 7; i <= 200; i += 7 {
		base[fmt.Sprintf("%d.png", i)] = &fstest.MapFile{Data: []byte("broken")}
	}
	// No lock inside the file system: a mutex there would order the
	// loader's goroutines behind its back and hide races from -race.
	fsys := latencyFS{base, 100 * time.Microsecond}
	seqs, err := Scan(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	full := seqs[0]
	var delivered, failed, ops atomic.Int64
	svc := NewService(fsys, full, Config{CacheFrames: 10, CacheBytes: 1, RawBytes: 20 << 10,
		Deliver: func(r Result) {
			delivered.Add(1)
			if r.Err != nil {
				failed.Add(1)
			}
			if r.Frame != nil {
				_ = *r.Frame // a frame handed out is never written again
			}
		},
	})
	within := func() {
		st := svc.Stats()
		if st.Views.Entries > 10 || st.Raw.Bytes > 20<<10 || st.Fulls.Entries > fullFrames {
			t.Errorf("caches over their bounds: %+v", st)
		}
	}
	const total = 2000
	var wg sync.WaitGroup
	// People stepping and jumping, at a fast human pace.
	for g := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 2))
			for ops.Add(1) < total {
				if res, ok := svc.Show(r.IntN(200)); ok && res.Frame != nil {
					_ = *res.Frame
				}
				time.Sleep(time.Duration(r.IntN(2000)) * time.Microsecond)
			}
		})
	}
	// A live folder: frames come and go, frames are rewritten.
	wg.Go(func() {
		r := rand.New(rand.NewPCG(9, 9))
		for ops.Load() < total {
			svc.SetSequence(&Sequence{Dir: full.Dir, Prefix: full.Prefix, Suffix: full.Suffix, Frames: full.Frames[:150+r.IntN(51)]})
			svc.Invalidate(fmt.Sprintf("%d.png", r.IntN(200)+1))
			time.Sleep(100 * time.Microsecond)
		}
	})
	// A window: resized, played, zoomed in and out, its timeline refreshed.
	wg.Go(func() {
		r := rand.New(rand.NewPCG(8, 8))
		for ops.Load() < total {
			svc.SetViewSize(r.IntN(40), r.IntN(40))
			svc.SetPlaying(r.IntN(2) == 0, true)
			svc.SetFullSize(r.IntN(3) == 0)
			svc.SetLook(look.Look{Channel: look.Channel(r.IntN(3)), Exposure: float64(r.IntN(3) - 1), Gamma: 1})
			svc.States()
			within()
			time.Sleep(300 * time.Microsecond)
		}
	})
	// Closed from two goroutines before the others are done.
	for range 2 {
		wg.Go(func() {
			for ops.Load() < total*9/10 {
				runtime.Gosched()
			}
			svc.Close()
		})
	}
	wg.Wait()
	<-svc.Done()
	within()
	if delivered.Load() == 0 || failed.Load() == 0 {
		t.Fatalf("delivered %d results, %d failures: the storm did not load frames", delivered.Load(), failed.Load())
	}
}

// latencyFS makes every Open wait, without any lock.
type latencyFS struct {
	fs.FS
	d time.Duration
}

func (l latencyFS) Open(name string) (fs.File, error) {
	time.Sleep(l.d)
	return l.FS.Open(name)
}

// TestStatesAgree: the one-pass States gives what State gives frame by
// frame.
func TestStatesAgree(t *testing.T) {
	base := flatFrames(30)
	base["5.png"] = &fstest.MapFile{Data: []byte("broken")}
	h := newHarness(t, base, slowfs.Config{}, Config{Preload: 3, CacheFrames: 5, CacheBytes: 1})
	for _, i := range []int{0, 1, 2, 3, 4, 5, 6, 7, 20} {
		h.showAndWait(i)
	}
	h.waitFor("read-ahead", func() bool { return h.svc.State(23) == StateDecoded })
	// Read-ahead may go on (a deeper plan, evictions) between the one-pass
	// snapshot and the per-frame calls: compare once the two snapshots
	// around the calls are the same and nothing is loading.
	var st []State
	var mismatch string
	h.waitFor("States and State to agree", func() bool {
		st = h.svc.States()
		mismatch = ""
		for i, got := range st {
			if want := h.svc.State(i); got != want && mismatch == "" {
				mismatch = fmt.Sprintf("frame %d: States says %v, State says %v", i, got, want)
			}
		}
		return mismatch == "" && slices.Equal(st, h.svc.States()) && !slices.Contains(st, StateLoading)
	}, func() string { return mismatch })
	seen := map[State]bool{}
	for _, got := range st {
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
	if (st.Views.Bytes > frameBudget && st.Views.Entries > st.ViewsFloor) || st.Raw.Bytes > rawBudget {
		t.Fatalf("caches over budget: %+v", st)
	}
	t.Logf("heap grew %.1f MiB; view cache %d frames %.1f MiB, bytes cache %.1f MiB", float64(grown)/(1<<20),
		st.Views.Entries, float64(st.Views.Bytes)/(1<<20), float64(st.Raw.Bytes)/(1<<20))
}

// TestPlayingReadsAheadAsDeepAsTheCache: playback's first frame already
// has the read-ahead of the cache's depth, whatever pace came before.
func TestPlayingReadsAheadAsDeepAsTheCache(t *testing.T) {
	const viewBytes = 32 * 18 * 4 // a flat frame, full size
	h := newHarness(t, flatFrames(20), slowfs.Config{}, Config{CacheFrames: 3, CacheBytes: 6 * viewBytes})
	h.showAndWait(4)
	h.svc.SetPlaying(true, false)
	for _, i := range []int{5, 6, 7, 8, 3} {
		h.waitFor(fmt.Sprintf("read-ahead of %d", i), func() bool { return h.svc.State(i) == StateDecoded })
	}
	if d := h.svc.Stats().Depth; d != 4 {
		t.Fatalf("playing: depth %d, want 4 (a cache of 6 less the current frame and one behind)", d)
	}
	if n := h.fs.Stats().OpensOf("10.png"); n != 0 {
		t.Fatalf("read past the cache's depth: 10.png opened %d times", n)
	}
	h.svc.SetPlaying(false, false)
	if d := h.svc.Stats().Depth; d != 2 {
		t.Fatalf("stopped: depth %d, want 2", d)
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
	if r := last(); r.Err == nil || r.Err.Reason != BeingWritten || r.Err.Name != "2.png" {
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
		if r.Err.Reason != BeingWritten {
			t.Fatalf("after the write completed: %v", r.Err)
		}
	}
}

// TestBackFromTheViewCache: view frames are small, so the view cache
// holds far more than its floor: going 40 frames forward and all the way
// back reads no file again and decodes nothing.
func TestBackFromTheViewCache(t *testing.T) {
	base := testframes.MapFS("%03d.png", 1, 50, func(i int) []byte {
		return testframes.Flat(320, 180, color.NRGBA{R: uint8(i), A: 255})
	})
	h := newHarness(t, base, slowfs.Config{}, Config{Preload: 2, CacheFrames: 10, RawBytes: -1})
	h.svc.SetViewSize(64, 36)
	for i := range 41 {
		h.showAndWait(i)
	}
	h.waitFor("read-ahead", func() bool { return h.svc.State(42) == StateDecoded })
	opens := h.fs.Stats().Opens
	for i := 40; i >= 0; i-- {
		r, ok := h.svc.Show(i)
		if !ok {
			t.Fatalf("frame %d was not in memory", i)
		}
		if got := redOf(t, r); got != i+1 {
			t.Fatalf("frame %d has red %d", i, got)
		}
	}
	if n := h.fs.Stats().Opens - opens; n != 0 {
		t.Fatalf("going back 40 frames opened %d files", n)
	}
	if st := h.svc.Stats(); st.Views.Bytes != int64(st.Views.Entries)*64*36*4 {
		t.Fatalf("the view cache counts %d bytes for %d frames of 64×36: more than their pixels", st.Views.Bytes, st.Views.Entries)
	}
}

// TestOutrunDecodesLatestAlone: asking for frames faster than they load (a
// held key) or jumping decodes only the frame asked for last until it is
// ready; then read-ahead decodes again.
func TestOutrunDecodesLatestAlone(t *testing.T) {
	h := newHarness(t, flatFrames(40), slowfs.Config{OpenLatency: 5 * time.Millisecond}, Config{Preload: 3})
	h.showAndWait(0)
	h.waitFor("read-ahead", func() bool { return h.svc.State(3) == StateDecoded })
	alone := func() bool { return h.svc.Stats().Alone }
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
		return h.svc.State(13) == StateLoading && h.svc.State(14) == StateLoading
	})
	h.svc.Show(10) // back: plan 10, 9, 8, 7, 11
	if st := h.svc.State(14); st == StateLoading {
		t.Error("the read of 15.png (index 14, 4 frames from 10, depth 3) goes on")
	}
	if st := h.svc.State(13); st != StateLoading {
		t.Errorf("the read of 14.png (index 13, 3 frames from 10, depth 3) was stopped by the flick back: %v", st)
	}
	h.waitFor("14.png read", func() bool { return h.svc.State(13) != StateLoading })
	if n := h.fs.Stats().OpensOf("14.png"); n != 1 {
		t.Errorf("14.png opened %d times: its read was restarted", n)
	}
}

// blockingFS is an fs.FS whose Open of one file blocks until released, as
// a share that stopped answering does.
type blockingFS struct {
	fs.FS
	name    string
	entered chan struct{} // closed when the blocking Open has started
	release chan struct{}
	once    sync.Once
}

func (b *blockingFS) Open(name string) (fs.File, error) {
	if name == b.name {
		b.once.Do(func() { close(b.entered) })
		<-b.release
	}
	return b.FS.Open(name)
}

// TestCloseDoesNotWaitForADeadShare: Close returns while a read is blocked
// in the file system; the reader ends once the share answers.
func TestCloseDoesNotWaitForADeadShare(t *testing.T) {
	defer goleak.VerifyNone(t)
	fsys := &blockingFS{FS: flatFrames(5), name: "1.png", entered: make(chan struct{}), release: make(chan struct{})}
	seqs, err := Scan(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(fsys, seqs[0], Config{})
	svc.Show(0)
	<-fsys.entered
	svc.Close() // must return with the Open still blocked
	select {
	case <-svc.Done():
		t.Fatal("Done before the blocked read returned")
	default:
	}
	close(fsys.release)
	<-svc.Done()
}

// TestStalledReadTimesOut: a read the share does not answer is given up
// on: the frame says timed out, another reader takes the blocked one's
// place and the next frames load.
func TestStalledReadTimesOut(t *testing.T) {
	defer func(d time.Duration) { readTimeout = d }(readTimeout)
	readTimeout = 50 * time.Millisecond
	fsys := &blockingFS{FS: flatFrames(5), name: "2.png", entered: make(chan struct{}), release: make(chan struct{})}
	defer close(fsys.release)
	seqs, err := Scan(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, fs: slowfs.New(fsys, slowfs.Config{}), changed: make(chan struct{}, 1)}
	h.svc = NewService(fsys, seqs[0], Config{Reads: 1, Preload: 1, Deliver: func(r Result) {
		h.mu.Lock()
		h.delivered = append(h.delivered, r)
		h.mu.Unlock()
		h.poke()
	}, Changed: h.poke})
	defer h.svc.Close()
	r := h.showAndWait(1)
	if r.Err == nil || r.Err.Reason != TimedOut || r.Err.Name != "2.png" {
		t.Fatalf("stalled read: %v, want timed out", r.Err)
	}
	if w := h.svc.Waiting(); w != 0 {
		t.Fatalf("Waiting = %v after the read was given up", w)
	}
	// One reader, blocked: only its replacement can read 3.png.
	if redOf(t, h.showAndWait(2)) != 3 {
		t.Fatal("wrong frame after the stalled one")
	}
}

// TestWaitingSaysTheShareIsSilent: while the read of the frame asked for
// hangs, Waiting grows; it is 0 when nothing is being read.
func TestWaitingSaysTheShareIsSilent(t *testing.T) {
	fsys := &blockingFS{FS: flatFrames(5), name: "3.png", entered: make(chan struct{}), release: make(chan struct{})}
	seqs, err := Scan(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(fsys, seqs[0], Config{})
	defer svc.Close()
	if w := svc.Waiting(); w != 0 {
		t.Fatalf("Waiting = %v before any request", w)
	}
	svc.Show(2)
	<-fsys.entered
	first := svc.Waiting()
	deadline := time.Now().Add(hangGuard)
	for svc.Waiting() <= first {
		if time.Now().After(deadline) {
			t.Fatal("Waiting does not grow while the share is silent")
		}
		runtime.Gosched()
	}
	close(fsys.release)
}
