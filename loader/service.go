package loader

import (
	"context"
	"image"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"seqview/cache"
	"seqview/cache/disk"
	"seqview/loader/decode"
	"seqview/loader/look"
)

// Config sets the caches, the parallelism and the read-ahead of a Service.
// Zero fields take the defaults.
type Config struct {
	CacheFrames int           // view frames always kept, whatever their size (a floor); default 10
	CacheBytes  int64         // view frames' budget: as many frames as it holds beyond the floor; default 512 MiB
	RawBytes    int64         // the files' bytes budget; default 128 MiB; < 0 keeps none
	Reads       int           // reads in flight at once; default 4
	Decoders    int           // decodes at once; default one per core
	Preload     int           // read-ahead depth; 0 adapts it to the measured load time and step rate
	Limits      decode.Limits // largest image accepted

	// Disk is a local copy of the files under the bytes cache: a frame is
	// looked for there (by its path, size and time on the share) before
	// the share is read, and copied there after it is decoded. nil: none.
	Disk *disk.Cache
	// DiskRoot is the folder of the fs.FS on this machine, an absolute
	// path: with a frame's path in the fs.FS it names the frame in Disk.
	DiskRoot string

	// Deliver receives the result of a load that Show could not answer at
	// once, only while that frame is still the latest asked for; and again
	// when a better frame for it is ready (a view of the new view size, or
	// the full-resolution frame). See the package doc for its goroutine.
	Deliver func(Result)
	// Changed is told that the state of some frame changed: cached,
	// evicted, loading, failed. See the package doc for its goroutine.
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
		c.RawBytes = 128 << 20
	}
	if c.Reads <= 0 {
		c.Reads = 4
	}
	if c.Decoders <= 0 {
		c.Decoders = runtime.NumCPU()
	}
	if c.Deliver == nil {
		c.Deliver = func(Result) {}
	}
	if c.Changed == nil {
		c.Changed = func() {}
	}
	return c
}

// fullFrames is how many full-resolution frames are kept: the one shown and
// the next one, while the person looks at pixels rather than at the view.
const fullFrames = 2

// Service loads the frames of one sequence in the background. Its methods
// are safe for concurrent use and never block on I/O or decoding; the
// package doc says which lock guards what and where callbacks run.
//
// Everything it holds is keyed by file name, so the sequence can change
// under it (frames added or removed by a renderer, or the listing arriving
// after the first frame) without losing what is cached or in flight.
type Service struct {
	fsys  fs.FS
	cfg   Config
	views *cache.Cache[string, *Decoded]      // by file name
	raw   *cache.Cache[string, []byte]        // by file name
	fulls *cache.Cache[string, *decode.Image] // by file name
	// fullLooks are full frames adjusted to a look, by viewKeyLocked.
	fullLooks *cache.Cache[string, *image.RGBA]
	stop      chan struct{}  // closed by Close: ends the watchdog
	decoders  sync.WaitGroup // the decoders and the courier: Close waits for them
	all       sync.WaitGroup // every goroutine, readers stuck in I/O included
	done      chan struct{}  // closed once all is done

	mu       sync.Mutex // guards the fields below
	work     *sync.Cond // on mu: the plan, the jobs or the view size changed
	post     *sync.Cond // on mu: the outbox has something for the courier
	closed   bool
	seq      *Sequence
	plan     plan
	order    []string       // plan.order() as file names; order[0] is the latest
	rank     map[string]int // position in order by name
	playing  bool           // playback is on: read-ahead as deep as the cache allows
	alone    bool           // decode only the latest request until it is ready
	fullSize bool           // frames shown need their full resolution (zoomed in)
	look     look.Look      // how frames are looked at (SetLook)
	jobs     map[task]*job
	read     map[string]readBytes // read and not yet decoded (kept even when the bytes cache cannot hold them)
	failed   map[string]failure
	viewW    int
	viewH    int
	lastShow time.Time
	calm     time.Time // read-ahead starts no earlier: the window is painting a frame just shown
	pace     pace
	stuck    int             // readers given up on by the watchdog and still blocked in the file system
	onDisk   map[string]bool // frames with a copy in Config.Disk, as far as this service knows
	keep     keepLocal       // copying the whole sequence to Config.Disk
	outbox   []Result        // results for Deliver, in order
	changed  bool            // Changed is due
}

type readBytes struct {
	data []byte
	took time.Duration
	from Source
	key  disk.Key // the file as the share described it before the read; Path "" without Config.Disk
}

type failure struct {
	err   *FrameError
	until time.Time // not retried before then
}

// NewService starts the loader for seq, read through fsys. Close stops it.
func NewService(fsys fs.FS, seq *Sequence, cfg Config) *Service {
	cfg = cfg.withDefaults()
	s := &Service{
		fsys:  fsys,
		cfg:   cfg,
		views: cache.New[string, *Decoded](cache.Limits{MinEntries: cfg.CacheFrames, MaxBytes: cfg.CacheBytes}, (*Decoded).Bytes),
		raw:   cache.New[string, []byte](cache.Limits{MaxBytes: max(cfg.RawBytes, 1)}, func(b []byte) int64 { return int64(len(b)) }),
		fulls: cache.New[string, *decode.Image](cache.Limits{MaxEntries: fullFrames}, (*decode.Image).Bytes),
		fullLooks: cache.New[string, *image.RGBA](cache.Limits{MaxEntries: fullFrames},
			func(m *image.RGBA) int64 { return int64(len(m.Pix)) }),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
		seq:    seq,
		plan:   plan{n: seq.Len(), latest: -1, dir: 1},
		jobs:   map[task]*job{},
		read:   map[string]readBytes{},
		failed: map[string]failure{},
		onDisk: map[string]bool{},
	}
	s.work = sync.NewCond(&s.mu)
	s.post = sync.NewCond(&s.mu)
	for range cfg.Reads {
		s.all.Go(s.reader)
	}
	for _, f := range []func(){s.courier, s.watchdog} {
		s.decoders.Add(1)
		s.all.Go(func() { defer s.decoders.Done(); f() })
	}
	for range cfg.Decoders {
		s.decoders.Add(1)
		s.all.Go(func() { defer s.decoders.Done(); s.decoder() })
	}
	go func() { s.all.Wait(); close(s.done) }()
	if cfg.Disk != nil {
		s.all.Go(func() { s.learnDisk(seq) })
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
// the first Show or when seq is empty). Cached frames of files still in
// the sequence stay cached.
func (s *Service) SetSequence(seq *Sequence) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.plan.latest; i >= 0 {
		old := s.seq.Frames[i]
		s.plan.latest = seq.Index(old.Name)
		if s.plan.latest < 0 {
			s.plan.latest = seq.Nearest(old.Number)
		}
	}
	s.seq, s.plan.n = seq, seq.Len()
	s.replanLocked()
	s.changedLocked()
	if s.cfg.Disk != nil {
		s.all.Go(func() { s.learnDisk(seq) })
	}
	return s.plan.latest
}

// SetPlaying tells the service whether playback is on. While it is, every
// frame ahead will be shown in turn, so read-ahead goes as deep as the
// cache allows from the first frame. With loop, read-ahead wraps around
// the ends of the sequence, so the first frames are ready when the last
// one plays.
func (s *Service) SetPlaying(on, loop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.playing, s.plan.loop = on, on && loop
	s.replanLocked()
}

// SetFullSize tells the service whether the frames shown are looked at
// beyond their view size (zoomed in, or their pixels read). While on, the
// frame asked for last and the next one are also decoded at full
// resolution, after their view frames; Show returns them with Full set
// once ready, and Deliver brings the frame again when its Full arrives.
// Turning it off drops the full-resolution frames.
func (s *Service) SetFullSize(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on == s.fullSize {
		return
	}
	s.fullSize = on
	if !on {
		s.fulls.Purge()
		s.fullLooks.Purge()
	}
	s.replanLocked()
	s.changedLocked()
}

// SetViewSize tells the service the size in pixels of the area frames are
// shown in; frames are decoded to fit it. 0×0 means full size. Frames made
// for another size are still returned by Show (a window being resized goes
// on showing them, scaled) while new ones are made, latest first.
func (s *Service) SetViewSize(w, h int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.viewW == w && s.viewH == h {
		return
	}
	s.viewW, s.viewH = w, h
	s.work.Broadcast()
}

// Invalidate forgets everything about the file name (it changed on disk):
// its next Show reads it again.
func (s *Service) Invalidate(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, jb := range s.jobs {
		if t.name == name {
			jb.cancel()
		}
	}
	delete(s.read, name)
	delete(s.failed, name)
	for _, k := range s.views.Keys() {
		if k == name || strings.HasPrefix(k, name+"\x00") {
			s.views.Remove(k)
		}
	}
	for _, k := range s.fullLooks.Keys() {
		if strings.HasPrefix(k, name+"\x00") {
			s.fullLooks.Remove(k)
		}
	}
	s.raw.Remove(name)
	s.fulls.Remove(name)
	s.work.Broadcast()
	s.changedLocked()
}

// Close cancels all work and stops the service: no callback runs once it
// returns. It waits for the decoders, which stop within a few rows, but not
// for reads blocked in the file system, which a dead share may never
// answer: they are abandoned and end when their read returns (see Done).
func (s *Service) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.order, s.rank, s.outbox, s.changed = nil, nil, nil, false
	for _, jb := range s.jobs {
		jb.cancel()
	}
	s.work.Broadcast()
	s.post.Broadcast()
	s.mu.Unlock()
	close(s.stop)
	s.decoders.Wait()
}

// Done is closed once every goroutine of a closed service has ended,
// readers included.
func (s *Service) Done() <-chan struct{} { return s.done }

// paintGrace is how long read-ahead waits after a step to a frame in
// memory: the wait for Fyne's next paint, the paint in software GL and the
// swap, which would otherwise compete with a fresh decode for the cores.
const paintGrace = 50 * time.Millisecond

// Show asks for frame i and makes it the latest request. If the frame is in
// memory (decoded, or failed a moment ago) it returns the result and true
// at once; otherwise it starts or joins the frame's load, and Config.Deliver
// gets the result later if i is then still the latest request. Either way,
// read-ahead moves to follow i, and work for frames no longer wanted stops.
//
// A frame made for another view size is returned as it is, and one of the
// new size is delivered when ready.
func (s *Service) Show(i int) (Result, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.seq.Len(); i < 0 || i >= n {
		return Result{Index: i, Err: outOfRange(i, n)}, true
	}
	now := time.Now()
	if latest := s.plan.latest; latest >= 0 && i != latest {
		dir, jump := s.plan.step(i)
		if !jump {
			s.pace.addStep(now.Sub(s.lastShow))
		}
		s.plan.dir = dir
		// Asking for a frame before the last one was ready (a held key,
		// a scrub) or jumping away means frames near the old position
		// will not be looked at: until this one is ready, it alone is
		// decoded, with every core the machine can spare.
		s.alone = jump || !s.views.Contains(s.seq.Frames[latest].Name)
	}
	s.plan.latest, s.lastShow = i, now
	name := s.seq.Frames[i].Name
	if s.views.Contains(name) {
		s.alone = false // ready already
	}
	s.replanLocked()
	s.changedLocked()
	res := Result{Index: i, Name: name}
	if f, hit := s.views.Get(s.viewKeyLocked(name)); hit {
		// A step to a frame read ahead is painted at once; read-ahead
		// the step sets off waits for that paint rather than take the
		// cores from it (with software GL the paint itself runs on
		// them). Work already under way goes on: playback keeps its pace.
		if len(s.jobs) == 0 {
			s.calm = now.Add(paintGrace)
			time.AfterFunc(paintGrace, s.wake)
		}
		res.Frame = s.frameLocked(name, f)
		return res, true
	}
	if fl, bad := s.failed[name]; bad && now.Before(fl.until) && fl.err.Reason != BeingWritten {
		res.Err = fl.err
		return res, true
	}
	return res, false
}

// frameLocked is the cached view frame f of name as Show hands it out: with
// its full-resolution frame while those are wanted and it is ready (and,
// under a look, the full frame adjusted to it once that is ready).
func (s *Service) frameLocked(name string, f *Decoded) *Decoded {
	if !s.fullSize {
		return f
	}
	full, ok := s.fulls.Peek(name)
	if !ok {
		return f
	}
	fullView := full.RGBA
	if !s.look.IsNeutral() {
		fullView, _ = s.fullLooks.Peek(s.viewKeyLocked(name))
	}
	return f.withFull(full, fullView)
}

// changedLocked has the courier tell Config.Changed.
func (s *Service) changedLocked() {
	if !s.closed {
		s.changed = true
		s.post.Signal()
	}
}

// deliverLocked has the courier give r to Config.Deliver.
func (s *Service) deliverLocked(r Result) {
	if !s.closed {
		s.outbox = append(s.outbox, r)
		s.post.Signal()
	}
}

// courier sends the outbox to the callbacks, in order, without the lock.
func (s *Service) courier() {
	s.mu.Lock()
	for {
		for !s.closed && len(s.outbox) == 0 && !s.changed {
			s.post.Wait()
		}
		if s.closed {
			s.mu.Unlock()
			return
		}
		out, changed := s.outbox, s.changed
		s.outbox, s.changed = nil, false
		s.mu.Unlock()
		for _, r := range out {
			s.cfg.Deliver(r)
		}
		if changed {
			s.cfg.Changed()
		}
		s.mu.Lock()
	}
}

// wake has the workers look at the plan again.
func (s *Service) wake() {
	s.mu.Lock()
	s.work.Broadcast()
	s.mu.Unlock()
}

// latestLocked reports whether name is the frame asked for last.
func (s *Service) latestLocked(name string) bool {
	return len(s.order) > 0 && s.order[0] == name
}

// task is one piece of work on one file.
type task struct {
	name string
	kind taskKind
}

type taskKind uint8

// reads reports whether a reader does k (else a decoder does).
func (k taskKind) reads() bool { return k == readTask || k == keepTask }

const (
	readTask     taskKind = iota // share → bytes
	viewTask                     // bytes → view frame
	fullTask                     // bytes → full-resolution frame
	keepTask                     // share → local disk (Keep Sequence Local)
	lookTask                     // view frame → view frame adjusted to the look
	fullLookTask                 // full frame → full frame adjusted to the look (and a 16-bit frame's view)
)

// job is a task in flight.
type job struct {
	ctx    context.Context
	cancel context.CancelFunc
	path   string        // the file's path in fsys
	data   []byte        // decodes: the file's bytes
	took   time.Duration // decodes: how long the bytes took to read; 0 when they came from memory
	from   Source        // decodes: where the bytes came from
	base   *Decoded      // looks: the view frame to adjust
	full   *decode.Image // looks: the full frame to adjust
	look   look.Look     // looks: how
	key    disk.Key      // decodes: where a copy goes on local disk; Path "" for none
	vw, vh int           // view decodes: the view size to fit

	keep     bool         // a copy for Keep Sequence Local: it reads behind every planned read
	answered atomic.Int64 // reads: when the share last answered (Unix nanoseconds)
	// Reads given up on by the watchdog (guarded by Service.mu):
	paused    bool // yielding to the latest request's read, not waiting on the share
	abandoned bool // the frame is marked timed out; the result will be dropped
	replaced  bool // another reader took this one's place
}

func (jb *job) lastAnswer() time.Time { return time.Unix(0, jb.answered.Load()) }
