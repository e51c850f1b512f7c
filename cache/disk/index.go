package disk

import (
	"path/filepath"
	"time"
)

// touchLocked marks e used at now.
func (c *Cache) touchLocked(e *entry, now time.Time) {
	e.used = now.UnixNano()
	c.lru.MoveToFront(e.elem)
}

// addLocked indexes the entry file name holding h as the most recently used
// entry, replacing any entry for the same path.
func (c *Cache) addLocked(name string, h header, used int64) *entry {
	if old := c.byPath[h.path]; old != nil {
		c.removeLocked(old)
	}
	if old := c.byName[name]; old != nil {
		c.removeLocked(old)
	}
	e := &entry{name: name, h: h, fileLen: h.fileLen(), used: used}
	e.elem = c.lru.PushFront(e)
	c.byPath[h.path] = e
	c.byName[name] = e
	c.bytes += e.fileLen
	return e
}

// removeLocked takes e out of the index (not off the disk).
func (c *Cache) removeLocked(e *entry) {
	c.lru.Remove(e.elem)
	delete(c.byPath, e.h.path)
	delete(c.byName, e.name)
	c.bytes -= e.fileLen
}

// evictLocked takes least recently used entries out of the index until need
// more bytes fit the budget, counting keep's entry (about to be replaced) as
// gone, and returns them for their files to be removed.
func (c *Cache) evictLocked(need int64, keep string) []*entry {
	have := c.bytes
	if old := c.byPath[keep]; old != nil {
		have -= old.fileLen
	}
	var victims []*entry
	for el := c.lru.Back(); el != nil && have+need > c.maxBytes; {
		e := el.Value.(*entry)
		el = el.Prev()
		if e.h.path == keep {
			continue
		}
		have -= e.fileLen
		c.removeLocked(e)
		victims = append(victims, e)
	}
	return victims
}

// path is the full name of an entry file.
func (c *Cache) path(name string) string { return filepath.Join(c.dir, name) }
