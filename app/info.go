package app

import (
	"fmt"
	"strings"
	"time"

	"seqview/loader"
)

// toggleInfo shows or hides the info overlay (key i).
func (u *ui) toggleInfo() {
	u.infoOn = !u.infoOn
	u.refreshInfo()
}

// refreshInfo rewrites the info overlay from the frame shown and the
// loader's figures; it runs whenever either changes.
func (u *ui) refreshInfo() {
	if !u.infoOn || u.sess == nil {
		u.view.SetInfo("")
		return
	}
	var b strings.Builder
	s := u.sess
	f := s.seq.Frames[s.index]
	fmt.Fprintf(&b, "%s  (frame %d, %d/%d)\n", f.Name, f.Number, s.index+1, s.seq.Len())
	if d := s.shown; d != nil && d.Name == f.Name {
		fmt.Fprintf(&b, "%s on disk   %d×%d   %s\n", mb(d.FileBytes), d.Info.Width, d.Info.Height, d.Info)
		read := "from memory"
		if d.From != loader.FromMemory {
			read = fmt.Sprintf("%s from %s", ms(d.ReadTime), d.From)
		}
		fmt.Fprintf(&b, "read %s   decode to %d×%d %s\n", read, d.View.Rect.Dx(), d.View.Rect.Dy(), ms(d.DecodeTime))
	}
	st := s.svc.Stats()
	fmt.Fprintf(&b, "view frames %d (at least %d)  %s\n", st.Views.Entries, st.ViewsFloor, mb(st.Views.Bytes))
	fmt.Fprintf(&b, "file bytes %d files  %s\n", st.Raw.Entries, mb(st.Raw.Bytes))
	if st.Fulls.Entries > 0 {
		fmt.Fprintf(&b, "full size %d frames  %s\n", st.Fulls.Entries, mb(st.Fulls.Bytes))
	}
	if ds := st.Disk; ds != nil {
		fmt.Fprintf(&b, "local disk %d files  %s of %s   hits %d  misses %d\n", ds.Entries, mb(ds.Bytes), mb(ds.MaxBytes), ds.Hits, ds.Misses)
	}
	fmt.Fprintf(&b, "read-ahead %d   load %s   step %s\n", st.Depth, ms(st.Load), ms(st.Step))
	fmt.Fprintf(&b, "hit rate %.0f%% (%d of %d)", 100*st.Views.HitRate(), st.Views.Hits, st.Views.Hits+st.Views.Misses)
	if u.zoom != 0 {
		fmt.Fprintf(&b, "\nzoom %.0f%%", 100*u.zoom)
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
