// Package disk keeps a bounded copy, on local disk, of files read from
// network shares, so that the second visit of a shot reads local files
// instead of the share, and is never stale.
//
// An entry holds one file's bytes, keyed by the file's path and valid only
// for the size and modification time the share reports now (Key). Entries
// are files in one folder, named by a hash of the path, each starting with a
// header that names its path, size, time and data checksum, so a scan of the
// folder rebuilds the index and a damaged entry is never returned. Entries
// are written under a temporary name and renamed into place, so a killed
// process leaves no half entry and several processes can share one folder.
// The least recently used entries are evicted to keep the folder within its
// byte budget; recency is kept in the entry files' modification times so it
// survives restarts.
//
// Reads (Get) are made by the caller's goroutine from a local file. Writes
// (Put) are queued, with a bound, to one writer goroutine per Cache and
// dropped when the queue is full: copying to the cache must never slow the
// reads it serves. A failure of the cache folder (disk full, folder
// unwritable or gone) turns the cache off: later Puts do nothing, Gets miss,
// and SetOnDisabled's function is told once.
//
// Concurrency: every method is safe for concurrent use. Cache.mu guards the
// index, the queue, the counters and the state; it is never held across a
// system call. Cache.fileMu orders, within one process, the writer's
// rename of a new entry into place against a Get's removal of a stale or
// damaged one, so a Get never deletes the copy that has just replaced the
// one it read; it is taken before mu, and never by Has. Between processes
// the entry files themselves are the only shared state: each process keeps
// its own index, an entry another process evicted just misses, and the
// writer re-reads the folder every so often so the folder stays bounded
// with several writers. Goroutines: Get, Has, Put and Stats run on the
// caller's; one writer goroutine per Cache, started by Open and ended by
// Close, writes entries, evicts, re-reads the folder and runs the
// SetOnDisabled function (with no lock held).
package disk

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Key names one version of a file: its path (as the loader gives it, the
// absolute path of the frame on the share) and the size and modification
// time the share reports for it now.
type Key struct {
	Path    string
	Size    int64
	ModTime time.Time
}

// KeyOf is the key of the file at path described by fi (from a listing or a
// stat of the share, made before the file's bytes are read).
func KeyOf(path string, fi fs.FileInfo) Key {
	return Key{Path: path, Size: fi.Size(), ModTime: fi.ModTime()}
}

// equal compares keys by the instant of their times, not their locations.
func (k Key) equal(o Key) bool {
	return k.Path == o.Path && k.Size == o.Size && k.ModTime.Equal(o.ModTime)
}

// Stats describes the cache for the info overlay.
type Stats struct {
	Entries         int
	Bytes, MaxBytes int64 // entry files' bytes (headers included) and the budget
	// Hits and Misses count Gets; Writes entries written; Dropped Puts
	// given up: the queue was full, or the cache closed or turned off
	// before writing them.
	Hits, Misses, Writes, Dropped uint64
	// Disabled is why the cache turned itself off, or nil.
	Disabled error
}

// ErrClosed is returned by PutWait once the cache is closed.
var ErrClosed = errors.New("disk: cache closed")

// Defaults of the tuning knobs tests change.
const (
	defaultQueueLen   = 8
	defaultQueueBytes = 64 << 20
	defaultChunk      = 1 << 20
	defaultCloseWait  = time.Second
	defaultSyncWrites = 64
	// A temporary file this old is left by a killed process, not being
	// written by a live one.
	tmpMaxAge = time.Minute
)

// options are the Cache's tuning and its file system; tests change them.
type options struct {
	fs         fileSys
	queueLen   int           // Puts waiting to be written, at most
	queueBytes int64         // bytes of Puts waiting, at most (one Put always fits)
	chunk      int           // bytes written between checks for Close's deadline
	closeWait  time.Duration // how long Close lets the queue drain
	syncBytes  int64         // bytes written between re-reads of the folder (0: maxBytes/8)
	syncWrites int           // entries written between re-reads of the folder
}

func defaultOptions() options {
	return options{
		fs:         osFS{},
		queueLen:   defaultQueueLen,
		queueBytes: defaultQueueBytes,
		chunk:      defaultChunk,
		closeWait:  defaultCloseWait,
		syncWrites: defaultSyncWrites,
	}
}

// Cache is a bounded local-disk cache of file contents.
type Cache struct {
	dir      string
	maxBytes int64
	opt      options // read-only after Open

	// fileMu is held by the writer across renaming an entry into place and
	// recording it, and by a Get across checking and removing an entry it
	// found stale or damaged. Taken before mu.
	fileMu sync.Mutex

	mu     sync.Mutex // guards every field below
	byPath map[string]*entry
	byName map[string]*entry
	lru    list.List // of *entry, most recently used first
	bytes  int64     // sum of the indexed entries' fileLen
	queue  []job
	queued int64 // bytes of data in queue
	// space is closed and replaced whenever the queue frees room or the
	// cache turns off, waking PutWait.
	space                         chan struct{}
	hits, misses, writes, dropped uint64
	disabled                      error
	reported                      bool // disabled was given to onDisabled
	onDisabled                    func(error)
	writing                       bool // the writer is making writingKey's entry
	writingKey                    Key
	closing                       bool
	deadline                      time.Time // set by Close: after it, jobs are dropped and a write stops
	syncedBytes                   int64     // bytes written since the folder was last re-read
	syncedWrites                  int       // entries written since then

	wake chan struct{} // buffered 1: something for the writer to look at
	done chan struct{} // closed when the writer goroutine returns
}

// entry is one indexed entry file.
type entry struct {
	name    string // file name in the cache folder
	h       header
	fileLen int64
	used    int64 // last use, ns since 1970
	elem    *list.Element
}

// job is a queued Put.
type job struct {
	k    Key
	data []byte
}

// DefaultDir is the folder seqview keeps file copies in: "seqview/files"
// under the user's cache folder (os.UserCacheDir, so XDG_CACHE_HOME moves it
// on Linux).
func DefaultDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("disk: %w", err)
	}
	return filepath.Join(d, "seqview", "files"), nil
}

// Open opens the cache in dir, creating dir (mode 0700) if needed, bounded to
// maxBytes bytes of entry files. It reads every entry's header to rebuild
// the index and removes temporary files left by killed processes. A dir it
// cannot write to is an error, as is maxBytes ≤ 0 (a caller that wants no
// cache does not open one). Close releases the writer goroutine.
func Open(dir string, maxBytes int64) (*Cache, error) {
	return open(dir, maxBytes, defaultOptions())
}

func open(dir string, maxBytes int64, opt options) (*Cache, error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("disk: budget of %d bytes", maxBytes)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	// Refuse a folder we cannot write to now, not at the first Put.
	f, err := opt.fs.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("disk: cache folder not writable: %w", err)
	}
	cerr := f.Close()
	if err := errors.Join(cerr, opt.fs.Remove(f.Name())); err != nil {
		return nil, fmt.Errorf("disk: cache folder not writable: %w", err)
	}
	if opt.syncBytes <= 0 {
		opt.syncBytes = max(maxBytes/8, 1)
	}
	c := &Cache{
		dir:      dir,
		maxBytes: maxBytes,
		opt:      opt,
		byPath:   make(map[string]*entry),
		byName:   make(map[string]*entry),
		space:    make(chan struct{}),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	if err := c.resync(); err != nil {
		return nil, fmt.Errorf("disk: reading cache folder: %w", err)
	}
	go c.run()
	return c, nil
}

// Dir is the absolute path of the cache folder.
func (c *Cache) Dir() string { return c.dir }

// SetOnDisabled sets the function told, once, why the cache turned itself
// off. It runs on the cache's writer goroutine with no lock held, so it must
// not block for long (hand over to the UI with fyne.Do). If the cache is
// already off and nobody was told yet, f is told soon after.
func (c *Cache) SetOnDisabled(f func(error)) {
	c.mu.Lock()
	c.onDisabled = f
	c.mu.Unlock()
	c.signal()
}

// offLocked reports whether the cache no longer serves reads or writes.
func (c *Cache) offLocked() bool { return c.disabled != nil || c.closing }

// Has reports whether the cache holds the file k names at k's size and time,
// from the index alone (no disk access): an entry written by another process
// since this one last read the folder is not seen, and one it removed is
// until a Get misses it. A hit counts as a use for eviction (in memory;
// only Get's hits persist it).
func (c *Cache) Has(k Key) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.offLocked() {
		return false
	}
	e := c.byPath[k.Path]
	if e == nil || !e.h.matches(k) {
		return false
	}
	c.touchLocked(e, time.Now())
	return true
}

// HasPath reports whether the cache holds a copy of the file at path, at
// whatever size and time: a copy that is checked against the share when it
// is read (Get). It reads the in-memory index only and does not change the
// copy's recency, so a timeline may ask it of every frame.
func (c *Cache) HasPath(path string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.offLocked() && c.byPath[path] != nil
}

// Get returns the bytes of the file k names if the cache holds them at k's
// size and time and they pass their checksum. An entry for k.Path at another
// size or time is stale, and a damaged one is useless: either is removed
// and Get misses. Get reads a local file on the caller's goroutine; it also
// finds entries written by another process.
func (c *Cache) Get(k Key) ([]byte, bool) {
	c.mu.Lock()
	if c.offLocked() {
		c.mu.Unlock()
		return nil, false
	}
	c.mu.Unlock()
	data, ok := c.read(k)
	c.mu.Lock()
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	c.mu.Unlock()
	return data, ok
}

// Put queues data, the bytes of the file k names, to be written to the
// cache, and returns at once. It does nothing if len(data) ≠ k.Size (the
// file changed while it was read), if the cache already holds or has queued
// k, if the entry could never fit the budget, or if the cache is off; if the
// queue is full the Put is dropped and counted. The cache keeps data until
// it is written: the caller must not change it afterwards.
func (c *Cache) Put(k Key, data []byte) {
	if !c.fits(k, data) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.offLocked() || c.holdsLocked(k) {
		return
	}
	if !c.roomLocked(k.Size) {
		c.dropped++
		return
	}
	c.enqueueLocked(k, data)
}

// PutWait is Put for copies that matter more than the reads around them
// (keeping a whole sequence local): when the queue is full it waits for
// room instead of dropping, until ctx is done. It returns ctx's error, the
// reason the cache is off, or ErrClosed; nil when queued or not needed.
func (c *Cache) PutWait(ctx context.Context, k Key, data []byte) error {
	if !c.fits(k, data) {
		return nil
	}
	for {
		c.mu.Lock()
		switch {
		case c.closing:
			c.mu.Unlock()
			return ErrClosed
		case c.disabled != nil:
			err := c.disabled
			c.mu.Unlock()
			return err
		case c.holdsLocked(k):
			c.mu.Unlock()
			return nil
		case c.roomLocked(k.Size):
			c.enqueueLocked(k, data)
			c.mu.Unlock()
			return nil
		}
		space := c.space
		c.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-space:
		}
	}
}

// fits reports whether data is k's whole file and its entry fits the budget.
func (c *Cache) fits(k Key, data []byte) bool {
	h := header{path: k.Path, size: k.Size}
	return int64(len(data)) == k.Size && len(k.Path) <= maxPathLen && h.fileLen() <= c.maxBytes
}

// holdsLocked reports whether k is indexed, being written or queued.
func (c *Cache) holdsLocked(k Key) bool {
	if e := c.byPath[k.Path]; e != nil && e.h.matches(k) {
		return true
	}
	if c.writing && c.writingKey.equal(k) {
		return true
	}
	for _, j := range c.queue {
		if j.k.equal(k) {
			return true
		}
	}
	return false
}

// roomLocked reports whether the queue takes n more bytes. An empty queue
// takes anything, so an entry larger than the queue's byte bound can still
// be written.
func (c *Cache) roomLocked(n int64) bool {
	return len(c.queue) == 0 || len(c.queue) < c.opt.queueLen && c.queued+n <= c.opt.queueBytes
}

func (c *Cache) enqueueLocked(k Key, data []byte) {
	c.queue = append(c.queue, job{k: k, data: data})
	c.queued += int64(len(data))
	c.signal()
}

// freeLocked wakes PutWait callers.
func (c *Cache) freeLocked() {
	close(c.space)
	c.space = make(chan struct{})
}

// signal wakes the writer goroutine; it never blocks.
func (c *Cache) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Stats returns the cache's counters and state.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{
		Entries:  len(c.byPath),
		Bytes:    c.bytes,
		MaxBytes: c.maxBytes,
		Hits:     c.hits,
		Misses:   c.misses,
		Writes:   c.writes,
		Dropped:  c.dropped,
		Disabled: c.disabled,
	}
}

// Close stops the cache: later Gets miss and Puts do nothing. Queued writes
// go on for at most about a second (the write in progress stops between
// chunks after that), the rest are dropped, and Close returns when the
// writer goroutine has ended. Entries already written stay for the next
// Open. Close may be called more than once.
func (c *Cache) Close() error {
	c.mu.Lock()
	if !c.closing {
		c.closing = true
		c.deadline = time.Now().Add(c.opt.closeWait)
		c.freeLocked()
	}
	c.mu.Unlock()
	c.signal()
	<-c.done
	return nil
}

// disable turns the cache off for err, unless it is off already, and drops
// the queue. The writer goroutine reports it.
func (c *Cache) disable(err error) {
	c.mu.Lock()
	if c.disabled == nil {
		c.disabled = err
		c.dropped += uint64(len(c.queue))
		c.queue, c.queued = nil, 0
		c.freeLocked()
	}
	c.mu.Unlock()
	c.signal()
}
