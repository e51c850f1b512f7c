// Command xshot saves the X screen (or the window whose title contains -w)
// as a PNG and can send keys first: a tool for looking at the real window
// under Xvfb while developing.
//
//	DISPLAY=:9 xshot -w seqview -keys Right,Right,i -o shot.png
//
// With -w the window is raised and given the keyboard focus before the keys
// are sent (there is no window manager under Xvfb to do it), and -pointer
// parks the pointer at a point of the window (for instance inside the image,
// away from the buttons and their tooltips, or on a button to show its
// tooltip).
package main

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"strings"
	"time"

	"seqview/bench/xwin"
)

func main() {
	out := flag.String("o", "shot.png", "output PNG")
	title := flag.String("w", "", "capture only the window whose title contains this (and focus it before the keys)")
	keys := flag.String("keys", "", "comma-separated keys to send first: Right,Left,Home,End,Page_Up,Page_Down,space,Escape,F11, or one character (f, i, +, -, 0, 1, [, ])")
	pointer := flag.String("pointer", "", "move the pointer to X,Y (window coordinates with -w, else screen) before the keys")
	click := flag.String("click", "", "click at X,Y (window coordinates with -w, else screen) before the keys, after -pointer")
	gap := flag.Duration("gap", 50*time.Millisecond, "pause between keys")
	wait := flag.Duration("wait", 500*time.Millisecond, "pause after the keys")
	flag.Parse()
	if err := run(*out, *title, *keys, *pointer, *click, *gap, *wait); err != nil {
		fmt.Fprintln(os.Stderr, "xshot:", err)
		os.Exit(1)
	}
}

var named = map[string]xwin.Keysym{
	"Right": xwin.KeyRight, "Left": xwin.KeyLeft, "Home": xwin.KeyHome, "End": xwin.KeyEnd,
	"Page_Up": xwin.KeyPageUp, "Page_Down": xwin.KeyPageDown, "space": xwin.KeySpace,
	"Escape": xwin.KeyEscape, "F11": xwin.KeyF11, "Return": xwin.KeyReturn,
}

func run(out, title, keys, pointer, click string, gap, wait time.Duration) error {
	c, err := xwin.Connect()
	if err != nil {
		return err
	}
	defer c.Close()
	var w xwin.Window
	var origin image.Point
	if title != "" {
		if w, err = c.FindWindow(title); err != nil {
			return err
		}
		g, err := c.Geometry(w)
		if err != nil {
			return err
		}
		origin = g.Min
		if err := c.Activate(w); err != nil {
			return err
		}
	}
	if pointer != "" {
		p, err := parsePoint("-pointer", pointer)
		if err != nil {
			return err
		}
		if err := c.MouseMove(origin.Add(p)); err != nil {
			return err
		}
	}
	if click != "" {
		p, err := parsePoint("-click", click)
		if err != nil {
			return err
		}
		if err := c.Click(origin.Add(p)); err != nil {
			return err
		}
		time.Sleep(gap)
	}
	for _, k := range strings.Split(keys, ",") {
		if k == "" {
			continue
		}
		sym, ok := named[k]
		if !ok {
			r := []rune(k)
			if len(r) != 1 {
				return fmt.Errorf("unknown key %q", k)
			}
			if sym, err = xwin.RuneKeysym(r[0]); err != nil {
				return err
			}
		}
		if err := c.Key(sym); err != nil {
			return err
		}
		time.Sleep(gap)
	}
	time.Sleep(wait)
	r := c.ScreenBounds()
	if title != "" {
		// Fetch the geometry again: the keys may have resized the window
		// (fullscreen).
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
	// Best compression: the screenshots are small enough to commit.
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func parsePoint(flag, s string) (image.Point, error) {
	var p image.Point
	if _, err := fmt.Sscanf(s, "%d,%d", &p.X, &p.Y); err != nil {
		return p, fmt.Errorf("%s %q: want X,Y", flag, s)
	}
	return p, nil
}
