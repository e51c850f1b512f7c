package decode

import (
	"compress/zlib"
	"io"
	"sync"
)

var zlibPool sync.Pool // of io.ReadCloser implementing zlib.Resetter

// goInflater is the pure-Go inflater: compress/zlib and the filters in Go.
type goInflater struct {
	zr            io.ReadCloser // zlib over idat, pooled
	rowBytes, bpp int
}

func newGoInflater(idat *idatReader, rowBytes, bpp int) (*goInflater, error) {
	g := &goInflater{rowBytes: rowBytes, bpp: bpp}
	var err error
	if zr, _ := zlibPool.Get().(io.ReadCloser); zr != nil {
		err = zr.(zlib.Resetter).Reset(idat, nil)
		g.zr = zr
	} else {
		g.zr, err = zlib.NewReader(idat)
	}
	if err != nil {
		g.close()
		return nil, pngDataError(err)
	}
	return g, nil
}

func (g *goInflater) inflate(dst []byte) error {
	if _, err := io.ReadFull(g.zr, dst); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return errNotEnoughPixels(err)
		}
		return pngDataError(err)
	}
	return nil
}

func (g *goInflater) unfilter(buf []byte, n int) error {
	rs := 1 + g.rowBytes
	for k := 1; k <= n; k++ {
		r := buf[k*rs:][:rs]
		if err := unfilter(r[0], r[1:], buf[(k-1)*rs+1:][:g.rowBytes], g.bpp); err != nil {
			return err
		}
	}
	copy(buf[1:rs], buf[n*rs+1:][:g.rowBytes])
	return nil
}

func (g *goInflater) finish([]byte) error {
	// compress/zlib checks the checksum at the end.
	if _, err := io.Copy(io.Discard, g.zr); err != nil {
		return pngDataError(err)
	}
	return nil
}

func (g *goInflater) close() {
	if g.zr != nil {
		zlibPool.Put(g.zr)
		g.zr = nil
	}
}

// unfilter undoes a row's PNG filter in place (cdat), given the unfiltered
// row above (pdat, zeros for the first row) and the bytes per pixel.
func unfilter(ft byte, cdat, pdat []byte, bpp int) error {
	switch ft {
	case 0: // None
	case 1: // Sub
		for i := bpp; i < len(cdat); i++ {
			cdat[i] += cdat[i-bpp]
		}
	case 2: // Up
		for i, p := range pdat {
			cdat[i] += p
		}
	case 3: // Average
		for i := 0; i < bpp && i < len(cdat); i++ {
			cdat[i] += pdat[i] / 2
		}
		for i := bpp; i < len(cdat); i++ {
			cdat[i] += uint8((int(cdat[i-bpp]) + int(pdat[i])) / 2)
		}
	case 4: // Paeth
		filterPaeth(cdat, pdat, bpp)
	default:
		return errorf(KindCorrupt, nil, "the png data is corrupt: bad filter type %d", ft)
	}
	return nil
}

// filterPaeth undoes the Paeth filter: image/png's implementation (Go's
// BSD licence), one byte lane of the pixel at a time.
func filterPaeth(cdat, pdat []byte, bpp int) {
	var a, b, c, pa, pb, pc int
	for i := 0; i < bpp; i++ {
		a, c = 0, 0
		for j := i; j < len(cdat); j += bpp {
			b = int(pdat[j])
			pa = b - c
			pb = a - c
			pc = abs(pa + pb)
			pa = abs(pa)
			pb = abs(pb)
			if pa <= pb && pa <= pc {
				// No-op.
			} else if pb <= pc {
				a = b
			} else {
				a = c
			}
			a += int(cdat[j])
			a &= 0xff
			cdat[j] = uint8(a)
			c = b
		}
	}
}

// abs is branch-free: the sign bit as a mask (Hacker's Delight 2-4).
func abs(x int) int {
	m := x >> (intSize - 1)
	return (x ^ m) - m
}

const intSize = 32 << (^uint(0) >> 63)
