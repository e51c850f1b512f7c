package e2e

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"seqview/bench/xwin"
)

// The package test runs only when asked: it needs the bundle `make package`
// builds (minutes), an X server, and desktop-file-validate.
//
//	SEQVIEW_PACKAGE=1               run it on ../../bin/seqview.tar.xz; fail, not
//	                                skip, when something it needs is missing
//	SEQVIEW_PACKAGE_BUNDLE=path     run it on this bundle
//
// `make package-test` (part of `make test`) builds the bundle and runs it
// under Xvfb.
const (
	// Hang guards only, never timing assertions: start-up in software GL
	// on a loaded CI machine can be slow.
	pkgWindowDeadline = 90 * time.Second
	pkgPoll           = 50 * time.Millisecond
	// pkgTitleSuffix is the window title contract's ending (U+2014 em dash).
	pkgTitleSuffix = " — seqview"
	// pkgMimeTypes is what the desktop entry must declare, in this order.
	pkgMimeTypes = "image/png;image/jpeg;image/gif;image/bmp;image/tiff;image/webp;inode/directory;"
)

// TestPackage checks the Linux bundle as a person installing it meets it:
// its files, its desktop entry (validated as desktop environments read it),
// the bundle's own `make user-install`/`user-uninstall`, and "Open with
// seqview" on a frame and on a folder, run through the installed entry's
// Exec line with the packaged binary.
func TestPackage(t *testing.T) {
	bundle := pkgBundle(t)
	for _, tool := range []string{"tar", "xz", "make", "desktop-file-validate"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not on PATH (Debian: make test-deps installs it): %v", tool, err)
		}
	}
	id := pkgAppID(t)
	t.Logf("bundle %s, app ID %s", bundle, id)

	dir := t.TempDir()
	pkgRun(t, "", nil, "tar", "-xJf", bundle, "-C", dir)
	top := filepath.Join(dir, "seqview")
	// The fyne CLI puts the tree under usr/local when the packaging
	// machine has /usr/local, else under usr.
	prefix := filepath.Join(top, "usr", "local")
	if _, err := os.Stat(prefix); err != nil {
		prefix = filepath.Join(top, "usr")
	}
	desktop := filepath.Join(prefix, "share", "applications", id+".desktop")

	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow() // later steps build on this one
		}
	}

	step("contents", func(t *testing.T) {
		var files []string
		err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				files = append(files, rel)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rel := func(p string) string { r, _ := filepath.Rel(dir, p); return r }
		want := []string{
			"seqview/Makefile",
			rel(filepath.Join(prefix, "bin", "seqview")),
			rel(desktop),
			rel(filepath.Join(prefix, "share", "pixmaps", id+".png")),
		}
		slices.Sort(files)
		slices.Sort(want)
		if !slices.Equal(files, want) {
			t.Errorf("bundle files:\n  %s\nwant:\n  %s", strings.Join(files, "\n  "), strings.Join(want, "\n  "))
		}
		if fi, err := os.Stat(filepath.Join(prefix, "bin", "seqview")); err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("the binary is missing or not executable: %v %v", fi, err)
		}
		pkgCheckIcon(t, filepath.Join(prefix, "share", "pixmaps", id+".png"))
	})

	step("desktop_entry", func(t *testing.T) {
		pkgValidate(t, desktop)
		e := pkgDesktopEntry(t, desktop)
		for k, v := range map[string]string{
			"Type":     "Application",
			"Name":     "seqview",
			"Icon":     id,
			"MimeType": pkgMimeTypes,
			// Exactly one path: a file manager starts one viewer per
			// file, and a folder is a path too.
			"Exec": "seqview %f",
		} {
			if e[k] != v {
				t.Errorf("%s=%q, want %q", k, e[k], v)
			}
		}
		for _, k := range []string{"GenericName", "Comment", "Categories", "Keywords"} {
			if e[k] == "" {
				t.Errorf("no %s (FyneApp.toml [LinuxAndBSD])", k)
			}
		}
		t.Logf("%s:\n%s", filepath.Base(desktop), pkgRead(t, desktop))
	})

	// The bundle's own Makefile, into a temporary HOME: what `make
	// install` runs. The installed entry is then used to open files.
	home := t.TempDir()
	installed := []string{
		filepath.Join(home, ".local", "bin", "seqview"),
		filepath.Join(home, ".local", "share", "applications", id+".desktop"),
		filepath.Join(home, ".local", "share", "icons", id+".png"),
	}
	var execLine, wmClass string
	step("user_install", func(t *testing.T) {
		pkgMake(t, top, home, "user-install")
		if got := pkgFiles(t, home); !slices.Equal(got, pkgSorted(installed)) {
			t.Fatalf("user-install created:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(pkgSorted(installed), "\n  "))
		}
		pkgValidate(t, installed[1])
		e := pkgDesktopEntry(t, installed[1])
		if want := installed[0] + " %f"; e["Exec"] != want {
			t.Fatalf("installed Exec=%q, want %q", e["Exec"], want)
		}
		execLine, wmClass = e["Exec"], e["StartupWMClass"]
	})

	frames := writeFrames(t)
	step("open_with_file", func(t *testing.T) {
		pkgOpenWith(t, execLine, wmClass, filepath.Join(frames, "3.png"), fmt.Sprintf("3.png (3/%d)%s", frameCount, pkgTitleSuffix))
	})
	step("open_with_folder", func(t *testing.T) {
		pkgOpenWith(t, execLine, wmClass, frames, fmt.Sprintf("1.png (1/%d)%s", frameCount, pkgTitleSuffix))
	})

	step("user_uninstall", func(t *testing.T) {
		pkgMake(t, top, home, "user-uninstall")
		if got := pkgFiles(t, home); len(got) != 0 {
			t.Errorf("user-uninstall left:\n  %s", strings.Join(got, "\n  "))
		}
	})
}

// pkgBundle returns the bundle to test, or skips the test.
func pkgBundle(t *testing.T) string {
	t.Helper()
	bundle := os.Getenv("SEQVIEW_PACKAGE_BUNDLE")
	if bundle == "" && os.Getenv("SEQVIEW_PACKAGE") != "1" {
		t.Skip("package test not requested: run `make package-test` (builds the bundle, starts Xvfb), " +
			"or set SEQVIEW_PACKAGE=1 (tests bin/seqview.tar.xz of the product) or SEQVIEW_PACKAGE_BUNDLE=path/to/seqview.tar.xz")
	}
	if bundle == "" {
		bundle = filepath.Join(productRoot, "bin", "seqview.tar.xz")
	}
	abs, err := filepath.Abs(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("no bundle to test (%v): run `make package` first", err)
	}
	return abs
}

// pkgAppID reads FyneApp.toml's Details.ID and checks that the app asks
// Fyne for the same ID (app.ID in app/app.go), so preferences, the desktop
// entry and the window belong together.
func pkgAppID(t *testing.T) string {
	t.Helper()
	find := func(file, re string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(pkgRead(t, filepath.Join(productRoot, file)))
		if m == nil {
			t.Fatalf("%s: no match for %s", file, re)
		}
		return m[1]
	}
	id := find("FyneApp.toml", `(?m)^\s*ID\s*=\s*"([^"]+)"`)
	if appID := find(filepath.Join("app", "app.go"), `(?m)^const ID = "([^"]+)"`); appID != id {
		t.Fatalf("FyneApp.toml ID %q differs from app.ID %q", id, appID)
	}
	return id
}

// pkgCheckIcon checks the bundled icon is the project's 512×512 PNG.
func pkgCheckIcon(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("icon %s: %v", path, err)
	}
	if got := img.Bounds().Size(); got != image.Pt(512, 512) {
		t.Errorf("icon is %v, want 512×512", got)
	}
	if src, err := os.ReadFile(filepath.Join(productRoot, "assets", "icon.png")); err == nil && !bytes.Equal(src, b) {
		t.Errorf("the bundled icon differs from assets/icon.png")
	}
}

// pkgValidate runs desktop-file-validate: any error fails the test,
// warnings and hints are listed.
func pkgValidate(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("desktop-file-validate", path).CombinedOutput()
	var errs []string
	for line := range strings.Lines(string(out)) {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.Contains(line, ": error: "):
			errs = append(errs, line)
		default:
			t.Logf("desktop-file-validate: %s", line)
		}
	}
	if err != nil || len(errs) > 0 {
		t.Errorf("desktop-file-validate %s: %v\n%s", path, err, strings.Join(errs, "\n"))
	}
}

// pkgDesktopEntry returns the keys of the [Desktop Entry] group. It fails
// on a key given twice.
func pkgDesktopEntry(t *testing.T, path string) map[string]string {
	t.Helper()
	e := map[string]string{}
	group := ""
	sc := bufio.NewScanner(strings.NewReader(pkgRead(t, path)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			group = line
		case group == "[Desktop Entry]":
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("%s: not a key=value line: %q", path, line)
			}
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if _, dup := e[k]; dup {
				t.Fatalf("%s: %s given twice", path, k)
			}
			e[k] = v
		}
	}
	return e
}

// pkgMake runs a target of the bundle's Makefile with HOME=home, as a
// person would in the unpacked bundle (no flags inherited from a calling
// make).
func pkgMake(t *testing.T, dir, home, target string) {
	t.Helper()
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, k := range []string{"MAKEFLAGS=", "MFLAGS=", "MAKELEVEL=", "DESTDIR=", "HOME="} {
			if strings.HasPrefix(kv, k) {
				return true
			}
		}
		return false
	})
	pkgRun(t, dir, append(env, "HOME="+home), "make", "--no-print-directory", target)
}

func pkgRun(t *testing.T, dir string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	if len(out) > 0 {
		t.Logf("%s %s:\n%s", name, strings.Join(args, " "), out)
	}
}

// pkgFiles lists the files (not folders) under dir, sorted.
func pkgFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgSorted(files)
}

func pkgSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func pkgRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pkgOpenWith does what a file manager does for "Open with seqview" on
// path: it expands the desktop entry's Exec line (%f → path) and runs it,
// then waits for a window of that process titled want. It also checks the
// window carries the bundled icon and the entry's StartupWMClass.
func pkgOpenWith(t *testing.T, execLine, wmClass, path, want string) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: opening a file needs an X server; run `make package-test` (starts Xvfb)")
	}
	if strings.ContainsAny(execLine, `"'\`) {
		t.Fatalf("Exec=%s: quoting is not expected here", execLine)
	}
	argv := strings.Fields(execLine)
	n := slices.Index(argv, "%f")
	if n < 1 {
		t.Fatalf("Exec=%s has no %%f argument", execLine)
	}
	argv[n] = path
	t.Logf("running %q", argv)

	p := startApp(t, argv[0], argv[1:]...)
	x, err := xwin.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()

	deadline := time.Now().Add(pkgWindowDeadline)
	var win xwin.Window
	last := "(no window yet)"
	for {
		p.checkRunning(t)
		ws, err := x.Windows(pkgTitleSuffix)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			if pid, err := x.PID(w); err == nil && !p.owns(pid) {
				continue // another process's window
			}
			if title, err := x.Title(w); err == nil {
				last = fmt.Sprintf("%q", title)
				if title == want {
					win = w
				}
			}
		}
		if win != 0 {
			break
		}
		if time.Now().After(deadline) {
			pkgScreenshot(t, x)
			t.Fatalf("no window titled %q within %v (hang guard); last seen: %s", want, pkgWindowDeadline, last)
		}
		time.Sleep(pkgPoll)
	}
	t.Logf("window %#x titled %q", uint32(win), want)
	pkgCheckWindow(t, win, wmClass)
}

// pkgCheckWindow checks the window carries the entry's StartupWMClass and the
// bundled icon.
func pkgCheckWindow(t *testing.T, w xwin.Window, wmClass string) {
	t.Helper()
	c, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(c, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return r.Atom
	}
	r, err := xproto.GetProperty(c, false, w, xproto.AtomWmClass, xproto.AtomString, 0, 256).Reply()
	if err != nil {
		t.Fatal(err)
	}
	// Two NUL-terminated strings: instance name, then class.
	class := strings.Split(strings.TrimRight(string(r.Value), "\x00"), "\x00")
	if len(class) != 2 || class[1] != wmClass {
		t.Errorf("WM_CLASS %q, want class %q (the entry's StartupWMClass)", class, wmClass)
	} else {
		t.Logf("WM_CLASS %q", class)
	}

	// The icon can be set just after the title; give it the same guard.
	for deadline := time.Now().Add(pkgWindowDeadline); ; time.Sleep(pkgPoll) {
		r, err = xproto.GetProperty(c, false, w, atom("_NET_WM_ICON"), xproto.AtomCardinal, 0, 1<<20).Reply()
		if err == nil && r.Format == 32 && r.ValueLen >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window has no _NET_WM_ICON (err %v)", err)
		}
	}
	v := r.Value
	long := func(i int) uint32 { return binary.LittleEndian.Uint32(v[4*i:]) }
	w0, h0 := int(long(0)), int(long(1))
	if w0 == 0 || h0 == 0 || 2+w0*h0 > int(r.ValueLen) {
		t.Fatalf("_NET_WM_ICON: bad size %d×%d for %d values", w0, h0, r.ValueLen)
	}
	// ARGB; the top centre, 10 % down, is the icon's background #1e2430.
	argb := long(2 + (h0/10)*w0 + w0/2)
	got := color.RGBA{uint8(argb >> 16), uint8(argb >> 8), uint8(argb), uint8(argb >> 24)}
	want := color.RGBA{0x1e, 0x24, 0x30, 0xff}
	d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
	if d(got.R, want.R) > 8 || d(got.G, want.G) > 8 || d(got.B, want.B) > 8 || got.A < 0xf0 {
		t.Errorf("window icon (%d×%d) at the top centre is %v, want the seqview icon's %v", w0, h0, got, want)
	} else {
		t.Logf("window icon %d×%d is seqview's", w0, h0)
	}
}

// pkgScreenshot saves the screen for a person to look at.
func pkgScreenshot(t *testing.T, x *xwin.Conn) {
	t.Helper()
	dir := os.Getenv("SEQVIEW_E2E_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "seqview-e2e-artifacts")
	}
	img, err := x.Capture(x.ScreenBounds())
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "__")+time.Now().Format("-20060102-150405")+".png")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err == nil {
			t.Logf("screenshot of the screen at failure: %s", path)
		}
	}
}
