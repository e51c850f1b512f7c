package app

import (
	"fmt"
	"image"
	"path/filepath"
	"sort"

	"seqview/cache"
	"seqview/loader"
	"seqview/loader/look"
	"seqview/viewer"
)

// compare is an A/B comparison: B is a second session, stepped with A.
// Used on the UI goroutine only.
type compare struct {
	b        *session // nil while B is being opened
	path     string   // what B was opened from
	pattern  string   // the sequence of B's folder to compare, "" for its longest
	mode     viewer.Compare
	byNumber bool // frames are paired by number (the numbers overlap), else by position

	diffs   *cache.Cache[string, *image.RGBA] // differences made, by the frames and look
	diffKey string                            // the difference asked for last
}

// sideB is B's session while comparing, else nil.
func (u *ui) sideB() *session {
	if u.cmp == nil {
		return nil
	}
	return u.cmp.b
}

// sideViewSize is the size frames are decoded to: the view's, or half of
// it side by side.
func (u *ui) sideViewSize() (int, int) {
	if u.cmp != nil && u.cmp.mode == viewer.SideBySide {
		return u.viewW / 2, u.viewH
	}
	return u.viewW, u.viewH
}

// compareWith opens path (a folder or a frame) as B, with the sequence of
// that folder named pattern ("" for the folder's longest, or the file's).
func (u *ui) compareWith(path, pattern string) {
	if u.sess == nil {
		return
	}
	starting := u.cmp == nil
	if starting {
		u.cmp = &compare{mode: viewer.Wipe, diffs: cache.New[string, *image.RGBA](cache.Limits{MaxEntries: 8},
			func(m *image.RGBA) int64 { return int64(len(m.Pix)) })}
		u.rebudget(u.sess) // the two sides share the budgets
	} else if u.cmp.b != nil {
		u.cmp.b.close()
		u.cmp.b = nil
	}
	c := u.cmp
	c.path, c.pattern = path, pattern
	u.view.SetCompare(true, c.mode)
	u.view.SetNoteB("opening " + filepath.Base(path) + "…")
	wrap, tier, openFolder := u.opts.WrapFS, u.disk, u.openFolder
	u.opens.Go(func() {
		op, err := openFolder(path)
		var seq int
		if err == nil {
			seq = op.Seq
			for i, s := range op.Sequences {
				if pattern != "" && s.Pattern() == pattern {
					seq = i
				}
			}
			d := tier.forFolder(op.Folder)
			fsys := op.FS
			if wrap != nil {
				fsys = wrap(fsys)
			}
			u.do(func() {
				if u.cmp != c {
					return
				}
				s := &session{folder: op.Folder, fsys: fsys, disk: d, seqs: op.Sequences, seqIndex: seq, seq: op.Sequences[seq], want: -1}
				c.b = s
				s.svc = u.newService(s)
				u.pairing()
				u.showB()
				u.setMenu()
				u.updateStatus()
			})
			return
		}
		u.do(func() {
			if u.cmp != c {
				return
			}
			title, _ := openFailureText(path, err)
			u.view.SetNoteB(title)
			u.status.SetText(openFailureLine(err))
		})
	})
	u.view.SetNames(sideName(u.sess), filepath.Base(path))
	u.setMenu()
}

// stopComparing closes B; A gets the whole budget back.
func (u *ui) stopComparing() {
	if u.cmp == nil {
		return
	}
	if u.cmp.b != nil {
		u.cmp.b.close()
	}
	u.cmp = nil
	u.view.SetCompare(false, viewer.OnlyA)
	if u.sess != nil {
		u.rebudget(u.sess)
		w, h := u.sideViewSize()
		u.sess.svc.SetViewSize(w, h)
	}
	u.setMenu()
	u.updateStatus()
}

// sideName names a session for the tags and the status line: its folder,
// or its sequence when the folder holds several.
func sideName(s *session) string {
	if s == nil {
		return ""
	}
	if s.folder == "" {
		return "demo"
	}
	name := filepath.Base(s.folder)
	if len(s.seqs) > 1 {
		name += "/" + s.seq.Pattern()
	}
	return name
}

// setCompareMode shows the comparison as mode (keys w s d a b).
func (u *ui) setCompareMode(mode viewer.Compare) {
	if u.cmp == nil {
		return
	}
	u.cmp.mode = mode
	u.view.SetCompare(true, mode)
	w, h := u.sideViewSize()
	for _, s := range u.sessions() {
		s.svc.SetViewSize(w, h)
	}
	u.makeDifference()
	u.setMenu()
	u.updateStatus()
}

// pairing decides how frames pair: by frame number when the two
// sequences' numbers overlap (renders of the same shot), else by position.
func (u *ui) pairing() {
	a, b := u.sess.seq, u.cmp.b.seq
	numbers := map[int]bool{}
	for _, f := range a.Frames {
		numbers[f.Number] = true
	}
	u.cmp.byNumber = false
	for _, f := range b.Frames {
		if numbers[f.Number] {
			u.cmp.byNumber = true
			return
		}
	}
}

// pair is B's frame for A's frame i, if B has one.
func (u *ui) pair(i int) (int, bool) {
	b := u.cmp.b.seq
	if !u.cmp.byNumber {
		return i, i >= 0 && i < b.Len()
	}
	n := u.sess.seq.Frames[i].Number
	j := b.Nearest(n)
	return j, j >= 0 && b.Frames[j].Number == n
}

// showB asks B's loader for the frame paired with A's frame shown, or says
// in B's half that B has none.
func (u *ui) showB() {
	b := u.sideB()
	if b == nil || u.sess == nil || u.sess.seq.Len() == 0 {
		return
	}
	j, ok := u.pair(u.sess.index)
	if !ok {
		b.want, b.shown = -1, nil
		what := fmt.Sprintf("no frame %d", u.sess.seq.Frames[u.sess.index].Number)
		if !u.cmp.byNumber {
			what = fmt.Sprintf("no frame at position %d", u.sess.index+1)
		}
		u.view.SetNoteB(sideName(b) + " has " + what)
		u.makeDifference()
		return
	}
	if j != b.want {
		u.requestSide(b, j)
	}
}

// applyB shows what B's loader says of the frame asked for.
func (u *ui) applyB(b *session, r loader.Result) {
	b.index = r.Index
	switch {
	case r.Err != nil && r.Err.Reason == loader.BeingWritten:
		b.waiting = true
	case r.Err != nil:
		b.waiting, b.shown, b.failure = false, nil, r.Err
		title, _ := failureText(r.Err)
		u.view.SetNoteB(title)
	default:
		b.waiting, b.shown, b.failure = false, r.Frame, nil
		u.view.SetFrameB(viewFrame(r.Frame))
	}
	u.makeDifference()
	u.refreshPointer()
	u.updateStatus()
}

// makeDifference has the difference of the frames shown made on a
// goroutine of its own (never on the UI goroutine), when Difference shows;
// differences made are kept, so stepping back and forth is instant.
func (u *ui) makeDifference() {
	c := u.cmp
	if c == nil || c.mode != viewer.Difference {
		return
	}
	a, b := u.sess.shown, c.b
	if a == nil || b == nil || b.shown == nil || b.want < 0 {
		u.view.SetDifference(nil)
		return
	}
	bf := b.shown
	key := a.Name + "\x00" + bf.Name + "\x00" + a.Look.Key() + "\x00" + fmt.Sprint(a.View.Rect.Size(), bf.View.Rect.Size())
	c.diffKey = key
	if d, ok := c.diffs.Get(key); ok {
		u.view.SetDifference(d)
		return
	}
	u.view.SetDifference(nil)
	go func() {
		d := image.NewRGBA(a.View.Rect)
		look.Difference(d, a.View, bf.View, look.DefaultGain)
		u.do(func() {
			c.diffs.Add(key, d)
			if u.cmp == c && c.diffKey == key {
				u.view.SetDifference(d)
			}
		})
	}()
}

// findVersions looks, off the UI goroutine, for other versions of A's
// sequence beside it, for Compare → Other Versions and Ctrl+Left/Right.
func (u *ui) findVersions() {
	s := u.sess
	u.versions = nil
	if s == nil || s.folder == "" {
		return
	}
	folder, seq, seqs := s.folder, s.seq, s.seqs
	go func() {
		vs, err := loader.FolderVersions(folder, seq, seqs)
		if err != nil || len(vs) < 2 {
			return
		}
		u.do(func() {
			if u.sess == s {
				u.versions = vs
				u.setMenu()
			}
		})
	}()
}

// stepVersion compares A with the next version up (d > 0) or down from
// the one B shows, or from A's when not comparing.
func (u *ui) stepVersion(d int) {
	var cur int
	var others []loader.Version
	for _, v := range u.versions {
		if v.Current {
			cur = v.Number
		} else {
			others = append(others, v)
		}
	}
	if b := u.sideB(); b != nil {
		for _, v := range others {
			if v.Folder == b.folder && v.Pattern == b.seq.Pattern() {
				cur = v.Number
			}
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i].Number < others[j].Number })
	var pick *loader.Version
	for i := range others {
		v := &others[i]
		if d > 0 && v.Number > cur && pick == nil {
			pick = v
		}
		if d < 0 && v.Number < cur {
			pick = v
		}
	}
	if pick != nil {
		u.compareWith(pick.Folder, pick.Pattern)
	}
}
