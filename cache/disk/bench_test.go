package disk

import (
	"fmt"
	"testing"
	"time"
)

const benchSize = 6 << 20 // a 4K PNG frame

// BenchmarkGet reads and verifies one 6 MB entry (from the page cache once
// warm, as on a second visit soon after the first).
func BenchmarkGet(b *testing.B) {
	c := openTest(b, "", 1<<30, nil)
	k, data := frame("/share/shot/shot_0001.png", benchSize, 0)
	c.Put(k, data)
	flush(b, c)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.Get(k); !ok {
			b.Fatal("miss")
		}
	}
}

// BenchmarkPut writes 6 MB entries as the writer goroutine does (checksum,
// temporary file, rename), each a new version of one of 16 frames, with
// eviction once the budget of 8 entries is full.
func BenchmarkPut(b *testing.B) {
	c := openTest(b, "", 8*entrySize("/share/shot/shot_0000.png", benchSize), nil)
	jobs := make([]job, 16)
	for i := range jobs {
		k, data := frame(fmt.Sprintf("/share/shot/shot_%04d.png", i), benchSize, 0)
		jobs[i] = job{k, data}
	}
	b.SetBytes(benchSize)
	i := 0
	for b.Loop() {
		j := jobs[i%len(jobs)]
		j.k.ModTime = base.Add(time.Duration(i) * time.Second)
		c.write(j)
		i++
	}
	b.StopTimer()
	if st := c.Stats(); st.Disabled != nil || st.Writes != uint64(i) {
		b.Fatalf("Stats = %+v after %d writes", st, i)
	}
}

// BenchmarkPutCall is what a Put costs the reader that calls it while the
// writer is busy: the queue is full, so the Put is dropped.
func BenchmarkPutCall(b *testing.B) {
	c, gate, entered := stalled(b, nil)
	defer close(gate)
	k, data := frame("/share/shot/shot_0000.png", 1000, 0)
	c.Put(k, data)
	<-entered
	for i := range defaultQueueLen {
		k, data := frame(fmt.Sprintf("/share/shot/shot_%04d.png", i+1), 1000, 0)
		c.Put(k, data)
	}
	k, data = frame("/share/shot/shot_9999.png", 1000, 0)
	b.ReportAllocs()
	for b.Loop() {
		c.Put(k, data)
	}
}

// BenchmarkHas looks a frame up in an index of 1000 entries.
func BenchmarkHas(b *testing.B) {
	c := openTest(b, "", 1<<30, nil)
	var keys []Key
	for i := range 1000 {
		k, _ := frame(fmt.Sprintf("/share/shot/shot_%04d.png", i), 100, 0)
		c.mu.Lock()
		c.addLocked(entryName(k.Path), header{path: k.Path, size: k.Size, mtimeNs: k.ModTime.UnixNano()}, 0)
		c.mu.Unlock()
		keys = append(keys, k)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if !c.Has(keys[i%len(keys)]) {
			b.Fatal("miss")
		}
		i++
	}
}

// BenchmarkOpen rebuilds the index of a folder of 1000 entries.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	c := openTest(b, dir, 1<<30, nil)
	for i := range 1000 {
		k, data := frame(fmt.Sprintf("/share/shot/shot_%04d.png", i), 1000, 0)
		c.write(job{k, data})
	}
	c.Close()
	for b.Loop() {
		c, err := Open(dir, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		if c.Stats().Entries != 1000 {
			b.Fatalf("Stats = %+v", c.Stats())
		}
		c.Close()
	}
}
