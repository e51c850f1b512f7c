package loader

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"seqview/internal/slowfs"
	"seqview/loader/look"
)

// TestLookAdjustsAndFlicksFromCache: frames come adjusted to the look, the
// read-ahead too; flicking back and forth between looks on cached frames
// is answered at once.
func TestLookAdjustsAndFlicksFromCache(t *testing.T) {
	h := newHarness(t, flatFrames(6), slowfs.Config{}, Config{Preload: 2})
	h.showAndWait(0)
	red := look.Look{Channel: look.Red, Gamma: 1}
	h.svc.SetLook(red)
	r := h.showAndWait(0)
	if p := r.Frame.View.Pix[:4]; p[0] != 1 || p[1] != 1 || p[2] != 1 || r.Frame.Look.Key() != red.Key() {
		t.Fatalf("frame 1 under R: pixel %v, look %v; want grey 1 (its red)", p, r.Frame.Look)
	}
	h.waitFor("the read-ahead adjusted", func() bool {
		r, ok := h.svc.Show(1)
		return ok && r.Frame.Look.Key() == red.Key()
	})
	if r, _ := h.svc.Show(1); r.Frame.View.Pix[0] != 2 || r.Frame.View.Pix[2] != 2 {
		t.Fatalf("frame 2 under R: %v", r.Frame.View.Pix[:4])
	}
	for _, l := range []look.Look{{Gamma: 1}, red, {Gamma: 1}} {
		h.svc.SetLook(l)
		r, ok := h.svc.Show(1)
		if !ok || r.Frame.Look.Key() != l.Key() {
			t.Fatalf("flicking to %v on a cached frame: ok %v", l, ok)
		}
	}
}

// TestDeepFrameExposedFrom16Bits: a 16-bit frame asked for under exposure
// is adjusted from its 16-bit values, after its 8-bit view.
func TestDeepFrameExposedFrom16Bits(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "rgba16.png"))
	if err != nil {
		t.Fatal(err)
	}
	base := fstest.MapFS{"1.png": {Data: data, ModTime: time.Now().Add(-time.Hour)}, "2.png": {Data: data}}
	h := newHarness(t, base, slowfs.Config{}, Config{Preload: 1})
	h.showAndWait(0)
	h.svc.SetLook(look.Look{Exposure: 1, Gamma: 1})
	h.waitFor("the frame exposed from its 16-bit values", func() bool {
		r, ok := h.svc.Show(0)
		return ok && r.Frame.Deep && r.Frame.Look.Exposure == 1
	})
	if st := h.svc.Stats(); st.Fulls.Entries == 0 {
		t.Fatal("no full decode kept for the 16-bit frame shown")
	}
}
