package xwin

import (
	"encoding/binary"
	"fmt"
	"image"
	"strings"
	"unicode/utf8"

	"github.com/jezek/xgb/xproto"
)

// maxTitleLongs bounds how much of a title property is read, in 32-bit
// units (4 KiB): far more than any real title, small enough to stay cheap.
const maxTitleLongs = 1024

// FindWindow returns the first viewable window, at any depth of the window
// tree, whose title contains substr. It returns ErrNotFound if there is none.
//
// The whole tree is searched, not only the root's children, because a
// window manager reparents client windows into frames and some toolkits
// nest their windows. Unmapped windows are skipped: they can be neither
// captured nor clicked, and toolkits create hidden helper windows.
func (c *Conn) FindWindow(substr string) (Window, error) {
	ws, err := c.Windows(substr)
	if err != nil {
		return 0, err
	}
	if len(ws) == 0 {
		return 0, fmt.Errorf("%w: no viewable window title contains %q", ErrNotFound, substr)
	}
	return ws[0], nil
}

// Windows returns every viewable window whose title contains substr, in
// breadth-first order of the window tree (so top-level windows come first).
// An empty result is not an error.
func (c *Conn) Windows(substr string) ([]Window, error) {
	var found []Window
	level := []Window{c.screen.Root}
	for len(level) > 0 {
		// Requests of one level are pipelined: all cookies are sent
		// before the first reply is awaited, so a level costs one round
		// trip however many windows it has.
		trees := make([]xproto.QueryTreeCookie, len(level))
		for i, w := range level {
			trees[i] = xproto.QueryTree(c.x, w)
		}
		var next []Window
		for _, ck := range trees {
			r, err := ck.Reply()
			if err != nil {
				// The window went away between the parent's reply and
				// this request; that is normal churn, not a failure.
				continue
			}
			next = append(next, r.Children...)
		}

		attrs := make([]xproto.GetWindowAttributesCookie, len(next))
		titles := make([]titleCookies, len(next))
		for i, w := range next {
			attrs[i] = xproto.GetWindowAttributes(c.x, w)
			titles[i] = c.requestTitle(w)
		}
		for i, w := range next {
			a, err := attrs[i].Reply()
			title, terr := c.titleReply(titles[i])
			if err != nil || terr != nil {
				continue // destroyed meanwhile
			}
			if a.MapState == xproto.MapStateViewable && strings.Contains(title, substr) {
				found = append(found, w)
			}
		}
		level = next
	}
	return found, nil
}

// Title returns the window's title: _NET_WM_NAME (UTF-8) if set, else
// WM_NAME. A window without either has the empty title.
func (c *Conn) Title(w Window) (string, error) {
	t, err := c.titleReply(c.requestTitle(w))
	if err != nil {
		return "", fmt.Errorf("xwin: title of window %#x: %w", uint32(w), err)
	}
	return t, nil
}

type titleCookies struct {
	netName, name xproto.GetPropertyCookie
}

func (c *Conn) requestTitle(w Window) titleCookies {
	return titleCookies{
		netName: xproto.GetProperty(c.x, false, w, c.atomNetWMName, xproto.GetPropertyTypeAny, 0, maxTitleLongs),
		name:    xproto.GetProperty(c.x, false, w, xproto.AtomWmName, xproto.GetPropertyTypeAny, 0, maxTitleLongs),
	}
}

// titleReply always collects both replies so no reply is left queued.
func (c *Conn) titleReply(ck titleCookies) (string, error) {
	nr, nerr := ck.netName.Reply()
	r, err := ck.name.Reply()
	if nerr == nil && nr.Format == 8 && nr.ValueLen > 0 {
		return string(nr.Value[:nr.ValueLen]), nil
	}
	if err != nil {
		return "", err
	}
	if r.Format != 8 || r.ValueLen == 0 {
		return "", nil
	}
	v := r.Value[:r.ValueLen]
	if r.Type == c.atomUTF8String && utf8.Valid(v) {
		return string(v), nil
	}
	// STRING is ISO 8859-1, whose code points equal the first 256 runes.
	// COMPOUND_TEXT is treated the same: it agrees with Latin-1 except for
	// escape sequences, which titles set by modern toolkits (that also set
	// _NET_WM_NAME) do not reach this branch with.
	var b strings.Builder
	for _, ch := range v {
		b.WriteRune(rune(ch))
	}
	return b.String(), nil
}

// PID returns the process id stored in the window's _NET_WM_PID property,
// which GLFW and most toolkits set; it tells apart windows of the same
// title owned by different processes.
func (c *Conn) PID(w Window) (int, error) {
	r, err := xproto.GetProperty(c.x, false, w, c.atomNetWMPID, xproto.AtomCardinal, 0, 1).Reply()
	if err != nil {
		return 0, fmt.Errorf("xwin: _NET_WM_PID of window %#x: %w", uint32(w), err)
	}
	if r.Format != 32 || r.ValueLen != 1 {
		return 0, fmt.Errorf("xwin: window %#x has no _NET_WM_PID: %w", uint32(w), ErrNotFound)
	}
	// xgb always connects as a little-endian client (byte-order byte
	// 0x6c), so the server sends 32-bit property items little-endian.
	return int(binary.LittleEndian.Uint32(r.Value)), nil
}

// Geometry returns the window's inside area (without its border) in root
// coordinates. TranslateCoordinates is used rather than GetGeometry's x and
// y because those are relative to the parent, which is a frame window when
// a window manager has reparented the window.
func (c *Conn) Geometry(w Window) (image.Rectangle, error) {
	gck := xproto.GetGeometry(c.x, xproto.Drawable(w))
	tck := xproto.TranslateCoordinates(c.x, w, c.screen.Root, 0, 0)
	g, err := gck.Reply()
	t, terr := tck.Reply()
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("xwin: geometry of window %#x: %w", uint32(w), err)
	}
	if terr != nil {
		return image.Rectangle{}, fmt.Errorf("xwin: translate coordinates of window %#x: %w", uint32(w), terr)
	}
	x, y := int(t.DstX), int(t.DstY)
	return image.Rect(x, y, x+int(g.Width), y+int(g.Height)), nil
}

// Activate raises the window and gives it the input focus, as a window
// manager would on a click. Without a window manager (Xvfb) nobody else
// does this. With one, the manager may refuse or undo it.
func (c *Conn) Activate(w Window) error {
	if err := xproto.ConfigureWindowChecked(c.x, w, xproto.ConfigWindowStackMode,
		[]uint32{xproto.StackModeAbove}).Check(); err != nil {
		return fmt.Errorf("xwin: raise window %#x: %w", uint32(w), err)
	}
	if err := xproto.SetInputFocusChecked(c.x, xproto.InputFocusPointerRoot, w,
		xproto.TimeCurrentTime).Check(); err != nil {
		return fmt.Errorf("xwin: focus window %#x: %w", uint32(w), err)
	}
	return nil
}

// CloseWindow asks window w to close, as a window manager's close button does:
// a WM_DELETE_WINDOW message, which the application answers by closing.
func (c *Conn) CloseWindow(w Window) error {
	ev := xproto.ClientMessageEvent{Format: 32, Window: w, Type: c.atomProtocols,
		Data: xproto.ClientMessageDataUnionData32New([]uint32{uint32(c.atomDelete), uint32(xproto.TimeCurrentTime), 0, 0, 0})}
	if err := xproto.SendEventChecked(c.x, false, w, xproto.EventMaskNoEvent, string(ev.Bytes())).Check(); err != nil {
		return fmt.Errorf("xwin: close window %#x: %w", uint32(w), err)
	}
	return nil
}
