package uibench

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"
)

// Report is a whole run: its setting and its cells.
type Report struct {
	Started    time.Time
	Elapsed    time.Duration
	LoadBefore string // /proc/loadavg's three averages at the start
	LoadAfter  string
	Machine    string // cores, Go version, OS
	Setting    []string
	Configs    []ConfigReport
}

// ConfigReport is one configuration's reference figures and cells.
type ConfigReport struct {
	Config Config
	Ref    Reference
	Cells  []*Cell
}

// Find returns the cell of viewer and measure, nil if absent.
func (c *ConfigReport) Find(viewer, measure string) *Cell {
	for _, cl := range c.Cells {
		if cl.Viewer == viewer && cl.Measure == measure {
			return cl
		}
	}
	return nil
}

// Ours is the name of the viewer the targets are for.
const Ours = "seqview"

// Target goals, from the issues.
const (
	goalStep     = 16 * time.Millisecond // cached and read-ahead step medians
	goalFaster   = 10.0                  // × faster than the naive viewer
	goalSettle   = 1.2                   // held key: × one cold load
	goalPlayback = 0.90                  // of the playback bound
	goalLoopFPS  = 23                    // a loop's second pass, 24 fps asked
	goalBack     = 40 * time.Millisecond // step back with no pause, median
	goalRSS      = 600e6                 // peak RSS stepping 60 4K frames, bytes
)

// Target is one goal checked on one configuration.
type Target struct {
	Config string
	Name   string
	Pass   bool
	Detail string
}

func (t Target) String() string {
	v := "MISS"
	if t.Pass {
		v = "PASS"
	}
	return fmt.Sprintf("%s [%s] %s: %s", v, t.Config, t.Name, t.Detail)
}

// Targets checks seqview's cells of the 4K configurations against the
// issue's goals.
func (c *ConfigReport) Targets(fps float64) []Target {
	if c.Config.Dataset.W < 3840 {
		return nil
	}
	name := c.Config.Name()
	var ts []Target
	for _, m := range []string{Cached, ReadAhead} {
		ours := c.Find(Ours, m)
		if ours == nil || ours.Sum.N == 0 {
			continue
		}
		detail := fmt.Sprintf("%s ms (p95 %s, n %d)", msNum(ours.Sum.Median), msNum(ours.Sum.P95), ours.Sum.N)
		// The floor is the same step in a window holding only pre-scaled
		// frames: what any Fyne viewer pays here, which the goal cannot
		// be read without.
		if f := c.Find("floor", m); f != nil && f.Sum.N > 0 {
			detail += fmt.Sprintf("; Fyne's floor on the same run %s ms, seqview − floor %+.1f ms",
				msNum(f.Sum.Median), float64(ours.Sum.Median-f.Sum.Median)/float64(time.Millisecond))
		}
		ts = append(ts, Target{
			Config: name, Name: fmt.Sprintf("%s median ≤ %s", m, ms(goalStep)),
			Pass:   ours.Sum.Median <= goalStep,
			Detail: detail,
		})
		if naive := c.Find("naive", m); naive != nil && naive.Sum.N > 0 {
			x := Ratio(naive.Sum.Median, ours.Sum.Median)
			ts = append(ts, Target{
				Config: name, Name: fmt.Sprintf("%s ≥ %.0f× faster than naive", m, goalFaster),
				Pass:   x >= goalFaster,
				Detail: fmt.Sprintf("%.1f× (naive %s ms ÷ seqview %s ms)", x, msNum(naive.Sum.Median), msNum(ours.Sum.Median)),
			})
		}
	}
	if held := c.Find(Ours, Held); held != nil && held.Sum.N > 0 {
		// One cold load as a person sees it: the loader's read, decode
		// and scale of one frame on one core, plus Fyne's own cost of
		// showing a ready frame (the floor viewer's cached step).
		cold, what := c.Ref.Cold.Load(), fmt.Sprintf("the loader's cold load %s ms", msNum(c.Ref.Cold.Load()))
		if f := c.Find("floor", Cached); f != nil && f.Sum.N > 0 {
			cold += f.Sum.Median
			what += fmt.Sprintf(" + Fyne's floor %s ms", msNum(f.Sum.Median))
		}
		if j := c.Find(Ours, Jump); j != nil && j.Sum.N > 0 {
			what += fmt.Sprintf("; seqview's own cold jump: %s ms", msNum(j.Sum.Median))
		}
		limit := time.Duration(goalSettle * float64(cold))
		ts = append(ts, Target{
			Config: name, Name: fmt.Sprintf("held key settles within %.1f × one cold load", goalSettle),
			Pass: held.Sum.Median <= limit,
			Detail: fmt.Sprintf("median %s ms, p95 %s ms (n %d); limit %s ms = %.1f × %s ms (%s)",
				msNum(held.Sum.Median), msNum(held.Sum.P95), held.Sum.N, msNum(limit), goalSettle, msNum(cold), what),
		})
	}
	ts = append(ts, c.newTargets(fps)...)
	if p := c.Find(Ours, Play); p != nil && p.Play != nil {
		bound, byLink, byCPU := PlaybackBound(c.Config, c.Ref, fps)
		link := "unlimited"
		if byLink > 0 {
			link = fmt.Sprintf("%.1f MB/s ÷ %.2f MB = %.1f", float64(c.Config.Slow.BytesPerSecond)/1e6, float64(c.Ref.MeanFileBytes)/1e6, byLink)
		}
		ts = append(ts, Target{
			Config: name, Name: fmt.Sprintf("playback ≥ %.0f %% of the bound", 100*goalPlayback),
			Pass: p.Play.FPS >= goalPlayback*bound,
			Detail: fmt.Sprintf("%.1f fps of %.1f (%.0f %%); bound = min(asked %g, link %s, %d cores ÷ %s ms decode and scale = %.1f); %d skipped, %d backwards",
				p.Play.FPS, bound, 100*p.Play.FPS/bound, fps, link, numCPU(), msNum(c.Ref.Cold.Decode), byCPU, p.Play.Skipped, p.Play.Backwards),
		})
	}
	return ts
}

// newTargets are the goals of the loop, step back and memory scenarios.
func (c *ConfigReport) newTargets(fps float64) []Target {
	name := c.Config.Name()
	var ts []Target
	if p := c.Find(Ours, LoopSecond); p != nil {
		t := Target{Config: name, Name: fmt.Sprintf("loop of %d frames at %g fps: second pass ≥ %d fps, none dropped, from memory", LoopFrames, fps, goalLoopFPS)}
		if p.Play == nil || p.Work == nil {
			t.Detail = "the second pass did not end: " + p.Note
		} else {
			dropped := p.Play.Skipped + p.Play.Late
			t.Pass = p.Play.FPS >= goalLoopFPS && dropped == 0 && !p.Work.Decoded(c.Ref)
			t.Detail = fmt.Sprintf("%.1f fps, %d skipped, %d frame times missed; %s (one view decode: %s ms)",
				p.Play.FPS, p.Play.Skipped, p.Play.Late, p.Work, msNum(c.Ref.Cold.Decode))
		}
		ts = append(ts, t)
	}
	if p := c.Find(Ours, LoopFirst); p != nil && p.Play != nil {
		bound, _, _ := PlaybackBound(c.Config, c.Ref, fps)
		t := Target{
			Config: name, Name: fmt.Sprintf("loop, first pass ≥ %.0f %% of the bound", 100*goalPlayback),
			Pass:   p.Play.FPS >= goalPlayback*bound,
			Detail: fmt.Sprintf("%.1f fps of %.1f (%.0f %%); %d skipped, %d frame times missed", p.Play.FPS, bound, 100*p.Play.FPS/bound, p.Play.Skipped, p.Play.Late),
		}
		if p.Work != nil && p.Work.PerStep() > 0 {
			// The bound counts the decode alone; in a window the paint
			// (software GL here), the reads and the X server share the
			// cores, so say what the viewer's whole CPU per frame allows.
			most := float64(numCPU()) / p.Work.PerStep().Seconds()
			t.Detail += fmt.Sprintf("; the viewer's whole CPU per frame (decode, read, paint in software GL) %s ms: %d cores ÷ that = %.1f fps at most here, %.0f %% of it reached",
				msNum(p.Work.PerStep()), numCPU(), most, 100*p.Play.FPS/most)
		}
		ts = append(ts, t)
	}
	if b := c.Find(Ours, Back); b != nil && b.Sum.N > 0 {
		t := Target{
			Config: name, Name: fmt.Sprintf("%d steps back after %d forward, no pause: median ≤ %s, no decode", BackSteps, BackForward, ms(goalBack)),
			Pass:   b.Sum.Median <= goalBack,
			Detail: fmt.Sprintf("median %s ms, p95 %s ms (n %d)", msNum(b.Sum.Median), msNum(b.Sum.P95), b.Sum.N),
		}
		if b.Work != nil {
			t.Pass = t.Pass && !b.Work.Decoded(c.Ref)
			t.Detail += fmt.Sprintf("; %s (one view decode: %s ms)", b.Work, msNum(c.Ref.Cold.Decode))
		}
		ts = append(ts, t)
	}
	if m := c.Find(Ours, Memory); m != nil && m.PeakRSS > 0 {
		var others []string
		for _, v := range c.Viewers() {
			if o := c.Find(v, Memory); v != Ours && o != nil && o.PeakRSS > 0 {
				others = append(others, fmt.Sprintf("%s %.0f MB", v, float64(o.PeakRSS)/1e6))
			}
		}
		detail := fmt.Sprintf("%.0f MB after %d steps", float64(m.PeakRSS)/1e6, m.Sum.N)
		if len(others) > 0 {
			detail += "; " + strings.Join(others, ", ")
		}
		ts = append(ts, Target{
			Config: name, Name: fmt.Sprintf("peak RSS stepping %d frames with default flags ≤ %.0f MB", MemorySteps, goalRSS/1e6),
			Pass:   m.PeakRSS <= goalRSS && m.Sum.N == MemorySteps,
			Detail: detail,
		})
	}
	return ts
}

// Markdown is the report as docs/ui-bench.md shows it.
func (r *Report) Markdown(fps float64) string {
	var b strings.Builder
	b.WriteString("# seqview in a real window: key to pixels\n\n")
	b.WriteString("Written by `make bench-ui` (`go run ./cmd/uibench` in bench/); see the end for how it measures.\n\n")
	fmt.Fprintf(&b, "- Run %s, %s in all; %s.\n", r.Started.Format("2006-01-02 15:04 MST"), r.Elapsed.Round(time.Second), r.Machine)
	fmt.Fprintf(&b, "- Load average (1, 5, 15 min) at the start %s, at the end %s.\n", r.LoadBefore, r.LoadAfter)
	for _, s := range r.Setting {
		fmt.Fprintf(&b, "- %s\n", s)
	}
	var all []Target
	for i := range r.Configs {
		c := &r.Configs[i]
		fmt.Fprintf(&b, "\n## %s\n\n", c.Config.Name())
		b.WriteString(c.setting())
		b.WriteString("\n")
		b.WriteString(c.Table())
		if pt := c.PlaybackTable(); pt != "" {
			b.WriteString("\n")
			b.WriteString(pt)
		}
		if lt := c.LoopTable(fps); lt != "" {
			b.WriteString("\n")
			b.WriteString(lt)
		}
		all = append(all, c.Targets(fps)...)
	}
	if len(all) > 0 {
		b.WriteString("\n## Targets (seqview, 4K frames)\n\n")
		for _, t := range all {
			fmt.Fprintf(&b, "- %s\n", t)
		}
	}
	b.WriteString("\n" + methodNotes)
	return b.String()
}

func (c *ConfigReport) setting() string {
	share := "local disk (page cache)"
	if c.Config.Share != "" {
		share = "the in-process slow share, SEQVIEW_SLOWSHARE=" + c.Config.Share
	}
	d := c.Config.Dataset
	return fmt.Sprintf("%d×%d frames, mean file %.2f MB, read from %s. One frame cold, on one core: the loader reads it in %s ms and decodes and scales it in %s ms (%s ms); image.Decode alone, as the naive viewers do, %s ms. Pause before read-ahead steps, jumps, holds and playback %s ms; before cached steps %s ms.\n",
		d.W, d.H, float64(c.Ref.MeanFileBytes)/1e6, share,
		msNum(c.Ref.Cold.Read), msNum(c.Ref.Cold.Decode), msNum(c.Ref.Cold.Load()), msNum(c.Ref.NaiveDecode),
		msNum(c.Ref.Pause), msNum(c.Ref.Quick))
}

// Viewers lists the viewers in c's cells, in order of first appearance.
func (c *ConfigReport) Viewers() []string {
	var vs []string
	for _, cl := range c.Cells {
		found := false
		for _, v := range vs {
			found = found || v == cl.Viewer
		}
		if !found {
			vs = append(vs, cl.Viewer)
		}
	}
	return vs
}

// Table is the latency table of c: one row per measure and viewer.
func (c *ConfigReport) Table() string {
	var b strings.Builder
	b.WriteString("| measure | viewer | n | median ms | p95 ms | ≤ 16 ms | seqview ÷ viewer | peak RSS MB | notes |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|---|\n")
	for _, m := range Measures {
		if m == Play || m == LoopFirst || m == LoopSecond {
			continue
		}
		ours := c.Find(Ours, m)
		for _, v := range c.Viewers() {
			cl := c.Find(v, m)
			if cl == nil {
				continue
			}
			ratio := ""
			if ours != nil && ours.Sum.N > 0 && cl.Sum.N > 0 {
				ratio = ratioText(Ratio(ours.Sum.Median, cl.Sum.Median))
			}
			med, p95, within := "–", "–", "–"
			if cl.Sum.N > 0 {
				med, p95, within = msNum(cl.Sum.Median), msNum(cl.Sum.P95), fmt.Sprintf("%.0f %%", 100*cl.Sum.Within16)
			}
			note := cl.Note
			if cl.Work != nil {
				note = strings.TrimSpace(cl.Work.String() + ". " + note)
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %.0f | %s |\n",
				m, v, cl.Sum.N, med, p95, within, ratio, float64(cl.PeakRSS)/1e6, note)
		}
	}
	return b.String()
}

// PlaybackTable is the playback table of c, "" without playback cells.
func (c *ConfigReport) PlaybackTable() string {
	var b strings.Builder
	ours := c.Find(Ours, Play)
	rows := 0
	for _, v := range c.Viewers() {
		cl := c.Find(v, Play)
		if cl == nil {
			continue
		}
		if rows == 0 {
			b.WriteString("| playback | viewer | fps | seqview ÷ viewer | frames | skipped | backwards | Space to first frame ms | frame interval median / p95 ms | peak RSS MB | notes |\n")
			b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
		}
		rows++
		p := cl.Play
		if p == nil {
			p = &PlayStats{}
		}
		ratio := ""
		if ours != nil && ours.Play != nil && p.FPS > 0 {
			ratio = ratioText(ours.Play.FPS / p.FPS)
		}
		iv := "–"
		if cl.Sum.N > 0 {
			iv = msNum(cl.Sum.Median) + " / " + msNum(cl.Sum.P95)
		}
		fmt.Fprintf(&b, "| %s | %s | %.1f | %s | %d | %d | %d | %s | %s | %.0f | %s |\n",
			Play, v, p.FPS, ratio, p.Frames, p.Skipped, p.Backwards, msNum(p.First), iv, float64(cl.PeakRSS)/1e6, cl.Note)
	}
	return b.String()
}

// LoopTable is the loop table of c, "" without loop cells.
func (c *ConfigReport) LoopTable(fps float64) string {
	var b strings.Builder
	bound, _, _ := PlaybackBound(c.Config, c.Ref, fps)
	rows := 0
	for _, v := range c.Viewers() {
		for _, m := range []string{LoopFirst, LoopSecond} {
			cl := c.Find(v, m)
			if cl == nil {
				continue
			}
			if rows == 0 {
				fmt.Fprintf(&b, "A loop of %d frames played every frame at %g fps: the first pass reads the frames, with a bound of %.1f fps; the second can show what the first left in memory, at the rate asked for. A frame time missed is a frame up for two frame times or more. CPU and MB read: the viewer process's, over the pass.\n\n", LoopFrames, fps, bound)
				b.WriteString("| loop | viewer | frames | fps | of the bound (1st) or the rate (2nd) | skipped | frame times missed | frame interval median / p95 ms | CPU ms a frame | MB read | peak RSS MB | notes |\n")
				b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
			}
			rows++
			p := cl.Play
			if p == nil {
				p = &PlayStats{}
			}
			iv, cpu, read := "–", "–", "–"
			if cl.Sum.N > 0 {
				iv = msNum(cl.Sum.Median) + " / " + msNum(cl.Sum.P95)
			}
			if cl.Work != nil {
				cpu, read = msNum(cl.Work.PerStep()), fmt.Sprintf("%.1f", float64(cl.Work.Read)/1e6)
			}
			of := bound
			if m == LoopSecond {
				of = fps
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %.1f | %.0f %% | %d | %d | %s | %s | %s | %.0f | %s |\n",
				m, v, p.Frames, p.FPS, 100*p.FPS/of, p.Skipped, p.Late, iv, cpu, read, float64(cl.PeakRSS)/1e6, cl.Note)
		}
	}
	return b.String()
}

func ratioText(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return ""
	case x >= 10:
		return fmt.Sprintf("%.0f", x)
	case x >= 0.1:
		return fmt.Sprintf("%.2f", x)
	default:
		return fmt.Sprintf("%.3f", x)
	}
}

func ms(d time.Duration) string { return msNum(d) + " ms" }

// msNum formats d in milliseconds: one decimal below 100 ms, none above.
func msNum(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	if v < 100 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

const methodNotes = `## How it is measured

- Each frame carries a flat marker patch in its centre (a fifth of the
  frame's height) whose colour encodes the frame; the rest of the frame is
  testframes.PNG's content (gradients, grain, a moving disc), encoded as
  the loader benchmark's frames, so file sizes and decode times are those
  of rendered frames. 128 distinct frames are hard-linked into a
  1300-frame sequence: every scenario walks through frames its viewer has
  never loaded, and any two frames fewer than 64 apart look different.
- The harness finds the patch on screen once, then polls a 16×16 capture of
  its centre through XTEST/GetImage every millisecond. A latency is from
  just before the key is sent to the middle of the first capture that shows
  the expected frame's marker: the time a person would see it, including
  the viewer's event handling, its loading, Fyne's paint and the software
  GL swap into Xvfb.
- Each scenario runs in a fresh viewer process (cold caches; peak RSS is
  that process's VmHWM from /proc/PID/status at the end of the scenario):
  - steps: Right after a pause (read-ahead steps), then Left and Right in
    turn after a shorter pause, each to the frame shown just before
    (cached steps);
  - jump: Page Down (+10 frames, beyond seqview's read-ahead of at most 8)
    after a pause, to a frame never loaded;
  - held: after a pause, Right every 33 ms for 2 s (60 presses, like X11
    auto-repeat), then the time from the last press to its frame;
  - play: Space, then every change of the marker for the playback time;
    fps counts the frames shown going forward, from the first new frame to
    the last; "skipped" counts frames jumped over, which never reached the
    screen (a viewer that sets frames faster than Fyne paints them loses
    them: Fyne paints on its 60 Hz event tick);
  - loop (4K only): a folder of 48 distinct frames, Space, then every
    change of the marker until the first frame has come round twice: the
    first pass reads the frames, the second can show them from memory.
    A frame time missed is a frame up for two frame times or more (a frame
    painted on Fyne's 60 Hz tick is up 33 or 50 ms at 24 fps, on time);
  - back (4K only): 40 steps Right, then 30 Left, each key as soon as the
    frame before is on screen; the viewer's CPU time (utime + stime of
    /proc/PID/stat, every thread, software GL's included) and the bytes its
    reads returned (rchar of /proc/PID/io) over the steps back say whether
    they decoded: half a view decode of CPU a step, or half a file read,
    counts as decoding (for seqview, whose frames are painted as they are;
    naive and seed also pay Fyne's smooth rescale of a 4K image at every
    paint, so their CPU is no count of decodes);
  - memory (4K only): 60 steps Right, each 300 ms after the frame before
    showed; the peak RSS of the process is the measure.
- The X server's key auto-repeat is turned off for the run: on a loaded
  machine the server could otherwise repeat a key between the harness's
  press and release, moving a viewer one frame too far.
- previous is seqview at an earlier revision (the engine that decoded
  every frame at full resolution, then scaled it), built from a temporary
  git worktree with that revision's slow-share build tag.
- Baselines (bench/cmd/naiveview): naive reads and decodes each frame on
  the UI goroutine when the key is handled, into a default canvas.Image
  (ImageScaleSmooth, FillContain) holding the image.Decode result; seed is
  the original request's strategy (unbounded map, one mutex held across
  every load, one goroutine preloads n+1 after each step), with the same
  canvas.Image. Both play with the same blocking step from a ticker.
  A baseline measure stops early, once it has a minimum of samples, when it
  has spent its time budget: the note says so.
- "seqview ÷ viewer" is the ratio of medians (below 1: seqview is faster);
  for playback, of fps (above 1: seqview is faster).
- What no viewer here can beat: Fyne reads X events only on its 60 Hz
  event tick and paints in the same tick (internal/driver/glfw/loop.go),
  so a key waits 0–16.7 ms, 8.3 ms on average, before any handler sees
  it; and every change repaints the whole window, in software here
  (Mesa's llvmpipe). The floor rows measure exactly that. The targets'
  "one cold load" is the loader's read, decode and scale of one frame on
  one core (measured in-process, no viewer) plus the floor's median.
`

func numCPU() int { return runtime.NumCPU() }
