// Command uibench measures seqview, the previous engine and the naive
// baselines (bench/cmd/naiveview) in a real window: key (sent through
// XTEST) to changed pixels on screen, for cached steps, read-ahead steps,
// cold jumps, a 2 s held key and playback, with 4K and 1080p frames on
// local disk and through the in-process slow share; peak RSS per scenario.
// With 4K frames also: a 48-frame loop played twice (the second pass from
// memory), 30 steps back after 40 forward with no pause (and whether they
// decode, from the process's CPU time and reads), and peak RSS over 60
// steps. It prints a markdown report with PASS/MISS per target, writes it
// to -o and draws charts to -chart.
//
// It needs an X server with XTEST and GLX in $DISPLAY, and nothing else on
// it: `make bench-ui` runs it under a private Xvfb. It builds seqview as
// the benchmark runs it (bench/cmd/benchseqview: the product's app.Run with
// the slow share of SEQVIEW_SLOWSHARE), seqview at the -previous revision
// from a temporary git worktree (with -tags slowshare,migrated_fynedo, as
// that revision read the slow share) and naiveview first (cgo builds:
// minutes when cold), and generates the frames once into the user cache
// folder. Run it from the bench module (bench/):
//
//	go run ./cmd/uibench -quick -configs 4k-share -viewers seqview,previous
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"seqview/bench/charts"
	"seqview/bench/seqbench"
	"seqview/bench/uibench"
	"seqview/bench/xwin"
)

func main() {
	def := uibench.DefaultOptions()
	out := flag.String("o", "../docs/ui-bench.md", "write the report here too (\"\" or - for stdout only)")
	chart := flag.String("chart", "../docs/ui-bench.png", "write the charts here (\"\" for none)")
	jsonOut := flag.String("json", "", "write every sample here as JSON (\"\" for none)")
	configs := flag.String("configs", "", "comma-separated configurations (default all): 4k-local,4k-share,1080p-local,1080p-share")
	viewers := flag.String("viewers", "", "comma-separated viewers (default all): seqview,previous,naive,seed,floor (floor runs the steps scenario only; naive and seed do not loop)")
	scenarios := flag.String("scenarios", "", "comma-separated scenarios (default all): "+strings.Join(uibench.Scenarios, ","))
	quick := flag.Bool("quick", false, "fewer samples and shorter budgets: a first look in a few minutes, not figures to publish")
	flag.IntVar(&def.Samples, "samples", def.Samples, "samples of each step measure")
	flag.IntVar(&def.HeldRuns, "held", def.HeldRuns, "held-key samples")
	flag.IntVar(&def.MinSamples, "min", def.MinSamples, "a baseline over its budget stops after this many samples")
	flag.IntVar(&def.HeldMin, "held-min", def.HeldMin, "a baseline over its budget stops after this many held keys")
	flag.DurationVar(&def.Budget, "budget", def.Budget, "time budget of a baseline's measure")
	flag.DurationVar(&def.PlayFor, "play", def.PlayFor, "how long playback is watched")
	flag.BoolVar(&def.Verbose, "v", false, "log every sample, and every frame change of playback, to stderr")
	seqviewBin := flag.String("seqview", "", "a build of ./cmd/benchseqview (default: build it)")
	naiveBin := flag.String("naiveview", "", "a build of ./cmd/naiveview (default: build it)")
	previous := flag.String("previous", seqbench.DefaultPreviousRev, "git revision of the previous engine, built from a worktree as the viewer previous (\"none\" to skip)")
	previousBin := flag.String("previous-bin", "", "a build of seqview at -previous with -tags slowshare,migrated_fynedo (default: build it)")
	repo := flag.String("repo", ".", "a folder of the git repository holding -previous")
	root := flag.String("root", "", "folder of the generated sequences (default: the user cache folder's seqview/uibench-v1)")
	profile := flag.String("profile", "", "run seqview under a wrapper that writes a CPU profile and an execution trace per scenario into this folder")
	perf := flag.Bool("perf", false, "with -profile: also `perf record -g` the seqview process (if perf is installed)")
	fromJSON := flag.String("from-json", "", "measure nothing: write the report and charts of a run saved with -json")
	flag.Parse()
	if *fromJSON != "" {
		if err := rerender(*fromJSON, *out, *chart, def.PlayFPS); err != nil {
			fmt.Fprintln(os.Stderr, "uibench:", err)
			os.Exit(1)
		}
		return
	}
	if *quick {
		def.Samples, def.HeldRuns, def.MinSamples, def.Budget, def.PlayFor = 6, 2, 3, 4*time.Second, 3*time.Second
		def.LoopWait = time.Minute
	}
	def.Log = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	if *previous == "none" {
		*previous = ""
	}
	bins := binaries{seqview: *seqviewBin, naive: *naiveBin, previous: *previousBin, rev: *previous, repo: *repo}
	err := run(def, *out, *chart, *jsonOut, list(*configs), list(*viewers), list(*scenarios), bins, *root, *profile, *perf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "uibench:", err)
		os.Exit(1)
	}
}

func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// binaries are the viewers' programs: built by run when empty. rev is the
// revision of previous ("" for none), in the repository holding repo.
type binaries struct {
	seqview, naive, previous string
	rev, repo                string
}

func run(opts uibench.Options, out, chart, jsonOut string, onlyC, onlyV, onlyS []string, bins binaries, root, profile string, perf bool) error {
	if os.Getenv("DISPLAY") == "" {
		return fmt.Errorf("DISPLAY is not set: run `make bench-ui`, which starts a private Xvfb")
	}
	var configs []uibench.Config
	for _, c := range uibench.Configs() {
		if onlyC == nil || slices.Contains(onlyC, strings.ReplaceAll(c.Name(), " ", "-")) {
			configs = append(configs, c)
		}
	}
	if len(configs) == 0 {
		return fmt.Errorf("no configuration among %v", onlyC)
	}
	for _, s := range onlyS {
		if !slices.Contains(uibench.Scenarios, s) {
			return fmt.Errorf("no scenario %q (want some of %s)", s, strings.Join(uibench.Scenarios, ","))
		}
	}
	scenarios := uibench.Scenarios
	if onlyS != nil {
		scenarios = onlyS
	}

	tmp, err := os.MkdirTemp("", "uibench-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// Interrupted, remove the binaries; the viewer dies with the harness
	// (Pdeathsig).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sig
		os.RemoveAll(tmp)
		fmt.Fprintln(os.Stderr, "uibench:", s)
		os.Exit(1)
	}()
	wantV := func(name string) bool { return onlyV == nil || slices.Contains(onlyV, name) }
	if bins.seqview == "" && wantV("seqview") {
		if bins.seqview, err = build(tmp, "benchseqview", benchSeqview); err != nil {
			return err
		}
	}
	if bins.naive == "" && (wantV("naive") || wantV("seed") || wantV("floor")) {
		if bins.naive, err = build(tmp, "naiveview", "seqview/bench/cmd/naiveview"); err != nil {
			return err
		}
	}
	var notes []string
	if bins.previous == "" && bins.rev != "" && wantV("previous") {
		var why string
		if bins.previous, why, err = buildPrevious(tmp, bins.rev, bins.repo); err != nil {
			return err
		}
		if why != "" {
			notes = append(notes, "previous: not run: "+why)
			fmt.Fprintln(os.Stderr, "previous: skipped:", why)
		}
	}
	fps := opts.PlayFPS
	ours := uibench.Viewer{Name: "seqview", Bin: bins.seqview, Args: []string{"-fps", fmt.Sprint(fps)}}
	if profile != "" {
		if ours, err = profiled(bins.seqview, profile, perf, fps); err != nil {
			return err
		}
	}
	// naiveview stops at the end of the sequence: it has no loop to play.
	noLoop := slices.DeleteFunc(slices.Clone(uibench.Scenarios), func(s string) bool { return s == uibench.ScenarioLoop })
	all := []uibench.Viewer{
		ours,
		{Name: "previous", Bin: bins.previous, Args: []string{"-fps", fmt.Sprint(fps)}},
		{Name: "naive", Bin: bins.naive, Args: []string{"-strategy", "naive", "-fps", fmt.Sprint(fps)}, Budgeted: true, Only: noLoop},
		{Name: "seed", Bin: bins.naive, Args: []string{"-strategy", "seed", "-fps", fmt.Sprint(fps)}, Budgeted: true, Only: noLoop},
		// Not a baseline: Fyne's own cost of showing a frame that is ready.
		{Name: "floor", Bin: bins.naive, Args: []string{"-strategy", "floor", "-preload", fmt.Sprint(opts.Samples + 2)}, Only: []string{uibench.ScenarioSteps}},
	}
	var viewers []uibench.Viewer
	for _, v := range all {
		if wantV(v.Name) && v.Bin != "" {
			viewers = append(viewers, v)
		}
	}
	if len(viewers) == 0 {
		return fmt.Errorf("no viewer among %v", onlyV)
	}

	if root == "" {
		if root, err = uibench.DefaultRoot(); err != nil {
			return err
		}
	}
	x, err := xwin.Connect()
	if err != nil {
		return err
	}
	defer x.Close()
	if others, err := x.Windows(uibench.TitleSuffix); err == nil && len(others) > 0 {
		return fmt.Errorf("a window titled \"…%s\" is already on %s: the benchmark needs the display to itself", uibench.TitleSuffix, os.Getenv("DISPLAY"))
	}
	restore, err := keyRepeatOff()
	if err != nil {
		return err
	}
	defer restore()

	rep := &uibench.Report{Started: time.Now(), LoadBefore: loadavg(),
		Machine: fmt.Sprintf("%d cores, %s %s/%s", runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)}
	rep.Setting = []string{
		fmt.Sprintf("Window 1280×720 on a %d×%d Xvfb screen with GLX, Mesa software GL (LIBGL_ALWAYS_SOFTWARE=1), FYNE_SCALE=1, Fyne v2.7.1; no window manager.", x.ScreenBounds().Dx(), x.ScreenBounds().Dy()),
		fmt.Sprintf("Viewers: seqview (its defaults: view frames decoded to the window's size, at least 10 and up to 512 MB of them, 128 MB of file bytes, adaptive read-ahead, -fps %g in every-frame mode), "+
			"previous (seqview at %s, built from a git worktree with -tags slowshare,migrated_fynedo: full-resolution decode then scale, 10 decoded frames; same flags), "+
			"naive and seed (bench/cmd/naiveview -strategy naive|seed), all reading the slow share configurations through the in-process slow share. "+
			"floor (naiveview -strategy floor, steps only) is not a baseline but Fyne's own cost: the frames stepped through are decoded and scaled to the window before it opens, drawn one to one with ImageScalePixels (as seqview draws its view frames) in a window holding only the image.", fps, revText(bins.rev)),
		fmt.Sprintf("Samples: %d per step measure, %d held keys, playback watched %v; a baseline's measure stops once it has taken %v and has %d samples (%d held key): the slow baselines' figures rest on fewer samples, as the n column says.", opts.Samples, opts.HeldRuns, opts.PlayFor, opts.Budget, opts.MinSamples, opts.HeldMin),
		fmt.Sprintf("4K only: loop (%d frames of their own folder, Space, watched until the first frame has come round twice; naive and seed do not loop), back (%d steps Right, then %d Left, each key as soon as the frame before shows; the viewer's CPU time from /proc/PID/stat and bytes read from /proc/PID/io rchar over the steps back), memory (%d steps Right, %v apart after each frame shows; the process's VmHWM).",
			uibench.LoopFrames, uibench.BackForward, uibench.BackSteps, uibench.MemorySteps, 300*time.Millisecond),
	}
	rep.Setting = append(rep.Setting, notes...)
	r := &uibench.Runner{X: x, Opts: opts}
	for _, c := range configs {
		folder, err := c.Dataset.Ensure(root, func(done, total int) {
			fmt.Fprintf(os.Stderr, "\rgenerating %d %s frames: %d/%d", total, c.Dataset.Name, done, total)
			if done == total {
				fmt.Fprintln(os.Stderr)
			}
		})
		if err != nil {
			return err
		}
		ref, err := uibench.Measure(c, folder)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "== %s: cold load %v (read %v, decode+scale %v), image.Decode %v, pause %v; load %s\n",
			c.Name(), ref.Cold.Load().Round(time.Millisecond), ref.Cold.Read.Round(time.Millisecond),
			ref.Cold.Decode.Round(time.Millisecond), ref.NaiveDecode.Round(time.Millisecond), ref.Pause.Round(time.Millisecond), loadavg())
		cr := uibench.ConfigReport{Config: c, Ref: ref}
		for _, s := range scenarios {
			if slices.Contains(uibench.Only4K, s) && !c.Dataset.Is4K() {
				continue
			}
			at := folder
			if s == uibench.ScenarioLoop {
				if at, err = c.Dataset.LoopDataset().Ensure(root, nil); err != nil {
					return err
				}
			}
			for _, v := range viewers {
				if v.Only != nil && !slices.Contains(v.Only, s) {
					continue
				}
				start := time.Now()
				cells, err := r.Run(c, ref, at, v, s)
				if err != nil {
					return err
				}
				for _, cl := range cells {
					fmt.Fprintf(os.Stderr, "  %-12s %-7s %-16s n=%-3d median %8.1f ms  p95 %8.1f ms  rss %5.0f MB %s\n",
						c.Name(), v.Name, cl.Measure, cl.Sum.N, ms(cl.Sum.Median), ms(cl.Sum.P95), float64(cl.PeakRSS)/1e6, playText(cl))
				}
				fmt.Fprintf(os.Stderr, "    (%s/%s took %.0fs; load %s)\n", v.Name, s, time.Since(start).Seconds(), loadavg())
				cr.Cells = append(cr.Cells, cells...)
			}
		}
		rep.Configs = append(rep.Configs, cr)
	}
	rep.Elapsed = time.Since(rep.Started)
	rep.LoadAfter = loadavg()

	if jsonOut != "" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := writeFile(jsonOut, data); err != nil {
			return err
		}
	}
	return write(rep, out, chart, fps)
}

// write prints the report, writes it to out and its charts to chart.
func write(rep *uibench.Report, out, chart string, fps float64) error {
	md := rep.Markdown(fps)
	fmt.Print(md)
	if out != "" && out != "-" {
		if err := writeFile(out, []byte(md)); err != nil {
			return err
		}
	}
	if chart != "" {
		if err := charts.UIBench(rep, chart); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "chart:", chart)
	}
	return nil
}

// rerender writes the report and charts of a run saved with -json.
func rerender(path, out, chart string, fps float64) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var rep uibench.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return write(&rep, out, chart, fps)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func playText(cl *uibench.Cell) string {
	var s string
	if cl.Play != nil {
		s = fmt.Sprintf("%.1f fps (%d frames, %d skipped, %d back, %d late) ", cl.Play.FPS, cl.Play.Frames, cl.Play.Skipped, cl.Play.Backwards, cl.Play.Late)
	}
	if cl.Work != nil {
		s += cl.Work.String() + " "
	}
	return s + cl.Note
}

// keyRepeatOff turns the X server's key auto-repeat off and returns a
// function that turns it back to what it was. A key is pressed and
// released through XTEST in two round trips; on a loaded machine the
// server can be busy (painting for a viewer) for longer than its repeat
// delay between them and repeat the key, moving the viewer a frame further
// than the harness asked for.
func keyRepeatOff() (restore func(), err error) {
	c, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("key auto-repeat: %w", err)
	}
	defer c.Close()
	kc, err := xproto.GetKeyboardControl(c).Reply()
	if err != nil {
		return nil, fmt.Errorf("key auto-repeat: %w", err)
	}
	set := func(mode uint32) error {
		c, err := xgb.NewConn()
		if err != nil {
			return err
		}
		defer c.Close()
		return xproto.ChangeKeyboardControlChecked(c, xproto.KbAutoRepeatMode, []uint32{mode}).Check()
	}
	if err := set(xproto.AutoRepeatModeOff); err != nil {
		return nil, fmt.Errorf("key auto-repeat: %w", err)
	}
	was := uint32(xproto.AutoRepeatModeOff)
	if kc.GlobalAutoRepeat != 0 {
		was = xproto.AutoRepeatModeOn
	}
	return func() {
		if err := set(was); err != nil {
			fmt.Fprintln(os.Stderr, "uibench: key auto-repeat:", err)
		}
	}, nil
}

// revText names the previous revision in the setting.
func revText(rev string) string {
	if rev == "" {
		return "(not run)"
	}
	return rev
}

// buildPrevious builds seqview at rev from a temporary git worktree into
// dir, with the tags that revision read the slow share with, and removes
// the worktree. When git or the revision is missing, or the build fails,
// it returns no binary and why, for the run to go on without it.
func buildPrevious(dir, rev, repo string) (bin, why string, err error) {
	co, err := seqbench.CheckoutRev(repo, rev)
	if err != nil {
		return "", err.Error(), nil
	}
	defer func() {
		if err := co.Remove(); err != nil {
			fmt.Fprintf(os.Stderr, "uibench: removing the worktree %s: %v\n", co.Dir, err)
		}
	}()
	bin = filepath.Join(dir, "seqview-"+co.Short())
	fmt.Fprintf(os.Stderr, "building seqview at %s (%s, -tags slowshare,migrated_fynedo) …\n", rev, co.Short())
	// Both tags in one -tags: it replaces GOFLAGS' own.
	if err := co.Build(context.Background(), ".", ".", bin, []string{"slowshare", "migrated_fynedo"}, os.Stderr); err != nil {
		return "", err.Error(), nil
	}
	return bin, "", nil
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// loadavg is /proc/loadavg's three load averages.
func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// benchSeqview is seqview as the benchmark runs it: the product's app.Run
// with the slow share, and profiling when asked.
const benchSeqview = "seqview/bench/cmd/benchseqview"

// build builds pkg into dir.
func build(dir, name, pkg string) (string, error) {
	bin := filepath.Join(dir, name)
	fmt.Fprintf(os.Stderr, "building %s …\n", pkg)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = moduleRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin, nil
}

func moduleRoot() string {
	if out, err := exec.Command("go", "env", "GOMOD").Output(); err == nil {
		if mod := strings.TrimSpace(string(out)); mod != "" && mod != os.DevNull {
			return filepath.Dir(mod)
		}
	}
	return "."
}

// profiled is seqview (bin, a build of benchSeqview) with a CPU profile
// and an execution trace per run into dir, and with perf a `perf record -g`
// of the process.
func profiled(bin, dir string, perf bool, fps float64) (uibench.Viewer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return uibench.Viewer{}, err
	}
	v := uibench.Viewer{Name: "seqview", Bin: bin, Args: []string{"-fps", fmt.Sprint(fps)}}
	v.ArgsFor = func(run string) []string {
		return []string{"-cpuprofile", filepath.Join(dir, run+".pprof"), "-trace", filepath.Join(dir, run+".trace")}
	}
	if perf {
		if _, err := exec.LookPath("perf"); err != nil {
			return v, fmt.Errorf("-perf: %w", err)
		}
		v.Attach = func(pid int, run string) func() {
			cmd := exec.Command("perf", "record", "-g", "-F", "999", "-p", fmt.Sprint(pid), "-o", filepath.Join(dir, run+".perf.data"))
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Start(); err != nil {
				fmt.Fprintln(os.Stderr, "perf:", err)
				return func() {}
			}
			return func() {
				_ = cmd.Process.Signal(os.Interrupt)
				_ = cmd.Wait()
			}
		}
	}
	return v, nil
}
