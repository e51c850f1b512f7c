package charts

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gonum.org/v1/plot"

	"seqview/bench/uibench"
)

// UIBench charts a real-window benchmark report at path: a row of median
// latencies per configuration (log scale, the 16 ms goal dashed), and a
// row with the share of samples within 16 ms for the 4K configurations,
// playback rates, the loop's passes and peak RSS.
func UIBench(rep *uibench.Report, path string) error {
	measures := []string{uibench.Cached, uibench.ReadAhead, uibench.Jump, uibench.Held, uibench.Back}
	short := map[string]string{
		uibench.Cached: "cached step", uibench.ReadAhead: "read-ahead", uibench.Jump: "cold jump", uibench.Held: "held-key settle",
		uibench.Back: "step back",
	}
	var top, bottom []*plot.Plot
	viewers := allViewers(rep)
	for i := range rep.Configs {
		c := &rep.Configs[i]
		g := Grouped{
			Title:  fmt.Sprintf("%s: key to pixels, median", c.Config.Name()),
			YLabel: "ms (log)", Log: true, Format: msLabel,
			Series: viewers, Line: 16, LineLabel: "16 ms",
		}
		ms := measured(c, measures)
		for _, m := range ms {
			g.Groups = append(g.Groups, short[m])
		}
		for _, v := range viewers {
			var vs []float64
			for _, m := range ms {
				vs = append(vs, cellMS(c.Find(v, m)))
			}
			g.Values = append(g.Values, vs)
		}
		p, err := g.Plot()
		if err != nil {
			return err
		}
		top = append(top, p)
	}
	for i := range rep.Configs {
		c := &rep.Configs[i]
		if c.Config.Dataset.W < 3840 {
			continue
		}
		g := Grouped{
			Title:  fmt.Sprintf("%s: samples within 16 ms", c.Config.Name()),
			YLabel: "%", Series: viewers, YMax: 130,
			Format: func(v float64) string { return fmt.Sprintf("%.0f", v) },
		}
		ms := measured(c, measures)
		for _, m := range ms {
			g.Groups = append(g.Groups, short[m])
		}
		for _, v := range viewers {
			var vs []float64
			for _, m := range ms {
				cl := c.Find(v, m)
				if cl == nil || cl.Sum.N == 0 {
					vs = append(vs, math.NaN())
				} else {
					vs = append(vs, 100*cl.Sum.Within16)
				}
			}
			g.Values = append(g.Values, vs)
		}
		p, err := g.Plot()
		if err != nil {
			return err
		}
		bottom = append(bottom, p)
	}
	play := Grouped{Title: "playback asked at 24 fps: frames shown per second", YLabel: "fps", Series: viewers,
		Format: func(v float64) string { return fmt.Sprintf("%.1f", v) }}
	rss := Grouped{Title: "peak RSS, the largest of the scenarios", YLabel: "MB (log)", Series: viewers, Log: true,
		Format: func(v float64) string { return fmt.Sprintf("%.0f", v) }}
	if memory := anyCell(rep, uibench.Memory); memory {
		rss.Title = fmt.Sprintf("peak RSS: %d steps (else the largest scenario's)", uibench.MemorySteps)
		rss.Line, rss.LineLabel = 600, "goal at 4K: 600 MB"
	}
	loop := Grouped{Title: fmt.Sprintf("loop of %d frames at %g fps", uibench.LoopFrames, uibench.DefaultOptions().PlayFPS), YLabel: "fps", Series: viewers,
		Format: func(v float64) string { return fmt.Sprintf("%.1f", v) }, Line: 23, LineLabel: "goal of the second pass: 23 fps"}
	for i := range rep.Configs {
		c := &rep.Configs[i]
		play.Groups = append(play.Groups, c.Config.Name())
		rss.Groups = append(rss.Groups, c.Config.Name())
	}
	for _, v := range viewers {
		var fps, mem []float64
		for i := range rep.Configs {
			c := &rep.Configs[i]
			f := math.NaN()
			if cl := c.Find(v, uibench.Play); cl != nil && cl.Play != nil {
				f = cl.Play.FPS
			}
			fps = append(fps, f)
			peak := math.NaN()
			if cl := c.Find(v, uibench.Memory); cl != nil && cl.PeakRSS > 0 {
				peak = float64(cl.PeakRSS) / 1e6
			} else {
				for _, cl := range c.Cells {
					if cl.Viewer == v && cl.PeakRSS > 0 {
						if math.IsNaN(peak) {
							peak = 0
						}
						peak = math.Max(peak, float64(cl.PeakRSS)/1e6)
					}
				}
			}
			mem = append(mem, peak)
		}
		play.Values = append(play.Values, fps)
		rss.Values = append(rss.Values, mem)
	}
	for i := range rep.Configs {
		c := &rep.Configs[i]
		for k, m := range []string{uibench.LoopFirst, uibench.LoopSecond} {
			if anyIn(c, m) {
				loop.Groups = append(loop.Groups, fmt.Sprintf("%s pass %d", c.Config.Name(), k+1))
			}
		}
	}
	for _, v := range viewers {
		var vs []float64
		for i := range rep.Configs {
			c := &rep.Configs[i]
			for _, m := range []string{uibench.LoopFirst, uibench.LoopSecond} {
				if !anyIn(c, m) {
					continue
				}
				f := math.NaN()
				if cl := c.Find(v, m); cl != nil && cl.Play != nil {
					f = cl.Play.FPS
				}
				vs = append(vs, f)
			}
		}
		loop.Values = append(loop.Values, vs)
	}
	var gs []Grouped
	if anyCell(rep, uibench.Play) {
		gs = append(gs, play)
	}
	gs = append(gs, rss)
	if len(loop.Groups) > 0 {
		gs = append(gs, loop)
	}
	for _, g := range gs {
		p, err := g.Plot()
		if err != nil {
			return err
		}
		bottom = append(bottom, p)
	}
	cols := max(len(top), len(bottom))
	return Grid(path, [][]*plot.Plot{top, bottom}, 470*cols, 860)
}

// measured is the measures of ms some viewer of c has a cell of.
func measured(c *uibench.ConfigReport, ms []string) []string {
	var out []string
	for _, m := range ms {
		if anyIn(c, m) {
			out = append(out, m)
		}
	}
	return out
}

// anyIn reports whether c has a cell of measure m.
func anyIn(c *uibench.ConfigReport, m string) bool {
	for _, cl := range c.Cells {
		if cl.Measure == m {
			return true
		}
	}
	return false
}

// anyCell reports whether any configuration of rep has a cell of measure m.
func anyCell(rep *uibench.Report, m string) bool {
	for i := range rep.Configs {
		if anyIn(&rep.Configs[i], m) {
			return true
		}
	}
	return false
}

func allViewers(rep *uibench.Report) []string {
	var vs []string
	for i := range rep.Configs {
		for _, v := range rep.Configs[i].Viewers() {
			if !containsString(vs, v) {
				vs = append(vs, v)
			}
		}
	}
	return vs
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func cellMS(cl *uibench.Cell) float64 {
	if cl == nil || cl.Sum.N == 0 {
		return math.NaN()
	}
	return float64(cl.Sum.Median) / float64(time.Millisecond)
}
