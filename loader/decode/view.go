package decode

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"sync/atomic"
)

// View decodes data straight to the size FitSize(w, h, vw, vh) gives for
// its w×h image (vw or vh ≤ 0: full size), as a new premultiplied
// *image.RGBA with origin (0,0): the pixels Full followed by ScaleToFit
// gives (within 1 per channel is the promise; the tests find the same
// bytes). The Info is Header's.
//
// Non-interlaced PNGs are decoded as a stream, a few rows at a time, into
// the output: the memory a decode takes is a few rows and the output, not
// the full image. Other images take the general path (Full, then
// ScaleToFit) and drop the full image. View checks ctx between batches of
// rows and yields the processor (runtime.Gosched) there, so that a
// decode on every core does not starve the UI's main-thread tick.
//
// While the decodes running at once leave a processor (GOMAXPROCS) for
// each to have two, a PNG's rows are inflated on a second goroutine while
// the first unfilters and scales them: a decode alone takes less time,
// decodes on every processor lose nothing to the handing over.
func View(ctx context.Context, data []byte, vw, vh int, lim Limits) (*image.RGBA, Info, error) {
	n := viewsRunning.Add(1)
	defer viewsRunning.Add(-1)
	return view(ctx, data, vw, vh, lim, rowMode{ahead: 2*n <= int64(runtime.GOMAXPROCS(0))})
}

// viewsRunning counts the calls of View in progress.
var viewsRunning atomic.Int64

// view is View with the rows made as mode says (tests and benchmarks
// compare the modes).
func view(ctx context.Context, data []byte, vw, vh int, lim Limits, mode rowMode) (*image.RGBA, Info, error) {
	info, ph, err := prepare(ctx, data, lim)
	if err != nil {
		return nil, info, err
	}
	if streams(info, ph) {
		img, err := viewPNG(ctx, data, ph, vw, vh, mode)
		if err != nil {
			return nil, info, err
		}
		return img, info, nil
	}
	im, err := full(ctx, data, info, false)
	if err != nil {
		return nil, info, err
	}
	return ScaleToFit(im.RGBA, vw, vh), info, nil
}

// streams tells whether View decodes an image as a stream of rows.
func streams(info Info, ph pngHeader) bool {
	return info.Format == "png" && !ph.interlace && !ph.oddTRNS
}

// rowBatch is how many rows View decodes between checks of ctx (and
// yields): a fraction of a millisecond of work at 4K, and a few cgo calls.
const rowBatch = 16

// viewPNG streams a non-interlaced PNG's rows into a scaler.
func viewPNG(ctx context.Context, data []byte, ph pngHeader, vw, vh int, mode rowMode) (img *image.RGBA, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, errorf(KindCorrupt, nil, "the png decoder crashed on corrupt data: %v", p)
		}
	}()
	cut, iend := pngMissingIEND(data)
	if iend {
		data = data[:cut]
	}
	w, h := FitSize(ph.w, ph.h, vw, vh)
	wide := ph.depth == 16
	rowLen := 4 * ph.w
	if wide {
		rowLen *= 2
	}
	// Batches of about 256 KiB at most, so that wide images do not take
	// megabytes of rows.
	batch := max(1, min(rowBatch, 256<<10/rowLen))
	dec, err := newPNGRows(data, ph, iend, batch, mode)
	if err != nil {
		return nil, err
	}
	defer dec.close()

	sc := getScaler(ph.w, ph.h, w, h)
	defer putScaler(sc)
	var row8 []byte
	if wide {
		row8 = getBytes(4 * ph.w)
		defer putBytes(row8)
	}
	for y := 0; y < ph.h; y += batch {
		if err := ctx.Err(); err != nil {
			return nil, canceled(err)
		}
		n := min(batch, ph.h-y)
		rows, stride, err := dec.rows(n)
		if err != nil {
			return nil, err
		}
		for i := range n {
			row := rows[i*stride:][:rowLen]
			if wide {
				nrgba64Row(row8, row)
				sc.addRow(row8)
			} else {
				sc.addStraightRow(row)
			}
		}
		runtime.Gosched()
	}
	if err := dec.finish(); err != nil {
		return nil, err
	}
	if sc.y != ph.h || (sc.area && sc.next != h) {
		panic(fmt.Sprintf("scaler made %d of %d rows from %d of %d", sc.next, h, sc.y, ph.h))
	}
	return sc.dst, nil
}
