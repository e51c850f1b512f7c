package app

import (
	"fmt"
	"path/filepath"
	"strings"
)

// updateStatus rewrites the status line from the model: the session's
// current frame and its state, the zoom, playback and the folder. It reads
// nothing back from the widgets.
func (u *ui) updateStatus() {
	if u.sess != nil {
		u.status.SetText(u.statusText())
	}
}

func (u *ui) statusText() string {
	s := u.sess
	f := s.seq.Frames[s.index]
	var b strings.Builder
	fmt.Fprintf(&b, "%s   %d/%d", f.Name, s.index+1, s.seq.Len())
	if f.Number != s.index+1 { // the real frame number, when it is not the position
		fmt.Fprintf(&b, "   frame %d", f.Number)
	}
	switch {
	case s.waiting:
		b.WriteString("   loading…")
	case s.failure != nil:
		fmt.Fprintf(&b, "   cannot be shown: %s", s.failure.Reason)
	case s.shown != nil:
		fmt.Fprintf(&b, "   %d×%d", s.shown.Info.Width, s.shown.Info.Height)
	}
	if u.zoom != 0 {
		fmt.Fprintf(&b, "   zoom %.0f%%", 100*u.zoom)
	}
	if !u.look.IsNeutral() {
		fmt.Fprintf(&b, "   %s", u.look)
	}
	b.WriteString(u.play.status())
	if u.follow {
		b.WriteString("   following newest (l)")
	}
	if gaps := s.seq.Gaps(); len(gaps) > 0 {
		missing := 0
		for _, g := range gaps {
			missing += g.To - g.From + 1
		}
		fmt.Fprintf(&b, "   %d missing (%s)", missing, plural(len(gaps), "gap"))
	}
	if s.keepProgress.Total > 0 {
		p := s.keepProgress
		switch {
		case p.On:
			fmt.Fprintf(&b, "   keeping local %d/%d", p.Done, p.Total)
		case p.Stopped != "":
			fmt.Fprintf(&b, "   kept %d/%d local: %s", p.Done, p.Total, p.Stopped)
		default:
			fmt.Fprintf(&b, "   kept local %d/%d", p.Done, p.Total)
		}
	}
	if u.diskNote != "" {
		b.WriteString("   " + u.diskNote)
	}
	switch {
	case u.cmp != nil:
		fmt.Fprintf(&b, "   A %s   B %s", sideName(s), filepath.Base(u.cmp.path))
		if bs := u.cmp.b; bs != nil && bs.want >= 0 && bs.want < bs.seq.Len() {
			fmt.Fprintf(&b, " %s", bs.seq.Frames[bs.want].Name)
		}
		fmt.Fprintf(&b, "   (%s)", u.cmp.mode)
	case s.folder != "":
		b.WriteString("   " + filepath.Base(s.folder))
	default:
		b.WriteString("   built-in demo")
	}
	return b.String()
}
