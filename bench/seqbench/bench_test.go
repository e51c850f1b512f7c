package seqbench

import (
	"os"
	"sync"
	"testing"
)

// benchEnv is the 4K sequence over the default share, made once per test
// binary: generating the frames (the first time) and measuring the cold
// load take long enough not to repeat per benchmark.
var benchEnv = sync.OnceValues(func() (*Env, error) {
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	if err := EnsureFrames(dir, DefaultFrames, Width4K, Height4K, nil); err != nil {
		return nil, err
	}
	base := os.DirFS(dir)
	seq, err := FirstFrames(base, DefaultFrames)
	if err != nil {
		return nil, err
	}
	return NewEnv(base, seq, DefaultSlow, DefaultViewW, DefaultViewH)
})

// BenchmarkWorkloads runs each workload with each strategy, one pass per
// iteration (a pass takes seconds, so the default -benchtime makes one),
// and reports the figures of the table as metrics, averaged over the
// passes. ns/op is the length of a pass, which the workload fixes; the
// metrics are what compare. The first run generates the 4K sequence into
// the user cache folder, which takes a minute.
func BenchmarkWorkloads(b *testing.B) {
	if testing.Short() {
		b.Skip("seqbench: a pass takes seconds to minutes; not with -short")
	}
	env, err := benchEnv()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("cold load %v (read %v, decode %v), mean file %d bytes", env.Cold.Load(), env.Cold.Read, env.Cold.Decode, env.MeanFileBytes)
	for _, w := range Workloads(env.Seq.Len(), Pace(env.Cold.Load()), 1) {
		b.Run(w.Name, func(b *testing.B) {
			for _, s := range Strategies {
				b.Run(s.String(), func(b *testing.B) {
					var sum struct{ hit, med, p95, reads, mb, heap, settle, fps float64 }
					for b.Loop() {
						r, err := Run(env, s, w)
						if err != nil {
							b.Fatal(err)
						}
						if r.Errors > 0 {
							b.Fatalf("%d requests failed, first: %v", r.Errors, r.FirstErr)
						}
						sum.hit += 100 * r.HitRate
						sum.med += r.Median.Seconds() * 1e3
						sum.p95 += r.P95.Seconds() * 1e3
						sum.reads += r.ReadsPerStep()
						sum.mb += float64(r.FS.Bytes) / 1e6
						sum.heap += float64(r.PeakHeap) / 1e6
						sum.settle += r.Settle.Seconds() * 1e3
						sum.fps += r.FPS
					}
					n := float64(b.N)
					b.ReportMetric(sum.hit/n, "hit-%")
					b.ReportMetric(sum.med/n, "median-ms")
					b.ReportMetric(sum.p95/n, "p95-ms")
					b.ReportMetric(sum.reads/n, "reads/step")
					b.ReportMetric(sum.mb/n, "MB-read")
					b.ReportMetric(sum.heap/n, "peak-heap-MB")
					if w.Held {
						b.ReportMetric(sum.settle/n, "settle-ms")
					}
					if w.Play != nil {
						b.ReportMetric(sum.fps/n, "fps")
					}
				})
			}
		})
	}
}
