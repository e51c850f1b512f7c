package disk

import (
	"cmp"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"
)

// errAborted stops a write when Close's deadline has passed or the cache
// turned off meanwhile.
var errAborted = errors.New("disk: write aborted")

// run is the writer goroutine: it writes queued Puts one at a time, reports
// the cache turning off, and returns once Close has been called and the
// queue is drained or its deadline has passed.
func (c *Cache) run() {
	defer close(c.done)
	for {
		c.mu.Lock()
		if c.disabled != nil && !c.reported && c.onDisabled != nil {
			c.reported = true
			f, err := c.onDisabled, c.disabled
			c.mu.Unlock()
			f(err)
			continue
		}
		if c.closing && (len(c.queue) == 0 || c.stopLocked()) {
			c.dropped += uint64(len(c.queue))
			c.queue, c.queued = nil, 0
			c.mu.Unlock()
			return
		}
		if len(c.queue) == 0 {
			c.mu.Unlock()
			<-c.wake
			continue
		}
		j := c.queue[0]
		c.queue[0] = job{} // let the data go once written
		c.queue = c.queue[1:]
		c.queued -= int64(len(j.data))
		c.freeLocked()
		c.writing, c.writingKey = true, j.k
		c.mu.Unlock()
		c.write(j)
		c.mu.Lock()
		c.writing, c.writingKey = false, Key{}
		c.mu.Unlock()
	}
}

// stopLocked reports whether a write in progress should stop.
func (c *Cache) stopLocked() bool {
	return c.disabled != nil || c.closing && !time.Now().Before(c.deadline)
}

// write makes the entry for j, evicting what the budget needs.
func (c *Cache) write(j job) {
	h := header{
		path:    j.k.Path,
		size:    j.k.Size,
		mtimeNs: j.k.ModTime.UnixNano(),
		dataCRC: crc32.Checksum(j.data, castagnoli),
	}
	name := entryName(h.path)
	c.mu.Lock()
	if c.disabled != nil {
		c.mu.Unlock()
		return
	}
	if e := c.byPath[h.path]; e != nil && e.h == h {
		c.mu.Unlock()
		return // written meanwhile (found by a Get from another process's copy)
	}
	victims := c.evictLocked(h.fileLen(), h.path)
	c.mu.Unlock()
	if !c.removeFiles(victims) {
		return
	}

	tmp, err := c.writeTemp(h, j.data)
	if errors.Is(err, errAborted) {
		return
	}
	if err != nil {
		c.disable(fmt.Errorf("disk: writing cache: %w", err))
		return
	}

	// The kernel stamps files with a coarse clock; an exact time keeps the
	// order of entries written in quick succession across a restart.
	now := time.Now()
	_ = os.Chtimes(tmp, now, now)
	c.fileMu.Lock()
	err = c.opt.fs.Rename(tmp, c.path(name))
	var resync bool
	if err == nil {
		c.mu.Lock()
		c.addLocked(name, h, now.UnixNano())
		c.writes++
		c.syncedBytes += h.fileLen()
		c.syncedWrites++
		resync = c.syncedBytes >= c.opt.syncBytes || c.syncedWrites >= c.opt.syncWrites
		c.mu.Unlock()
	}
	c.fileMu.Unlock()
	if err != nil {
		_ = c.opt.fs.Remove(tmp)
		if !busy(err) {
			c.disable(fmt.Errorf("disk: writing cache: %w", err))
		}
		return
	}
	if resync {
		// Another process may be writing to the same folder: re-read it so
		// the folder stays within the budget and its entries are known.
		if err := c.resync(); err != nil {
			c.disable(fmt.Errorf("disk: reading cache folder: %w", err))
		}
	}
}

// writeTemp writes h and data to a new temporary file in the cache folder,
// a chunk at a time so Close need not wait for a slow disk, and returns its
// name. On error nothing is left behind.
func (c *Cache) writeTemp(h header, data []byte) (string, error) {
	f, err := c.opt.fs.CreateTemp(c.dir, tmpPrefix+"*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		c.opt.fs.Remove(name)
		return "", err
	}
	if _, err := f.Write(h.encode()); err != nil {
		return fail(err)
	}
	for off := 0; off < len(data); off += c.opt.chunk {
		c.mu.Lock()
		stop := c.stopLocked()
		c.mu.Unlock()
		if stop {
			return fail(errAborted)
		}
		if _, err := f.Write(data[off:min(off+c.opt.chunk, len(data))]); err != nil {
			return fail(err)
		}
	}
	if err := f.Close(); err != nil {
		c.opt.fs.Remove(name)
		return "", err
	}
	return name, nil
}

// removeFiles removes evicted entries' files. A file already gone (another
// process evicted it) is fine; false means the cache turned off.
func (c *Cache) removeFiles(victims []*entry) bool {
	for _, e := range victims {
		err := c.opt.fs.Remove(c.path(e.name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) && !busy(err) {
			c.disable(fmt.Errorf("disk: evicting: %w", err))
			return false
		}
	}
	return true
}

// onDisk is an entry file seen in a listing of the cache folder.
type onDisk struct {
	name    string
	size    int64
	mtimeNs int64
}

// resync re-reads the cache folder: it indexes entries written by other
// processes (reading their headers), forgets entries removed by them, takes
// the files' times as recency where they are newer (another process used
// them), evicts to the budget and removes temporary files older than
// tmpMaxAge. Open runs it, then the writer goroutine every so often.
func (c *Cache) resync() error {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	now := time.Now()
	var files []onDisk
	for _, de := range des {
		name := de.Name()
		fi, err := de.Info()
		if err != nil {
			continue // removed since listed
		}
		if strings.HasPrefix(name, tmpPrefix) {
			if now.Sub(fi.ModTime()) > tmpMaxAge {
				_ = c.opt.fs.Remove(c.path(name)) // left by a killed process
			}
			continue
		}
		if isEntryName(name) && fi.Mode().IsRegular() {
			files = append(files, onDisk{name: name, size: fi.Size(), mtimeNs: fi.ModTime().UnixNano()})
		}
	}

	// Headers are read only for files not indexed or changed in size.
	c.mu.Lock()
	var unknown []onDisk
	for _, f := range files {
		if e := c.byName[f.name]; e == nil || e.fileLen != f.size {
			unknown = append(unknown, f)
		}
	}
	c.mu.Unlock()
	headers := make(map[string]header, len(unknown))
	for _, f := range unknown {
		h, err := c.readHeaderOf(f.name)
		switch {
		case err == nil && h.fileLen() == f.size && entryName(h.path) == f.name:
			headers[f.name] = h
		case err == nil || errors.Is(err, errCorrupt):
			// Damaged (entries appear complete, by rename): not worth keeping.
			_ = c.opt.fs.Remove(c.path(f.name))
		case errors.Is(err, fs.ErrNotExist):
		default:
			return err
		}
	}

	c.mu.Lock()
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		seen[f.name] = true
	}
	for name, e := range c.byName {
		if !seen[name] {
			c.removeLocked(e) // removed by another process
		}
	}
	for _, f := range unknown {
		if h, ok := headers[f.name]; ok {
			c.addLocked(f.name, h, f.mtimeNs)
		} else if e := c.byName[f.name]; e != nil {
			c.removeLocked(e)
		}
	}
	for _, f := range files {
		if e := c.byName[f.name]; e != nil {
			e.used = max(e.used, f.mtimeNs)
		}
	}
	c.sortLocked()
	victims := c.evictLocked(0, "")
	c.syncedBytes, c.syncedWrites = 0, 0
	c.mu.Unlock()
	c.removeFiles(victims) // a failure turns the cache off and says why
	return nil
}

// readHeaderOf reads the header of the entry file name.
func (c *Cache) readHeaderOf(name string) (header, error) {
	f, err := c.opt.fs.Open(c.path(name))
	if err != nil {
		return header{}, err
	}
	defer f.Close()
	return readHeader(f)
}

// sortLocked orders the LRU list by time of last use, newest first.
func (c *Cache) sortLocked() {
	es := make([]*entry, 0, c.lru.Len())
	for el := c.lru.Front(); el != nil; el = el.Next() {
		es = append(es, el.Value.(*entry))
	}
	slices.SortStableFunc(es, func(a, b *entry) int { return cmp.Compare(b.used, a.used) })
	c.lru.Init()
	for _, e := range es {
		e.elem = c.lru.PushBack(e)
	}
}
