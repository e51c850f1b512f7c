package disk

import (
	"io"
	"io/fs"
	"os"
)

// fileSys is the file operations the cache makes on its folder, so tests can
// inject the failures a real folder cannot be made to produce on demand
// (a full disk; a folder that denies root). Listing, stat and Chtimes go to
// the os package directly.
type fileSys interface {
	CreateTemp(dir, pattern string) (tempFile, error)
	Open(name string) (readFile, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
}

// tempFile is a file being written.
type tempFile interface {
	io.Writer
	Name() string
	Close() error
}

// readFile is an entry file being read.
type readFile interface {
	io.Reader
	Stat() (fs.FileInfo, error)
	Close() error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) CreateTemp(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }
func (osFS) Open(name string) (readFile, error)               { return os.Open(name) }
func (osFS) Rename(oldpath, newpath string) error             { return os.Rename(oldpath, newpath) }
func (osFS) Remove(name string) error                         { return os.Remove(name) }
