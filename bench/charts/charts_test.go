package charts

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"seqview/bench/uibench"
)

const benchMD = `# seqview loader benchmark

- Sequence: 60 frames.

| workload | strategy | requests | hits | dropped | median ms | p95 ms | reads/step | MB read | peak heap MB | settle ms | fps |
|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
| forward | ours | 30 | 97 % | 0 | 0.0 | 0.1 | 1.00 | 185 | 420 |  |  |
| forward | nocache | 30 | 0 % | 0 | 545.2 | 610.0 | 1.00 | 185 | 120 |  |  |
| held-key | ours | 60 | 10 % | 50 | 3.0 | 580 | 0.30 | 100 | 500 | 560.5 |  |
| held-key | nocache | 60 | 0 % | 0 | 16000 | 30000 | 1.00 | 360 | 120 | 32000 |  |
| playback | ours | 50 | 100 % | 0 | 0.0 | 0.0 | 1.00 | 300 | 450 |  | 9.6 |
| playback | nocache | 12 | 0 % | 0 | 545 | 600 | 1.00 | 70 | 120 |  | 1.8 |

Ours ÷ baseline:
`

func TestParseTable(t *testing.T) {
	tb, err := ParseTable(benchMD, "workload")
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) != 6 || len(tb.Header) != 12 {
		t.Fatalf("%d rows, %d columns", len(tb.Rows), len(tb.Header))
	}
	if c := tb.Column("hits"); c != 3 || Number(tb.Rows[0][c]) != 97 {
		t.Errorf("hits column %d, first %q", c, tb.Rows[0][c])
	}
	if c := tb.Column("settle ms"); !math.IsNaN(Number(tb.Rows[0][c])) || Number(tb.Rows[2][c]) != 560.5 {
		t.Error("settle ms: want NaN for an empty cell and 560.5")
	}
	if tb.Column("nope") != -1 {
		t.Error("Column of a missing header")
	}
	if _, err := ParseTable("no table here", "workload"); err == nil {
		t.Error("no error without a table")
	}
}

func TestBench(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "bench.md")
	if err := os.WriteFile(md, []byte(benchMD), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bench.png")
	if err := Bench(md, out); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, out)
}

func TestUIBench(t *testing.T) {
	ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	cell := func(cfg, viewer, m string, vs ...float64) *uibench.Cell {
		c := &uibench.Cell{Config: cfg, Viewer: viewer, Measure: m, PeakRSS: 300e6}
		for _, v := range vs {
			c.Samples = append(c.Samples, ms(v))
		}
		c.Sum = uibench.Summarize(c.Samples)
		return c
	}
	rep := &uibench.Report{}
	for _, c := range uibench.Configs() {
		name := c.Name()
		cr := uibench.ConfigReport{Config: c}
		for _, v := range []string{"seqview", "naive", "seed"} {
			k := 1.0
			if v != "seqview" {
				k = 30
			}
			cr.Cells = append(cr.Cells,
				cell(name, v, uibench.Cached, 12*k, 14*k, 20*k),
				cell(name, v, uibench.ReadAhead, 13*k, 15*k),
				cell(name, v, uibench.Jump, 500, 600),
				cell(name, v, uibench.Held, 550*k),
			)
			p := cell(name, v, uibench.Play, 41, 42)
			p.Play = &uibench.PlayStats{FPS: 24 / k * 5}
			cr.Cells = append(cr.Cells, p)
		}
		// A measure with no sample is drawn as a gap, not an error.
		cr.Cells = append(cr.Cells, &uibench.Cell{Config: name, Viewer: "seed", Measure: uibench.Held})
		rep.Configs = append(rep.Configs, cr)
	}
	out := filepath.Join(t.TempDir(), "ui.png")
	if err := UIBench(rep, out); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, out)
	// The report renders too, with its targets.
	if md := rep.Markdown(24); len(md) < 1000 {
		t.Errorf("markdown report of %d bytes", len(md))
	}
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 400 {
		t.Errorf("chart is only %v", b)
	}
}
