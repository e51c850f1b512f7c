package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"

	// Decoders are chosen by sniffing the data, so every format a frame may
	// be in must be registered here, whatever its file is called.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Info describes an image from its header.
type Info struct {
	Format        string // "png", "jpeg", "gif", "bmp", "tiff", "webp"
	Width, Height int
	// Depth is the bits per sample as the file stores them: 1, 2, 4, 8 or
	// 16 (for a palette, the bits of an index).
	Depth int
	// Channels is the samples per pixel that Image.Pixel gives: 1 gray,
	// 2 gray+alpha, 3 RGB, 4 RGBA. A palette or a tRNS chunk counts as
	// the colours and alpha it expands to; YCbCr and CMYK count as RGB.
	Channels int
	Palette  bool

	// model names a colour model that Channels does not ("YCbCr",
	// "CMYK"), for String.
	model string
}

var channelNames = [...]string{1: "gray", 2: "gray+alpha", 3: "RGB", 4: "RGBA"}

// String describes the format and pixel layout: "png, 16-bit RGBA",
// "png, palette", "jpeg, 8-bit YCbCr"; "" for the zero Info.
func (i Info) String() string {
	switch {
	case i.Format == "":
		return ""
	case i.Palette:
		return i.Format + ", palette"
	case i.model != "":
		return fmt.Sprintf("%s, %d-bit %s", i.Format, i.Depth, i.model)
	case i.Channels >= 1 && i.Channels <= 4:
		return fmt.Sprintf("%s, %d-bit %s", i.Format, i.Depth, channelNames[i.Channels])
	}
	return i.Format
}

// Header reads data's header: format, size and pixel layout, without
// decoding pixels. Errors are *Error, as from Full.
func Header(data []byte) (Info, error) {
	info, _, err := header(data)
	return info, err
}

// header is Header, also returning a PNG's own header (zero for other
// formats).
func header(data []byte) (info Info, ph pngHeader, err error) {
	if len(data) == 0 {
		return Info{}, ph, errorf(KindEmpty, nil, "the file is empty")
	}
	if bytes.HasPrefix(data, pngSignature) {
		ph, err = parsePNGHeader(data)
		if err != nil {
			return Info{Format: "png"}, ph, err
		}
		return ph.info(), ph, nil
	}
	cfg, format, err := decodeConfig(data)
	if err != nil {
		if e, ok := errors.AsType[*Error](err); ok {
			return Info{}, ph, e // a decoder panic
		}
		if format == "" {
			return Info{}, ph, notImage(data)
		}
		e := decoderError(format, err)
		e.Detail = fmt.Sprintf("cannot read the %s header: %v", format, err)
		return Info{Format: format}, ph, e
	}
	info = configInfo(format, cfg)
	if cfg.Width <= 0 || cfg.Height <= 0 {
		// GIF and BMP headers can say 0×0; there is nothing to show.
		return info, ph, errorf(KindCorrupt, nil, "the %s image is %d×%d: it has no pixels", format, cfg.Width, cfg.Height)
	}
	return info, ph, nil
}

// decodeConfig is image.DecodeConfig, turning a decoder panic into an
// error (see decodeImage).
func decodeConfig(data []byte) (cfg image.Config, format string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errorf(KindCorrupt, nil, "the decoder crashed on a corrupt header: %v", p)
		}
	}()
	return image.DecodeConfig(bytes.NewReader(data))
}

// configInfo describes a non-PNG image from image.DecodeConfig's answer.
func configInfo(format string, cfg image.Config) Info {
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Depth: 8, Channels: 4}
	switch cfg.ColorModel {
	case color.RGBAModel, color.NRGBAModel:
	case color.RGBA64Model, color.NRGBA64Model:
		info.Depth = 16
	case color.GrayModel:
		info.Channels = 1
	case color.Gray16Model:
		info.Depth, info.Channels = 16, 1
	case color.YCbCrModel:
		info.Channels, info.model = 3, "YCbCr"
	case color.NYCbCrAModel:
		info.model = "YCbCr+alpha"
	case color.CMYKModel:
		info.Channels, info.model = 3, "CMYK"
	default:
		if p, ok := cfg.ColorModel.(color.Palette); ok {
			info.Palette, info.Channels = true, 3
			for _, c := range p {
				if _, _, _, a := c.RGBA(); a != 0xffff {
					info.Channels = 4
					break
				}
			}
		}
	}
	return info
}

// --- PNG's own header ---

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// iendChunk is a whole IEND chunk: length 0, type, CRC.
var iendChunk = []byte("\x00\x00\x00\x00IEND\xaeB`\x82")

// PNG colour types.
const (
	ctGray      = 0
	ctRGB       = 2
	ctPalette   = 3
	ctGrayAlpha = 4
	ctRGBA      = 6
)

// pngHeader is what View needs from a PNG's IHDR and the chunks before its
// image data.
type pngHeader struct {
	w, h      int
	depth     int
	ct        int // colour type
	interlace bool
	trns      bool // a tRNS chunk comes before the image data
	// oddTRNS: a tRNS chunk that image/png and View's row reader (which
	// follows libpng) read differently (samples over the bit depth, more
	// entries than the palette). View
	// takes the general path for these, so that it always shows what
	// Full shows.
	oddTRNS bool
}

func (h pngHeader) info() Info {
	info := Info{Format: "png", Width: h.w, Height: h.h, Depth: h.depth}
	switch h.ct {
	case ctGray:
		info.Channels = 1
	case ctGrayAlpha:
		info.Channels = 2
	case ctRGB:
		info.Channels = 3
	case ctPalette:
		info.Channels, info.Palette = 3, true
	case ctRGBA:
		info.Channels = 4
	}
	if h.trns && (h.ct == ctGray || h.ct == ctRGB || h.ct == ctPalette) {
		info.Channels++
	}
	return info
}

// validDepths lists the bit depths each colour type allows, as bit sets.
var validDepths = map[int]uint32{
	ctGray:      1<<1 | 1<<2 | 1<<4 | 1<<8 | 1<<16,
	ctRGB:       1<<8 | 1<<16,
	ctPalette:   1<<1 | 1<<2 | 1<<4 | 1<<8,
	ctGrayAlpha: 1<<8 | 1<<16,
	ctRGBA:      1<<8 | 1<<16,
}

// parsePNGHeader reads the IHDR of data, which starts with pngSignature,
// and looks through the chunks up to the first IDAT for PLTE and tRNS.
func parsePNGHeader(data []byte) (pngHeader, error) {
	var h pngHeader
	const ihdrEnd = 8 + 8 + 13 + 4
	if len(data) < ihdrEnd {
		return h, errorf(KindTruncated, nil, "the png data ends in its header")
	}
	if binary.BigEndian.Uint32(data[8:]) != 13 || string(data[12:16]) != "IHDR" {
		return h, errorf(KindCorrupt, nil, "the png data does not start with a valid IHDR chunk")
	}
	if crc32.ChecksumIEEE(data[12:29]) != binary.BigEndian.Uint32(data[29:]) {
		return h, errorf(KindCorrupt, nil, "the png header is corrupt: its checksum is wrong")
	}
	ihdr := data[16:29]
	w, ht := binary.BigEndian.Uint32(ihdr), binary.BigEndian.Uint32(ihdr[4:])
	if w == 0 || ht == 0 || w > 1<<31-1 || ht > 1<<31-1 {
		return h, errorf(KindCorrupt, nil, "the png header says the image is %d×%d", w, ht)
	}
	h.w, h.h, h.depth, h.ct = int(w), int(ht), int(ihdr[8]), int(ihdr[9])
	if validDepths[h.ct]&(1<<h.depth) == 0 || h.depth > 16 {
		return h, errorf(KindCorrupt, nil, "the png header is corrupt: colour type %d with %d-bit samples", h.ct, h.depth)
	}
	if ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1 {
		return h, errorf(KindCorrupt, nil, "the png header is corrupt: unknown compression, filter or interlace method")
	}
	h.interlace = ihdr[12] == 1

	// The chunks before the image data: lengths only (the decoders check
	// the CRCs). A file cut short here still has a header.
	paletteLen := -1
	for off := ihdrEnd; off+8 <= len(data); {
		n := binary.BigEndian.Uint32(data[off:])
		typ := string(data[off+4 : off+8])
		if typ == "IDAT" || n > 1<<31-1 {
			break
		}
		body := data[off+8 : min(len(data), off+8+int(n))]
		switch typ {
		case "PLTE":
			paletteLen = int(n) / 3
		case "tRNS":
			h.oddTRNS = h.oddTRNS || h.trns || oddTRNS(h.ct, h.depth, body, paletteLen)
			h.trns = true
		}
		off += 12 + int(n)
	}
	return h, nil
}

// oddTRNS tells whether a tRNS chunk is one image/png and libpng (which
// View's row reader follows) read differently (so does a second tRNS
// chunk): samples over the bit depth (image/png keeps the low byte,
// libpng masks to the bit depth), more entries than the palette (libpng
// drops the chunk, image/png extends the palette with opaque black), or a
// length that libpng rejects and image/png may not.
func oddTRNS(ct, depth int, body []byte, paletteLen int) bool {
	switch ct {
	case ctGray, ctRGB:
		want := 2
		if ct == ctRGB {
			want = 6
		}
		if len(body) != want {
			return true
		}
		for i := 0; i < len(body); i += 2 {
			if int(binary.BigEndian.Uint16(body[i:])) >= 1<<depth {
				return true
			}
		}
	case ctPalette:
		return paletteLen < 0 || len(body) == 0 || len(body) > paletteLen
	default:
		return true // tRNS with an alpha channel is invalid
	}
	return false
}

// pngMissingIEND tells whether data is a PNG whose chunks end, after its
// image data, without an IEND chunk: nothing follows the last whole chunk,
// or only the start of an IEND chunk. Its pixels are complete (if its
// image data is), so it is decoded as data[:cut] followed by iendChunk.
func pngMissingIEND(data []byte) (cut int, ok bool) {
	sawIDAT := false
	for off := len(pngSignature); ; {
		rest := data[off:]
		if len(rest) < len(iendChunk) {
			return off, sawIDAT && bytes.HasPrefix(iendChunk, rest)
		}
		n := binary.BigEndian.Uint32(rest)
		typ := string(rest[4:8])
		if typ == "IEND" || n > 1<<31-1 || int(n) > len(rest)-12 {
			return 0, false
		}
		sawIDAT = sawIDAT || typ == "IDAT"
		off += 12 + int(n)
	}
}
