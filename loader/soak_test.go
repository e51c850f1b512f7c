package loader_test

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"seqview/internal/testframes"
	"seqview/loader"
)

// BenchmarkSoak makes 10,000 steps over 60 4K frames — a third stepping
// forward, a third back and forth, a third random jumps, one every 5 ms and
// waiting for every 50th frame so decodes really happen — with the app's
// default budgets (at least 10 view frames, 512 MB of them, 128 MB of file
// bytes) and its memory limit, set as the app sets it from what the caches
// hold. It reports the peak RSS against what the caches held at that moment
// + 200 MB, the RSS of each quarter of the run (it must not grow), and
// goroutines before and after.
func BenchmarkSoak(b *testing.B) {
	if testing.Short() {
		b.Skip("minutes of 4K decoding")
	}
	dir, err := testframes.Ensure4K(60, nil)
	if err != nil {
		b.Fatal(err)
	}
	fsys := loader.DirFS(dir)
	seqs, err := loader.Scan(fsys, ".")
	if err != nil {
		b.Fatal(err)
	}
	// The RSS must stay within what the caches hold plus this (in MiB).
	const cacheMB, rawMB, headroomMB, steps = 512, 128, 200, 10_000
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	for b.Loop() {
		goroutines := runtime.NumGoroutine()
		var latest atomic.Int64
		ready := make(chan struct{}, 1)
		svc := loader.NewService(fsys, seqs[0], loader.Config{CacheBytes: cacheMB << 20, RawBytes: rawMB << 20,
			Deliver: func(r loader.Result) {
				if int64(r.Index) == latest.Load() {
					select {
					case ready <- struct{}{}:
					default:
					}
				}
			}})
		svc.SetViewSize(1280, 720)

		var mu sync.Mutex
		var samples []int64 // RSS in bytes, every 100 ms
		var over int64      // the largest RSS − held seen
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					// As the app does: the memory limit follows what the
					// caches hold.
					held := svc.Stats().Held()
					debug.SetMemoryLimit(loader.MemoryLimit(held))
					r := rss()
					mu.Lock()
					samples = append(samples, r)
					over = max(over, r-held)
					mu.Unlock()
				}
			}
		}()

		r := rand.New(rand.NewPCG(1, 2))
		i, n := 0, seqs[0].Len()
		quarters := make([]int, 0, 4)
		for k := range steps {
			switch {
			case k < steps/3:
				i = (i + 1) % n
			case k < 2*steps/3:
				if (k/5)%2 == 0 {
					i = min(i+1, n-1)
				} else {
					i = max(i-1, 0)
				}
			default:
				i = r.IntN(n)
			}
			latest.Store(int64(i))
			if _, ok := svc.Show(i); !ok && k%50 == 0 {
				select {
				case <-ready:
				case <-time.After(30 * time.Second):
					b.Fatalf("step %d: frame %d never came", k, i)
				}
			} else {
				time.Sleep(5 * time.Millisecond)
			}
			if (k+1)%(steps/4) == 0 {
				mu.Lock()
				quarters = append(quarters, len(samples))
				mu.Unlock()
			}
		}
		svc.Close()
		close(stop)
		<-sampled

		var peak int64
		for _, s := range samples {
			peak = max(peak, s)
		}
		mean := func(from, to int) float64 {
			var sum int64
			for _, s := range samples[from:to] {
				sum += s
			}
			return float64(sum) / float64(max(to-from, 1)) / (1 << 20)
		}
		from := 0
		for q, to := range quarters {
			b.Logf("quarter %d: mean RSS %.0f MiB", q+1, mean(from, to))
			from = to
		}
		<-svc.Done() // every goroutine of the service has ended
		// In MiB, the unit of the budgets (-cache-mb 512 is 512 << 20
		// bytes): the peak was once reported in 10⁶ bytes against a limit
		// in MiB, which made a 36 MiB margin look like 2.
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
		b.ReportMetric(float64(over)/(1<<20), "peak-RSS-over-held-MiB")
		b.ReportMetric(headroomMB, "limit-over-held-MiB")
		b.ReportMetric(mean(quarters[2], quarters[3])-mean(0, quarters[0]), "RSS-growth-MiB")
		b.ReportMetric(float64(runtime.NumGoroutine()-goroutines), "goroutines-left")
		st := svc.Stats()
		b.ReportMetric(100*st.Views.HitRate(), "hit-%")
	}
}

// rss is the process's resident memory, from /proc.
func rss() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if line := s.Bytes(); bytes.HasPrefix(line, []byte("VmRSS:")) {
			kb, _ := strconv.ParseInt(string(bytes.Fields(line[6:])[0]), 10, 64)
			return kb << 10
		}
	}
	return 0
}
