package decode

import (
	"fmt"
	"image"
	"sync"
)

// scaler area-averages a stream of premultiplied RGBA rows, top to bottom,
// into a w×h image with exactly ScaleToFit's arithmetic: the same box
// shrink by whole factors, then the same area weights. Integer sums do not
// depend on the order they are added in, so the result is the same, byte
// for byte; only the memory differs: a box row and two area rows of sums
// instead of whole images.
//
// A scaler is used by one goroutine at a time; scalers are pooled (their
// weights and sums are reused when the next image has the same sizes),
// only dst is new for every image.
type scaler struct {
	sw, sh, w, h int // source and output sizes
	dst          *image.RGBA
	y            int // source rows added so far

	// Box stage: source rows are summed in boxAcc, ky at a time, blocks of
	// kx pixels into one. Rows past boxH*ky are dropped, as boxShrink
	// drops them.
	box      bool
	kx, ky   int
	boxW     int
	boxH     int
	boxAcc   []uint32
	boxN     int    // rows summed into boxAcc so far
	boxY     int    // box rows made so far
	boxRow   []byte // the box row, when the area stage follows
	boxM     uint64 // divide by kx*ky: (s + boxHalf) * boxM >> 40
	boxHalf  uint32
	identity bool // no scaling: rows are copied

	// Area stage: areaShrink's weights over its input (the box rows, or
	// the source rows when there is no box stage), aw×ah to w×h.
	area   bool
	aw, ah int
	xw, yw weights
	// For each input row j: the first output row it adds to, and its
	// weights there and in the next output row (0: none). An input row
	// overlaps at most two output rows, because an output row spans at
	// least one input row.
	rowY []int32
	rowW [][2]uint32
	// first[y] and last[y]: the first and last input rows with a weight
	// in output row y. Sums for row y live in acc[y&1] from first[y] to
	// last[y]; rows y and y+2 never overlap.
	first, last []int32
	acc         [2][]uint32
	next        int // the next output row to finish
}

var scalerPool sync.Pool // of *scaler

// getScaler returns a scaler from sw×sh rows to a new w×h dst (w ≤ sw,
// h ≤ sh, as FitSize gives).
func getScaler(sw, sh, w, h int) *scaler {
	s, _ := scalerPool.Get().(*scaler)
	if s == nil {
		s = &scaler{}
	}
	if s.sw != sw || s.sh != sh || s.w != w || s.h != h {
		s.init(sw, sh, w, h)
	}
	s.y, s.boxN, s.boxY, s.next = 0, 0, 0, 0
	clear(s.boxAcc)
	s.dst = image.NewRGBA(image.Rect(0, 0, w, h))
	return s
}

// putScaler returns s to the pool; s.dst is the caller's.
func putScaler(s *scaler) {
	s.dst = nil
	scalerPool.Put(s)
}

func (s *scaler) init(sw, sh, w, h int) {
	*s = scaler{sw: sw, sh: sh, w: w, h: h,
		boxAcc: s.boxAcc[:0], boxRow: s.boxRow[:0], rowY: s.rowY[:0], rowW: s.rowW[:0],
		first: s.first[:0], last: s.last[:0], acc: [2][]uint32{s.acc[0][:0], s.acc[1][:0]}}
	if w == sw && h == sh {
		s.identity = true
		return
	}
	s.aw, s.ah = sw, sh
	if kx, ky := min(sw/w, maxBox), min(sh/h, maxBox); kx > 1 || ky > 1 {
		s.box, s.kx, s.ky = true, kx, ky
		s.boxW, s.boxH = sw/kx, sh/ky
		s.boxAcc = grow(s.boxAcc, 4*s.boxW)
		n := uint64(kx * ky)
		s.boxM, s.boxHalf = (1<<40+n-1)/n, uint32(n/2)
		s.aw, s.ah = s.boxW, s.boxH
		if s.boxW == w && s.boxH == h {
			return
		}
		s.boxRow = grow(s.boxRow, 4*s.boxW)
	}
	s.area = true
	s.xw, s.yw = areaWeights(s.aw, w, xBits), areaWeights(s.ah, h, yBits)
	s.rowY = grow(s.rowY, s.ah)
	s.rowW = grow(s.rowW, s.ah)
	clear(s.rowW)
	s.first, s.last = grow(s.first, h), grow(s.last, h)
	for y := range h {
		s.first[y] = -1
		for t := range s.yw.taps {
			wy := s.yw.w[y*s.yw.taps+t]
			if wy == 0 {
				continue
			}
			j := int32(s.yw.start[y] + t)
			if s.first[y] < 0 {
				s.first[y] = j
			}
			s.last[y] = j
			switch {
			case s.rowW[j][0] == 0:
				s.rowY[j], s.rowW[j][0] = int32(y), wy
			case s.rowY[j]+1 == int32(y):
				s.rowW[j][1] = wy
			default:
				panic(fmt.Sprintf("decode: area row %d of %d→%d adds to rows %d and %d", j, s.ah, h, s.rowY[j], y))
			}
		}
		if y >= 2 && s.first[y] <= s.last[y-2] {
			panic(fmt.Sprintf("decode: area rows %d and %d of %d→%d overlap", y-2, y, s.ah, h))
		}
	}
	s.acc[0], s.acc[1] = grow(s.acc[0], 4*s.aw), grow(s.acc[1], 4*s.aw)
}

// grow returns b resized to n, reusing its memory if it is large enough.
func grow[T any](b []T, n int) []T {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]T, n)
}

// addRow adds the next source row: 4*sw bytes of premultiplied RGBA.
func (s *scaler) addRow(row []byte) {
	if s.identity {
		copy(s.dst.Pix[s.y*s.dst.Stride:][:4*s.sw], row)
		s.y++
		return
	}
	if s.box {
		if s.y < s.boxH*s.ky {
			addBlocks(s.boxAcc, row[:4*s.boxW*s.kx], s.kx)
		}
		s.endBoxRow()
		return
	}
	s.areaRow(row[:4*s.aw], s.y)
	s.y++
}

// addStraightRow adds the next source row as straight (not
// premultiplied) 8-bit RGBA, premultiplying it in place: for the box
// factors of 4K into 1080p and 720p, while adding it up (one pass over the
// row instead of two, and only over the pixels the box uses).
func (s *scaler) addStraightRow(row []byte) {
	if s.box && (s.kx == 2 || s.kx == 3) {
		if s.y < s.boxH*s.ky {
			addBlocksPremul(s.boxAcc, row[:4*s.boxW*s.kx], s.kx)
		}
		s.endBoxRow()
		return
	}
	premultiplyNRGBA(row)
	s.addRow(row)
}

// endBoxRow counts a source row added to the box sums, and makes a box row
// from every ky of them.
func (s *scaler) endBoxRow() {
	y := s.y
	s.y++
	if y >= s.boxH*s.ky {
		return
	}
	if s.boxN++; s.boxN < s.ky {
		return
	}
	s.boxN = 0
	by := s.boxY
	s.boxY++
	out := s.boxRow
	if !s.area {
		out = s.dst.Pix[by*s.dst.Stride:][:4*s.boxW]
	}
	m, half := s.boxM, s.boxHalf
	for i, v := range s.boxAcc {
		out[i] = uint8(uint64(v+half) * m >> 40)
	}
	clear(s.boxAcc)
	if s.area {
		s.areaRow(out[:4*s.aw], by)
	}
}

// areaRow adds input row j of the area stage to the one or two output
// rows it has weights in, and finishes the output rows it is the last of.
func (s *scaler) areaRow(row []byte, j int) {
	for k, wy := range s.rowW[j] {
		if wy == 0 {
			continue
		}
		y := int(s.rowY[j]) + k
		acc := s.acc[y&1][:len(row)]
		if int(s.first[y]) == j {
			for i, p := range row {
				acc[i] = wy * uint32(p)
			}
			continue
		}
		for i, p := range row {
			acc[i] += wy * uint32(p)
		}
	}
	for s.next < s.h && int(s.last[s.next]) <= j {
		s.finishRow(s.next)
		s.next++
	}
}

// finishRow makes output row y from its vertical sums: areaShrink's
// horizontal pass.
func (s *scaler) finishRow(y int) {
	horizontal(s.dst.Pix[y*s.dst.Stride:][:4*s.w], s.acc[y&1], s.xw)
}
