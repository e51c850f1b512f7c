// Command naiveview is the baseline seqview is measured against in a real
// window (see bench/uibench): the image sequence viewer a Go developer
// would write with Fyne without seqview's design.
//
// The window is the same size as seqview's (1280×720) and carries the same
// title, "<file> (<pos>/<count>) — seqview", so the benchmark can find it.
// The picture is a default canvas.Image (default scale mode, which is
// ImageScaleSmooth, and FillContain) holding whatever image.Decode returned.
// Keys: Right/Left step, Page Down/Page Up ±10, Home/End first/last, Space
// plays at -fps.
//
// Two strategies:
//
//   - naive: each key reads and decodes the frame on the UI goroutine, in
//     the key's handler; nothing is kept.
//   - seed: the original request's strategy. Decoded frames go into a map
//     that never forgets; after each step one goroutine preloads frame n+1,
//     and one mutex is held across every whole load, the preload's included.
//     The step itself still loads on the UI goroutine when its frame is not
//     in the map, and waits for the mutex when a preload holds it.
//
// A third strategy is not a baseline but a reference: floor preloads the
// first -preload frames before the window opens, decoded and scaled to the
// window with seqview's own loader code into *image.RGBA drawn one to one
// with ImageScalePixels (as seqview draws its view frames), so a step among
// them costs only Fyne's event handling and paint: the floor any Fyne
// viewer of this window size stands on.
//
// Playback steps with the same blocking load, from a ticker through
// fyne.DoAndWait, so ticks that come while a step is loading are dropped
// rather than queued.
//
// SEQVIEW_SLOWSHARE=open=40ms,read=10ms,mbps=60 reads the folder through
// the same in-process slow share as seqview's benchmark build
// (bench/cmd/benchseqview).
package main

import (
	"flag"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"

	"seqview/internal/slowfs"
)

func main() {
	strategy := flag.String("strategy", "naive", "naive (load on every key, on the UI goroutine), seed (unbounded map, one lock across loads, preload n+1) or floor (the first -preload frames ready for display before the window opens: Fyne's own cost)")
	preload := flag.Int("preload", 48, "floor: frames made ready before the window opens")
	fps := flag.Float64("fps", 24, "playback rate in frames per second")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: naiveview [-strategy naive|seed] [-fps F] FOLDER")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || (*strategy != "naive" && *strategy != "seed" && *strategy != "floor") {
		flag.Usage()
		os.Exit(2)
	}
	folder := flag.Arg(0)
	names, err := listFrames(folder)
	if err != nil {
		fmt.Fprintln(os.Stderr, "naiveview:", err)
		os.Exit(1)
	}
	var fsys fs.FS = os.DirFS(folder)
	wrap, err := slowfs.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "naiveview:", err)
		os.Exit(2)
	}
	if wrap != nil {
		fsys = wrap(fsys)
	}
	var src source = &naive{fsys: fsys, names: names}
	fast := false
	switch *strategy {
	case "seed":
		src = &seed{fsys: fsys, names: names, frames: map[int]image.Image{}}
	case "floor":
		f, err := newFloor(fsys, names, *preload)
		if err != nil {
			fmt.Fprintln(os.Stderr, "naiveview:", err)
			os.Exit(1)
		}
		src, fast = f, true
	}
	run(src, names, *fps, fast)
}

// listFrames returns the folder's images, sorted by name.
func listFrames(folder string) ([]string, error) {
	ents, err := os.ReadDir(folder)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".png", ".jpg", ".jpeg":
			if !e.IsDir() {
				names = append(names, e.Name())
			}
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no images in %s", folder)
	}
	slices.Sort(names)
	return names, nil
}

// source gives frame i, blocking the goroutine that asks until it has it.
type source interface {
	get(i int) (image.Image, error)
}

// load reads and decodes one file.
func load(fsys fs.FS, name string) (image.Image, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	return img, err
}

// naive loads every frame it is asked for.
type naive struct {
	fsys  fs.FS
	names []string
}

func (n *naive) get(i int) (image.Image, error) { return load(n.fsys, n.names[i]) }

// seed is the original request's strategy.
type seed struct {
	fsys  fs.FS
	names []string

	mu     sync.Mutex // held across whole loads
	frames map[int]image.Image
}

func (s *seed) get(i int) (image.Image, error) {
	s.mu.Lock()
	img, ok := s.frames[i]
	var err error
	if !ok {
		if img, err = load(s.fsys, s.names[i]); err == nil {
			s.frames[i] = img
		}
	}
	s.mu.Unlock()
	if i+1 < len(s.names) {
		go s.preload(i + 1)
	}
	return img, err
}

func (s *seed) preload(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.frames[i]; ok {
		return
	}
	if img, err := load(s.fsys, s.names[i]); err == nil {
		s.frames[i] = img
	}
}

// viewer is the window's state, used on the UI goroutine.
type viewer struct {
	win   fyne.Window
	img   *canvas.Image
	src   source
	names []string
	index int
	fps   float64
	stop  chan struct{} // non-nil while playing
}

func run(src source, names []string, fps float64, fast bool) {
	a := fyneapp.NewWithID("io.github.seqview.naiveview")
	v := &viewer{win: a.NewWindow("seqview"), src: src, names: names, fps: fps}
	v.img = &canvas.Image{FillMode: canvas.ImageFillContain}
	if fast {
		v.img.ScaleMode = canvas.ImageScalePixels
	}
	v.win.SetContent(v.img)
	v.win.Resize(fyne.NewSize(1280, 720))
	v.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyRight:
			v.show(v.index + 1)
		case fyne.KeyLeft:
			v.show(v.index - 1)
		case fyne.KeyPageDown:
			v.show(v.index + 10)
		case fyne.KeyPageUp:
			v.show(v.index - 10)
		case fyne.KeyHome:
			v.show(0)
		case fyne.KeyEnd:
			v.show(len(v.names) - 1)
		case fyne.KeySpace:
			v.togglePlay()
		}
	})
	v.show(0)
	v.win.ShowAndRun()
}

// show loads frame i (clamped to the sequence) and puts it on screen.
func (v *viewer) show(i int) {
	i = max(0, min(i, len(v.names)-1))
	img, err := v.src.get(i)
	if err != nil {
		fmt.Fprintln(os.Stderr, "naiveview:", err)
		return
	}
	v.index = i
	v.img.Image = img
	v.img.Refresh()
	v.win.SetTitle(fmt.Sprintf("%s (%d/%d) — seqview", v.names[i], i+1, len(v.names)))
}

func (v *viewer) togglePlay() {
	if v.stop != nil {
		close(v.stop)
		v.stop = nil
		return
	}
	stop := make(chan struct{})
	v.stop = stop
	go func() {
		t := time.NewTicker(time.Duration(float64(time.Second) / v.fps))
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.DoAndWait(func() {
					select {
					case <-stop:
						return
					default:
					}
					if v.index+1 >= len(v.names) {
						v.togglePlay()
						return
					}
					v.show(v.index + 1)
				})
			}
		}
	}()
}
