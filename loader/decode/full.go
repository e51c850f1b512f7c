package decode

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"io"
)

// Image is a picture decoded at full size.
type Image struct {
	RGBA *image.RGBA // premultiplied 8-bit at (0,0): what Fyne paints without converting
	Info Info

	// straight is the decoder's own image when RGBA cannot give the file's
	// values: 16-bit files, and 8-bit ones with alpha < 255 somewhere
	// (premultiplying loses the colour under low alpha). Nil otherwise.
	straight image.Image
}

// Pixel is the file's own values of one pixel, not premultiplied.
type Pixel struct {
	Values   [4]uint16 // in channel order: R, G, B, A; or gray, alpha
	Channels int       // how many of Values are used, as Info.Channels
	Depth    int       // 8 or 16: the range of Values
}

// Pixel returns the file's own values at (x,y), straight (not
// premultiplied), at Info.Depth: 16-bit files give 16-bit values, every
// other depth 8-bit ones (1-, 2- and 4-bit samples scaled to 8 bits). A
// palette gives the colour its index stands for. Outside the image it
// returns the zero Pixel.
func (im *Image) Pixel(x, y int) Pixel {
	if im == nil || im.RGBA == nil || !image.Pt(x, y).In(im.RGBA.Rect) {
		return Pixel{}
	}
	var v [4]uint16
	depth := 8
	switch {
	case im.straight != nil && im.Info.Depth == 16:
		depth = 16
		c := color.NRGBA64Model.Convert(im.straight.At(x, y)).(color.NRGBA64)
		v = [4]uint16{c.R, c.G, c.B, c.A}
	case im.straight != nil:
		c := color.NRGBAModel.Convert(im.straight.At(x, y)).(color.NRGBA)
		v = [4]uint16{uint16(c.R), uint16(c.G), uint16(c.B), uint16(c.A)}
	default:
		// Opaque wherever the file has values of its own to give.
		c := color.NRGBAModel.Convert(im.RGBA.RGBAAt(x, y)).(color.NRGBA)
		v = [4]uint16{uint16(c.R), uint16(c.G), uint16(c.B), uint16(c.A)}
	}
	ch := im.Info.Channels
	switch ch {
	case 1:
		v = [4]uint16{v[0]}
	case 2:
		v = [4]uint16{v[0], v[3]}
	case 3:
		v[3] = 0
	default:
		ch = 4
	}
	return Pixel{Values: v, Channels: ch, Depth: depth}
}

// Bytes is the memory the image holds: the RGBA and, if kept, the
// decoder's straight image.
func (im *Image) Bytes() int64 {
	if im == nil || im.RGBA == nil {
		return 0
	}
	n := int64(len(im.RGBA.Pix))
	switch s := im.straight.(type) {
	case *image.NRGBA:
		n += int64(len(s.Pix))
	case *image.NRGBA64:
		n += int64(len(s.Pix))
	case *image.RGBA64:
		n += int64(len(s.Pix))
	case *image.Gray16:
		n += int64(len(s.Pix))
	case *image.Paletted:
		n += int64(len(s.Pix)) + int64(len(s.Palette))*16
	case *image.NYCbCrA:
		n += int64(len(s.Y) + len(s.Cb) + len(s.Cr) + len(s.A))
	}
	return n
}

// Full decodes data at full size: PNG (8/16-bit, gray, gray+alpha, palette
// with transparency, interlaced), JPEG, GIF (first frame), BMP, TIFF and
// WebP, recognised by content, whatever the file is called. It gives up
// early when ctx is cancelled: reads fail once ctx is done, so a frame the
// person has stepped past stops costing CPU within a few KiB of input.
func Full(ctx context.Context, data []byte, lim Limits) (*Image, error) {
	info, _, err := prepare(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	return full(ctx, data, info, true)
}

// prepare does what every decode starts with: it checks ctx and reads the
// header, then the limits, before any pixel memory is allocated.
func prepare(ctx context.Context, data []byte, lim Limits) (Info, pngHeader, error) {
	if err := ctx.Err(); err != nil {
		return Info{}, pngHeader{}, canceled(err)
	}
	info, ph, err := header(data)
	if err != nil {
		return info, ph, err
	}
	if err := lim.withDefaults().check(info.Width, info.Height); err != nil {
		return info, ph, err
	}
	return info, ph, nil
}

// full decodes data, whose header gave info, with the registered decoders
// (the general path). keep: also keep the straight image Pixel needs.
func full(ctx context.Context, data []byte, info Info, keep bool) (*Image, error) {
	var r io.Reader = bytes.NewReader(data)
	if info.Format == "png" {
		if cut, ok := pngMissingIEND(data); ok {
			r = io.MultiReader(bytes.NewReader(data[:cut]), bytes.NewReader(iendChunk))
		}
	}
	if ctx.Done() != nil { // Background and TODO are never cancelled
		r = &ctxReader{ctx, r}
	}
	src, err := decodeImage(r)
	if err == nil {
		err = ctx.Err() // a decoder may have read all it needed before the cancel
	}
	if err != nil {
		// Decoders report a failed read in their own words, and some
		// (gif) drop the error's identity: say it was the cancel.
		if cerr := ctx.Err(); cerr != nil {
			return nil, canceled(cerr)
		}
		return nil, decoderError(info.Format, err)
	}
	rgba, straight := toRGBA(src, info.Width, info.Height, keep)
	return &Image{RGBA: rgba, Info: info, straight: straight}, nil
}

// decodeImage runs image.Decode, turning a decoder panic into an error.
//
// The files come from network shares and may be half-written or corrupt;
// the standard and x/image decoders are fuzzed upstream, but one panic on
// one bad frame must not take the viewer down with it.
func decodeImage(r io.Reader) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, errorf(KindCorrupt, nil, "the decoder crashed on corrupt data: %v", p)
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

// Deep returns the decoder's own 16-bit image of a 16-bit file — an
// *image.NRGBA64, *image.RGBA64 or *image.Gray16, with the file's values
// before they were rounded to 8 bits — or nil for other files.
func (im *Image) Deep() image.Image {
	if im == nil || im.Info.Depth != 16 {
		return nil
	}
	switch im.straight.(type) {
	case *image.NRGBA64, *image.RGBA64, *image.Gray16:
		return im.straight
	}
	return nil
}
