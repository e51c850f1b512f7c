package app

import (
	"fmt"
	"strings"
	"time"
)

// toggleInfo shows or hides the info overlay (key i).
func (u *ui) toggleInfo() {
	u.infoOn = !u.infoOn
	u.refreshInfo()
}

// refreshInfo rewrites the info overlay from the frame shown and the
// loader's figures; it runs whenever either changes.
func (u *ui) refreshInfo() {
	if !u.infoOn || u.svc == nil {
		u.view.SetInfo("")
		return
	}
	var b strings.Builder
	seq := u.svc.Sequence()
	f := seq.Frames[u.index]
	fmt.Fprintf(&b, "%s  (frame %d, %d/%d)\n", f.Name, f.Number, u.index+1, seq.Len())
	if d := u.shown; d != nil && d.Name == f.Name {
		fmt.Fprintf(&b, "%s on disk   %d×%d   %s\n", mb(d.FileBytes), d.Full.Rect.Dx(), d.Full.Rect.Dy(), d.Format)
		read := "from memory"
		if d.ReadTime > 0 {
			read = ms(d.ReadTime)
		}
		fmt.Fprintf(&b, "read %s   decode+scale %s\n", read, ms(d.DecodeTime))
	}
	st := u.svc.Stats()
	fmt.Fprintf(&b, "decoded cache %d/%d  %s\n", st.Frames.Entries, st.FramesMax, mb(st.Frames.Bytes))
	fmt.Fprintf(&b, "bytes cache %d files  %s\n", st.Raw.Entries, mb(st.Raw.Bytes))
	fmt.Fprintf(&b, "read-ahead %d   load %s   step %s\n", st.Depth, ms(st.Load), ms(st.Step))
	fmt.Fprintf(&b, "hit rate %.0f%% (%d of %d)", 100*st.Frames.HitRate(), st.Frames.Hits, st.Frames.Hits+st.Frames.Misses)
	if z := u.view.Zoom(); z != 0 {
		fmt.Fprintf(&b, "\nzoom %.0f%%", 100*z)
	}
	u.view.SetInfo(b.String())
}

// mb is a byte count as a person reads it.
func mb(n int64) string {
	switch {
	case n < 1e3:
		return fmt.Sprintf("%d B", n)
	case n < 1e6:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1e9:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }
