package seqbench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"seqview/internal/slowfs"
)

// DefaultPreviousRev is the engine before decoding to the view's size: a
// full-resolution decode per frame and a decoded cache of 10 frames.
const DefaultPreviousRev = "20f6004"

// Checkout is a revision of the repository checked out in a temporary git
// worktree, so an earlier build can run on the same machine and frames in
// the same run as today's.
type Checkout struct {
	Repo   string // the repository's top folder
	Dir    string // the worktree
	Commit string // the revision's full hash
}

// CheckoutRev checks out rev of the repository holding repo (a folder in
// it) into a new temporary worktree. Remove removes it. A missing git or
// an unknown revision is an error saying so, for the caller to report and
// skip.
func CheckoutRev(repo, rev string) (*Checkout, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("seqbench: no git to check out %s: %w", rev, err)
	}
	top, err := git(repo, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	commit, err := git(top, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("seqbench: revision %q is not in %s: %w", rev, top, err)
	}
	dir, err := os.MkdirTemp("", "seqview-"+rev+"-")
	if err != nil {
		return nil, fmt.Errorf("seqbench: %w", err)
	}
	// git wants to make the folder itself.
	if err := os.Remove(dir); err != nil {
		return nil, fmt.Errorf("seqbench: %w", err)
	}
	if _, err := git(top, "worktree", "add", "--detach", dir, commit); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Checkout{Repo: top, Dir: dir, Commit: commit}, nil
}

// Remove removes the worktree and git's record of it.
func (c *Checkout) Remove() error {
	_, err := git(c.Repo, "worktree", "remove", "--force", c.Dir)
	if rerr := os.RemoveAll(c.Dir); err == nil {
		err = rerr
	}
	return err
}

// Short is the commit's abbreviated hash.
func (c *Checkout) Short() string { return c.Commit[:min(len(c.Commit), 7)] }

// git runs git in dir and returns its trimmed standard output.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("seqbench: git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// Build builds the package pkg (e.g. "./cmd/seqbench") of the module in
// the checkout's folder module ("." for the top) into out, with the go
// command in this process's environment; tags, if any, replace GOFLAGS'
// own -tags, so they must name every tag the build needs.
func (c *Checkout) Build(ctx context.Context, module, pkg, out string, tags []string, log io.Writer) error {
	args := []string{"build", "-o", out}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = filepath.Join(c.Dir, module)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("seqbench: go %s (in %s at %s): %w", strings.Join(args, " "), c.Dir, c.Short(), err)
	}
	return nil
}

// PreviousOptions say how to run the previous engine's benchmark.
type PreviousOptions struct {
	Repo      string // a folder of the repository (default: the working directory)
	Rev       string // the revision (default DefaultPreviousRev)
	Dir       string // the frames folder, the one today's run reads
	Frames    int
	Slow      slowfs.Config
	ViewW     int
	ViewH     int
	Seed      uint64
	Workloads []string  // nil: every workload
	Log       io.Writer // the build's and the run's progress; nil: discarded
}

// PreviousRun is the previous engine's part of a run.
type PreviousRun struct {
	Rev     string // as asked, e.g. 20f6004
	Commit  string // the full hash
	Setting []string
	Results []*Result // Strategy Previous
	// Skipped says why it did not run ("" if it did).
	Skipped string
}

// previousCmds are where the loader benchmark's command was at earlier
// revisions, newest first: in its own module, and before that in the
// product's internal/cmd.
var previousCmds = []struct{ module, pkg string }{
	{"bench", "./cmd/seqbench"},
	{".", "./internal/cmd/seqbench"},
}

// RunPrevious builds the loader benchmark at o.Rev from a git worktree and
// runs its own "ours" strategy (that revision's loader) on the same frames
// and share, and reads its results from the markdown it prints: the
// revision's benchmark writes no other format. The worktree is removed
// after. When git or the revision is missing, or the build fails, the
// PreviousRun says why in Skipped and err is nil: the rest of the run goes
// on without it.
func RunPrevious(ctx context.Context, o PreviousOptions) (*PreviousRun, error) {
	if o.Rev == "" {
		o.Rev = DefaultPreviousRev
	}
	if o.Repo == "" {
		o.Repo = "."
	}
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	p := &PreviousRun{Rev: o.Rev}
	co, err := CheckoutRev(o.Repo, o.Rev)
	if err != nil {
		p.Skipped = err.Error()
		return p, nil
	}
	defer func() {
		if err := co.Remove(); err != nil {
			fmt.Fprintf(log, "seqbench: removing the worktree %s: %v\n", co.Dir, err)
		}
	}()
	p.Commit = co.Commit
	var module, pkg string
	for _, c := range previousCmds {
		if _, err := os.Stat(filepath.Join(co.Dir, c.module, c.pkg, "main.go")); err == nil {
			module, pkg = c.module, c.pkg
			break
		}
	}
	if pkg == "" {
		p.Skipped = fmt.Sprintf("seqbench: no loader benchmark command at %s", co.Short())
		return p, nil
	}
	bin := filepath.Join(co.Dir, "seqbench-previous")
	fmt.Fprintf(log, "building the loader benchmark at %s (%s) …\n", o.Rev, co.Short())
	if err := co.Build(ctx, module, pkg, bin, nil, log); err != nil {
		p.Skipped = err.Error()
		return p, nil
	}
	args := []string{
		"-o", "-", "-dir", o.Dir, "-frames", strconv.Itoa(o.Frames),
		"-open", o.Slow.OpenLatency.String(), "-read", o.Slow.ReadLatency.String(),
		"-chunk", strconv.Itoa(o.Slow.ChunkSize), "-mbps", strconv.FormatFloat(float64(o.Slow.BytesPerSecond)/1e6, 'g', -1, 64),
		"-view", fmt.Sprintf("%dx%d", o.ViewW, o.ViewH), "-seed", strconv.FormatUint(o.Seed, 10),
		"-strategies", "ours",
	}
	if o.Workloads != nil {
		args = append(args, "-workloads", strings.Join(o.Workloads, ","))
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = co.Dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, log
	fmt.Fprintf(log, "running it: %s\n", strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("seqbench: the benchmark at %s: %w", co.Short(), err)
	}
	p.Results, p.Setting, err = ParsePrevious(out.String())
	if err != nil {
		return nil, fmt.Errorf("seqbench: the report of %s: %w", co.Short(), err)
	}
	return p, nil
}

// ParsePrevious reads the results of strategy "ours" from a report the
// loader benchmark printed (this one's, or an earlier revision's: the
// table has kept its columns), as Results of strategy Previous carrying
// the table's figures, and the setting lines that differ between engines
// (cold load and pace, decode rate).
func ParsePrevious(md string) ([]*Result, []string, error) {
	var setting []string
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "- Cold load of one frame:") || strings.HasPrefix(line, "- Machine:") {
			setting = append(setting, strings.TrimPrefix(line, "- "))
		}
	}
	header, rows := mdTable(md, "workload")
	if header == nil {
		return nil, nil, errors.New("no table with a workload column")
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, want := range []string{"workload", "strategy", "requests", "hits", "dropped", "median ms", "p95 ms", "reads/step", "MB read", "peak heap MB", "settle ms", "fps"} {
		if _, ok := col[want]; !ok {
			return nil, nil, fmt.Errorf("the table has no %q column", want)
		}
	}
	var results []*Result
	for _, row := range rows {
		cell := func(name string) string { return row[col[name]] }
		if cell("strategy") != Ours.String() {
			continue
		}
		n, err := strconv.Atoi(cell("requests"))
		if err != nil {
			return nil, nil, fmt.Errorf("requests %q: %w", cell("requests"), err)
		}
		r := &Result{
			Workload: cell("workload"), Strategy: Previous, N: n,
			Held: cell("settle ms") != "", Playback: cell("fps") != "",
			Median: msCell(cell("median ms")), P95: msCell(cell("p95 ms")), Settle: -1,
		}
		r.HitRate = number(strings.TrimSuffix(cell("hits"), "%")) / 100
		if n > 1 {
			r.Hits = int(math.Round(r.HitRate * float64(n-1)))
		}
		r.Dropped = int(number(cell("dropped")))
		r.FS.Opens = int(math.Round(number(cell("reads/step")) * float64(n)))
		r.FS.Bytes = int64(number(cell("MB read")) * 1e6)
		r.PeakHeap = uint64(number(cell("peak heap MB")) * 1e6)
		if r.Held {
			r.Settle = msCell(cell("settle ms"))
		}
		if r.Playback {
			r.FPS = number(cell("fps"))
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		return nil, nil, errors.New("no row of strategy ours")
	}
	return results, setting, nil
}

// mdTable returns the header and rows of the first markdown table of md
// whose first header cell is first.
func mdTable(md, first string) (header []string, rows [][]string) {
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		cells := mdRow(lines[i])
		if len(cells) == 0 || cells[0] != first {
			continue
		}
		for j := i + 2; j < len(lines); j++ { // i+1 is the |---| line
			row := mdRow(lines[j])
			if row == nil {
				break
			}
			for len(row) < len(cells) {
				row = append(row, "")
			}
			rows = append(rows, row)
		}
		return cells, rows
	}
	return nil, nil
}

func mdRow(line string) []string {
	line = strings.TrimSpace(line)
	if len(line) < 2 || !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
		return nil
	}
	cells := strings.Split(line[1:len(line)-1], "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// number parses a table cell, NaN if it is not a number.
func number(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// msCell parses a cell in milliseconds; "–" or anything else not a number
// is -1, as the table writes "never".
func msCell(s string) time.Duration {
	v := number(s)
	if math.IsNaN(v) {
		return -1
	}
	return time.Duration(v * float64(time.Millisecond))
}
