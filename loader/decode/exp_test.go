//go:build cgo && linux && !purego

package decode

import (
	"context"
	"testing"
)

func benchRowsOnly(b *testing.B, adler bool, goRowsToo bool) {
	data := frame4K()
	ph, err := parsePNGHeader(data)
	if err != nil {
		b.Fatal(err)
	}
	ignoreAdler32 = !adler
	defer func() { ignoreAdler32 = true }()
	buf := make([]byte, 16*4*ph.w)
	for b.Loop() {
		var dec rowDecoder
		if goRowsToo {
			dec, err = newGoRows(data, ph, false)
		} else {
			dec, err = newNativeRows(data, ph, false)
		}
		if err != nil {
			b.Fatal(err)
		}
		for y := 0; y < ph.h; y += 16 {
			if err := dec.rows(buf, min(16, ph.h-y), 4*ph.w); err != nil {
				b.Fatal(err)
			}
		}
		if err := dec.finish(); err != nil {
			b.Fatal(err)
		}
		dec.close()
	}
}

func BenchmarkExpLibpngRows(b *testing.B)        { benchRowsOnly(b, true, false) }
func BenchmarkExpLibpngRowsNoAdler(b *testing.B) { benchRowsOnly(b, false, false) }
func BenchmarkExpGoRows(b *testing.B)            { benchRowsOnly(b, true, true) }

func BenchmarkExpGoSide(b *testing.B) {
	data := frame4K()
	im, _ := Full(nil_ctx(), data, DefaultLimits)
	src := im.straight
	_ = src
	rows := make([]byte, len(im.RGBA.Pix))
	copy(rows, im.RGBA.Pix)
	for b.Loop() {
		sc := getScaler(3840, 2160, 1280, 720)
		for y := range 2160 {
			row := rows[y*4*3840:][:4*3840]
			premultiplyNRGBA(row)
			sc.addRow(row)
		}
		putScaler(sc)
	}
}

func nil_ctx() context.Context { return context.Background() }

func BenchmarkExpPremulOnly(b *testing.B) {
	data := frame4K()
	im, _ := Full(nil_ctx(), data, DefaultLimits)
	rows := im.RGBA.Pix
	for b.Loop() {
		for y := range 2160 {
			premultiplyNRGBA(rows[y*4*3840:][:4*3840])
		}
	}
}

func BenchmarkExpScalerOnly(b *testing.B) {
	data := frame4K()
	im, _ := Full(nil_ctx(), data, DefaultLimits)
	rows := im.RGBA.Pix
	for b.Loop() {
		sc := getScaler(3840, 2160, 1280, 720)
		for y := range 2160 {
			sc.addRow(rows[y*4*3840:][:4*3840])
		}
		putScaler(sc)
	}
}
