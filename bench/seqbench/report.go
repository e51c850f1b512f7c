package seqbench

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Target is one goal of the loader's design, checked on Ours's results.
type Target struct {
	Name   string
	Pass   bool
	Detail string // the figures behind the verdict
}

func (t Target) String() string {
	v := "MISS"
	if t.Pass {
		v = "PASS"
	}
	return fmt.Sprintf("%s %s: %s", v, t.Name, t.Detail)
}

// The goals, from the design notes and the issue.
const (
	goalForwardHits = 0.95 // forward at a human pace, hits after the first frame
	goalSettle      = 1.2  // held key: settle within this many cold loads
	goalPlayback    = 0.90 // playback: this share of the bound
	nearBack        = 9    // back this many frames: the decoded cache
	farBack         = 40   // back up to this many: the bytes cache
)

// PlaybackBound is the fastest every-frame playback the machine could
// sustain: the share's bandwidth over the mean file size, or the cores over
// one frame's decode time, whichever is lower.
func PlaybackBound(env *Env) (fps, byLink, byCPU float64) {
	byLink = float64(env.Slow.BytesPerSecond) / float64(env.MeanFileBytes)
	if env.Slow.BytesPerSecond <= 0 {
		byLink = 0 // unlimited
	}
	byCPU = float64(runtime.NumCPU()) / env.Cold.Decode.Seconds()
	fps = byCPU
	if byLink > 0 {
		fps = min(byLink, byCPU)
	}
	return fps, byLink, byCPU
}

// find returns the result of workload w with strategy s, nil if absent.
func find(results []*Result, w string, s Strategy) *Result {
	for _, r := range results {
		if r.Workload == w && r.Strategy == s {
			return r
		}
	}
	return nil
}

// BackReads counts the files opened again after the turn of res's workload
// for the frames requested dist frames behind the turning point, lo ≤ dist
// ≤ hi, and lists those frames.
func BackReads(res *Result, lo, hi int) (opens int, frames []int) {
	if res.Turn < 1 || res.OpensBeforeTurn == nil {
		return 0, nil
	}
	top := res.Requests[res.Turn-1].Frame
	seen := map[int]bool{}
	for _, r := range res.Requests[res.Turn:] {
		d := top - r.Frame
		if d < lo || d > hi || seen[r.Frame] {
			continue
		}
		seen[r.Frame] = true
		if n := res.Opens[r.Frame] - res.OpensBeforeTurn[r.Frame]; n > 0 {
			opens += n
			frames = append(frames, r.Frame)
		}
	}
	return opens, frames
}

// backRange reports whether res's workload went back as far as lo frames.
func backRange(res *Result, lo int) bool {
	if res.Turn < 1 {
		return false
	}
	top := res.Requests[res.Turn-1].Frame
	return slices.ContainsFunc(res.Requests[res.Turn:], func(r Request) bool { return top-r.Frame >= lo })
}

// Targets checks Ours's results against the design's goals. A goal whose
// workload was not run is left out.
func Targets(env *Env, results []*Result) []Target {
	var ts []Target
	if r := find(results, "forward", Ours); r != nil {
		ts = append(ts, Target{
			Name:   fmt.Sprintf("forward at a human pace: ≥ %.0f %% hits after the first frame", 100*goalForwardHits),
			Pass:   r.HitRate >= goalForwardHits,
			Detail: fmt.Sprintf("%.0f %% (%d of %d)", 100*r.HitRate, r.Hits, len(r.Requests)-1),
		})
	}
	backTarget := func(name string, lo, hi int, workloads ...string) {
		t := Target{Name: name, Pass: true}
		var parts []string
		for _, w := range workloads {
			r := find(results, w, Ours)
			if r == nil || !backRange(r, lo) {
				continue
			}
			n, frames := BackReads(r, lo, hi)
			p := fmt.Sprintf("%s %d opens", w, n)
			if n > 0 {
				t.Pass = false
				p += fmt.Sprintf(" (frames %s)", ints(frames))
			}
			parts = append(parts, p)
		}
		if len(parts) > 0 {
			t.Detail = strings.Join(parts, "; ")
			ts = append(ts, t)
		}
	}
	backTarget(fmt.Sprintf("back 1–%d frames costs no read", nearBack), 1, nearBack, "fwd-back", "far-back")
	backTarget(fmt.Sprintf("back %d–%d frames costs no read (bytes cache)", nearBack+1, farBack), nearBack+1, farBack, "far-back")
	if r := find(results, "held-key", Ours); r != nil {
		limit := time.Duration(goalSettle * float64(env.Cold.Load()))
		ts = append(ts, Target{
			Name: fmt.Sprintf("held key settles within %.1f × cold load", goalSettle),
			Pass: r.Settle >= 0 && r.Settle <= limit,
			Detail: fmt.Sprintf("%s after the last request (limit %s; %d requests over %s)",
				ms(r.Settle), ms(limit), len(r.Requests), ms(r.Requests[len(r.Requests)-1].At)),
		})
	}
	{
		t := Target{Name: "no file read twice while cached (per-file opens)", Pass: true}
		var parts []string
		for _, w := range []string{"forward", "fwd-back", "far-back"} {
			r := find(results, w, Ours)
			if r == nil {
				continue
			}
			var twice []int
			for i, n := range r.Opens {
				if n > 1 {
					twice = append(twice, i)
				}
			}
			p := fmt.Sprintf("%s max %d", w, slices.Max(r.Opens))
			if len(twice) > 0 {
				t.Pass = false
				p += fmt.Sprintf(" (frames %s)", ints(twice))
			}
			parts = append(parts, p)
		}
		if len(parts) > 0 {
			t.Detail = strings.Join(parts, "; ")
			ts = append(ts, t)
		}
	}
	if r := find(results, "playback", Ours); r != nil {
		bound, byLink, byCPU := PlaybackBound(env)
		ts = append(ts, Target{
			Name: fmt.Sprintf("playback ≥ %.0f %% of the bound", 100*goalPlayback),
			Pass: r.FPS >= goalPlayback*bound,
			Detail: fmt.Sprintf("%.1f fps of %.1f (%.0f %%); bound = min(link %.1f MB/s ÷ %.2f MB = %.1f, %d cores ÷ %s decode = %.1f); "+
				"measured: all cores decoding %.1f frames/s, decode+scale during playback %s a frame",
				r.FPS, bound, 100*r.FPS/bound,
				float64(env.Slow.BytesPerSecond)/1e6, float64(env.MeanFileBytes)/1e6, byLink,
				runtime.NumCPU(), ms(env.Cold.Decode), byCPU, env.DecodeRate, ms(r.MeanDecode)),
		})
	}
	return ts
}

// Markdown is the report of the workloads alone: the setting, the table,
// ours ÷ baseline ratios and the targets.
func Markdown(env *Env, results []*Result) string {
	return (&Report{Env: env, Results: results}).Markdown()
}

// Report is a whole run: the workloads with every strategy (the previous
// engine's rows included) and the scenarios run, each nil if not run.
type Report struct {
	Env      *Env
	Results  []*Result
	Previous *PreviousRun
	Loop     *Loop
	Disk     *DiskTier
	Compare  *Compare
	// Notes are said under the setting (e.g. a scenario skipped, and why).
	Notes []string
}

// Targets are every goal checked on the run.
func (rep *Report) Targets() []Target {
	ts := Targets(rep.Env, rep.Results)
	if rep.Loop != nil {
		ts = append(ts, rep.Loop.Targets()...)
	}
	if rep.Disk != nil {
		ts = append(ts, rep.Disk.Targets()...)
	}
	return ts
}

// Markdown is the whole report: the setting, the table, ours ÷ baseline
// ratios, the scenarios' tables and the targets.
func (rep *Report) Markdown() string {
	var b strings.Builder
	b.WriteString("# seqview loader benchmark\n\n")
	b.WriteString(Setting(rep.Env))
	if p := rep.Previous; p != nil {
		if p.Skipped != "" {
			fmt.Fprintf(&b, "- previous (%s): not run: %s\n", p.Rev, p.Skipped)
		} else {
			fmt.Fprintf(&b, "- previous: the loader at %s (%s, full-resolution decode then scale, 10 decoded frames), run by that revision's own benchmark (strategy ours) from a git worktree on the same frames and share; its workloads are paced from its own cold load:\n",
				p.Rev, p.Commit[:min(len(p.Commit), 12)])
			for _, s := range p.Setting {
				fmt.Fprintf(&b, "  - %s\n", s)
			}
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	if len(rep.Results) > 0 {
		b.WriteString("\n")
		b.WriteString(Table(rep.Results))
		if rt := Ratios(rep.Results); rt != "" {
			b.WriteString("\nOurs ÷ baseline (below 1: ours is faster):\n\n")
			b.WriteString(rt)
		}
	}
	if rep.Loop != nil {
		b.WriteString("\n## Loops from memory\n\n")
		b.WriteString(rep.Loop.Markdown())
	}
	if rep.Disk != nil {
		b.WriteString("\n## Local-disk tier: first and second visit\n\n")
		b.WriteString(rep.Disk.Markdown(rep.Env))
	}
	if rep.Compare != nil {
		b.WriteString("\n## Compare: the cost of the second side\n\n")
		b.WriteString(rep.Compare.Markdown(rep.Env))
	}
	if ts := rep.Targets(); len(ts) > 0 {
		b.WriteString("\nTargets (ours):\n\n")
		for _, t := range ts {
			fmt.Fprintf(&b, "- %s\n", t)
		}
	}
	return b.String()
}

// Setting describes what the runs were made on.
func Setting(env *Env) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- Sequence: %d frames (%s), mean file %.2f MB; view %d×%d.\n",
		env.Seq.Len(), env.Seq.Pattern(), float64(env.MeanFileBytes)/1e6, env.ViewW, env.ViewH)
	bw := "unlimited"
	if env.Slow.BytesPerSecond > 0 {
		bw = fmt.Sprintf("%g MB/s", float64(env.Slow.BytesPerSecond)/1e6)
	}
	chunk := env.Slow.ChunkSize
	if chunk <= 0 {
		chunk = 1 << 20
	}
	fmt.Fprintf(&b, "- Share (in-process slowfs): %s per open, %s per read request of %d KiB, %s shared by all reads.\n",
		ms(env.Slow.OpenLatency), ms(env.Slow.ReadLatency), chunk>>10, bw)
	fmt.Fprintf(&b, "- Ours: loader.Service, %s, view size set with SetViewSize. "+
		"nocache: read, decode and scale every request on the UI goroutine. "+
		"simple: unbounded map of decoded frames, one lock held across every load, preload of n+1 after each request.\n",
		loaderConfig(env))
	fmt.Fprintf(&b, "- Cold load of one frame: %s (read %s + decode and scale %s, median of %d); human pace: a step every %s.\n",
		ms(env.Cold.Load()), ms(env.Cold.Read), ms(env.Cold.Decode), coldSamples, ms(Pace(env.Cold.Load())))
	fmt.Fprintf(&b, "- Machine: %d cores, GOMAXPROCS %d, %s %s/%s; decoding on every core at once (frames in memory): %.1f frames/s.\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, env.DecodeRate)
	fmt.Fprintf(&b, "- A hit is a frame ready within %s of its request, counted after the first request. "+
		"Latencies are from request to frame ready, over the requests not dropped (overtaken by the next request first). "+
		"Reads/step: files opened ÷ requests. MB = 10⁶ bytes, as in the link's MB/s. Peak heap: live and not yet collected heap objects (HeapAlloc), sampled every 5 ms, over the heap the harness holds itself at the start of the run (its in-memory share: previous is measured by its own revision's harness, as that counted it); ours runs under the memory limit the app sets from what its caches hold (loader.MemoryLimit, on top of the harness's heap), the others under GOGC alone.\n",
		ms(HitWithin))
	return b.String()
}

// Table formats results as a markdown table, in the order given.
func Table(results []*Result) string {
	var b strings.Builder
	b.WriteString("| workload | strategy | requests | hits | dropped | median ms | p95 ms | reads/step | MB read | peak heap MB | settle ms | fps |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range results {
		settle, fps := "", ""
		if r.Held {
			settle = msNum(r.Settle)
		}
		if r.Playback {
			fps = fmt.Sprintf("%.1f", r.FPS)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.0f %% | %d | %s | %s | %.2f | %.0f | %.0f | %s | %s |\n",
			r.Workload, r.Strategy, r.Count(), 100*r.HitRate, r.Dropped,
			msNum(r.Median), msNum(r.P95), r.ReadsPerStep(), float64(r.FS.Bytes)/1e6,
			float64(r.PeakHeap)/1e6, settle, fps)
	}
	for _, r := range results {
		if r.Errors > 0 {
			fmt.Fprintf(&b, "\n%s/%s: %d requests failed, first: %v\n", r.Workload, r.Strategy, r.Errors, r.FirstErr)
		}
	}
	return b.String()
}

// Ratios formats ours ÷ each baseline for the median latency, the settle
// time (held key) and the playback rate, one row per workload run with
// ours and a baseline.
func Ratios(results []*Result) string {
	var b strings.Builder
	rows := 0
	var workloads []string
	var bases []Strategy
	for _, r := range results {
		if !slices.Contains(workloads, r.Workload) {
			workloads = append(workloads, r.Workload)
		}
	}
	for _, s := range []Strategy{NoCache, Simple, Previous} {
		if slices.ContainsFunc(results, func(r *Result) bool { return r.Strategy == s }) {
			bases = append(bases, s)
		}
	}
	if len(bases) == 0 {
		return ""
	}
	head := []string{"workload"}
	for _, fig := range []string{"median", "settle", "fps"} {
		for _, s := range bases {
			head = append(head, fig+" ÷ "+s.String())
		}
	}
	b.WriteString("| " + strings.Join(head, " | ") + " |\n")
	b.WriteString("|---" + strings.Repeat("|--:", len(head)-1) + "|\n")
	for _, w := range workloads {
		ours := find(results, w, Ours)
		if ours == nil {
			continue
		}
		cells := []string{w}
		filled := false
		for f, fig := range []func(*Result) (float64, bool){
			func(r *Result) (float64, bool) { return r.Median.Seconds(), r.Median >= 0 },
			func(r *Result) (float64, bool) { return r.Settle.Seconds(), r.Held && r.Settle >= 0 },
			func(r *Result) (float64, bool) { return r.FPS, r.Playback },
		} {
			for _, s := range bases {
				base := find(results, w, s)
				cell := "–"
				if base != nil {
					o, ok1 := fig(ours)
					v, ok2 := fig(base)
					if ok1 && ok2 && v > 0 {
						cell = ratio(o / v)
						filled = true
						// Two cache hits differ by scheduling noise, not by strategy.
						if f == 0 && ours.Median <= HitWithin && base.Median <= HitWithin {
							cell += " (both hits)"
						}
					}
				}
				cells = append(cells, cell)
			}
		}
		if filled {
			rows++
			b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
	}
	if rows == 0 {
		return ""
	}
	return b.String()
}

func ratio(x float64) string {
	if x < 0.001 {
		return "< 0.001"
	}
	return fmt.Sprintf("%.3g", x)
}

// ms formats d in milliseconds with its unit.
func ms(d time.Duration) string {
	if d < 0 {
		return "never"
	}
	return msNum(d) + " ms"
}

// msNum formats d in milliseconds, one decimal below 10 ms.
func msNum(d time.Duration) string {
	if d < 0 {
		return "–"
	}
	v := float64(d) / float64(time.Millisecond)
	if v < 10 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func ints(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// Trace lists every request of res with its times in milliseconds, to see
// where a figure comes from.
func Trace(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s: frame, asked, taken, ready, latency, its decode (ms)\n", res.Workload, res.Strategy)
	for _, r := range res.Requests {
		note := ""
		if r.Dropped {
			note = " dropped"
		}
		if r.Err != nil {
			note += " error: " + r.Err.Error()
		}
		fmt.Fprintf(&b, "  %3d %8s %8s %8s %8s %6s%s\n", r.Frame, msNum(r.At), msNum(r.Start), msNum(r.Ready), msNum(r.Latency()), msNum(r.Decode), note)
	}
	return b.String()
}

// loaderConfig describes the Config Ours runs with: the fields set, or the
// defaults.
func loaderConfig(env *Env) string {
	c := env.Loader
	var set []string
	if c.CacheFrames != 0 {
		set = append(set, fmt.Sprintf("at least %d view frames", c.CacheFrames))
	}
	if c.CacheBytes != 0 {
		set = append(set, fmt.Sprintf("%d MiB of view frames", c.CacheBytes>>20))
	}
	if c.RawBytes != 0 {
		set = append(set, fmt.Sprintf("%d MiB of file bytes", c.RawBytes>>20))
	}
	if c.Reads != 0 {
		set = append(set, fmt.Sprintf("%d reads", c.Reads))
	}
	if c.Decoders != 0 {
		set = append(set, fmt.Sprintf("%d decoders", c.Decoders))
	}
	if c.Preload != 0 {
		set = append(set, fmt.Sprintf("read-ahead %d", c.Preload))
	}
	if len(set) == 0 {
		return "Config defaults (at least 10 view frames, 512 MiB of view frames, 128 MiB of file bytes, 4 reads, a decoder per core, adaptive read-ahead)"
	}
	return "Config defaults except " + strings.Join(set, ", ")
}
