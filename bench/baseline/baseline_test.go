package baseline

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"go.uber.org/goleak"

	"seqview/internal/slowfs"
	"seqview/internal/testframes"
	"seqview/loader"
)

// tiny returns a slow FS over n small frames 0001.png … and their sequence.
// The latencies are small: the tests count opens, they do not time loads.
func tiny(t *testing.T, n int) (*slowfs.FS, *loader.Sequence) {
	t.Helper()
	base := testframes.MapFS("%04d.png", 1, n, func(i int) []byte { return testframes.PNG(64, 36, i) })
	fsys := slowfs.New(base, slowfs.Config{OpenLatency: time.Millisecond, ReadLatency: time.Millisecond})
	seqs, err := loader.Scan(base, ".")
	if err != nil {
		t.Fatal(err)
	}
	return fsys, seqs[0]
}

func checkFrame(t *testing.T, f *loader.Decoded, err error, i int) {
	t.Helper()
	if err != nil {
		t.Fatalf("Load(%d): %v", i, err)
	}
	want := fmt.Sprintf("%04d.png", i+1)
	if f.Name != want || f.Info.Width != 64 || f.Info.Height != 36 || f.View.Rect.Dx() != 32 || f.View.Rect.Dy() != 18 {
		t.Fatalf("Load(%d) = %s, full %d×%d, view %v; want %s, 64×36 scaled to 32×18",
			i, f.Name, f.Info.Width, f.Info.Height, f.View.Rect, want)
	}
}

func TestNoCacheReadsEveryTime(t *testing.T) {
	fsys, seq := tiny(t, 3)
	l := NewNoCache(fsys, seq, 32, 18)
	defer l.Close()
	for _, i := range []int{0, 1, 0, 0} {
		f, err := l.Load(i)
		checkFrame(t, f, err, i)
	}
	st := fsys.Stats()
	if st.Opens != 4 || st.OpensOf(seq.Path(0)) != 3 {
		t.Errorf("opens = %d (frame 0: %d), want 4 (3): NoCache keeps nothing", st.Opens, st.OpensOf(seq.Path(0)))
	}
}

func TestSimpleCachesAndPreloads(t *testing.T) {
	defer goleak.VerifyNone(t)
	fsys, seq := tiny(t, 5)
	l := NewSimple(fsys, seq, 32, 18)
	for i := range 5 {
		f, err := l.Load(i)
		checkFrame(t, f, err, i)
	}
	f, err := l.Load(2)
	checkFrame(t, f, err, 2)
	l.Close() // waits for the preloads, so the counts below are final
	st := fsys.Stats()
	for i := range 5 {
		if n := st.OpensOf(seq.Path(i)); n != 1 {
			t.Errorf("frame %d opened %d times, want 1: the map keeps every frame and the preload shares it", i, n)
		}
	}
}

// TestSimplePreloadHoldsTheLock shows the flaw Simple exists to measure:
// after a request, the preload of the next frame holds the one mutex for a
// whole load, so the next request waits for it even though it is then
// answered from the map.
func TestSimplePreloadHoldsTheLock(t *testing.T) {
	defer goleak.VerifyNone(t)
	// One read request of 300 ms per frame; the preload is seen once it
	// has opened its file, so it still holds the lock for that read.
	const read = 300 * time.Millisecond
	base := testframes.MapFS("%04d.png", 1, 3, func(i int) []byte { return testframes.PNG(64, 36, i) })
	fsys := slowfs.New(base, slowfs.Config{ReadLatency: read})
	seqs, err := loader.Scan(base, ".")
	if err != nil {
		t.Fatal(err)
	}
	l := NewSimple(fsys, seqs[0], 0, 0)
	defer l.Close()
	if _, err := l.Load(0); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); fsys.Stats().Opens < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the preload of frame 1 never opened its file")
		}
	}
	start := time.Now()
	if _, err := l.Load(1); err != nil {
		t.Fatal(err)
	}
	// A third of the read is margin for a busy machine: without the
	// shared lock the answer would take microseconds.
	if took := time.Since(start); took < read/3 {
		t.Errorf("Load(1) during its preload took %v, want about %v: it should wait for the preload's lock", took, read)
	}
	if n := fsys.Stats().OpensOf(seqs[0].Path(1)); n != 1 {
		t.Errorf("frame 1 opened %d times, want 1: the request is answered by the preload's load", n)
	}
}

func TestSimpleConcurrentLoads(t *testing.T) {
	defer goleak.VerifyNone(t)
	fsys, seq := tiny(t, 8)
	l := NewSimple(fsys, seq, 32, 18)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range 8 {
				i := (g + k) % 8
				f, err := l.Load(i)
				checkFrame(t, f, err, i)
			}
		})
	}
	wg.Wait()
	if n := l.Cached(); n != 8 {
		t.Errorf("Cached() = %d, want 8", n)
	}
	l.Close()
	if st := fsys.Stats(); st.Opens != 8 {
		t.Errorf("opens = %d, want 8: one mutex serialises every load, so no frame is read twice", st.Opens)
	}
	if _, err := l.Load(0); err == nil || !strings.HasPrefix(err.Error(), "baseline: ") {
		t.Errorf("Load after Close: err = %v, want a baseline: error", err)
	}
}

func TestErrors(t *testing.T) {
	fsys, seq := tiny(t, 2)
	for _, l := range []Loader{NewNoCache(fsys, seq, 0, 0), NewSimple(fsys, seq, 0, 0)} {
		if _, err := l.Load(5); err == nil || !strings.Contains(err.Error(), "baseline: no frame 5") {
			t.Errorf("%T.Load(5): err = %v, want no frame 5", l, err)
		}
		l.Close()
	}
	// A file that is not an image: the error names it.
	base := fstest.MapFS{"0001.png": {Data: []byte("not a png")}}
	seqs, err := loader.Scan(base, ".")
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewNoCache(base, seqs[0], 0, 0).Load(0)
	if err == nil || !strings.HasPrefix(err.Error(), "baseline: 0001.png: decode: ") {
		t.Errorf("Load of a broken file: err = %v, want baseline: 0001.png: decode: …", err)
	}
	// A file that vanished after the scan: the read error names it.
	seq2 := &loader.Sequence{Dir: ".", Frames: []loader.Frame{{Name: "gone.png"}}}
	_, err = NewNoCache(base, seq2, 0, 0).Load(0)
	if err == nil || !strings.HasPrefix(err.Error(), "baseline: ") || !strings.Contains(err.Error(), "gone.png") {
		t.Errorf("Load of a missing file: err = %v, want baseline: … gone.png …", err)
	}
}
