// Package xwin drives real X11 windows from tests: it finds a window by its
// title, reads the title and on-screen geometry, injects keys and mouse clicks
// through the XTEST extension and captures screen pixels.
//
// It talks the X protocol directly (github.com/jezek/xgb), so it needs no C
// libraries and no helper programs such as xdotool or xwd: only an X server
// reachable through $DISPLAY, for example Xvfb started by xvfb-run.
//
// All coordinates are root-window (screen) coordinates. A Conn is not safe for
// concurrent use by several goroutines.
package xwin

import (
	"errors"
	"fmt"
	"image"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"
)

// Window is an X window id. It is an alias so callers need not import xproto.
type Window = xproto.Window

var (
	// ErrNoDisplay is returned by Connect when $DISPLAY is empty.
	ErrNoDisplay = errors.New("xwin: DISPLAY is not set")
	// ErrNotFound is returned when no window matches a search.
	ErrNotFound = errors.New("xwin: window not found")
)

// Conn is a connection to the X server named by $DISPLAY.
type Conn struct {
	x      *xgb.Conn
	setup  *xproto.SetupInfo
	screen *xproto.ScreenInfo

	// Atoms looked up once at connect time.
	atomNetWMName  xproto.Atom
	atomUTF8String xproto.Atom
	atomNetWMPID   xproto.Atom
	atomProtocols  xproto.Atom // WM_PROTOCOLS
	atomDelete     xproto.Atom // WM_DELETE_WINDOW

	// keymap caches the core keyboard mapping; see keycodeFor.
	keymap *xproto.GetKeyboardMappingReply

	pix pixelFormat
}

// Connect opens a connection to the X server named by $DISPLAY and checks
// that the XTEST extension is available, so input injection cannot fail
// later for that reason.
func Connect() (*Conn, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, ErrNoDisplay
	}
	// An X server started without -noreset (xvfb-run's default) resets
	// when its last client disconnects and drops connections made during
	// the reset, so a test that connects right after another one closed
	// can see EOF. Retry briefly instead of failing on that race.
	var x *xgb.Conn
	var err error
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		x, err = xgb.NewConn()
		if err == nil {
			break
		}
		if wait > time.Second {
			return nil, fmt.Errorf("xwin: connect to %q: %w", os.Getenv("DISPLAY"), err)
		}
		time.Sleep(wait)
	}
	c := &Conn{x: x}
	if err := c.init(); err != nil {
		x.Close()
		return nil, err
	}
	return c, nil
}

func (c *Conn) init() error {
	c.setup = xproto.Setup(c.x)
	c.screen = c.setup.DefaultScreen(c.x)

	if err := xtest.Init(c.x); err != nil {
		return fmt.Errorf("xwin: XTEST extension: %w", err)
	}
	// Ask for the version: it makes the server register us as an XTEST
	// client and proves the extension really answers.
	if _, err := xtest.GetVersion(c.x, 2, 2).Reply(); err != nil {
		return fmt.Errorf("xwin: XTEST version: %w", err)
	}

	// Pipeline the atom look-ups into one round trip.
	names := []string{"_NET_WM_NAME", "UTF8_STRING", "_NET_WM_PID", "WM_PROTOCOLS", "WM_DELETE_WINDOW"}
	cookies := make([]xproto.InternAtomCookie, len(names))
	for i, n := range names {
		cookies[i] = xproto.InternAtom(c.x, false, uint16(len(n)), n)
	}
	atoms := make([]xproto.Atom, len(names))
	for i, ck := range cookies {
		r, err := ck.Reply()
		if err != nil {
			return fmt.Errorf("xwin: intern atom %s: %w", names[i], err)
		}
		atoms[i] = r.Atom
	}
	c.atomNetWMName, c.atomUTF8String, c.atomNetWMPID = atoms[0], atoms[1], atoms[2]
	c.atomProtocols, c.atomDelete = atoms[3], atoms[4]

	pf, err := rootPixelFormat(c.setup, c.screen)
	if err != nil {
		return err
	}
	c.pix = pf
	return nil
}

// Close closes the connection. The Conn must not be used afterwards.
func (c *Conn) Close() {
	c.x.Close()
}

// Root returns the root window of the default screen.
func (c *Conn) Root() Window {
	return c.screen.Root
}

// ScreenBounds returns the size of the default screen as a rectangle at the
// origin.
func (c *Conn) ScreenBounds() image.Rectangle {
	return image.Rect(0, 0, int(c.screen.WidthInPixels), int(c.screen.HeightInPixels))
}
