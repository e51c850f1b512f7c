// Package app wires seqview together: the window, its widgets, menus, keys,
// drag-and-drop and dialogs on one side, the loader service on the other.
//
// Everything here runs on Fyne's UI goroutine; results from the loader's
// goroutines arrive through fyne.Do, which applies the model change and the
// refresh together.
package app

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"seqview/assets"
	"seqview/loader"
	"seqview/viewer"
)

// ID is the application ID, the same as in FyneApp.toml.
const ID = "io.github.seqview"

// memoryHeadroomMB is the Go heap allowed beyond the caches' budgets:
// frames being read and decoded, the view-sized copies and Fyne's own. The
// limit is soft and 33 MB allocations overshoot it, so it is kept 50 MB
// under the budgets + 150 MB that RSS must stay within (make soak).
const memoryHeadroomMB = 100

// Options are the command line's settings.
type Options struct {
	Path        string  // folder or image file to open; "" for the demo
	CacheFrames int     // decoded frames kept
	CacheMB     int     // decoded bytes budget
	RawMB       int     // compressed bytes budget
	Preload     int     // read-ahead depth, 0 = adaptive
	FPS         float64 // playback rate
}

// AddFlags defines the command line's flags on set, with their defaults,
// to fill o when set is parsed. The folder or file is set's first argument.
func (o *Options) AddFlags(set *flag.FlagSet) {
	set.IntVar(&o.CacheFrames, "cache", 10, "decoded frames kept in memory")
	set.IntVar(&o.CacheMB, "cache-mb", 512, "memory budget for decoded frames, in MB")
	set.IntVar(&o.RawMB, "raw-mb", 256, "memory budget for the files' compressed bytes, in MB (0 = off)")
	set.IntVar(&o.Preload, "preload", 0, "frames to read ahead (0 = adapt to load time and pace)")
	set.Float64Var(&o.FPS, "fps", 24, "playback rate in frames per second")
}

// Run opens the window and returns when it is closed.
func Run(opts Options) {
	// Decoded 4K frames are 33 MB each: left to GOGC alone the heap may
	// grow to twice the caches before a collection. A soft limit of the
	// budgets plus room for frames in flight and Fyne keeps memory near
	// what the person chose.
	debug.SetMemoryLimit(int64(opts.CacheMB+max(opts.RawMB, 0)+memoryHeadroomMB) << 20)
	a := fyneapp.NewWithID(ID)
	a.SetIcon(assets.Icon)
	a.Settings().SetTheme(darkTheme{theme.DefaultTheme()})
	u := newUI(a, opts)
	if opts.Path == "" {
		u.reopenLast()
	} else {
		u.openPath(opts.Path)
	}
	a.Lifecycle().SetOnStopped(u.saveLastFrame)
	u.win.ShowAndRun()
	u.closeService()
}

// ui is the window and its state. Its fields are used on the UI goroutine
// only, except where a comment says otherwise.
type ui struct {
	opts Options
	app  fyne.App
	win  fyne.Window
	do   func(func()) // fyne.Do; tests run the UI goroutine's queue themselves

	view     *viewer.FrameView
	timeline *viewer.Timeline
	status   *widget.Label
	playBtn  *viewer.IconButton
	controls *fyne.Container // timeline, buttons and status line: hidden in full screen

	svc       *loader.Service
	seqs      []*loader.Sequence
	seqIndex  int
	folder    string // shown in the status line; "" for the demo
	fsys      fs.FS
	index     int  // the frame shown or being loaded
	waiting   bool // index is not ready yet: the previous picture stays up
	shown     *loader.Decoded
	viewW     int
	viewH     int
	play      playback
	marksDue  atomic.Bool // a marks refresh is on its way (set from loader goroutines)
	infoOn    bool        // the info overlay is shown
	follow    bool        // follow newest: show the last frame as frames land
	stopWatch func()      // ends the watch of the open folder
	openToken int         // bumped per open, so a slow open that lost the race is dropped
}

// marksEvery is how often at most the timeline's marks follow the loader.
const marksEvery = 250 * time.Millisecond

func newUI(a fyne.App, opts Options) *ui {
	u := &ui{opts: opts, app: a, win: a.NewWindow("seqview"), do: fyne.Do}
	u.play.pending = -1
	u.play.fps = opts.FPS
	if u.play.fps <= 0 {
		u.play.fps = 24
	}
	u.view = viewer.NewFrameView()
	u.view.OnZoom = func(float64) {
		u.refreshInfo()
		if u.svc != nil {
			u.updateStatus()
		}
	}
	u.view.OnPixelSize = func(w, h int) {
		u.viewW, u.viewH = w, h
		if u.svc != nil {
			u.svc.SetViewSize(w, h)
		}
	}
	u.timeline = viewer.NewTimeline(0)
	u.timeline.OnChanged = u.show
	u.status = widget.NewLabel("")
	u.status.Truncation = fyne.TextTruncateEllipsis
	tips := viewer.NewTooltipLayer()
	button := func(icon fyne.Resource, hint string, tapped func()) *viewer.IconButton {
		b := viewer.NewIconButton(icon, hint, tapped)
		b.Tips = tips
		return b
	}
	u.playBtn = button(theme.MediaPlayIcon(), "Play / pause (Space)", u.togglePlay)
	buttons := container.NewHBox(
		button(theme.MediaSkipPreviousIcon(), "First frame (Home)", u.first),
		button(theme.NavigateBackIcon(), "Previous frame (Left)", func() { u.step(-1) }),
		u.playBtn,
		button(theme.NavigateNextIcon(), "Next frame (Right)", func() { u.step(1) }),
		button(theme.MediaSkipNextIcon(), "Last frame (End)", u.last),
	)
	u.controls = container.NewPadded(container.NewVBox(u.timeline, container.NewBorder(nil, nil, buttons, nil, u.status)))
	// Unpadded, so the frame's dark surround reaches the window's edges.
	u.win.SetContent(container.NewStack(container.NewBorder(nil, u.controls, nil, nil, u.view), tips.Container))
	u.win.SetPadded(false)
	u.win.Resize(fyne.NewSize(1280, 720))
	u.win.SetOnDropped(u.dropped)
	u.bindKeys()
	u.setMenu()
	return u
}

// dropped opens the first folder or file dropped on the window.
func (u *ui) dropped(_ fyne.Position, uris []fyne.URI) {
	if len(uris) > 0 {
		u.openPath(uris[0].Path())
	}
}

// openPath opens a folder or file on a goroutine (a share may take
// seconds) while the window keeps working. A file is shown before its
// folder is listed; the rest of its sequence follows when the listing is
// in. Then the folder is watched for frames added, removed or rewritten.
func (u *ui) openPath(path string) {
	u.openToken++
	token := u.openToken
	u.view.SetLoading("opening " + path + "…")
	current := func() bool { return token == u.openToken }
	go func() {
		first, ferr := loader.OpenFile(path)
		if ferr == nil {
			u.do(func() {
				if current() {
					u.folder = first.Folder
					u.start(shareFS(first.FS), first.Sequences, 0, 0)
				}
			})
		}
		op, err := loader.Open(path)
		u.do(func() {
			if !current() {
				return
			}
			switch {
			case err != nil && ferr == nil && u.svc != nil:
				// The file shows; only its folder could not be listed.
				u.status.SetText(message(err))
				return
			case err != nil:
				fmt.Fprintln(os.Stderr, "seqview:", err)
				u.closeService()
				u.view.SetMessage("Cannot open "+path, detail(path, err))
				u.win.SetTitle("seqview")
				u.status.SetText(message(err))
				return
			case ferr == nil && u.svc != nil:
				u.seqs, u.seqIndex = op.Sequences, op.Seq
				u.sequenceChanged(u.svc.SetSequence(op.Sequences[op.Seq]))
			default:
				u.folder = op.Folder
				u.start(shareFS(op.FS), op.Sequences, op.Seq, op.Frame)
			}
			u.remember(op.Folder)
			u.watch(token, op.Folder, u.fsys, op.Sequences)
		})
	}()
}

// watch follows the open folder for changes until the next open.
func (u *ui) watch(token int, folder string, fsys fs.FS, known []*loader.Sequence) {
	svc := u.svc
	u.stopWatch = loader.Watch(folder, fsys, ".", known, time.Second, func(c loader.Change) {
		u.do(func() {
			if token == u.openToken && u.svc == svc {
				u.folderChanged(c)
			}
		})
	})
}

// folderChanged applies a change of the open folder: the sequence shown
// gains or loses frames, keeping the frame shown (or, following the newest,
// moving to the last); rewritten frames are read again.
func (u *ui) folderChanged(c loader.Change) {
	if len(c.Sequences) == 0 {
		u.status.SetText(fmt.Sprintf("%s is empty, unreadable or gone; frames in memory can still be viewed", u.folder))
		return
	}
	cur := u.svc.Sequence()
	for _, name := range c.Modified {
		u.svc.Invalidate(name)
	}
	u.seqs, u.seqIndex = c.Sequences, 0
	seq := c.Sequences[0]
	for i, s := range c.Sequences {
		if s.Prefix == cur.Prefix && s.Suffix == cur.Suffix {
			u.seqIndex, seq = i, s
			break
		}
	}
	i := u.svc.SetSequence(seq)
	if u.follow {
		i = seq.Len() - 1
	}
	u.sequenceChanged(i)
}

// sequenceChanged shows the loader's new frame list: timeline, numbers,
// gaps and menu, then frame i.
func (u *ui) sequenceChanged(i int) {
	seq := u.svc.Sequence()
	u.timeline.SetLength(seq.Len())
	numbers := make([]int, seq.Len())
	for i, f := range seq.Frames {
		numbers[i] = f.Number
	}
	u.timeline.SetNumbers(numbers)
	var gaps []int
	for _, g := range seq.Gaps() {
		gaps = append(gaps, g.After)
	}
	u.timeline.SetGaps(gaps)
	u.setMenu()
	u.refreshMarks()
	if u.shown != nil && i >= 0 && seq.Frames[i].Name != u.shown.Name {
		u.shown = nil // the frame shown left the sequence
	}
	u.index = -1
	u.show(max(i, 0))
}

// openDemo opens the built-in sequence.
func (u *ui) openDemo() {
	u.openToken++
	seqs, err := loader.Scan(assets.Demo, ".")
	if err != nil { // the demo is made in code: this is a bug
		panic(err)
	}
	u.folder = ""
	u.start(assets.Demo, seqs, 0, 0)
}

// start shows sequence seqs[si] of fsys at frame fi with a new loader.
func (u *ui) start(fsys fs.FS, seqs []*loader.Sequence, si, fi int) {
	u.closeService()
	u.fsys, u.seqs, u.seqIndex = fsys, seqs, si
	seq := seqs[si]
	rawBytes := int64(u.opts.RawMB) << 20
	if rawBytes == 0 {
		rawBytes = -1 // -raw-mb 0 turns the bytes cache off
	}
	var svc *loader.Service
	svc = loader.NewService(fsys, seq, loader.Config{
		CacheFrames: u.opts.CacheFrames,
		CacheBytes:  int64(u.opts.CacheMB) << 20,
		RawBytes:    rawBytes,
		Preload:     u.opts.Preload,
		Deliver: func(r loader.Result) {
			u.do(func() {
				if u.svc != svc {
					return
				}
				frames := svc.Sequence().Frames
				switch {
				case u.index >= 0 && r.Name == frames[u.index].Name:
					u.apply(r)
				case u.play.pending >= 0 && r.Name == frames[u.play.pending].Name:
					i := u.play.pending
					u.play.pending = -1
					u.present(i, r, true)
				}
			})
		},
		// The marks follow the loader at most every marksEvery: each
		// change repaints the whole window, and a frame's load makes
		// several (read, decoded, evicted), which during playback took
		// CPU time from the decoders.
		Changed: func() {
			if u.marksDue.CompareAndSwap(false, true) {
				time.AfterFunc(marksEvery, func() {
					u.do(func() {
						u.marksDue.Store(false)
						if u.svc == svc && !u.play.marksRide() {
							u.refreshMarks()
						}
					})
				})
			}
		},
	})
	svc.SetViewSize(u.viewW, u.viewH)
	u.svc = svc
	u.shown = nil
	u.sequenceChanged(fi)
}

// closeService stops the current loader without waiting on the UI
// goroutine: a read in flight on a slow share may take a moment to give up.
func (u *ui) closeService() {
	u.stopPlay()
	if u.stopWatch != nil {
		go u.stopWatch()
		u.stopWatch = nil
	}
	if u.svc != nil {
		go u.svc.Close()
		u.svc = nil
	}
}

// show makes frame i the current frame: at once if the loader has it, else
// the previous picture stays up with a loading note until it arrives.
func (u *ui) show(i int) {
	if u.svc == nil {
		return
	}
	i = max(min(i, u.svc.Sequence().Len()-1), 0)
	u.play.pending = -1
	r, ok := u.svc.Show(i)
	u.present(i, r, ok)
}

// present makes frame i the current frame, given what the loader's Show
// said of it: its result if ok, else that it is on its way.
func (u *ui) present(i int, r loader.Result, ok bool) {
	seq := u.svc.Sequence()
	u.index = i
	u.timeline.SetValue(i)
	u.win.SetTitle(fmt.Sprintf("%s (%d/%d) — seqview", seq.Frames[i].Name, i+1, seq.Len()))
	if ok {
		u.apply(r)
		return
	}
	u.waiting = true
	u.view.SetLoading("loading " + seq.Frames[i].Name + "…")
	u.updateStatus()
}

// apply shows a loaded frame or its error. A frame still being written
// keeps the previous picture up: the loader retries it until it is whole.
func (u *ui) apply(r loader.Result) {
	if errors.Is(r.Err, loader.ErrBeingWritten) {
		u.waiting = true
		u.view.SetLoading(u.svc.Sequence().Frames[u.index].Name + " is being written…")
		u.updateStatus()
		return
	}
	u.waiting = false
	if r.Err != nil {
		u.shown = nil
		u.view.SetMessage("Cannot show "+r.Name, detail(r.Name, r.Err))
	} else {
		u.shown = r.Frame
		u.view.SetFrame(r.Frame.View, r.Frame.Full)
		u.play.shown(time.Now())
		if u.play.stop != nil {
			u.refreshMarks() // painted with the frame, at no extra cost
		}
	}
	u.updateStatus()
	u.refreshInfo()
}

func (u *ui) updateStatus() {
	seq := u.svc.Sequence()
	f := seq.Frames[u.index]
	s := fmt.Sprintf("%s   %d/%d", f.Name, u.index+1, seq.Len())
	if f.Number != u.index+1 { // the real frame number, when it is not the position
		s += fmt.Sprintf("   frame %d", f.Number)
	}
	switch {
	case u.waiting:
		s += "   loading…"
	case u.view.Message() != "": // the view says why
		s += "   cannot be shown"
	case u.shown != nil:
		s += fmt.Sprintf("   %d×%d", u.shown.Full.Rect.Dx(), u.shown.Full.Rect.Dy())
	}
	if z := u.view.Zoom(); z != 0 {
		s += fmt.Sprintf("   zoom %.0f%%", 100*z)
	}
	s += u.play.status()
	if u.follow {
		s += "   following newest (l)"
	}
	if gaps := seq.Gaps(); len(gaps) > 0 {
		missing := 0
		for _, g := range gaps {
			missing += g.To - g.From + 1
		}
		s += fmt.Sprintf("   %d missing (%s)", missing, plural(len(gaps), "gap"))
	}
	if u.folder != "" {
		s += "   " + filepath.Base(u.folder)
	} else {
		s += "   built-in demo"
	}
	u.status.SetText(s)
}

func (u *ui) refreshMarks() {
	states := u.svc.States()
	marks := make([]viewer.Mark, len(states))
	for i, st := range states {
		marks[i] = markOf[st]
	}
	u.timeline.SetMarks(marks)
	u.refreshInfo()
}

var markOf = [...]viewer.Mark{
	loader.StateNone:    viewer.MarkNone,
	loader.StateBytes:   viewer.MarkBytes,
	loader.StateDecoded: viewer.MarkDecoded,
	loader.StateLoading: viewer.MarkLoading,
	loader.StateFailed:  viewer.MarkError,
}

func (u *ui) step(d int) {
	u.stopPlay()
	u.show(u.index + d)
}

func (u *ui) first() { u.stopPlay(); u.show(0) }

func (u *ui) last() {
	u.stopPlay()
	if u.svc != nil {
		u.show(u.svc.Sequence().Len() - 1)
	}
}

// message is an error as the person reads it: what, which file, why,
// without the package prefix meant for logs.
func message(err error) string { return strings.TrimPrefix(err.Error(), "loader: ") }

// detail is why name could not be shown: the error without the parts the
// title already says.
func detail(name string, err error) string {
	return strings.TrimPrefix(message(err), name+": ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
