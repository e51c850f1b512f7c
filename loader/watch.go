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
// Watch returns once it has taken the listing that later ones are compared
// with; stop ends the watch and waits for its goroutine.
func Watch(folder string, fsys fs.FS, dir string, poll time.Duration, changed func(Change)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	_, last, _ := list(fsys, dir)
	done := make(chan struct{})
	go func() {
		defer close(done)
		watch(ctx, folder, fsys, dir, last, poll, changed)
	}()
	return func() { cancel(); <-done }
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
		entries, names, err := list(fsys, dir)
		took := time.Since(start)
		wait = max(poll, 20*took)
		timer.Reset(wait)
		if err != nil {
			// The folder is unreadable or gone: report it empty once.
			entries, names = nil, nil
		}
		if slices.Equal(names, last) && len(modified) == 0 {
			continue
		}
		last = names
		seqs := group(dir, entries)
		slices.Sort(modified)
		changed(Change{Sequences: seqs, Modified: slices.Compact(modified)})
		modified = nil
	}
}

// list lists dir, returning its entries and their names, sorted.
func list(fsys fs.FS, dir string) ([]fs.DirEntry, []string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return entries, names, err
}
