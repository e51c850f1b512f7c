// Command seqbench runs the loader benchmark: every workload with seqview's
// loader and with the baseline strategies, over a generated 4K sequence read
// through an in-process slow share. It prints a markdown table, ours ÷
// baseline ratios and the design targets (PASS/MISS) to stdout and writes
// the same to -o.
//
// The sequence is generated once into the user's cache folder (minutes on
// two cores) and reused. A full run takes minutes: the blocking baselines
// take tens of seconds to work through a held key, by design.
package main

import (
	"flag"
	"fmt"
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
	frames := flag.Int("frames", seqbench.DefaultFrames, "frames in the sequence")
	def := seqbench.DefaultSlow
	open := flag.Duration("open", def.OpenLatency, "slow share: latency of each open")
	read := flag.Duration("read", def.ReadLatency, "slow share: latency of each read request")
	chunk := flag.Int("chunk", def.ChunkSize, "slow share: bytes per read request")
	mbps := flag.Float64("mbps", float64(def.BytesPerSecond)/1e6, "slow share: bandwidth in MB/s (10⁶ bytes) shared by all reads; 0 unlimited")
	view := flag.String("view", fmt.Sprintf("%dx%d", seqbench.DefaultViewW, seqbench.DefaultViewH), "view size frames are scaled to fit")
	seed := flag.Uint64("seed", 1, "seed of the random jumps")
	workloads := flag.String("workloads", "", "comma-separated workloads to run (default all): forward,fwd-back,far-back,random,held-key,playback")
	strategies := flag.String("strategies", "", "comma-separated strategies to run (default all): ours,nocache,simple")
	verbose := flag.Bool("v", false, "print every request's times to stderr")
	// The loader's Config, for trying other settings; 0 keeps its default.
	var cfg loader.Config
	flag.IntVar(&cfg.CacheFrames, "cache", 0, "ours: decoded frames kept (0: the loader's default)")
	cacheMB := flag.Int64("cache-mb", 0, "ours: decoded bytes budget in MiB (0: default)")
	rawMB := flag.Int64("raw-mb", 0, "ours: compressed bytes budget in MiB (0: default, < 0: none)")
	flag.IntVar(&cfg.Reads, "reads", 0, "ours: reads in flight (0: default)")
	flag.IntVar(&cfg.Decoders, "decoders", 0, "ours: decodes at once (0: default)")
	flag.IntVar(&cfg.Preload, "preload", 0, "ours: read-ahead depth (0: adaptive)")
	flag.Parse()
	cfg.CacheBytes, cfg.RawBytes = *cacheMB<<20, *rawMB<<20

	var vw, vh int
	if _, err := fmt.Sscanf(*view, "%dx%d", &vw, &vh); err != nil {
		fatal(fmt.Errorf("seqbench: -view %q: want WxH, e.g. 1280x720", *view))
	}
	slow := slowfs.Config{OpenLatency: *open, ReadLatency: *read, ChunkSize: *chunk, BytesPerSecond: int64(*mbps * 1e6)}
	if err := run(*out, *dir, *frames, slow, vw, vh, *seed, list(*workloads), list(*strategies), *verbose, cfg); err != nil {
		fatal(err)
	}
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

func run(out, dir string, n int, slow slowfs.Config, vw, vh int, seed uint64, onlyW, onlyS []string, verbose bool, cfg loader.Config) error {
	strategies := seqbench.Strategies
	if onlyS != nil {
		strategies = nil
		for _, name := range onlyS {
			s, err := seqbench.ParseStrategy(name)
			if err != nil {
				return err
			}
			strategies = append(strategies, s)
		}
	}
	if dir == "" {
		var err error
		if dir, err = seqbench.DefaultDir(); err != nil {
			return err
		}
	}
	// Progress goes to stderr, so stdout is the report alone.
	err := seqbench.EnsureFrames(dir, n, seqbench.Width4K, seqbench.Height4K, func(done, total int) {
		fmt.Fprintf(os.Stderr, "\rgenerating %d frames into %s: %d/%d", total, dir, done, total)
		if done == total {
			fmt.Fprintln(os.Stderr)
		}
	})
	if err != nil {
		return err
	}
	base := os.DirFS(dir)
	seq, err := seqbench.FirstFrames(base, n)
	if err != nil {
		return err
	}
	env, err := seqbench.NewEnv(base, seq, slow, vw, vh)
	if err != nil {
		return err
	}
	env.Loader = cfg
	fmt.Fprint(os.Stderr, seqbench.Setting(env))

	all := seqbench.Workloads(seq.Len(), seqbench.Pace(env.Cold.Load()), seed)
	var names []string
	for _, w := range all {
		names = append(names, w.Name)
	}
	for _, name := range onlyW {
		if !slices.Contains(names, name) {
			return fmt.Errorf("seqbench: no workload %q (want some of %s)", name, strings.Join(names, ","))
		}
	}
	var chosen []seqbench.Workload
	for _, w := range all {
		if onlyW == nil || slices.Contains(onlyW, w.Name) {
			chosen = append(chosen, w)
		}
	}
	var results []*seqbench.Result
	for _, w := range chosen {
		for _, s := range strategies {
			fmt.Fprintf(os.Stderr, "%s/%s … ", w.Name, s)
			start := time.Now()
			r, err := seqbench.Run(env, s, w)
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "%.1fs\n", time.Since(start).Seconds())
			if verbose {
				fmt.Fprint(os.Stderr, seqbench.Trace(r))
			}
			results = append(results, r)
		}
	}
	report := seqbench.Markdown(env, results)
	fmt.Print(report)
	if out == "" || out == "-" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("seqbench: %w", err)
	}
	if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
		return fmt.Errorf("seqbench: %w", err)
	}
	return nil
}
