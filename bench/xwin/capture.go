package xwin

import (
	"fmt"
	"image"
	"math/bits"

	"github.com/jezek/xgb/xproto"
)

// pixelFormat describes how the root window's pixels are laid out in a
// ZPixmap image, as told by the connection setup.
type pixelFormat struct {
	bitsPerPixel     int
	scanlinePad      int // bits
	msbFirst         bool
	red, green, blue channel
}

// channel locates one colour component inside a pixel value.
type channel struct {
	mask  uint32
	shift int // trailing zero bits of mask
	width int // bits set in mask
}

func newChannel(mask uint32) channel {
	return channel{mask: mask, shift: bits.TrailingZeros32(mask), width: bits.OnesCount32(mask)}
}

// get extracts the component from pixel value v and scales it to 8 bits.
func (ch channel) get(v uint32) uint8 {
	x := (v & ch.mask) >> ch.shift
	switch {
	case ch.width == 8:
		return uint8(x)
	case ch.width > 8:
		return uint8(x >> (ch.width - 8))
	case ch.width == 0:
		return 0
	default:
		// Replicate the high bits into the low ones so full scale maps
		// to 255 (e.g. 5-bit 31 -> 255, not 248).
		x <<= 8 - ch.width
		return uint8(x | x>>ch.width)
	}
}

// rootPixelFormat finds the root visual's colour masks and the pixmap
// format (bits per pixel, scanline padding) of the root depth.
func rootPixelFormat(setup *xproto.SetupInfo, screen *xproto.ScreenInfo) (pixelFormat, error) {
	pf := pixelFormat{msbFirst: setup.ImageByteOrder == xproto.ImageOrderMSBFirst}
	for _, f := range setup.PixmapFormats {
		if f.Depth == screen.RootDepth {
			pf.bitsPerPixel, pf.scanlinePad = int(f.BitsPerPixel), int(f.ScanlinePad)
		}
	}
	switch pf.bitsPerPixel {
	case 16, 24, 32:
	default:
		return pf, fmt.Errorf("xwin: unsupported root pixmap format: depth %d, %d bits per pixel",
			screen.RootDepth, pf.bitsPerPixel)
	}
	var visual *xproto.VisualInfo
	for _, d := range screen.AllowedDepths {
		for i := range d.Visuals {
			if d.Visuals[i].VisualId == screen.RootVisual {
				visual = &d.Visuals[i]
			}
		}
	}
	if visual == nil || (visual.Class != xproto.VisualClassTrueColor && visual.Class != xproto.VisualClassDirectColor) {
		return pf, fmt.Errorf("xwin: root visual is not TrueColor; cannot decode pixels")
	}
	pf.red, pf.green, pf.blue = newChannel(visual.RedMask), newChannel(visual.GreenMask), newChannel(visual.BlueMask)
	return pf, nil
}

// Capture returns the screen contents inside r (root coordinates), clipped
// to the screen. The image's Bounds are the clipped rectangle in root
// coordinates, so img.At(x, y) is the pixel at screen position (x, y).
//
// It reads the root window with GetImage, which includes the windows on it
// as the server composes them (Xvfb keeps everything in memory, so this is
// exact). Under a compositing manager on a real display, windows may be
// missing from the root's contents. One call is one round trip; a small
// rectangle takes well under a millisecond, so it is fine to poll.
func (c *Conn) Capture(r image.Rectangle) (*image.RGBA, error) {
	r = r.Intersect(c.ScreenBounds())
	if r.Empty() {
		return nil, fmt.Errorf("xwin: capture rectangle %v is outside the screen %v", r, c.ScreenBounds())
	}
	w, h := r.Dx(), r.Dy()
	reply, err := xproto.GetImage(c.x, xproto.ImageFormatZPixmap, xproto.Drawable(c.screen.Root),
		int16(r.Min.X), int16(r.Min.Y), uint16(w), uint16(h), ^uint32(0)).Reply()
	if err != nil {
		return nil, fmt.Errorf("xwin: GetImage %v: %w", r, err)
	}
	img := image.NewRGBA(r)
	if err := c.pix.decode(img, reply.Data, w, h); err != nil {
		return nil, err
	}
	return img, nil
}

// decode converts ZPixmap data of w×h pixels into img.
func (pf pixelFormat) decode(img *image.RGBA, data []byte, w, h int) error {
	bpp := pf.bitsPerPixel / 8
	pad := pf.scanlinePad
	if pad <= 0 {
		pad = 32
	}
	stride := (w*pf.bitsPerPixel + pad - 1) / pad * pad / 8
	if len(data) < stride*h {
		return fmt.Errorf("xwin: GetImage returned %d bytes, want %d for %dx%d", len(data), stride*h, w, h)
	}

	// The common case everywhere (Xvfb, Xorg at depth 24 on x86): 32-bit
	// little-endian pixels 0x00RRGGBB, i.e. bytes B, G, R, X. Copy bytes
	// directly instead of going through the generic mask arithmetic.
	if bpp == 4 && !pf.msbFirst && pf.red.mask == 0xff0000 && pf.green.mask == 0xff00 && pf.blue.mask == 0xff {
		for y := 0; y < h; y++ {
			src := data[y*stride : y*stride+4*w]
			dst := img.Pix[y*img.Stride : y*img.Stride+4*w]
			for i := 0; i < len(src); i += 4 {
				dst[i+0] = src[i+2]
				dst[i+1] = src[i+1]
				dst[i+2] = src[i+0]
				dst[i+3] = 0xff
			}
		}
		return nil
	}

	for y := 0; y < h; y++ {
		row := data[y*stride:]
		dst := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			p := row[x*bpp : x*bpp+bpp]
			var v uint32
			for i := 0; i < bpp; i++ {
				if pf.msbFirst {
					v = v<<8 | uint32(p[i])
				} else {
					v |= uint32(p[i]) << (8 * i)
				}
			}
			d := dst[4*x : 4*x+4]
			d[0], d[1], d[2], d[3] = pf.red.get(v), pf.green.get(v), pf.blue.get(v), 0xff
		}
	}
	return nil
}
