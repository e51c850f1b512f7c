package loader

import (
	"time"

	"seqview/cache"
	"seqview/cache/disk"
)

// State is what the Service has of one frame.
type State uint8

const (
	StateNone    State = iota // nothing in memory
	StateBytes                // the file's bytes are in memory: a decode away
	StateDecoded              // ready to show
	StateLoading              // being read or decoded, or being written and retried
	StateFailed               // the last load failed
	StateDisk                 // a copy is on local disk (Config.Disk): no share read needed
)

// Waiting reports how long the share has not answered the read of the
// frame asked for last: 0 unless that read is in flight and stalled.
func (s *Service) Waiting() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.order) == 0 {
		return 0
	}
	jb := s.jobs[task{s.order[0], readTask}]
	if jb == nil {
		return 0
	}
	return time.Since(jb.lastAnswer())
}

// State returns what the service has of frame i.
func (s *Service) State(i int) State {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < 0 || i >= s.seq.Len() {
		return StateNone
	}
	return s.stateLocked(s.seq.Frames[i].Name)
}

func (s *Service) stateLocked(name string) State {
	_, read := s.read[name]
	f, failed := s.failed[name]
	switch {
	case s.views.Contains(name):
		return StateDecoded
	case s.busyLocked(name) || (failed && f.err.Reason == BeingWritten):
		return StateLoading
	case failed:
		return StateFailed
	case read || s.raw.Contains(name):
		return StateBytes
	case s.onDisk[name]:
		return StateDisk
	}
	return StateNone
}

// busyLocked reports whether any job for name is in flight.
func (s *Service) busyLocked(name string) bool {
	for _, k := range []taskKind{readTask, viewTask, fullTask} {
		if jb := s.jobs[task{name, k}]; jb != nil && jb.ctx.Err() == nil {
			return true
		}
	}
	return false
}

// States returns the state of every frame, for a timeline. It costs one
// pass over the caches' keys and the jobs, not a lookup per frame, so a
// 100,000-frame timeline can be refreshed as often as frames arrive.
func (s *Service) States() []State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := make([]State, s.seq.Len())
	mark := func(name string, v State) {
		if i := s.seq.Index(name); i >= 0 {
			st[i] = v
		}
	}
	for name := range s.onDisk {
		mark(name, StateDisk)
	}
	for _, name := range s.raw.Keys() {
		mark(name, StateBytes)
	}
	for name := range s.read {
		mark(name, StateBytes)
	}
	for name, f := range s.failed {
		if f.err.Reason == BeingWritten {
			mark(name, StateLoading) // retried until whole
		} else {
			mark(name, StateFailed)
		}
	}
	for t, jb := range s.jobs {
		if jb.ctx.Err() == nil {
			mark(t.name, StateLoading)
		}
	}
	for _, name := range s.views.Keys() {
		mark(name, StateDecoded)
	}
	return st
}

// Stats describes the caches and the read-ahead, for an info overlay and
// for sizing the process's memory limit.
type Stats struct {
	Views, Raw, Fulls cache.Stats
	ViewsFloor        int           // view frames always kept
	Undecoded         int64         // bytes read and waiting for a decoder
	Depth             int           // current read-ahead depth
	Alone             bool          // the frame asked for last decodes alone: the person outran the loader
	Disk              *disk.Stats   // the local copies (Config.Disk); nil without
	Load              time.Duration // measured time to read and decode a frame
	Step              time.Duration // measured time between steps
}

// Held is the memory the service holds in frames and file bytes.
func (st Stats) Held() int64 { return st.Views.Bytes + st.Raw.Bytes + st.Fulls.Bytes + st.Undecoded }

// Stats returns the current figures.
func (s *Service) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Views: s.views.Stats(), Raw: s.raw.Stats(), Fulls: s.fulls.Stats(), ViewsFloor: s.cfg.CacheFrames,
		Depth: s.plan.depth, Alone: s.alone, Load: s.pace.load.duration(), Step: s.pace.step.duration()}
	for _, rb := range s.read {
		st.Undecoded += int64(len(rb.data))
	}
	if s.cfg.Disk != nil {
		ds := s.cfg.Disk.Stats()
		st.Disk = &ds
	}
	return st
}
