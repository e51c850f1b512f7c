//go:build cgo && linux && !purego

package decode

/*
#cgo LDFLAGS: -lz
#include "zrows.h"
*/
import "C"

import (
	"fmt"
	"io"
	"unsafe"
)

// haveCInflater: View inflates PNG data with the system's zlib and
// unfilters rows in C (zrows.c).
const haveCInflater = true

// cInflater is the C inflater. It skips zlib's checksum (an Adler-32
// over every inflated byte, a measurable part of a decode): the CRC of
// every chunk still catches damaged data. Only a broken encoder writes a
// wrong checksum over intact chunks; image/png (Full, and the pure-Go
// stream) rejects those, View here shows them, as it did with libpng.
//
// Go walks the IDAT chunks (idatReader
// checks each one's CRC when its data is used up) and lends zlib one
// chunk's data per call; C holds no Go pointer between calls.
type cInflater struct {
	s             *C.sv_zrows
	idat          *idatReader
	in            []byte // the current IDAT chunk's data not yet inflated
	end           bool   // the zlib stream has ended
	rowBytes, bpp int
}

func newCInflater(idat *idatReader, rowBytes, bpp int) (*cInflater, error) {
	s := C.sv_zrows_new()
	if s == nil {
		return nil, errorf(KindCorrupt, nil, "out of memory for zlib")
	}
	return &cInflater{s: s, idat: idat, rowBytes: rowBytes, bpp: bpp}, nil
}

func (c *cInflater) unfilter(buf []byte, n int) error {
	rs := 1 + c.rowBytes
	if k := cUnfilter(buf, n, c.rowBytes, c.bpp, cSIMD); k != 0 {
		return errorf(KindCorrupt, nil, "the png data is corrupt: bad filter type %d", buf[k*rs])
	}
	return nil
}

// inflate fills out from the image data, chunk after chunk.
func (c *cInflater) inflate(out []byte) error {
	for len(out) > 0 {
		if c.end {
			return errNotEnoughPixels(io.ErrUnexpectedEOF)
		}
		if len(c.in) == 0 {
			if err := c.idat.advance(); err != nil {
				if err == io.EOF {
					return errNotEnoughPixels(io.ErrUnexpectedEOF)
				}
				return err
			}
			c.in, c.idat.cur = c.idat.cur, nil
			continue
		}
		// Chunks are under 2 GiB and out is a batch of rows: both fit
		// zlib's 32-bit counts.
		ret := C.sv_inflate(c.s, (*C.uchar)(unsafe.Pointer(&c.in[0])), C.size_t(len(c.in)),
			(*C.uchar)(unsafe.Pointer(&out[0])), C.size_t(len(out)))
		inLeft, outLeft := int(c.s.in_left), int(c.s.out_left)
		progress := inLeft < len(c.in) || outLeft < len(out)
		c.in, out = c.in[len(c.in)-inLeft:], out[len(out)-outLeft:]
		switch {
		case ret == C.Z_STREAM_END:
			c.end = true
		case ret == C.Z_OK || (ret == C.Z_BUF_ERROR && progress):
		default:
			return c.err(ret)
		}
	}
	return nil
}

func (c *cInflater) finish(scratch []byte) error {
	for !c.end {
		if err := c.inflate(scratch); err != nil && !c.end {
			if e, ok := err.(*Error); ok && e.Kind == KindTruncated {
				return errorf(KindTruncated, io.ErrUnexpectedEOF, "the png data ends early: unexpected EOF")
			}
			return err
		}
	}
	return nil
}

func (c *cInflater) close() {
	if c.s != nil {
		C.sv_zrows_free(c.s)
		c.s = nil
	}
}

// err describes zlib's error code ret.
func (c *cInflater) err(ret C.int) error {
	msg := "zlib error " + fmt.Sprint(int(ret))
	if c.s.z.msg != nil {
		msg = C.GoString(c.s.z.msg)
	}
	return errorf(KindCorrupt, nil, "the png data is corrupt: %s", msg)
}

// cSIMD is the fastest filter code this CPU runs: 0 plain C, 1 SSE2, 2
// SSE4.1 (see sv_simd).
var cSIMD = int(C.sv_simd())

// cUnfilter undoes the filters of rows 1 to n of buf (pngRows.buf's
// layout, rowBytes+1 apart) with the code simd names (at most cSIMD),
// then copies row n to row 0 (see sv_unfilter). It returns 0, or the
// first row whose filter type is unknown.
func cUnfilter(buf []byte, n, rowBytes, bpp, simd int) int {
	rs := 1 + rowBytes
	if n <= 0 {
		return 0
	}
	simd = min(simd, cSIMD) // SSE4.1 code would fault on a CPU without it
	if len(buf) < (n+1)*rs || bpp < 1 {
		panic(fmt.Sprintf("decode: %d rows of %d bytes in a buffer of %d", n+1, rs, len(buf)))
	}
	return int(C.sv_unfilter((*C.uchar)(unsafe.Pointer(&buf[0])), C.int(n), C.size_t(rs), C.size_t(rowBytes), C.int(bpp), C.int(simd)))
}
