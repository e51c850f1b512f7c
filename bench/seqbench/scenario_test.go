package seqbench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"go.uber.org/goleak"

	"seqview/internal/slowfs"
	"seqview/internal/testframes"
	"seqview/loader"
)

// tinyEnv is an Env over n tiny frames on a share with small latencies.
func tinyEnv(t *testing.T, n int) *Env {
	t.Helper()
	base := tinyFS(n)
	env, err := NewEnv(base, tinySeq(t, base), slowfs.Config{OpenLatency: 2 * time.Millisecond, ReadLatency: time.Millisecond}, 32, 18)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// TestRunLoop: a loop of tiny frames, which all fit the view cache, plays
// its second pass from memory: no file opened, no frame decoded again.
// (Whether a frame is late depends on the machine's timing: not checked.)
func TestRunLoop(t *testing.T) {
	defer goleak.VerifyNone(t)
	env := tinyEnv(t, 8)
	l, err := RunLoop(env, 6, 2, 200)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Passes) != 2 || l.Passes[0].Frames != 6 || l.Passes[1].Frames != 6 {
		t.Fatalf("passes %+v, want 2 of 6 frames", l.Passes)
	}
	if p := l.Passes[1]; p.Opens != 0 || p.Made != 0 || p.FPS <= 0 {
		t.Errorf("second pass %+v: want 0 opens, 0 decoded again, a rate", p)
	}
	if p := l.Passes[0]; p.Opens < 6 {
		t.Errorf("first pass opened %d files, want every frame's", p.Opens)
	}
	if l.Run.Errors > 0 {
		t.Errorf("%d errors, first %v", l.Run.Errors, l.Run.FirstErr)
	}
	md := l.Markdown()
	for _, want := range []string{"| loop pass |", "| 2 | 6 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("loop table lacks %q:\n%s", want, md)
		}
	}
	if _, err := RunLoop(env, 9, 2, 200); err == nil {
		t.Error("a loop longer than the sequence ran")
	}
}

// TestLoopTargets: the second pass must keep the rate, be on time and come
// from memory; the first must reach the share's bound.
func TestLoopTargets(t *testing.T) {
	tests := []struct {
		name string
		pass Pass
		ok   bool
	}{
		{"from memory", Pass{FPS: 24}, true},
		{"slow", Pass{FPS: 20}, false},
		{"late", Pass{FPS: 24, Late: 1}, false},
		{"decoded again", Pass{FPS: 24, Made: 1}, false},
		{"read again", Pass{FPS: 24, Opens: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Loop{Frames: 48, FPS: 24, Bound: 10, Passes: []Pass{{FPS: 9.5}, tt.pass}}
			ts := l.Targets()
			if len(ts) != 2 || ts[0].Pass != tt.ok || !ts[1].Pass {
				t.Errorf("targets %v; want the second pass's %v, the first's PASS", ts, tt.ok)
			}
		})
	}
}

// TestRunDisk: a second visit reads no frame the first copied from the
// share, except the one whose time changed; the tier's playback cost is
// checked against runs without it.
func TestRunDisk(t *testing.T) {
	defer goleak.VerifyNone(t)
	const n, changed = 8, 2
	env := tinyEnv(t, n)
	ws := Workloads(n, 20*time.Millisecond, 1)
	play := ws[5]
	play.Play = &Playback{FPS: 200, For: time.Minute}
	dt, err := RunDisk(env, t.TempDir(), []Workload{ws[0], play}, 1, changed)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range dt.Visits {
		got = append(got, v.Workload+"/"+v.Visit)
		if v.Res.Errors > 0 {
			t.Errorf("%s/%s: %d errors, first %v", v.Workload, v.Visit, v.Res.Errors, v.Res.FirstErr)
		}
		switch v.Visit {
		case "first":
			if v.Copied == 0 || v.Disk.Writes == 0 {
				t.Errorf("%s first visit: %d copied, %d written; want copies", v.Workload, v.Copied, v.Disk.Writes)
			}
		case "second":
			if v.CopiedOpens != 0 || v.ChangedOpens != 1 || v.Disk.Hits == 0 {
				t.Errorf("%s second visit: %d opens of unchanged copies, %d of the changed frame, %d local hits; want 0, 1, some",
					v.Workload, v.CopiedOpens, v.ChangedOpens, v.Disk.Hits)
			}
		}
	}
	if want := "forward/first forward/second playback/no disk playback/first playback/second"; strings.Join(got, " ") != want {
		t.Errorf("visits %v, want %s", got, want)
	}
	ts := dt.Targets()
	if len(ts) != 2 || !ts[0].Pass || !strings.Contains(ts[1].Detail, "fps with it") {
		t.Errorf("targets %v", ts)
	}
	if md := dt.Markdown(env); !strings.Contains(md, "| second | forward |") {
		t.Errorf("disk table:\n%s", md)
	}
}

// TestTouchFS: the touched file reports a later time through Stat and
// through its open file; others are as they are.
func TestTouchFS(t *testing.T) {
	base := fstest.MapFS{"a.png": {Data: []byte("a"), ModTime: time.Unix(100, 0)}, "b.png": {Data: []byte("b"), ModTime: time.Unix(100, 0)}}
	fsys := touchFS{FS: base, name: "a.png", by: time.Hour}
	for _, tt := range []struct {
		name string
		want time.Time
	}{{"a.png", time.Unix(3700, 0)}, {"b.png", time.Unix(100, 0)}} {
		fi, err := fsys.Stat(tt.name)
		if err != nil || !fi.ModTime().Equal(tt.want) {
			t.Errorf("Stat(%s): %v, %v; want %v", tt.name, fi.ModTime(), err, tt.want)
		}
		f, err := fsys.Open(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		fi, err = f.Stat()
		f.Close()
		if err != nil || !fi.ModTime().Equal(tt.want) {
			t.Errorf("Open(%s).Stat: %v, %v; want %v", tt.name, fi.ModTime(), err, tt.want)
		}
	}
}

// TestRunCompare: two sequences compared are each read once per frame,
// every request is shown once both sides have it, and the report says
// the cost as ratios.
func TestRunCompare(t *testing.T) {
	defer goleak.VerifyNone(t)
	const n = 6
	base := fstest.MapFS{}
	for i := 1; i <= n; i++ {
		base[filepathJoin("a", i)] = &fstest.MapFile{Data: testframes.PNG(64, 36, i)}
		base[filepathJoin("b", i)] = &fstest.MapFile{Data: testframes.PNG(64, 36, i+SecondOffset)}
	}
	a, err := FramesIn(base, "a", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := FramesIn(base, "b", 0)
	if err != nil {
		t.Fatal(err)
	}
	env, err := NewEnv(base, a, slowfs.Config{OpenLatency: 2 * time.Millisecond}, 32, 18)
	if err != nil {
		t.Fatal(err)
	}
	ws := Workloads(n, 20*time.Millisecond, 1)
	c, err := RunCompare(env, base, a, b, []Workload{ws[0], ws[5]})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Alone) != 2 || len(c.Pair) != 2 {
		t.Fatalf("%d alone, %d pair results", len(c.Alone), len(c.Pair))
	}
	fwd := c.Pair[0]
	if fwd.Errors > 0 || fwd.Settle < 0 || fwd.Count() != len(ws[0].Events) {
		t.Errorf("compared forward: %d errors (%v), settle %v, %d requests", fwd.Errors, fwd.FirstErr, fwd.Settle, fwd.Count())
	}
	if fwd.FS.Opens != 2*n {
		t.Errorf("compared forward opened %d files, want both sequences' %d once each", fwd.FS.Opens, 2*n)
	}
	if c.Alone[0].FS.Opens != n {
		t.Errorf("alone forward opened %d files, want %d", c.Alone[0].FS.Opens, n)
	}
	md := c.Markdown(env)
	for _, want := range []string{"| A and B | forward |", "| playback |", "median ×"} {
		if !strings.Contains(md, want) {
			t.Errorf("compare report lacks %q:\n%s", want, md)
		}
	}
}

func filepathJoin(dir string, i int) string { return fmt.Sprintf("%s/%04d.png", dir, i) }

func TestHalfConfig(t *testing.T) {
	half := max(1, runtime.NumCPU()/2)
	tests := []struct {
		name string
		in   loader.Config
		want loader.Config
	}{
		{"defaults", loader.Config{}, loader.Config{CacheBytes: 256 << 20, RawBytes: 64 << 20, Decoders: half}},
		{"set", loader.Config{CacheBytes: 100 << 20, RawBytes: 10 << 20, Decoders: 8, CacheFrames: 10},
			loader.Config{CacheBytes: 50 << 20, RawBytes: 5 << 20, Decoders: half, CacheFrames: 10}},
		{"no bytes cache", loader.Config{RawBytes: -1}, loader.Config{CacheBytes: 256 << 20, RawBytes: -1, Decoders: half}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HalfConfig(tt.in)
			if got.CacheBytes != tt.want.CacheBytes || got.RawBytes != tt.want.RawBytes || got.Decoders != tt.want.Decoders || got.CacheFrames != tt.want.CacheFrames {
				t.Errorf("HalfConfig(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFolders(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(a, "0001.png"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b, "0001.png"), []byte("bb"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := Folders{"a": a, "b": b}
	if err := fstest.TestFS(fsys, "a/0001.png", "b/0001.png"); err != nil && !strings.Contains(err.Error(), "open .") {
		t.Error(err)
	}
	for _, tt := range []struct {
		name string
		size int64
	}{{"a/0001.png", 1}, {"b/0001.png", 2}} {
		if fi, err := fsys.Stat(tt.name); err != nil || fi.Size() != tt.size {
			t.Errorf("Stat(%s) = %v, %v; want size %d", tt.name, fi, err, tt.size)
		}
	}
	for _, bad := range []string{"c/0001.png", "../a", "/a"} {
		if _, err := fsys.Open(bad); err == nil {
			t.Errorf("Open(%q) did not fail", bad)
		}
	}
}

// prevReport is a report as the loader benchmark at the previous revision
// printed it (cut down).
const prevReport = `# seqview loader benchmark

- Sequence: 60 frames (####.png), mean file 6.28 MB; view 1280×720.
- Cold load of one frame: 552 ms (read 223 ms + decode and scale 329 ms, median of 3); human pace: a step every 652 ms.
- Machine: 2 cores, GOMAXPROCS 2, go1.26.8 linux/amd64; decoding on every core at once (frames in memory): 6.1 frames/s.

| workload | strategy | requests | hits | dropped | median ms | p95 ms | reads/step | MB read | peak heap MB | settle ms | fps |
|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
| forward | ours | 31 | 97 % | 0 | 0.6 | 113 | 1.03 | 201 | 951 |  |  |
| forward | nocache | 31 | 0 % | 0 | 531 | 582 | 1.00 | 195 | 1111 |  |  |
| held-key | ours | 60 | 0 % | 59 | 529 | 529 | 1.00 | 111 | 132 | 529 |  |
| playback | ours | 28 | 37 % | 0 | 211 | 416 | 1.29 | 226 | 1090 |  | 5.8 |
`

func TestParsePrevious(t *testing.T) {
	rs, setting, err := ParsePrevious(prevReport)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || len(setting) != 2 || !strings.HasPrefix(setting[0], "Cold load") {
		t.Fatalf("%d results, setting %q; want 3 rows of ours and 2 lines", len(rs), setting)
	}
	fwd, held, play := rs[0], rs[1], rs[2]
	if fwd.Strategy != Previous || fwd.Workload != "forward" || fwd.Count() != 31 || fwd.Hits != 29 || fwd.FS.Opens != 32 ||
		fwd.Median != 600*time.Microsecond || fwd.P95 != 113*time.Millisecond || fwd.PeakHeap != 951e6 || fwd.Held || fwd.Playback {
		t.Errorf("forward: %+v", fwd)
	}
	if !held.Held || held.Settle != 529*time.Millisecond || held.Dropped != 59 {
		t.Errorf("held key: %+v", held)
	}
	if !play.Playback || play.FPS != 5.8 {
		t.Errorf("playback: %+v", play)
	}
	// In the report, previous gets its own row and ratio columns.
	env := &Env{Seq: &loader.Sequence{Frames: make([]loader.Frame, 60)}, Slow: DefaultSlow, MeanFileBytes: 6e6,
		Cold: Cold{Read: 200 * time.Millisecond, Decode: 150 * time.Millisecond}}
	ours := &Result{Workload: "forward", Strategy: Ours, N: 31, Median: 300 * time.Microsecond, P95: 20 * time.Millisecond, Opens: []int{1}}
	rep := &Report{Env: env, Results: []*Result{ours, fwd}, Previous: &PreviousRun{Rev: "20f6004", Commit: "20f600456a60fdf2", Setting: setting}}
	md := rep.Markdown()
	for _, want := range []string{"| forward | previous | 31 | 97 % |", "median ÷ previous", "0.5 (both hits)", "Cold load of one frame: 552 ms"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	if _, _, err := ParsePrevious("# nothing\n"); err == nil {
		t.Error("a report without a table parsed")
	}
}

// TestCheckoutRev checks out a revision of a repository made for the test
// into a worktree, and removes it.
func TestCheckoutRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	gitT := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	gitT("init", "-q")
	if err := os.WriteFile(filepath.Join(repo, "f"), []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitT("add", "f")
	gitT("commit", "-q", "-m", "one")
	first := gitT("rev-parse", "HEAD")
	if err := os.WriteFile(filepath.Join(repo, "f"), []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitT("commit", "-q", "-am", "two")

	co, err := CheckoutRev(repo, first[:7])
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(co.Dir, "f")); err != nil || string(data) != "one" || co.Commit != first {
		t.Errorf("checkout of %s: f = %q (%v), commit %s", first[:7], data, err, co.Commit)
	}
	if err := co.Remove(); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(co.Dir); !os.IsNotExist(err) {
		t.Errorf("worktree left at %s (%v)", co.Dir, err)
	}
	if list := gitT("worktree", "list"); strings.Contains(list, co.Dir) {
		t.Errorf("git still lists the worktree:\n%s", list)
	}
	if _, err := CheckoutRev(repo, "nosuchrev"); err == nil || !strings.Contains(err.Error(), "nosuchrev") {
		t.Errorf("checkout of an unknown revision: %v", err)
	}
	// RunPrevious skips, saying why, instead of failing the run.
	p, err := RunPrevious(context.Background(), PreviousOptions{Repo: repo, Rev: "nosuchrev"})
	if err != nil || p.Skipped == "" {
		t.Errorf("RunPrevious of an unknown revision: %+v, %v; want skipped", p, err)
	}
}
