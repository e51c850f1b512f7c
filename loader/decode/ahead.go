package decode

import (
	"fmt"
	"runtime"
)

// aheadBuffers is how many batches an inflateAhead has: one the caller
// holds, one being inflated, the rest waiting for the caller.
const aheadBuffers = 4

// inflateAhead inflates a PNG's rows on a goroutine of its own, batches
// ahead of the caller, who unfilters, converts and scales them. Inflating
// is the larger part of a decode and cannot be split (one zlib stream),
// but the rest can run beside it: on a second core a decode takes about
// the time of its inflating, not of everything.
//
// The inflating goroutine alone uses the inflater's stream and the
// idatReader, from start until it sends the finish result or stop is
// closed; the caller's goroutine alone calls next, finish and stop.
type inflateAhead struct {
	full chan aheadBatch // inflated batches in order, then finish's result
	free chan []byte     // buffers the caller is done with
	quit chan struct{}   // closed by stop
	done chan struct{}   // closed when the inflating goroutine returns
	bufs [][]byte        // every buffer, for stop to give back
	rs   int             // bytes from a row to the next in a buffer
}

// aheadBatch is an inflated batch of n rows in rows 1 to n of buf; or,
// with buf nil, the end: err is finish's result.
type aheadBatch struct {
	buf []byte
	n   int
	err error
}

// startInflateAhead starts inflating rows rows in batches of batch rows
// (the last may be shorter), rowStride bytes apart, into buffers of
// batch+1 rows (row 0 is the row above, filled in by next).
func startInflateAhead(inf inflater, idat *idatReader, rows, batch, rowStride int) *inflateAhead {
	a := &inflateAhead{
		full: make(chan aheadBatch, aheadBuffers),
		free: make(chan []byte, aheadBuffers),
		quit: make(chan struct{}),
		done: make(chan struct{}),
		rs:   rowStride,
	}
	for range aheadBuffers {
		b := getBytes((batch + 1) * rowStride)
		a.bufs = append(a.bufs, b)
		a.free <- b
	}
	go a.run(inf, idat, rows, batch)
	return a
}

func (a *inflateAhead) run(inf inflater, idat *idatReader, rows, batch int) {
	rs := a.rs
	defer close(a.done)
	var buf []byte
	send := func(b aheadBatch) bool {
		select {
		case a.full <- b:
			return true
		case <-a.quit:
			return false
		}
	}
	defer func() {
		if p := recover(); p != nil {
			send(aheadBatch{err: errorf(KindCorrupt, nil, "the png decoder crashed on corrupt data: %v", p)})
		}
	}()
	for y := 0; y < rows; y += batch {
		select {
		case buf = <-a.free:
		case <-a.quit:
			return
		}
		n := min(batch, rows-y)
		if err := inf.inflate(buf[rs : (n+1)*rs]); err != nil {
			send(aheadBatch{err: err})
			return
		}
		if !send(aheadBatch{buf: buf, n: n}) {
			return
		}
		runtime.Gosched() // as View's own loop does, for the UI's tick
	}
	select {
	case buf = <-a.free: // scratch for the rest of the stream
	case <-a.quit:
		return
	}
	err := finishInflate(inf, idat, buf)
	a.free <- buf
	send(aheadBatch{err: err})
}

// next gives back prev (the batch the last call gave; nil at first) and
// returns the next batch of n rows, with the unfiltered row above in its
// row 0: prev's row 0, where unfilter left it, or zeros at first.
func (a *inflateAhead) next(prev []byte, n int) ([]byte, error) {
	b := <-a.full
	if b.err != nil {
		return nil, b.err
	}
	if b.buf == nil || b.n != n {
		panic(fmt.Sprintf("decode: %d rows asked for, %d inflated", n, b.n))
	}
	if prev == nil {
		clear(b.buf[:a.rs])
	} else {
		copy(b.buf[:a.rs], prev[:a.rs])
		a.free <- prev
	}
	return b.buf, nil
}

// finish returns the result of reading the rest of the image data, once
// every row has been taken.
func (a *inflateAhead) finish() error {
	b := <-a.full
	if b.buf != nil {
		panic("decode: finish before the last row")
	}
	return b.err
}

// stop ends the inflating goroutine, waits for it and gives the buffers
// back.
func (a *inflateAhead) stop() {
	close(a.quit)
	<-a.done
	for _, b := range a.bufs {
		putBytes(b)
	}
	a.bufs = nil
}
