// Package uibench measures image sequence viewers in a real window: the
// time from a key sent through XTEST to the changed pixels on the screen,
// playback rates and peak memory, for seqview and the naive baselines of
// bench/cmd/naiveview, on sequences it generates.
//
// Every frame it generates carries a large flat marker patch in its centre
// whose colour encodes the frame (see MarkerColor), over content made by
// testframes.PNG so that file sizes and decode costs are those of rendered
// frames. A Probe polls a small capture of the patch on the screen, so the
// harness knows which frame is showing within about a millisecond, whatever
// the viewer's layout, scaling or title.
package uibench

import (
	"image"
	"image/color"
)

// markerLevels are the values a marker colour's channels take: 6 levels 51
// apart, so a channel that filtering or rounding moved by up to
// MarkerTolerance still decodes to its level.
var markerLevels = [...]uint8{0, 51, 102, 153, 204, 255}

// MarkerTolerance is how far a channel of a shown marker may be from its
// level and still decode. The patch is flat and large, so its centre stays
// exact through any scaling filter; the slack is for a stray pixel.
const MarkerTolerance = 20

// palette is every colour of markerLevels³ that is not a grey: a viewer's
// background, letterbox and widgets are greys, so they never decode as a
// frame.
var palette = func() []color.RGBA {
	var p []color.RGBA
	for _, r := range markerLevels {
		for _, g := range markerLevels {
			for _, b := range markerLevels {
				if r == g && g == b {
					continue
				}
				p = append(p, color.RGBA{r, g, b, 255})
			}
		}
	}
	return p
}()

// MarkerCodes is how many distinct markers there are.
var MarkerCodes = len(palette)

// MarkerColor returns the colour of marker code (0 ≤ code < MarkerCodes).
func MarkerColor(code int) color.RGBA { return palette[code] }

// DecodeMarker returns the code whose colour c is, within MarkerTolerance
// on every channel; ok is false for any other colour (a grey, a mix of two
// markers at an edge, part of the frame around the patch).
func DecodeMarker(c color.RGBA) (code int, ok bool) {
	var idx [3]int
	for k, v := range [3]uint8{c.R, c.G, c.B} {
		// Levels are 51 apart: the nearest one is v/51 rounded.
		l := (int(v) + 25) / 51
		if d := int(v) - int(markerLevels[l]); d > MarkerTolerance || d < -MarkerTolerance {
			return 0, false
		}
		idx[k] = l
	}
	if idx[0] == idx[1] && idx[1] == idx[2] {
		return 0, false
	}
	// Position in palette order: r, g, b nested, greys skipped. Greys
	// before this colour in that order are those (l,l,l) ≤ (r,g,b).
	n := len(markerLevels)
	pos := (idx[0]*n+idx[1])*n + idx[2]
	greys := 0
	for l := range n {
		if (l*n+l)*n+l < pos {
			greys++
		}
	}
	return pos - greys, true
}

// MarkerRect is where the marker patch is in a w×h frame: a square a fifth
// of the height on a side, in the centre, so it shows about a hundred
// pixels wide in a 1280×720 window whatever the frame's size.
func MarkerRect(w, h int) image.Rectangle {
	s := max(h/5, 8)
	x, y := (w-s)/2, (h-s)/2
	return image.Rect(x, y, x+s, y+s)
}

// FrameCode is the marker of the frame at position pos (1-based) of a
// sequence made of unique distinct frames repeated: frames unique apart
// look the same, which is fine as long as every measurement only has to
// tell apart frames fewer than unique/2 apart.
func FrameCode(pos, unique int) int { return (pos - 1) % unique }

// CodeDistance is how many frames forward code b is from code a, in
// (-unique/2, unique/2], for a sequence of unique distinct frames.
func CodeDistance(a, b, unique int) int {
	d := ((b-a)%unique + unique) % unique
	if d > unique/2 {
		d -= unique
	}
	return d
}
