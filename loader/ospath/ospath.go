// Package ospath is where seqview turns a path a person gives — typed on
// the command line, dropped on the window, picked in a file dialog — into
// a folder and a file name on this machine.
//
// The path rules of each system are a value (Posix, Windows), not the
// build's path/filepath, so that Windows paths (drive letters, UNC shares
// \\server\share, \\?\ paths, either slash) are tested on Linux and the
// other way round; Native is the value of the system the program runs on,
// and a test holds it to path/filepath wherever the tests run. The
// machine itself (the absolute form of a path, what is at it) is asked
// through a Host, so Locate is tested with a Windows file tree as data.
package ospath

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Rules are one operating system's path rules, as filepath applies them
// on that system. The zero value is Posix.
type Rules struct {
	windows bool
}

var (
	// Posix: one root, '/' separates, every other byte is a name byte.
	Posix = Rules{}
	// Windows: volumes (C:, \\server\share, \\?\…), '\' and '/' both
	// separate, names compare without case.
	Windows = Rules{windows: true}
	// Native are the rules of the system this program runs on.
	Native = nativeRules(runtime.GOOS)
)

func nativeRules(goos string) Rules {
	if goos == "windows" {
		return Windows
	}
	return Posix
}

// String names the rules: "windows" or "posix".
func (r Rules) String() string {
	if r.windows {
		return "windows"
	}
	return "posix"
}

// Separator is the separator Clean and Join write.
func (r Rules) Separator() byte {
	if r.windows {
		return '\\'
	}
	return '/'
}

// IsSeparator reports whether c separates path elements.
func (r Rules) IsSeparator(c byte) bool {
	return c == '/' || r.windows && c == '\\'
}

// FromSlash turns '/' into the separator.
func (r Rules) FromSlash(p string) string {
	if !r.windows {
		return p
	}
	return strings.ReplaceAll(p, "/", `\`)
}

// VolumeName returns the leading volume of p, with Windows separators as
// filepath.VolumeName writes it: "C:" of `C:\x`, `\\server\share` of
// `\\server\share\x` and of "//server/share/x", `\\?\C:` of `\\?\C:\x`;
// "" under Posix.
func (r Rules) VolumeName(p string) string {
	return r.FromSlash(p[:r.volumeLen(p)])
}

// volumeLen is the length of p's volume, as Go's filepath on Windows
// measures it (internal/filepathlite.volumeNameLen).
func (r Rules) volumeLen(p string) int {
	if !r.windows {
		return 0
	}
	switch {
	case len(p) >= 2 && p[1] == ':':
		// A drive letter. Windows does not insist on A–Z; neither does Go.
		return 2
	case p == "" || !r.IsSeparator(p[0]):
		return 0
	case r.hasPrefixFold(p, `\\.\UNC`):
		return r.uncLen(p, len(`\\.\UNC\`))
	case r.hasPrefixFold(p, `\\.`) || r.hasPrefixFold(p, `\\?`) || r.hasPrefixFold(p, `\??`):
		// A device path (\\.\X, \\?\X, \??\X): the element after the
		// prefix belongs to the volume, so `\\?\C:\` keeps its root.
		if len(p) == 3 {
			return 3
		}
		_, rest, ok := r.cut(p[4:])
		if !ok {
			return len(p)
		}
		return len(p) - len(rest) - 1
	case len(p) >= 2 && r.IsSeparator(p[1]):
		return r.uncLen(p, 2)
	}
	return 0
}

// hasPrefixFold reports whether p starts with prefix, ignoring ASCII case
// and taking either separator for either, followed by a separator or the
// end of p.
func (r Rules) hasPrefixFold(p, prefix string) bool {
	if len(p) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if r.IsSeparator(prefix[i]) {
			if !r.IsSeparator(p[i]) {
				return false
			}
		} else if upper(prefix[i]) != upper(p[i]) {
			return false
		}
	}
	return len(p) == len(prefix) || r.IsSeparator(p[len(prefix)])
}

// uncLen is the length of a UNC volume (server and share) whose server
// starts at from.
func (r Rules) uncLen(p string, from int) int {
	seps := 0
	for i := from; i < len(p); i++ {
		if r.IsSeparator(p[i]) {
			seps++
			if seps == 2 {
				return i
			}
		}
	}
	return len(p)
}

// cut slices p around its first separator.
func (r Rules) cut(p string) (before, after string, found bool) {
	for i := 0; i < len(p); i++ {
		if r.IsSeparator(p[i]) {
			return p[:i], p[i+1:], true
		}
	}
	return p, "", false
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// IsAbs reports whether p is absolute: it names the same place whatever
// the working folder (and, on Windows, the current drive) is.
func (r Rules) IsAbs(p string) bool {
	if !r.windows {
		return strings.HasPrefix(p, "/")
	}
	n := r.volumeLen(p)
	if n == 0 {
		return false
	}
	if r.IsSeparator(p[0]) && r.IsSeparator(p[1]) {
		return true // UNC and device paths
	}
	return len(p) > n && r.IsSeparator(p[n])
}

// Clean returns the shortest path naming the same place as p, by lexical
// processing alone, as filepath.Clean does under these rules: one
// separator between elements (the Separator), no "." elements, ".."
// elements resolved where they can be, no trailing separator except at a
// root; "." for an empty path.
func (r Rules) Clean(p string) string {
	vol := r.volumeLen(p)
	rest := p[vol:]
	if rest == "" {
		if vol > 1 && r.IsSeparator(p[0]) && r.IsSeparator(p[1]) {
			return r.FromSlash(p) // a UNC volume: \\server\share
		}
		return p + "."
	}
	sep := r.Separator()
	rooted := r.IsSeparator(rest[0])
	out := make([]byte, 0, len(rest))
	i, dotdot := 0, 0 // dotdot: where ".." can no longer back up
	if rooted {
		out = append(out, sep)
		i, dotdot = 1, 1
	}
	for n := len(rest); i < n; {
		switch {
		case r.IsSeparator(rest[i]):
			i++
		case rest[i] == '.' && (i+1 == n || r.IsSeparator(rest[i+1])):
			i++
		case rest[i] == '.' && rest[i+1] == '.' && (i+2 == n || r.IsSeparator(rest[i+2])):
			i += 2
			switch {
			case len(out) > dotdot:
				w := len(out) - 1
				for w > dotdot && !r.IsSeparator(out[w]) {
					w--
				}
				out = out[:w]
			case !rooted:
				if len(out) > 0 {
					out = append(out, sep)
				}
				out = append(out, '.', '.')
				dotdot = len(out)
			}
		default:
			if rooted && len(out) != 1 || !rooted && len(out) != 0 {
				out = append(out, sep)
			}
			for ; i < n && !r.IsSeparator(rest[i]); i++ {
				out = append(out, rest[i])
			}
		}
	}
	if len(out) == 0 {
		out = append(out, '.')
	}
	if r.windows && vol == 0 {
		out = r.keepRelative(out)
	}
	return r.FromSlash(p[:vol] + string(out))
}

// keepRelative stops Clean from turning a relative Windows path into a
// volume or a device path: `a\..\c:` would read as the drive "c:", and
// `\a\..\??\c:\x` as the device path `\??\c:\x`.
func (r Rules) keepRelative(out []byte) []byte {
	for _, c := range out {
		if r.IsSeparator(c) {
			break
		}
		if c == ':' {
			return append([]byte{'.', r.Separator()}, out...)
		}
	}
	if len(out) >= 3 && r.IsSeparator(out[0]) && out[1] == '?' && out[2] == '?' {
		return append([]byte{r.Separator(), '.'}, out...)
	}
	return out
}

// Split splits p after its last separator: dir keeps that separator,
// file is the rest ("" if p ends in a separator). A volume is never split.
func (r Rules) Split(p string) (dir, file string) {
	vol := r.volumeLen(p)
	i := len(p) - 1
	for i >= vol && !r.IsSeparator(p[i]) {
		i--
	}
	return p[:i+1], p[i+1:]
}

// Unquote removes the double quotes around a Windows path, as Explorer's
// "Copy as path" writes it: '"' cannot occur in a Windows file name, so a
// quoted path is never a real name. Posix paths are returned unchanged.
func (r Rules) Unquote(p string) string {
	if r.windows && len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
		return p[1 : len(p)-1]
	}
	return p
}

// A Host is what Locate asks the machine.
type Host struct {
	Rules Rules
	// Abs returns the absolute form of a path (filepath.Abs: on Windows,
	// GetFullPathName, which also knows each drive's working folder).
	Abs func(string) (string, error)
	// Stat describes what is at an absolute path (os.Stat).
	Stat func(string) (fs.FileInfo, error)
}

// Local is this machine.
var Local = Host{Rules: Native, Abs: filepath.Abs, Stat: os.Stat}

// Located is where a path a person gave leads.
type Located struct {
	Path   string      // absolute and clean
	Folder string      // Path for a folder; for anything else, the folder holding it, clean
	File   string      // "" for a folder; for anything else, its name in Folder
	Info   fs.FileInfo // what Stat said of Path
}

// Locate finds what the path p names: a folder, or a file (or anything
// else that is not a folder) and the folder it is in. It only asks Abs and
// Stat, and lists nothing.
//
// p may be relative, may use either slash on Windows, and may be quoted
// there (Unquote). On error, Located.Path is the path that failed (p if
// Abs failed, its absolute form if Stat did) and the error is Abs's or
// Stat's, unwrapped, so fs.ErrNotExist and the like still match.
func (h Host) Locate(p string) (Located, error) {
	r := h.Rules
	p = r.Unquote(p)
	abs, err := h.Abs(p)
	if err != nil {
		return Located{Path: p}, err
	}
	abs = r.Clean(abs)
	fi, err := h.Stat(abs)
	if err != nil {
		return Located{Path: abs}, err
	}
	if fi.IsDir() {
		return Located{Path: abs, Folder: abs, Info: fi}, nil
	}
	dir, file := r.Split(abs)
	return Located{Path: abs, Folder: r.Clean(dir), File: file, Info: fi}, nil
}
