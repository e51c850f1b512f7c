package loader

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Change is what Watch found: the folder's sequences after the change and
// the files whose contents changed in place (to be read again).
type Change struct {
	Sequences []*Sequence
	Modified  []string
}

// Watch watches a folder for frames added, removed or rewritten and calls
// changed (on its own goroutine) after each change, until ctx is done.
//
// It listens to fsnotify where the kernel delivers events and also lists the
// folder on a timer, because notifications miss writes made from another
// machine on SMB and NFS shares. The timer waits at least poll, and twenty
// times as long as the last listing took, so a 100,000-file folder on a slow
// share is not listed back to back. folder is the folder's path on disk for
// fsnotify ("" for no notifications); fsys and dir are what is listed.
//
// known is what the caller shows now (from Open or Scan): the first change
// reported is any difference from it, so nothing that lands between that
// listing and the watch's start is missed. stop ends the watch and waits
// for its goroutine.
func Watch(folder string, fsys fs.FS, dir string, known []*Sequence, poll time.Duration, changed func(Change)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		watch(ctx, folder, fsys, dir, frameNames(known), poll, changed)
	}()
	return func() { cancel(); <-done }
}

// frameNames lists the frames of seqs, sorted: what a change is judged by,
// so files that are not frames come and go unnoticed.
func frameNames(seqs []*Sequence) []string {
	var names []string
	for _, s := range seqs {
		for _, f := range s.Frames {
			names = append(names, f.Name)
		}
	}
	slices.Sort(names)
	return names
}

func watch(ctx context.Context, folder string, fsys fs.FS, dir string, last []string, poll time.Duration, changed func(Change)) {
	w, err := fsnotify.NewWatcher()
	var events <-chan fsnotify.Event
	var errs <-chan error
	if err == nil {
		defer w.Close()
		if folder == "" || w.Add(folder) != nil {
			w.Close()
		} else {
			events, errs = w.Events, w.Errors
		}
	}
	wait := poll
	timer := time.NewTimer(wait)
	defer timer.Stop()
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	var modified []string
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if ev.Has(fsnotify.Write) {
				modified = append(modified, filepath.Base(ev.Name))
			}
			// Renderers write in bursts: list once the burst settles.
			settle.Reset(50 * time.Millisecond)
			continue
		case <-errs:
			continue
		case <-settle.C:
		case <-timer.C:
		}
		start := time.Now()
		entries, err := fs.ReadDir(fsys, dir)
		took := time.Since(start)
		wait = max(poll, 20*took)
		timer.Reset(wait)
		if err != nil {
			// The folder is unreadable or gone: report it empty once.
			entries = nil
		}
		seqs := group(dir, entries)
		names := frameNames(seqs)
		if slices.Equal(names, last) && len(modified) == 0 {
			continue
		}
		last = names
		slices.Sort(modified)
		changed(Change{Sequences: seqs, Modified: slices.Compact(modified)})
		modified = nil
	}
}
