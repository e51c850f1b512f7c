package e2e

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"seqview/bench/xwin"
)

// The zoom, info overlay and fullscreen steps of TestViewer. They run on a
// paused frame and find the picture on screen by its colour, so they do not
// depend on the exact layout of the menu bar and the controls.

var (
	// checkerRect is where every test frame has a checkerboard of single
	// black and white pixels (see checkerColor), away from the centre that
	// observe samples and from the top-right corner the info box covers.
	checkerRect = image.Rect(24, 24, 88, 88)

	// background is the image area's colour around the picture
	// (viewer.Background).
	background = color.RGBA{0x20, 0x20, 0x22, 0xff}
)

// checkerColor is the colour of frame pixel (x, y) inside checkerRect.
func checkerColor(x, y int) color.RGBA {
	if (x+y)%2 == 0 {
		return color.RGBA{255, 255, 255, 255}
	}
	return color.RGBA{0, 0, 0, 255}
}

const (
	// zoomStep is the factor of one + or - key.
	zoomStep = 1.25
	// sideX is how far right of the window's left edge the point is that
	// shows the picture when fitted and the background at 100 %: the 16:9
	// frame fitted to the ~1270×610 image area starts ~95 px from the left,
	// at 100 % it starts ~320 px from the left.
	sideX = 150
)

// until polls check every pollInterval until it reports ok continuously
// for hold, and fails the test after guard with what check last saw. want
// says what the step waits for, for the failure message.
func (s *session) until(t *testing.T, guard time.Duration, want string, check func() (ok bool, seen string)) {
	t.Helper()
	deadline := time.Now().Add(guard)
	var since time.Time
	for {
		s.app.checkRunning(t)
		ok, seen := check()
		now := time.Now()
		switch {
		case !ok:
			since = time.Time{}
		case since.IsZero():
			since = now
		case now.Sub(since) >= hold:
			t.Logf("%s: %s", want, seen)
			return
		}
		if now.After(deadline) {
			s.fail(t, "want %s; last seen: %s", want, seen)
		}
		time.Sleep(pollInterval)
	}
}

// frameBox returns the bounding box, in screen coordinates, of the window's
// pixels that have frame i's colour: where the picture is on screen (the
// checkerboard is inside it, so it does not change the box).
func (s *session) frameBox(i int) (image.Rectangle, error) {
	g, err := s.x.Geometry(s.win)
	if err != nil {
		return image.Rectangle{}, err
	}
	img, err := s.x.Capture(g)
	if err != nil {
		return image.Rectangle{}, err
	}
	c := frameColor(i)
	box := image.Rectangle{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[(y-b.Min.Y)*img.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			p := row[4*(x-b.Min.X):]
			if near(color.RGBA{p[0], p[1], p[2], 255}, c) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box, nil
}

// colorAt returns the median colour of a patch around p.
func (s *session) colorAt(p image.Point) (color.RGBA, error) {
	img, err := s.x.Capture(image.Rect(p.X-patch/2, p.Y-patch/2, p.X+patch/2+1, p.Y+patch/2+1))
	if err != nil {
		return color.RGBA{}, err
	}
	return median(img), nil
}

func center(r image.Rectangle) image.Point {
	return image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
}

func within(a, b image.Point, d int) bool {
	return a.X-b.X <= d && b.X-a.X <= d && a.Y-b.Y <= d && b.Y-a.Y <= d
}

// zoomSteps checks fit, 100 % with exact pixels, and zooming in and out
// around the view's centre, on the (paused) frame shown.
func (s *session) zoomSteps(step func(string, func(*testing.T))) {
	var (
		cur  int             // the frame shown
		fit  image.Rectangle // where the fitted picture is on screen
		side image.Point     // left of the picture at 100 %, inside it when fitted
	)

	step("fitted_picture", func(t *testing.T) {
		cur = titleFrame(s.observe().title)
		if cur == 0 {
			s.fail(t, "no frame shown: %v", s.observe())
		}
		g := s.geometry(t)
		// Fitted (contain), the 16:9 frame is scaled up to fill the image
		// area's height: larger than the frame, with the frame's aspect.
		s.until(t, stepDeadline, fmt.Sprintf("frame %d scaled up to fit, %d:%d", cur, frameWidth, frameHeight),
			func() (bool, string) {
				box, err := s.frameBox(cur)
				if err != nil {
					return false, err.Error()
				}
				fit = box
				aspect := float64(box.Dx()) * frameHeight / (float64(box.Dy()) * frameWidth)
				ok := box.Dx() > frameWidth && box.Dy() > frameHeight && math.Abs(aspect-1) < 0.01 &&
					within(center(box), image.Pt(center(g).X, center(box).Y), 1)
				return ok, fmt.Sprintf("picture at %v (%dx%d) in window %v", box, box.Dx(), box.Dy(), g)
			})
		side = image.Pt(g.Min.X+sideX, center(fit).Y)
		if !side.In(fit) {
			s.fail(t, "the fitted picture %v does not reach x=%d: the window is too narrow for this test", fit, side.X)
		}
	})

	// actual waits for the picture at 100 %: frame-sized, centred where
	// the fitted picture is, the background beside it. Centres may differ
	// by a few pixels: Fyne's menu-bar shadow darkens the top 4 px of the
	// image area, so the fitted picture's visible box is that much shorter.
	actual := func(t *testing.T) image.Rectangle {
		var box image.Rectangle
		s.until(t, stepDeadline, fmt.Sprintf("a %dx%d picture centred at %v and the background at %v",
			frameWidth, frameHeight, center(fit), side), func() (bool, string) {
			var err error
			if box, err = s.frameBox(cur); err != nil {
				return false, err.Error()
			}
			c, err := s.colorAt(side)
			if err != nil {
				return false, err.Error()
			}
			ok := box.Size() == image.Pt(frameWidth, frameHeight) && within(center(box), center(fit), 3) &&
				near(c, background)
			return ok, fmt.Sprintf("picture at %v (%dx%d), colour %v at %v", box, box.Dx(), box.Dy(), c, side)
		})
		return box
	}

	var box image.Rectangle
	step("1_shows_100_percent", func(t *testing.T) {
		s.key(t, '1')
		box = actual(t)
	})
	// At 100 % every screen pixel is one frame pixel, copied exactly:
	// nearest-neighbour sampling, no filtering, no half-pixel offset. A
	// checkerboard of single pixels shows any of these as grey or doubled
	// pixels.
	step("100_percent_pixels_exact", func(t *testing.T) {
		r := checkerRect.Add(box.Min)
		s.until(t, stepDeadline, fmt.Sprintf("the checkerboard at %v exact", r), func() (bool, string) {
			img, err := s.x.Capture(r)
			if err != nil {
				return false, err.Error()
			}
			wrong, first := 0, ""
			colours := map[color.RGBA]bool{}
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					got := img.RGBAAt(x, y)
					colours[got] = true
					if want := checkerColor(x-box.Min.X, y-box.Min.Y); got != want {
						if wrong == 0 {
							first = fmt.Sprintf("; first at %v: %v, want %v", image.Pt(x, y), got, want)
						}
						wrong++
					}
				}
			}
			return wrong == 0, fmt.Sprintf("%d of %d pixels wrong, %d distinct colours%s",
				wrong, r.Dx()*r.Dy(), len(colours), first)
		})
	})
	step("0_fits", func(t *testing.T) {
		s.key(t, '0')
		s.until(t, stepDeadline, fmt.Sprintf("the picture fitted at %v and at %v", fit, side), func() (bool, string) {
			b, err := s.frameBox(cur)
			if err != nil {
				return false, err.Error()
			}
			c, err := s.colorAt(side)
			if err != nil {
				return false, err.Error()
			}
			ok := within(b.Min, fit.Min, 1) && within(b.Max, fit.Max, 1) && near(c, frameColor(cur))
			return ok, fmt.Sprintf("picture at %v, colour %v at %v", b, c, side)
		})
	})

	// Zooming from 100 % by + and back by -: the picture grows and shrinks
	// around the view's centre and is clipped to the image area (which the
	// fitted picture's height spans), never drawn over the menu bar or the
	// controls; - comes back to exactly 100 %.
	step("1_again", func(t *testing.T) {
		s.key(t, '1')
		actual(t)
	})
	zoomTo := func(t *testing.T, k int) {
		scale := math.Pow(zoomStep, float64(k))
		w, h := int(math.Round(frameWidth*scale)), int(math.Round(frameHeight*scale))
		h = min(h, fit.Dy())
		s.until(t, stepDeadline, fmt.Sprintf("the picture %dx%d (%.0f %%) centred at %v, clipped to %d..%d",
			w, h, 100*scale, center(fit), fit.Min.Y, fit.Max.Y), func() (bool, string) {
			b, err := s.frameBox(cur)
			if err != nil {
				return false, err.Error()
			}
			ok := b.Dx() >= w-2 && b.Dx() <= w+2 && b.Dy() >= h-2 && b.Dy() <= h+2 &&
				within(center(b), center(fit), 3) && b.Min.Y >= fit.Min.Y-1 && b.Max.Y <= fit.Max.Y+1
			return ok, fmt.Sprintf("picture at %v (%dx%d)", b, b.Dx(), b.Dy())
		})
	}
	for k := 1; k <= 3; k++ {
		step(fmt.Sprintf("plus_%d", k), func(t *testing.T) {
			s.key(t, '+')
			zoomTo(t, k)
		})
	}
	step("zoomed_past_side", func(t *testing.T) {
		s.until(t, stepDeadline, fmt.Sprintf("frame %d's colour at %v", cur, side), func() (bool, string) {
			c, err := s.colorAt(side)
			if err != nil {
				return false, err.Error()
			}
			return near(c, frameColor(cur)), fmt.Sprintf("colour %v", c)
		})
	})
	for k := 2; k >= 0; k-- {
		step(fmt.Sprintf("minus_to_%d", k), func(t *testing.T) {
			s.key(t, '-')
			if k == 0 {
				actual(t)
				return
			}
			zoomTo(t, k)
		})
	}
	step("0_fits_again", func(t *testing.T) {
		s.key(t, '0')
		s.until(t, stepDeadline, fmt.Sprintf("the picture fitted at %v", fit), func() (bool, string) {
			b, err := s.frameBox(cur)
			if err != nil {
				return false, err.Error()
			}
			return within(b.Min, fit.Min, 1) && within(b.Max, fit.Max, 1), fmt.Sprintf("picture at %v", b)
		})
	})
}

// infoSteps checks that i shows a box in the top right of the image area
// and that i hides it again, on the fitted, paused frame shown.
func (s *session) infoSteps(step func(string, func(*testing.T))) {
	var (
		cur    int
		corner image.Rectangle // inside the fitted picture, near its top-right corner
	)
	// covered returns the share of corner's pixels that do not have the
	// frame's colour.
	covered := func() (float64, error) {
		img, err := s.x.Capture(corner)
		if err != nil {
			return 0, err
		}
		n := 0
		for y := corner.Min.Y; y < corner.Max.Y; y++ {
			for x := corner.Min.X; x < corner.Max.X; x++ {
				if !near(img.RGBAAt(x, y), frameColor(cur)) {
					n++
				}
			}
		}
		return float64(n) / float64(corner.Dx()*corner.Dy()), nil
	}
	step("info_corner_clear", func(t *testing.T) {
		cur = titleFrame(s.observe().title)
		box, err := s.frameBox(cur)
		if err != nil {
			s.fail(t, "%v", err)
		}
		corner = image.Rect(box.Max.X-150, box.Min.Y+8, box.Max.X-10, box.Min.Y+48)
		s.until(t, stepDeadline, fmt.Sprintf("frame %d's colour all over %v", cur, corner), func() (bool, string) {
			f, err := covered()
			return err == nil && f < 0.01, fmt.Sprintf("%.0f %% of it covered (err %v)", 100*f, err)
		})
	})
	step("i_shows_info", func(t *testing.T) {
		s.key(t, 'i')
		s.until(t, stepDeadline, fmt.Sprintf("a box over the picture's top right corner %v", corner), func() (bool, string) {
			f, err := covered()
			return err == nil && f > 0.5, fmt.Sprintf("%.0f %% of it covered (err %v)", 100*f, err)
		})
	})
	step("i_hides_info", func(t *testing.T) {
		s.key(t, 'i')
		s.until(t, stepDeadline, fmt.Sprintf("frame %d's colour all over %v", cur, corner), func() (bool, string) {
			f, err := covered()
			return err == nil && f < 0.01, fmt.Sprintf("%.0f %% of it covered (err %v)", 100*f, err)
		})
	})
}

// fullscreenSteps checks that f and F11 make the window cover the screen
// with the frame still shown, and that Escape and F11 bring it back.
// Under Xvfb no window manager runs: GLFW then makes the window
// override-redirect and moves and resizes it over the monitor itself.
func (s *session) fullscreenSteps(step func(string, func(*testing.T))) {
	var (
		cur    int
		normal image.Rectangle
	)
	screen := s.x.ScreenBounds()
	// shows waits for the window to have geometry want and show frame cur
	// (title and colour at the window's centre).
	shows := func(t *testing.T, want image.Rectangle, sizeOnly bool) {
		s.until(t, stepDeadline, fmt.Sprintf("the window at %v showing frame %d", want, cur), func() (bool, string) {
			g, err := s.x.Geometry(s.win)
			if err != nil {
				return false, err.Error()
			}
			o := s.observe()
			ok := o.showing(cur) && (g == want || sizeOnly && g.Size() == want.Size())
			return ok, fmt.Sprintf("window at %v, %v", g, o)
		})
	}
	step("windowed", func(t *testing.T) {
		cur = titleFrame(s.observe().title)
		normal = s.geometry(t)
		if normal == screen {
			s.fail(t, "the window %v already covers the screen: cannot tell fullscreen apart", normal)
		}
	})
	step("f_fullscreen", func(t *testing.T) {
		s.key(t, 'f')
		shows(t, screen, false)
	})
	step("Escape_leaves_fullscreen", func(t *testing.T) {
		s.key(t, xwin.KeyEscape)
		// Without a window manager the window comes back where it was;
		// with one, the manager may place it elsewhere.
		shows(t, normal, true)
	})
	step("keys_after_fullscreen", func(t *testing.T) {
		cur = cur%frameCount + 1
		s.key(t, xwin.KeyRight)
		s.expectFrame(t, cur, stepDeadline)
	})
	step("F11_fullscreen", func(t *testing.T) {
		s.key(t, xwin.KeyF11)
		shows(t, screen, false)
	})
	step("F11_leaves_fullscreen", func(t *testing.T) {
		s.key(t, xwin.KeyF11)
		shows(t, normal, true)
	})
	step("Escape_when_windowed_stays", func(t *testing.T) {
		s.key(t, xwin.KeyEscape)
		shows(t, normal, true)
	})
}
