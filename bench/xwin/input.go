package xwin

import (
	"fmt"
	"image"

	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"
)

// Keysym is an X keysym: the symbol a key produces, independent of which
// physical key (keycode) carries it on the current keyboard mapping.
type Keysym uint32

// Keysyms for the keys tests need (values from X11/keysymdef.h). Printable
// ASCII characters are their own keysyms; see RuneKeysym.
const (
	KeyBackSpace Keysym = 0xff08
	KeyTab       Keysym = 0xff09
	KeyReturn    Keysym = 0xff0d
	KeyEscape    Keysym = 0xff1b
	KeyHome      Keysym = 0xff50
	KeyLeft      Keysym = 0xff51
	KeyUp        Keysym = 0xff52
	KeyRight     Keysym = 0xff53
	KeyDown      Keysym = 0xff54
	KeyPageUp    Keysym = 0xff55 // XK_Prior
	KeyPageDown  Keysym = 0xff56 // XK_Next
	KeyEnd       Keysym = 0xff57
	KeyF11       Keysym = 0xffc8
	KeyShiftL    Keysym = 0xffe1
	KeySpace     Keysym = 0x20
)

// RuneKeysym returns the keysym typing r produces: printable ASCII maps to
// itself, '\n' and '\r' to Return, '\t' to Tab, '\b' to BackSpace.
func RuneKeysym(r rune) (Keysym, error) {
	switch {
	case r >= 0x20 && r <= 0x7e:
		return Keysym(r), nil
	case r == '\n' || r == '\r':
		return KeyReturn, nil
	case r == '\t':
		return KeyTab, nil
	case r == '\b':
		return KeyBackSpace, nil
	}
	return 0, fmt.Errorf("xwin: no keysym for %q (only ASCII is supported)", r)
}

// Event types of XTEST FakeInput, equal to the core event codes.
const (
	fakeKeyPress      = xproto.KeyPress
	fakeKeyRelease    = xproto.KeyRelease
	fakeButtonPress   = xproto.ButtonPress
	fakeButtonRelease = xproto.ButtonRelease
	fakeMotion        = xproto.MotionNotify
)

// Key presses and releases the key that produces sym, holding Shift if sym
// is only reachable shifted (e.g. 'A' or '?'). The events go wherever the
// server sends real keyboard input: the focus window (see Activate).
func (c *Conn) Key(sym Keysym) error {
	kc, shift, err := c.keycodeFor(sym)
	if err != nil {
		return err
	}
	var shiftKC xproto.Keycode
	if shift {
		shiftKC, _, err = c.keycodeFor(KeyShiftL)
		if err != nil {
			return err
		}
		if err := c.fake(fakeKeyPress, byte(shiftKC), image.Point{}); err != nil {
			return err
		}
	}
	if err := c.fake(fakeKeyPress, byte(kc), image.Point{}); err != nil {
		return err
	}
	if err := c.fake(fakeKeyRelease, byte(kc), image.Point{}); err != nil {
		return err
	}
	if shift {
		if err := c.fake(fakeKeyRelease, byte(shiftKC), image.Point{}); err != nil {
			return err
		}
	}
	return nil
}

// TypeString types s key by key; s must be ASCII (see RuneKeysym).
func (c *Conn) TypeString(s string) error {
	for _, r := range s {
		sym, err := RuneKeysym(r)
		if err != nil {
			return err
		}
		if err := c.Key(sym); err != nil {
			return err
		}
	}
	return nil
}

// MouseMove moves the pointer to p in root coordinates.
func (c *Conn) MouseMove(p image.Point) error {
	// Detail 0 makes the motion absolute, relative to the root passed.
	return c.fake(fakeMotion, 0, p)
}

// Click moves the pointer to p and presses and releases the left button
// there. The motion is sent first because toolkits (GLFW, hence Fyne) use
// the last reported pointer position to decide what was clicked.
func (c *Conn) Click(p image.Point) error {
	if err := c.MouseMove(p); err != nil {
		return err
	}
	if err := c.fake(fakeButtonPress, 1, p); err != nil {
		return err
	}
	return c.fake(fakeButtonRelease, 1, p)
}

// fake sends one XTEST event and waits for the server to have processed
// it (the checked request is a round trip), so events are never reordered
// with later requests such as a screen capture and errors surface here.
func (c *Conn) fake(typ byte, detail byte, p image.Point) error {
	err := xtest.FakeInputChecked(c.x, typ, detail, xproto.TimeCurrentTime, c.screen.Root,
		int16(p.X), int16(p.Y), 0).Check()
	if err != nil {
		return fmt.Errorf("xwin: XTEST fake input (type %d, detail %d): %w", typ, detail, err)
	}
	return nil
}

// keycodeFor finds a keycode carrying sym in the core keyboard mapping,
// and whether Shift is needed to get it. The mapping is fetched once and
// fetched again when sym is not found, in case it changed since.
func (c *Conn) keycodeFor(sym Keysym) (kc xproto.Keycode, shift bool, err error) {
	for attempt := 0; attempt < 2; attempt++ {
		if c.keymap == nil || attempt > 0 {
			lo, hi := c.setup.MinKeycode, c.setup.MaxKeycode
			r, err := xproto.GetKeyboardMapping(c.x, lo, byte(hi-lo+1)).Reply()
			if err != nil {
				return 0, false, fmt.Errorf("xwin: get keyboard mapping: %w", err)
			}
			c.keymap = r
		}
		if kc, shift, ok := lookupKeysym(c.keymap, c.setup.MinKeycode, sym); ok {
			return kc, shift, nil
		}
	}
	return 0, false, fmt.Errorf("xwin: keysym %#x is not on the keyboard mapping", uint32(sym))
}

// lookupKeysym searches the mapping's first two columns (unshifted and
// shifted of group 1), preferring an unshifted hit on any keycode over a
// shifted one, so e.g. '1' is never typed as Shift+something.
func lookupKeysym(m *xproto.GetKeyboardMappingReply, min xproto.Keycode, sym Keysym) (xproto.Keycode, bool, bool) {
	per := int(m.KeysymsPerKeycode)
	if per == 0 {
		return 0, false, false
	}
	for col := 0; col < 2 && col < per; col++ {
		for i := 0; i+col < len(m.Keysyms); i += per {
			if Keysym(m.Keysyms[i+col]) == sym {
				return min + xproto.Keycode(i/per), col == 1, true
			}
		}
	}
	return 0, false, false
}
