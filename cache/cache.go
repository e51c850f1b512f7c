// Package cache is a typed, thread-safe LRU cache bounded by a byte budget,
// with a floor and a ceiling on its number of entries, built on
// github.com/hashicorp/golang-lru/v2.
//
// seqview keeps three of them: view-sized decoded frames (as many as the
// budget holds, never fewer than the person asked for), full-resolution
// frames (at most a couple) and the files' compressed bytes. The cache knows
// nothing of what it holds beyond the size function it is given.
//
// Guarantee: after every Add, the cache holds at most Limits.MaxEntries
// entries, and holds more than Limits.MaxBytes bytes only while it holds no
// more than Limits.MinEntries entries; the least recently used entries are
// the ones evicted.
//
// All methods are safe for concurrent use. The change callback runs after the
// cache's lock is released, so it may call back into the cache.
package cache

import (
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// Stats counts what the cache has done since it was made.
type Stats struct {
	Hits, Misses, Evictions uint64
	Entries                 int
	Bytes                   int64
}

// HitRate is Hits ÷ (Hits + Misses), or 0 before the first lookup.
func (s Stats) HitRate() float64 {
	if s.Hits+s.Misses == 0 {
		return 0
	}
	return float64(s.Hits) / float64(s.Hits+s.Misses)
}

// Change reports that Key entered (Present) or left (!Present) the cache,
// with the Value that entered or left.
type Change[K comparable, V any] struct {
	Key     K
	Value   V
	Present bool
}

// Limits bound a cache. A zero field sets no bound.
type Limits struct {
	// MinEntries is a floor: the byte budget never evicts the cache below
	// this many entries, so the last few frames stay whatever their size.
	MinEntries int
	// MaxEntries is a ceiling on the number of entries.
	MaxEntries int
	// MaxBytes is the budget, as measured by the size function.
	MaxBytes int64
}

// Cache is an LRU cache bounded by Limits.
type Cache[K comparable, V any] struct {
	size func(V) int64

	mu       sync.Mutex // guards every field below
	lru      *simplelru.LRU[K, V]
	bytes    int64
	lim      Limits
	stats    Stats
	pending  []Change[K, V] // changes made under mu, reported after unlock
	onChange func([]Change[K, V])
}

// New returns a cache bounded by lim, its entries' bytes measured by size.
func New[K comparable, V any](lim Limits, size func(V) int64) *Cache[K, V] {
	maxEntries := lim.MaxEntries
	if maxEntries <= 0 {
		maxEntries = 1 << 30
	}
	c := &Cache[K, V]{size: size, lim: lim}
	// NewLRU only fails for a size ≤ 0, excluded above.
	c.lru, _ = simplelru.NewLRU(maxEntries, c.evicted)
	return c
}

// evicted runs under c.mu for every entry that leaves, by eviction or removal.
func (c *Cache[K, V]) evicted(k K, v V) {
	c.bytes -= c.size(v)
	c.pending = append(c.pending, Change[K, V]{Key: k, Value: v})
}

// OnChange sets a function told, in order, of the keys that enter and leave
// the cache. It is called without the cache's lock held, from the goroutine
// that made the change.
func (c *Cache[K, V]) OnChange(f func([]Change[K, V])) {
	c.mu.Lock()
	c.onChange = f
	c.mu.Unlock()
}

// unlock releases c.mu and reports the changes made while it was held.
func (c *Cache[K, V]) unlock() {
	changes, f := c.pending, c.onChange
	c.pending = nil
	c.mu.Unlock()
	if f != nil && len(changes) > 0 {
		f(changes)
	}
}

// Get returns the entry for k and marks it most recently used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.lru.Get(k)
	if ok {
		c.stats.Hits++
	} else {
		c.stats.Misses++
	}
	return v, ok
}

// Peek returns the entry for k without counting a lookup or changing its
// recency.
func (c *Cache[K, V]) Peek(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Peek(k)
}

// Contains reports whether k is cached, without changing its recency.
func (c *Cache[K, V]) Contains(k K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Contains(k)
}

// Add stores v under k as the most recently used entry and evicts the least
// recently used entries until the limits hold. Without a floor, a value
// larger than the whole byte budget is not stored (it would evict
// everything and then itself); Add reports whether v was stored.
func (c *Cache[K, V]) Add(k K, v V) bool {
	n := c.size(v)
	c.mu.Lock()
	defer c.unlock()
	if c.lim.MinEntries <= 0 && c.lim.MaxBytes > 0 && n > c.lim.MaxBytes {
		c.lru.Remove(k)
		return false
	}
	if old, ok := c.lru.Peek(k); ok {
		c.bytes -= c.size(old)
	} else {
		c.pending = append(c.pending, Change[K, V]{Key: k, Value: v, Present: true})
	}
	c.bytes += n
	before := len(c.pending)
	c.lru.Add(k, v)
	for c.lim.MaxBytes > 0 && c.bytes > c.lim.MaxBytes && c.lru.Len() > c.lim.MinEntries {
		c.lru.RemoveOldest()
	}
	c.stats.Evictions += uint64(len(c.pending) - before)
	return true
}

// Remove drops k from the cache.
func (c *Cache[K, V]) Remove(k K) {
	c.mu.Lock()
	defer c.unlock()
	c.lru.Remove(k)
}

// Purge drops every entry.
func (c *Cache[K, V]) Purge() {
	c.mu.Lock()
	defer c.unlock()
	c.lru.Purge()
}

// Keys returns the cached keys from least to most recently used.
func (c *Cache[K, V]) Keys() []K {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Keys()
}

// Len returns the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// Stats returns the counters and the current size.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Entries = c.lru.Len()
	s.Bytes = c.bytes
	return s
}

// Limits returns the cache's limits.
func (c *Cache[K, V]) Limits() Limits {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lim
}
