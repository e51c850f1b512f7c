package decode

import (
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"sync"
)

// toRGBA returns src as a premultiplied *image.RGBA of w×h at (0,0), and,
// when keep is set, the decoder's image as well if the RGBA cannot give
// the file's own values (see Image.straight); straight is nil otherwise.
//
// The fast paths loop over Pix directly; draw.Draw's generic path costs an
// interface call per pixel. Each gives exactly the bytes draw.Draw(dst, r,
// src, p, draw.Src) would (NYCbCrA within 1), so the choice of path never
// shows.
func toRGBA(src image.Image, w, h int, keep bool) (rgba *image.RGBA, straight image.Image) {
	r := image.Rect(0, 0, w, h)
	if src.Bounds() != r {
		// A GIF's first frame may cover only part of the logical screen:
		// place it on a transparent canvas of the size the header gave.
		// Pixel reads this canvas: the frame's own image does not cover it.
		dst := image.NewRGBA(r)
		draw.Draw(dst, src.Bounds(), src, src.Bounds().Min, draw.Src)
		return dst, nil
	}
	switch s := src.(type) {
	case *image.RGBA:
		if s.Stride == 4*w {
			return s, nil
		}
	case *image.NRGBA:
		// PNGs with alpha, the common case for rendered frames. NRGBA and
		// RGBA pixels have the same layout, so premultiply in place (no
		// second buffer) unless the straight values must be kept too.
		if s.Stride == 4*w {
			if !keep || allOpaque(s.Pix) {
				premultiplyNRGBA(s.Pix)
				return &image.RGBA{Pix: s.Pix, Stride: s.Stride, Rect: r}, nil
			}
			dst := image.NewRGBA(r)
			copy(dst.Pix, s.Pix)
			premultiplyNRGBA(dst.Pix)
			return dst, s
		}
	case *image.Paletted:
		dst := image.NewRGBA(r)
		pal := palette(s.Palette)
		for y := 0; y < h; y++ {
			palettedRow(dst.Pix[y*dst.Stride:][:4*w], s.Pix[y*s.Stride:][:w], pal)
		}
		if keep && !opaquePalette(s.Palette) {
			return dst, s // one byte a pixel: cheap to keep
		}
		return dst, nil
	case *image.NRGBA64:
		dst := image.NewRGBA(r)
		for y := 0; y < h; y++ {
			nrgba64Row(dst.Pix[y*dst.Stride:][:4*w], s.Pix[y*s.Stride:][:8*w])
		}
		return dst, keepIf(keep, s)
	case *image.RGBA64:
		// Already premultiplied: keep the high byte of each sample.
		dst := image.NewRGBA(r)
		for y := 0; y < h; y++ {
			highBytes(dst.Pix[y*dst.Stride:][:4*w], s.Pix[y*s.Stride:][:8*w])
		}
		return dst, keepIf(keep, s)
	case *image.Gray16:
		dst := image.NewRGBA(r)
		for y := 0; y < h; y++ {
			gray16Row(dst.Pix[y*dst.Stride:][:4*w], s.Pix[y*s.Stride:][:2*w])
		}
		return dst, keepIf(keep, s)
	case *image.NYCbCrA:
		// WebP with alpha: convert the colour with the standard YCbCr
		// fast path, then premultiply by the alpha plane.
		dst := image.NewRGBA(r)
		draw.Draw(dst, r, &s.YCbCr, image.Point{}, draw.Src)
		soft := false
		for y := 0; y < h; y++ {
			a := s.A[y*s.AStride:][:w]
			applyAlpha(dst.Pix[y*dst.Stride:][:4*w], a)
			soft = soft || !allFF(a)
		}
		if keep && soft {
			return dst, s
		}
		return dst, nil
	}
	// *image.YCbCr (JPEG, lossy WebP), *image.Gray and *image.CMYK have
	// fast paths in image/draw itself, as fast as a loop here; everything
	// else takes its generic path.
	dst := image.NewRGBA(r)
	draw.Draw(dst, r, src, image.Point{}, draw.Src)
	return dst, nil
}

func keepIf(keep bool, img image.Image) image.Image {
	if keep {
		return img
	}
	return nil
}

// allOpaque tells whether every alpha of NRGBA pixels is 255.
func allOpaque(pix []byte) bool {
	for len(pix) >= 8 {
		if binary.LittleEndian.Uint64(pix)&0xff000000_ff000000 != 0xff000000_ff000000 {
			return false
		}
		pix = pix[8:]
	}
	return len(pix) < 4 || pix[3] == 0xff
}

func allFF(b []byte) bool {
	for _, v := range b {
		if v != 0xff {
			return false
		}
	}
	return true
}

func opaquePalette(p color.Palette) bool {
	for _, c := range p {
		if c == nil {
			continue
		}
		if _, _, _, a := c.RGBA(); a != 0xffff {
			return false
		}
	}
	return true
}

// premul8 premultiplies an 8-bit sample by an 8-bit alpha exactly as
// image/draw does (via 16 bits: (c*0x101*a/0xff)>>8), which folds into
// one division by a constant.
func premul8(c, a uint32) uint8 {
	return uint8(c * a * 0x101 / 0xff00)
}

// premulTable holds premul8 for every alpha (high byte of the index) and
// sample (low byte). A lookup is about twice as fast as premul8's
// multiply-and-shift division, and the 256 bytes of one alpha stay in L1
// across a run of similar pixels.
var premulTable = sync.OnceValue(func() *[256 * 256]uint8 {
	var t [256 * 256]uint8
	for a := range uint32(256) {
		for c := range uint32(256) {
			t[a<<8|c] = premul8(c, a)
		}
	}
	return &t
})

// premultiplyNRGBA premultiplies NRGBA pixels in place.
func premultiplyNRGBA(pix []byte) {
	t := premulTable()
	for len(pix) >= 8 {
		// Rendered frames are mostly opaque: test two alphas at once and
		// leave opaque pixels untouched.
		if binary.LittleEndian.Uint64(pix)&0xff000000_ff000000 == 0xff000000_ff000000 {
			pix = pix[8:]
			continue
		}
		premultiplyPixel(pix[:4:4], t)
		premultiplyPixel(pix[4:8:8], t)
		pix = pix[8:]
	}
	if len(pix) >= 4 {
		premultiplyPixel(pix[:4:4], t)
	}
}

// premultiplyPixel premultiplies one RGBA pixel by its own alpha. No
// special case for alpha 0 or 255: the table gives the same, and a branch
// costs more than a lookup in a frame with much soft alpha.
func premultiplyPixel(p []byte, t *[256 * 256]uint8) {
	row := t[uint32(p[3])<<8:][:256]
	p[0], p[1], p[2] = row[p[0]], row[p[1]], row[p[2]]
}

// palette returns p premultiplied as little-endian RGBA words, one for
// every possible index. Indices past the end of p are transparent black:
// GIF and PNG decoders reject or extend those already, so this only keeps
// a bad index from panicking.
func palette(p color.Palette) *[256]uint32 {
	var t [256]uint32
	for i, c := range p[:min(len(p), 256)] {
		if c == nil {
			continue
		}
		r, g, b, a := c.RGBA()
		t[i] = r>>8 | g>>8<<8 | b>>8<<16 | a>>8<<24
	}
	return &t
}

func palettedRow(dst, src []byte, pal *[256]uint32) {
	for i, idx := range src {
		binary.LittleEndian.PutUint32(dst[4*i:], pal[idx])
	}
}

// nrgba64Row premultiplies 16-bit NRGBA samples (big-endian, as PNG and
// image.NRGBA64 store them) and keeps the high byte, as color.NRGBA64.RGBA
// followed by >>8 does.
func nrgba64Row(dst, src []byte) {
	for i := 0; i+8 <= len(src); i += 8 {
		s := src[i : i+8 : i+8]
		d := dst[i/2 : i/2+4 : i/2+4]
		a := uint32(s[6])<<8 | uint32(s[7])
		switch a {
		case 0xffff:
			d[0], d[1], d[2], d[3] = s[0], s[2], s[4], 0xff
		case 0:
			d[0], d[1], d[2], d[3] = 0, 0, 0, 0
		default:
			d[0] = uint8((uint32(s[0])<<8 | uint32(s[1])) * a / 0xffff >> 8)
			d[1] = uint8((uint32(s[2])<<8 | uint32(s[3])) * a / 0xffff >> 8)
			d[2] = uint8((uint32(s[4])<<8 | uint32(s[5])) * a / 0xffff >> 8)
			d[3] = s[6]
		}
	}
}

// highBytes keeps the high byte of each big-endian 16-bit sample, a pixel
// at a time: bytes 0, 2, 4, 6 of a 64-bit load, gathered by two
// shift-and-masks (twice as fast as a byte loop).
func highBytes(dst, src []byte) {
	for i := 0; i+8 <= len(src) && i/2+4 <= len(dst); i += 8 {
		v := binary.LittleEndian.Uint64(src[i:]) & 0x00ff00ff_00ff00ff
		v = (v | v>>8) & 0x0000ffff_0000ffff
		binary.LittleEndian.PutUint32(dst[i/2:], uint32(v|v>>16))
	}
}

func gray16Row(dst, src []byte) {
	for i := range len(src) / 2 {
		binary.LittleEndian.PutUint32(dst[4*i:], 0xff000000|uint32(src[2*i])*0x010101)
	}
}

// applyAlpha premultiplies opaque RGBA pixels by a separate alpha plane.
func applyAlpha(dst, alpha []byte) {
	t := premulTable()
	for i, a := range alpha {
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[3] = a
		premultiplyPixel(d, t)
	}
}
