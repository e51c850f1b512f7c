package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"seqview/assets"
	"seqview/cache/disk"
	"seqview/loader"
	"seqview/viewer"
)

// opening is an open whose file system calls have not all answered yet.
type opening struct {
	token   int
	path    string
	since   time.Time
	listing bool // the file is shown; its folder's listing is awaited
}

// openFirst opens what the command line names (and compares it with
// pathB if given), else the frame shown when seqview last closed, else the
// demo.
func (u *ui) openFirst(path, pathB string) {
	switch {
	case path != "":
		u.openPath(path)
		if pathB != "" {
			u.pendingB = pathB // compared once A is open
		}
	case u.state.get().LastFrame != "":
		u.openPath(u.state.get().LastFrame, withDemoIfGone())
	default:
		u.openDemo()
	}
}

// openOption changes what openPath does when the path cannot be opened.
type openOption func(*openSettings)

type openSettings struct{ demoIfGone bool }

// withDemoIfGone opens the demo instead of saying the path is gone: for
// the last frame viewed, reopened at start.
func withDemoIfGone() openOption { return func(s *openSettings) { s.demoIfGone = true } }

// openPath opens a folder or file on goroutines (a share may take seconds,
// or never answer) while the window keeps working and says what it waits
// for. A file is shown before its folder is listed; the rest of its
// sequence follows when the listing is in. Then the folder is watched for
// frames added, removed or rewritten.
func (u *ui) openPath(path string, opts ...openOption) {
	var set openSettings
	for _, o := range opts {
		o(&set)
	}
	u.openToken++
	token := u.openToken
	u.opening = &opening{token: token, path: path, since: time.Now()}
	u.view.SetLoading("opening " + path + "…")
	u.waitForShare()
	current := func() bool { return token == u.openToken }
	wrap := u.opts.WrapFS
	if wrap == nil {
		wrap = func(f fs.FS) fs.FS { return f }
	}
	openFile, openFolder, tier := u.openFile, u.openFolder, u.disk
	u.opens.Go(func() {
		first, ferr := openFile(path)
		var d *disk.Cache
		if ferr == nil {
			d = tier.forFolder(first.Folder)
			u.do(func() {
				if current() {
					u.opening.listing = true
					u.start(token, first.Folder, wrap(first.FS), d, first.Sequences, 0, 0)
				}
			})
		}
		op, err := openFolder(path)
		if err == nil && ferr != nil {
			d = tier.forFolder(op.Folder)
		}
		u.do(func() {
			if !current() {
				return
			}
			u.opening = nil
			shown := u.sess != nil && u.sess.token == token
			var oe *loader.OpenError
			switch {
			case err != nil && set.demoIfGone && errors.As(err, &oe) && oe.Reason == loader.Gone:
				u.openDemo()
				return
			case err != nil && shown:
				// The file shows; only its folder could not be listed.
				u.status.SetText(openFailureLine(err))
				return
			case err != nil:
				fmt.Fprintln(os.Stderr, "seqview:", err)
				u.closeSession()
				title, detail := openFailureText(path, err)
				u.view.SetMessage(title, detail, u.openActions()...)
				u.win.SetTitle("seqview")
				u.status.SetText(openFailureLine(err))
				return
			case shown:
				u.setSequence(op.Sequences, op.Seq, op.Frame)
			default:
				u.start(token, op.Folder, wrap(op.FS), d, op.Sequences, op.Seq, op.Frame)
			}
			u.remember(op.Folder)
			u.watch(op.Folder, op.Sequences)
			u.findVersions()
			if b := u.pendingB; b != "" {
				u.pendingB = ""
				u.compareWith(b, "")
			}
		})
	})
}

// openActions are the buttons offered where nothing can be shown: the open
// dialogs and the demo, one click away.
func (u *ui) openActions() []viewer.Action {
	return []viewer.Action{
		{Label: "Open Folder…", Tapped: u.openFolderDialog},
		{Label: "Open File…", Tapped: u.openFileDialog},
		{Label: "Demo Sequence", Tapped: u.openDemo},
	}
}

// openDemo opens the built-in sequence.
func (u *ui) openDemo() {
	u.openToken++
	u.opening = nil
	seqs, err := loader.Scan(assets.Demo, ".")
	if err != nil { // the demo is made in code: this is a bug
		panic(err)
	}
	u.start(u.openToken, "", assets.Demo, nil, seqs, 0, 0)
}

// watch follows the open folder for changes until the session ends.
func (u *ui) watch(folder string, known []*loader.Sequence) {
	s := u.sess
	s.stopWatch = loader.Watch(folder, s.fsys, ".", known, time.Second, func(c loader.Change) {
		u.do(func() {
			if u.sess == s {
				u.folderChanged(c)
			}
		})
	})
}

// folderChanged applies a change of the open folder: the sequence shown
// gains or loses frames, keeping the frame shown (or, following the newest,
// moving to the last); rewritten frames are read again.
func (u *ui) folderChanged(c loader.Change) {
	s := u.sess
	if len(c.Sequences) == 0 {
		u.status.SetText(fmt.Sprintf("%s is empty, unreadable or gone; frames in memory can still be viewed", s.folder))
		return
	}
	for _, name := range c.Modified {
		s.svc.Invalidate(name)
	}
	si := 0
	for i, seq := range c.Sequences {
		if seq.Prefix == s.seq.Prefix && seq.Suffix == s.seq.Suffix {
			si = i
			break
		}
	}
	i := -1 // the frame shown, wherever it is now
	if u.follow {
		i = c.Sequences[si].Len() - 1
	}
	u.setSequence(c.Sequences, si, i)
}

// waitForShare makes sure the window says, once a second, what the share
// is keeping it waiting for, as long as it waits.
func (u *ui) waitForShare() {
	if u.waitTimer == nil {
		u.waitTimer = time.AfterFunc(time.Second, func() { u.do(u.sayWhatWeWaitFor) })
	}
}

// shareSilence is how long the share may take before the window says it
// has not answered: longer than a frame's load on a slow share.
const shareSilence = 2 * time.Second

// sayWhatWeWaitFor tells how long an open, or the frame asked for, has
// waited for the share, and looks again in a second while it still waits.
func (u *ui) sayWhatWeWaitFor() {
	u.waitTimer = nil
	switch {
	case u.opening != nil && u.opening.token == u.openToken:
		if d := time.Since(u.opening.since); d >= shareSilence {
			doing := "Opening " + filepath.Base(u.opening.path)
			if u.opening.listing {
				doing = "Listing " + filepath.Base(filepath.Dir(u.opening.path))
			}
			what := fmt.Sprintf("%s — the share has not answered for %.0f s", doing, d.Seconds())
			if u.sess == nil {
				u.view.SetMessage(what, u.opening.path, u.openActions()...)
			} else {
				u.view.SetLoading(what)
			}
		}
	case u.sess != nil && u.sess.waiting:
		if d := u.sess.svc.Waiting(); d >= shareSilence {
			u.view.SetLoading(fmt.Sprintf("loading %s — the share has not answered for %.0f s",
				u.sess.seq.Frames[u.sess.index].Name, d.Seconds()))
		}
	default:
		return
	}
	u.waitForShare()
}
