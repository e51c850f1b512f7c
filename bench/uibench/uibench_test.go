package uibench

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"seqview/bench/seqbench"
)

func TestMarkerRoundTrip(t *testing.T) {
	if MarkerCodes != 210 {
		t.Fatalf("MarkerCodes = %d, want 6³ - 6 greys = 210", MarkerCodes)
	}
	seen := map[color.RGBA]int{}
	for code := range MarkerCodes {
		c := MarkerColor(code)
		if prev, dup := seen[c]; dup {
			t.Fatalf("codes %d and %d share colour %v", prev, code, c)
		}
		seen[c] = code
		if c.R == c.G && c.G == c.B {
			t.Errorf("code %d is a grey %v", code, c)
		}
		got, ok := DecodeMarker(c)
		if !ok || got != code {
			t.Errorf("DecodeMarker(MarkerColor(%d) = %v) = %d, %v", code, c, got, ok)
		}
		// Within the tolerance, every channel nudged either way.
		for _, d := range []int{-MarkerTolerance, MarkerTolerance} {
			n := color.RGBA{nudge(c.R, d), nudge(c.G, d), nudge(c.B, d), 255}
			if got, ok := DecodeMarker(n); !ok || got != code {
				t.Errorf("code %d nudged by %d to %v decodes to %d, %v", code, d, n, got, ok)
			}
		}
	}
}

func nudge(v uint8, d int) uint8 { return uint8(min(max(int(v)+d, 0), 255)) }

func TestDecodeMarkerRejects(t *testing.T) {
	for _, c := range []color.RGBA{
		{0, 0, 0, 255}, {255, 255, 255, 255}, {30, 30, 30, 255}, {51, 51, 51, 255}, // greys: background, letterbox
		{0, 0, 26, 255},     // half-way between two levels
		{128, 40, 200, 255}, // frame content between levels
		{0, 0, 51 - MarkerTolerance - 1, 255},
	} {
		if code, ok := DecodeMarker(c); ok {
			t.Errorf("DecodeMarker(%v) = %d, want no marker", c, code)
		}
	}
}

func TestFrameCodesAndDistance(t *testing.T) {
	const unique = 128
	if FrameCode(1, unique) != 0 || FrameCode(128, unique) != 127 || FrameCode(129, unique) != 0 {
		t.Error("FrameCode does not wrap at unique")
	}
	for pos := 1; pos <= 1300; pos++ {
		for _, d := range []int{1, 2, 10, 60, -1, -10, -63} {
			if pos+d < 1 {
				continue
			}
			if got := CodeDistance(FrameCode(pos, unique), FrameCode(pos+d, unique), unique); got != d {
				t.Fatalf("CodeDistance from frame %d to %d = %d, want %d", pos, pos+d, got, d)
			}
		}
	}
}

func TestSummarize(t *testing.T) {
	ms := func(vs ...float64) []time.Duration {
		var ds []time.Duration
		for _, v := range vs {
			ds = append(ds, time.Duration(v*float64(time.Millisecond)))
		}
		return ds
	}
	if s := Summarize(nil); s.N != 0 || s.Median != 0 {
		t.Errorf("Summarize(nil) = %+v", s)
	}
	// 1..20 shuffled: median 10.5, p95 by nearest rank = the 19th = 19.
	in := ms(20, 3, 1, 19, 2, 18, 4, 17, 5, 16, 6, 15, 7, 14, 8, 13, 9, 12, 10, 11)
	orig := append([]time.Duration(nil), in...)
	s := Summarize(in)
	if s.N != 20 || s.Median != 10500*time.Microsecond || s.P95 != 19*time.Millisecond ||
		s.Min != time.Millisecond || s.Max != 20*time.Millisecond {
		t.Errorf("Summarize(1..20) = %+v", s)
	}
	if s.Within16 != 0.8 {
		t.Errorf("Within16 = %v, want 16 of 20", s.Within16)
	}
	for i := range in {
		if in[i] != orig[i] {
			t.Fatal("Summarize reordered its argument")
		}
	}
	// Odd count: the middle one; p95 of 5 is the largest.
	if s := Summarize(ms(5, 1, 3, 2, 100)); s.Median != 3*time.Millisecond || s.P95 != 100*time.Millisecond {
		t.Errorf("Summarize(5 samples) = %+v", s)
	}
	if s := Summarize(ms(7)); s.Median != 7*time.Millisecond || s.P95 != 7*time.Millisecond {
		t.Errorf("one sample: %+v", s)
	}
	if !math.IsNaN(Ratio(time.Second, 0)) || Ratio(time.Second, 4*time.Second) != 0.25 {
		t.Error("Ratio")
	}
}

func TestAnalyzePlayback(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	const unique = 128
	// Showing code 126 at Space; then 127, 0, 1 (wrapping), 3 (skips 2),
	// 2 (backwards), 3: one frame every 100 ms from 50 ms.
	cs := []Change{{at(0), 126}, {at(50), 127}, {at(150), 0}, {at(250), 1}, {at(350), 3}, {at(450), 2}, {at(550), 3}}
	st := AnalyzePlayback(cs, t0, unique)
	if st.First != 50*time.Millisecond || st.Frames != 6 || st.Skipped != 1 || st.Backwards != 1 || st.InOrder != 4 {
		t.Errorf("AnalyzePlayback = %+v", st)
	}
	if st.Span != 500*time.Millisecond {
		t.Errorf("Span = %v", st.Span)
	}
	// Forward after the first new frame: 0, 1, 3, and 3 again after the
	// step back = 4 frames in 0.5 s.
	if math.Abs(st.FPS-8) > 1e-9 {
		t.Errorf("FPS = %v, want 8", st.FPS)
	}
	if st := AnalyzePlayback(cs[:1], t0, unique); st.Frames != 0 || st.FPS != 0 {
		t.Errorf("no change: %+v", st)
	}
}

func TestLocatePatch(t *testing.T) {
	img := image.NewRGBA(image.Rect(100, 200, 500, 500))
	for i := range img.Pix {
		img.Pix[i] = 40 // a grey background
	}
	c := MarkerColor(17)
	patch := image.Rect(250, 300, 330, 380)
	for y := patch.Min.Y; y < patch.Max.Y; y++ {
		for x := patch.Min.X; x < patch.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
	// A stray pixel of the colour elsewhere does not count as the patch.
	img.SetRGBA(110, 210, c)
	if _, ok := LocatePatch(img, c); ok {
		t.Error("a patch plus a far stray pixel was accepted: the box is mostly not the colour")
	}
	img.SetRGBA(110, 210, color.RGBA{40, 40, 40, 255})
	r, ok := LocatePatch(img, c)
	if !ok || r != patch {
		t.Fatalf("LocatePatch = %v, %v; want %v", r, ok, patch)
	}
	p := ProbeRect(r)
	if p.Dx() != 16 || p.Dy() != 16 || !p.In(patch) {
		t.Errorf("ProbeRect(%v) = %v", r, p)
	}
	if got, ok := DecodeMarker(MedianColor(img.SubImage(p).(*image.RGBA))); !ok || got != 17 {
		t.Errorf("the probe decodes %d, %v", got, ok)
	}
	if _, ok := LocatePatch(img, MarkerColor(18)); ok {
		t.Error("found a patch of a colour that is not there")
	}
}

func TestMarkedPNG(t *testing.T) {
	const w, h = 160, 90
	img, err := png.Decode(bytes.NewReader(MarkedPNG(w, h, 3, 42)))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.NRGBA); !ok {
		t.Errorf("decodes to %T, want *image.NRGBA like testframes' frames", img)
	}
	r := MarkerRect(w, h)
	if r.Dx() != h/5 || r.Dx() != r.Dy() {
		t.Errorf("MarkerRect = %v", r)
	}
	for _, p := range []image.Point{r.Min, r.Max.Sub(image.Pt(1, 1)), {(r.Min.X + r.Max.X) / 2, (r.Min.Y + r.Max.Y) / 2}} {
		c := color.RGBAModel.Convert(img.At(p.X, p.Y)).(color.RGBA)
		if got, ok := DecodeMarker(c); !ok || got != 42 {
			t.Errorf("pixel %v = %v decodes to %d, %v; want 42", p, c, got, ok)
		}
	}
}

func TestParseStatusKB(t *testing.T) {
	status := []byte("Name:\tseqview\nVmPeak:\t 2000 kB\nVmHWM:\t  183604 kB\nVmRSS:\t  100 kB\n")
	if v, err := ParseStatusKB(status, "VmHWM"); err != nil || v != 183604<<10 {
		t.Errorf("VmHWM = %d, %v", v, err)
	}
	if _, err := ParseStatusKB(status, "VmSwap"); err == nil {
		t.Error("a missing field gave no error")
	}
}

func TestDatasetEnsure(t *testing.T) {
	root := t.TempDir()
	d := Dataset{Name: "tiny", W: 64, H: 36, Unique: 4, Total: 10}
	dir, err := d.Ensure(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	for pos := 1; pos <= d.Total; pos++ {
		f, err := png.Decode(mustOpen(t, dir, pos))
		if err != nil {
			t.Fatalf("frame %d: %v", pos, err)
		}
		r := MarkerRect(d.W, d.H)
		c := color.RGBAModel.Convert(f.At((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)).(color.RGBA)
		if got, ok := DecodeMarker(c); !ok || got != d.Code(pos) {
			t.Errorf("frame %d shows marker %d, %v; want %d", pos, got, ok, d.Code(pos))
		}
	}
	// Again, shorter: nothing regenerated, the extra frames removed.
	d.Total = 6
	if _, err := d.Ensure(root, func(int, int) { t.Error("regenerated a frame that was there") }); err != nil {
		t.Fatal(err)
	}
	if _, err := openFrame(dir, 7); err == nil {
		t.Error("frame 7 is still there after a shorter Ensure")
	}
}

func mustOpen(t *testing.T, dir string, pos int) *bytes.Reader {
	t.Helper()
	data, err := openFrame(dir, pos)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(data)
}

func openFrame(dir string, pos int) ([]byte, error) {
	return os.ReadFile(filepath.Join(dir, FrameName(pos)))
}

func TestDecodeProbe(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	fill := func(rows image.Rectangle, c color.RGBA) {
		for y := rows.Min.Y; y < rows.Max.Y; y++ {
			for x := rows.Min.X; x < rows.Max.X; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	a, b := MarkerColor(5), MarkerColor(100)
	fill(img.Bounds(), a)
	img.SetRGBA(3, 3, color.RGBA{200, 200, 200, 255}) // a stray pixel (a cursor)
	if code, ok := DecodeProbe(img); !ok || code != 5 {
		t.Errorf("one frame with a stray pixel: %d, %v", code, ok)
	}
	// Half old frame, half new, as during a swap: neither, and not a
	// third marker the per-channel median would make.
	fill(image.Rect(0, 8, 16, 16), b)
	if code, ok := DecodeProbe(img); ok {
		t.Errorf("a torn capture decodes as %d", code)
	}
	if code, ok := DecodeMarker(MedianColor(img)); ok && code != 5 && code != 100 {
		t.Logf("(the median of the torn capture would have read marker %d)", code)
	}
}

func TestTargets(t *testing.T) {
	ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	cell := func(viewer, m string, vs ...float64) *Cell {
		c := &Cell{Viewer: viewer, Measure: m}
		for _, v := range vs {
			c.Samples = append(c.Samples, ms(v))
		}
		c.Sum = Summarize(c.Samples)
		return c
	}
	cfg := Configs()[1] // 4k share
	if cfg.Name() != "4k share" {
		t.Fatalf("Configs()[1] is %q", cfg.Name())
	}
	play := cell(Ours, Play, 150, 160)
	play.Play = &PlayStats{FPS: 6.2}
	c := ConfigReport{
		Config: cfg,
		Ref:    Reference{Cold: seqbenchCold(ms(200), ms(300)), MeanFileBytes: 6e6},
		Cells: []*Cell{
			cell(Ours, Cached, 10, 12, 14), cell("naive", Cached, 700, 750),
			cell(Ours, ReadAhead, 20, 22, 24), cell("naive", ReadAhead, 150, 160),
			cell("floor", Cached, 15, 16, 17),
			cell(Ours, Held, 600, 610), // limit 1.2 × (500 + 16) = 619 ms
			play,                       // bound min(24, 60/6 = 10, 2 cores / 0.3 s = 6.67): 93 %
		},
	}
	got := map[string]bool{}
	for _, tg := range c.Targets(24) {
		got[tg.Name] = tg.Pass
		t.Log(tg)
	}
	want := map[string]bool{
		"cached step median ≤ 16.0 ms":                true,
		"cached step ≥ 10× faster than naive":         true,  // 750/12 = 60×
		"read-ahead step median ≤ 16.0 ms":            false, // 22 ms
		"read-ahead step ≥ 10× faster than naive":     false, // 155/22 = 7×
		"held key settles within 1.2 × one cold load": true,
		"playback ≥ 90 % of the bound":                true,
	}
	if runtime.NumCPU() != 2 {
		delete(want, "playback ≥ 90 % of the bound") // the bound counts the cores
	}
	for name, pass := range want {
		if p, ok := got[name]; !ok || p != pass {
			t.Errorf("%s: got pass=%v (present %v), want %v", name, p, ok, pass)
		}
	}
	// 1080p has no targets.
	c.Config = Configs()[2]
	if ts := c.Targets(24); len(ts) != 0 {
		t.Errorf("1080p targets: %v", ts)
	}
}

func seqbenchCold(read, decode time.Duration) seqbench.Cold {
	return seqbench.Cold{Read: read, Decode: decode}
}

func TestTitlePos(t *testing.T) {
	for title, want := range map[string]int{
		"00120.png (120/1300) — seqview": 120,
		"shot 1 (2).png (7/9) — seqview": 7,
		"00120.png (120/1300) - seqview": 0, // a hyphen, not the contract's em dash
		"seqview":                        0,
		"a.png (x/3) — seqview":          0,
	} {
		if got := TitlePos(title); got != want {
			t.Errorf("TitlePos(%q) = %d, want %d", title, got, want)
		}
	}
}

func TestAnalyzePass(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	const unique, period = 6, 40 * time.Millisecond
	tests := []struct {
		name                           string
		cs                             []Change
		frames, inOrder, skipped, late int
		span                           time.Duration
	}{
		// The last frame of the pass before, then 0 … 5, 40 ms apart.
		{"on time", []Change{{at(0), 5}, {at(40), 0}, {at(80), 1}, {at(120), 2}, {at(160), 3}, {at(200), 4}, {at(240), 5}},
			6, 6, 0, 0, 240 * time.Millisecond},
		// Painted on a 60 Hz tick: 33 and 50 ms apart are on time.
		{"ticks", []Change{{at(0), 5}, {at(33), 0}, {at(83), 1}, {at(116), 2}},
			3, 3, 0, 0, 116 * time.Millisecond},
		// Frame 1 up for three frame times (two missed), frame 3 skipped.
		{"late and skipped", []Change{{at(0), 5}, {at(40), 0}, {at(80), 1}, {at(200), 2}, {at(240), 4}},
			4, 3, 1, 2, 240 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := AnalyzePass(tt.cs, unique, period)
			if st.Frames != tt.frames || st.InOrder != tt.inOrder || st.Skipped != tt.skipped || st.Late != tt.late || st.Span != tt.span {
				t.Errorf("AnalyzePass = %+v; want %d frames, %d in order, %d skipped, %d late over %v", st, tt.frames, tt.inOrder, tt.skipped, tt.late, tt.span)
			}
			if want := float64(tt.frames) / tt.span.Seconds(); math.Abs(st.FPS-want) > 1e-9 {
				t.Errorf("FPS = %v, want %v", st.FPS, want)
			}
		})
	}
	if st := AnalyzePass([]Change{{at(0), 1}}, unique, period); st.Frames != 0 || st.FPS != 0 {
		t.Errorf("no change: %+v", st)
	}
}

func TestParseWork(t *testing.T) {
	// A command name with spaces and parentheses; utime 250, stime 50 ticks.
	stat := []byte("1234 (bench (x) y) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 12 0 500 100000 200\n")
	io := []byte("rchar: 6300000\nwchar: 10\nsyscr: 5\n")
	w, err := ParseWork(stat, io)
	if err != nil || w.CPU != 3*time.Second || w.Read != 6300000 {
		t.Errorf("ParseWork = %+v, %v; want 3s CPU, 6300000 bytes", w, err)
	}
	for _, bad := range [][2]string{{"1234 (x", "rchar: 1\n"}, {"1234 (x) S 1", "rchar: 1\n"}, {string(stat), "wchar: 1\n"}} {
		if _, err := ParseWork([]byte(bad[0]), []byte(bad[1])); err == nil {
			t.Errorf("ParseWork(%q, %q) did not fail", bad[0], bad[1])
		}
	}
	// The harness's own process, as the scenarios read a viewer's.
	pid := os.Getpid()
	stat, err1 := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	io, err2 := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err1 != nil || err2 != nil {
		t.Skipf("no /proc: %v %v", err1, err2)
	}
	if _, err := ParseWork(stat, io); err != nil {
		t.Error(err)
	}
}

func TestWorkDecoded(t *testing.T) {
	ref := Reference{Cold: seqbenchCold(200*time.Millisecond, 150*time.Millisecond), MeanFileBytes: 6e6}
	tests := []struct {
		name string
		w    Work
		want bool
	}{
		{"paint only", Work{CPU: 30 * 12 * time.Millisecond, Read: 4096, Count: 30}, false},
		{"a decode a step", Work{CPU: 30 * 160 * time.Millisecond, Count: 30}, true},
		{"one file read", Work{CPU: 30 * 12 * time.Millisecond, Read: 6e6, Count: 30}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.Decoded(ref); got != tt.want {
				t.Errorf("Decoded(%s) = %v, want %v", &tt.w, got, tt.want)
			}
		})
	}
}

func TestLoopDataset(t *testing.T) {
	d := Datasets[0].LoopDataset()
	root := "/r"
	if d.Unique != LoopFrames || d.Total != LoopFrames || d.W != 3840 || d.Dir(root) != "/r/3840x2160/loop48" || Datasets[0].Dir(root) != "/r/3840x2160/seq" {
		t.Errorf("loop dataset %+v in %s", d, d.Dir(root))
	}
	// The loop's codes go round with its frames.
	if d.Code(1) != 0 || d.Code(48) != 47 || CodeDistance(d.Code(48), d.Code(1), d.Unique) != 1 {
		t.Error("loop codes")
	}
	tiny := Dataset{Name: "tiny", W: 64, H: 36, Unique: 4, Total: 4, Folder: "loop4"}
	dir, err := tiny.Ensure(t.TempDir(), nil)
	if err != nil || filepath.Base(dir) != "loop4" {
		t.Fatalf("Ensure: %s, %v", dir, err)
	}
	if _, err := openFrame(dir, 4); err != nil {
		t.Error(err)
	}
}

func TestNewTargets(t *testing.T) {
	ref := Reference{Cold: seqbenchCold(200*time.Millisecond, 150*time.Millisecond), MeanFileBytes: 6e6}
	c := &ConfigReport{Config: Configs()[1], Ref: ref}
	steps := func(n int, d time.Duration) []time.Duration {
		s := make([]time.Duration, n)
		for i := range s {
			s[i] = d
		}
		return s
	}
	cell := func(viewer, m string, samples []time.Duration) *Cell {
		return &Cell{Viewer: viewer, Measure: m, Samples: samples, Sum: Summarize(samples), PeakRSS: 500e6}
	}
	back := cell(Ours, Back, steps(30, 25*time.Millisecond))
	back.Work = &Work{CPU: 30 * 10 * time.Millisecond, Count: 30}
	prevBack := cell("previous", Back, steps(30, 200*time.Millisecond))
	prevBack.Work = &Work{CPU: 30 * 300 * time.Millisecond, Count: 30}
	l1, l2 := cell(Ours, LoopFirst, nil), cell(Ours, LoopSecond, steps(48, 41*time.Millisecond))
	l1.Play = &PlayStats{FPS: 9, Frames: 47}
	l2.Play = &PlayStats{FPS: 23.5, Frames: 48, Late: 1}
	l2.Work = &Work{CPU: 48 * 10 * time.Millisecond, Count: 48}
	mem, prevMem := cell(Ours, Memory, steps(60, 15*time.Millisecond)), cell("previous", Memory, steps(60, 15*time.Millisecond))
	prevMem.PeakRSS = 990e6
	c.Cells = []*Cell{back, prevBack, l1, l2, mem, prevMem}
	got := map[string]Target{}
	for _, tg := range c.newTargets(24) {
		got[strings.Fields(tg.Name)[0]] = tg
	}
	check := func(key string, pass bool, detail string) {
		t.Helper()
		tg, ok := got[key]
		if !ok || tg.Pass != pass || !strings.Contains(tg.Detail, detail) {
			t.Errorf("target %q: %+v; want pass %v, detail with %q", key, tg, pass, detail)
		}
	}
	check("30", true, "median 25.0 ms")
	check("loop", false, "1 frame times missed") // the second pass
	check("loop,", true, "9.0 fps of")           // the first, of min(60 MB/s ÷ 6 MB = 10, cores ÷ 150 ms)
	check("peak", true, "500 MB after 60 steps; previous 990 MB")
	// Another decode a step, or a step back too slow, misses.
	back.Work.CPU = 30 * 100 * time.Millisecond
	for _, tg := range c.newTargets(24) {
		if strings.HasPrefix(tg.Name, "30 steps back") && tg.Pass {
			t.Errorf("%s: a decode a step passed", tg)
		}
	}
}
