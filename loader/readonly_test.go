package loader

import (
	"go/ast"
	"go/parser"
	"go/token"
	"image/color"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"seqview/internal/testframes"
)

// writeTrap is an fs.FS whose files offer every way to write and fail the
// test if one is used: the loader must only ever read.
type writeTrap struct {
	fs.FS
	t *testing.T
}

func (w writeTrap) Open(name string) (fs.File, error) {
	f, err := w.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return trapFile{f, w.t, name}, nil
}

func (w writeTrap) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(w.FS, name) }

type trapFile struct {
	fs.File
	t    *testing.T
	name string
}

func (f trapFile) trap(what string) error {
	f.t.Errorf("the loader tried to %s %s", what, f.name)
	return fs.ErrPermission
}

func (f trapFile) Write([]byte) (int, error)          { return 0, f.trap("write") }
func (f trapFile) WriteAt([]byte, int64) (int, error) { return 0, f.trap("write") }
func (f trapFile) WriteString(string) (int, error)    { return 0, f.trap("write") }
func (f trapFile) Truncate(int64) error               { return f.trap("truncate") }
func (f trapFile) Chmod(fs.FileMode) error            { return f.trap("chmod") }
func (f trapFile) Sync() error                        { return f.trap("sync") }

// TestNeverWrites runs a whole session — scan, every frame, read-ahead,
// errors, a watch — over an FS that fails on any write, and checks that the
// folder on disk is byte for byte what it was.
func TestNeverWrites(t *testing.T) {
	dir := t.TempDir()
	if err := testframes.WriteDir(dir, "%02d.png", 1, 12, func(i int) []byte {
		return testframes.Flat(16, 9, color.NRGBA{R: uint8(i), A: 255})
	}); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "13.png"), []byte("broken"))
	old(t, filepath.Join(dir, "13.png"))
	before := snapshot(t, dir)

	h := openFolder(t, dir, writeTrap{DirFS(dir), t})
	stop := Watch(dir, writeTrap{DirFS(dir), t}, ".", nil, 10*time.Millisecond, func(Change) {})
	for i := range h.svc.Sequence().Len() {
		h.show(i)
	}
	for i := h.svc.Sequence().Len() - 1; i >= 0; i-- {
		h.show(i)
	}
	stop()
	h.svc.Close()
	if after := snapshot(t, dir); after != before {
		t.Fatalf("the folder changed:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot describes every file of dir: name, size, mode and time.
func snapshot(t *testing.T, dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(fi.Name() + " " + fi.Mode().String() + " " + fi.ModTime().String() + " " + strconv.FormatInt(fi.Size(), 10) + "\n")
	}
	return b.String()
}

// TestNoWriteCalls reads the source of the packages that touch the viewed
// folder and fails on any call that could change a file system.
func TestNoWriteCalls(t *testing.T) {
	writers := map[string]bool{
		"Create": true, "OpenFile": true, "WriteFile": true, "Mkdir": true, "MkdirAll": true, "MkdirTemp": true,
		"CreateTemp": true, "Remove": true, "RemoveAll": true, "Rename": true, "Chmod": true, "Chown": true,
		"Lchown": true, "Chtimes": true, "Truncate": true, "Symlink": true, "Link": true,
	}
	for _, pkg := range []string{".", "../cache", "../app", "../viewer"} {
		files, err := filepath.Glob(filepath.Join(pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, isID := sel.X.(*ast.Ident); isID && id.Name == "os" && writers[sel.Sel.Name] {
					t.Errorf("%s calls os.%s", file, sel.Sel.Name)
				}
				return true
			})
		}
	}
}
