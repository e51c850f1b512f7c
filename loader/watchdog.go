package loader

import (
	"fmt"
	"os"
	"time"
)

// retired reports whether the reader of jb must end: the watchdog gave up
// on jb's read (and marked the frame timed out) and another reader took
// this one's place.
func (s *Service) retired(jb *job) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if jb.abandoned && jb.replaced {
		jb.replaced = false // counted once
		s.stuck--
		return true
	}
	return false
}

// readTimeout is how long a read may go without an answer from the share
// before its frame is marked timed out and another reader takes its place.
var readTimeout = 20 * time.Second

// watchdog gives up on reads the share has not answered for readTimeout:
// the frame shows as timed out (retried later) and, up to one per reader,
// a new reader replaces the one blocked in the file system, so frames on
// the rest of the share keep loading.
func (s *Service) watchdog() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			s.abandonStalledReads()
		}
	}
}

func (s *Service) abandonStalledReads() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	for t, jb := range s.jobs {
		since := time.Since(jb.lastAnswer())
		if !t.kind.reads() || jb.paused || since < readTimeout {
			continue
		}
		jb.abandoned = true
		jb.cancel()
		delete(s.jobs, t)
		if t.kind == readTask {
			s.failLocked(&FrameError{Name: t.name, Reason: TimedOut, Err: os.ErrDeadlineExceeded,
				Detail: fmt.Sprintf("the share has not answered for %.0f s", since.Seconds())})
		}
		if s.stuck < s.cfg.Reads {
			s.stuck++
			jb.replaced = true
			s.all.Go(s.reader)
		}
	}
	s.work.Broadcast()
}
