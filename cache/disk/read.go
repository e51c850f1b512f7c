package disk

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"time"
)

// verdict is what reading an entry file found.
type verdict int

const (
	valid   verdict = iota
	useless         // stale (another size or time) or damaged: remove it
	broken          // the cache folder failed: turn the cache off
)

// read returns k's bytes from its entry file, on the caller's goroutine.
func (c *Cache) read(k Key) ([]byte, bool) {
	name := entryName(k.Path)
	full := c.path(name)
	f, err := c.opt.fs.Open(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			c.forgetMissing(name)
			return nil, false
		}
		c.disable(fmt.Errorf("disk: reading cache: %w", err))
		return nil, false
	}
	fi, h, data, v, err := readEntry(f, k)
	// Closed before a removal or Chtimes, which Windows refuses on open files.
	f.Close()
	switch v {
	case broken:
		c.disable(fmt.Errorf("disk: reading cache: %w", err))
		return nil, false
	case useless:
		c.drop(name, fi)
		return nil, false
	}
	now := time.Now()
	c.mu.Lock()
	if e := c.byName[name]; e != nil && e.h == h {
		c.touchLocked(e, now)
	} else {
		// Written by another process, or replaced by one since indexed.
		c.addLocked(name, h, now.UnixNano())
	}
	c.mu.Unlock()
	// Recency kept in the entry's time survives restarts. Best effort: the
	// entry may be gone already, and a missed touch only ages it early.
	_ = os.Chtimes(full, now, now)
	return data, true
}

// readEntry reads the entry file f and checks it against k. fi is f's
// FileInfo when known; err says why the verdict is broken.
func readEntry(f readFile, k Key) (fi fs.FileInfo, h header, data []byte, v verdict, err error) {
	fi, err = f.Stat()
	if err != nil {
		return nil, h, nil, broken, err
	}
	h, err = readHeader(f)
	if errors.Is(err, errCorrupt) {
		return fi, h, nil, useless, nil
	}
	if err != nil {
		return fi, h, nil, broken, err
	}
	if h.fileLen() != fi.Size() || !h.matches(k) {
		return fi, h, nil, useless, nil
	}
	data = make([]byte, h.size)
	if _, err := io.ReadFull(f, data); err != nil {
		if errors.Is(shortIsCorrupt(err), errCorrupt) {
			return fi, h, nil, useless, nil
		}
		return fi, h, nil, broken, err
	}
	if crc32.Checksum(data, castagnoli) != h.dataCRC {
		return fi, h, nil, useless, nil
	}
	return fi, h, data, valid, nil
}

// drop removes the entry file name, found stale or damaged as read (its
// FileInfo), unless the writer has replaced it since, and takes it out of
// the index.
func (c *Cache) drop(name string, read fs.FileInfo) {
	full := c.path(name)
	c.fileMu.Lock()
	defer c.fileMu.Unlock()
	cur, err := os.Stat(full)
	if err == nil {
		if !os.SameFile(cur, read) {
			return // replaced since read: the new entry is not ours to judge
		}
		err = c.opt.fs.Remove(full)
	}
	switch {
	case err == nil || errors.Is(err, fs.ErrNotExist):
		c.mu.Lock()
		if e := c.byName[name]; e != nil {
			c.removeLocked(e)
		}
		c.mu.Unlock()
	case busy(err):
		// Windows: another reader holds it open; the next Get tries again.
	default:
		c.disable(fmt.Errorf("disk: removing stale entry: %w", err))
	}
}

// forgetMissing takes name out of the index if its file is gone (evicted by
// another process, or the folder was removed).
func (c *Cache) forgetMissing(name string) {
	c.mu.Lock()
	indexed := c.byName[name] != nil
	c.mu.Unlock()
	if !indexed {
		return
	}
	c.fileMu.Lock()
	defer c.fileMu.Unlock()
	// Under fileMu the writer cannot be renaming name into place.
	if _, err := os.Stat(c.path(name)); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	c.mu.Lock()
	if e := c.byName[name]; e != nil {
		c.removeLocked(e)
	}
	c.mu.Unlock()
}
