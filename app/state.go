package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"seqview/internal/atomicfile"
)

// state is what seqview remembers between runs. It lives in its own file,
// outside any folder viewed, written whole and atomically, so a kill or a
// power cut leaves the previous state rather than none (Fyne's preferences
// file is truncated and rewritten in place).
type state struct {
	Recent    []string `json:"recent"`     // folders opened, most recent first
	LastFrame string   `json:"last_frame"` // the frame shown last, reopened when no path is given

	gen uint64 // which change this is: a save never replaces a later one
}

const maxRecent = 10

// stateFile is the state and the file it is kept in. Its methods are safe
// for concurrent use: the UI goroutine changes it, saves run on their own
// goroutines.
type stateFile struct {
	path string

	saving sync.WaitGroup // saves under way on their own goroutines

	mu      sync.Mutex // guards the fields below and orders the writes
	cur     state
	written uint64 // the gen of the state on disk
}

// defaultStatePath is seqview/state.json in the user's config folder.
func defaultStatePath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "seqview", "state.json")
}

// openState reads the state at path ("" for the default path). With no
// file yet, it takes what earlier versions kept in Fyne's preferences.
func openState(path string, legacy fyne.Preferences) *stateFile {
	if path == "" {
		path = defaultStatePath()
	}
	f := &stateFile{path: path}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &f.cur); err != nil {
			fmt.Fprintf(os.Stderr, "seqview: %s: %v (starting afresh)\n", path, err)
		}
	case legacy != nil:
		f.cur = state{Recent: legacy.StringList("recent"), LastFrame: legacy.String("last.frame")}
	}
	return f
}

// get returns a copy of the state.
func (f *stateFile) get() state {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.cur
	st.Recent = slices.Clone(st.Recent)
	return st
}

// with changes the state with change and returns the new state, to save.
func (f *stateFile) with(change func(*state)) state {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(&f.cur)
	f.cur.gen++
	st := f.cur
	st.Recent = slices.Clone(st.Recent)
	return st
}

// save writes st, unless a later state was written meanwhile. Errors are
// reported on standard error: losing the recent folders must not stop the
// viewer.
func (f *stateFile) save(st state) {
	if f.path == "" {
		return
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err == nil {
		f.mu.Lock()
		if st.gen > f.written {
			err = atomicfile.WriteFile(f.path, data, 0o600)
			f.written = st.gen
		}
		f.mu.Unlock()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seqview: saving the state:", err)
	}
}

// saveLater saves st on a goroutine of its own.
func (f *stateFile) saveLater(st state) { f.saving.Go(func() { f.save(st) }) }

// wait waits for the saves under way.
func (f *stateFile) wait() { f.saving.Wait() }

// remember puts folder first in the recent folders and saves the state,
// off the UI goroutine.
func (u *ui) remember(folder string) {
	st := u.state.with(func(st *state) {
		st.Recent = slices.DeleteFunc(st.Recent, func(s string) bool { return s == folder })
		st.Recent = append([]string{folder}, st.Recent...)
		st.Recent = st.Recent[:min(len(st.Recent), maxRecent)]
	})
	u.state.saveLater(st)
	u.setMenu()
}

// saveLastFrameSoon records the frame shown, to reopen it at the next
// start, at most once every few seconds and off the UI goroutine: a kill
// then loses at most the last few seconds of stepping.
func (u *ui) saveLastFrameSoon() {
	if u.saveTimer != nil || u.sess == nil || u.sess.folder == "" {
		return
	}
	u.saveTimer = time.AfterFunc(saveEvery, func() {
		u.do(func() {
			u.saveTimer = nil
			if u.sess == nil || u.sess.folder == "" {
				return
			}
			path := u.sess.framePath()
			if path == u.lastSaved {
				return
			}
			u.lastSaved = path
			u.state.saveLater(u.state.with(func(st *state) { st.LastFrame = path }))
		})
	})
}

// saveEvery is how often at most the last frame is written while stepping.
const saveEvery = 2 * time.Second
