package loader

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DirFS is a read-only fs.FS of a folder on disk, like os.DirFS but
// without its rule that names be valid UTF-8: shares written from old
// Windows or Latin-1 systems hold names that are not, and they must open
// like any other. Every file is opened with os.Open, read-only.
type DirFS string

var (
	_ fs.ReadDirFS = DirFS("")
	_ fs.StatFS    = DirFS("")
)

// Open opens name for reading.
func (d DirFS) Open(name string) (fs.File, error) {
	p, err := d.join("open", name)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// ReadDir lists the folder name.
func (d DirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	p, err := d.join("readdir", name)
	if err != nil {
		return nil, err
	}
	return os.ReadDir(p)
}

// Stat describes name.
func (d DirFS) Stat(name string) (fs.FileInfo, error) {
	p, err := d.join("stat", name)
	if err != nil {
		return nil, err
	}
	return os.Stat(p)
}

// join checks name as fs.ValidPath does, but for UTF-8, and returns its
// path on disk.
func (d DirFS) join(op, name string) (string, error) {
	ok := name != "" && !strings.HasPrefix(name, "/") && !strings.ContainsRune(name, 0)
	if name != "." {
		for _, elem := range strings.Split(name, "/") {
			ok = ok && elem != "" && elem != "." && elem != ".."
		}
	}
	if !ok {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(string(d), filepath.FromSlash(name)), nil
}
