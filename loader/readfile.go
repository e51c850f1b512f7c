package loader

import (
	"errors"
	"io"
	"slices"
	"time"
)

// chunkSize is how much one Read asks for; cancellation is checked between
// chunks, so it bounds how long a cancelled read keeps a reader busy.
const chunkSize = 1 << 20

// readFile reads the file of job jb a chunk at a time, recording when the
// share last answered. Between chunks it gives up once the job is
// cancelled, and it pauses while the frame asked for now is being read, so
// that read has the share's whole bandwidth: on a held key or a jump the
// final frame arrives in one load time, not one per read in flight. Files
// are opened read-only through the fs.FS.
func (s *Service) readFile(jb *job, name string) ([]byte, error) {
	f, err := s.fsys.Open(jb.path)
	jb.answered.Store(time.Now().UnixNano())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	buf := make([]byte, 0, size+1) // +1: reaching EOF takes no second allocation
	for {
		if err := s.yield(jb, name); err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, chunkSize)
		}
		n, err := f.Read(buf[len(buf):min(cap(buf), len(buf)+chunkSize)])
		jb.answered.Store(time.Now().UnixNano())
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// yield waits while another file, the latest request, is being read, and
// returns the job's context error once it is cancelled.
func (s *Service) yield(jb *job, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for jb.ctx.Err() == nil && len(s.order) > 0 && s.order[0] != name {
		latest := s.jobs[task{s.order[0], readTask}]
		if latest == nil || latest.ctx.Err() != nil {
			break
		}
		// Paused by choice, not by the share: the watchdog must not count
		// this as the share's silence.
		jb.paused = true
		s.work.Wait() // every cancel and every end of a read broadcasts
		jb.paused = false
		jb.answered.Store(time.Now().UnixNano())
	}
	return jb.ctx.Err()
}
