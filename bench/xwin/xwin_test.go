package xwin

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// These tests need an X server. Without $DISPLAY they skip; `make test`
// runs them under xvfb-run. They create their own windows from a second
// connection, standing in for the application under test, so they depend
// on no other X program.

func connect(t testing.TB) *Conn {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no X display: run `make e2e` (starts Xvfb) or, in bench/, `xvfb-run -a go test ./xwin/`")
	}
	c, err := Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// peer is a second X client owning test windows and recording the events
// they receive.
type peer struct {
	t      *testing.T
	x      *xgb.Conn
	events chan xgb.Event
}

func newPeer(t *testing.T) *peer {
	t.Helper()
	x, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	p := &peer{t: t, x: x, events: make(chan xgb.Event, 1000)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			ev, err := x.WaitForEvent()
			if ev == nil && err == nil {
				return // connection closed
			}
			if ev != nil {
				p.events <- ev
			}
		}
	}()
	t.Cleanup(func() {
		x.Close()
		<-done
	})
	return p
}

type winSpec struct {
	parent   xproto.Window // 0 = root
	rect     image.Rectangle
	bg       color.RGBA
	netName  string // _NET_WM_NAME (UTF-8), if non-empty
	wmName   []byte // WM_NAME as STRING (Latin-1), if non-nil
	pid      int    // _NET_WM_PID, if non-zero
	unmapped bool
}

// window creates and maps a window as described and waits until it is
// viewable.
func (p *peer) window(s winSpec) xproto.Window {
	p.t.Helper()
	screen := xproto.Setup(p.x).DefaultScreen(p.x)
	parent := s.parent
	if parent == 0 {
		parent = screen.Root
	}
	wid, err := xproto.NewWindowId(p.x)
	if err != nil {
		p.t.Fatal(err)
	}
	pf, err := rootPixelFormat(xproto.Setup(p.x), screen)
	if err != nil {
		p.t.Fatal(err)
	}
	mask := uint32(xproto.EventMaskKeyPress | xproto.EventMaskKeyRelease |
		xproto.EventMaskButtonPress | xproto.EventMaskButtonRelease | xproto.EventMaskStructureNotify)
	err = xproto.CreateWindowChecked(p.x, screen.RootDepth, wid, parent,
		int16(s.rect.Min.X), int16(s.rect.Min.Y), uint16(s.rect.Dx()), uint16(s.rect.Dy()), 0,
		xproto.WindowClassInputOutput, screen.RootVisual,
		xproto.CwBackPixel|xproto.CwOverrideRedirect|xproto.CwEventMask,
		[]uint32{pixelFor(pf, s.bg), 1, mask}).Check()
	if err != nil {
		p.t.Fatal(err)
	}
	intern := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(p.x, false, uint16(len(name)), name).Reply()
		if err != nil {
			p.t.Fatal(err)
		}
		return r.Atom
	}
	if s.netName != "" {
		xproto.ChangeProperty(p.x, xproto.PropModeReplace, wid, intern("_NET_WM_NAME"), intern("UTF8_STRING"),
			8, uint32(len(s.netName)), []byte(s.netName))
	}
	if s.wmName != nil {
		xproto.ChangeProperty(p.x, xproto.PropModeReplace, wid, xproto.AtomWmName, xproto.AtomString,
			8, uint32(len(s.wmName)), s.wmName)
	}
	if s.pid != 0 {
		b := binary.LittleEndian.AppendUint32(nil, uint32(s.pid))
		xproto.ChangeProperty(p.x, xproto.PropModeReplace, wid, intern("_NET_WM_PID"), xproto.AtomCardinal, 32, 1, b)
	}
	if !s.unmapped {
		if err := xproto.MapWindowChecked(p.x, wid).Check(); err != nil {
			p.t.Fatal(err)
		}
	}
	p.t.Cleanup(func() { xproto.DestroyWindow(p.x, wid) })
	return wid
}

func pixelFor(pf pixelFormat, c color.RGBA) uint32 {
	put := func(ch channel, v uint8) uint32 {
		x := uint32(v)
		if ch.width < 8 {
			x >>= 8 - ch.width
		} else {
			x <<= ch.width - 8
		}
		return x << ch.shift & ch.mask
	}
	return put(pf.red, c.R) | put(pf.green, c.G) | put(pf.blue, c.B)
}

// next returns the next event of type T, skipping others, or fails after a
// generous hang guard.
func next[T xgb.Event](t *testing.T, p *peer) T {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-p.events:
			if e, ok := ev.(T); ok {
				return e
			}
		case <-deadline:
			var zero T
			t.Fatalf("no %T event arrived", zero)
			return zero
		}
	}
}

func unique(t *testing.T) string {
	return fmt.Sprintf("xwin-test %s %d %d", t.Name(), os.Getpid(), time.Now().UnixNano())
}

func TestFindTitleGeometry(t *testing.T) {
	c := connect(t)
	p := newPeer(t)
	u := unique(t)
	title := "ünïcode " + u + " — seqview"
	top := p.window(winSpec{rect: image.Rect(100, 80, 300, 200), bg: color.RGBA{200, 30, 40, 255}, netName: title, pid: 4242})
	nested := p.window(winSpec{parent: top, rect: image.Rect(10, 20, 60, 50), bg: color.RGBA{0, 0, 255, 255}, netName: "nested " + u})
	p.window(winSpec{rect: image.Rect(0, 0, 10, 10), netName: "hidden " + u, unmapped: true})

	got, err := c.FindWindow(title)
	if err != nil || got != top {
		t.Fatalf("FindWindow(title) = %#x, %v; want %#x", got, err, top)
	}
	if got, err := c.FindWindow("nested " + u); err != nil || got != nested {
		t.Fatalf("FindWindow(nested) = %#x, %v; want %#x (the search must descend the tree)", got, err, nested)
	}
	if _, err := c.FindWindow("hidden " + u); !errors.Is(err, ErrNotFound) {
		t.Fatalf("FindWindow(unmapped) err = %v; want ErrNotFound", err)
	}
	ws, err := c.Windows(u)
	if err != nil || len(ws) != 2 || ws[0] != top || ws[1] != nested {
		t.Fatalf("Windows(u) = %#x, %v; want [top nested] = [%#x %#x]", ws, err, top, nested)
	}

	if s, err := c.Title(top); err != nil || s != title {
		t.Fatalf("Title = %q, %v; want %q", s, err, title)
	}
	if pid, err := c.PID(top); err != nil || pid != 4242 {
		t.Fatalf("PID = %d, %v; want 4242", pid, err)
	}
	if _, err := c.PID(nested); !errors.Is(err, ErrNotFound) {
		t.Fatalf("PID of a window without _NET_WM_PID: err = %v; want ErrNotFound", err)
	}
	if r, err := c.Geometry(top); err != nil || r != image.Rect(100, 80, 300, 200) {
		t.Fatalf("Geometry(top) = %v, %v", r, err)
	}
	if r, err := c.Geometry(nested); err != nil || r != image.Rect(110, 100, 160, 130) {
		t.Fatalf("Geometry(nested) = %v, %v; want root coordinates", r, err)
	}
}

func TestTitleLatin1WMName(t *testing.T) {
	c := connect(t)
	p := newPeer(t)
	u := unique(t)
	w := p.window(winSpec{rect: image.Rect(0, 0, 20, 20), wmName: append([]byte("caf\xe9 "), u...)})
	if s, err := c.Title(w); err != nil || s != "café "+u {
		t.Fatalf("Title = %q, %v; want %q", s, err, "café "+u)
	}
	if got, err := c.FindWindow("café " + u); err != nil || got != w {
		t.Fatalf("FindWindow by WM_NAME = %#x, %v", got, err)
	}
}

func TestCapture(t *testing.T) {
	c := connect(t)
	p := newPeer(t)
	bg := color.RGBA{30, 160, 220, 255}
	inner := color.RGBA{250, 200, 10, 255}
	top := p.window(winSpec{rect: image.Rect(50, 60, 250, 160), bg: bg, netName: unique(t)})
	p.window(winSpec{parent: top, rect: image.Rect(100, 50, 200, 100), bg: inner})

	img, err := c.Capture(image.Rect(50, 60, 250, 160))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(50, 60, 250, 160) {
		t.Fatalf("bounds %v", img.Bounds())
	}
	check := func(x, y int, want color.RGBA) {
		t.Helper()
		if got := img.RGBAAt(x, y); got != want {
			t.Errorf("pixel (%d,%d) = %v, want %v", x, y, got, want)
		}
	}
	check(50, 60, bg)
	check(149, 109, bg)
	check(150, 110, inner)
	check(249, 159, inner)

	// Off-screen parts are clipped rather than failing.
	sb := c.ScreenBounds()
	img, err = c.Capture(image.Rect(sb.Max.X-10, -5, sb.Max.X+10, 5))
	if err != nil {
		t.Fatal(err)
	}
	if want := image.Rect(sb.Max.X-10, 0, sb.Max.X, 5); img.Bounds() != want {
		t.Fatalf("clipped bounds %v, want %v", img.Bounds(), want)
	}
	if _, err := c.Capture(image.Rect(-20, -20, -1, -1)); err == nil {
		t.Fatal("capture entirely off screen: want an error")
	}
}

func TestKey(t *testing.T) {
	c := connect(t)
	p := newPeer(t)
	w := p.window(winSpec{rect: image.Rect(10, 10, 110, 110), netName: unique(t)})
	if err := c.Activate(w); err != nil {
		t.Fatal(err)
	}
	// Put the pointer inside too: with focus PointerRoot (if anything
	// reverts it) keys follow the pointer.
	if err := c.MouseMove(image.Pt(60, 60)); err != nil {
		t.Fatal(err)
	}

	setup := xproto.Setup(p.x)
	km, err := xproto.GetKeyboardMapping(p.x, setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode+1)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	symOf := func(kc xproto.Keycode, state uint16) Keysym {
		col := 0
		if state&xproto.ModMaskShift != 0 {
			col = 1
		}
		return Keysym(km.Keysyms[int(kc-setup.MinKeycode)*int(km.KeysymsPerKeycode)+col])
	}

	for _, sym := range []Keysym{KeyRight, KeyLeft, KeyHome, KeyEnd, KeyPageUp, KeyPageDown, KeySpace, 'a', 'A', '?', '7'} {
		if err := c.Key(sym); err != nil {
			t.Fatal(err)
		}
		press := next[xproto.KeyPressEvent](t, p)
		if sym == 'A' || sym == '?' {
			// Shift comes first; the symbol's press follows with the
			// Shift modifier in its state.
			if got := symOf(press.Detail, 0); got != KeyShiftL && got != 0xffe2 {
				t.Fatalf("Key(%q): first press is %#x, want Shift", rune(sym), got)
			}
			press = next[xproto.KeyPressEvent](t, p)
		}
		if got := symOf(press.Detail, press.State); got != sym {
			t.Errorf("Key(%#x): got keysym %#x (keycode %d, state %#x)", sym, got, press.Detail, press.State)
		}
		if press.Event != w {
			t.Errorf("Key(%#x) went to window %#x, want %#x", sym, press.Event, w)
		}
		rel := next[xproto.KeyReleaseEvent](t, p)
		if rel.Detail != press.Detail {
			t.Errorf("Key(%#x): release keycode %d, press %d", sym, rel.Detail, press.Detail)
		}
		if sym == 'A' || sym == '?' {
			next[xproto.KeyReleaseEvent](t, p) // Shift
		}
	}
	if err := c.TypeString("ok"); err != nil {
		t.Fatal(err)
	}
	for _, want := range "ok" {
		if got := next[xproto.KeyPressEvent](t, p); symOf(got.Detail, got.State) != Keysym(want) {
			t.Errorf("TypeString: got keycode %d, want %q", got.Detail, want)
		}
	}
	if err := c.Key(0x1234567); err == nil {
		t.Error("Key with an unmapped keysym: want an error")
	}
}

func TestClick(t *testing.T) {
	c := connect(t)
	p := newPeer(t)
	w := p.window(winSpec{rect: image.Rect(200, 150, 400, 300), netName: unique(t)})
	if err := c.Click(image.Pt(230, 290)); err != nil {
		t.Fatal(err)
	}
	press := next[xproto.ButtonPressEvent](t, p)
	if press.Event != w || press.Detail != 1 || press.EventX != 30 || press.EventY != 140 || press.RootX != 230 || press.RootY != 290 {
		t.Fatalf("press = %+v; want button 1 at (30,140) in window %#x", press, w)
	}
	rel := next[xproto.ButtonReleaseEvent](t, p)
	if rel.Detail != 1 || rel.EventX != 30 || rel.EventY != 140 {
		t.Fatalf("release = %+v", rel)
	}
}

// The tests below need no X server.

func TestRuneKeysym(t *testing.T) {
	for r, want := range map[rune]Keysym{' ': KeySpace, 'a': 'a', '~': '~', '\n': KeyReturn, '\t': KeyTab} {
		if got, err := RuneKeysym(r); err != nil || got != want {
			t.Errorf("RuneKeysym(%q) = %#x, %v; want %#x", r, got, err, want)
		}
	}
	if _, err := RuneKeysym('é'); err == nil {
		t.Error("RuneKeysym('é'): want an error")
	}
}

func TestLookupKeysym(t *testing.T) {
	// Keycodes 8.. with 3 keysyms each: '1' '!'; 'a' 'A'; '!' (unshifted).
	m := &xproto.GetKeyboardMappingReply{KeysymsPerKeycode: 3, Keysyms: []xproto.Keysym{
		'1', '!', 0,
		'a', 'A', 0,
		'!', 0, 0,
	}}
	for _, tc := range []struct {
		sym   Keysym
		kc    xproto.Keycode
		shift bool
		ok    bool
	}{
		{'1', 8, false, true},
		{'A', 9, true, true},
		{'!', 10, false, true}, // an unshifted keycode is preferred
		{'z', 0, false, false},
	} {
		kc, shift, ok := lookupKeysym(m, 8, tc.sym)
		if kc != tc.kc || shift != tc.shift || ok != tc.ok {
			t.Errorf("lookupKeysym(%q) = %d, %v, %v; want %d, %v, %v", rune(tc.sym), kc, shift, ok, tc.kc, tc.shift, tc.ok)
		}
	}
}

func TestDecodeFormats(t *testing.T) {
	orange := color.RGBA{0xff, 0x80, 0x00, 0xff}
	for _, tc := range []struct {
		name string
		pf   pixelFormat
		px   []byte // one pixel, padded to the scanline
		want color.RGBA
	}{
		{"BGRX", pixelFormat{32, 32, false, newChannel(0xff0000), newChannel(0xff00), newChannel(0xff)},
			[]byte{0x00, 0x80, 0xff, 0x00}, orange},
		{"XRGB-msb", pixelFormat{32, 32, true, newChannel(0xff0000), newChannel(0xff00), newChannel(0xff)},
			[]byte{0x00, 0xff, 0x80, 0x00}, orange},
		{"RGBX-lsb-24", pixelFormat{24, 32, false, newChannel(0xff), newChannel(0xff00), newChannel(0xff0000)},
			[]byte{0xff, 0x80, 0x00, 0x00}, orange},
		{"RGB565", pixelFormat{16, 32, false, newChannel(0xf800), newChannel(0x07e0), newChannel(0x001f)},
			// r=31 g=32 b=0 is 0xfc00; 6-bit 32 widens to 0x82 (bit replication).
			[]byte{0x00, 0xfc, 0x00, 0x00}, color.RGBA{0xff, 0x82, 0x00, 0xff}},
	} {
		img := image.NewRGBA(image.Rect(0, 0, 1, 2))
		data := append(append([]byte{}, tc.px...), tc.px...)
		if err := tc.pf.decode(img, data, 1, 2); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for y := 0; y < 2; y++ {
			if got := img.RGBAAt(0, y); got != tc.want {
				t.Errorf("%s: pixel %d = %v, want %v", tc.name, y, got, tc.want)
			}
		}
	}
}

func BenchmarkCapture(b *testing.B) {
	c := connect(b)
	for _, size := range []int{16, 256} {
		b.Run(fmt.Sprintf("%dx%d", size, size), func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Capture(image.Rect(0, 0, size, size)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("screen", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Capture(c.ScreenBounds()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
