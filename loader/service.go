package loader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"seqview/cache"
)

// Decoded is a frame ready for display. It is never modified once made; a
// new view size makes a new Decoded sharing Full.
type Decoded struct {
	Index int
	Name  string
	Full  *image.RGBA // full resolution, for 100 % zoom and above
	View  *image.RGBA // Full scaled down to fit the view it was made for; Full itself when it fits

	FileBytes  int64         // size of the file
	Format     string        // what the file holds, e.g. "png, 16-bit RGBA"
	ReadTime   time.Duration // share → bytes; 0 when the bytes came from the bytes cache
	DecodeTime time.Duration // bytes → Full and View

	file []byte // the compressed bytes, moved to the bytes cache when the frame leaves
}

// Bytes is the memory the frame holds: its pixels and its file's bytes.
func (f *Decoded) Bytes() int64 {
	n := int64(len(f.Full.Pix)) + int64(len(f.file))
	if f.View != f.Full {
		n += int64(len(f.View.Pix))
	}
	return n
}

// fitsView reports whether View is the right copy for a vw×vh view.
func (f *Decoded) fitsView(vw, vh int) bool {
	w, h := FitSize(f.Full.Rect.Dx(), f.Full.Rect.Dy(), vw, vh)
	return f.View.Rect.Dx() == w && f.View.Rect.Dy() == h
}

// Result is what a load of frame Index came to: a Frame, or an error saying
// what went wrong with which file.
type Result struct {
	Index int    // the frame's index in the sequence at the time of the result
	Name  string // the frame's file name
	Frame *Decoded
	Err   error
}

// Config sets the caches, the parallelism and the read-ahead of a Service.
// Zero fields take the defaults.
type Config struct {
	CacheFrames int   // decoded frames kept; default 10
	CacheBytes  int64 // decoded bytes budget; default 512 MiB
	RawBytes    int64 // compressed bytes budget; default 256 MiB; < 0 disables
	Reads       int   // reads in flight at once; default 4
	Decoders    int   // decodes at once; default one per core
	Preload     int   // read-ahead depth; 0 adapts it to the measured load time and step rate
	Limits      Limits

	// Deliver receives the result of a load that Show could not answer at
	// once, only while that frame is still the latest asked for. It runs on
	// a loader goroutine: a UI applies it with fyne.Do.
	Deliver func(Result)
	// Changed is told (on a loader goroutine, without locks held) that the
	// state of some frame changed: cached, evicted, loading, failed.
	Changed func()
}

func (c Config) withDefaults() Config {
	if c.CacheFrames <= 0 {
		c.CacheFrames = 10
	}
	if c.CacheBytes <= 0 {
		c.CacheBytes = 512 << 20
	}
	if c.RawBytes == 0 {
		c.RawBytes = 256 << 20
	}
	if c.Reads <= 0 {
		c.Reads = 4
	}
	if c.Decoders <= 0 {
		c.Decoders = runtime.NumCPU()
	}
	if c.Limits == (Limits{}) {
		c.Limits = DefaultLimits
	}
	if c.Deliver == nil {
		c.Deliver = func(Result) {}
	}
	if c.Changed == nil {
		c.Changed = func() {}
	}
	return c
}

// State is what the Service has of one frame.
type State uint8

const (
	StateNone    State = iota // nothing in memory
	StateBytes                // compressed bytes cached
	StateDecoded              // decoded and ready
	StateLoading              // being read or decoded
	StateFailed               // the last load failed
)

// retryAfter is how long a failed frame stays failed before it is read
// again: long enough not to hammer a broken file, short enough that a frame
// a renderer was still writing shows once it is whole.
const retryAfter = 2 * time.Second

// chunkSize is how much one Read asks for; cancellation is checked between
// chunks, so it bounds how long a cancelled read keeps a reader busy.
const chunkSize = 1 << 20

// Service loads the frames of one sequence in the background. Its methods
// are safe for concurrent use and never block on I/O or decoding.
//
// Everything it holds is keyed by file name, so the sequence can change
// under it (frames added or removed by a renderer, or the listing arriving
// after the first frame) without losing what is cached or in flight.
type Service struct {
	fsys   fs.FS
	cfg    Config
	frames *cache.Cache[string, *Decoded] // by file name
	raw    *cache.Cache[string, []byte]   // by file name
	wg     sync.WaitGroup

	mu       sync.Mutex // guards the fields below
	work     *sync.Cond // on mu: signalled when the plan or the work in flight changes
	closed   bool
	seq      *Sequence
	latest   int      // index of the frame asked for last; -1 before the first Show
	dir      int      // +1 or -1: the direction of the last step
	playing  bool     // playback is on: read-ahead as deep as the cache allows
	loop     bool     // read-ahead wraps around the ends (looping playback)
	alone    bool     // decode only the latest request until it is ready
	plan     []string // frames wanted in memory, most urgent first; plan[0] is the latest
	reading  map[string]*job
	decoding map[string]*job
	read     map[string]readBytes // read and not yet decoded (kept even when too large for raw)
	failed   map[string]failure
	viewW    int
	viewH    int
	lastShow time.Time
	calm     time.Time // read-ahead starts no earlier: the window is painting a frame just shown
	step     ewma      // seconds between steps
	load     ewma      // seconds to read and decode one frame
}

type job struct {
	ctx    context.Context
	cancel context.CancelFunc
}

type readBytes struct {
	data []byte
	took time.Duration
}

type failure struct {
	err   error
	until time.Time // not retried before then
}

// ErrBeingWritten marks a frame that failed to decode while its file was
// still changing: a renderer is writing it. It is retried, never kept as
// broken.
var ErrBeingWritten = errors.New("still being written")

// writingRetry is how soon a frame being written is read again.
const writingRetry = 500 * time.Millisecond

// NewService starts the loader for seq, read through fsys. Close stops it.
func NewService(fsys fs.FS, seq *Sequence, cfg Config) *Service {
	cfg = cfg.withDefaults()
	s := &Service{
		fsys:     fsys,
		seq:      seq,
		cfg:      cfg,
		frames:   cache.New[string, *Decoded](cfg.CacheFrames, cfg.CacheBytes, (*Decoded).Bytes),
		raw:      cache.New[string, []byte](0, max(cfg.RawBytes, 1), func(b []byte) int64 { return int64(len(b)) }),
		latest:   -1,
		dir:      1,
		reading:  map[string]*job{},
		decoding: map[string]*job{},
		read:     map[string]readBytes{},
		failed:   map[string]failure{},
	}
	s.work = sync.NewCond(&s.mu)
	// The two caches are exclusive: a file's bytes live with its decoded
	// frame and move to the bytes cache when the frame is evicted, so the
	// bytes budget holds only frames that are not decoded, and going back
	// 40 frames of 4K fits in the default 256 MB.
	s.frames.OnChange(func(changes []cache.Change[string, *Decoded]) {
		for _, c := range changes {
			if !c.Present && c.Value.file != nil {
				s.raw.Add(c.Key, c.Value.file)
			}
		}
		cfg.Changed()
	})
	s.raw.OnChange(func([]cache.Change[string, []byte]) { cfg.Changed() })
	for range cfg.Reads {
		s.wg.Go(s.reader)
	}
	for range cfg.Decoders {
		s.wg.Go(s.decoder)
	}
	return s
}

// Sequence returns the sequence the service loads.
func (s *Service) Sequence() *Sequence {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// SetSequence replaces the sequence, e.g. when frames were added to or
// removed from the folder, and returns the new index of the latest request
// (the same file, or the nearest frame by number if it is gone; -1 before
// the first Show). Cached frames of files still in the sequence stay cached.
func (s *Service) SetSequence(seq *Sequence) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.latest >= 0 {
		old := s.seq.Frames[s.latest]
		s.latest = seq.Index(old.Name)
		if s.latest < 0 {
			s.latest = seq.Nearest(old.Number)
		}
	}
	s.seq = seq
	if s.latest >= 0 {
		s.replan()
	}
	s.work.Broadcast()
	return s.latest
}

// SetPlaying tells the service whether playback is on. While it is, every
// frame ahead will be shown in turn, so read-ahead goes as deep as the
// cache allows from the first frame instead of growing with the measured
// pace: the steps before playback (or the pause before it) said nothing
// of its rate, and a shallow start left the decoders idle while frames
// were read. With loop, read-ahead wraps around the ends of the sequence,
// so the first frames are ready when the last one plays.
func (s *Service) SetPlaying(on, loop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.playing, s.loop = on, on && loop
	if s.latest >= 0 {
		s.replan()
		s.work.Broadcast()
	}
}

// Invalidate forgets everything about the file name (it changed on disk):
// its next Show reads it again.
func (s *Service) Invalidate(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range []map[string]*job{s.reading, s.decoding} {
		if jb := m[name]; jb != nil {
			jb.cancel()
		}
	}
	delete(s.read, name)
	delete(s.failed, name)
	s.frames.Remove(name)
	s.raw.Remove(name)
	s.work.Broadcast()
}

// Close cancels all work and waits for the loader's goroutines to end.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	s.plan = nil
	s.cancelUnplanned()
	s.work.Broadcast()
	s.mu.Unlock()
	s.wg.Wait()
}

// SetViewSize tells the service the size in pixels of the area frames are
// shown in, so frames are scaled down to it on a worker. 0×0 means full size.
func (s *Service) SetViewSize(w, h int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.viewW == w && s.viewH == h {
		return
	}
	s.viewW, s.viewH = w, h
	s.work.Broadcast() // cached frames of the plan need a new view copy
}

// Show asks for frame i and makes it the latest request. If the frame is in
// memory (decoded, or failed a moment ago) it returns the result and true
// at once; otherwise it starts or joins the frame's load, and Config.Deliver
// gets the result later if i is then still the latest request. Either way,
// read-ahead moves to follow i, and work for frames no longer wanted stops.
//
// A cached frame made for another view size is returned as it is and a copy
// for the new size is delivered when ready.
func (s *Service) Show(i int) (Result, bool) {
	s.mu.Lock()
	if i < 0 || i >= s.seq.Len() {
		n := s.seq.Len()
		s.mu.Unlock()
		return Result{Index: i, Err: fmt.Errorf("loader: no frame %d in a sequence of %d", i, n)}, true
	}
	now := time.Now()
	if s.latest >= 0 && i != s.latest {
		d := i - s.latest
		// A step (or a scrub) sets the direction and the pace; a jump
		// (Page Down and beyond: past the read-ahead) keeps the direction
		// the person was going.
		jump := d <= -10 || d >= 10
		if !jump {
			s.dir = 1
			if d < 0 {
				s.dir = -1
			}
			s.step.add(min(now.Sub(s.lastShow), 2*time.Second).Seconds())
		}
		// Asking for a frame before the last one was ready (a held key,
		// a scrub) or jumping away means frames near the old position
		// will not be looked at: until this one is ready, it alone is
		// decoded, with every core the machine can spare.
		s.alone = jump || !s.frames.Contains(s.seq.Frames[s.latest].Name)
	}
	s.latest, s.lastShow = i, now
	if s.frames.Contains(s.seq.Frames[i].Name) {
		s.alone = false // ready already
	}
	s.replan()
	s.work.Broadcast()
	name := s.seq.Frames[i].Name
	res, ok := Result{Index: i, Name: name}, false
	if f, hit := s.frames.Get(name); hit {
		res.Frame, ok = f, true
		// A step to a frame read ahead is painted at once; read-ahead
		// the step sets off waits for that paint rather than take the
		// cores from it (with software GL the paint itself runs on
		// them). Work already under way goes on: playback keeps its pace.
		if s.busy(s.reading)+s.busy(s.decoding) == 0 {
			s.calm = now.Add(paintGrace)
			time.AfterFunc(paintGrace, s.wake)
		}
	} else if fl, bad := s.failed[name]; bad && now.Before(fl.until) && !errors.Is(fl.err, ErrBeingWritten) {
		res.Err, ok = fl.err, true
	}
	s.mu.Unlock()
	s.cfg.Changed()
	return res, ok
}

// State returns what the service has of frame i.
func (s *Service) State(i int) State {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < 0 || i >= s.seq.Len() {
		return StateNone
	}
	name := s.seq.Frames[i].Name
	_, read := s.read[name]
	switch {
	case s.frames.Contains(name):
		return StateDecoded
	case s.reading[name] != nil || s.decoding[name] != nil || errors.Is(s.failed[name].err, ErrBeingWritten):
		return StateLoading
	case s.failed[name].err != nil:
		return StateFailed
	case s.raw.Contains(name) || read:
		return StateBytes
	}
	return StateNone
}

// States returns the state of every frame, for a timeline. It costs one
// pass over the caches' keys, not a lookup per frame, so a 100,000-frame
// timeline can be refreshed as often as frames arrive.
func (s *Service) States() []State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := make([]State, s.seq.Len())
	mark := func(name string, v State) {
		if i := s.seq.Index(name); i >= 0 {
			st[i] = v
		}
	}
	for _, name := range s.raw.Keys() {
		mark(name, StateBytes)
	}
	for name := range s.read {
		mark(name, StateBytes)
	}
	for name, f := range s.failed {
		if errors.Is(f.err, ErrBeingWritten) {
			mark(name, StateLoading) // retried until whole
		} else {
			mark(name, StateFailed)
		}
	}
	for _, m := range []map[string]*job{s.reading, s.decoding} {
		for name := range m {
			mark(name, StateLoading)
		}
	}
	for _, name := range s.frames.Keys() {
		mark(name, StateDecoded)
	}
	return st
}

// Stats describes the caches and the read-ahead, for an info overlay.
type Stats struct {
	Frames, Raw cache.Stats
	FramesMax   int
	Depth       int           // current read-ahead depth
	Load        time.Duration // measured time to read and decode a frame
	Step        time.Duration // measured time between steps
}

// Stats returns the current figures.
func (s *Service) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Frames: s.frames.Stats(), Raw: s.raw.Stats(), FramesMax: s.cfg.CacheFrames,
		Depth: s.depth(), Load: s.load.duration(), Step: s.step.duration(),
	}
}

// depth is how many frames ahead to keep ready: enough to cover one load
// at the person's pace, and never so many that read-ahead evicts the frame
// one step behind (the cache holds it, the current frame and the depth).
func (s *Service) depth() int {
	limit := s.cfg.CacheFrames - 2
	if fb := s.frameBytes(); fb > 0 {
		limit = min(limit, int(s.cfg.CacheBytes/fb)-2)
	}
	d := s.cfg.Preload
	if d == 0 && s.playing {
		d = limit
	}
	if d == 0 {
		d = 2
		if step, load := s.step.value(), s.load.value(); step > 0 && load > 0 {
			d = max(d, int(load/step)+2)
		}
	}
	return max(min(d, limit), 1)
}

// frameBytes is the memory of the most recently cached frame, 0 if none.
func (s *Service) frameBytes() int64 {
	keys := s.frames.Keys()
	if len(keys) == 0 {
		return 0
	}
	f, _ := s.frames.Peek(keys[len(keys)-1])
	if f == nil {
		return 0
	}
	return f.Bytes()
}

// replan sets the frames wanted around latest and cancels work on the
// others. The caller holds mu.
func (s *Service) replan() {
	n, i, depth := s.seq.Len(), s.latest, s.depth()
	plan := append(s.plan[:0], s.seq.Frames[i].Name)
	// frame returns the index k steps from i in direction d: past the ends
	// it wraps when looping, else there is none.
	frame := func(k, d int) (int, bool) {
		j := i + k*d
		if s.loop {
			j = ((j % n) + n) % n
		}
		return j, j >= 0 && j < n && j != i
	}
	add := func(j int) {
		if name := s.seq.Frames[j].Name; !slices.Contains(plan, name) {
			plan = append(plan, name)
		}
	}
	k := 1
	for ; k <= depth; k++ {
		j, ok := frame(k, s.dir)
		if !ok {
			break
		}
		add(j)
	}
	// Then the frame one step behind, or near the end of the sequence,
	// where less lies ahead, as many behind as the depth leaves over.
	behind := depth - (k - 1) + 1
	for k := 1; k <= behind; k++ {
		j, ok := frame(k, -s.dir)
		if !ok {
			break
		}
		add(j)
	}
	s.plan = plan
	s.cancelUnplanned()
	if s.alone {
		for name, jb := range s.decoding {
			if name != plan[0] {
				jb.cancel()
			}
		}
	}
	for name := range s.read {
		if !slices.Contains(plan, name) {
			s.raw.Add(name, s.read[name].data) // kept if they fit
			delete(s.read, name)
		}
	}
	// The frame asked for now goes first: if it must be read and every
	// reader is busy, stop the least urgent read.
	if s.needsRead(plan[0]) && s.busy(s.reading) >= s.cfg.Reads {
		s.preempt(s.reading)
	}
	if s.needsDecode(plan[0]) && s.busy(s.decoding) >= s.cfg.Decoders {
		s.preempt(s.decoding)
	}
}

// cancelUnplanned stops work on frames the plan no longer holds, except
// frames within the read-ahead depth on either side of the latest: a
// person flicking between two frames reverses the plan at every flick,
// and cancelling the frame ahead each time restarted its decode at every
// flick and never finished it, taking a core from each repaint. Such work
// is last in line, and is preempted first when the latest needs a worker.
// The caller holds mu.
func (s *Service) cancelUnplanned() {
	depth := -1 // nothing is near once closed, or while the latest decodes alone
	if !s.closed && !s.alone && s.latest >= 0 {
		depth = s.depth()
	}
	for _, m := range []map[string]*job{s.reading, s.decoding} {
		for name, jb := range m {
			if slices.Contains(s.plan, name) {
				continue
			}
			if i := s.seq.Index(name); i < 0 || depth < 0 || max(i-s.latest, s.latest-i) > depth {
				jb.cancel()
			}
		}
	}
}

// busy counts the jobs of m not yet cancelled.
func (s *Service) busy(m map[string]*job) int {
	n := 0
	for _, jb := range m {
		if jb.ctx.Err() == nil {
			n++
		}
	}
	return n
}

// preempt cancels the live job of m that comes last in the plan, unless
// that is the latest request itself.
func (s *Service) preempt(m map[string]*job) {
	worst, at := "", 0
	for name, jb := range m {
		if jb.ctx.Err() != nil {
			continue
		}
		p := slices.Index(s.plan, name)
		if p < 0 {
			p = len(s.plan)
		}
		if p > at {
			worst, at = name, p
		}
	}
	if at > 0 {
		m[worst].cancel()
	}
}

// held reports whether name failed and may not be retried yet.
func (s *Service) held(name string) bool {
	f, ok := s.failed[name]
	return ok && time.Now().Before(f.until)
}

// paintGrace is how long read-ahead waits after a step to a frame in
// memory: the wait for Fyne's next 60 Hz paint, the paint in software GL
// and the swap. make bench-ui, 4K local, read-ahead step median: no wait
// 29–31 ms, 25 ms 27 ms, 50 ms 17–23 ms (cached steps 16–20 ms in the
// same runs); 300 ms overlaps the next step at a person's pace, 27 ms.
const paintGrace = 50 * time.Millisecond

// wake has the loader's goroutines look at the plan again.
func (s *Service) wake() {
	s.mu.Lock()
	s.work.Broadcast()
	s.mu.Unlock()
}

// calming reports whether name must wait for the paint of a frame just
// shown: it is read-ahead, and the grace has not passed.
func (s *Service) calming(name string) bool {
	return name != s.plan[0] && time.Now().Before(s.calm)
}

// needsRead reports whether the file has to be read from the share.
func (s *Service) needsRead(name string) bool {
	_, read := s.read[name]
	return s.reading[name] == nil && !read && !s.held(name) && !s.calming(name) &&
		!s.frames.Contains(name) && !s.raw.Contains(name)
}

// needsDecode reports whether the file can and must be decoded or
// rescaled now.
func (s *Service) needsDecode(name string) bool {
	if s.decoding[name] != nil || s.held(name) || s.calming(name) || (s.alone && name != s.plan[0]) {
		return false
	}
	if f, ok := s.frames.Peek(name); ok {
		return !f.fitsView(s.viewW, s.viewH)
	}
	_, read := s.read[name]
	return read || s.raw.Contains(name)
}

// next waits for the most urgent file of the plan that want says needs
// work, and marks it in flight in m. ok is false once the service is closed.
func (s *Service) next(want func(string) bool, m map[string]*job) (name string, jb *job, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.closed {
			return "", nil, false
		}
		for _, name := range s.plan {
			if want(name) {
				ctx, cancel := context.WithCancel(context.Background())
				jb := &job{ctx, cancel}
				m[name] = jb
				return name, jb, true
			}
		}
		s.work.Wait()
	}
}

// finish ends job jb of name in m and reports whether it was cancelled.
// The caller holds mu.
func (s *Service) finish(m map[string]*job, name string, jb *job) (cancelled bool) {
	if m[name] == jb {
		delete(m, name)
	}
	cancelled = jb.ctx.Err() != nil
	jb.cancel() // releases the context's resources
	s.work.Broadcast()
	return cancelled
}

func (s *Service) reader() {
	for {
		name, jb, ok := s.next(s.needsRead, s.reading)
		if !ok {
			return
		}
		start := time.Now()
		data, err := s.readFile(jb.ctx, name)
		took := time.Since(start)
		s.mu.Lock()
		var res *Result
		switch cancelled := s.finish(s.reading, name, jb); {
		case cancelled:
			// The frame was left or preempted; it is planned again if still wanted.
		case err != nil:
			res = s.fail(name, err, retryAfter)
		default:
			s.read[name] = readBytes{data, took}
			// The frame asked for now can be decoded: if every decoder
			// is busy with read-ahead, stop the least urgent.
			if len(s.plan) > 0 && name == s.plan[0] && s.busy(s.decoding) >= s.cfg.Decoders {
				s.preempt(s.decoding)
			}
		}
		s.mu.Unlock()
		s.report(res)
	}
}

func (s *Service) decoder() {
	for {
		name, jb, ok := s.next(s.needsDecode, s.decoding)
		if !ok {
			return
		}
		s.mu.Lock()
		rb, full := s.read[name], (*image.RGBA)(nil)
		old, cached := s.frames.Peek(name)
		if cached {
			full, rb = old.Full, readBytes{}
		} else if rb.data == nil {
			rb.data, _ = s.raw.Peek(name)
		}
		vw, vh := s.viewW, s.viewH
		s.mu.Unlock()

		start := time.Now()
		var err error
		if full == nil {
			full, err = DecodeContext(jb.ctx, rb.data, s.cfg.Limits)
		}
		var f *Decoded
		switch {
		case err == nil && cached: // a new view copy of a cached frame
			f = &Decoded{}
			*f = *old
			f.View = ScaleToFit(full, vw, vh)
		case err == nil:
			f = &Decoded{Name: name, Full: full, View: ScaleToFit(full, vw, vh), FileBytes: int64(len(rb.data)),
				Format: describe(rb.data), ReadTime: rb.took, DecodeTime: time.Since(start), file: rb.data}
		case jb.ctx.Err() == nil:
			err = s.explain(name, rb.data, err)
		}

		s.mu.Lock()
		var res *Result
		switch cancelled := s.finish(s.decoding, name, jb); {
		case cancelled:
		case err != nil:
			delete(s.read, name)
			s.raw.Remove(name) // bytes that do not decode are not worth keeping
			retry := retryAfter
			if errors.Is(err, ErrBeingWritten) {
				retry = writingRetry
			}
			res = s.fail(name, err, retry)
		default:
			delete(s.read, name)
			delete(s.failed, name)
			s.raw.Remove(name) // the bytes now live with the frame
			if rb.took > 0 {   // a load from the share: the cost read-ahead must cover
				s.load.add((rb.took + f.DecodeTime).Seconds())
			}
			if !s.frames.Add(name, f) && f.file != nil { // larger than the decoded budget
				s.raw.Add(name, f.file)
			}
			if i := s.latest; i >= 0 && s.seq.Frames[i].Name == name {
				f.Index = i
				res = &Result{Index: i, Name: name, Frame: f}
				s.alone = false // read-ahead may decode again
			}
		}
		s.mu.Unlock()
		s.report(res)
	}
}

// explain turns a decode error into the message shown: which file and why,
// and whether the file is still being written (its size differs from the
// bytes read, or it changed in the last few seconds), which is retried.
func (s *Service) explain(name string, data []byte, err error) error {
	info, serr := fs.Stat(s.fsys, path.Join(s.seq.Dir, name))
	return &FrameError{Name: name, Err: err, Gone: serr != nil,
		Writing: serr == nil && (info.Size() != int64(len(data)) || time.Since(info.ModTime()) < 3*time.Second)}
}

// FrameError says which frame could not be decoded and why.
type FrameError struct {
	Name    string
	Err     error
	Writing bool // the file was still changing: errors.Is(err, ErrBeingWritten)
	Gone    bool // the file has gone since it was read
}

func (e *FrameError) Error() string {
	why := strings.TrimPrefix(e.Err.Error(), "loader: ")
	if strings.Contains(why, "not enough pixel data") || strings.Contains(why, "unexpected EOF") {
		why = "the file ends early, truncated or cut off (" + why + ")"
	}
	msg := "loader: " + e.Name + ": " + why
	switch {
	case e.Writing:
		msg += " (" + ErrBeingWritten.Error() + ")"
	case e.Gone:
		msg += " (and it is gone now)"
	}
	return msg
}

func (e *FrameError) Unwrap() []error {
	if e.Writing {
		return []error{ErrBeingWritten, e.Err}
	}
	return []error{e.Err}
}

// fail records that name could not be loaded, not to be tried again for
// retry, and returns the result to deliver if it is the latest request. The
// caller holds mu.
func (s *Service) fail(name string, err error, retry time.Duration) *Result {
	s.failed[name] = failure{err, time.Now().Add(retry)}
	// Wake the workers when the frame may be tried again, so a frame being
	// written shows as soon as it is whole, without a key press.
	time.AfterFunc(retry, func() {
		s.mu.Lock()
		s.work.Broadcast()
		s.mu.Unlock()
	})
	if i := s.latest; i >= 0 && s.seq.Frames[i].Name == name {
		s.alone = false // nothing to wait for: read-ahead may decode again
		return &Result{Index: i, Name: name, Err: err}
	}
	return nil
}

// report delivers res, if any, and tells of the state change.
func (s *Service) report(res *Result) {
	if res != nil {
		s.cfg.Deliver(*res)
	}
	s.cfg.Changed()
}

// readFile reads a file a chunk at a time. Between chunks it gives up once
// ctx is cancelled, and it pauses while the frame asked for now is being
// read, so that read has the share's whole bandwidth: on a held key or a
// jump the final frame arrives in one load time, not one per read in flight.
// Files are opened read-only through the fs.FS.
func (s *Service) readFile(ctx context.Context, name string) ([]byte, error) {
	s.mu.Lock()
	p := path.Join(s.seq.Dir, name)
	s.mu.Unlock()
	f, err := s.fsys.Open(p)
	if err != nil {
		return nil, fmt.Errorf("loader: %w", err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	buf := make([]byte, 0, size+1) // +1: reaching EOF takes no second allocation
	for {
		if err := s.yield(ctx, name); err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, chunkSize)
		}
		n, err := f.Read(buf[len(buf):min(cap(buf), len(buf)+chunkSize)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("loader: read %s: %w", p, err)
		}
	}
}

// yield waits while another file, the latest request, is being read, and
// returns ctx's error once ctx is cancelled.
func (s *Service) yield(ctx context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ctx.Err() == nil && len(s.plan) > 0 && s.plan[0] != name {
		jb := s.reading[s.plan[0]]
		if jb == nil || jb.ctx.Err() != nil {
			break
		}
		s.work.Wait() // every cancel and every end of a read broadcasts
	}
	return ctx.Err()
}

// describe names a file's format and pixel layout from its header.
func describe(data []byte) string {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return ""
	}
	var depth string
	switch cfg.ColorModel {
	case color.RGBAModel, color.NRGBAModel:
		depth = "8-bit RGBA"
	case color.RGBA64Model, color.NRGBA64Model:
		depth = "16-bit RGBA"
	case color.GrayModel:
		depth = "8-bit gray"
	case color.Gray16Model:
		depth = "16-bit gray"
	case color.YCbCrModel, color.NYCbCrAModel:
		depth = "8-bit YCbCr"
	case color.CMYKModel:
		depth = "8-bit CMYK"
	default:
		if p, ok := cfg.ColorModel.(color.Palette); ok {
			depth = fmt.Sprintf("palette of %d", len(p))
		}
	}
	if depth == "" {
		return format
	}
	return format + ", " + depth
}

// ewma is an exponentially weighted moving average; zero until the first
// sample.
type ewma struct {
	v float64
	n int
}

func (e *ewma) add(x float64) {
	e.n++
	if e.n == 1 {
		e.v = x
		return
	}
	e.v += 0.3 * (x - e.v)
}

func (e *ewma) value() float64 { return e.v }

func (e *ewma) duration() time.Duration { return time.Duration(e.v * float64(time.Second)) }
