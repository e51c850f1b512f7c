package uibench

import (
	"bufio"
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
	"time"

	"seqview/bench/xwin"
	"seqview/internal/slowfs"
)

// TitleSuffix ends the title of seqview's window and of the baselines'.
const TitleSuffix = " — seqview"

// Viewer is a program under test.
type Viewer struct {
	Name string   // seqview, naive, seed
	Bin  string   // the executable
	Args []string // flags before the folder
	// Only, if not empty, lists the scenarios the viewer runs.
	Only []string
	// Budgeted: a measure stops at Options.MinSamples once it has spent
	// Options.Budget (for the slow baselines).
	Budgeted bool
	// ArgsFor, if set, gives more flags (before Args) for the process of
	// a run, named like "4k-share-steps": where a profiling wrapper writes.
	ArgsFor func(run string) []string
	// Attach, if set, is called with the process of a run just started
	// (to attach a profiler); the func it returns is called before the
	// process is stopped.
	Attach func(pid int, run string) func()
}

// PollEvery is the pause between two captures of the marker. One capture
// of 16×16 pixels is a round trip of well under 100 µs to Xvfb, so the
// time a frame reached the screen is known within about this much.
const PollEvery = time.Millisecond

// WatchEvery is the pause between captures while playback is watched.
// Frames come 40 ms apart at best, so 5 ms tells them apart and leaves
// the viewer the CPU a capture every millisecond took (Xvfb and this
// process together).
const WatchEvery = 5 * time.Millisecond

// Session is one viewer process with its window found and its marker
// located.
type Session struct {
	x           *xwin.Conn
	ds          Dataset
	cmd         *exec.Cmd
	exited      chan struct{}
	out         lockedBuffer
	home        string
	win         xwin.Window
	probe       image.Rectangle
	Pos         int // the frame the harness last saw on screen (1-based)
	budgeted    bool
	stopProfile func()
}

// Env returns the environment of a viewer: the harness's with a private
// HOME (Fyne's preferences, seqview's last frame) and the settings of a
// reproducible software-GL run; share, if not empty, is the
// SEQVIEW_SLOWSHARE setting.
func Env(home, share string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", slowfs.EnvVar,
			"LIBGL_ALWAYS_SOFTWARE", "FYNE_SCALE", "DBUS_SESSION_BUS_ADDRESS":
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"LIBGL_ALWAYS_SOFTWARE=1",
		"FYNE_SCALE=1",
		"DBUS_SESSION_BUS_ADDRESS=disabled:",
	)
	if share != "" {
		env = append(env, slowfs.EnvVar+"="+share)
	}
	return env
}

// Start runs v on folder (ds's sequence) with env, waits for its window,
// focuses it, parks the pointer outside it and locates the marker of the
// first frame, within timeout. run names the run for a profiler.
func Start(x *xwin.Conn, v Viewer, ds Dataset, folder, share, run string, timeout time.Duration) (*Session, error) {
	home, err := os.MkdirTemp("", "uibench-home-")
	if err != nil {
		return nil, fmt.Errorf("uibench: %w", err)
	}
	s := &Session{x: x, ds: ds, home: home, exited: make(chan struct{}), Pos: 1, budgeted: v.Budgeted}
	var args []string
	if v.ArgsFor != nil {
		args = v.ArgsFor(run)
	}
	args = append(append(args, v.Args...), folder)
	s.cmd = exec.Command(v.Bin, args...)
	s.cmd.Env = Env(home, share)
	s.cmd.Stdout, s.cmd.Stderr = &s.out, &s.out
	// If the harness dies (Ctrl-C, a timeout's SIGTERM), so does the
	// viewer, rather than running on with a window on the display.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(home)
		return nil, fmt.Errorf("uibench: start %s: %w", v.Name, err)
	}
	go func() {
		s.cmd.Wait()
		close(s.exited)
	}()
	if v.Attach != nil {
		s.stopProfile = v.Attach(s.cmd.Process.Pid, run)
	}
	if err := s.find(timeout); err != nil {
		s.Stop()
		return nil, fmt.Errorf("uibench: %s: %w\n%s", v.Name, err, s.out.String())
	}
	return s, nil
}

// PID is the viewer's process id.
func (s *Session) PID() int { return s.cmd.Process.Pid }

// Output is what the viewer printed.
func (s *Session) Output() string { return s.out.String() }

func (s *Session) running() error {
	select {
	case <-s.exited:
		return fmt.Errorf("the viewer exited (%v)", s.cmd.ProcessState)
	default:
		return nil
	}
}

func (s *Session) find(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for s.win == 0 {
		if err := s.running(); err != nil {
			return err
		}
		ws, err := s.x.Windows(TitleSuffix)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if pid, err := s.x.PID(w); err == nil && pid == s.PID() {
				s.win = w
				break
			}
		}
		if s.win == 0 {
			if time.Now().After(deadline) {
				return fmt.Errorf("no window titled \"…%s\" within %v", TitleSuffix, timeout)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if err := s.x.Activate(s.win); err != nil {
		return err
	}
	// The pointer goes to the screen's far corner, off the window, so no
	// hover effect or tooltip changes what is drawn.
	sb := s.x.ScreenBounds()
	if err := s.x.MouseMove(sb.Max.Sub(image.Pt(1, 1))); err != nil {
		return err
	}
	want := s.ds.Code(1)
	for {
		if err := s.running(); err != nil {
			return err
		}
		g, err := s.x.Geometry(s.win)
		if err != nil {
			return err
		}
		if img, err := s.x.Capture(g); err == nil {
			if r, ok := LocatePatch(img, MarkerColor(want)); ok {
				s.probe = ProbeRect(r)
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the marker of frame 1 did not show within %v", timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// LocatePatch finds the pixels of img of colour c (within MarkerTolerance)
// and returns their bounding box if they make a filled square-ish patch at
// least 12 pixels wide, as a marker shows.
func LocatePatch(img *image.RGBA, c color.RGBA) (image.Rectangle, bool) {
	var box image.Rectangle
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if near(img.RGBAAt(x, y), c) {
				p := image.Rect(x, y, x+1, y+1)
				if n == 0 {
					box = p
				} else {
					box = box.Union(p)
				}
				n++
			}
		}
	}
	if box.Dx() < 12 || box.Dy() < 12 {
		return box, false
	}
	if float64(n) < 0.9*float64(box.Dx()*box.Dy()) {
		return box, false // scattered pixels of that colour, not a patch
	}
	return box, true
}

// ProbeRect is the square polled in a patch found at r: 16×16 in its
// centre, or smaller when the patch is small, away from its edges where
// scaling blends it with the frame around it.
func ProbeRect(r image.Rectangle) image.Rectangle {
	side := min(16, r.Dx()/3, r.Dy()/3)
	c := image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
	return image.Rect(c.X-side/2, c.Y-side/2, c.X-side/2+side, c.Y-side/2+side)
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) bool {
		return int(x)-int(y) <= MarkerTolerance && int(y)-int(x) <= MarkerTolerance
	}
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// MedianColor is the per-channel median of img's pixels.
func MedianColor(img *image.RGBA) color.RGBA {
	b := img.Bounds()
	n := b.Dx() * b.Dy()
	if n == 0 {
		return color.RGBA{}
	}
	var ch [3][]uint8
	for k := range ch {
		ch[k] = make([]uint8, 0, n)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			ch[0], ch[1], ch[2] = append(ch[0], c.R), append(ch[1], c.G), append(ch[2], c.B)
		}
	}
	for k := range ch {
		slices.Sort(ch[k])
	}
	return color.RGBA{ch[0][n/2], ch[1][n/2], ch[2][n/2], 255}
}

// Read captures the probe and returns the marker on screen (ok false if
// none decodes) and when it was seen: the middle of the capture's round
// trip.
func (s *Session) Read() (code int, ok bool, at time.Time, err error) {
	before := time.Now()
	img, err := s.x.Capture(s.probe)
	after := time.Now()
	if err != nil {
		return 0, false, after, err
	}
	code, ok = DecodeProbe(img)
	return code, ok, before.Add(after.Sub(before) / 2), nil
}

// DecodeProbe returns the marker that at least 90 % of img's pixels show.
// A capture taken while the server is part-way through copying a new frame
// to the screen (the swap is not one atomic update) shows two markers, or
// none, and is not trusted: a per-channel median of such a mix could be a
// third marker.
func DecodeProbe(img *image.RGBA) (code int, ok bool) {
	b := img.Bounds()
	n := b.Dx() * b.Dy()
	if n == 0 {
		return 0, false
	}
	votes := map[int]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if c, ok := DecodeMarker(img.RGBAAt(x, y)); ok {
				votes[c]++
			}
		}
	}
	for c, v := range votes {
		if 10*v >= 9*n {
			return c, true
		}
	}
	return 0, false
}

// Key sends sym and returns when it was sent (just before the request).
func (s *Session) Key(sym xwin.Keysym) (time.Time, error) {
	t := time.Now()
	return t, s.x.Key(sym)
}

// ErrTimeout is returned when a frame does not show in time.
var ErrTimeout = errors.New("uibench: the frame did not show in time")

// WaitFrame polls until the frame at position pos is on screen and returns
// when it was first seen; s.Pos becomes pos.
func (s *Session) WaitFrame(pos int, timeout time.Duration) (time.Time, error) {
	want := s.ds.Code(pos)
	deadline := time.Now().Add(timeout)
	for i := 0; ; i++ {
		code, ok, at, err := s.Read()
		if err != nil {
			return at, err
		}
		if ok && code == want {
			s.Pos = pos
			return at, nil
		}
		if at.After(deadline) {
			title, _ := s.x.Title(s.win)
			shown := "no marker"
			if ok {
				shown = fmt.Sprintf("marker %d", code)
			}
			return at, fmt.Errorf("%w: frame %d (marker %d) after %v; on screen: %s; title %q%s",
				ErrTimeout, pos, want, timeout, shown, title, s.screenshot(fmt.Sprintf("timeout-frame-%d", pos)))
		}
		if i%256 == 255 {
			if err := s.running(); err != nil {
				return at, err
			}
		}
		time.Sleep(PollEvery)
	}
}

// ArtifactsDir is where a screenshot of a failure is saved ("" for none).
var ArtifactsDir = os.Getenv("SEQVIEW_E2E_ARTIFACTS")

// screenshot saves the viewer's window as a PNG named after what failed
// and returns "; screenshot PATH", or "" if it could not.
func (s *Session) screenshot(what string) string {
	if ArtifactsDir == "" {
		return ""
	}
	g, err := s.x.Geometry(s.win)
	if err != nil {
		return ""
	}
	img, err := s.x.Capture(g)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return ""
	}
	path := filepath.Join(ArtifactsDir, fmt.Sprintf("uibench-%s-%s.png", what, time.Now().Format("150405")))
	if os.MkdirAll(ArtifactsDir, 0o755) != nil || os.WriteFile(path, buf.Bytes(), 0o644) != nil {
		return ""
	}
	return "; screenshot " + path
}

// titleRE matches the title contract, "<file> (<pos>/<count>) — seqview".
var titleRE = regexp.MustCompile(`^.* \((\d+)/(\d+)\)` + regexp.QuoteMeta(TitleSuffix) + `$`)

// TitlePos returns the position a title names, 0 if it follows no contract.
func TitlePos(title string) int {
	m := titleRE.FindStringSubmatch(title)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// LostPressError says a viewer settled on a frame other than the one the
// keys sent should have reached: its title and the screen stayed at Pos.
type LostPressError struct{ Want, Pos int }

func (e *LostPressError) Error() string {
	return fmt.Sprintf("the viewer settled on frame %d, not %d: %d key presses never reached it", e.Pos, e.Want, e.Want-e.Pos)
}

// WaitSettled is WaitFrame for after a burst of keys: it also reads the
// title, and returns a *LostPressError once the title has named another
// frame than pos for stable, with that frame on screen.
func (s *Session) WaitSettled(pos int, stable, timeout time.Duration) (time.Time, error) {
	want := s.ds.Code(pos)
	deadline := time.Now().Add(timeout)
	var titlePos int
	var titleSince, nextTitle time.Time
	for {
		code, ok, at, err := s.Read()
		if err != nil {
			return at, err
		}
		if ok && code == want {
			s.Pos = pos
			return at, nil
		}
		if at.After(nextTitle) {
			nextTitle = at.Add(100 * time.Millisecond)
			title, err := s.x.Title(s.win)
			if err != nil {
				return at, err
			}
			if p := TitlePos(title); p != titlePos {
				titlePos, titleSince = p, at
			} else if p > 0 && p != pos && ok && code == s.ds.Code(p) && at.Sub(titleSince) >= stable {
				s.Pos = p
				return at, &LostPressError{Want: pos, Pos: p}
			}
			if err := s.running(); err != nil {
				return at, err
			}
		}
		if at.After(deadline) {
			return s.WaitFrame(pos, 0)
		}
		time.Sleep(PollEvery)
	}
}

// Change is a marker seen on screen, different from the one before.
type Change struct {
	At   time.Time
	Code int
}

// Watch polls for d and returns every change of the marker on screen,
// starting with the one showing when it starts.
func (s *Session) Watch(d time.Duration) ([]Change, error) {
	end := time.Now().Add(d)
	var cs []Change
	for {
		code, ok, at, err := s.Read()
		if err != nil {
			return cs, err
		}
		if ok && (len(cs) == 0 || cs[len(cs)-1].Code != code) {
			cs = append(cs, Change{at, code})
		}
		if at.After(end) {
			return cs, nil
		}
		time.Sleep(WatchEvery)
	}
}

// Work returns what the viewer process has done since it started: its
// CPU time and the bytes its reads returned.
func (s *Session) Work() (*Work, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.PID()))
	if err != nil {
		return nil, fmt.Errorf("uibench: %w", err)
	}
	io, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", s.PID()))
	if err != nil {
		return nil, fmt.Errorf("uibench: %w", err)
	}
	return ParseWork(stat, io)
}

// userHZ is the unit of /proc/PID/stat's times: USER_HZ, 100 on Linux
// whatever the kernel's own tick.
const userHZ = 100

// ParseWork reads the CPU time (utime + stime) of a /proc/PID/stat file
// and the bytes read (rchar) of a /proc/PID/io file.
func ParseWork(stat, io []byte) (*Work, error) {
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing one. utime and stime are fields 14 and 15 of the
	// line, the 12th and 13th after it.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil, fmt.Errorf("uibench: unexpected /proc stat %q", stat)
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 13 {
		return nil, fmt.Errorf("uibench: unexpected /proc stat %q", stat)
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("uibench: /proc stat: %w", err)
		}
		ticks += n
	}
	w := &Work{CPU: time.Duration(ticks) * time.Second / userHZ}
	sc := bufio.NewScanner(bytes.NewReader(io))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "rchar:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("uibench: /proc io: %w", err)
			}
			w.Read = n
			return w, nil
		}
	}
	return nil, fmt.Errorf("uibench: no rchar in /proc io")
}

// PeakRSS returns the process's peak resident set size (VmHWM) in bytes.
func (s *Session) PeakRSS() (int64, error) { return procStatusBytes(s.PID(), "VmHWM") }

// RSS returns the process's resident set size (VmRSS) in bytes.
func (s *Session) RSS() (int64, error) { return procStatusBytes(s.PID(), "VmRSS") }

func procStatusBytes(pid int, field string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return ParseStatusKB(data, field)
}

// ParseStatusKB returns the field (e.g. VmHWM) of a /proc/PID/status file
// in bytes.
func ParseStatusKB(status []byte, field string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != field {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("uibench: %s: unexpected %q", field, v)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		return kb << 10, err
	}
	return 0, fmt.Errorf("uibench: no %s in /proc status", field)
}

// Stop ends the viewer (after its profiler, if any) and removes its HOME.
func (s *Session) Stop() {
	if s.stopProfile != nil {
		s.stopProfile()
		s.stopProfile = nil
	}
	// SIGTERM first, so a profiling wrapper can write its profile.
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	os.RemoveAll(s.home)
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<20 {
		return len(p), nil // enough to diagnose
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
