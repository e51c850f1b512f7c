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
// playback rates and peak RSS.
func UIBench(rep *uibench.Report, path string) error {
	measures := []string{uibench.Cached, uibench.ReadAhead, uibench.Jump, uibench.Held}
	short := map[string]string{
		uibench.Cached: "cached step", uibench.ReadAhead: "read-ahead", uibench.Jump: "cold jump", uibench.Held: "held-key settle",
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
		for _, m := range measures {
			g.Groups = append(g.Groups, short[m])
		}
		for _, v := range viewers {
			var vs []float64
			for _, m := range measures {
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
		for _, m := range measures {
			g.Groups = append(g.Groups, short[m])
		}
		for _, v := range viewers {
			var vs []float64
			for _, m := range measures {
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
			for _, cl := range c.Cells {
				if cl.Viewer == v && cl.PeakRSS > 0 {
					if math.IsNaN(peak) {
						peak = 0
					}
					peak = math.Max(peak, float64(cl.PeakRSS)/1e6)
				}
			}
			mem = append(mem, peak)
		}
		play.Values = append(play.Values, fps)
		rss.Values = append(rss.Values, mem)
	}
	for _, g := range []Grouped{play, rss} {
		p, err := g.Plot()
		if err != nil {
			return err
		}
		bottom = append(bottom, p)
	}
	cols := max(len(top), len(bottom))
	return Grid(path, [][]*plot.Plot{top, bottom}, 470*cols, 860)
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
