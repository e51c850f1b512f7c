package loader

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"seqview/cache/disk"
)

// keepLocal is the state of Keep Sequence Local (guarded by Service.mu).
type keepLocal struct {
	on      bool
	next    int    // the frame to look at next
	looked  int    // frames looked at in this pass
	bytes   int64  // the files of this pass on local disk: what the budget must hold
	stopped string // why copying stopped before the end; "" if it did not
}

// KeepProgress says how far copying the sequence to local disk has come.
type KeepProgress struct {
	On          bool   // copying is under way
	Done, Total int    // frames with a local copy, frames in the sequence
	Stopped     string // why it stopped before the end, e.g. the disk budget; "" if it did not
}

// KeepLocal starts or stops copying every frame of the sequence to
// Config.Disk, from the frame asked for last onwards. The copies are read
// behind the frames the person asks for and their read-ahead, never in
// front of them: a copy waits while any of those is being read. It stops
// at the end of the sequence, at the disk budget, or when the local cache
// turns itself off, and KeepProgress says why. Without Config.Disk it does
// nothing.
func (s *Service) KeepLocal(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.Disk == nil || s.closed {
		return
	}
	s.keep = keepLocal{on: on, next: max(s.plan.latest, 0)}
	if !on {
		for t, jb := range s.jobs {
			if t.kind == keepTask {
				jb.cancel()
			}
		}
	}
	s.work.Broadcast()
	s.changedLocked()
}

// KeepProgress returns how far KeepLocal has come. It asks the disk
// cache's index about every frame (no file is read), and forgets copies
// the cache has evicted since.
func (s *Service) KeepProgress() KeepProgress {
	s.mu.Lock()
	seq, p := s.seq, KeepProgress{On: s.keep.on, Total: s.seq.Len(), Stopped: s.keep.stopped}
	s.mu.Unlock()
	if s.cfg.Disk == nil {
		return p
	}
	held := make([]bool, seq.Len())
	for i := range seq.Frames {
		held[i] = s.cfg.Disk.HasPath(s.diskPath(seq.Path(i)))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range seq.Frames {
		if held[i] {
			p.Done++
		}
		if s.onDisk[f.Name] != held[i] {
			s.onDisk[f.Name] = held[i]
			s.changedLocked()
		}
	}
	return p
}

// nextCopyLocked returns the next frame to copy to local disk, if any,
// moving on along the sequence; at its end, copying is done.
func (s *Service) nextCopyLocked() (string, bool) {
	n := s.seq.Len()
	for s.keep.on && s.keep.looked < n {
		i := s.keep.next % n
		s.keep.next, s.keep.looked = i+1, s.keep.looked+1
		name := s.seq.Frames[i].Name
		if !s.onDisk[name] && s.jobs[task{name, keepTask}] == nil {
			return name, true
		}
	}
	if s.keep.on {
		s.keep.on = false
		s.changedLocked()
	}
	return "", false
}

// copyToDisk makes the local copy of one frame for Keep Sequence Local.
func (s *Service) copyToDisk(jb *job, name string) {
	d := s.cfg.Disk
	s.waitForLoad(jb, name)
	fi, err := fs.Stat(s.fsys, jb.path)
	jb.answered.Store(time.Now().UnixNano())
	var stop string
	switch {
	case err != nil:
		// Unreadable or gone: the frame shows why when it is asked for.
	case d.Has(disk.KeyOf(s.diskPath(jb.path), fi)):
		s.markOnDisk(name, fi.Size())
	default:
		// The pass stops before the sequence's own copies would push its
		// first ones out; older copies of other sequences make room.
		s.mu.Lock()
		kept := s.keep.bytes
		s.mu.Unlock()
		if st := d.Stats(); st.Disabled != nil {
			stop = "the local cache is off: " + st.Disabled.Error()
			break
		} else if kept+fi.Size() > st.MaxBytes {
			stop = fmt.Sprintf("the local cache is full: the sequence needs more than its %d MB (-disk-mb)", st.MaxBytes>>20)
			break
		}
		data, held := s.bytesInMemory(name)
		if !held || int64(len(data)) != fi.Size() {
			if data, err = s.readFile(jb, name); err != nil || int64(len(data)) != fi.Size() {
				break // cancelled, unreadable, or being written
			}
		}
		switch err := d.PutWait(jb.ctx, disk.KeyOf(s.diskPath(jb.path), fi), data); {
		case err == nil:
			s.markOnDisk(name, fi.Size())
		case errors.Is(err, context.Canceled):
		default:
			stop = "the local cache is off: " + err.Error()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finishLocked(task{name, keepTask}, jb)
	if stop != "" && s.keep.on {
		s.keep.on, s.keep.stopped = false, stop
	}
}

// markOnDisk records that name has a copy of size bytes on local disk,
// kept by this pass of Keep Sequence Local.
func (s *Service) markOnDisk(name string, size int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keep.bytes += size
	if !s.onDisk[name] {
		s.onDisk[name] = true
		s.changedLocked()
	}
}

// learnDisk finds which frames of seq have a copy on local disk, from the
// disk cache's index (no file is read), for the timeline.
func (s *Service) learnDisk(seq *Sequence) {
	var names []string
	for i, f := range seq.Frames {
		if s.cfg.Disk.HasPath(s.diskPath(seq.Path(i))) {
			names = append(names, f.Name)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range names {
		s.onDisk[name] = true
	}
	if len(names) > 0 {
		s.changedLocked()
	}
}

// waitForLoad waits while the frame is being read for the person: its
// bytes will then be in memory, and are not read twice.
func (s *Service) waitForLoad(jb *job, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for jb.ctx.Err() == nil && s.jobs[task{name, readTask}] != nil {
		jb.paused = true
		s.work.Wait()
		jb.paused = false
	}
	jb.answered.Store(time.Now().UnixNano())
}

// bytesInMemory returns the file's bytes if the service holds them.
func (s *Service) bytesInMemory(name string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rb, ok := s.read[name]; ok {
		return rb.data, true
	}
	return s.raw.Peek(name)
}
