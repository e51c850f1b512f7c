package loader

import (
	"go/ast"
	"go/parser"
	"go/token"
	"image/color"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"seqview/internal/testframes"
)

// TestNeverWrites runs a whole session — scan, every frame both ways,
// read-ahead, full-resolution frames, errors, a watch — over the folder,
// and checks that the folder on disk is what it was: the same files, sizes,
// modes and times. (The loader only ever holds an fs.FS, which has no way
// to write; TestNoWriteCalls checks the code for the other ways.)
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

	h := openFolder(t, dir, nil)
	stop := Watch(dir, DirFS(dir), ".", nil, 10*time.Millisecond, func(Change) {})
	for i := range h.svc.Sequence().Len() {
		h.show(i)
	}
	h.svc.SetFullSize(true)
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
	for _, pkg := range []string{".", "decode", "../cache", "../app", "../viewer"} {
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
