// Package slowfs is an in-process slow, read-only fs.FS for tests and
// benchmarks that behaves like a slow network share: every open and every
// read request pays a round-trip latency, and file data crosses one link of
// limited bandwidth that all concurrent reads share, so loading frames in
// parallel helps with latency but not with bandwidth, as on a real share.
//
// FS counts what it is asked to do (Stats), so tests can assert how many
// opens and read requests a loader made instead of timing it, and how many
// requests are waiting on the share right now instead of sleeping until
// they probably are.
package slowfs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultChunkSize is the size of one read request when Config.ChunkSize is
// 0: SMB and NFS clients typically fetch 1 MiB per request.
const DefaultChunkSize = 1 << 20

// Config says how slow the share is. The zero Config is an FS as fast as
// the one it wraps (but still counted).
type Config struct {
	// OpenLatency is paid by every Open and ReadDir (a round trip to the
	// server).
	OpenLatency time.Duration
	// StatLatency is paid by every Stat: 0 for a share that answers from
	// its attribute cache, OpenLatency for one that asks the server.
	StatLatency time.Duration
	// ReadLatency is paid by every read request, that is for every
	// ChunkSize bytes of a file, not for every Read call.
	ReadLatency time.Duration
	// BytesPerSecond is the bandwidth of the link, shared by all reads of
	// all files of this FS; 0 means unlimited.
	BytesPerSecond int64
	// ChunkSize is how many bytes one read request fetches; 0 means
	// DefaultChunkSize.
	ChunkSize int
}

// FS wraps an fs.FS and makes it slow. It is safe for concurrent use.
//
// FS deliberately does not implement fs.ReadFileFS, so fs.ReadFile goes
// through Open and Read and pays the costs; its files implement only
// fs.File (and fs.ReadDirFile for directories), not io.Seeker, io.ReaderAt
// or io.WriterTo, so no caller can reach the data without reading it.
type FS struct {
	base fs.FS
	cfg  Config

	mu        sync.Mutex // guards busyUntil and stats
	busyUntil time.Time  // when the shared link is free for the next transfer
	stats     Stats
}

// New returns base made slow as cfg says.
func New(base fs.FS, cfg Config) *FS {
	if cfg.ChunkSize <= 0 {
		cfg.ChunkSize = DefaultChunkSize
	}
	return &FS{base: base, cfg: cfg, stats: Stats{opens: map[string]int{}}}
}

// Stats counts the requests an FS has served.
type Stats struct {
	Opens    int   // Open calls that reached the share (not cancelled first)
	ReadDirs int   // ReadDir calls that reached the share
	Stats    int   // Stat calls
	Reads    int   // read requests (chunks) fetched over the link
	Bytes    int64 // bytes fetched over the link
	Waiting  int   // requests waiting now for a latency or the link
	opens    map[string]int
}

// OpensOf returns how many times name was opened.
func (s Stats) OpensOf(name string) int { return s.opens[name] }

// Stats returns a snapshot of the counters.
func (f *FS) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.stats
	s.opens = make(map[string]int, len(f.stats.opens))
	for k, v := range f.stats.opens {
		s.opens[k] = v
	}
	return s
}

// Open opens name after OpenLatency.
func (f *FS) Open(name string) (fs.File, error) {
	return f.open(context.Background(), name)
}

// ReadDir lists a directory after OpenLatency, once per listing.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	return f.readDir(context.Background(), name)
}

// Stat describes name after StatLatency.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	return f.stat(context.Background(), name)
}

func (f *FS) stat(ctx context.Context, name string) (fs.FileInfo, error) {
	if err := f.wait(ctx, f.cfg.StatLatency); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	f.mu.Lock()
	f.stats.Stats++
	f.mu.Unlock()
	return fs.Stat(f.base, name)
}

// WithContext returns a view of f whose Open, ReadDir, Stat and file reads
// fail with ctx.Err() once ctx is done, waking from any latency or transfer
// wait at once, so a cancelled load stops promptly. Counters are shared
// with f.
func (f *FS) WithContext(ctx context.Context) fs.FS {
	return ctxFS{f, ctx}
}

type ctxFS struct {
	f   *FS
	ctx context.Context
}

func (c ctxFS) Open(name string) (fs.File, error)          { return c.f.open(c.ctx, name) }
func (c ctxFS) ReadDir(name string) ([]fs.DirEntry, error) { return c.f.readDir(c.ctx, name) }
func (c ctxFS) Stat(name string) (fs.FileInfo, error)      { return c.f.stat(c.ctx, name) }

func (f *FS) open(ctx context.Context, name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if err := f.wait(ctx, f.cfg.OpenLatency); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f.mu.Lock()
	f.stats.Opens++
	f.stats.opens[name]++
	f.mu.Unlock()

	bf, err := f.base.Open(name)
	if err != nil {
		return nil, err
	}
	fl := &file{fs: f, ctx: ctx, name: name, base: bf}
	if d, ok := bf.(fs.ReadDirFile); ok {
		if st, err := bf.Stat(); err == nil && st.IsDir() {
			return &dir{file: fl, dir: d}, nil
		}
	}
	return fl, nil
}

func (f *FS) readDir(ctx context.Context, name string) ([]fs.DirEntry, error) {
	if err := f.wait(ctx, f.cfg.OpenLatency); err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	f.mu.Lock()
	f.stats.ReadDirs++
	f.mu.Unlock()
	return fs.ReadDir(f.base, name)
}

// transfer waits for n bytes to cross the shared link.
//
// Each transfer reserves the next free slot on the link: it starts when the
// link is free (or now, if it is idle) and lasts n/BytesPerSecond. Two
// readers thus take turns chunk by chunk and each gets half the bandwidth,
// and total throughput never exceeds BytesPerSecond however many read.
//
// A transfer cancelled while it waits keeps its reservation: at most one
// chunk per reader, like data already in flight on a real link.
func (f *FS) transfer(ctx context.Context, n int) error {
	if f.cfg.BytesPerSecond <= 0 {
		return ctx.Err()
	}
	d := time.Duration(float64(n) / float64(f.cfg.BytesPerSecond) * float64(time.Second))
	f.mu.Lock()
	now := time.Now()
	end := f.busyUntil
	if end.Before(now) {
		end = now
	}
	end = end.Add(d)
	f.busyUntil = end
	f.mu.Unlock()
	return f.wait(ctx, time.Until(end))
}

// file is an open regular file. Its Read fetches the file in ChunkSize
// requests, each paying ReadLatency and its transfer time, and hands out
// the fetched data over as many Read calls as the caller makes.
type file struct {
	fs   *FS
	ctx  context.Context
	name string
	base fs.File

	buf  []byte // fetched but not yet returned
	next []byte // storage for buf, ChunkSize long once used
	err  error  // from the base file, returned once buf is drained
}

func (fl *file) Stat() (fs.FileInfo, error) { return fl.base.Stat() }
func (fl *file) Close() error               { return fl.base.Close() }

func (fl *file) Read(p []byte) (int, error) {
	if err := fl.ctx.Err(); err != nil {
		return 0, &fs.PathError{Op: "read", Path: fl.name, Err: err}
	}
	if len(p) == 0 {
		return 0, nil
	}
	if len(fl.buf) == 0 {
		if fl.err != nil {
			return 0, fl.err
		}
		// A read of at least a chunk is fetched straight into p,
		// sparing a copy of every byte of a large file.
		dst := p
		if len(p) < fl.fs.cfg.ChunkSize {
			if fl.next == nil {
				fl.next = make([]byte, fl.fs.cfg.ChunkSize)
			}
			dst = fl.next
		}
		n, err := fl.fetch(dst[:fl.fs.cfg.ChunkSize])
		if err != nil && n == 0 {
			return 0, err
		}
		if len(p) >= fl.fs.cfg.ChunkSize {
			return n, nil // fl.err, if any, comes with the next Read
		}
		fl.buf = dst[:n]
	}
	n := copy(p, fl.buf)
	fl.buf = fl.buf[n:]
	return n, nil
}

// fetch makes one read request: it fills dst from the base file as far as
// the file goes, then pays for the bytes it got. A cancelled request
// returns no data.
func (fl *file) fetch(dst []byte) (int, error) {
	n, err := io.ReadFull(fl.base, dst)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	if err != nil {
		fl.err = err
	}
	if n == 0 {
		// Finding the end of the file costs no request: the client
		// knows the size from the open.
		return 0, err
	}
	if err := fl.fs.wait(fl.ctx, fl.fs.cfg.ReadLatency); err != nil {
		return 0, &fs.PathError{Op: "read", Path: fl.name, Err: err}
	}
	if err := fl.fs.transfer(fl.ctx, n); err != nil {
		return 0, &fs.PathError{Op: "read", Path: fl.name, Err: err}
	}
	fl.fs.mu.Lock()
	fl.fs.stats.Reads++
	fl.fs.stats.Bytes += int64(n)
	fl.fs.mu.Unlock()
	return n, nil
}

// dir is an open directory: listing passes through, as it was paid for by
// the Open.
type dir struct {
	*file
	dir fs.ReadDirFile
}

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	if err := d.ctx.Err(); err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: err}
	}
	return d.dir.ReadDir(n)
}

// wait waits for d or until ctx is done, whichever is first, and returns
// ctx.Err() if ctx is done. Stats.Waiting counts it meanwhile. It takes
// f.mu, so callers must not hold it.
func (f *FS) wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	f.mu.Lock()
	f.stats.Waiting++
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.stats.Waiting--
		f.mu.Unlock()
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return ctx.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ParseConfig reads a share's settings written as
// "open=40ms,read=10ms,mbps=60": open is paid per open, read per read
// request, and mbps (megabytes per second) is shared by all reads.
func ParseConfig(spec string) (Config, error) {
	var cfg Config
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		var err error
		switch k {
		case "open":
			cfg.OpenLatency, err = time.ParseDuration(v)
		case "read":
			cfg.ReadLatency, err = time.ParseDuration(v)
		case "stat":
			cfg.StatLatency, err = time.ParseDuration(v)
		case "mbps":
			var mb float64
			mb, err = strconv.ParseFloat(v, 64)
			cfg.BytesPerSecond = int64(mb * 1e6)
		default:
			err = fmt.Errorf("unknown setting %q (want open=, read=, stat=, mbps=)", k)
		}
		if err != nil {
			return cfg, fmt.Errorf("slowfs: %w", err)
		}
	}
	return cfg, nil
}

// EnvVar names the environment variable a benchmark build of a viewer
// reads its share's settings from, in ParseConfig's form.
const EnvVar = "SEQVIEW_SLOWSHARE"

// FromEnv returns a function putting a folder behind the slow share that
// EnvVar describes, or nil if EnvVar is not set.
func FromEnv() (func(fs.FS) fs.FS, error) {
	spec, ok := os.LookupEnv(EnvVar)
	if !ok {
		return nil, nil
	}
	cfg, err := ParseConfig(spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvVar, err)
	}
	return func(fsys fs.FS) fs.FS { return New(fsys, cfg) }, nil
}
