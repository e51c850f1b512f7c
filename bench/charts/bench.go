package charts

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// Table is a markdown table: its header cells and rows of cells.
type Table struct {
	Header []string
	Rows   [][]string
}

// ParseTable returns the first markdown table of md whose header's first
// cell is first (e.g. "workload").
func ParseTable(md, first string) (Table, error) {
	var t Table
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		cells := splitRow(lines[i])
		if len(cells) == 0 || cells[0] != first {
			continue
		}
		t.Header = cells
		// The next line is the |---|--:| separator.
		for j := i + 2; j < len(lines); j++ {
			row := splitRow(lines[j])
			if row == nil {
				break
			}
			for len(row) < len(t.Header) {
				row = append(row, "")
			}
			t.Rows = append(t.Rows, row)
		}
		return t, nil
	}
	return t, fmt.Errorf("charts: no table with a %q column", first)
}

// splitRow returns the trimmed cells of a table row, nil if line is not one.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") || len(line) < 2 {
		return nil
	}
	parts := strings.Split(line[1:len(line)-1], "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// Column returns the index of the header cell name, -1 if none.
func (t Table) Column(name string) int {
	for i, h := range t.Header {
		if h == name {
			return i
		}
	}
	return -1
}

// Number parses a cell such as "12.5", "95 %" or "" (NaN).
func Number(cell string) float64 {
	cell = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(cell), "%"))
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// Bench charts the loader benchmark's report (docs/bench.md, written by
// bench/cmd/seqbench) at pngPath: per workload and strategy, median and
// p95 latency, hit rate, reads per step and peak heap; the held key's
// settle time and playback's rate; and, when the report has them, the
// loop's passes, the local-disk tier's visits and the cost of comparing.
func Bench(mdPath, pngPath string) error {
	data, err := os.ReadFile(mdPath)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	// The main table, if the run made it: a report of the scenarios alone
	// has none, and its first workload table is another.
	t, err := ParseTable(string(data), "workload")
	wc, sc := t.Column("workload"), t.Column("strategy")
	if err != nil || sc < 0 {
		t.Rows = nil
	}
	var workloads, strategies []string
	for _, r := range t.Rows {
		if !containsString(workloads, r[wc]) {
			workloads = append(workloads, r[wc])
		}
		if !containsString(strategies, r[sc]) {
			strategies = append(strategies, r[sc])
		}
	}
	value := func(col, w, s string) float64 {
		c := t.Column(col)
		if c < 0 {
			return math.NaN()
		}
		for _, r := range t.Rows {
			if r[wc] == w && r[sc] == s {
				return Number(r[c])
			}
		}
		return math.NaN()
	}
	// perWorkload is a chart of col over every workload where it has a
	// value for some strategy.
	perWorkload := func(col string, g Grouped) (*plot.Plot, error) {
		if t.Column(col) < 0 {
			return nil, nil
		}
		g.Series = strategies
		for _, w := range workloads {
			any := false
			for _, s := range strategies {
				any = any || !math.IsNaN(value(col, w, s))
			}
			if any {
				g.Groups = append(g.Groups, w)
			}
		}
		if len(g.Groups) == 0 {
			return nil, nil
		}
		for _, s := range strategies {
			var vs []float64
			for _, w := range g.Groups {
				vs = append(vs, value(col, w, s))
			}
			g.Values = append(g.Values, vs)
		}
		return g.Plot()
	}
	one := func(v float64) string { return fmt.Sprintf("%.1f", v) }
	whole := func(v float64) string { return fmt.Sprintf("%.0f", v) }
	specs := []struct {
		col string
		g   Grouped
	}{
		{"median ms", Grouped{Title: "median latency, request to frame ready", YLabel: "ms (log)", Log: true, Format: msLabel, Line: 16, LineLabel: "16 ms", Floor: 0.05}},
		{"hits", Grouped{Title: "hit rate: ready within 16 ms", YLabel: "%", Format: whole, YMax: 130}},
		{"p95 ms", Grouped{Title: "p95 latency", YLabel: "ms (log)", Log: true, Format: msLabel, Line: 16, LineLabel: "16 ms", Floor: 0.05}},
		{"settle ms", Grouped{Title: "held key: last request to its frame", YLabel: "ms (log)", Log: true, Format: msLabel, Floor: 0.05}},
		{"fps", Grouped{Title: "playback: frames per second", YLabel: "fps", Format: one}},
		{"reads/step", Grouped{Title: "files opened per request", YLabel: "reads/step", Format: func(v float64) string { return fmt.Sprintf("%.2f", v) }}},
		{"peak heap MB", Grouped{Title: "peak heap", YLabel: "MB (log)", Log: true, Format: whole}},
	}
	var ps []*plot.Plot
	for _, s := range specs {
		p, err := perWorkload(s.col, s.g)
		if err != nil {
			return err
		}
		if p != nil {
			ps = append(ps, p)
		}
	}
	more, err := scenarioPlots(string(data))
	if err != nil {
		return err
	}
	ps = append(ps, more...)
	if len(ps) == 0 {
		return fmt.Errorf("charts: %s: nothing to chart", mdPath)
	}
	const cols = 4
	var grid [][]*plot.Plot
	for i := 0; i < len(ps); i += cols {
		grid = append(grid, ps[i:min(i+cols, len(ps))])
	}
	return Grid(pngPath, grid, 470*min(cols, len(ps)), 430*len(grid))
}

// scenarioPlots charts the scenario tables of a loader benchmark report
// that has them (seqbench's "loop pass", "disk visit" and the compare
// cost's "workload … median ×" tables).
func scenarioPlots(md string) ([]*plot.Plot, error) {
	var gs []Grouped
	one := func(v float64) string { return fmt.Sprintf("%.1f", v) }
	if t, err := ParseTable(md, "loop pass"); err == nil {
		g := Grouped{Title: "loop played every frame at 24 fps", YLabel: "fps", Series: []string{"ours"}, Format: one,
			Line: 23, LineLabel: "goal of the second pass: 23 fps"}
		fc := t.Column("fps")
		var vs []float64
		for _, r := range t.Rows {
			g.Groups = append(g.Groups, "pass "+r[0])
			vs = append(vs, Number(r[fc]))
		}
		g.Values = [][]float64{vs}
		gs = append(gs, g)
	}
	if t, err := ParseTable(md, "disk visit"); err == nil {
		vc, wc := t.Column("disk visit"), t.Column("workload")
		visits := []string{"no disk", "first", "second"}
		mean := func(col, w, v string) float64 {
			c := t.Column(col)
			sum, n := 0.0, 0
			for _, r := range t.Rows {
				if r[wc] == w && r[vc] == v && !math.IsNaN(Number(r[c])) {
					sum += Number(r[c])
					n++
				}
			}
			if n == 0 {
				return math.NaN()
			}
			return sum / float64(n)
		}
		opens := Grouped{Title: "local-disk tier: files read from the share", YLabel: "opens", Groups: []string{"forward", "playback"},
			Format: func(v float64) string { return fmt.Sprintf("%.0f", v) }}
		fps := Grouped{Title: "local-disk tier: playback", YLabel: "fps", Format: func(v float64) string { return fmt.Sprintf("%.2f", v) }}
		step := Grouped{Title: "local-disk tier: steps forward, p95", YLabel: "ms (log)", Log: true, Format: msLabel, Floor: 0.05, Line: 16, LineLabel: "16 ms"}
		fps.Groups, step.Groups = []string{"playback"}, []string{"forward"}
		for _, v := range visits {
			var row []float64
			for _, w := range opens.Groups {
				row = append(row, mean("opens", w, v))
			}
			opens.Series, opens.Values = append(opens.Series, v), append(opens.Values, row)
			fps.Series, fps.Values = append(fps.Series, v), append(fps.Values, []float64{mean("fps", "playback", v)})
			step.Series, step.Values = append(step.Series, v), append(step.Values, []float64{mean("p95 ms", "forward", v)})
		}
		gs = append(gs, opens, fps, step)
	}
	if t, err := costTable(md); err == nil {
		g := Grouped{Title: "compare: A and B ÷ A alone", YLabel: "× (log)", Log: true, Series: []string{"ours"},
			Format: func(v float64) string { return fmt.Sprintf("%.2f", v) }, Line: 1, LineLabel: "no cost"}
		var vs []float64
		for _, r := range t.Rows {
			for _, col := range []string{"p95 ×", "fps ×"} {
				// A cell may read "0.93 (both hits)", or "< 0.001".
				if v := Number(strings.Fields(r[t.Column(col)] + " x")[0]); !math.IsNaN(v) {
					g.Groups = append(g.Groups, r[0]+" "+strings.TrimSuffix(col, " ×"))
					vs = append(vs, v)
				}
			}
		}
		g.Values = [][]float64{vs}
		if len(vs) > 0 {
			gs = append(gs, g)
		}
	}
	var ps []*plot.Plot
	for _, g := range gs {
		p, err := g.Plot()
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// costTable is the compare scenario's table of ratios: the markdown table
// whose header starts "workload | median ×".
func costTable(md string) (Table, error) {
	for rest := md; ; {
		t, err := ParseTable(rest, "workload")
		if err != nil {
			return t, err
		}
		if t.Column("median ×") >= 0 {
			return t, nil
		}
		// Look after this table's header.
		i := strings.Index(rest, "| "+strings.Join(t.Header, " | ")+" |")
		if i < 0 {
			return t, fmt.Errorf("charts: no compare cost table")
		}
		rest = rest[i+1:]
	}
}
