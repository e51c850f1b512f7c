package seqbench

import (
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"

	"seqview/loader"
)

// The app's default budgets (its -cache-mb and -raw-mb), which two sides
// of a comparison share.
const (
	appCacheBytes = 512 << 20
	appRawBytes   = 128 << 20
)

// HalfConfig is cfg as the app gives each side of a comparison: half the
// view frames' and the files' budgets, and half the cores' decoders (at
// least one).
func HalfConfig(cfg loader.Config) loader.Config {
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = appCacheBytes
	}
	cfg.CacheBytes /= 2
	if cfg.RawBytes == 0 {
		cfg.RawBytes = appRawBytes
	}
	if cfg.RawBytes > 0 {
		cfg.RawBytes = max(cfg.RawBytes/2, 1)
	}
	cfg.Decoders = max(1, runtime.NumCPU()/2)
	return cfg
}

// Compare is the compare scenario: each workload with one sequence alone
// and with two compared, on the same share.
type Compare struct {
	Frames int
	Alone  []*Result
	Pair   []*Result
}

// RunCompare runs each workload with sequence a alone (env's loader
// config), then with a and b compared as the app compares them: two
// loaders, each with HalfConfig, asked for the same frame position at
// every request; a request is ready when both sides are. base holds both
// sequences, read through one slow share, so they share its bandwidth as
// two folders on one server do.
func RunCompare(env *Env, base fs.FS, a, b *loader.Sequence, ws []Workload) (*Compare, error) {
	if a.Len() != b.Len() {
		return nil, fmt.Errorf("seqbench: compare %d frames with %d", a.Len(), b.Len())
	}
	e := *env
	e.Base, e.Seq = base, a
	c := &Compare{Frames: a.Len()}
	for _, w := range ws {
		alone, err := Run(&e, Ours, w)
		if err != nil {
			return nil, err
		}
		pair := runPlayer(&e, w, func(fsys fs.FS, r *runner) player {
			p := &pairPlayer{r: r, frame: -1}
			cfg := HalfConfig(e.Loader)
			p.sides[0] = newService(&e, fsys, a, cfg, func(res loader.Result) { p.deliver(0, res) })
			p.sides[1] = newService(&e, fsys, b, cfg, func(res loader.Result) { p.deliver(1, res) })
			return p
		})
		pair.Strategy = Ours
		c.Alone, c.Pair = append(c.Alone, alone), append(c.Pair, pair)
	}
	return c, nil
}

// pairPlayer is the two loaders of a comparison: a request asks both for
// frame i and is ready once both have it.
type pairPlayer struct {
	r     *runner
	sides [2]*loader.Service

	mu    sync.Mutex // guards frame and ready
	frame int        // the frame asked for last
	ready [2]bool    // which side has it
}

func (p *pairPlayer) request(i int) (bool, *loader.Decoded, error) {
	p.mu.Lock()
	p.frame, p.ready = i, [2]bool{}
	p.mu.Unlock()
	var shown *loader.Decoded
	var err error
	both := false
	for side, svc := range p.sides {
		res, ok := svc.Show(i)
		if res.Err != nil && err == nil {
			err = res.Err
		}
		if !ok {
			continue
		}
		shown = res.Frame
		p.mu.Lock()
		if p.frame == i {
			p.ready[side] = true
			both = p.ready[0] && p.ready[1]
		}
		p.mu.Unlock()
	}
	limitMemory(p.sides[:]...)
	return both, shown, err
}

// deliver runs on side's courier goroutine.
func (p *pairPlayer) deliver(side int, res loader.Result) {
	p.mu.Lock()
	if res.Index != p.frame {
		p.mu.Unlock()
		return
	}
	p.ready[side] = true
	both := p.ready[0] && p.ready[1]
	p.mu.Unlock()
	if both {
		p.r.delivered(res)
	}
}

func (p *pairPlayer) play(loop bool) {
	for _, s := range p.sides {
		s.SetPlaying(true, loop)
	}
}

func (p *pairPlayer) close() {
	for _, s := range p.sides {
		s.Close()
	}
	unlimitMemory()
}

// ratio of x to y, NaN-free: 0 when y is not positive.
func div(x, y float64) float64 {
	if y <= 0 {
		return 0
	}
	return x / y
}

// Markdown is the compare scenario's table and the cost of the second
// side as ratios.
func (c *Compare) Markdown(env *Env) string {
	var b strings.Builder
	half := HalfConfig(env.Loader)
	fmt.Fprintf(&b, "Two %d-frame 4K sequences with different pictures, on one share (they share its bandwidth): each workload with A alone (one loader, %s), "+
		"then A and B compared as the app compares them (two loaders, each with %d MiB of view frames, %d MiB of file bytes and decoders: %d, asked for the same position; "+
		"a request is ready when both sides are).\n\n",
		c.Frames, loaderConfig(env), half.CacheBytes>>20, half.RawBytes>>20, half.Decoders)
	b.WriteString("| compare | workload | requests | hits | dropped | median ms | p95 ms | fps | reads/step | MB read | peak heap MB |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	row := func(name string, r *Result) {
		fps := ""
		if r.Playback {
			fps = fmt.Sprintf("%.2f", r.FPS)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.0f %% | %d | %s | %s | %s | %.2f | %.0f | %.0f |\n",
			name, r.Workload, r.Count(), 100*r.HitRate, r.Dropped, msNum(r.Median), msNum(r.P95), fps,
			r.ReadsPerStep(), float64(r.FS.Bytes)/1e6, float64(r.PeakHeap)/1e6)
	}
	for k := range c.Alone {
		row("alone", c.Alone[k])
		row("A and B", c.Pair[k])
	}
	b.WriteString("\nCost of the second side (compared ÷ alone; latency above 1 and fps below 1: slower):\n\n")
	b.WriteString("| workload | median × | p95 × | hits (alone → compared) | fps × | MB read × | peak heap × |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|\n")
	for k, a := range c.Alone {
		p := c.Pair[k]
		med := ratio(div(p.Median.Seconds(), a.Median.Seconds()))
		if p.Median <= HitWithin && a.Median <= HitWithin {
			med += " (both hits)"
		}
		fps := "–"
		if a.Playback {
			fps = ratio(div(p.FPS, a.FPS))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.0f %% → %.0f %% | %s | %s | %s |\n",
			a.Workload, med, ratio(div(p.P95.Seconds(), a.P95.Seconds())), 100*a.HitRate, 100*p.HitRate, fps,
			ratio(div(float64(p.FS.Bytes), float64(a.FS.Bytes))), ratio(div(float64(p.PeakHeap), float64(a.PeakHeap))))
	}
	return b.String()
}
