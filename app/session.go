package app

import (
	"fmt"
	"image"
	"io/fs"
	"path/filepath"
	"runtime"
	"time"

	"seqview/cache/disk"
	"seqview/loader"
	"seqview/viewer"
)

// session is one open folder, or the built-in demo, and what is shown of
// it: its sequences, the loader of the current one, the watch that follows
// the folder, and the frame asked for and the frame shown. Its fields are
// used on the UI goroutine only.
type session struct {
	token        int    // the open it came from (ui.openToken)
	folder       string // absolute path; "" for the demo
	fsys         fs.FS
	seqs         []*loader.Sequence
	seqIndex     int
	seq          *loader.Sequence // seqs[seqIndex] as the loader has it: the one place the UI holds it
	svc          *loader.Service
	stopWatch    func()
	disk         *disk.Cache         // local copies of the folder's files; nil when not used
	keeping      bool                // Keep Sequence Local was asked for
	keepStopped  string              // why it stopped before the end
	keepProgress loader.KeepProgress // as of the last marks refresh

	want    int                // the frame asked for last, the loader's latest
	index   int                // the frame the title, timeline and status show
	shown   *loader.Decoded    // the picture on screen; nil if none
	failure *loader.FrameError // why index cannot be shown; nil if it can
	waiting bool               // index is on its way: the previous picture stays up
}

// framePath is the path of the frame shown, to reopen it next time.
func (s *session) framePath() string {
	if s.folder == "" || s.seq.Len() == 0 {
		return ""
	}
	return filepath.Join(s.folder, filepath.FromSlash(s.seq.Path(s.index)))
}

// close stops the session's loader and watch without waiting on the UI
// goroutine: a read blocked on a dead share may never answer.
func (s *session) close() {
	if s.stopWatch != nil {
		go s.stopWatch()
	}
	go s.svc.Close()
}

// start shows sequence seqs[si] of fsys at frame fi in a new session,
// closing the one before. d keeps local copies of the files; nil for none.
func (u *ui) start(token int, folder string, fsys fs.FS, d *disk.Cache, seqs []*loader.Sequence, si, fi int) {
	u.closeSession()
	s := &session{token: token, folder: folder, fsys: fsys, disk: d, seqs: seqs, seqIndex: si, seq: seqs[si]}
	u.sess = s
	s.svc = u.newService(s)
	u.syncPlaying()
	if u.sideB() != nil {
		u.pairing()
		u.view.SetNames(sideName(s), sideName(u.cmp.b))
	}
	u.sequenceChanged(fi)
	u.findVersions()
}

// newService starts a loader for session s with what the window asks of
// frames now: size, full resolution, look, playback.
func (u *ui) newService(s *session) *loader.Service {
	rawMB, cacheMB, decoders := u.opts.RawMB, u.opts.CacheMB, 0
	if u.cmp != nil {
		// Two sides share the budgets and the cores.
		rawMB, cacheMB, decoders = rawMB/2, cacheMB/2, max(1, runtime.NumCPU()/2)
	}
	rawBytes := int64(rawMB) << 20
	if rawBytes == 0 {
		rawBytes = -1 // -raw-mb 0 turns the bytes cache off
	}
	svc := loader.NewService(s.fsys, s.seq, loader.Config{
		CacheFrames: u.opts.CacheFrames,
		CacheBytes:  int64(cacheMB) << 20,
		RawBytes:    rawBytes,
		Decoders:    decoders,
		Preload:     u.opts.Preload,
		Disk:        s.disk,
		DiskRoot:    s.folder,
		// On the loader's courier goroutine.
		Deliver: func(r loader.Result) { u.do(func() { u.apply(s, r) }) },
		Changed: func() {
			if u.marksDue.CompareAndSwap(false, true) {
				time.AfterFunc(marksEvery, func() {
					u.do(func() {
						u.marksDue.Store(false)
						if u.sess != nil && !u.play.marksRide() {
							u.refreshMarks()
						}
					})
				})
			}
		},
	})
	w, h := u.sideViewSize()
	svc.SetViewSize(w, h)
	svc.SetFullSize(u.view.BeyondView() || u.inspect)
	svc.SetLook(u.look)
	svc.SetPlaying(u.play.stop != nil, !u.play.bounce)
	return svc
}

// rebudget gives session s a new loader with the budgets of now (one side
// or two), keeping its frame: comparing starts or stops.
func (u *ui) rebudget(s *session) {
	old := s.svc
	s.svc = u.newService(s)
	go old.Close()
	if s.seq.Len() > 0 {
		u.requestSide(s, s.index)
	}
}

// sessions are the open sessions: A, and B while comparing.
func (u *ui) sessions() []*session {
	var all []*session
	if u.sess != nil {
		all = append(all, u.sess)
	}
	if b := u.sideB(); b != nil {
		all = append(all, b)
	}
	return all
}

// closeSession ends the open session, if any.
func (u *ui) closeSession() {
	u.stopPlay()
	if u.sess != nil {
		u.sess.close()
		u.sess = nil
	}
}

// setSequence gives the session's loader a new frame list for the same
// sequence (the folder changed, or its listing arrived) and shows frame i,
// or the frame the loader kept if i < 0.
func (u *ui) setSequence(seqs []*loader.Sequence, si, i int) {
	s := u.sess
	s.seqs, s.seqIndex, s.seq = seqs, si, seqs[si]
	kept := s.svc.SetSequence(s.seq)
	if u.sideB() != nil {
		u.pairing()
	}
	if i < 0 {
		i = kept
	}
	u.sequenceChanged(i)
}

// sequenceChanged shows the session's frame list — timeline, numbers,
// gaps, menu — then frame i.
func (u *ui) sequenceChanged(i int) {
	s := u.sess
	numbers := make([]int, s.seq.Len())
	for k, f := range s.seq.Frames {
		numbers[k] = f.Number
	}
	var gaps []int
	for _, g := range s.seq.Gaps() {
		gaps = append(gaps, g.After)
	}
	u.timeline.SetLength(s.seq.Len())
	u.timeline.SetNumbers(numbers)
	u.timeline.SetGaps(gaps)
	u.setMenu()
	u.refreshMarks()
	if s.shown != nil && (i < 0 || i >= s.seq.Len() || s.seq.Frames[i].Name != s.shown.Name) {
		s.shown = nil // the frame shown left the sequence
	}
	u.show(max(i, 0))
}

// show makes frame i the current frame: at once if the loader has it, else
// the title and timeline move to it while the previous picture stays up
// with a loading note until it arrives.
func (u *ui) show(i int) {
	s := u.sess
	if s == nil || s.seq.Len() == 0 {
		return
	}
	i = max(min(i, s.seq.Len()-1), 0)
	if u.request(i) {
		return
	}
	s.index, s.waiting = i, true
	u.showPosition()
	u.showB()
	u.view.SetLoading("loading " + s.seq.Frames[i].Name + "…")
	u.waitForShare()
	u.updateStatus()
}

// request asks A's loader for frame i and applies the answer if it has one
// at once; otherwise the answer comes later through the same apply, and
// what is on screen stays as it is. It reports whether i was answered.
func (u *ui) request(i int) bool { return u.requestSide(u.sess, i) }

// requestSide is request for either side.
func (u *ui) requestSide(s *session, i int) bool {
	s.want = i
	r, ok := s.svc.Show(i)
	if ok {
		u.apply(s, r)
	}
	return ok
}

// apply shows what the loader says of the frame asked for last: the one
// path by which results reach the screen, from Show at once or from Deliver
// later. Results for a session closed since, or for a frame asked for
// before the latest, are dropped here and only here.
func (u *ui) apply(s *session, r loader.Result) {
	if r.Index != s.want || r.Index >= s.seq.Len() || s.seq.Frames[r.Index].Name != r.Name {
		return
	}
	switch s {
	case u.sess:
	case u.sideB():
		u.applyB(s, r)
		return
	default:
		return // a session closed since
	}
	s.index = r.Index
	switch {
	case r.Err != nil && r.Err.Reason == loader.BeingWritten:
		// The loader retries it until it is whole; the picture stays.
		s.waiting, s.failure = true, nil
		u.view.SetLoading(r.Name + " is being written…")
	case r.Err != nil:
		s.waiting, s.shown, s.failure = false, nil, r.Err
		title, detail := failureText(r.Err)
		u.view.SetMessage(title, detail)
	default:
		s.waiting, s.shown, s.failure = false, r.Frame, nil
		u.view.SetFrame(viewFrame(r.Frame))
		u.play.shown(time.Now())
		if u.play.stop != nil {
			u.refreshMarks() // painted with the frame, at no extra cost
		}
	}
	u.showPosition()
	u.showB()
	u.updateStatus()
	u.refreshInfo()
	u.refreshPointer()
	u.saveLastFrameSoon()
}

// viewFrame is what the frame view draws of f.
func viewFrame(f *loader.Decoded) viewer.Frame {
	v := viewer.Frame{View: f.View, Size: image.Pt(f.Info.Width, f.Info.Height)}
	if f.FullView != nil {
		v.Full = f.FullView
	}
	return v
}

// showPosition puts the session's current frame in the title and on the
// timeline.
func (u *ui) showPosition() {
	s := u.sess
	u.timeline.SetValue(s.index)
	u.win.SetTitle(fmt.Sprintf("%s (%d/%d) — seqview", s.seq.Frames[s.index].Name, s.index+1, s.seq.Len()))
}

func (u *ui) refreshMarks() {
	if u.sess == nil {
		return
	}
	states := u.sess.svc.States()
	marks := make([]viewer.Mark, len(states))
	for i, st := range states {
		marks[i] = markOf[st]
	}
	u.timeline.SetMarks(marks)
	if s := u.sess; s.keeping {
		s.keepProgress = s.svc.KeepProgress()
		s.keepStopped = s.keepProgress.Stopped
		if !s.keepProgress.On {
			s.keeping = false
			u.setMenu()
		}
		u.updateStatus()
	}
	if u.memoryLimit != nil {
		var held int64
		for _, s := range u.sessions() {
			held += s.svc.Stats().Held()
		}
		u.memoryLimit(held)
	}
	u.refreshInfo()
}

var markOf = [...]viewer.Mark{
	loader.StateNone:    viewer.MarkNone,
	loader.StateBytes:   viewer.MarkBytes,
	loader.StateDecoded: viewer.MarkDecoded,
	loader.StateLoading: viewer.MarkLoading,
	loader.StateFailed:  viewer.MarkError,
	loader.StateDisk:    viewer.MarkDisk,
}

func (u *ui) step(d int) {
	if u.sess != nil {
		u.stopPlay()
		u.show(u.sess.index + d)
	}
}

func (u *ui) first() { u.stopPlay(); u.show(0) }

func (u *ui) last() {
	if u.sess != nil {
		u.stopPlay()
		u.show(u.sess.seq.Len() - 1)
	}
}
