package cache

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

func byteLen(b []byte) int64 { return int64(len(b)) }

func TestBounds(t *testing.T) {
	tests := []struct {
		name      string
		lim       Limits
		sizes     []int // added as keys 0, 1, 2, …
		wantKeys  []int // oldest first
		wantBytes int64
		wantEvict uint64
	}{
		{"count ceiling", Limits{MaxEntries: 3}, []int{1, 1, 1, 1, 1}, []int{2, 3, 4}, 3, 2},
		{"byte bound", Limits{MaxEntries: 100, MaxBytes: 10}, []int{4, 4, 4}, []int{1, 2}, 8, 1},
		{"byte bound before count", Limits{MaxEntries: 10, MaxBytes: 10}, []int{6, 6}, []int{1}, 6, 1},
		{"count bound before bytes", Limits{MaxEntries: 2, MaxBytes: 100}, []int{6, 6, 6}, []int{1, 2}, 12, 1},
		{"too large is not stored", Limits{MaxEntries: 10, MaxBytes: 10}, []int{3, 11, 3}, []int{0, 2}, 6, 0},
		{"exactly the budget", Limits{MaxEntries: 10, MaxBytes: 10}, []int{10}, []int{0}, 10, 0},
		{"no bounds", Limits{}, []int{5, 5, 5, 5}, []int{0, 1, 2, 3}, 20, 0},
		{"budget holds more than the floor", Limits{MinEntries: 2, MaxBytes: 10}, []int{2, 2, 2, 2, 2, 2}, []int{1, 2, 3, 4, 5}, 10, 1},
		{"floor holds over the budget", Limits{MinEntries: 3, MaxBytes: 10}, []int{6, 6, 6, 6}, []int{1, 2, 3}, 18, 1},
		{"floor keeps a value larger than the budget", Limits{MinEntries: 1, MaxBytes: 10}, []int{3, 11}, []int{1}, 11, 1},
		{"ceiling under the floor wins", Limits{MinEntries: 5, MaxEntries: 2}, []int{1, 1, 1}, []int{1, 2}, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New[int, []byte](tt.lim, byteLen)
			for k, n := range tt.sizes {
				c.Add(k, make([]byte, n))
			}
			if got := c.Keys(); !slices.Equal(got, tt.wantKeys) {
				t.Errorf("keys = %v, want %v", got, tt.wantKeys)
			}
			s := c.Stats()
			if s.Bytes != tt.wantBytes || s.Evictions != tt.wantEvict || s.Entries != len(tt.wantKeys) {
				t.Errorf("stats = %+v, want bytes %d evictions %d entries %d", s, tt.wantBytes, tt.wantEvict, len(tt.wantKeys))
			}
		})
	}
}

func TestGetMarksRecentPeekDoesNot(t *testing.T) {
	c := New[string, []byte](Limits{MaxEntries: 2}, byteLen)
	c.Add("a", nil)
	c.Add("b", nil)
	c.Peek("a")
	c.Add("c", nil) // evicts a: Peek did not refresh it
	if c.Contains("a") {
		t.Fatal("Peek refreshed recency")
	}
	c.Get("b")
	c.Add("d", nil) // evicts c, not b
	if !c.Contains("b") || c.Contains("c") {
		t.Fatalf("Get did not refresh recency: keys %v", c.Keys())
	}
	if _, ok := c.Get("zz"); ok {
		t.Fatal("hit on a missing key")
	}
	s := c.Stats()
	if s.Hits != 1 || s.Misses != 1 || s.HitRate() != 0.5 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestReplaceKeepsBytesRight(t *testing.T) {
	c := New[int, []byte](Limits{MaxEntries: 10, MaxBytes: 100}, byteLen)
	c.Add(1, make([]byte, 40))
	c.Add(1, make([]byte, 10))
	if s := c.Stats(); s.Bytes != 10 || s.Entries != 1 {
		t.Fatalf("stats after replace = %+v", s)
	}
	c.Remove(1)
	c.Add(2, make([]byte, 7))
	c.Purge()
	if s := c.Stats(); s.Bytes != 0 || s.Entries != 0 {
		t.Fatalf("stats after purge = %+v", s)
	}
}

func TestOnChange(t *testing.T) {
	c := New[int, []byte](Limits{MaxEntries: 2}, byteLen)
	var got []string
	c.OnChange(func(changes []Change[int, []byte]) {
		for _, ch := range changes {
			got = append(got, fmt.Sprint(ch.Key, ch.Present))
		}
		c.Len() // the lock is released: calling back must not deadlock
	})
	c.Add(1, nil)
	c.Add(2, nil)
	c.Add(2, nil) // a replacement is no change
	c.Add(3, nil) // evicts 1
	c.Remove(2)
	c.Remove(9) // absent: no change
	want := []string{"1 true", "2 true", "3 true", "1 false", "2 false"}
	if !slices.Equal(got, want) {
		t.Fatalf("changes = %v, want %v", got, want)
	}
}

// TestConcurrent checks, under -race, that bytes and entries stay within the
// bounds whatever the interleaving.
func TestConcurrent(t *testing.T) {
	const maxBytes, floor = 1000, 3
	c := New[int, []byte](Limits{MinEntries: floor, MaxEntries: 10, MaxBytes: maxBytes}, byteLen)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 2000 {
				k := r.IntN(50)
				switch r.IntN(4) {
				case 0:
					c.Remove(k)
				case 1:
					c.Get(k)
				default:
					c.Add(k, make([]byte, r.IntN(300)))
				}
				if s := c.Stats(); (s.Bytes > maxBytes && s.Entries > floor) || s.Entries > 10 || s.Bytes < 0 {
					t.Errorf("bounds broken: %+v", s)
					return
				}
			}
		}()
	}
	wg.Wait()
	var sum int64
	for _, k := range c.Keys() {
		v, _ := c.Peek(k)
		sum += int64(len(v))
	}
	if s := c.Stats(); s.Bytes != sum {
		t.Fatalf("bytes = %d, entries hold %d", s.Bytes, sum)
	}
}

func BenchmarkAddGet(b *testing.B) {
	c := New[int, []byte](Limits{MinEntries: 10, MaxBytes: 1 << 20}, byteLen)
	v := make([]byte, 1000)
	for i := 0; b.Loop(); i++ {
		c.Add(i%20, v)
		c.Get((i + 7) % 20)
	}
}
