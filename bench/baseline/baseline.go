// Package baseline holds the simple loading strategies that seqview's
// loader is measured against, so a benchmark can show what the loader's
// caches, read-ahead and cancellation buy on the same frames and the same
// share:
//
//   - NoCache reads and decodes every frame it is asked for, on the calling
//     goroutine: no cache, no read-ahead.
//   - Simple is the strategy of the original request: an unbounded map of
//     decoded frames and one mutex held across every whole load (read and
//     decode), the preload of frame n+1 included.
//
// Both decode straight to the view's size with decode.View, the loader's
// own code, so a comparison measures the strategy and not the codec. Their Load blocks the goroutine that calls it, which is the point:
// a viewer built on them blocks its UI goroutine while a frame loads.
package baseline

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"seqview/loader"
	"seqview/loader/decode"
)

// Loader is what both baselines offer: a blocking Load of one frame, and
// Close to end any background work.
type Loader interface {
	// Load returns frame i ready for display, loading it on the calling
	// goroutine if it has to.
	Load(i int) (*loader.Decoded, error)
	// Close waits for background work to end and drops what is cached;
	// Load must not be called after it.
	Close()
}

// LoadFrame reads frame i of seq from fsys, decodes it and scales it to fit
// vw×vh (0×0: full size), all on the calling goroutine: the whole cost of
// one frame, with nothing cached.
func LoadFrame(fsys fs.FS, seq *loader.Sequence, i, vw, vh int) (*loader.Decoded, error) {
	if i < 0 || i >= seq.Len() {
		return nil, fmt.Errorf("baseline: no frame %d in a sequence of %d", i, seq.Len())
	}
	name := seq.Frames[i].Name
	start := time.Now()
	// fs.ReadFile goes through Open and Read (a slow share implements no
	// shortcut), and sizes its buffer from Stat as the loader does.
	data, err := fs.ReadFile(fsys, seq.Path(i))
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	read := time.Since(start)
	start = time.Now()
	view, info, err := decode.View(context.Background(), data, vw, vh, decode.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("baseline: %s: %w", name, err)
	}
	return &loader.Decoded{
		Name: name, View: view, Info: info,
		FileBytes: int64(len(data)), ReadTime: read, DecodeTime: time.Since(start),
	}, nil
}

// NoCache loads every frame it is asked for from the share, every time.
type NoCache struct {
	fsys   fs.FS
	seq    *loader.Sequence
	vw, vh int
}

// NewNoCache returns a NoCache reading seq from fsys and scaling frames to
// fit vw×vh.
func NewNoCache(fsys fs.FS, seq *loader.Sequence, vw, vh int) *NoCache {
	return &NoCache{fsys: fsys, seq: seq, vw: vw, vh: vh}
}

// Load reads and decodes frame i on the calling goroutine.
func (n *NoCache) Load(i int) (*loader.Decoded, error) {
	return LoadFrame(n.fsys, n.seq, i, n.vw, n.vh)
}

// Close does nothing: NoCache has no background work and keeps nothing.
func (n *NoCache) Close() {}

// Simple is the original request's strategy: decoded frames are kept in a
// map that never forgets, and one mutex is held across every whole load.
// After each request a new goroutine preloads the next frame, holding the
// same mutex for its whole load, so a request that arrives meanwhile waits
// for the preload to finish even when its own frame is in the map.
type Simple struct {
	fsys   fs.FS
	seq    *loader.Sequence
	vw, vh int
	wg     sync.WaitGroup

	mu     sync.Mutex // held across whole loads, by design
	frames map[int]*loader.Decoded
	closed bool
}

// NewSimple returns a Simple reading seq from fsys and scaling frames to
// fit vw×vh.
func NewSimple(fsys fs.FS, seq *loader.Sequence, vw, vh int) *Simple {
	return &Simple{fsys: fsys, seq: seq, vw: vw, vh: vh, frames: map[int]*loader.Decoded{}}
}

// Load takes the mutex, returns frame i from the map or loads it, and then
// starts a goroutine that loads frame i+1 into the map.
func (s *Simple) Load(i int) (*loader.Decoded, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, fmt.Errorf("baseline: Load of frame %d after Close", i)
	}
	f, ok := s.frames[i]
	var err error
	if !ok {
		f, err = LoadFrame(s.fsys, s.seq, i, s.vw, s.vh)
		if err == nil {
			s.frames[i] = f
		}
	}
	if i+1 < s.seq.Len() {
		// Started under the mutex so Close, which takes it first, never
		// races an Add with its Wait.
		s.wg.Go(func() { s.preload(i + 1) })
	}
	s.mu.Unlock()
	return f, err
}

// preload loads frame i into the map unless it is there already; a failed
// preload is forgotten and retried by the request.
func (s *Simple) preload(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.frames[i]; ok || s.closed {
		return
	}
	if f, err := LoadFrame(s.fsys, s.seq, i, s.vw, s.vh); err == nil {
		s.frames[i] = f
	}
}

// Cached returns how many frames the map holds.
func (s *Simple) Cached() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.frames)
}

// Close waits for the preloads in flight (those not yet started give up)
// and drops the map.
func (s *Simple) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	s.frames = nil
	s.mu.Unlock()
}
