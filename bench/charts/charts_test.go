package charts

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"seqview/bench/seqbench"
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
		cr := uibench.ConfigReport{Config: c, Ref: uibench.Reference{Cold: seqbench.Cold{Read: 200 * time.Millisecond, Decode: 150 * time.Millisecond}, MeanFileBytes: 6e6}}
		for _, v := range []string{"seqview", "previous", "naive", "seed"} {
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
			if !c.Dataset.Is4K() {
				continue
			}
			back := cell(name, v, uibench.Back, 20*k, 25*k)
			back.Work = &uibench.Work{CPU: ms(300 * k), Count: 30}
			steps := make([]float64, uibench.MemorySteps)
			for i := range steps {
				steps[i] = 15
			}
			mem := cell(name, v, uibench.Memory, steps...)
			mem.PeakRSS = int64(500e6 * k / 10)
			cr.Cells = append(cr.Cells, back, mem)
			if v == "seqview" || v == "previous" {
				l1, l2 := cell(name, v, uibench.LoopFirst, 100), cell(name, v, uibench.LoopSecond, 42)
				l1.Play, l2.Play = &uibench.PlayStats{FPS: 9, Frames: 47}, &uibench.PlayStats{FPS: min(24, 24/k*5), Frames: 48}
				l2.Work = &uibench.Work{CPU: ms(400), Count: 48}
				cr.Cells = append(cr.Cells, l1, l2)
			}
		}
		// A measure with no sample is drawn as a gap, not an error.
		cr.Cells = append(cr.Cells, &uibench.Cell{Config: name, Viewer: "seed", Measure: uibench.Held})
		rep.Configs = append(rep.Configs, cr)
	}
	out := filepath.Join(t.TempDir(), "ui.png")
	if dir := os.Getenv("CHARTS_TEST_OUT"); dir != "" {
		out = filepath.Join(dir, "ui.png") // to look at
	}
	if err := UIBench(rep, out); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, out)
	// The report renders too, with its targets.
	md := rep.Markdown(24)
	for _, want := range []string{"| step back, no pause | previous |", "| loop, second pass | seqview | 48 | 24.0 |",
		"PASS [4k share] peak RSS stepping 60 frames", "PASS [4k share] loop of 48 frames at 24 fps: second pass", "PASS [4k local] 30 steps back"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown report lacks %q:\n%s", want, md)
		}
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

// scenariosMD is the scenario part of a loader benchmark report, as
// seqbench writes it (cut down).
const scenariosMD = `
## Loops from memory

| loop pass | frames | fps | of asked | of bound | late | decoded again | files opened | span ms |
|---|--:|--:|--:|--:|--:|--:|--:|--:|
| 1 | 48 | 5.7 | 24 % | 83 % | 37 | 0 | 48 | 8225 |
| 2 | 48 | 24.0 | 100 % | 346 % | 0 | 0 | 0 | 2000 |

## Local-disk tier

| disk visit | workload | requests | hits | median ms | p95 ms | fps | opens | MB read | copied | unchanged opens | local hits / misses | copies written / dropped |
|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
| first | forward | 20 | 95 % | 0.7 | 183 |  | 20 | 126 | 20 |  | 0 / 20 | 20 / 0 |
| second | forward | 20 | 79 % | 0.8 | 311 |  | 1 | 6 | 20 | 0 | 19 / 1 | 1 / 0 |
| no disk | playback | 20 | 11 % | 274 | 981 | 2.61 | 20 | 126 |  |  |  |  |
| first | playback | 20 | 16 % | 350 | 4046 | 1.24 | 20 | 126 | 20 |  | 0 / 20 | 20 / 0 |
| second | playback | 20 | 37 % | 228 | 1055 | 1.78 | 1 | 6 | 20 | 0 | 19 / 1 | 1 / 0 |

## Compare

| compare | workload | requests | hits | dropped | median ms | p95 ms | fps | reads/step | MB read | peak heap MB |
|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|
| alone | forward | 20 | 0 % | 15 | 288 | 833 |  | 1.10 | 138 | 767 |

| workload | median × | p95 × | hits (alone → compared) | fps × | MB read × | peak heap × |
|---|--:|--:|--:|--:|--:|--:|
| forward | 1.2 (both hits) | 11.7 | 0 % → 0 % | – | 1.46 | 1.18 |
| playback | 0.0916 | 0.179 | 0 % → 0 % | 0.5 | 2 | 1.14 |
`

func TestBenchScenarios(t *testing.T) {
	for _, tt := range []struct {
		name string
		md   string
	}{
		{"scenarios alone", scenariosMD},
		{"with the workloads", benchMD + scenariosMD},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := scenarioPlots(tt.md)
			if err != nil || len(ps) != 5 {
				t.Fatalf("%d scenario plots, %v; want 5 (loop, 3 disk, compare)", len(ps), err)
			}
			dir := t.TempDir()
			md := filepath.Join(dir, "bench.md")
			if err := os.WriteFile(md, []byte(tt.md), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "bench.png")
			if dir := os.Getenv("CHARTS_TEST_OUT"); dir != "" {
				out = filepath.Join(dir, "bench-"+strings.ReplaceAll(tt.name, " ", "-")+".png") // to look at
			}
			if err := Bench(md, out); err != nil {
				t.Fatal(err)
			}
			checkPNG(t, out)
		})
	}
	tb, err := costTable(benchMD + scenariosMD)
	if err != nil || tb.Column("fps ×") < 0 || len(tb.Rows) != 2 {
		t.Errorf("cost table %+v, %v", tb, err)
	}
}
