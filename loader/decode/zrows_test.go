//go:build cgo && linux && !purego

package decode

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestCUnfilterMatchesGo: the C filters (SSE2 or SSE4.1 for 3, 4, 6 and
// 8 bytes a pixel, plain C otherwise, and plain C for all of them) give
// the Go filters' bytes, for every filter and pixel width, write nothing
// outside their rows, and leave the last row in row 0 for the next batch.
func TestCUnfilterMatchesGo(t *testing.T) {
	t.Logf("this CPU runs filter code %d (0 C, 1 SSE2, 2 SSE4.1)", cSIMD)
	rng := rand.New(rand.NewPCG(1, 2))
	for simd := range cSIMD + 1 {
		for _, bpp := range []int{1, 2, 3, 4, 6, 8} {
			for _, w := range []int{1, 2, 3, 5, 16, 17, 33, 100} {
				for _, ft := range []int{0, 1, 2, 3, 4, -1} { // -1: a mix of all five
					t.Run(fmt.Sprintf("simd%d/bpp%d/w%d/filter%d", simd, bpp, w, ft), func(t *testing.T) {
						rowBytes := w * bpp
						if bpp == 1 && w > 2 {
							rowBytes = w - 2 // sub-byte depths: any length
						}
						rs := 1 + rowBytes
						const n = 6
						// Guard bytes around the rows catch a write outside them.
						mem := make([]byte, (n+1)*rs+64)
						for i := range mem {
							mem[i] = uint8(rng.Uint32())
						}
						for k := 1; k <= n; k++ {
							f := ft
							if f < 0 {
								f = rng.IntN(5)
							}
							mem[32+k*rs] = byte(f)
						}
						c := bytes.Clone(mem)
						buf := c[32 : 32+(n+1)*rs]
						if k := cUnfilter(buf, n, rowBytes, bpp, simd); k != 0 {
							t.Fatalf("row %d's filter is unknown", k)
						}
						g := bytes.Clone(mem)
						gb := g[32 : 32+(n+1)*rs]
						for k := 1; k <= n; k++ {
							r := gb[k*rs:][:rs]
							if err := unfilter(r[0], r[1:], gb[(k-1)*rs+1:][:rowBytes], bpp); err != nil {
								t.Fatal(err)
							}
						}
						copy(gb[1:rs], gb[n*rs+1:][:rowBytes])
						if !bytes.Equal(c, g) {
							for i := range c {
								if c[i] != g[i] {
									t.Fatalf("byte %d (row %d, byte %d): C %d, Go %d", i, (i-32)/rs, (i-32)%rs, c[i], g[i])
								}
							}
						}
					})
				}
			}
		}
	}
}

// TestCUnfilterBadFilter: an unknown filter type stops at its row.
func TestCUnfilterBadFilter(t *testing.T) {
	const rowBytes, n = 12, 4
	buf := make([]byte, (n+1)*(rowBytes+1))
	buf[3*(rowBytes+1)] = 5
	for simd := range cSIMD + 1 {
		if k := cUnfilter(buf, n, rowBytes, 4, simd); k != 3 {
			t.Errorf("simd %d: cUnfilter = %d, want 3", simd, k)
		}
	}
}

// BenchmarkUnfilter4K undoes the filters of a 4K RGBA frame's rows (a
// batch of 16 rows, 135 times, copied in each time), each filter alone, in
// C (C0 plain, C1 SSE2, C2 SSE4.1) and in Go.
func BenchmarkUnfilter4K(b *testing.B) {
	const w, n, batches = 3840, rowBatch, 2160 / rowBatch
	rowBytes := 4 * w
	rs := 1 + rowBytes
	rng := rand.New(rand.NewPCG(3, 4))
	src := make([]byte, (n+1)*rs)
	for i := range src {
		src[i] = uint8(rng.Uint32())
	}
	buf := make([]byte, len(src))
	for _, ft := range []byte{1, 2, 3, 4} {
		for k := 1; k <= n; k++ {
			src[k*rs] = ft
		}
		for simd := range cSIMD + 1 {
			b.Run(fmt.Sprintf("filter%d/C%d", ft, simd), func(b *testing.B) {
				defer reportCPU(b)()
				for b.Loop() {
					for range batches {
						copy(buf, src)
						cUnfilter(buf, n, rowBytes, 4, simd)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("filter%d/Go", ft), func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				for range batches {
					copy(buf, src)
					for k := 1; k <= n; k++ {
						unfilter(ft, buf[k*rs+1:][:rowBytes], buf[(k-1)*rs+1:][:rowBytes], 4)
					}
				}
			}
		})
	}
}
