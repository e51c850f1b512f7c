// Package charts draws the benchmarks' results as PNG charts with
// gonum.org/v1/plot: the real-window benchmark's report (UIBench) and the
// loader benchmark's markdown table (Bench, read back from docs/bench.md so
// that the loader benchmark needs no change to be charted).
package charts

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Colours of the viewers and strategies: ours first, then the baselines.
var seriesColors = []color.RGBA{
	{0x1b, 0x9e, 0x77, 0xff}, // ours: green
	{0xd9, 0x5f, 0x02, 0xff}, // naive / nocache: orange
	{0x75, 0x70, 0xb3, 0xff}, // seed / simple: purple
	{0xe7, 0x29, 0x8a, 0xff},
	{0x66, 0xa6, 0x1e, 0xff},
}

// Grouped is a grouped bar chart: for each group (x), one bar per series.
// A value that is NaN or, on a log axis, not positive is left out.
type Grouped struct {
	Title  string
	YLabel string
	Groups []string
	Series []string
	Values [][]float64 // [series][group]
	Log    bool        // log Y axis
	// Format writes the label above a bar; nil: none.
	Format func(v float64) string
	// Line, if > 0, draws a dashed horizontal line at that value (a
	// target), labelled LineLabel.
	Line      float64
	LineLabel string
	YMax      float64 // if > 0, the top of the Y axis
	// Floor, on a log axis, is where values at or below it (a cache hit's
	// 0.0 ms) are drawn, as a stub labelled with the real value.
	Floor float64
}

// Plot builds the plot of g.
func (g Grouped) Plot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = g.Title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.Text = g.YLabel
	p.NominalX(g.Groups...)
	p.X.Tick.Label.Font.Size = vg.Points(8)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.TextStyle.Font.Size = vg.Points(8)

	if g.Log && g.Floor > 0 {
		values := make([][]float64, len(g.Values))
		for s, vs := range g.Values {
			for _, v := range vs {
				if !math.IsNaN(v) && v <= g.Floor {
					v = g.Floor
				}
				values[s] = append(values[s], v)
			}
		}
		g.Values = values // g is Plot's own copy
		format := g.Format
		if format != nil {
			g.Format = func(v float64) string {
				if v <= g.Floor {
					return "≈0"
				}
				return format(v)
			}
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, vs := range g.Values {
		for _, v := range vs {
			if ok(v, g.Log) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if g.Line > 0 {
		lo, hi = math.Min(lo, g.Line), math.Max(hi, g.Line)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 1, 10
	}
	if g.Log {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		p.Y.Min = math.Pow(10, math.Floor(math.Log10(lo*0.9)))
		p.Y.Max = math.Pow(10, math.Ceil(math.Log10(hi*1.6)))
	} else {
		p.Y.Min = 0
		p.Y.Max = hi * 1.2
	}
	if g.YMax > 0 {
		p.Y.Max = g.YMax
	}
	n := len(g.Series)
	width := 0.8 / float64(max(n, 1))
	var labels plotter.XYLabels
	for s, vs := range g.Values {
		b := &bars{width: width, color: seriesColors[s%len(seriesColors)], log: g.Log}
		for i, v := range vs {
			x := float64(i) + (float64(s)-float64(n-1)/2)*width
			b.xs = append(b.xs, x)
			b.vals = append(b.vals, v)
			if g.Format != nil && ok(v, g.Log) {
				labels.XYs = append(labels.XYs, plotter.XY{X: x, Y: v})
				labels.Labels = append(labels.Labels, g.Format(v))
			}
		}
		p.Add(b)
		p.Legend.Add(g.Series[s], b)
	}
	if len(labels.XYs) > 0 {
		l, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, err
		}
		for i := range l.TextStyle {
			l.TextStyle[i].Font.Size = vg.Points(6.5)
			l.TextStyle[i].XAlign = draw.XCenter
			l.TextStyle[i].YAlign = draw.YBottom
		}
		p.Add(l)
	}
	if g.Line > 0 {
		line, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: g.Line}, {X: float64(len(g.Groups)) - 0.5, Y: g.Line}})
		if err != nil {
			return nil, err
		}
		line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		line.Color = color.RGBA{0x55, 0x55, 0x55, 0xff}
		p.Add(line)
		if g.LineLabel != "" {
			p.Legend.Add(g.LineLabel, line)
		}
	}
	p.X.Min, p.X.Max = -0.5, float64(len(g.Groups))-0.5
	return p, nil
}

func ok(v float64, log bool) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && (!log || v > 0)
}

// bars draws one series of a grouped bar chart from the bottom of the Y
// axis, so it works on a log axis too (plotter.BarChart draws from 0).
type bars struct {
	xs, vals []float64
	width    float64
	color    color.Color
	log      bool
}

func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, v := range b.vals {
		if !ok(v, b.log) {
			continue
		}
		x0, x1 := trX(b.xs[i]-b.width/2), trX(b.xs[i]+b.width/2)
		y0, y1 := trY(p.Y.Min), trY(math.Min(v, p.Y.Max))
		pts := c.ClipPolygonY([]vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}})
		c.FillPolygon(b.color, pts)
	}
}

func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for i, v := range b.vals {
		xmin, xmax = math.Min(xmin, b.xs[i]-b.width/2), math.Max(xmax, b.xs[i]+b.width/2)
		if ok(v, b.log) {
			ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
		}
	}
	if math.IsInf(ymin, 1) {
		ymin, ymax = 1, 1
	}
	return xmin, xmax, ymin, ymax
}

func (b *bars) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y}}
	c.FillPolygon(b.color, c.ClipPolygonY(pts))
}

// Grid draws plots (row-major, nil cells left empty) into a PNG of
// width×height pixels at path.
func Grid(path string, plots [][]*plot.Plot, width, height int) error {
	const dpi = 96
	w := vg.Length(width) * vg.Inch / dpi
	h := vg.Length(height) * vg.Inch / dpi
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	dc := draw.New(img)
	rows := len(plots)
	cols := 0
	for _, r := range plots {
		cols = max(cols, len(r))
	}
	// plot.Align needs a plot in every cell: fill gaps with blank ones.
	for i := range plots {
		for len(plots[i]) < cols {
			plots[i] = append(plots[i], nil)
		}
		for j, p := range plots[i] {
			if p == nil {
				b := plot.New()
				b.HideAxes()
				plots[i][j] = b
			}
		}
	}
	t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14), PadY: vg.Points(14),
		PadTop: vg.Points(8), PadBottom: vg.Points(8), PadLeft: vg.Points(8), PadRight: vg.Points(8)}
	canvases := plot.Align(plots, t, dc)
	for i := range plots {
		for j := range plots[i] {
			plots[i][j].Draw(canvases[i][j])
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("charts: %w", err)
	}
	return f.Close()
}

// msLabel writes a latency in ms compactly.
func msLabel(v float64) string {
	switch {
	case v >= 10000:
		return fmt.Sprintf("%.0fs", v/1000)
	case v >= 1000:
		return fmt.Sprintf("%.1fs", v/1000)
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	default:
		return fmt.Sprintf("%.1f", v)
	}
}
