package loader

import (
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"seqview/internal/slowfs"
	"seqview/internal/testframes"
)

// slowListing makes a directory listing cost per entry, as on an SMB or
// NFS share, where 100,000 names take seconds to arrive.
type slowListing struct {
	fs.FS
	perEntry time.Duration
}

func (s slowListing) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(s.FS, name)
	time.Sleep(time.Duration(len(entries)) * s.perEntry)
	return entries, err
}

// BenchmarkFirstFrame100k compares the time to the first picture of a
// frame in a 100,000-file folder on a slow share (40 ms per open, 60 MB/s,
// 10 µs per listed name): listing the folder first, the simple way, against
// showing the file first as seqview does (the listing follows).
func BenchmarkFirstFrame100k(b *testing.B) {
	frame := testframes.PNG(1920, 1080, 1)
	base := fstest.MapFS{}
	for k := range 100_000 {
		base[fmt.Sprintf("shot_%06d.png", k)] = &fstest.MapFile{Data: frame}
	}
	const target = "shot_054321.png"
	slow := func() fs.FS {
		return slowListing{slowfs.New(base, slowfs.Config{OpenLatency: 40 * time.Millisecond, ReadLatency: 10 * time.Millisecond, BytesPerSecond: 60e6}), 10 * time.Microsecond}
	}
	firstFrame := func(b *testing.B, fsys fs.FS, seq *Sequence, i int) {
		done := make(chan struct{}, 1)
		svc := NewService(fsys, seq, Config{Deliver: func(Result) { done <- struct{}{} }})
		defer svc.Close()
		svc.SetViewSize(1280, 720)
		if _, ok := svc.Show(i); !ok {
			<-done
		}
	}
	b.Run("list-then-show", func(b *testing.B) {
		for b.Loop() {
			fsys := slow()
			seqs, err := Scan(fsys, ".")
			if err != nil {
				b.Fatal(err)
			}
			firstFrame(b, fsys, seqs[0], seqs[0].Index(target))
		}
	})
	b.Run("show-then-list", func(b *testing.B) {
		for b.Loop() {
			fsys := slow()
			listed := make(chan struct{})
			go func() { Scan(fsys, "."); close(listed) }()
			firstFrame(b, fsys, FileSequence(".", target), 0)
			b.StopTimer()
			<-listed
			b.StartTimer()
		}
	})
}
