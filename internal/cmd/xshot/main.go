// Command xshot saves the X screen (or the window whose title contains -w)
// as a PNG and can send keys first: a tool for looking at the real window
// under Xvfb while developing.
package main

import (
	"flag"
	"fmt"
	"image/png"
	"os"
	"strings"
	"time"

	"seqview/internal/xwin"
)

func main() {
	out := flag.String("o", "shot.png", "output PNG")
	title := flag.String("w", "", "capture only the window whose title contains this")
	keys := flag.String("keys", "", "comma-separated keysyms to send first: Right,Left,Home,End,space,f,…")
	wait := flag.Duration("wait", 500*time.Millisecond, "pause after the keys")
	flag.Parse()
	if err := run(*out, *title, *keys, *wait); err != nil {
		fmt.Fprintln(os.Stderr, "xshot:", err)
		os.Exit(1)
	}
}

var named = map[string]xwin.Keysym{
	"Right": xwin.KeyRight, "Left": xwin.KeyLeft, "Home": xwin.KeyHome, "End": xwin.KeyEnd,
	"Page_Up": xwin.KeyPageUp, "Page_Down": xwin.KeyPageDown, "space": xwin.KeySpace,
	"Escape": xwin.KeyEscape, "F11": 0xffc8,
}

func run(out, title, keys string, wait time.Duration) error {
	c, err := xwin.Connect()
	if err != nil {
		return err
	}
	defer c.Close()
	for _, k := range strings.Split(keys, ",") {
		if k == "" {
			continue
		}
		sym, ok := named[k]
		if !ok {
			r, err := xwin.RuneKeysym([]rune(k)[0])
			if err != nil || len([]rune(k)) != 1 {
				return fmt.Errorf("unknown key %q", k)
			}
			sym = r
		}
		if err := c.Key(sym); err != nil {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(wait)
	r := c.ScreenBounds()
	if title != "" {
		w, err := c.FindWindow(title)
		if err != nil {
			return err
		}
		if r, err = c.Geometry(w); err != nil {
			return err
		}
	}
	img, err := c.Capture(r)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}
