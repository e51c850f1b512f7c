package loader

import (
	"context"
	"image"
	"io/fs"
	"path"
	"time"

	"seqview/cache/disk"
	"seqview/loader/decode"
)

// replanLocked sets the frames wanted around the latest request and
// cancels work on the others.
func (s *Service) replanLocked() {
	defer s.work.Broadcast()
	s.plan.depth = s.depthLocked()
	idx := s.plan.order()
	s.order = s.order[:0]
	s.rank = make(map[string]int, len(idx))
	for r, i := range idx {
		name := s.seq.Frames[i].Name
		s.order = append(s.order, name)
		s.rank[name] = r
	}
	s.cancelUnplannedLocked()
	if s.alone {
		for t, jb := range s.jobs {
			if t.kind != readTask && !s.latestLocked(t.name) {
				jb.cancel()
			}
		}
	}
	for name, rb := range s.read {
		if _, planned := s.rank[name]; !planned {
			s.raw.Add(name, rb.data) // kept if they fit
			delete(s.read, name)
		}
	}
	if len(s.order) == 0 {
		return
	}
	// The frame asked for now goes first: if it needs a worker and every
	// one is busy, stop the least urgent job.
	latest := s.order[0]
	if s.needsReadLocked(latest, 0) {
		s.preemptLocked(true)
	}
	if s.needsViewLocked(latest, 0) {
		s.preemptLocked(false)
	}
}

// depthLocked is the read-ahead depth: never so deep that read-ahead
// evicts the frame one step behind (the cache holds as many view frames as
// its budget allows, at least its floor).
func (s *Service) depthLocked() int {
	limit := s.cfg.CacheFrames
	if keys := s.views.Keys(); len(keys) > 0 {
		if f, ok := s.views.Peek(keys[len(keys)-1]); ok && f.Bytes() > 0 {
			limit = max(limit, int(s.cfg.CacheBytes/f.Bytes()))
		}
	}
	return s.pace.depth(s.cfg.Preload, max(limit-2, 1), s.playing)
}

// cancelUnplannedLocked stops work on frames the plan no longer holds,
// except frames within the read-ahead depth on either side of the latest:
// a person flicking between two frames reverses the plan at every flick,
// and cancelling the frame ahead each time would restart its decode at
// every flick and never finish it. Such work is last in line, and is
// preempted first when the latest needs a worker.
func (s *Service) cancelUnplannedLocked() {
	for t, jb := range s.jobs {
		r, planned := s.rank[t.name]
		switch {
		case t.kind == keepTask:
			continue // stopped by KeepLocal, not by the plan
		case (t.kind == fullTask || t.kind == fullLookTask) && (!planned || !((s.fullSize && r < fullFrames) || s.deepLocked(t.name, r))):
		case planned:
			continue
		case !s.closed && !s.alone && s.plan.near(s.seq.Index(t.name)):
			continue
		}
		jb.cancel()
	}
}

// maxUndecoded bounds the files read ahead of the decoders: read-ahead
// during playback may plan hundreds of frames, and their bytes must not
// pile up faster than they are decoded.
func (s *Service) maxUndecoded() int { return s.cfg.Reads + s.cfg.Decoders }

// heldLocked reports whether name failed and may not be retried yet.
func (s *Service) heldLocked(name string) bool {
	f, ok := s.failed[name]
	return ok && time.Now().Before(f.until)
}

// calmingLocked reports whether the frame at rank r must wait for the
// paint of a frame just shown: it is read-ahead, and the grace has not
// passed.
func (s *Service) calmingLocked(r int) bool {
	return r > 0 && time.Now().Before(s.calm)
}

// haveBytesLocked reports whether the file's bytes are in memory.
func (s *Service) haveBytesLocked(name string) bool {
	_, read := s.read[name]
	return read || s.raw.Contains(name)
}

// wantsViewLocked reports whether name has no view frame of the view size.
func (s *Service) wantsViewLocked(name string) bool {
	f, ok := s.views.Peek(name)
	return !ok || !f.fits(s.viewW, s.viewH)
}

// wantsFullLocked reports whether the frame at rank r needs its full
// resolution and does not have it.
func (s *Service) wantsFullLocked(name string, r int) bool {
	return ((s.fullSize && r < fullFrames) || s.deepLocked(name, r)) && !s.fulls.Contains(name)
}

// idleLocked reports whether t may start: not in flight, not failed a
// moment ago, not waiting for a paint.
func (s *Service) idleLocked(t task, r int) bool {
	return s.jobs[t] == nil && !s.heldLocked(t.name) && !s.calmingLocked(r)
}

// needsReadLocked reports whether the file at rank r must be read now.
func (s *Service) needsReadLocked(name string, r int) bool {
	return s.idleLocked(task{name, readTask}, r) && !s.haveBytesLocked(name) &&
		(s.wantsViewLocked(name) || s.wantsFullLocked(name, r)) &&
		(r == 0 || len(s.read) < s.maxUndecoded())
}

// needsViewLocked reports whether the file at rank r can and must be
// decoded to the view size now.
func (s *Service) needsViewLocked(name string, r int) bool {
	return s.idleLocked(task{name, viewTask}, r) && !(s.alone && r > 0) &&
		s.wantsViewLocked(name) && s.haveBytesLocked(name)
}

// needsFullLocked reports whether the file at rank r can and must be
// decoded at full resolution now.
func (s *Service) needsFullLocked(name string, r int) bool {
	return s.idleLocked(task{name, fullTask}, r) && !(s.alone && r > 0) &&
		s.wantsFullLocked(name, r) && s.haveBytesLocked(name)
}

// live counts the jobs of readers (reads) or decoders (!reads) not yet
// cancelled.
func (s *Service) liveLocked(reads bool) int {
	n := 0
	for t, jb := range s.jobs {
		if t.kind.reads() == reads && jb.ctx.Err() == nil {
			n++
		}
	}
	return n
}

// preemptLocked cancels the least urgent live job of the readers (reads)
// or the decoders if every one of them is busy, unless that job is for the
// latest request itself.
func (s *Service) preemptLocked(reads bool) {
	workers := s.cfg.Decoders
	if reads {
		workers = s.cfg.Reads
	}
	if s.liveLocked(reads) < workers {
		return
	}
	var worst *job
	at := 0
	for t, jb := range s.jobs {
		if t.kind.reads() != reads || jb.ctx.Err() != nil {
			continue
		}
		r, planned := s.rank[t.name]
		if !planned || t.kind == keepTask {
			r = len(s.order)
		}
		if t.kind == fullTask || t.kind == fullLookTask {
			r += fullFrames // a view frame comes before a full one
		}
		if r > at {
			worst, at = jb, r
		}
	}
	if worst != nil {
		worst.cancel()
	}
}

// next waits for the most urgent task a reader (reads) or a decoder can
// take, and starts it. ok is false once the service is closed.
func (s *Service) next(reads bool) (t task, jb *job, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for !s.closed {
		for r, name := range s.order {
			switch {
			case reads && s.needsReadLocked(name, r):
				t = task{name, readTask}
			case !reads && s.needsViewLocked(name, r):
				t = task{name, viewTask}
			case !reads && s.needsLookLocked(name, r):
				t = task{name, lookTask}
			case !reads && s.needsFullLocked(name, r):
				t = task{name, fullTask}
			case !reads && s.needsFullLookLocked(name, r):
				t = task{name, fullLookTask}
			default:
				continue
			}
			return t, s.startLocked(t), true
		}
		if reads && s.liveLocked(true) < s.cfg.Reads {
			if name, ok := s.nextCopyLocked(); ok {
				t = task{name, keepTask}
				return t, s.startLocked(t), true
			}
		}
		s.work.Wait()
	}
	return task{}, nil, false
}

// startLocked puts t in flight with what its worker needs.
func (s *Service) startLocked(t task) *job {
	ctx, cancel := context.WithCancel(context.Background())
	jb := &job{ctx: ctx, cancel: cancel, path: path.Join(s.seq.Dir, t.name), vw: s.viewW, vh: s.viewH, keep: t.kind == keepTask}
	jb.answered.Store(time.Now().UnixNano())
	switch {
	case t.kind == lookTask || t.kind == fullLookTask:
		jb.base, _ = s.views.Peek(t.name)
		jb.full, _ = s.fulls.Peek(t.name)
		jb.look = s.look
	case !t.kind.reads():
		if rb, ok := s.read[t.name]; ok {
			jb.data, jb.took, jb.from, jb.key = rb.data, rb.took, rb.from, rb.key
		} else {
			jb.data, _ = s.raw.Peek(t.name)
		}
	}
	s.jobs[t] = jb
	s.changedLocked()
	return jb
}

// finishLocked ends job jb of t and reports whether it was cancelled.
func (s *Service) finishLocked(t task, jb *job) (cancelled bool) {
	if s.jobs[t] == jb {
		delete(s.jobs, t)
	}
	cancelled = jb.ctx.Err() != nil
	jb.cancel() // releases the context's resources
	s.work.Broadcast()
	s.changedLocked()
	return cancelled
}

// failLocked records that a frame could not be loaded, not to be tried
// again for a while, and delivers the failure if it is the latest request.
func (s *Service) failLocked(e *FrameError) {
	s.failed[e.Name] = failure{e, time.Now().Add(e.retry())}
	// Wake the workers when the frame may be tried again, so a frame being
	// written shows as soon as it is whole, without a key press.
	time.AfterFunc(e.retry(), s.wake)
	if s.latestLocked(e.Name) {
		s.alone = false // nothing to wait for: read-ahead may decode again
		s.deliverLocked(Result{Index: s.plan.latest, Name: e.Name, Err: e})
	}
	s.changedLocked()
}

func (s *Service) reader() {
	for {
		t, jb, ok := s.next(true)
		if !ok {
			return
		}
		if t.kind == keepTask {
			s.copyToDisk(jb, t.name)
			if s.retired(jb) {
				return
			}
			continue
		}
		rb, err := s.load(jb, t.name)
		s.mu.Lock()
		if jb.abandoned {
			s.mu.Unlock()
			if s.retired(jb) {
				return
			}
			continue
		}
		switch cancelled := s.finishLocked(t, jb); {
		case cancelled:
			// The frame was left or preempted; it is planned again if still wanted.
		case err != nil:
			s.failLocked(readError(t.name, err))
		default:
			s.read[t.name] = rb
			if rb.from == FromDisk {
				s.onDisk[t.name] = true
			}
			// The frame asked for now can be decoded: if every decoder
			// is busy with read-ahead, stop the least urgent.
			if s.latestLocked(t.name) {
				s.preemptLocked(false)
			}
		}
		s.mu.Unlock()
	}
}

func (s *Service) decoder() {
	for {
		t, jb, ok := s.next(false)
		if !ok {
			return
		}
		if t.kind == lookTask || t.kind == fullLookTask {
			s.finishLook(t, jb)
			continue
		}
		start := time.Now()
		var (
			view *image.RGBA
			info decode.Info
			full *decode.Image
			err  error
		)
		if t.kind == viewTask {
			view, info, err = decode.View(jb.ctx, jb.data, jb.vw, jb.vh, s.cfg.Limits)
		} else {
			full, err = decode.Full(jb.ctx, jb.data, s.cfg.Limits)
		}
		took := time.Since(start)
		var ferr *FrameError
		if err != nil && jb.ctx.Err() == nil {
			// Whether the file is being written or gone is asked of the
			// file system now, without the lock.
			fi, serr := fs.Stat(s.fsys, jb.path)
			ferr = decodeError(t.name, jb.data, err, fi, serr)
		}

		var copyKey disk.Key
		s.mu.Lock()
		switch cancelled := s.finishLocked(t, jb); {
		case cancelled:
		case ferr != nil:
			delete(s.read, t.name)
			s.raw.Remove(t.name) // bytes that do not decode are not worth keeping
			s.failLocked(ferr)
		case t.kind == viewTask:
			f := &Decoded{Name: t.name, View: view, Info: info, FileBytes: int64(len(jb.data)), From: jb.from, ReadTime: jb.took, DecodeTime: took}
			delete(s.failed, t.name)
			if jb.took > 0 { // a load from the folder: the cost read-ahead must cover
				s.pace.load.add((jb.took + took).Seconds())
			}
			if jb.key.Path != "" && jb.from == FromFolder {
				copyKey = jb.key
				s.onDisk[t.name] = true
			}
			s.views.Add(t.name, f)
			s.doneWithBytesLocked(t.name)
			if s.latestLocked(t.name) {
				s.alone = false // read-ahead may decode again
				s.deliverLatestLocked(t.name)
			}
		default:
			s.fulls.Add(t.name, full)
			s.doneWithBytesLocked(t.name)
			s.deliverLatestLocked(t.name)
		}
		s.mu.Unlock()
		if copyKey.Path != "" {
			// The local copy is written after the frame is on its way to
			// the screen; Put only queues it, and drops it when the disk
			// is behind.
			s.cfg.Disk.Put(copyKey, jb.data)
		}
	}
}

// finishLook runs a look task and keeps what it made.
func (s *Service) finishLook(t task, jb *job) {
	var view *Decoded
	var fullView *image.RGBA
	if jb.base != nil && (t.kind == lookTask || jb.full != nil) && jb.ctx.Err() == nil {
		view, fullView = adjust(t, jb.base, jb.full, jb.look, jb.vw, jb.vh)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finishLocked(t, jb) || jb.look.Key() != s.look.Key() || (view == nil && fullView == nil) {
		return
	}
	key := s.viewKeyLocked(t.name)
	if fullView != nil {
		s.fullLooks.Add(key, fullView)
	}
	if view != nil && !s.deeperLocked(key, view) {
		s.views.Add(key, view)
	}
	s.deliverLatestLocked(t.name)
}

// deeperLocked reports whether the view cache already holds, under key, a
// frame of view's size adjusted from 16-bit values while view was not: the
// two look tasks of a 16-bit frame run on two decoders, and the one from
// the 8-bit view may finish last.
func (s *Service) deeperLocked(key string, view *Decoded) bool {
	f, ok := s.views.Peek(key)
	return ok && f.Deep && !view.Deep && f.View.Rect.Size() == view.View.Rect.Size()
}

// deliverLatestLocked delivers name's frame, as the look shows it, if it
// is the frame asked for last and is ready to show.
func (s *Service) deliverLatestLocked(name string) {
	if !s.latestLocked(name) {
		return
	}
	if f, ok := s.lookedLocked(name); ok {
		s.deliverLocked(Result{Index: s.plan.latest, Name: name, Frame: s.frameLocked(name, f)})
	}
}

// doneWithBytesLocked moves a file's bytes from those waiting for a
// decoder to the bytes cache once no decode of it is wanted any more.
func (s *Service) doneWithBytesLocked(name string) {
	rb, ok := s.read[name]
	if !ok {
		return
	}
	r, planned := s.rank[name]
	if planned && (s.wantsViewLocked(name) || s.wantsFullLocked(name, r)) {
		return
	}
	delete(s.read, name)
	s.raw.Add(name, rb.data)
}
