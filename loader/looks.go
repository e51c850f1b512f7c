package loader

import (
	"image"

	"seqview/loader/decode"
	"seqview/loader/look"
)

// SetLook sets how frames are looked at: one channel, exposure, gamma
// (package look). Frames are adjusted on the decoders, the frame asked for
// first and then the read-ahead, and kept in the view cache under the look,
// so flicking between looks on cached frames stays instant. A 16-bit frame
// asked for is adjusted from its 16-bit values (its full decode), after a
// first picture from its 8-bit view. The frame asked for comes through
// Deliver once adjusted.
func (s *Service) SetLook(l look.Look) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.Key() == s.look.Key() {
		return
	}
	s.look = l
	s.replanLocked()
	s.changedLocked()
}

// viewKeyLocked is the view cache's key of name's frame as the look shows
// it: the name itself for the neutral look.
func (s *Service) viewKeyLocked(name string) string {
	if s.look.IsNeutral() {
		return name
	}
	return name + "\x00" + s.look.Key()
}

// lookedLocked returns name's frame as the current look shows it, made for
// the view size or not.
func (s *Service) lookedLocked(name string) (*Decoded, bool) {
	return s.views.Peek(s.viewKeyLocked(name))
}

// wantsLookLocked reports whether name's view frame must be adjusted to
// the look: the look is not neutral and there is no adjusted frame of the
// base frame's size (or, for a 16-bit frame asked for, none made from its
// 16-bit values yet — that one comes from its full decode).
func (s *Service) wantsLookLocked(name string) bool {
	if s.look.IsNeutral() {
		return false
	}
	base, ok := s.views.Peek(name)
	if !ok {
		return false
	}
	f, ok := s.lookedLocked(name)
	return !ok || f.View.Rect.Size() != base.View.Rect.Size()
}

// deepLocked reports whether the frame at rank r is shown from its 16-bit
// values: it is the frame asked for, 16-bit, under a look that is not
// neutral.
func (s *Service) deepLocked(name string, r int) bool {
	if r != 0 || s.look.IsNeutral() {
		return false
	}
	base, ok := s.views.Peek(name)
	return ok && base.Info.Depth == 16
}

// needsLookLocked reports whether the frame at rank r can and must be
// adjusted to the look from its view frame now.
func (s *Service) needsLookLocked(name string, r int) bool {
	return s.idleLocked(task{name, lookTask}, r) && !(s.alone && r > 0) && s.wantsLookLocked(name)
}

// wantsFullLookLocked reports whether the frame at rank r needs its full
// frame adjusted to the look: shown zoomed in, or shown from its 16-bit
// values.
func (s *Service) wantsFullLookLocked(name string, r int) bool {
	if s.look.IsNeutral() || !((s.fullSize && r < fullFrames) || s.deepLocked(name, r)) {
		return false
	}
	_, ok := s.fullLooks.Peek(s.viewKeyLocked(name))
	return !ok
}

// needsFullLookLocked reports whether the frame at rank r can and must have
// its full frame adjusted to the look now.
func (s *Service) needsFullLookLocked(name string, r int) bool {
	return s.idleLocked(task{name, fullLookTask}, r) && !(s.alone && r > 0) &&
		s.fulls.Contains(name) && s.wantsFullLookLocked(name, r)
}

// adjust runs a look task on a decoder: the view frame adjusted to look l,
// or the full frame adjusted to it (16-bit files from their 16-bit values)
// and, for the frame asked for if it is 16-bit, a view frame made from that.
func adjust(t task, base *Decoded, full *decode.Image, l look.Look, vw, vh int) (view *Decoded, fullView *image.RGBA) {
	if t.kind == lookTask {
		out := image.NewRGBA(base.View.Rect)
		look.Apply(out, base.View, l)
		f := *base
		f.View, f.Look = out, l
		return &f, nil
	}
	fullView = image.NewRGBA(full.RGBA.Rect)
	if deep := full.Deep(); deep == nil || look.Apply16(fullView, deep, l) != nil {
		look.Apply(fullView, full.RGBA, l)
	}
	if base.Info.Depth == 16 {
		f := *base
		f.View, f.Look, f.Deep = decode.ScaleToFit(fullView, vw, vh), l, true
		view = &f
	}
	return view, fullView
}
