package uibench

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
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
