package disk

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// base is the modification time test keys start from.
var base = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.UTC)

// frame returns n bytes that differ for each seed, and its key at path with
// time base+version seconds.
func frame(path string, n int, version int) (Key, []byte) {
	data := bytes.Repeat([]byte(fmt.Sprintf("%s@%d;", path, version)), n/8+1)[:n]
	return Key{Path: path, Size: int64(n), ModTime: base.Add(time.Duration(version) * time.Second)}, data
}

// openTest opens a cache in dir (a new temporary folder if "") with opt
// changed by tune, and closes it when the test ends.
func openTest(t testing.TB, dir string, maxBytes int64, tune func(*options)) *Cache {
	t.Helper()
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "files")
	}
	opt := defaultOptions()
	if tune != nil {
		tune(&opt)
	}
	c, err := open(dir, maxBytes, opt)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// flush waits until c's writer has nothing queued or in progress.
func flush(t testing.TB, c *Cache) {
	t.Helper()
	for {
		c.mu.Lock()
		idle := len(c.queue) == 0 && !c.writing
		c.mu.Unlock()
		if idle {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// dirFiles lists the names in dir: entries and others.
func dirFiles(t testing.TB, dir string) (entries, others []string) {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if isEntryName(de.Name()) {
			entries = append(entries, de.Name())
		} else {
			others = append(others, de.Name())
		}
	}
	return entries, others
}

// dirBytes is the total size of the entry files in dir.
func dirBytes(t testing.TB, dir string) int64 {
	t.Helper()
	entries, _ := dirFiles(t, dir)
	var n int64
	for _, name := range entries {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err == nil {
			n += fi.Size()
		}
	}
	return n
}

// noTemp fails the test if dir holds a temporary file.
func noTemp(t testing.TB, dir string) {
	t.Helper()
	_, others := dirFiles(t, dir)
	for _, n := range others {
		if strings.HasPrefix(n, tmpPrefix) {
			t.Errorf("temporary file %s left in the cache folder", n)
		}
	}
}

// reports records the errors given to an OnDisabled function.
type reports struct {
	mu   sync.Mutex
	errs []error
	got  chan struct{}
}

func watch(c *Cache) *reports {
	r := &reports{got: make(chan struct{}, 16)}
	c.SetOnDisabled(func(err error) {
		r.mu.Lock()
		r.errs = append(r.errs, err)
		r.mu.Unlock()
		r.got <- struct{}{}
	})
	return r
}

// wait waits for the first report and returns it.
func (r *reports) wait(t testing.TB) error {
	t.Helper()
	select {
	case <-r.got:
	case <-time.After(10 * time.Second):
		t.Fatal("the cache never reported turning off")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.errs[0]
}

func (r *reports) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errs)
}

// faultFS is the real file system with failures switched on by tests.
type faultFS struct {
	mu        sync.Mutex // guards the fields below
	createErr error      // CreateTemp fails
	renameErr error      // Rename fails
	removeErr error      // Remove fails
	openErr   error      // Open fails (not ENOENT: the file exists)
	// A write that would take a temporary file past fullAfter bytes fails
	// with fullErr (a disk that fills up); fullAfter < 0: never.
	fullAfter int64
	fullErr   error
	// When gate is set, every write first says so on entered and then waits
	// for gate to be closed (a disk that stalls).
	gate    chan struct{}
	entered chan struct{}
}

func newFaultFS() *faultFS { return &faultFS{fullAfter: -1} }

func (f *faultFS) set(fn func(*faultFS)) {
	f.mu.Lock()
	fn(f)
	f.mu.Unlock()
}

func (f *faultFS) CreateTemp(dir, pattern string) (tempFile, error) {
	f.mu.Lock()
	err := f.createErr
	f.mu.Unlock()
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: filepath.Join(dir, pattern), Err: err}
	}
	tf, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: tf, fs: f}, nil
}

func (f *faultFS) Open(name string) (readFile, error) {
	f.mu.Lock()
	err := f.openErr
	f.mu.Unlock()
	if err != nil {
		if _, serr := os.Stat(name); serr != nil {
			return nil, serr
		}
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	return os.Open(name)
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	f.mu.Lock()
	err := f.renameErr
	f.mu.Unlock()
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return os.Rename(oldpath, newpath)
}

func (f *faultFS) Remove(name string) error {
	f.mu.Lock()
	err := f.removeErr
	f.mu.Unlock()
	if err != nil {
		return &os.PathError{Op: "remove", Path: name, Err: err}
	}
	return os.Remove(name)
}

type faultFile struct {
	*os.File
	fs      *faultFS
	written int64
}

func (w *faultFile) Write(p []byte) (int, error) {
	w.fs.mu.Lock()
	gate, entered := w.fs.gate, w.fs.entered
	full, fullErr := w.fs.fullAfter, w.fs.fullErr
	w.fs.mu.Unlock()
	if gate != nil {
		entered <- struct{}{}
		<-gate
	}
	if full >= 0 && w.written+int64(len(p)) > full {
		n, _ := w.File.Write(p[:max(full-w.written, 0)])
		w.written += int64(n)
		return n, &os.PathError{Op: "write", Path: w.Name(), Err: fullErr}
	}
	n, err := w.File.Write(p)
	w.written += int64(n)
	return n, err
}

// canWrite reports whether this process can create a file in dir: root can
// in a 0500 folder, so tests that need a denied folder inject the denial.
func canWrite(dir string) bool {
	f, err := os.CreateTemp(dir, "probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}
