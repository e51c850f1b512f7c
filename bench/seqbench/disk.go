package seqbench

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"seqview/cache/disk"
)

// DiskBudget is the local-disk tier's budget in the disk scenario: the
// app's default (-disk-mb 2048), which holds the whole sequence.
const DiskBudget = 2048 << 20

// goalDiskCost is the most the local-disk tier may cost first-visit
// playback: a share of the rate without it.
const goalDiskCost = 0.05

// Visit is one run of a workload in the disk scenario, as one run of the
// app would make it.
type Visit struct {
	Workload string
	Visit    string // "first", "second" or "no disk"
	Res      *Result
	Disk     disk.Stats // the tier's counters once closed (zero without one)
	// Copied counts the frames with a copy on local disk after the visit.
	Copied int
	// CopiedOpens (second visit) counts share opens of frames the first
	// visit copied, left unchanged: the goal is none. ChangedOpens counts
	// those of the frame changed between the visits.
	CopiedOpens  int
	ChangedOpens int
	copied       []bool
}

// DiskTier is the local-disk scenario: first and second visits with
// Config.Disk, and first visits without, on a share that answers a stat
// as slowly as an open.
type DiskTier struct {
	Frames  int
	Changed int // the frame whose time on the share changed between visits
	Visits  []*Visit
}

// RunDisk runs the disk scenario over env's sequence: for the forward
// workload at a human pace and for playback of every frame, a first visit
// with an empty local-disk tier in a folder under tmp, then a second with
// that tier closed and opened again, as the next run of the app would
// (frame changed has a new modification time on the share by then); and
// for playback, rounds runs without the tier, each before a first visit
// with a fresh tier, so the tier's cost compares runs made side by side.
func RunDisk(env *Env, tmp string, ws []Workload, rounds int, changed int) (*DiskTier, error) {
	e := *env
	e.Slow.StatLatency = e.Slow.OpenLatency
	root := env.Loader.DiskRoot
	if root == "" {
		root = "/seqbench" // names the frames in the tier; nothing is read there
	}
	dt := &DiskTier{Frames: env.Seq.Len(), Changed: changed}
	run := 0
	visits := func(w Workload) error {
		run++
		dir := filepath.Join(tmp, fmt.Sprintf("disk-%d-%s", run, w.Name))
		first, err := visit(&e, w, "first", dir, root, env.Base, nil)
		if err != nil {
			return err
		}
		touched := touchFS{FS: env.Base, name: env.Seq.Path(changed), by: time.Hour}
		second, err := visit(&e, w, "second", dir, root, touched, first.copied)
		if err != nil {
			return err
		}
		for i, was := range first.copied {
			switch {
			case i == changed:
				second.ChangedOpens = second.Res.Opens[i]
			case was:
				second.CopiedOpens += second.Res.Opens[i]
			}
		}
		dt.Visits = append(dt.Visits, first, second)
		return os.RemoveAll(dir)
	}
	for _, w := range ws {
		if w.Play == nil {
			if err := visits(w); err != nil {
				return nil, err
			}
			continue
		}
		for range max(rounds, 1) {
			res, err := Run(&e, Ours, w)
			if err != nil {
				return nil, err
			}
			dt.Visits = append(dt.Visits, &Visit{Workload: w.Name, Visit: "no disk", Res: res})
			if err := visits(w); err != nil {
				return nil, err
			}
		}
	}
	return dt, nil
}

// visit runs w once with a local-disk tier opened in dir and closed after,
// over base; copied, for a second visit, says which frames the first left
// on disk.
func visit(env *Env, w Workload, name, dir, root string, base fs.FS, copied []bool) (*Visit, error) {
	d, err := disk.Open(dir, DiskBudget)
	if err != nil {
		return nil, fmt.Errorf("seqbench: %w", err)
	}
	e := *env
	e.Base = base
	e.Loader.Disk, e.Loader.DiskRoot = d, root
	res, err := Run(&e, Ours, w)
	d.Close()
	if err != nil {
		return nil, err
	}
	v := &Visit{Workload: w.Name, Visit: name, Res: res, Disk: d.Stats()}
	// What the next run will find: the folder as it is after Close.
	again, err := disk.Open(dir, DiskBudget)
	if err != nil {
		return nil, fmt.Errorf("seqbench: %w", err)
	}
	defer again.Close()
	for i := range env.Seq.Len() {
		held := again.HasPath(filepath.Join(root, filepath.FromSlash(env.Seq.Path(i))))
		v.copied = append(v.copied, held)
		if held {
			v.Copied++
		}
	}
	return v, nil
}

// touchFS is an fs.FS whose file name reports its modification time moved
// by by, as a file a renderer rewrote at the same size would.
type touchFS struct {
	fs.FS
	name string
	by   time.Duration
}

func (t touchFS) Stat(name string) (fs.FileInfo, error) {
	fi, err := fs.Stat(t.FS, name)
	if err == nil && name == t.name {
		fi = touchedInfo{fi, t.by}
	}
	return fi, err
}

func (t touchFS) Open(name string) (fs.File, error) {
	f, err := t.FS.Open(name)
	if err == nil && name == t.name {
		f = touchedFile{f, t.by}
	}
	return f, err
}

type touchedInfo struct {
	fs.FileInfo
	by time.Duration
}

func (i touchedInfo) ModTime() time.Time { return i.FileInfo.ModTime().Add(i.by) }

type touchedFile struct {
	fs.File
	by time.Duration
}

func (f touchedFile) Stat() (fs.FileInfo, error) {
	fi, err := f.File.Stat()
	if err != nil {
		return nil, err
	}
	return touchedInfo{fi, f.by}, nil
}

// find returns the visits of workload w named visit.
func (dt *DiskTier) find(w, visit string) []*Visit {
	var vs []*Visit
	for _, v := range dt.Visits {
		if v.Workload == w && v.Visit == visit {
			vs = append(vs, v)
		}
	}
	return vs
}

// meanFPS is the mean playback rate of vs, 0 if none.
func meanFPS(vs []*Visit) float64 {
	var sum float64
	for _, v := range vs {
		sum += v.Res.FPS
	}
	if len(vs) == 0 {
		return 0
	}
	return sum / float64(len(vs))
}

// Targets checks the disk scenario against issue 14's goals: a second
// visit reads no unchanged frame from the share and reads the changed one
// again; the tier costs first-visit playback at most goalDiskCost.
func (dt *DiskTier) Targets() []Target {
	var ts []Target
	var parts []string
	pass := true
	changedRead := true
	for _, v := range dt.Visits {
		if v.Visit != "second" {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %d opens of %d unchanged frames copied, %d of the changed frame %d, %d opens in all",
			v.Workload, v.CopiedOpens, max(v.Copied-boolInt(v.copied, dt.Changed), 0), v.ChangedOpens, dt.Changed, v.Res.FS.Opens))
		pass = pass && v.CopiedOpens == 0
		if asked(v.Res, dt.Changed) {
			changedRead = changedRead && v.ChangedOpens > 0
		}
	}
	if len(parts) > 0 {
		ts = append(ts, Target{
			Name:   "local-disk tier: a second visit reads no unchanged frame from the share, and a changed one again",
			Pass:   pass && changedRead,
			Detail: strings.Join(parts, "; "),
		})
	}
	with, without := dt.find("playback", "first"), dt.find("playback", "no disk")
	if len(with) > 0 && len(without) > 0 {
		fw, fo := meanFPS(with), meanFPS(without)
		cost := 1 - fw/fo
		ts = append(ts, Target{
			Name: fmt.Sprintf("local-disk tier costs first-visit playback ≤ %.0f %%", 100*goalDiskCost),
			Pass: cost <= goalDiskCost,
			Detail: fmt.Sprintf("%.2f fps with it, %.2f without (%+.1f %%; mean of %d runs each, alternated)",
				fw, fo, -100*cost, len(with)),
		})
	}
	return ts
}

func boolInt(bs []bool, i int) int {
	if i >= 0 && i < len(bs) && bs[i] {
		return 1
	}
	return 0
}

// asked reports whether res asked for frame i.
func asked(res *Result, i int) bool {
	for _, r := range res.Requests {
		if r.Frame == i {
			return true
		}
	}
	return false
}

// Markdown is the disk scenario's table.
func (dt *DiskTier) Markdown(env *Env) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d frames on the share with a stat as slow as an open (%s): the loader stats a frame before it looks for its local copy. "+
		"Each visit is a fresh loader; a first visit starts with an empty local-disk tier (cache/disk, %d MiB, in a temporary folder), "+
		"which is closed (its queued copies flushed) and opened again for the second visit, as the next run of the app would. "+
		"Between the visits frame %d's time on the share moves by an hour (rewritten at the same size). "+
		"Opens: files opened on the share; copied: frames with a local copy after the visit; unchanged opens: the second visit's opens of frames the first copied.\n\n",
		dt.Frames, ms(env.Slow.OpenLatency), DiskBudget>>20, dt.Changed)
	b.WriteString("| disk visit | workload | requests | hits | median ms | p95 ms | fps | opens | MB read | copied | unchanged opens | local hits / misses | copies written / dropped |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, v := range dt.Visits {
		r := v.Res
		fps, copied, unchanged, local, writes := "", "", "", "", ""
		if r.Playback {
			fps = fmt.Sprintf("%.2f", r.FPS)
		}
		if v.Visit != "no disk" {
			copied = fmt.Sprint(v.Copied)
			local = fmt.Sprintf("%d / %d", v.Disk.Hits, v.Disk.Misses)
			writes = fmt.Sprintf("%d / %d", v.Disk.Writes, v.Disk.Dropped)
		}
		if v.Visit == "second" {
			unchanged = fmt.Sprint(v.CopiedOpens)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.0f %% | %s | %s | %s | %d | %.0f | %s | %s | %s | %s |\n",
			v.Visit, v.Workload, r.Count(), 100*r.HitRate, msNum(r.Median), msNum(r.P95), fps,
			r.FS.Opens, float64(r.FS.Bytes)/1e6, copied, unchanged, local, writes)
	}
	for _, v := range dt.Visits {
		if v.Res.Errors > 0 {
			fmt.Fprintf(&b, "\n%s/%s: %d requests failed, first: %v\n", v.Workload, v.Visit, v.Res.Errors, v.Res.FirstErr)
		}
	}
	return b.String()
}
