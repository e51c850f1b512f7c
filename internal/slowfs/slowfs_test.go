package slowfs

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// data returns n deterministic bytes, so content checks catch reordering.
func data(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

const chunk = 1000

func testFS() fstest.MapFS {
	return fstest.MapFS{
		"empty":         {Data: nil},
		"small":         {Data: data(10)},
		"two-chunks":    {Data: data(2 * chunk)},
		"2.5-chunks":    {Data: data(2*chunk + chunk/2)},
		"dir/a.png":     {Data: data(3)},
		"dir/b.png":     {Data: data(4)},
		"dir/sub/c.png": {Data: data(5)},
	}
}

// readWith reads all of f with Read calls of bufSize bytes.
func readWith(f fs.File, bufSize int) ([]byte, error) {
	var out []byte
	buf := make([]byte, bufSize)
	for {
		n, err := f.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// TestStatsExact checks that every chunk is one request whatever the size
// of the caller's Read calls, and that the end of a file costs nothing.
func TestStatsExact(t *testing.T) {
	tests := []struct {
		name      string
		bufSize   int // 0: fs.ReadFile
		wantReads int
	}{
		{"empty", 0, 0},
		{"small", 0, 1},
		{"small", 3, 1},
		{"two-chunks", 0, 2},
		{"two-chunks", 1, 2},
		{"two-chunks", chunk, 2},
		{"2.5-chunks", 0, 3},
		{"2.5-chunks", 7, 3},
		{"2.5-chunks", chunk - 1, 3},
		{"2.5-chunks", chunk + 1, 3},
		{"2.5-chunks", 10 * chunk, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+map[bool]string{true: "ReadFile", false: "Read"}[tt.bufSize == 0], func(t *testing.T) {
			base := testFS()
			f := New(base, Config{ChunkSize: chunk})
			var got []byte
			var err error
			if tt.bufSize == 0 {
				got, err = fs.ReadFile(f, tt.name)
			} else {
				var fl fs.File
				if fl, err = f.Open(tt.name); err == nil {
					got, err = readWith(fl, tt.bufSize)
					fl.Close()
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			want := base[tt.name].Data
			if !bytes.Equal(got, want) {
				t.Fatalf("read %d bytes that differ from the %d in the file", len(got), len(want))
			}
			s := f.Stats()
			if s.Opens != 1 || s.OpensOf(tt.name) != 1 || s.OpensOf("other") != 0 {
				t.Errorf("Opens = %d, OpensOf(%q) = %d, OpensOf(other) = %d; want 1, 1, 0",
					s.Opens, tt.name, s.OpensOf(tt.name), s.OpensOf("other"))
			}
			if s.Reads != tt.wantReads {
				t.Errorf("Reads = %d, want %d", s.Reads, tt.wantReads)
			}
			if s.Bytes != int64(len(want)) {
				t.Errorf("Bytes = %d, want %d", s.Bytes, len(want))
			}
		})
	}
}

func TestStatsAccumulate(t *testing.T) {
	f := New(testFS(), Config{ChunkSize: chunk})
	for _, name := range []string{"small", "small", "two-chunks", "missing"} {
		fs.ReadFile(f, name) // "missing" fails, but the open was made
	}
	if _, err := fs.ReadDir(f, "dir"); err != nil {
		t.Fatal(err)
	}
	before := f.Stats()
	fs.ReadFile(f, "small")
	tests := []struct {
		name      string
		got, want int64
	}{
		{"Opens", int64(before.Opens), 4},
		{"OpensOf(small)", int64(before.OpensOf("small")), 2},
		{"OpensOf(missing)", int64(before.OpensOf("missing")), 1},
		{"ReadDirs", int64(before.ReadDirs), 1},
		{"Reads", int64(before.Reads), 4},
		{"Bytes", before.Bytes, 10 + 10 + 2*chunk},
		// The snapshot must not see later activity.
		{"snapshot Opens after another read", int64(before.Opens), 4},
		{"live Opens", int64(f.Stats().Opens), 5},
		{"live OpensOf(small)", int64(f.Stats().OpensOf("small")), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
}

// TestConformance runs the standard fs.FS checks: slowfs must be a correct
// FS, only a slow one.
func TestConformance(t *testing.T) {
	f := New(testFS(), Config{ChunkSize: 4})
	if err := fstest.TestFS(f, "small", "two-chunks", "dir/a.png", "dir/sub/c.png"); err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(f.WithContext(context.Background()), "small", "dir/b.png"); err != nil {
		t.Fatal(err)
	}
}

// TestReadOnly checks that the FS offers no shortcut around Open/Read (a
// ReadFile, a ReaderAt, a WriterTo) and no way to write.
func TestReadOnly(t *testing.T) {
	f := New(testFS(), Config{})
	if _, ok := any(f).(fs.ReadFileFS); ok {
		t.Error("FS implements fs.ReadFileFS: fs.ReadFile would skip the costs")
	}
	for _, name := range []string{"small", "dir"} {
		fl, err := f.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer fl.Close()
		checks := []struct {
			iface string
			ok    bool
		}{
			{"io.Writer", is[io.Writer](fl)},
			{"io.WriterAt", is[io.WriterAt](fl)},
			{"io.Seeker", is[io.Seeker](fl)},
			{"io.ReaderAt", is[io.ReaderAt](fl)},
			{"io.WriterTo", is[io.WriterTo](fl)},
		}
		for _, c := range checks {
			t.Run(name+"/"+c.iface, func(t *testing.T) {
				if c.ok {
					t.Errorf("open file implements %s", c.iface)
				}
			})
		}
	}
}

func is[T any](v any) bool { _, ok := v.(T); return ok }

// The timing tests below assert lower bounds, which the sleeps guarantee,
// and only very generous upper bounds, so a loaded machine cannot fail them.
const slack = 2 * time.Second

func TestLatency(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		file    string
		minimum time.Duration
	}{
		{"open latency once", Config{OpenLatency: 30 * time.Millisecond}, "2.5-chunks", 30 * time.Millisecond},
		{"read latency per chunk", Config{ReadLatency: 10 * time.Millisecond, ChunkSize: chunk}, "2.5-chunks", 30 * time.Millisecond},
		{"both", Config{OpenLatency: 20 * time.Millisecond, ReadLatency: 10 * time.Millisecond, ChunkSize: chunk}, "two-chunks", 40 * time.Millisecond},
		// 2500 bytes at 50 kB/s = 50 ms.
		{"bandwidth", Config{BytesPerSecond: 50_000, ChunkSize: chunk}, "2.5-chunks", 50 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(testFS(), tt.cfg)
			start := time.Now()
			if _, err := fs.ReadFile(f, tt.file); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			t.Logf("took %v, minimum %v", took, tt.minimum)
			if took < tt.minimum || took > tt.minimum+slack {
				t.Errorf("took %v, want %v (+ scheduling)", took, tt.minimum)
			}
		})
	}
	t.Run("ReadDir costs one open latency", func(t *testing.T) {
		f := New(testFS(), Config{OpenLatency: 30 * time.Millisecond})
		start := time.Now()
		if _, err := fs.ReadDir(f, "dir"); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 30*time.Millisecond || took > 30*time.Millisecond+slack {
			t.Errorf("took %v, want 30ms", took)
		}
	})
	t.Run("Stat is free", func(t *testing.T) {
		f := New(testFS(), Config{OpenLatency: time.Hour})
		if _, err := fs.Stat(f, "small"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSharedBandwidth reads two files at once over a link that moves each
// alone in 50 ms: together they must take 100 ms, not 50.
func TestSharedBandwidth(t *testing.T) {
	const size = 5000
	base := fstest.MapFS{"a": {Data: data(size)}, "b": {Data: data(size)}}
	cfg := Config{BytesPerSecond: 100_000, ChunkSize: 500} // 5 ms per chunk

	f := New(base, cfg)
	start := time.Now()
	if _, err := fs.ReadFile(f, "a"); err != nil {
		t.Fatal(err)
	}
	one := time.Since(start)

	f = New(base, cfg)
	var wg sync.WaitGroup
	took := make([]time.Duration, 2)
	start = time.Now()
	for i, name := range []string{"a", "b"} {
		wg.Go(func() {
			if _, err := fs.ReadFile(f, name); err != nil {
				t.Error(err)
			}
			took[i] = time.Since(start)
		})
	}
	wg.Wait()
	both := time.Since(start)
	t.Logf("one file %v; two at once %v (a done at %v, b at %v)", one, both, took[0], took[1])

	if want := 100 * time.Millisecond; both < want || both > want+slack {
		t.Errorf("two parallel reads took %v, want %v", both, want)
	}
	if s := f.Stats(); s.Bytes != 2*size || s.Reads != 2*size/500 {
		t.Errorf("Bytes, Reads = %d, %d; want %d, %d", s.Bytes, s.Reads, 2*size, 2*size/500)
	}
}

// TestCancel checks that every kind of wait wakes up when the context is
// cancelled and reports context.Canceled.
// waitUntil polls cond until it holds, failing the test if it does not
// within slack (a hang guard, not a timing assertion).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(slack)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not so after %v: %s", slack, what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCancel(t *testing.T) {
	base := testFS()
	tests := []struct {
		name string
		cfg  Config
		do   func(fsys fs.FS) error
	}{
		{"open latency", Config{OpenLatency: time.Hour}, func(fsys fs.FS) error {
			_, err := fsys.Open("small")
			return err
		}},
		{"readdir latency", Config{OpenLatency: time.Hour}, func(fsys fs.FS) error {
			_, err := fs.ReadDir(fsys, "dir")
			return err
		}},
		{"stat latency", Config{StatLatency: time.Hour}, func(fsys fs.FS) error {
			_, err := fs.Stat(fsys, "small")
			return err
		}},
		{"read latency", Config{ReadLatency: time.Hour}, func(fsys fs.FS) error {
			_, err := fs.ReadFile(fsys, "small")
			return err
		}},
		{"transfer", Config{BytesPerSecond: 1}, func(fsys fs.FS) error {
			_, err := fs.ReadFile(fsys, "small")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(base, tt.cfg)
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() { errc <- tt.do(f.WithContext(ctx)) }()
			waitUntil(t, "the request waits on the share", func() bool { return f.Stats().Waiting == 1 })
			cancel()
			select {
			case err := <-errc:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
			case <-time.After(slack):
				t.Fatal("still waiting 2s after cancel")
			}
			if w := f.Stats().Waiting; w != 0 {
				t.Errorf("Stats().Waiting = %d after the request returned, want 0", w)
			}
		})
	}

	t.Run("already cancelled", func(t *testing.T) {
		f := New(base, Config{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		v := f.WithContext(ctx)
		checks := []struct {
			name string
			err  error
		}{
			{"Open", second(v.Open("small"))},
			{"Stat", second(fs.Stat(v, "small"))},
			{"ReadDir", second(fs.ReadDir(v, "dir"))},
			{"ReadFile", second(fs.ReadFile(v, "small"))},
		}
		for _, c := range checks {
			if !errors.Is(c.err, context.Canceled) {
				t.Errorf("%s: err = %v, want context.Canceled", c.name, c.err)
			}
		}
		if s := f.Stats(); s.Opens != 0 || s.Reads != 0 {
			t.Errorf("cancelled calls were counted: %+v", s)
		}
	})

	t.Run("cancel between reads", func(t *testing.T) {
		f := New(base, Config{ChunkSize: chunk})
		ctx, cancel := context.WithCancel(context.Background())
		fl, err := f.WithContext(ctx).Open("two-chunks")
		if err != nil {
			t.Fatal(err)
		}
		defer fl.Close()
		if _, err := fl.Read(make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		cancel()
		// Even data already fetched is not handed out any more: the
		// reader stops at once.
		if _, err := fl.Read(make([]byte, 10)); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func second[T any](_ T, err error) error { return err }

// TestConcurrentStats reads many files at once while taking snapshots, for
// the race detector.
func TestConcurrentStats(t *testing.T) {
	f := New(testFS(), Config{ChunkSize: 100, ReadLatency: time.Microsecond})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, name := range []string{"small", "two-chunks", "2.5-chunks"} {
				if _, err := fs.ReadFile(f, name); err != nil {
					t.Error(err)
				}
				_ = f.Stats().OpensOf(name)
			}
		})
	}
	wg.Wait()
	if s := f.Stats(); s.Opens != 24 || s.Bytes != 8*(10+2*chunk+2*chunk+chunk/2) {
		t.Errorf("Opens, Bytes = %d, %d", s.Opens, s.Bytes)
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		spec    string
		want    Config
		wantErr bool
	}{
		{"open=40ms,read=10ms,mbps=60", Config{OpenLatency: 40 * time.Millisecond, ReadLatency: 10 * time.Millisecond, BytesPerSecond: 60e6}, false},
		{"mbps=0.5", Config{BytesPerSecond: 500e3}, false},
		{"open=fast", Config{}, true},
		{"speed=1", Config{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseConfig(tt.spec)
			if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
				t.Fatalf("ParseConfig(%q) = %+v, %v", tt.spec, got, err)
			}
		})
	}
}

func TestFromEnv(t *testing.T) {
	base := fstest.MapFS{"a": {Data: []byte("x")}}
	t.Run("unset", func(t *testing.T) {
		t.Setenv(EnvVar, "")
		os.Unsetenv(EnvVar)
		if wrap, err := FromEnv(); wrap != nil || err != nil {
			t.Fatalf("FromEnv() = %v, %v; want nil, nil", wrap != nil, err)
		}
	})
	t.Run("set", func(t *testing.T) {
		t.Setenv(EnvVar, "open=1ms")
		wrap, err := FromEnv()
		if err != nil {
			t.Fatal(err)
		}
		fsys, ok := wrap(base).(*FS)
		if !ok || fsys.cfg.OpenLatency != time.Millisecond {
			t.Fatalf("FromEnv wrapped the folder in %T", wrap(base))
		}
	})
	t.Run("bad", func(t *testing.T) {
		t.Setenv(EnvVar, "bogus=1")
		if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), EnvVar) {
			t.Fatalf("FromEnv() error %v, want one naming %s", err, EnvVar)
		}
	})
}
