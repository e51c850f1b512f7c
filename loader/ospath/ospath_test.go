package ospath

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pathCase is one path under both rules.
type pathCase struct {
	in            string
	posix, win    string // Clean
	posixVol, vol string // VolumeName
	posixAbs, abs bool   // IsAbs
}

var pathCases = []pathCase{
	{in: "", posix: ".", win: "."},
	{in: ".", posix: ".", win: "."},
	{in: "/", posix: "/", win: `\`, posixAbs: true},
	{in: "shot/shot_0001.png", posix: "shot/shot_0001.png", win: `shot\shot_0001.png`},
	{in: "a//b/./c/..", posix: "a/b", win: `a\b`},
	{in: "../../x", posix: "../../x", win: `..\..\x`},
	{in: "/../x", posix: "/x", win: `\x`, posixAbs: true},
	{in: "/home/me/Käse Bilder/frame 0002.png", posix: "/home/me/Käse Bilder/frame 0002.png",
		win: `\home\me\Käse Bilder\frame 0002.png`, posixAbs: true},
	{in: `a\b.png`, posix: `a\b.png`, win: `a\b.png`},
	// Drive letters.
	{in: `C:\renders\shot\`, posix: `C:\renders\shot\`, win: `C:\renders\shot`, vol: "C:", abs: true},
	{in: `R:/renders/shot/shot_0001.png`, posix: `R:/renders/shot/shot_0001.png`, win: `R:\renders\shot\shot_0001.png`,
		vol: "R:", abs: true},
	{in: `r:\renders\..\..\shot`, posix: `r:\renders\..\..\shot`, win: `r:\shot`, vol: "r:", abs: true},
	{in: `C:`, posix: `C:`, win: `C:.`, vol: "C:"},
	{in: `C:\`, posix: `C:\`, win: `C:\`, vol: "C:", abs: true},
	{in: `C:shot`, posix: `C:shot`, win: `C:shot`, vol: "C:"},
	{in: `a/../c:`, posix: `c:`, win: `.\c:`},
	// UNC shares.
	{in: `\\server\share\shot\shot_0001.png`, posix: `\\server\share\shot\shot_0001.png`,
		win: `\\server\share\shot\shot_0001.png`, vol: `\\server\share`, abs: true},
	{in: `//server/share/shot/`, posix: `/server/share/shot`, win: `\\server\share\shot`,
		vol: `\\server\share`, posixAbs: true, abs: true},
	{in: `\\server\share`, posix: `\\server\share`, win: `\\server\share`, vol: `\\server\share`, abs: true},
	{in: `\\server\share\`, posix: `\\server\share\`, win: `\\server\share\`, vol: `\\server\share`, abs: true},
	{in: `\\server\share\..\..`, posix: `\\server\share\..\..`, win: `\\server\share\`, vol: `\\server\share`, abs: true},
	{in: `\\server\renders ä\shot 1`, posix: `\\server\renders ä\shot 1`, win: `\\server\renders ä\shot 1`,
		vol: `\\server\renders ä`, abs: true},
	// Device paths.
	{in: `\\?\UNC\server\share\shot`, posix: `\\?\UNC\server\share\shot`, win: `\\?\UNC\server\share\shot`,
		vol: `\\?\UNC`, abs: true},
	{in: `\\.\UNC\server\share\shot`, posix: `\\.\UNC\server\share\shot`, win: `\\.\UNC\server\share\shot`,
		vol: `\\.\UNC\server\share`, abs: true},
	{in: `\\?\C:\renders\`, posix: `\\?\C:\renders\`, win: `\\?\C:\renders`, vol: `\\?\C:`, abs: true},
	{in: `\\?\C:\`, posix: `\\?\C:\`, win: `\\?\C:\`, vol: `\\?\C:`, abs: true},
	{in: `\a\..\??\c:\x`, posix: `\a\..\??\c:\x`, win: `\.\??\c:\x`},
}

func TestClean(t *testing.T) {
	for _, tc := range pathCases {
		t.Run(tc.in, func(t *testing.T) {
			for _, c := range []struct {
				r          Rules
				clean, vol string
				abs        bool
			}{
				{Posix, tc.posix, tc.posixVol, tc.posixAbs},
				{Windows, tc.win, tc.vol, tc.abs},
			} {
				if got := c.r.Clean(tc.in); got != c.clean {
					t.Errorf("%s: Clean = %q, want %q", c.r, got, c.clean)
				}
				if got := c.r.VolumeName(tc.in); got != c.vol {
					t.Errorf("%s: VolumeName = %q, want %q", c.r, got, c.vol)
				}
				if got := c.r.IsAbs(tc.in); got != c.abs {
					t.Errorf("%s: IsAbs = %v, want %v", c.r, got, c.abs)
				}
				// Clean is idempotent.
				if got := c.r.Clean(c.clean); got != c.clean {
					t.Errorf("%s: Clean(%q) = %q, want it unchanged", c.r, c.clean, got)
				}
			}
		})
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		r         Rules
		in        string
		dir, file string
	}{
		{Posix, "/mnt/share/shot/shot_0001.png", "/mnt/share/shot/", "shot_0001.png"},
		{Posix, "/x.png", "/", "x.png"},
		{Posix, "x.png", "", "x.png"},
		{Posix, "/mnt/share/shot/", "/mnt/share/shot/", ""},
		{Posix, `/mnt/a\b.png`, "/mnt/", `a\b.png`},
		{Windows, `\\server\share\shot\shot_0001.png`, `\\server\share\shot\`, "shot_0001.png"},
		{Windows, `\\server\share\root_0001.png`, `\\server\share\`, "root_0001.png"},
		{Windows, `\\server\share`, `\\server\share`, ""},
		{Windows, `R:/renders/shot/shot_0001.png`, `R:/renders/shot/`, "shot_0001.png"},
		{Windows, `R:\frame 0001.png`, `R:\`, "frame 0001.png"},
		{Windows, `R:frame.png`, `R:`, "frame.png"},
		{Windows, `\\?\UNC\server\share\ä_0001.png`, `\\?\UNC\server\share\`, "ä_0001.png"},
		{Windows, `\\?\C:\x.png`, `\\?\C:\`, "x.png"},
	} {
		t.Run(tc.r.String()+"/"+tc.in, func(t *testing.T) {
			dir, file := tc.r.Split(tc.in)
			if dir != tc.dir || file != tc.file {
				t.Errorf("Split = %q, %q; want %q, %q", dir, file, tc.dir, tc.file)
			}
		})
	}
}

// TestNativeIsFilepath holds Native to path/filepath on the system the
// test runs on: Posix on Linux, Windows on Windows (make windows compiles
// this test for Windows; run seqview's loader/ospath tests there).
func TestNativeIsFilepath(t *testing.T) {
	ins := []string{`C:.`, `\\`, `\\\share`, `//`, `\\?`, `\\.`, `\??\C:\x`, `\\.\pipe\x`, `c:..\x`, `..\..`}
	for _, tc := range pathCases {
		ins = append(ins, tc.in)
	}
	for _, in := range ins {
		t.Run(in, func(t *testing.T) {
			if got, want := Native.Clean(in), filepath.Clean(in); got != want {
				t.Errorf("Clean = %q, filepath.Clean = %q", got, want)
			}
			if got, want := Native.VolumeName(in), filepath.VolumeName(in); got != want {
				t.Errorf("VolumeName = %q, filepath.VolumeName = %q", got, want)
			}
			if got, want := Native.IsAbs(in), filepath.IsAbs(in); got != want {
				t.Errorf("IsAbs = %v, filepath.IsAbs = %v", got, want)
			}
			dir, file := Native.Split(in)
			if wdir, wfile := filepath.Split(in); dir != wdir || file != wfile {
				t.Errorf("Split = %q, %q; filepath.Split = %q, %q", dir, file, wdir, wfile)
			}
			if got, want := string(Native.Separator()), string(filepath.Separator); got != want {
				t.Errorf("Separator = %q, filepath.Separator = %q", got, want)
			}
		})
	}
}

func TestNativeRules(t *testing.T) {
	if nativeRules("windows") != Windows || nativeRules("linux") != Posix || nativeRules("darwin") != Posix {
		t.Error("nativeRules: want Windows for windows only")
	}
}

// fakeHost is a machine as data: a working folder and a file tree, keyed
// by clean absolute path. Under Windows rules names compare without case,
// and \\?\ and \\?\UNC\ reach the same files, as on a real Windows.
type fakeHost struct {
	r     Rules
	cwd   string
	items map[string]bool // clean absolute path → is a folder
}

func (f fakeHost) host() Host { return Host{Rules: f.r, Abs: f.abs, Stat: f.stat} }

// abs joins a relative path to the working folder; under Windows rules a
// path rooted without a volume (\x) takes the working folder's volume.
func (f fakeHost) abs(p string) (string, error) {
	if f.r.IsAbs(p) {
		return f.r.Clean(p), nil
	}
	if f.r.VolumeName(p) != "" {
		return "", errors.New("fake: drive-relative paths are not modelled")
	}
	if p != "" && f.r.IsSeparator(p[0]) {
		return f.r.Clean(f.r.VolumeName(f.cwd) + p), nil
	}
	return f.r.Clean(f.cwd + string(f.r.Separator()) + p), nil
}

func (f fakeHost) key(p string) string {
	if !f.r.windows {
		return p
	}
	p = f.r.Clean(p)
	if f.r.hasPrefixFold(p, `\\?\UNC`) {
		p = `\\` + p[len(`\\?\UNC\`):]
	} else if f.r.hasPrefixFold(p, `\\?`) {
		p = p[len(`\\?\`):]
	}
	return strings.ToUpper(strings.TrimSuffix(p, `\`))
}

func (f fakeHost) stat(p string) (fs.FileInfo, error) {
	for item, dir := range f.items {
		if f.key(item) == f.key(p) {
			_, name := f.r.Split(p)
			return fakeInfo{name: name, dir: dir}, nil
		}
	}
	return nil, &fs.PathError{Op: "stat", Path: p, Err: fs.ErrNotExist}
}

type fakeInfo struct {
	name string
	dir  bool
}

func (i fakeInfo) Name() string       { return i.name }
func (i fakeInfo) Size() int64        { return 0 }
func (i fakeInfo) ModTime() time.Time { return time.Time{} }
func (i fakeInfo) IsDir() bool        { return i.dir }
func (i fakeInfo) Sys() any           { return nil }
func (i fakeInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}

var (
	windowsHost = fakeHost{r: Windows, cwd: `C:\Users\me`, items: map[string]bool{
		`\\server\share`:                         true,
		`\\server\share\root_0001.png`:           false,
		`\\server\share\shot`:                    true,
		`\\server\share\shot\shot_0001.png`:      false,
		`R:\`:                                    true,
		`R:\renders\shot`:                        true,
		`R:\renders\shot\shot_0001.png`:          false,
		`C:\Users\me`:                            true,
		`C:\Users\me\Käse Bilder`:                true,
		`C:\Users\me\Käse Bilder\frame 0002.png`: false,
	}}
	posixHost = fakeHost{r: Posix, cwd: "/home/me", items: map[string]bool{
		"/mnt/share/shot":                     true,
		"/mnt/share/shot/shot_0001.png":       false,
		"/home/me":                            true,
		"/home/me/Käse Bilder":                true,
		"/home/me/Käse Bilder/frame 0002.png": false,
		`/home/me/a\b`:                        true,
		`/home/me/a\b/c_0001.png`:             false,
		"/":                                   true,
	}}
)

func TestLocate(t *testing.T) {
	for _, tc := range []struct {
		host               fakeHost
		in                 string
		path, folder, file string
		err                error
	}{
		// A UNC folder, file, share root, with either slash.
		{windowsHost, `\\server\share\shot\shot_0001.png`, `\\server\share\shot\shot_0001.png`, `\\server\share\shot`, "shot_0001.png", nil},
		{windowsHost, `\\server\share\shot`, `\\server\share\shot`, `\\server\share\shot`, "", nil},
		{windowsHost, `\\server\share\shot\`, `\\server\share\shot`, `\\server\share\shot`, "", nil},
		{windowsHost, `//server/share/shot/shot_0001.png`, `\\server\share\shot\shot_0001.png`, `\\server\share\shot`, "shot_0001.png", nil},
		{windowsHost, `\\server\share`, `\\server\share`, `\\server\share`, "", nil},
		{windowsHost, `\\server\share\root_0001.png`, `\\server\share\root_0001.png`, `\\server\share\`, "root_0001.png", nil},
		{windowsHost, `\\?\UNC\server\share\shot\shot_0001.png`, `\\?\UNC\server\share\shot\shot_0001.png`, `\\?\UNC\server\share\shot`, "shot_0001.png", nil},
		// A mapped drive, either slash, quoted by "Copy as path", another case.
		{windowsHost, `R:\renders\shot`, `R:\renders\shot`, `R:\renders\shot`, "", nil},
		{windowsHost, `R:/renders/shot/shot_0001.png`, `R:\renders\shot\shot_0001.png`, `R:\renders\shot`, "shot_0001.png", nil},
		{windowsHost, `"R:\renders\shot\shot_0001.png"`, `R:\renders\shot\shot_0001.png`, `R:\renders\shot`, "shot_0001.png", nil},
		{windowsHost, `r:\RENDERS\shot\SHOT_0001.PNG`, `r:\RENDERS\shot\SHOT_0001.PNG`, `r:\RENDERS\shot`, "SHOT_0001.PNG", nil},
		{windowsHost, `R:\renders\shot\..\shot\.\shot_0001.png`, `R:\renders\shot\shot_0001.png`, `R:\renders\shot`, "shot_0001.png", nil},
		{windowsHost, `R:\`, `R:\`, `R:\`, "", nil},
		// Relative, spaces and non-ASCII names; rooted on the current drive.
		{windowsHost, `Käse Bilder\frame 0002.png`, `C:\Users\me\Käse Bilder\frame 0002.png`, `C:\Users\me\Käse Bilder`, "frame 0002.png", nil},
		{windowsHost, `Käse Bilder/`, `C:\Users\me\Käse Bilder`, `C:\Users\me\Käse Bilder`, "", nil},
		{windowsHost, `\Users\me\Käse Bilder`, `C:\Users\me\Käse Bilder`, `C:\Users\me\Käse Bilder`, "", nil},
		{windowsHost, `R:\nope\shot_0001.png`, `R:\nope\shot_0001.png`, "", "", fs.ErrNotExist},

		{posixHost, "/mnt/share/shot/shot_0001.png", "/mnt/share/shot/shot_0001.png", "/mnt/share/shot", "shot_0001.png", nil},
		{posixHost, "/mnt/share/shot/", "/mnt/share/shot", "/mnt/share/shot", "", nil},
		{posixHost, "//mnt//share/./shot", "/mnt/share/shot", "/mnt/share/shot", "", nil},
		{posixHost, "Käse Bilder/frame 0002.png", "/home/me/Käse Bilder/frame 0002.png", "/home/me/Käse Bilder", "frame 0002.png", nil},
		{posixHost, `a\b\c_0001.png`, `/home/me/a\b\c_0001.png`, `/home/me`, `a\b\c_0001.png`, fs.ErrNotExist},
		{posixHost, `a\b/c_0001.png`, `/home/me/a\b/c_0001.png`, `/home/me/a\b`, "c_0001.png", nil},
		{posixHost, `"/mnt/share/shot"`, `/home/me/"/mnt/share/shot"`, "", "", fs.ErrNotExist},
		{posixHost, "/MNT/share/shot", "/MNT/share/shot", "", "", fs.ErrNotExist},
		{posixHost, "/", "/", "/", "", nil},
	} {
		t.Run(tc.host.r.String()+"/"+tc.in, func(t *testing.T) {
			loc, err := tc.host.host().Locate(tc.in)
			if loc.Path != tc.path {
				t.Errorf("Path = %q, want %q", loc.Path, tc.path)
			}
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Errorf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if loc.Folder != tc.folder || loc.File != tc.file {
				t.Errorf("Folder, File = %q, %q; want %q, %q", loc.Folder, loc.File, tc.folder, tc.file)
			}
			if loc.Info == nil || loc.Info.IsDir() != (tc.file == "") {
				t.Errorf("Info = %v, want a folder: %v", loc.Info, tc.file == "")
			}
		})
	}
}

// TestLocateHere opens real paths on this machine through Local.
func TestLocateHere(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "Käse Bilder")
	file := filepath.Join(sub, "frame 0002.png")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in           string
		folder, name string
	}{
		{sub, sub, ""},
		{sub + string(filepath.Separator), sub, ""},
		{file, sub, "frame 0002.png"},
		{filepath.ToSlash(file), sub, "frame 0002.png"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			loc, err := Local.Locate(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if loc.Folder != tc.folder || loc.File != tc.name {
				t.Errorf("Folder, File = %q, %q; want %q, %q", loc.Folder, loc.File, tc.folder, tc.name)
			}
		})
	}
}
