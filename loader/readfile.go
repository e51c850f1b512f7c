package loader

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"seqview/cache/disk"
)

// chunkSize is how much one Read asks for; cancellation is checked between
// chunks, so it bounds how long a cancelled read keeps a reader busy.
const chunkSize = 1 << 20

// load gets the bytes of the file of read job jb: from the local disk when
// it holds the file at the size and time the share reports now (one stat,
// never a read of the share), else from the share.
func (s *Service) load(jb *job, name string) (readBytes, error) {
	start := time.Now()
	var key disk.Key
	if s.cfg.Disk != nil {
		fi, err := fs.Stat(s.fsys, jb.path)
		jb.answered.Store(time.Now().UnixNano())
		if err != nil {
			return readBytes{}, err
		}
		key = disk.KeyOf(s.diskPath(jb.path), fi)
		if data, ok := s.cfg.Disk.Get(key); ok {
			return readBytes{data: data, took: time.Since(start), from: FromDisk}, nil
		}
	}
	data, err := s.readFile(jb, name)
	if err != nil {
		return readBytes{}, err
	}
	if int64(len(data)) != key.Size {
		key = disk.Key{} // changed while it was read: no copy of a file being written
	}
	return readBytes{data: data, took: time.Since(start), from: FromFolder, key: key}, nil
}

// diskPath names the file at path in the fs.FS in Config.Disk.
func (s *Service) diskPath(path string) string {
	return filepath.Join(s.cfg.DiskRoot, filepath.FromSlash(path))
}

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

// yield waits while another file, the latest request, is being read (a
// copy for Keep Sequence Local waits for every other read), and returns the
// job's context error once it is cancelled.
func (s *Service) yield(jb *job, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for jb.ctx.Err() == nil && len(s.order) > 0 && s.order[0] != name {
		if !s.readingBeforeLocked(jb) {
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

// readingBeforeLocked reports whether a read that goes before jb's is in
// flight: the latest request's for any read; any planned read for a copy.
func (s *Service) readingBeforeLocked(jb *job) bool {
	if !jb.keep {
		latest := s.jobs[task{s.order[0], readTask}]
		return latest != nil && latest.ctx.Err() == nil
	}
	for t, other := range s.jobs {
		if t.kind == readTask && other.ctx.Err() == nil {
			return true
		}
	}
	return false
}
