package disk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestOpenRefuses(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		dir  string
		max  int64
	}{
		{"zero budget", t.TempDir(), 0},
		{"negative budget", t.TempDir(), -1},
		{"folder is a file", file, 1 << 20},
		{"folder under a file", filepath.Join(file, "files"), 1 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Open(tc.dir, tc.max)
			if err == nil {
				c.Close()
				t.Fatal("Open succeeded")
			}
		})
	}
}

func TestDefaultDirFollowsXDG(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CACHE_HOME is the Linux rule")
	}
	xdg := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", xdg)
	got, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(xdg, "seqview", "files"); got != want {
		t.Errorf("DefaultDir = %q, want %q", got, want)
	}
}

func TestPutGet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "files")
	c := openTest(t, dir, 1<<20, nil)
	k, data := frame("/share/shot/a_0001.png", 1000, 0)
	if c.Has(k) || c.HasPath(k.Path) {
		t.Fatal("Has before Put")
	}
	if _, ok := c.Get(k); ok {
		t.Fatal("Get hit before Put")
	}
	c.Put(k, data)
	flush(t, c)
	if !c.Has(k) || !c.HasPath(k.Path) {
		t.Error("Has after Put = false")
	}
	if stale := (Key{Path: k.Path, Size: k.Size + 1, ModTime: k.ModTime}); c.Has(stale) || !c.HasPath(stale.Path) {
		t.Error("Has is not checked against size and time, or HasPath is")
	}
	got, ok := c.Get(k)
	if !ok || !bytes.Equal(got, data) {
		t.Fatalf("Get = %d bytes, %v; want the %d bytes put", len(got), ok, len(data))
	}
	st := c.Stats()
	want := Stats{Entries: 1, Bytes: fixedLen + int64(len(k.Path)+len(data)), MaxBytes: 1 << 20, Hits: 1, Misses: 1, Writes: 1}
	if st != want {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}

	// The folder is the user's alone.
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache folder mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	entries, others := dirFiles(t, dir)
	if len(entries) != 1 || len(others) != 0 || entries[0] != entryName(k.Path) {
		t.Fatalf("folder holds %v and %v, want one entry named by the path's hash", entries, others)
	}
	if fi, err := os.Stat(filepath.Join(dir, entries[0])); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("entry mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}

func TestPutRefuses(t *testing.T) {
	k, data := frame("/share/a.png", 1000, 0)
	for _, tc := range []struct {
		name string
		k    Key
		data []byte
	}{
		{"file shrank while read", k, data[:999]},
		{"file grew while read", Key{k.Path, 999, k.ModTime}, data},
		{"larger than the budget", Key{k.Path, 5000, k.ModTime}, make([]byte, 5000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openTest(t, "", 4096, nil)
			c.Put(tc.k, tc.data)
			flush(t, c)
			if c.Has(tc.k) || c.Stats().Writes != 0 {
				t.Fatalf("stored: %+v", c.Stats())
			}
			if entries, _ := dirFiles(t, c.Dir()); len(entries) != 0 {
				t.Fatalf("entries on disk: %v", entries)
			}
		})
	}
}

func TestStale(t *testing.T) {
	k, data := frame("/share/shot/a_0001.png", 1000, 0)
	for _, tc := range []struct {
		name string
		now  Key // what the share reports now
	}{
		{"size changed", Key{k.Path, k.Size + 1, k.ModTime}},
		{"time changed", Key{k.Path, k.Size, k.ModTime.Add(time.Nanosecond)}},
		{"time earlier", Key{k.Path, k.Size, k.ModTime.Add(-time.Second)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openTest(t, "", 1<<20, nil)
			c.Put(k, data)
			flush(t, c)
			if c.Has(tc.now) {
				t.Error("Has(stale) = true")
			}
			if got, ok := c.Get(tc.now); ok {
				t.Fatalf("Get(stale) returned %d bytes", len(got))
			}
			if entries, _ := dirFiles(t, c.Dir()); len(entries) != 0 {
				t.Errorf("stale copy left on disk: %v", entries)
			}
			if c.Has(k) || c.Stats().Entries != 0 || c.Stats().Bytes != 0 {
				t.Errorf("stale entry still indexed: %+v", c.Stats())
			}
			if c.Stats().Disabled != nil {
				t.Errorf("a stale entry turned the cache off: %v", c.Stats().Disabled)
			}
		})
	}
}

func TestRewritten(t *testing.T) {
	c := openTest(t, "", 1<<20, nil)
	k1, d1 := frame("/share/a.png", 1000, 1)
	k2, d2 := frame("/share/a.png", 1000, 2) // same size, new time, new bytes
	c.Put(k1, d1)
	flush(t, c)
	c.Put(k2, d2)
	flush(t, c)
	if c.Has(k1) {
		t.Error("Has(old version) after rewrite")
	}
	if got, ok := c.Get(k2); !ok || !bytes.Equal(got, d2) {
		t.Fatalf("Get(new version) = %v", ok)
	}
	if entries, _ := dirFiles(t, c.Dir()); len(entries) != 1 {
		t.Errorf("entries on disk: %v", entries)
	}
	if st := c.Stats(); st.Entries != 1 || st.Bytes != fixedLen+int64(len(k2.Path))+k2.Size {
		t.Errorf("Stats = %+v", st)
	}
	if _, ok := c.Get(k1); ok {
		t.Fatal("Get(old version) hit")
	}
}

func TestCorrupt(t *testing.T) {
	k, data := frame("/share/a.png", 1000, 0)
	hlen := fixedLen + len(k.Path)
	for _, tc := range []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{"empty", func(b []byte) []byte { return nil }},
		{"half header", func(b []byte) []byte { return b[:20] }},
		{"header only", func(b []byte) []byte { return b[:hlen] }},
		{"truncated data", func(b []byte) []byte { return b[:len(b)-1] }},
		{"extra byte", func(b []byte) []byte { return append(b, 0) }},
		{"data byte flipped", func(b []byte) []byte { b[hlen+500] ^= 1; return b }},
		{"size field changed", func(b []byte) []byte { b[16]++; return b }},
		{"path byte flipped", func(b []byte) []byte { b[fixedLen+1] ^= 1; return b }},
		{"magic", func(b []byte) []byte { b[0] = 'X'; return b }},
		{"version", func(b []byte) []byte { b[4] = 9; return b }},
		{"huge path length", func(b []byte) []byte { b[11] = 0xff; return b }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openTest(t, "", 1<<20, nil)
			c.Put(k, data)
			flush(t, c)
			name := filepath.Join(c.Dir(), entryName(k.Path))
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, tc.damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get(k); ok {
				t.Fatalf("Get returned %d bytes of a damaged entry", len(got))
			}
			if _, err := os.Stat(name); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("damaged entry not removed: %v", err)
			}
			if c.Has(k) || c.Stats().Disabled != nil {
				t.Errorf("after a damaged entry: Has = %v, Stats = %+v", c.Has(k), c.Stats())
			}
			// It is written again on the next Put.
			c.Put(k, data)
			flush(t, c)
			if got, ok := c.Get(k); !ok || !bytes.Equal(got, data) {
				t.Error("entry not written again")
			}
		})
	}
}

// entrySize is the entry file size of frame(path, n, …).
func entrySize(path string, n int) int64 { return fixedLen + int64(len(path)+n) }

func TestEviction(t *testing.T) {
	const n = 1000
	paths := []string{"/s/a.png", "/s/b.png", "/s/c.png", "/s/d.png", "/s/e.png"}
	max := 3 * entrySize(paths[0], n)
	for _, tc := range []struct {
		name    string
		use     func(c *Cache, keys []Key) // after a, b, c were written
		evicted []string                   // when d is written
	}{
		{"oldest write goes", func(*Cache, []Key) {}, []string{"/s/a.png"}},
		{"Get keeps an entry", func(c *Cache, ks []Key) { c.Get(ks[0]) }, []string{"/s/b.png"}},
		{"Has keeps an entry", func(c *Cache, ks []Key) { c.Has(ks[0]); c.Has(ks[1]) }, []string{"/s/c.png"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openTest(t, "", max, nil)
			var keys []Key
			for i, p := range paths[:4] {
				k, data := frame(p, n, 0)
				keys = append(keys, k)
				if i == 3 {
					tc.use(c, keys)
				}
				c.Put(k, data)
				flush(t, c)
			}
			var gone []string
			for _, k := range keys {
				if !c.Has(k) {
					gone = append(gone, k.Path)
				}
			}
			if !slices.Equal(gone, tc.evicted) {
				t.Errorf("evicted %v, want %v", gone, tc.evicted)
			}
			for _, p := range tc.evicted {
				if _, err := os.Stat(filepath.Join(c.Dir(), entryName(p))); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("evicted %s still on disk (%v)", p, err)
				}
			}
			st := c.Stats()
			if st.Bytes > max || dirBytes(t, c.Dir()) != st.Bytes || st.Entries != 3 {
				t.Errorf("Stats = %+v, %d bytes on disk, budget %d", st, dirBytes(t, c.Dir()), max)
			}
		})
	}
}

func TestBoundHoldsOverManyWrites(t *testing.T) {
	max := int64(20_000)
	c := openTest(t, "", max, nil)
	for i := range 100 {
		k, data := frame(filepath.Join("/s", string(rune('a'+i%26)), "f.png"), 500+i*37, i)
		c.Put(k, data)
		flush(t, c)
		if b := dirBytes(t, c.Dir()); b > max {
			t.Fatalf("after %d writes the folder holds %d bytes, budget %d", i+1, b, max)
		}
	}
}

func TestRestartKeepsEntriesAndOrder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	const n = 1000
	paths := []string{"/s/a.png", "/s/b.png", "/s/c.png", "/s/d.png"}
	max := 3 * entrySize(paths[0], n)
	c := openTest(t, dir, max, nil)
	var keys []Key
	var datas [][]byte
	for _, p := range paths {
		k, data := frame(p, n, 0)
		keys, datas = append(keys, k), append(datas, data)
	}
	for i := range 3 {
		c.Put(keys[i], datas[i])
		flush(t, c)
	}
	c.Get(keys[0]) // a is now the most recently used; b the least
	c.Close()

	c2 := openTest(t, dir, max, nil)
	if st := c2.Stats(); st.Entries != 3 || st.Bytes != 3*entrySize(paths[0], n) {
		t.Fatalf("after restart Stats = %+v", st)
	}
	for i := range 3 {
		if !c2.Has(keys[i]) {
			t.Errorf("after restart Has(%s) = false", keys[i].Path)
		}
	}
	c2.Close()
	// Has above touched every entry in memory only: the order on disk is
	// still the one Get left.
	c3 := openTest(t, dir, max, nil)
	if got, ok := c3.Get(keys[2]); !ok || !bytes.Equal(got, datas[2]) {
		t.Fatal("after restart Get missed")
	}
	c3.Put(keys[3], datas[3])
	flush(t, c3)
	for i, want := range []bool{true, false, true, true} {
		if got := c3.Has(keys[i]); got != want {
			t.Errorf("after restart and one more write: Has(%s) = %v, want %v", keys[i].Path, got, want)
		}
	}
}

func TestRestartKeepsWriteOrder(t *testing.T) {
	// Entries written in quick succession get the same time from the
	// kernel's coarse clock; their order must survive a restart anyway.
	dir := filepath.Join(t.TempDir(), "files")
	const n, keep = 100, 6
	max := keep * entrySize("/s/00.png", n)
	c := openTest(t, dir, max, nil)
	var keys []Key
	for i := range keep + 3 {
		k, data := frame(fmt.Sprintf("/s/%02d.png", i), n, 0)
		keys = append(keys, k)
		if i == keep {
			flush(t, c)
			c.Close()
			c = openTest(t, dir, max, nil)
		}
		c.Put(k, data) // no wait: written back to back
	}
	flush(t, c)
	for i, k := range keys {
		if got, want := c.Has(k), i >= 3; got != want {
			t.Errorf("Has(%s) = %v, want %v", k.Path, got, want)
		}
	}
}

func TestOpenCleansFolder(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, tmpPrefix+"old")
	young := filepath.Join(dir, tmpPrefix+"young")
	foreign := filepath.Join(dir, "notes.txt")
	bad := filepath.Join(dir, entryName("/s/bad.png"))
	for _, p := range []string{old, young, foreign, bad} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ago := time.Now().Add(-2 * tmpMaxAge)
	if err := os.Chtimes(old, ago, ago); err != nil {
		t.Fatal(err)
	}
	c := openTest(t, dir, 1<<20, nil)
	for _, tc := range []struct {
		path string
		kept bool
	}{
		{old, false},    // left by a killed process
		{young, true},   // maybe being written by another one
		{foreign, true}, // not ours
		{bad, false},    // a damaged entry
	} {
		_, err := os.Stat(tc.path)
		if kept := err == nil; kept != tc.kept {
			t.Errorf("%s kept = %v, want %v", filepath.Base(tc.path), kept, tc.kept)
		}
	}
	if st := c.Stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestOtherInstance(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	a := openTest(t, dir, 1<<20, nil)
	b := openTest(t, dir, 1<<20, nil)
	k, data := frame("/s/a.png", 1000, 0)

	// b finds what a wrote with Get; Has learns it from there.
	a.Put(k, data)
	flush(t, a)
	if b.Has(k) {
		t.Error("b.Has before b looked at the folder")
	}
	if got, ok := b.Get(k); !ok || !bytes.Equal(got, data) {
		t.Fatal("b.Get missed a's entry")
	}
	if !b.Has(k) || b.Stats().Entries != 1 {
		t.Errorf("after Get, b.Has = %v, Stats = %+v", b.Has(k), b.Stats())
	}

	// An entry removed by the other process just misses.
	if err := os.Remove(filepath.Join(dir, entryName(k.Path))); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Get(k); ok {
		t.Fatal("Get of a removed entry hit")
	}
	if a.Has(k) || a.Stats().Entries != 0 || a.Stats().Disabled != nil {
		t.Errorf("after a miss of a removed entry: Has = %v, Stats = %+v", a.Has(k), a.Stats())
	}
}

func TestTwoInstancesSameEntry(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	caches := []*Cache{openTest(t, dir, 1<<24, nil), openTest(t, dir, 1<<24, nil)}
	const rounds = 30
	for v := range rounds {
		// Both write the same entry while readers ask both for it: a hit is
		// always the whole of it, never part.
		k, data := frame(fmt.Sprintf("/s/%02d.png", v), 200_000, v)
		stop := make(chan struct{})
		var readers, writers sync.WaitGroup
		for _, c := range caches {
			readers.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if got, ok := c.Get(k); ok && !bytes.Equal(got, data) {
						t.Errorf("round %d: Get returned other bytes", v)
					}
				}
			})
			writers.Go(func() { c.Put(k, data); flush(t, c) })
		}
		writers.Wait()
		close(stop)
		readers.Wait()
		for i, c := range caches {
			if got, ok := c.Get(k); !ok || !bytes.Equal(got, data) {
				t.Fatalf("round %d: cache %d Get = %v", v, i, ok)
			}
		}
	}
	entries, _ := dirFiles(t, dir)
	if len(entries) != rounds {
		t.Errorf("%d entries on disk, want %d", len(entries), rounds)
	}
	noTemp(t, dir)
	for i, c := range caches {
		if err := c.Stats().Disabled; err != nil {
			t.Errorf("cache %d turned off: %v", i, err)
		}
	}
}

func TestTwoInstancesRewrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	a := openTest(t, dir, 1<<20, nil)
	b := openTest(t, dir, 1<<20, nil)
	k1, d1 := frame("/s/a.png", 1000, 1)
	k2, d2 := frame("/s/a.png", 1000, 2)
	a.Put(k1, d1)
	flush(t, a)
	b.Put(k2, d2) // the renderer rewrote the frame; b saw it first
	flush(t, b)
	// a's index still says version 1; the folder holds version 2.
	if got, ok := a.Get(k2); !ok || !bytes.Equal(got, d2) {
		t.Fatal("a.Get(version 2) missed b's copy")
	}
	if a.Has(k1) || !a.Has(k2) {
		t.Errorf("a.Has(v1) = %v, a.Has(v2) = %v after reading v2", a.Has(k1), a.Has(k2))
	}
	// Asking for the old version finds a stale copy, and drops it.
	if _, ok := b.Get(k1); ok {
		t.Fatal("b.Get(version 1) hit")
	}
	if entries, _ := dirFiles(t, dir); len(entries) != 0 {
		t.Errorf("entries on disk: %v", entries)
	}
}

func TestTwoInstancesStayBounded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	const n = 1000
	max := 5 * entrySize("/s/a/00.png", n)
	tune := func(o *options) { o.syncWrites = 1 }
	caches := []*Cache{openTest(t, dir, max, tune), openTest(t, dir, max, tune)}
	var wg sync.WaitGroup
	for ci, c := range caches {
		wg.Go(func() {
			for i := range 20 {
				k, data := frame(filepath.Join("/s", string(rune('a'+ci)), string(rune('a'+i))+".png"), n, 0)
				c.Put(k, data)
				flush(t, c)
			}
		})
	}
	wg.Wait()
	if b := dirBytes(t, dir); b > max {
		t.Errorf("two writers left %d bytes in the folder, budget %d", b, max)
	}
	noTemp(t, dir)
}

func TestConcurrentUse(t *testing.T) {
	c := openTest(t, "", 8*entrySize("/s/0.png", 2000), nil)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				k, data := frame("/s/"+string(rune('0'+(i+g)%12))+".png", 2000, i%3)
				switch i % 3 {
				case 0:
					c.Put(k, data)
				case 1:
					if got, ok := c.Get(k); ok && !bytes.Equal(got, data) {
						t.Errorf("Get(%s) returned other bytes", k.Path)
					}
				default:
					c.Has(k)
					c.Stats()
				}
			}
		})
	}
	wg.Wait()
	flush(t, c)
	if st := c.Stats(); st.Bytes > st.MaxBytes || st.Disabled != nil {
		t.Errorf("Stats = %+v", st)
	}
}

// The failure cases: the cache turns off, says so once, and keeps missing.

func TestUnwritableFolderAtOpen(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	opt := defaultOptions()
	if canWrite(dir) { // root: the mode does not deny, so inject the denial
		f := newFaultFS()
		f.createErr = syscall.EACCES
		opt.fs = f
	}
	c, err := open(dir, 1<<20, opt)
	if err == nil {
		c.Close()
		t.Fatal("Open of an unwritable folder succeeded")
	}
	if !errors.Is(err, os.ErrPermission) {
		t.Errorf("err = %v, want a permission error", err)
	}
}

func TestTurnsOff(t *testing.T) {
	k, data := frame("/s/a.png", 100_000, 0)
	k2, data2 := frame("/s/b.png", 100_000, 0)
	for _, tc := range []struct {
		name string
		// fail breaks the cache folder, directly or through f.
		fail func(t *testing.T, dir string, f *faultFS)
		// trigger makes the cache meet the failure.
		trigger func(c *Cache)
		want    error
	}{
		{
			name: "folder made unwritable",
			fail: func(t *testing.T, dir string, f *faultFS) {
				if err := os.Chmod(dir, 0o500); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(dir, 0o700) })
				if canWrite(dir) {
					f.set(func(f *faultFS) { f.createErr = syscall.EACCES })
				}
			},
			trigger: func(c *Cache) { c.Put(k2, data2) },
			want:    os.ErrPermission,
		},
		{
			name: "folder removed",
			fail: func(t *testing.T, dir string, f *faultFS) {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
			},
			trigger: func(c *Cache) {
				// A Get of the lost entry just misses; the next write finds out.
				c.Get(k)
				c.Put(k2, data2)
			},
			want: os.ErrNotExist,
		},
		{
			name: "disk full",
			fail: func(t *testing.T, dir string, f *faultFS) {
				f.set(func(f *faultFS) { f.fullAfter, f.fullErr = 5000, syscall.ENOSPC })
			},
			trigger: func(c *Cache) { c.Put(k2, data2) },
			want:    syscall.ENOSPC,
		},
		{
			name:    "rename fails",
			fail:    func(t *testing.T, dir string, f *faultFS) { f.set(func(f *faultFS) { f.renameErr = syscall.EIO }) },
			trigger: func(c *Cache) { c.Put(k2, data2) },
			want:    syscall.EIO,
		},
		{
			name:    "read fails",
			fail:    func(t *testing.T, dir string, f *faultFS) { f.set(func(f *faultFS) { f.openErr = syscall.EIO }) },
			trigger: func(c *Cache) { c.Get(k) },
			want:    syscall.EIO,
		},
		{
			name:    "eviction fails",
			fail:    func(t *testing.T, dir string, f *faultFS) { f.set(func(f *faultFS) { f.removeErr = syscall.EROFS }) },
			trigger: func(c *Cache) { c.Put(k2, data2) },
			want:    syscall.EROFS,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFaultFS()
			dir := filepath.Join(t.TempDir(), "files")
			// Room for one entry, so the second write evicts the first.
			c := openTest(t, dir, entrySize(k.Path, len(data))+100, func(o *options) { o.fs = f })
			r := watch(c)
			c.Put(k, data)
			flush(t, c)
			if !c.Has(k) {
				t.Fatal("entry not written before the failure")
			}

			tc.fail(t, dir, f)
			tc.trigger(c)
			err := r.wait(t)
			if !errors.Is(err, tc.want) {
				t.Errorf("reported %v, want %v", err, tc.want)
			}
			if st := c.Stats(); !errors.Is(st.Disabled, tc.want) {
				t.Errorf("Stats.Disabled = %v", st.Disabled)
			}

			// Off: Puts do nothing, Gets and Has miss, and nothing more is said.
			writes := c.Stats().Writes
			c.Put(k2, data2)
			c.Put(Key{"/s/c.png", 1, base}, []byte{1})
			flush(t, c)
			if _, ok := c.Get(k); ok || c.Has(k) {
				t.Error("a turned-off cache still hits")
			}
			if c.Stats().Writes != writes {
				t.Error("a turned-off cache still writes")
			}
			if err := c.PutWait(context.Background(), k2, data2); !errors.Is(err, tc.want) {
				t.Errorf("PutWait = %v", err)
			}
			c.Close()
			if n := r.count(); n != 1 {
				t.Errorf("told %d times", n)
			}
			if _, err := os.Stat(dir); err == nil {
				noTemp(t, dir)
			}
		})
	}
}

func TestOnDisabledSetLate(t *testing.T) {
	f := newFaultFS()
	c := openTest(t, "", 1<<20, func(o *options) { o.fs = f })
	f.set(func(f *faultFS) { f.createErr = syscall.ENOSPC })
	k, data := frame("/s/a.png", 1000, 0)
	c.Put(k, data)
	flush(t, c)
	if c.Stats().Disabled == nil {
		t.Fatal("cache still on")
	}
	r := watch(c)
	if err := r.wait(t); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("reported %v", err)
	}
	c.Close()
	if n := r.count(); n != 1 {
		t.Errorf("told %d times", n)
	}
}

// stalled opens a cache whose writes wait for the returned gate to close.
func stalled(t testing.TB, tune func(*options)) (*Cache, chan struct{}, chan struct{}) {
	f := newFaultFS()
	gate, entered := make(chan struct{}), make(chan struct{}, 1000)
	f.gate, f.entered = gate, entered
	c := openTest(t, "", 1<<30, func(o *options) {
		o.fs = f
		if tune != nil {
			tune(o)
		}
	})
	return c, gate, entered
}

func TestPutNeverBlocks(t *testing.T) {
	c, gate, entered := stalled(t, func(o *options) { o.queueLen = 3 })
	k0, d0 := frame("/s/0.png", 1000, 0)
	c.Put(k0, d0)
	<-entered // the writer is stuck writing k0
	for i := 1; i <= 5; i++ {
		k, d := frame("/s/"+string(rune('0'+i))+".png", 1000, 0)
		c.Put(k, d) // returns although the disk is stalled
	}
	c.Put(k0, d0) // being written: neither queued nor dropped
	if st := c.Stats(); st.Dropped != 2 {
		t.Errorf("Dropped = %d, want 2 (queue of 3 full)", st.Dropped)
	}
	close(gate)
	flush(t, c)
	if st := c.Stats(); st.Writes != 4 || st.Entries != 4 {
		t.Errorf("Stats = %+v, want 4 written", st)
	}
}

func TestQueueByteBound(t *testing.T) {
	c, gate, entered := stalled(t, func(o *options) { o.queueBytes = 2500 })
	k0, d0 := frame("/s/0.png", 3000, 0) // more than the bound: fits an empty queue
	c.Put(k0, d0)
	<-entered
	k1, d1 := frame("/s/1.png", 3000, 0)
	c.Put(k1, d1) // queue empty again: taken
	k2, d2 := frame("/s/2.png", 1000, 0)
	c.Put(k2, d2) // 3000 + 1000 > 2500: dropped
	if st := c.Stats(); st.Dropped != 1 {
		t.Errorf("Dropped = %d, want 1", st.Dropped)
	}
	close(gate)
	flush(t, c)
	if !c.Has(k0) || !c.Has(k1) || c.Has(k2) {
		t.Error("wrong entries written")
	}
}

func TestPutWait(t *testing.T) {
	c, gate, entered := stalled(t, func(o *options) { o.queueLen = 1 })
	k0, d0 := frame("/s/0.png", 1000, 0)
	k1, d1 := frame("/s/1.png", 1000, 0)
	k2, d2 := frame("/s/2.png", 1000, 0)
	c.Put(k0, d0)
	<-entered
	c.Put(k1, d1) // the queue is full now

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.PutWait(ctx, k2, d2); !errors.Is(err, context.Canceled) {
		t.Errorf("PutWait with a cancelled context = %v", err)
	}
	done := make(chan error)
	go func() { done <- c.PutWait(context.Background(), k2, d2) }()
	close(gate)
	if err := <-done; err != nil {
		t.Errorf("PutWait = %v", err)
	}
	flush(t, c)
	if st := c.Stats(); st.Writes != 3 || st.Dropped != 0 {
		t.Errorf("Stats = %+v", st)
	}
	if err := c.PutWait(context.Background(), k2, d2); err != nil {
		t.Errorf("PutWait of a held entry = %v", err)
	}
	c.Close()
	if err := c.PutWait(context.Background(), k0, d0); !errors.Is(err, ErrClosed) {
		t.Errorf("PutWait after Close = %v", err)
	}
}

func TestCloseStopsStalledWrite(t *testing.T) {
	// closeWait 0: Close lets nothing more be written.
	c, gate, entered := stalled(t, func(o *options) { o.closeWait = 0; o.chunk = 100 })
	for i := range 4 {
		k, d := frame("/s/"+string(rune('0'+i))+".png", 1000, 0)
		c.Put(k, d)
	}
	<-entered // stuck in the header write of the first
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	// Close cannot end a write stuck in the kernel; it stops at the next chunk.
	for c.closingForTest() == false {
		time.Sleep(time.Millisecond)
	}
	close(gate)
	<-closed
	st := c.Stats()
	if st.Writes != 0 || st.Dropped != 3 {
		t.Errorf("Stats = %+v, want nothing written and 3 dropped", st)
	}
	noTemp(t, c.Dir())
	if entries, _ := dirFiles(t, c.Dir()); len(entries) != 0 {
		t.Errorf("entries: %v", entries)
	}
}

func TestCloseFlushes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	c := openTest(t, dir, 1<<20, func(o *options) { o.closeWait = time.Hour })
	var keys []Key
	for i := range 5 {
		k, d := frame("/s/"+string(rune('0'+i))+".png", 1000, 0)
		keys = append(keys, k)
		c.Put(k, d)
	}
	c.Close()
	c.Close() // twice is fine
	if st := c.Stats(); st.Writes != 5 {
		t.Errorf("Stats = %+v", st)
	}
	if _, ok := c.Get(keys[0]); ok || c.Has(keys[0]) {
		t.Error("a closed cache hits")
	}
	c2 := openTest(t, dir, 1<<20, nil)
	for _, k := range keys {
		if !c2.Has(k) {
			t.Errorf("%s not kept", k.Path)
		}
	}
}

func (c *Cache) closingForTest() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing
}

func TestDropSparesReplacement(t *testing.T) {
	// A Get that found version 1 stale must not delete version 2, renamed
	// into place between its read and its removal.
	c := openTest(t, "", 1<<20, nil)
	k1, d1 := frame("/s/a.png", 1000, 1)
	k2, d2 := frame("/s/a.png", 1000, 2)
	c.Put(k1, d1)
	flush(t, c)
	name := entryName(k1.Path)
	read, err := os.Stat(filepath.Join(c.Dir(), name))
	if err != nil {
		t.Fatal(err)
	}
	c.Put(k2, d2)
	flush(t, c)
	c.drop(name, read)
	if got, ok := c.Get(k2); !ok || !bytes.Equal(got, d2) {
		t.Error("the replacement was dropped")
	}
}
