package loader

import (
	"fmt"
	"image/color"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"seqview/cache/disk"
	"seqview/internal/slowfs"
	"seqview/internal/testframes"
)

// shareFrames is a share of n flat frames 1.png … n.png written an hour
// ago; frame i has red i.
func shareFrames(n int) fstest.MapFS {
	fsys := flatFrames(n)
	for _, f := range fsys {
		f.ModTime = time.Now().Add(-time.Hour)
	}
	return fsys
}

// visit runs a service over base behind a slow share with the local cache
// in dir, does what visit says, and returns the share's counters.
func diskVisit(t *testing.T, base fstest.MapFS, dir string, maxBytes int64, visit func(h *harness)) slowfs.Stats {
	t.Helper()
	d, err := disk.Open(dir, maxBytes)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, base, slowfs.Config{StatLatency: time.Millisecond}, Config{Preload: 2, Disk: d, DiskRoot: "/share/shot"})
	visit(h)
	h.svc.Close()
	d.Close() // writes what is queued
	return h.fs.Stats()
}

// TestDiskTierSecondVisit: a second visit of the same share reads no
// unchanged frame from it; a frame rewritten in between is read again and
// shows its new picture.
func TestDiskTierSecondVisit(t *testing.T) {
	base, dir := shareFrames(8), t.TempDir()
	first := diskVisit(t, base, dir, 1<<30, func(h *harness) {
		for i := range 8 {
			if r := h.showAndWait(i); r.Frame.From != FromFolder {
				t.Fatalf("first visit, frame %d from %v", i, r.Frame.From)
			}
		}
	})
	if first.Opens != 8 {
		t.Fatalf("first visit opened %d files, want 8", first.Opens)
	}
	// A renderer rewrites frame 5 between the visits.
	base["5.png"] = &fstest.MapFile{Data: testframes.Flat(32, 18, color.NRGBA{R: 99, A: 255}), ModTime: time.Now()}
	second := diskVisit(t, base, dir, 1<<30, func(h *harness) {
		h.waitFor("the timeline to show the copies", func() bool { return h.svc.State(2) == StateDisk })
		for i := range 8 {
			r := h.showAndWait(i)
			want, from := i+1, FromDisk
			if i == 4 {
				want, from = 99, FromFolder
			}
			if got := redOf(t, r); got != want || r.Frame.From != from {
				t.Fatalf("second visit, frame %d: red %d from %v, want %d from %v", i, got, r.Frame.From, want, from)
			}
		}
	})
	if second.Opens != 1 || second.OpensOf("5.png") != 1 {
		t.Fatalf("second visit opened %d files (5.png %d times), want only the rewritten 5.png", second.Opens, second.OpensOf("5.png"))
	}
	if second.Stats < 8 {
		t.Fatalf("second visit made %d stats: each frame's copy must be checked against the share", second.Stats)
	}
}

// TestKeepSequenceLocal: the whole sequence is copied in the background,
// and the next visit reads nothing from the share.
func TestKeepSequenceLocal(t *testing.T) {
	base, dir := shareFrames(20), t.TempDir()
	first := diskVisit(t, base, dir, 1<<30, func(h *harness) {
		h.showAndWait(3)
		h.svc.KeepLocal(true)
		h.waitFor("every frame copied", func() bool {
			p := h.svc.KeepProgress()
			return !p.On && p.Done == 20
		})
		if p := h.svc.KeepProgress(); p.Total != 20 || p.Stopped != "" {
			t.Fatalf("progress %+v", p)
		}
		for i, st := range h.svc.States() {
			if st == StateNone {
				t.Fatalf("frame %d shows no local copy: %v", i, h.svc.States())
			}
		}
	})
	for i := range 20 {
		if n := first.OpensOf(fmt.Sprintf("%d.png", i+1)); n != 1 {
			t.Errorf("%d.png read %d times while copying, want once", i+1, n)
		}
	}
	second := diskVisit(t, base, dir, 1<<30, func(h *harness) {
		for i := range 20 {
			if r := h.showAndWait(i); r.Frame.From != FromDisk {
				t.Fatalf("frame %d from %v", i, r.Frame.From)
			}
		}
	})
	if second.Opens != 0 {
		t.Fatalf("the visit after Keep Sequence Local opened %d files", second.Opens)
	}
}

// TestKeepStopsAtTheBudget: copying stops when the disk budget is full and
// says so.
func TestKeepStopsAtTheBudget(t *testing.T) {
	base := testframes.MapFS("%d.png", 1, 20, func(i int) []byte { return testframes.PNG(64, 64, i) })
	var size int64
	for _, f := range base {
		f.ModTime = time.Now().Add(-time.Hour)
		size = max(size, int64(len(f.Data)))
	}
	const overhead = 300 // an entry's header and path
	diskVisit(t, base, t.TempDir(), 6*(size+overhead)+size/2, func(h *harness) {
		h.showAndWait(0)
		h.svc.KeepLocal(true)
		h.waitFor("copying to stop", func() bool { return !h.svc.KeepProgress().On })
		h.waitFor("the copies made to be written", func() bool { return h.svc.KeepProgress().Done >= 6 })
		p, st := h.svc.KeepProgress(), h.svc.Stats().Disk
		// Six copies fit the budget; a seventh may, if the read-ahead
		// wrote one beyond where the copying stopped.
		if !strings.Contains(p.Stopped, "full") || p.Done > 7 || st.Bytes > st.MaxBytes {
			t.Fatalf("progress %+v, disk %+v: want a stop at the budget after six frames", p, st)
		}
	})
}

// shrinkingFS reports a larger size for name than its file then reads: the
// file shrank between the stat and the read, as one a renderer truncates
// to rewrite it.
type shrinkingFS struct {
	fstest.MapFS
	name string
}

func (s shrinkingFS) Stat(name string) (fs.FileInfo, error) {
	fi, err := s.MapFS.Stat(name)
	if err != nil || name != s.name {
		return fi, err
	}
	return grownInfo{fi}, nil
}

type grownInfo struct{ fs.FileInfo }

func (g grownInfo) Size() int64 { return g.FileInfo.Size() + 100 }

// TestDiskTierSkipsAFileChangedWhileRead: a file whose size changed
// between the stat and the read is shown, but not copied to local disk.
func TestDiskTierSkipsAFileChangedWhileRead(t *testing.T) {
	base, dir := shareFrames(3), t.TempDir()
	d, err := disk.Open(dir, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	fsys := shrinkingFS{base, "2.png"}
	seqs, err := Scan(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan Result, 8)
	svc := NewService(fsys, seqs[0], Config{Disk: d, DiskRoot: "/share", Deliver: func(r Result) { got <- r }})
	for i := range 3 {
		if _, ok := svc.Show(i); !ok {
			if r := <-got; r.Err != nil {
				t.Fatalf("frame %d: %v", i, r.Err)
			}
		}
	}
	svc.Close()
	d.Close()
	d, err = disk.Open(dir, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.HasPath("/share/2.png") || !d.HasPath("/share/1.png") || !d.HasPath("/share/3.png") {
		t.Fatalf("copies: 1 %v, 2 %v (changed while read), 3 %v", d.HasPath("/share/1.png"), d.HasPath("/share/2.png"), d.HasPath("/share/3.png"))
	}
}
