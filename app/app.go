// Package app wires seqview together: the window, its widgets, menus, keys,
// drag-and-drop and dialogs on one side, a session per open folder (its
// sequence and its loader) on the other.
//
// Everything here runs on Fyne's UI goroutine, except where a comment says
// otherwise: results from the loader's goroutines and from the goroutines
// that open folders arrive through fyne.Do (ui.do), which applies the model
// change and the refresh together.
package app

import (
	"flag"
	"io/fs"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"seqview/assets"
	"seqview/loader"
	"seqview/loader/look"
	"seqview/viewer"
)

// ID is the application ID, the same as in FyneApp.toml.
const ID = "io.github.seqview"

// Options are the command line's settings.
type Options struct {
	Path        string  // folder or image file to open; "" for the last frame viewed, else the demo
	PathB       string  // a second folder or file: compare it with Path
	CacheFrames int     // view frames always kept (a floor)
	CacheMB     int     // view frames' budget
	RawMB       int     // files' bytes budget
	Preload     int     // read-ahead depth, 0 = adaptive
	FPS         float64 // playback rate
	DiskMB      int     // local copies of a share's files; 0 = none
	DiskCache   string  // "auto" (folders on network and FUSE file systems), "on" (every folder) or "off"

	// WrapFS is how an opened folder is read: nil reads it as it is.
	// Benchmarks put a simulated slow share here.
	WrapFS func(fs.FS) fs.FS
	// StateFile keeps the recent folders and the last frame viewed; ""
	// is seqview/state.json in the user's config folder.
	StateFile string

	onClosed func() // told once the window is closed and the state saved (Main)
}

// AddFlags defines the command line's flags on set, with their defaults,
// to fill o when set is parsed. The folder or file is set's first argument.
func (o *Options) AddFlags(set *flag.FlagSet) {
	set.IntVar(&o.CacheFrames, "cache", 10, "view frames always kept in memory, whatever their size")
	set.IntVar(&o.CacheMB, "cache-mb", 512, "memory for view frames, in MB: as many more frames as it holds")
	set.IntVar(&o.RawMB, "raw-mb", 128, "memory for the files' bytes, in MB, so a new window size or a zoom costs no read (0 = off)")
	set.IntVar(&o.Preload, "preload", 0, "frames to read ahead (0 = adapt to load time and pace)")
	set.Float64Var(&o.FPS, "fps", 24, "playback rate in frames per second")
	set.IntVar(&o.DiskMB, "disk-mb", 2048, "local disk for copies of a share's files, in MB, so the next visit reads nothing unchanged from the share (0 = off)")
	set.StringVar(&o.DiskCache, "disk-cache", "auto", "copy files to local disk: auto (folders on network and FUSE file systems), on (every folder), off")
}

// Run opens the window and returns when it is closed.
func Run(opts Options) {
	a := fyneapp.NewWithID(ID)
	a.SetIcon(assets.Icon)
	a.Settings().SetTheme(darkTheme{theme.DefaultTheme()})
	u := newUI(a, opts)
	// The Go heap follows what the caches hold, not their budgets, which
	// they may never fill.
	u.memoryLimit = func(held int64) { debug.SetMemoryLimit(loader.MemoryLimit(held)) }
	u.openFirst(opts.Path, opts.PathB)
	a.Lifecycle().SetOnStopped(u.quit)
	u.win.ShowAndRun()
}

// ui is the window and what it shows. Its fields are used on the UI
// goroutine only, except where a comment says otherwise.
type ui struct {
	opts  Options
	app   fyne.App
	win   fyne.Window
	do    func(func()) // fyne.Do; tests run the UI goroutine's queue themselves
	state *stateFile

	// Widgets.
	view     *viewer.FrameView
	timeline *viewer.Timeline
	status   *widget.Label
	playBtn  *viewer.IconButton
	controls *fyne.Container // timeline, buttons and status line: hidden in full screen

	// What is open and shown.
	sess      *session         // the open folder; nil before the first opens
	cmp       *compare         // the A/B comparison; nil when not comparing
	versions  []loader.Version // other versions of A's sequence beside it
	look      look.Look        // how frames are looked at: channel, exposure, gamma
	inspect   bool             // pixel values under the pointer are shown
	pendingB  string           // the command line's B, compared once A is open
	pointer   viewer.PointerAt // where the pointer is over the frames
	disk      *diskTier        // the local copies of shares' files, opened on first use
	opening   *opening         // an open not yet answered; nil when none
	openToken int              // bumped per open, so a slow open that lost the race is dropped
	play      playback
	follow    bool   // follow newest: show the last frame as frames land
	diskNote  string // said once in the status line: the local cache turned off
	infoOn    bool   // the info overlay is shown
	zoom      float64
	viewW     int // the view's size in device pixels: what frames are decoded to
	viewH     int

	// How paths are opened, on goroutines of openPath's: loader.OpenFile
	// and loader.Open; tests put a share that does not answer here.
	openFile, openFolder func(path string) (*loader.Opened, error)
	opens                sync.WaitGroup // the goroutines of openPath: they post their results through do before they end

	marksDue    atomic.Bool      // a marks refresh is on its way (set from loader goroutines)
	waitTimer   *time.Timer      // refreshes what a slow share is keeping us waiting for
	memoryLimit func(held int64) // sets the process's memory limit; nil in tests
	saveTimer   *time.Timer      // a save of the last frame is due
	lastSaved   string           // the last frame written to the state file
}

// marksEvery is how often at most the timeline's marks follow the loader:
// each change repaints the whole window, and a frame's load makes several
// (read, decoded, evicted), which during playback took CPU from the
// decoders.
const marksEvery = 250 * time.Millisecond

func newUI(a fyne.App, opts Options) *ui {
	if opts.FPS <= 0 {
		opts.FPS = 24
	}
	u := &ui{opts: opts, app: a, win: a.NewWindow("seqview"), do: fyne.Do, openFile: loader.OpenFile, openFolder: loader.Open}
	u.state = openState(opts.StateFile, a.Preferences())
	u.disk = newDiskTier(opts, func(err error) { u.do(func() { u.diskOff(err) }) })
	u.play.fps = opts.FPS
	u.view = viewer.NewFrameView()
	u.look = look.Look{Gamma: 1}
	u.view.OnZoom = u.zoomed
	u.view.OnPointer = u.pointerMoved
	u.view.OnPixelSize = func(w, h int) {
		u.viewW, u.viewH = w, h
		vw, vh := u.sideViewSize()
		for _, s := range u.sessions() {
			s.svc.SetViewSize(vw, vh)
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

// zoomed follows the view's zoom: the status line says it, and while the
// frame is shown larger than its view copy, the loader decodes the frames
// shown at full resolution.
func (u *ui) zoomed(scale float64) {
	u.zoom = 0
	if u.view.Zoom() != 0 {
		u.zoom = scale
	}
	for _, s := range u.sessions() {
		s.svc.SetFullSize(u.view.BeyondView() || u.inspect)
	}
	u.updateStatus()
	u.refreshInfo()
}

// quit runs as the app stops: what must survive is saved first, and the
// loader is left to stop on its own (a read blocked on a dead share must
// not hold the window).
func (u *ui) quit() {
	u.stopPlay()
	if u.sess != nil {
		if path := u.sess.framePath(); path != "" {
			u.state.save(u.state.with(func(st *state) { st.LastFrame = path }))
		}
	}
	u.state.wait()
	u.stopComparing()
	u.closeSession()
	if u.opts.onClosed != nil {
		u.opts.onClosed()
	}
	u.disk.close() // lets queued copies finish, for at most about a second
}

// dropped opens the first folder or file dropped on the window.
func (u *ui) dropped(_ fyne.Position, uris []fyne.URI) {
	if len(uris) > 0 {
		u.openPath(uriPath(uris[0]))
	}
}
