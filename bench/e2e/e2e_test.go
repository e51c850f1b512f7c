package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"seqview/bench/xwin"
)

const (
	frameCount  = 12
	frameWidth  = 640
	frameHeight = 360

	// Deadlines are hang guards only: the test never asserts speed, it
	// waits as long as a slow, software-rendering CI machine may need.
	windowDeadline = 60 * time.Second
	stepDeadline   = 20 * time.Second

	pollInterval = 40 * time.Millisecond
	// hold is how long a state must persist before a step counts as
	// reached, so that a key handled twice (stepping 2 frames, one after
	// the other) or playback running through the expected frame fails.
	hold = 300 * time.Millisecond
	// stillFor is how long the title must not change for playback to
	// count as stopped.
	stillFor = 1500 * time.Millisecond
	// clickSettle is how long a click's effect may keep changing the
	// title before it counts as having started playback.
	clickSettle = 8 * time.Second

	// tolerance per colour channel between a frame's colour and the
	// pixel shown: filtering and rounding in the GL path may shift it.
	tolerance = 10
	// patch is the side of the square sampled; its median ignores a few
	// odd pixels (a cursor, an overlay's edge).
	patch = 7

	titleSuffix = " — seqview" // U+2014 em dash, from the title contract
)

// frameColor is frame i's flat colour (i from 1): fully saturated hues 30°
// apart, so every pair differs by at least 127 in some channel and none is
// close to the viewer's dark background.
func frameColor(i int) color.RGBA {
	h := float64((i-1)*30%360) / 60 // sector 0..6
	x := uint8(255*(1-abs(mod2(h)-1)) + 0.5)
	var r, g, b uint8
	switch int(h) {
	case 0:
		r, g, b = 255, x, 0
	case 1:
		r, g, b = x, 255, 0
	case 2:
		r, g, b = 0, 255, x
	case 3:
		r, g, b = 0, x, 255
	case 4:
		r, g, b = x, 0, 255
	default:
		r, g, b = 255, 0, x
	}
	return color.RGBA{r, g, b, 255}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func mod2(f float64) float64 { return f - 2*float64(int(f/2)) }

func wantTitle(i int) string {
	return fmt.Sprintf("%d.png (%d/%d)%s", i, i, frameCount, titleSuffix)
}

var titleRE = regexp.MustCompile(`^(\d+)\.png \((\d+)/(\d+)\)` + regexp.QuoteMeta(titleSuffix) + `$`)

// titleFrame returns the position a contract-conforming title shows, or 0.
func titleFrame(title string) int {
	m := titleRE.FindStringSubmatch(title)
	if m == nil || m[1] != m[2] {
		return 0
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

func TestViewer(t *testing.T) {
	s := launch(t)
	step := stepper(t)
	key := func(name string, sym xwin.Keysym, want int) {
		step(fmt.Sprintf("%s_to_%d", name, want), func(t *testing.T) {
			s.key(t, sym)
			s.expectFrame(t, want, stepDeadline)
		})
	}

	step("window_opens_on_1", func(t *testing.T) {
		s.findWindow(t)
		// The first frame waits on start-up work (GL set-up in software,
		// scanning the folder), so it gets the start-up hang guard.
		s.expectFrame(t, 1, windowDeadline)
	})
	for i := 2; i <= frameCount; i++ {
		key("Right", xwin.KeyRight, i)
	}
	key("Left", xwin.KeyLeft, 11)
	key("Home", xwin.KeyHome, 1)
	key("End", xwin.KeyEnd, 12)
	key("Page_Up", xwin.KeyPageUp, 2)
	key("Page_Down", xwin.KeyPageDown, 12)
	key("Home_again", xwin.KeyHome, 1)

	step("Space_plays", func(t *testing.T) {
		s.key(t, xwin.KeySpace)
		s.expectChange(t, wantTitle(1))
	})
	step("Space_pauses", func(t *testing.T) {
		s.key(t, xwin.KeySpace)
		s.expectStill(t)
	})

	// Clicking the controls gives a widget (slider or button) the
	// keyboard focus; the contract says keys work whichever widget has
	// it. The click may also act (seek, step, or start playback): that is
	// fine, only playback has to be stopped again before checking keys.
	step("click_controls", func(t *testing.T) {
		g := s.geometry(t)
		p := image.Pt(g.Min.X+g.Dx()/2, g.Max.Y-45)
		t.Logf("clicking at %v (window %v)", p, g)
		if err := s.x.Click(p); err != nil {
			t.Fatal(err)
		}
		// A seek or step changes the title once and then settles;
		// playback keeps changing it.
		if !s.settles(t, clickSettle) {
			t.Log("the click started playback; pressing Space to pause it")
			s.key(t, xwin.KeySpace)
			s.expectStill(t)
		}
		t.Logf("after the click: %v", s.observe())
	})
	key("after_click_Home", xwin.KeyHome, 1)
	key("after_click_Right", xwin.KeyRight, 2)
	key("after_click_End", xwin.KeyEnd, 12)
	key("after_click_Left", xwin.KeyLeft, 11)

	s.zoomSteps(step)
	s.infoSteps(step)
	s.fullscreenSteps(step)
}

// requireDisplay skips the test without an X display, or fails it when
// SEQVIEW_E2E=1 says it must run.
func requireDisplay(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("SEQVIEW_E2E") == "1" {
			t.Fatal("SEQVIEW_E2E=1 but DISPLAY is not set: the end-to-end test needs an X server")
		}
		t.Skip("no X display: run `make test` (starts Xvfb) or `SEQVIEW_E2E=1 xvfb-run -a go test ./e2e/`")
	}
}

// launch starts seqview with flags on a new folder of the test frames and
// connects to the X server; the app is killed when t ends.
func launch(t *testing.T, flags ...string) *session {
	t.Helper()
	requireDisplay(t)
	bin := seqviewBinary(t)
	dir := writeFrames(t)
	app := startApp(t, bin, append(flags, dir)...)
	x, err := xwin.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	return &session{x: x, app: app}
}

// stepper returns a function running one step of t as a subtest named
// after what it does, so a failure says which key broke. Later steps build
// on the state earlier ones reach, so the first failure ends t instead of
// cascading.
func stepper(t *testing.T) func(name string, f func(t *testing.T)) {
	return func(name string, f func(t *testing.T)) {
		if !t.Run(name, f) {
			t.FailNow()
		}
	}
}

// session is the running app as seen through X.
type session struct {
	x   *xwin.Conn
	app *app
	win xwin.Window
}

// findWindow waits for the app's window: viewable, titled "… — seqview"
// and, when the window says which process owns it, owned by the app.
func (s *session) findWindow(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(windowDeadline)
	for {
		s.app.checkRunning(t)
		ws, err := s.x.Windows(titleSuffix)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			if pid, err := s.x.PID(w); err == nil && !s.app.owns(pid) {
				continue // another process's window
			}
			s.win = w
			g := s.geometry(t)
			t.Logf("found window %#x at %v", uint32(w), g)
			// No window manager runs under Xvfb: do its job, raising
			// and focusing the window, and park the pointer inside it
			// near a corner, away from the sampled point.
			if err := s.x.Activate(w); err != nil {
				t.Fatal(err)
			}
			if err := s.x.MouseMove(g.Min.Add(image.Pt(3, 3))); err != nil {
				t.Fatal(err)
			}
			return
		}
		if time.Now().After(deadline) {
			s.fail(t, "no window titled \"…%s\" appeared within %v", titleSuffix, windowDeadline)
		}
		time.Sleep(pollInterval)
	}
}

func (s *session) geometry(t *testing.T) image.Rectangle {
	t.Helper()
	g, err := s.x.Geometry(s.win)
	if err != nil {
		s.fail(t, "window geometry: %v", err)
	}
	return g
}

func (s *session) key(t *testing.T, sym xwin.Keysym) {
	t.Helper()
	if err := s.x.Key(sym); err != nil {
		t.Fatal(err)
	}
}

// observation is what the window shows at one moment.
type observation struct {
	title string
	color color.RGBA
	at    image.Point
	err   error
}

func (o observation) String() string {
	if o.err != nil {
		return o.err.Error()
	}
	return fmt.Sprintf("title %q, colour %v at %v", o.title, o.color, o.at)
}

// observe reads the title and samples the colour at the window's
// horizontal centre and 40 % of its height: inside the image, which is
// fitted above the controls, whatever the exact layout.
func (s *session) observe() observation {
	var o observation
	if o.title, o.err = s.x.Title(s.win); o.err != nil {
		return o
	}
	g, err := s.x.Geometry(s.win)
	if err != nil {
		o.err = err
		return o
	}
	o.at = image.Pt(g.Min.X+g.Dx()/2, g.Min.Y+g.Dy()*40/100)
	r := image.Rect(o.at.X-patch/2, o.at.Y-patch/2, o.at.X+patch/2+1, o.at.Y+patch/2+1)
	img, err := s.x.Capture(r)
	if err != nil {
		o.err = err
		return o
	}
	o.color = median(img)
	return o
}

// showing reports whether o shows frame i: its title and its colour.
func (o observation) showing(i int) bool {
	return o.err == nil && o.title == wantTitle(i) && near(o.color, frameColor(i))
}

// expectFrame waits until the window shows frame i and keeps showing it
// for hold; within guard, or it fails.
func (s *session) expectFrame(t *testing.T, i int, guard time.Duration) {
	t.Helper()
	deadline := time.Now().Add(guard)
	var since time.Time
	for {
		s.app.checkRunning(t)
		o := s.observe()
		now := time.Now()
		switch {
		case !o.showing(i):
			since = time.Time{}
		case since.IsZero():
			since = now
		case now.Sub(since) >= hold:
			return
		}
		if now.After(deadline) {
			s.fail(t, "want frame %d: title %q and colour %v (±%d); last seen: %v",
				i, wantTitle(i), frameColor(i), tolerance, o)
		}
		time.Sleep(pollInterval)
	}
}

// expectChange waits until the title differs from old.
func (s *session) expectChange(t *testing.T, old string) {
	t.Helper()
	deadline := time.Now().Add(stepDeadline)
	for {
		s.app.checkRunning(t)
		o := s.observe()
		if o.err == nil && o.title != old {
			t.Logf("now %v", o)
			return
		}
		if time.Now().After(deadline) {
			s.fail(t, "title stayed %q: playback did not start; last seen: %v", old, o)
		}
		time.Sleep(pollInterval)
	}
}

// moving watches the window for stillFor and reports whether the title
// changed meanwhile, i.e. playback is running.
func (s *session) moving(t *testing.T) bool {
	t.Helper()
	first := s.observe()
	for end := time.Now().Add(stillFor); time.Now().Before(end); time.Sleep(pollInterval) {
		s.app.checkRunning(t)
		if o := s.observe(); o.title != first.title {
			return true
		}
	}
	return false
}

// settles reports whether the title stays unchanged for stillFor at some
// point within d.
func (s *session) settles(t *testing.T, d time.Duration) bool {
	t.Helper()
	for deadline := time.Now().Add(d); s.moving(t); {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// expectStill waits until the title stays unchanged for stillFor (playback
// stopped), then checks that the frame shown matches the title.
func (s *session) expectStill(t *testing.T) {
	t.Helper()
	if !s.settles(t, stepDeadline) {
		s.fail(t, "the title kept changing: playback did not stop; last seen: %v", s.observe())
	}
	o := s.observe()
	i := titleFrame(o.title)
	if i < 1 || i > frameCount {
		s.fail(t, "paused on a title not of the form %q: %v", wantTitle(1), o)
	}
	t.Logf("paused on frame %d", i)
	s.expectFrame(t, i, stepDeadline)
}

// fail saves a screenshot for a person to look at, then fails the test.
func (s *session) fail(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Errorf(format, args...)
	s.screenshot(t)
	t.FailNow()
}

func (s *session) screenshot(t *testing.T) {
	t.Helper()
	dir := os.Getenv("SEQVIEW_E2E_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "seqview-e2e-artifacts")
	}
	img, err := s.x.Capture(s.x.ScreenBounds())
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	name := strings.NewReplacer("/", "__", " ", "_").Replace(t.Name()) +
		time.Now().Format("-20060102-150405") + ".png"
	path := filepath.Join(dir, name)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	t.Logf("screenshot of the screen at failure: %s", path)
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tolerance && int(y)-int(x) <= tolerance }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// median is the per-channel median of img's pixels.
func median(img *image.RGBA) color.RGBA {
	var rs, gs, bs []uint8
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			rs, gs, bs = append(rs, c.R), append(gs, c.G), append(bs, c.B)
		}
	}
	mid := func(v []uint8) uint8 {
		if len(v) == 0 {
			return 0
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return color.RGBA{mid(rs), mid(gs), mid(bs), 255}
}

// writeFrames writes 1.png … 12.png into a new temporary folder: each one
// flat colour but for a checkerboard of single black and white pixels at
// checkerRect, which shows whether the picture on screen is pixel-exact.
func writeFrames(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i := 1; i <= frameCount; i++ {
		img := image.NewRGBA(image.Rect(0, 0, frameWidth, frameHeight))
		c := frameColor(i)
		for p := 0; p < len(img.Pix); p += 4 {
			img.Pix[p], img.Pix[p+1], img.Pix[p+2], img.Pix[p+3] = c.R, c.G, c.B, c.A
		}
		for y := checkerRect.Min.Y; y < checkerRect.Max.Y; y++ {
			for x := checkerRect.Min.X; x < checkerRect.Max.X; x++ {
				img.SetRGBA(x, y, checkerColor(x, y))
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.png", i)), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// built is the binary seqviewBinary built, shared by the tests of a run.
var built struct {
	once sync.Once
	dir  string // removed by TestMain
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// seqviewBinary builds the real binary from the module root once per run,
// or returns $SEQVIEW_E2E_BIN if set.
func seqviewBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("SEQVIEW_E2E_BIN"); bin != "" {
		t.Logf("testing %s (SEQVIEW_E2E_BIN)", bin)
		return bin
	}
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "seqview-e2e-")
		if built.err == nil {
			built.bin, built.err = buildSeqview(t, built.dir)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// productRoot is the product's module root (seqview's go.mod) from this
// package's folder, where `go test` runs the test binary.
const productRoot = "../.."

// buildSeqview builds the product's main package into dir, in the product's
// module as `make build` does (so it shares its build cache), not as a
// dependency of the bench module.
func buildSeqview(t *testing.T, dir string) (string, error) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("go is not on PATH: %v", err)
	}
	root, err := filepath.Abs(productRoot)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "seqview")
	start := time.Now()
	cmd := exec.CommandContext(t.Context(), gotool, "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build seqview in %s: %v\n%s", root, err, out)
	}
	t.Logf("built %s in %v", bin, time.Since(start).Round(time.Second))
	return bin, nil
}

// app is the seqview process under test.
type app struct {
	cmd    *exec.Cmd
	out    lockedBuffer
	exited chan struct{}
	err    error // from Wait, once exited is closed
}

// startApp runs bin with args (flags, then the folder) and kills it, with
// the window process it starts (app.Main), when the test ends.
func startApp(t *testing.T, bin string, args ...string) *app {
	t.Helper()
	return startAppEnv(t, bin, appEnv(t), args...)
}

// startAppEnv is startApp with the environment env.
func startAppEnv(t *testing.T, bin string, env []string, args ...string) *app {
	t.Helper()
	a := &app{exited: make(chan struct{})}
	a.cmd = exec.Command(bin, args...)
	a.cmd.Env = env
	a.cmd.Stdout, a.cmd.Stderr = &a.out, &a.out
	// A process group of its own, so the cleanup ends the window process
	// too; and Wait returns even if a process left behind still holds
	// the output pipe.
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	a.cmd.WaitDelay = 5 * time.Second
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		a.err = a.cmd.Wait()
		close(a.exited)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
		<-a.exited
		if t.Failed() {
			t.Logf("seqview output:\n%s", a.out.String())
		}
	})
	return a
}

// owns reports whether process pid is the app's: the process started, or
// the window process it runs as its child (app.Main).
func (a *app) owns(pid int) bool {
	return pid == a.cmd.Process.Pid || parentPID(pid) == a.cmd.Process.Pid
}

// parentPID is pid's parent process, from /proc; 0 if unknown.
func parentPID(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// "pid (comm) state ppid …": comm may hold spaces and parentheses, so
	// the fields are counted from its last ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// checkRunning fails the test at once if the app has exited, rather than
// letting it wait out a deadline for a window that cannot change.
func (a *app) checkRunning(t *testing.T) {
	t.Helper()
	select {
	case <-a.exited:
		err := a.err
		if err == nil {
			err = errors.New("exit status 0")
		}
		t.Fatalf("seqview exited early (%v); its output is logged below", err)
	default:
	}
}

// appEnv isolates the app from the user's and other runs' state, and keeps
// rendering deterministic.
func appEnv(t *testing.T) []string {
	home := t.TempDir()
	env := append(os.Environ(),
		// Fyne preferences and the app's disk cache live under these.
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
	)
	setDefault := func(k, v string) {
		if _, ok := os.LookupEnv(k); !ok {
			env = append(env, k+"="+v)
		}
	}
	// One device pixel per Fyne unit, so the layout (and the spot the
	// click aims at) does not depend on the display's DPI.
	setDefault("FYNE_SCALE", "1")
	// Xvfb has no GPU: make Mesa use its software rasteriser directly.
	setDefault("LIBGL_ALWAYS_SOFTWARE", "1")
	// Without a session bus, godbus (used by Fyne for desktop settings)
	// would autolaunch a dbus-daemon via dbus-launch that outlives the
	// test; an unusable address makes it fail fast instead.
	setDefault("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	return env
}

// lockedBuffer collects the app's output from its two pipes' goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestFrameColors checks the fixture itself (no display needed): every
// pair of frames must be told apart well beyond the tolerance.
func TestFrameColors(t *testing.T) {
	if c := frameColor(1); c != (color.RGBA{255, 0, 0, 255}) {
		t.Errorf("frame 1 = %v, want pure red", c)
	}
	for i := 1; i <= frameCount; i++ {
		for j := i + 1; j <= frameCount; j++ {
			a, b := frameColor(i), frameColor(j)
			if near(a, b) || maxDiff(a, b) < 100 {
				t.Errorf("frames %d %v and %d %v are too alike", i, a, j, b)
			}
		}
		if got := titleFrame(wantTitle(i)); got != i {
			t.Errorf("titleFrame(%q) = %d", wantTitle(i), got)
		}
	}
	if got := titleFrame("3.png (3/12) - seqview"); got != 0 {
		t.Errorf("a hyphen instead of the em dash must not parse, got %d", got)
	}
}

func maxDiff(a, b color.RGBA) int {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return max(d(a.R, b.R), d(a.G, b.G), d(a.B, b.B))
}
