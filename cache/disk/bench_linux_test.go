package disk

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// BenchmarkGetCold reads a 6 MB entry that is not in the page cache (as on
// the next morning's visit): its pages are dropped before every Get.
func BenchmarkGetCold(b *testing.B) {
	c := openTest(b, "", 1<<30, nil)
	k, data := frame("/share/shot/shot_0001.png", benchSize, 0)
	c.Put(k, data)
	flush(b, c)
	f, err := os.Open(filepath.Join(c.Dir(), entryName(k.Path)))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fdatasync(int(f.Fd())); err != nil { // dirty pages cannot be dropped
		b.Fatal(err)
	}
	b.SetBytes(benchSize)
	for b.Loop() {
		b.StopTimer()
		if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, ok := c.Get(k); !ok {
			b.Fatal("miss")
		}
	}
}
