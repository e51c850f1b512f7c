// Command seqbench runs the loader benchmark: every workload with seqview's
// loader and with the baseline strategies, over a generated 4K sequence read
// through an in-process slow share. It prints a markdown table, ours ÷
// baseline ratios and the design targets (PASS/MISS) to stdout and writes
// the same to -o.
//
// Beside the loader's baselines, the table has the previous engine
// (-previous, a git revision): that revision's own benchmark, built in a
// temporary git worktree and run on the same frames and share with its
// own loader. After the table come three scenarios (-scenarios):
//
//   - loop: 48 frames played every frame at 24 fps, two passes, with the
//     loader told playback loops: the second pass from memory, the first
//     from the share against its bound;
//   - disk: first and second visit with the local-disk tier (cache/disk)
//     on a share whose stat is as slow as an open, and the tier's cost on
//     the first visit's playback;
//   - compare: a second sequence of other pictures compared with the
//     first, two loaders sharing the budgets as the app makes them, against
//     one sequence alone.
//
// The sequences are generated once into the user's cache folder (minutes
// on two cores) and reused. A full run takes many minutes: the blocking
// baselines take tens of seconds to work through a held key, by design.
// -quick runs ours and the previous engine on two workloads and shorter
// scenarios, a first look in a few minutes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"seqview/bench/seqbench"
	"seqview/internal/slowfs"
	"seqview/loader"
)

func main() {
	out := flag.String("o", "../docs/bench.md", "write the report here too (\"\" or - for stdout only)")
	dir := flag.String("dir", "", "folder of the 4K sequence (default: the user cache folder's seqview/bench-4k-v1)")
	dirB := flag.String("dir-b", "", "folder of the second 4K sequence, compared with the first (default: the first's folder name + \"-b\", beside it)")
	frames := flag.Int("frames", seqbench.DefaultFrames, "frames in the sequence")
	def := seqbench.DefaultSlow
	open := flag.Duration("open", def.OpenLatency, "slow share: latency of each open")
	read := flag.Duration("read", def.ReadLatency, "slow share: latency of each read request")
	chunk := flag.Int("chunk", def.ChunkSize, "slow share: bytes per read request")
	mbps := flag.Float64("mbps", float64(def.BytesPerSecond)/1e6, "slow share: bandwidth in MB/s (10⁶ bytes) shared by all reads; 0 unlimited")
	view := flag.String("view", fmt.Sprintf("%dx%d", seqbench.DefaultViewW, seqbench.DefaultViewH), "view size frames are scaled to fit")
	seed := flag.Uint64("seed", 1, "seed of the random jumps")
	workloads := flag.String("workloads", "", "comma-separated workloads to run (default all): forward,fwd-back,far-back,random,held-key,playback")
	strategies := flag.String("strategies", "", "comma-separated strategies to run (default all): ours,nocache,simple,previous")
	scenarios := flag.String("scenarios", "", "comma-separated parts to run (default all): table (the workloads × strategies), loop, disk, compare")
	previous := flag.String("previous", seqbench.DefaultPreviousRev, "git revision of the previous engine, run as the strategy previous (\"none\" to skip)")
	repo := flag.String("repo", ".", "a folder of the git repository holding -previous")
	loopN := flag.Int("loop", seqbench.LoopFrames, "loop: frames in the loop")
	diskN := flag.Int("disk-frames", 0, "disk: frames visited (0: -frames)")
	compareN := flag.Int("compare-frames", 0, "compare: frames of each sequence (0: -frames)")
	rounds := flag.Int("disk-rounds", 2, "disk: playback runs with and without the tier, alternated")
	quick := flag.Bool("quick", false, "a first look in a few minutes, not figures to publish: ours and previous on forward and playback, 20-frame disk and compare scenarios, one disk round")
	verbose := flag.Bool("v", false, "print every request's times to stderr")
	// The loader's Config, for trying other settings; 0 keeps its default.
	var cfg loader.Config
	flag.IntVar(&cfg.CacheFrames, "cache", 0, "ours: view frames always kept (0: the loader's default)")
	cacheMB := flag.Int64("cache-mb", 0, "ours: view frames' budget in MiB (0: default)")
	rawMB := flag.Int64("raw-mb", 0, "ours: file bytes' budget in MiB (0: default, < 0: none)")
	flag.IntVar(&cfg.Reads, "reads", 0, "ours: reads in flight (0: default)")
	flag.IntVar(&cfg.Decoders, "decoders", 0, "ours: decodes at once (0: default)")
	flag.IntVar(&cfg.Preload, "preload", 0, "ours: read-ahead depth (0: adaptive)")
	flag.Parse()
	cfg.CacheBytes, cfg.RawBytes = *cacheMB<<20, *rawMB<<20

	var vw, vh int
	if _, err := fmt.Sscanf(*view, "%dx%d", &vw, &vh); err != nil {
		fatal(fmt.Errorf("seqbench: -view %q: want WxH, e.g. 1280x720", *view))
	}
	o := options{
		out: *out, dir: *dir, dirB: *dirB, frames: *frames, vw: vw, vh: vh, seed: *seed,
		slow:      slowfs.Config{OpenLatency: *open, ReadLatency: *read, ChunkSize: *chunk, BytesPerSecond: int64(*mbps * 1e6)},
		workloads: list(*workloads), strategies: list(*strategies), scenarios: list(*scenarios),
		previous: *previous, repo: *repo, loop: *loopN, disk: *diskN, compare: *compareN, rounds: *rounds,
		verbose: *verbose, cfg: cfg,
	}
	if o.previous == "none" {
		o.previous = ""
	}
	if *quick {
		if o.workloads == nil {
			o.workloads = []string{"forward", "playback"}
		}
		if o.strategies == nil {
			o.strategies = []string{"ours", "previous"}
		}
		if o.disk == 0 {
			o.disk = 20
		}
		if o.compare == 0 {
			o.compare = 20
		}
		o.rounds = 1
	}
	if o.disk == 0 {
		o.disk = o.frames
	}
	if o.compare == 0 {
		o.compare = o.frames
	}
	if err := run(o); err != nil {
		fatal(err)
	}
}

// options are the command line's.
type options struct {
	out, dir, dirB              string
	frames                      int
	slow                        slowfs.Config
	vw, vh                      int
	seed                        uint64
	workloads, strategies       []string
	scenarios                   []string
	previous, repo              string
	loop, disk, compare, rounds int
	verbose                     bool
	cfg                         loader.Config
}

// fatal reports err, which starts with "seqbench: " like every error of
// the command and its package, and exits.
func fatal(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// wants reports whether the list asks for name (a nil list asks for all).
func wants(list []string, name string) bool { return list == nil || slices.Contains(list, name) }

// progress writes a generator's progress to stderr.
func progress(what, dir string) func(done, total int) {
	return func(done, total int) {
		fmt.Fprintf(os.Stderr, "\rgenerating %d %s into %s: %d/%d", total, what, dir, done, total)
		if done == total {
			fmt.Fprintln(os.Stderr)
		}
	}
}

func run(o options) error {
	for _, s := range o.scenarios {
		if !slices.Contains([]string{"table", "loop", "disk", "compare"}, s) {
			return fmt.Errorf("seqbench: no scenario %q (want some of table,loop,disk,compare)", s)
		}
	}
	var strategies []seqbench.Strategy
	runPrevious := false
	for _, s := range append(seqbench.Strategies, seqbench.Previous) {
		if wants(o.strategies, s.String()) {
			if s == seqbench.Previous {
				runPrevious = o.previous != ""
			} else {
				strategies = append(strategies, s)
			}
		}
	}
	for _, name := range o.strategies {
		if _, err := seqbench.ParseStrategy(name); err != nil {
			return err
		}
	}
	if o.dir == "" {
		var err error
		if o.dir, err = seqbench.DefaultDir(); err != nil {
			return err
		}
	}
	dir, err := filepath.Abs(o.dir)
	if err != nil {
		return fmt.Errorf("seqbench: %w", err)
	}
	need := o.frames
	if wants(o.scenarios, "loop") {
		need = max(need, o.loop)
	}
	if wants(o.scenarios, "disk") {
		need = max(need, o.disk)
	}
	if wants(o.scenarios, "compare") {
		need = max(need, o.compare)
	}
	// Progress goes to stderr, so stdout is the report alone.
	if err := seqbench.EnsureFrames(dir, need, seqbench.Width4K, seqbench.Height4K, progress("frames", dir)); err != nil {
		return err
	}
	base := os.DirFS(dir)
	seq, err := seqbench.FirstFrames(base, o.frames)
	if err != nil {
		return err
	}
	env, err := seqbench.NewEnv(base, seq, o.slow, o.vw, o.vh)
	if err != nil {
		return err
	}
	env.Loader = o.cfg
	fmt.Fprint(os.Stderr, seqbench.Setting(env))
	rep := &seqbench.Report{Env: env}

	all := seqbench.Workloads(seq.Len(), seqbench.Pace(env.Cold.Load()), o.seed)
	var names []string
	for _, w := range all {
		names = append(names, w.Name)
	}
	for _, name := range o.workloads {
		if !slices.Contains(names, name) {
			return fmt.Errorf("seqbench: no workload %q (want some of %s)", name, strings.Join(names, ","))
		}
	}
	if wants(o.scenarios, "table") {
		for _, w := range all {
			if !wants(o.workloads, w.Name) {
				continue
			}
			for _, s := range strategies {
				r, err := timed(w.Name+"/"+s.String(), func() (*seqbench.Result, error) { return seqbench.Run(env, s, w) })
				if err != nil {
					return err
				}
				if o.verbose {
					fmt.Fprint(os.Stderr, seqbench.Trace(r))
				}
				rep.Results = append(rep.Results, r)
			}
		}
		if runPrevious {
			start := time.Now()
			rep.Previous, err = seqbench.RunPrevious(context.Background(), seqbench.PreviousOptions{
				Repo: o.repo, Rev: o.previous, Dir: dir, Frames: o.frames, Slow: o.slow,
				ViewW: o.vw, ViewH: o.vh, Seed: o.seed, Workloads: o.workloads, Log: os.Stderr,
			})
			if err != nil {
				return err
			}
			if rep.Previous.Skipped != "" {
				fmt.Fprintf(os.Stderr, "previous: skipped: %s\n", rep.Previous.Skipped)
			} else {
				fmt.Fprintf(os.Stderr, "previous: %.1fs\n", time.Since(start).Seconds())
			}
			rep.Results = interleave(rep.Results, rep.Previous.Results)
		}
	}
	if wants(o.scenarios, "loop") {
		start := time.Now()
		fmt.Fprintf(os.Stderr, "loop of %d frames … ", o.loop)
		e, err := withFrames(env, base, o.loop)
		if err != nil {
			return err
		}
		if rep.Loop, err = seqbench.RunLoop(e, o.loop, seqbench.LoopPasses, seqbench.LoopFPS); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "%.1fs\n", time.Since(start).Seconds())
	}
	if wants(o.scenarios, "disk") {
		if rep.Disk, err = runDisk(env, base, dir, o); err != nil {
			return err
		}
	}
	if wants(o.scenarios, "compare") {
		if rep.Compare, err = runCompare(env, dir, o); err != nil {
			return err
		}
	}
	report := rep.Markdown()
	fmt.Print(report)
	if o.out == "" || o.out == "-" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return fmt.Errorf("seqbench: %w", err)
	}
	if err := os.WriteFile(o.out, []byte(report), 0o644); err != nil {
		return fmt.Errorf("seqbench: %w", err)
	}
	return nil
}

// timed runs f, saying on stderr what and how long it took.
func timed(what string, f func() (*seqbench.Result, error)) (*seqbench.Result, error) {
	fmt.Fprintf(os.Stderr, "%s … ", what)
	start := time.Now()
	r, err := f()
	if err == nil {
		fmt.Fprintf(os.Stderr, "%.1fs\n", time.Since(start).Seconds())
	}
	return r, err
}

// interleave puts each of more after the last result of its workload, so
// the table keeps a workload's strategies together.
func interleave(results, more []*seqbench.Result) []*seqbench.Result {
	for _, m := range more {
		at := len(results)
		for k, r := range results {
			if r.Workload == m.Workload {
				at = k + 1
			}
		}
		results = slices.Insert(results, at, m)
	}
	return results
}

// withFrames is env with the first n frames of base (which must hold them)
// as its sequence.
func withFrames(env *seqbench.Env, base fs.FS, n int) (*seqbench.Env, error) {
	seq, err := seqbench.FirstFrames(base, n)
	if err != nil {
		return nil, err
	}
	e := *env
	e.Seq = seq
	return &e, nil
}

// runDisk runs the disk scenario over the first o.disk frames of dir.
func runDisk(env *seqbench.Env, base fs.FS, dir string, o options) (*seqbench.DiskTier, error) {
	e, err := withFrames(env, base, o.disk)
	if err != nil {
		return nil, err
	}
	e.Loader.DiskRoot = dir
	tmp, err := os.MkdirTemp("", "seqbench-disk-")
	if err != nil {
		return nil, fmt.Errorf("seqbench: %w", err)
	}
	defer os.RemoveAll(tmp)
	ws := scenarioWorkloads(e, o.seed)
	for k := range ws {
		if ws[k].Play != nil { // every frame, so runs with and without the tier play the same frames
			pb := *ws[k].Play
			pb.For = time.Duration(e.Seq.Len()) * time.Minute
			ws[k].Play = &pb
		}
	}
	start := time.Now()
	fmt.Fprintf(os.Stderr, "disk tier over %d frames … ", e.Seq.Len())
	dt, err := seqbench.RunDisk(e, tmp, ws, o.rounds, min(5, e.Seq.Len()-1))
	if err == nil {
		fmt.Fprintf(os.Stderr, "%.1fs\n", time.Since(start).Seconds())
	}
	return dt, err
}

// scenarioWorkloads are the forward and playback workloads over env's
// sequence at env's human pace.
func scenarioWorkloads(env *seqbench.Env, seed uint64) []seqbench.Workload {
	var ws []seqbench.Workload
	for _, w := range seqbench.Workloads(env.Seq.Len(), seqbench.Pace(env.Cold.Load()), seed) {
		if w.Name == "forward" || w.Name == "playback" {
			ws = append(ws, w)
		}
	}
	return ws
}

// runCompare runs the compare scenario: the first o.compare frames of dir
// and of the second sequence's folder, generated if missing.
func runCompare(env *seqbench.Env, dir string, o options) (*seqbench.Compare, error) {
	dirB := o.dirB
	if dirB == "" {
		dirB = dir + "-b"
	}
	dirB, err := filepath.Abs(dirB)
	if err != nil {
		return nil, fmt.Errorf("seqbench: %w", err)
	}
	if err := seqbench.EnsureSecond(dirB, o.compare, seqbench.Width4K, seqbench.Height4K, progress("frames to compare", dirB)); err != nil {
		return nil, err
	}
	both := seqbench.Folders{"a": dir, "b": dirB}
	a, err := seqbench.FramesIn(both, "a", o.compare)
	if err != nil {
		return nil, err
	}
	b, err := seqbench.FramesIn(both, "b", o.compare)
	if err != nil {
		return nil, err
	}
	e := *env
	e.Seq = a
	start := time.Now()
	fmt.Fprintf(os.Stderr, "compare over %d frames … ", a.Len())
	c, err := seqbench.RunCompare(&e, both, a, b, scenarioWorkloads(&e, o.seed))
	if err == nil {
		fmt.Fprintf(os.Stderr, "%.1fs\n", time.Since(start).Seconds())
	}
	return c, err
}
