// Package look changes how a frame is looked at before it is shown: one
// channel as grey, exposure in stops, display gamma, and the difference of
// two frames. It works on the premultiplied *image.RGBA view frames the
// loader hands the user interface (and on 16-bit frames), on the calling
// goroutine: loader workers run it, never the UI goroutine, and cache the
// result under Look.Key so that flicking between looks on cached frames
// stays instant.
//
// # What exposure and gamma mean
//
// seqview's frames are sRGB-encoded (8- or 16-bit PNG, JPEG, …; embedded
// gAMA/ICC profiles are not read). A stop is a doubling of light, so
// exposure acts on linear light, the way DJV, mrv2 and OpenRV apply it:
// each straight (not premultiplied) colour value v is decoded with the
// sRGB curve, multiplied by 2^Exposure, clipped to [0, 1] and encoded
// again. Gamma is then a display adjustment on that encoded value,
// out = v^(1/Gamma), as in those viewers' gamma controls: Gamma 2.2
// brightens the mid-tones, 1/2.2 darkens them, 0 and 1 black and white
// stay put. So, for a straight value v in [0, 1]:
//
//	out = encode(min(1, decode(v) · 2^Exposure)) ^ (1/Gamma)
//
// A neutral look (exposure 0, gamma 1) gives back every value unchanged.
//
// # Channels
//
// Red, Green and Blue show that channel as grey, through the same curve.
// Luma shows the Rec. 709 luminance, 0.2126 R + 0.7152 G + 0.0722 B,
// computed on linear light (after decoding, before encoding), so that the
// grey has the luminance of the colour it stands for; exposure scales it
// as it scales the colour. These keep the pixel's alpha: the grey is
// premultiplied by it, so the picture has the same shape over the
// background as in colour.
//
// Alpha shows the alpha as an opaque grey picture: white where opaque,
// black where transparent. Exposure and gamma then act on that grey as on
// any grey pixel of the colour view (exposure −1 shows opaque as sRGB
// half-light grey; +4 brings out alpha of 1 or 2), so the keys still do
// something useful while looking at a matte.
//
// # Premultiplied alpha
//
// The view frames are premultiplied in the encoded domain (c' = c·a, as
// Go's image/draw and Fyne expect). Exposure and gamma are curves, which do
// not commute with that product, so pixels with 0 < alpha < 255 are
// un-premultiplied (rounded, to 8 bits), put through the curve and
// premultiplied again; alpha itself is never changed. Opaque pixels skip
// that round trip, and transparent ones stay transparent black. At low
// alpha the 8-bit view has already lost most of the colour's precision;
// Apply16 works from the straight 16-bit values instead.
//
// Everything is table lookups in row loops over Pix: 256 entries for
// 8-bit values, 65536 for 16-bit ones, and for luminance a table indexed
// by the top bits of the float; the large tables are built by finding the
// 255 steps of the curve, not by evaluating it at every entry. Tables
// shared by every look are built once, under sync.Once; the rest are built
// per call and never shared, so every function here is safe for
// concurrent use.
package look

import (
	"math"
	"strconv"
	"strings"
)

// Channel selects what of a pixel is shown.
type Channel uint8

// The channels, in the order of the View menu. A Channel past Luma is
// shown as Color.
const (
	Color Channel = iota // the picture itself
	Red                  // red as grey
	Green                // green as grey
	Blue                 // blue as grey
	Alpha                // alpha as grey, opaque
	Luma                 // Rec. 709 luminance as grey
)

var channelNames = [...]string{Color: "colour", Red: "R", Green: "G", Blue: "B", Alpha: "alpha", Luma: "luminance"}

// keyLetters are the channels in Key: one letter each.
const keyLetters = "CRGBAL"

// String names the channel for a status line: "R", "alpha", "luminance".
func (c Channel) String() string {
	if int(c) < len(channelNames) {
		return channelNames[c]
	}
	return channelNames[Color]
}

// Look is how a frame is looked at. The zero Look is neutral: the frame as
// it is.
type Look struct {
	Channel Channel
	// Exposure in stops: linear light is multiplied by 2^Exposure (see the
	// package comment). NaN and ±Inf count as 0.
	Exposure float64
	// Gamma is a display gamma, out = in^(1/Gamma) on the encoded value
	// after exposure: above 1 brightens. 0, 1, negative and non-finite
	// values mean none.
	Gamma float64
}

// norm returns l with the values that mean "none" made canonical, so that
// looks that show the same pixels compare (and key) equal.
func (l Look) norm() Look {
	if l.Channel > Luma {
		l.Channel = Color
	}
	if math.IsNaN(l.Exposure) || math.IsInf(l.Exposure, 0) || l.Exposure == 0 {
		l.Exposure = 0 // also turns -0 into 0
	}
	if !(l.Gamma > 0) || math.IsInf(l.Gamma, 1) {
		l.Gamma = 1
	}
	return l
}

// IsNeutral reports whether l shows the frame unchanged: colour, exposure
// 0, gamma 1 (or a value meaning none).
func (l Look) IsNeutral() bool { return l.norm() == Look{Gamma: 1} }

// String describes l for a status line, its parts joined by ", ":
// "R, exposure +1.5, gamma 2.2"; "" when l is neutral. Numbers are rounded
// to three significant digits.
func (l Look) String() string {
	l = l.norm()
	var parts []string
	if l.Channel != Color {
		parts = append(parts, l.Channel.String())
	}
	if l.Exposure != 0 {
		e := strconv.FormatFloat(l.Exposure, 'g', 3, 64)
		if l.Exposure > 0 {
			e = "+" + e
		}
		parts = append(parts, "exposure "+e)
	}
	if l.Gamma != 1 {
		parts = append(parts, "gamma "+strconv.FormatFloat(l.Gamma, 'g', 3, 64))
	}
	return strings.Join(parts, ", ")
}

// Key is a compact, stable text for cache keys: "" for a neutral look (so
// it adds nothing to the key of an unchanged frame), else the channel's
// letter (C R G B A L), then "e" and the exposure and "g" and the gamma
// when they are not neutral, numbers in full precision: "Re1.5g2.2",
// "Ce-0.5", "A". Looks that show the same pixels have the same key.
func (l Look) Key() string {
	l = l.norm()
	if l == (Look{Gamma: 1}) {
		return ""
	}
	b := []byte{keyLetters[l.Channel]}
	if l.Exposure != 0 {
		b = append(b, 'e')
		b = strconv.AppendFloat(b, l.Exposure, 'g', -1, 64)
	}
	if l.Gamma != 1 {
		b = append(b, 'g')
		b = strconv.AppendFloat(b, l.Gamma, 'g', -1, 64)
	}
	return string(b)
}
