package loader

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"sync"

	// Decoders are chosen by sniffing the data, so every format a frame may
	// be in must be registered here, whatever its file is called.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Limits bound what Decode accepts, checked with image.DecodeConfig before
// any pixel memory is allocated, so a corrupt or hostile header cannot make
// a decoder allocate gigabytes. A zero field means its DefaultLimits value.
//
// MaxBytes bounds the decoded *image.RGBA (w*h*4); the decoder's own image
// may briefly be twice that for 16-bit files.
type Limits struct {
	MaxSide  int   // widest and tallest image, in pixels
	MaxBytes int64 // largest decoded RGBA, w*h*4 bytes
}

// DefaultLimits allow any image a person could mean to view: 16K on a side
// (GPU textures rarely go further) and 1 GiB of pixels (a 16K×16K RGBA).
var DefaultLimits = Limits{MaxSide: 16384, MaxBytes: 1 << 30}

func (l Limits) withDefaults() Limits {
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultLimits.MaxSide
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	return l
}

// ErrTooLarge is reported, wrapped with the image's size and the limit it
// broke, for images over the Limits.
var ErrTooLarge = errors.New("loader: image too large")

// tooLargeError says which limit an image broke. It is a type, like
// noImagesError, so the message reads "loader: image is W×H, over ...: too
// large" without repeating ErrTooLarge's "loader: ".
type tooLargeError struct {
	w, h  int
	limit string
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("loader: image is %d×%d, over the limit of %s: too large", e.w, e.h, e.limit)
}

func (e *tooLargeError) Unwrap() error { return ErrTooLarge }

func (l Limits) check(w, h int) error {
	if w > l.MaxSide || h > l.MaxSide {
		return &tooLargeError{w, h, fmt.Sprintf("%d×%d", l.MaxSide, l.MaxSide)}
	}
	if n := int64(w) * int64(h) * 4; n > l.MaxBytes {
		return &tooLargeError{w, h, fmt.Sprintf("%d MiB decoded (it needs %d MiB)", l.MaxBytes>>20, (n+1<<20-1)>>20)}
	}
	return nil
}

var errEmpty = errors.New("loader: empty file")

// notImageError is data no registered decoder recognises. It wraps
// image.ErrFormat, and quotes the first bytes, which usually tell what the
// file really is ("<!DOCTYPE", "%PDF-1.4", an HTML error page saved as
// .png...).
type notImageError struct{ head []byte }

func (e *notImageError) Error() string {
	return fmt.Sprintf("loader: not a supported image (starts with %q)", e.head)
}

func (e *notImageError) Unwrap() error { return image.ErrFormat }

// Decode decodes PNG (8/16-bit, gray, gray+alpha, palette incl.
// transparency, interlaced), JPEG, GIF (first frame), BMP, TIFF and WebP,
// recognised by content sniffing, not by file extension, into a new
// *image.RGBA with Rect origin (0,0) and the size image.DecodeConfig
// reports: the type Fyne paints without converting.
//
// Errors start with "loader: " and say why: ErrTooLarge (wrapped with the
// size and limit), "loader: empty file", "loader: not a supported image
// (starts with ...)" (wrapping image.ErrFormat), or the decoder's error
// wrapped for truncated and corrupt files.
func Decode(data []byte, lim Limits) (*image.RGBA, error) {
	return DecodeContext(context.Background(), data, lim)
}

// DecodeContext is Decode but gives up early, returning ctx.Err() wrapped,
// when ctx is cancelled: the decoder's reads fail once ctx is done, so a
// frame the person has stepped past stops costing CPU within a few KiB of
// input.
func DecodeContext(ctx context.Context, data []byte, lim Limits) (*image.RGBA, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loader: %w", err)
	}
	if len(data) == 0 {
		return nil, errEmpty
	}
	lim = lim.withDefaults()

	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if format == "" {
			return nil, &notImageError{data[:min(len(data), 8)]}
		}
		return nil, fmt.Errorf("loader: reading %s header: %w", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		// GIF and BMP headers can say 0×0; there is nothing to show.
		return nil, fmt.Errorf("loader: %s image is %d×%d: no pixels", format, cfg.Width, cfg.Height)
	}
	if err := lim.check(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}

	var r io.Reader = bytes.NewReader(data)
	if ctx.Done() != nil { // Background and TODO are never cancelled
		r = &ctxReader{ctx, r}
	}
	src, err := decode(r)
	if err == nil {
		err = ctx.Err() // a decoder may have read all it needed before the cancel
	}
	if err != nil {
		// Decoders report a failed read in their own words, and some
		// (gif) drop the error's identity: say it was the cancel.
		if cerr := ctx.Err(); cerr != nil {
			return nil, fmt.Errorf("loader: %w", cerr)
		}
		return nil, fmt.Errorf("loader: decoding %s: %w", format, err)
	}
	return toRGBA(src, cfg.Width, cfg.Height), nil
}

// decode runs image.Decode, turning a decoder panic into an error.
//
// The files come from network shares and may be half-written or corrupt;
// the standard and x/image decoders are fuzzed upstream, but one panic on
// one bad frame must not take the viewer down with it.
func decode(r io.Reader) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("decoder crashed on corrupt data: %v", p)
		}
	}()
	img, _, err = image.Decode(r)
	return img, err
}

// ctxReader fails reads once ctx is done. image.Decode reads through a
// 4 KiB bufio.Reader, so ctx is checked every 4 KiB of input.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// toRGBA returns src as a premultiplied *image.RGBA of w×h at (0,0).
//
// The fast paths loop over Pix directly; draw.Draw's generic path costs an
// interface call per pixel. At 4K on one core (BenchmarkConvert4K; the dev
// machine was shared, so the best of several runs, ±20%), draw.Draw vs
// here, allocation included:
//
//	NRGBA, opaque           34 ms    9 ms   (in place, only reads alpha)
//	NRGBA, all soft alpha   34 ms   13 ms   (in place, table lookups)
//	NRGBA64                 54 ms   29 ms
//	RGBA64                  36 ms   28 ms
//	Gray16                  40 ms   16 ms
//	Paletted                56 ms    9 ms
//	NYCbCrA (WebP+alpha)    96 ms   39 ms
//
// Each fast path gives exactly the bytes draw.Draw(dst, r, src, p,
// draw.Src) would (NYCbCrA within 1), so the choice of path never shows.
func toRGBA(src image.Image, w, h int) *image.RGBA {
	r := image.Rect(0, 0, w, h)
	if src.Bounds() != r {
		// A GIF's first frame may cover only part of the logical screen:
		// place it on a transparent canvas of the size DecodeConfig gave.
		dst := image.NewRGBA(r)
		draw.Draw(dst, src.Bounds(), src, src.Bounds().Min, draw.Src)
		return dst
	}
	switch s := src.(type) {
	case *image.RGBA:
		if s.Stride == 4*w {
			return s
		}
	case *image.NRGBA:
		// PNGs with alpha, the common case for rendered frames. The
		// decoder's image is ours alone, and NRGBA and RGBA pixels have
		// the same layout, so premultiply in place: no second 33 MB
		// buffer at 4K, and opaque pixels are only read.
		if s.Stride == 4*w {
			premultiplyNRGBA(s.Pix)
			return &image.RGBA{Pix: s.Pix, Stride: s.Stride, Rect: r}
		}
	case *image.Paletted:
		dst := image.NewRGBA(r)
		pal := palette(s.Palette)
		for y := 0; y < h; y++ {
			palettedRow(dst.Pix[y*dst.Stride:][:4*w], s.Pix[y*s.Stride:][:w], pal)
		}
		return dst
	case *image.NRGBA64:
		dst := image.NewRGBA(r)
		for y := 0; y < h; y++ {
			nrgba64Row(dst.Pix[y*dst.Stride:][:4*w], s.Pix[y*s.Stride:][:8*w])
		}
		return dst
	case *image.RGBA64:
		// Already premultiplied: keep the high byte of each sample.
		dst := image.NewRGBA(r)
		for y := 0; y < h; y++ {
			highBytes(dst.Pix[y*dst.Stride:][:4*w], s.Pix[y*s.Stride:][:8*w])
		}
		return dst
	case *image.Gray16:
		dst := image.NewRGBA(r)
		for y := 0; y < h; y++ {
			gray16Row(dst.Pix[y*dst.Stride:][:4*w], s.Pix[y*s.Stride:][:2*w])
		}
		return dst
	case *image.NYCbCrA:
		// WebP with alpha: convert the colour with the standard YCbCr
		// fast path, then premultiply by the alpha plane.
		dst := image.NewRGBA(r)
		draw.Draw(dst, r, &s.YCbCr, image.Point{}, draw.Src)
		for y := 0; y < h; y++ {
			applyAlpha(dst.Pix[y*dst.Stride:][:4*w], s.A[y*s.AStride:][:w])
		}
		return dst
	}
	// *image.YCbCr (JPEG, lossy WebP), *image.Gray and *image.CMYK have
	// fast paths in image/draw itself, as fast as a loop here
	// (BenchmarkConvert4K: YCbCr ~27 ms, Gray ~8 ms at 4K; a Gray loop
	// here measured 11 ms); everything else takes its generic path.
	dst := image.NewRGBA(r)
	draw.Draw(dst, r, src, image.Point{}, draw.Src)
	return dst
}

// premul8 premultiplies an 8-bit sample by an 8-bit alpha exactly as
// image/draw does (via 16 bits: (c*0x101*a/0xff)>>8), which folds into
// one division by a constant.
func premul8(c, a uint32) uint8 {
	return uint8(c * a * 0x101 / 0xff00)
}

// premulTable holds premul8 for every alpha (high byte of the index) and
// sample (low byte). A lookup is about twice as fast as premul8's
// multiply-and-shift division at 4K (BenchmarkConvert4K/NRGBA), and the
// 256 bytes of one alpha stay in L1 across a run of similar pixels.
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

// nrgba64Row premultiplies 16-bit NRGBA samples and keeps the high byte,
// as color.NRGBA64.RGBA followed by >>8 does.
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
