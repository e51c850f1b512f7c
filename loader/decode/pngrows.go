package decode

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"sync"
)

// pngRows yields a non-interlaced PNG's rows, top to bottom, as straight
// (not premultiplied) RGBA: 8 bits a sample, or 16 bits big-endian for
// 16-bit files. It reads the chunks itself (checking their CRCs) and
// expands every colour type and depth to RGBA (palette, gray, tRNS); an
// inflater, in C or in Go, does the work that costs the time: inflating
// the image data and undoing the row filters. Its errors are *Error. One
// goroutine uses a pngRows, from open to close; with rowMode.ahead the
// pngRows inflates on a goroutine of its own besides (inflateAhead), which
// close ends.
type pngRows struct {
	h        pngHeader
	idat     idatReader
	inf      inflater
	rowBytes int // bytes of a filtered row, without its filter byte
	bpp      int // bytes per whole pixel, at least 1: the filters' left neighbour
	batch    int // the most rows one call of rows gives
	// buf holds batch+1 filtered rows of 1+rowBytes bytes, the inflater's
	// layout: row 0 is the unfiltered row above the batch, then the batch.
	// With ahead, it is the batch the last call of rows gave.
	buf   []byte
	ahead *inflateAhead // nil: rows inflates on the caller's goroutine
	out   []byte        // the batch expanded to RGBA, unless the rows already are
	// direct: the unfiltered rows are already straight 8-bit RGBA, and
	// rows gives them where they lie in buf.
	direct  bool
	pal     [256][4]byte // palette as straight RGBA; indices past its end are opaque black
	trns    [3]uint16    // gray or RGB sample that is transparent, if useTRNS
	useTRNS bool
}

// inflater inflates a PNG's image data (the IDAT chunks, through an
// idatReader) and undoes the row filters, a batch of rows at a time.
// inflate, finish and close are called on one goroutine at a time;
// unfilter keeps no state and may run beside them.
type inflater interface {
	// inflate fills dst with the next bytes of the filtered rows (each
	// row its filter byte, then rowBytes bytes).
	inflate(dst []byte) error
	// unfilter undoes the filters of rows 1 to n of buf (pngRows.buf's
	// layout, stride 1+rowBytes), given the unfiltered row above in row
	// 0; then it copies row n to row 0, so the caller may change rows 1
	// to n.
	unfilter(buf []byte, n int) error
	// finish reads the rest of the zlib stream, past the rows: its end
	// must be there; data past what the rows need is ignored, as libpng
	// does. scratch is memory it may use.
	finish(scratch []byte) error
	// close releases the inflater's memory; it may be called at any time.
	close()
}

// rowMode says how a pngRows makes its rows.
type rowMode struct {
	// pureGo: inflate with compress/zlib and unfilter in Go, even where
	// the C inflater is built in.
	pureGo bool
	// ahead: inflate on a goroutine of its own, batches ahead of the
	// caller, who unfilters, converts and scales (see inflateAhead).
	ahead bool
}

var bytePool sync.Pool // of *[]byte

func getBytes(n int) []byte {
	if p, _ := bytePool.Get().(*[]byte); p != nil && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]byte, n)
}

func putBytes(b []byte) {
	if cap(b) > 0 {
		bytePool.Put(&b)
	}
}

// newPNGRows reads data's chunks up to the image data (PLTE, tRNS) and
// starts inflating it, batch rows at a time at most. data may lack its
// IEND (pngMissingIEND): iend says data ends where the IEND chunk would
// start.
func newPNGRows(data []byte, h pngHeader, iend bool, batch int, mode rowMode) (*pngRows, error) {
	g := &pngRows{h: h, batch: batch}
	channels := map[int]int{ctGray: 1, ctRGB: 3, ctPalette: 1, ctGrayAlpha: 2, ctRGBA: 4}[h.ct]
	bits := channels * h.depth
	g.rowBytes = (h.w*bits + 7) / 8
	g.bpp = max(1, bits/8)
	g.direct = h.ct == ctRGBA && h.depth == 8
	for i := range g.pal {
		g.pal[i] = [4]byte{0, 0, 0, 0xff}
	}

	// The chunks before the image data. Like libpng, a bad CRC in an
	// ancillary chunk only drops that chunk.
	off := 8
	paletteLen := -1
	for {
		if off+8 > len(data) {
			return nil, errorf(KindTruncated, io.ErrUnexpectedEOF, "the png data ends before its image data")
		}
		n := binary.BigEndian.Uint32(data[off:])
		typ := string(data[off+4 : off+8])
		if typ == "IDAT" {
			break
		}
		if n > 1<<31-1 {
			return nil, errorf(KindCorrupt, nil, "the png data is corrupt: a %q chunk of %d bytes", typ, n)
		}
		end := off + 8 + int(n)
		if end+4 > len(data) {
			return nil, errorf(KindTruncated, io.ErrUnexpectedEOF, "the png data ends in its %q chunk", typ)
		}
		body := data[off+8 : end]
		if crc32.ChecksumIEEE(data[off+4:end]) != binary.BigEndian.Uint32(data[end:]) {
			if critical(typ) {
				return nil, errorf(KindCorrupt, nil, "the png data is corrupt: the %s chunk's checksum is wrong", typ)
			}
			off = end + 4
			continue
		}
		switch typ {
		case "IEND":
			return nil, errorf(KindTruncated, nil, "the png data ends early: it has no image data")
		case "PLTE":
			if h.ct == ctPalette {
				if n%3 != 0 || n == 0 || int(n)/3 > 1<<h.depth {
					return nil, errorf(KindCorrupt, nil, "the png data is corrupt: a palette of %d bytes", n)
				}
				paletteLen = int(n) / 3
				for i := range paletteLen {
					copy(g.pal[i][:3], body[3*i:])
				}
			}
		case "tRNS":
			// Header saw the same chunk; oddTRNS ones take the general
			// path, so this one is well-formed.
			switch h.ct {
			case ctPalette:
				for i, a := range body[:min(len(body), max(paletteLen, 0))] {
					g.pal[i][3] = a
				}
			case ctGray:
				g.trns[0], g.useTRNS = binary.BigEndian.Uint16(body), true
			case ctRGB:
				g.trns = [3]uint16{binary.BigEndian.Uint16(body), binary.BigEndian.Uint16(body[2:]), binary.BigEndian.Uint16(body[4:])}
				g.useTRNS = true
			}
		}
		off = end + 4
	}
	if h.ct == ctPalette && paletteLen < 0 {
		return nil, errorf(KindCorrupt, nil, "the png data is corrupt: a palette image without a palette")
	}

	g.idat = idatReader{data: data, off: off, iend: iend}
	var err error
	if mode.pureGo || !haveCInflater {
		g.inf, err = newGoInflater(&g.idat, g.rowBytes, g.bpp)
	} else {
		g.inf, err = newCInflater(&g.idat, g.rowBytes, g.bpp)
	}
	if err != nil {
		return nil, err
	}
	if !g.direct {
		g.out = getBytes(batch * g.outBytes())
	}
	if mode.ahead {
		g.ahead = startInflateAhead(g.inf, &g.idat, h.h, batch, 1+g.rowBytes)
		return g, nil
	}
	g.buf = getBytes((batch + 1) * (1 + g.rowBytes))
	clear(g.buf[:1+g.rowBytes]) // the row above the first is zeros
	return g, nil
}

// outBytes is the length of a row rows gives: 4 samples a pixel.
func (g *pngRows) outBytes() int {
	if g.h.depth == 16 {
		return 8 * g.h.w
	}
	return 4 * g.h.w
}

// rows decodes the next n rows (at most the batch; with ahead, exactly
// the batch but for the last) and returns them, row i at
// b[i*stride:][:outBytes]. They are the caller's to change until the next
// call.
func (g *pngRows) rows(n int) (b []byte, stride int, err error) {
	if n > g.batch {
		panic(fmt.Sprintf("decode: %d rows asked for, in batches of %d", n, g.batch))
	}
	rs := 1 + g.rowBytes
	if g.ahead != nil {
		buf, err := g.ahead.next(g.buf, n)
		if err != nil {
			return nil, 0, err
		}
		g.buf = buf
	} else if err := g.inf.inflate(g.buf[rs : (n+1)*rs]); err != nil {
		return nil, 0, err
	}
	if err := g.inf.unfilter(g.buf[:(n+1)*rs], n); err != nil {
		return nil, 0, err
	}
	if g.direct {
		return g.buf[rs+1:], rs, nil
	}
	ob := g.outBytes()
	for i := range n {
		g.convert(g.out[i*ob:][:ob], g.buf[(i+1)*rs+1:][:g.rowBytes])
	}
	return g.out, ob, nil
}

// finish reads the rest of the image data and the chunks after it up to
// IEND, checking their CRCs (and zlib's checksum, which the C inflater
// skips: see cInflater).
func (g *pngRows) finish() error {
	if g.ahead != nil {
		return g.ahead.finish()
	}
	return finishInflate(g.inf, &g.idat, g.buf)
}

// finishInflate is pngRows.finish on the goroutine that inflates.
func finishInflate(inf inflater, idat *idatReader, scratch []byte) error {
	if err := inf.finish(scratch); err != nil {
		return err
	}
	return idat.finish()
}

func (g *pngRows) close() {
	if g.ahead != nil {
		g.ahead.stop() // before the inflater it uses is closed
		g.ahead, g.buf = nil, nil
	}
	if g.inf != nil {
		g.inf.close()
		g.inf = nil
	}
	putBytes(g.buf)
	putBytes(g.out)
	g.buf, g.out = nil, nil
}

// errNotEnoughPixels: the image data ends before the last row.
func errNotEnoughPixels(cause error) *Error {
	return errorf(KindTruncated, cause, "the png data ends early: not enough pixel data")
}

// critical tells a critical chunk type (IHDR, PLTE, IDAT, IEND) from an
// ancillary one by the case of its first letter.
func critical(typ string) bool { return typ[0]&0x20 == 0 }

// pngDataError classifies an error from reading the image data.
func pngDataError(err error) error {
	return decoderError("png", err)
}

// convert turns one unfiltered row into straight RGBA, 8 or 16 bits a
// sample, as libpng's expand, tRNS-to-alpha, gray-to-RGB and filler
// transformations do.
func (g *pngRows) convert(dst, src []byte) {
	h := g.h
	w := h.w
	switch {
	case h.ct == ctRGBA:
		copy(dst, src)
	case h.ct == ctRGB && h.depth == 8:
		tr, tg, tb := g.trns[0], g.trns[1], g.trns[2]
		for x := range w {
			s := src[3*x : 3*x+3 : 3*x+3]
			d := dst[4*x : 4*x+4 : 4*x+4]
			d[0], d[1], d[2], d[3] = s[0], s[1], s[2], 0xff
			if g.useTRNS && uint16(s[0]) == tr && uint16(s[1]) == tg && uint16(s[2]) == tb {
				d[3] = 0
			}
		}
	case h.ct == ctRGB: // 16-bit
		for x := range w {
			s := src[6*x : 6*x+6 : 6*x+6]
			d := dst[8*x : 8*x+8 : 8*x+8]
			copy(d, s)
			d[6], d[7] = 0xff, 0xff
			if g.useTRNS && binary.BigEndian.Uint16(s) == g.trns[0] &&
				binary.BigEndian.Uint16(s[2:]) == g.trns[1] && binary.BigEndian.Uint16(s[4:]) == g.trns[2] {
				d[6], d[7] = 0, 0
			}
		}
	case h.ct == ctGrayAlpha && h.depth == 8:
		for x := range w {
			v, a := src[2*x], src[2*x+1]
			d := dst[4*x : 4*x+4 : 4*x+4]
			d[0], d[1], d[2], d[3] = v, v, v, a
		}
	case h.ct == ctGrayAlpha: // 16-bit
		for x := range w {
			s := src[4*x : 4*x+4 : 4*x+4]
			d := dst[8*x : 8*x+8 : 8*x+8]
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = s[0], s[1], s[0], s[1], s[0], s[1], s[2], s[3]
		}
	case h.ct == ctGray && h.depth == 16:
		for x := range w {
			s := src[2*x : 2*x+2 : 2*x+2]
			d := dst[8*x : 8*x+8 : 8*x+8]
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = s[0], s[1], s[0], s[1], s[0], s[1], 0xff, 0xff
			if g.useTRNS && binary.BigEndian.Uint16(s) == g.trns[0] {
				d[6], d[7] = 0, 0
			}
		}
	case h.ct == ctGray: // 1, 2, 4 or 8 bits
		d := uint(h.depth)
		mask := byte(1<<d - 1)
		scale := 255 / mask // 0xff, 0x55, 0x11, 0x01
		for x := range w {
			bit := uint(x) * d
			v := src[bit/8] >> (8 - d - bit%8) & mask
			o := dst[4*x : 4*x+4 : 4*x+4]
			g8 := v * scale
			o[0], o[1], o[2], o[3] = g8, g8, g8, 0xff
			if g.useTRNS && uint16(v) == g.trns[0] {
				o[3] = 0
			}
		}
	case h.ct == ctPalette && h.depth == 8:
		for x, i := range src[:w] {
			copy(dst[4*x:4*x+4], g.pal[i][:])
		}
	case h.ct == ctPalette:
		d := uint(h.depth)
		mask := byte(1<<d - 1)
		for x := range w {
			bit := uint(x) * d
			i := src[bit/8] >> (8 - d - bit%8) & mask
			copy(dst[4*x:4*x+4], g.pal[i][:])
		}
	}
}
