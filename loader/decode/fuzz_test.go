package decode

import (
	"context"
	"errors"
	"image"
	"image/gif"
	"image/jpeg"
	"io"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"seqview/internal/testframes"
)

// fuzzLimits keep the fuzzer from spending its time on images that
// valid-looking headers ask for.
var fuzzLimits = Limits{MaxSide: 1024, MaxBytes: 4 << 20}

// fuzzSeeds are every PNG kind (every filter), the other formats, and a
// rendered frame, from the tests' encoders and testdata.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for name, s := range pngSpecs() {
		if !strings.Contains(name, "interlaced") || strings.HasPrefix(name, "rgba") {
			s.filters = true
			seeds = append(seeds, s.encode(7, 5))
		}
	}
	small := pattern(6, 4, true)
	seeds = append(seeds,
		encodeWith(f, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, small),
		encodeWith(f, func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }, paletted(6, 4, gifPalette)),
		encodeWith(f, bmp.Encode, small),
		encodeWith(f, func(w io.Writer, m image.Image) error {
			return tiff.Encode(w, m, &tiff.Options{Compression: tiff.Deflate, Predictor: true})
		}, small),
		hugePNG(2000, 10),
		testframes.PNG(24, 16, 1),
	)
	for _, name := range []string{"lossless-alpha.webp", "lossy.webp", "lossy-alpha.webp"} {
		seeds = append(seeds, readTestdata(f, name))
	}
	return seeds
}

// checkError fails t unless err, about data, is an *Error with the
// package's prefix and a Kind that fits.
func checkError(t *testing.T, data []byte, err error) {
	t.Helper()
	e, ok := errors.AsType[*Error](err)
	if !ok {
		t.Fatalf("error %q (%T) is not an *Error", err, err)
	}
	if e.Kind > KindTruncated || (e.Kind == KindEmpty) != (len(data) == 0) { // Background is never cancelled
		t.Errorf("error %q has Kind %v", err, e.Kind)
	}
	if !strings.HasPrefix(err.Error(), "decode: ") {
		t.Errorf("error %q lacks the decode: prefix", err)
	}
}

// FuzzDecode: Full never panics, never goes past its limits, and what it
// decodes agrees with Header.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := Full(context.Background(), data, fuzzLimits)
		if err != nil {
			if im != nil {
				t.Error("an image as well as an error")
			}
			checkError(t, data, err)
			return
		}
		info, err := Header(data)
		if err != nil {
			t.Fatalf("Full succeeded but Header fails: %v", err)
		}
		if im.Info != info {
			t.Errorf("Full's Info %+v, Header's %+v", im.Info, info)
		}
		if want := image.Rect(0, 0, info.Width, info.Height); im.RGBA.Rect != want {
			t.Errorf("bounds %v, the header says %v", im.RGBA.Rect, want)
		}
		if p := packed(im.RGBA); p != "" {
			t.Error(p)
		}
		if info.Width > fuzzLimits.MaxSide || info.Height > fuzzLimits.MaxSide || int64(len(im.RGBA.Pix)) > fuzzLimits.MaxBytes {
			t.Errorf("a %d×%d image is over the limits", info.Width, info.Height)
		}
		if p := im.Pixel(info.Width-1, info.Height-1); p.Channels != info.Channels {
			t.Errorf("Pixel has %d channels, Info %d", p.Channels, info.Channels)
		}
		if im.Bytes() < int64(len(im.RGBA.Pix)) {
			t.Errorf("Bytes() = %d, under the RGBA's %d", im.Bytes(), len(im.RGBA.Pix))
		}
	})
}

// FuzzView: View never crashes (this fuzzes the C inflater and filters
// too, through cgo: a fault there cannot be recovered), and whenever both
// View and Full with ScaleToFit succeed they agree within 1. The input is
// also taken as the raw rows of a small PNG (filter bytes and samples),
// compressed here so that its zlib stream is whole and its checksum
// right: then every row reaches the filters, and the decoders agree on
// every layout the filters see.
func FuzzView(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, uint16(1+i%5), uint16(3))
	}
	// Raw rows for each layout, every filter, 5 pixels wide.
	for i, l := range rawLayouts {
		rs := 1 + rawRowBytes(l, 5)
		var rows []byte
		for k := range 12 * rs {
			v := byte(k * 37 % 251)
			if k%rs == 0 {
				v = byte(k / rs % 5)
			}
			rows = append(rows, v)
		}
		f.Add(rows, uint16(i), uint16(4))
	}
	f.Fuzz(func(t *testing.T, data []byte, vw, vh uint16) {
		w, h := int(vw%64), int(vh%64)
		checkView(t, data, w, h)
		if raw := rawRowsPNG(data, int(vw), int(vh)); raw != nil {
			checkView(t, raw, w, h)
		}
	})
}

// rawLayouts are the colour types and depths rawRowsPNG makes.
var rawLayouts = [][2]int{
	{ctGray, 1}, {ctGray, 2}, {ctGray, 4}, {ctGray, 8}, {ctGray, 16},
	{ctRGB, 8}, {ctRGB, 16}, {ctGrayAlpha, 8}, {ctGrayAlpha, 16}, {ctRGBA, 8}, {ctRGBA, 16},
}

// rawRowsPNG is a PNG whose filtered rows are data (as many whole rows as
// it holds, at most 64), in a layout and width a and b choose; nil if data
// holds no row.
func rawRowsPNG(data []byte, a, b int) []byte {
	l := rawLayouts[a%len(rawLayouts)]
	w := 1 + b%40
	rowBytes := rawRowBytes(l, w)
	h := min(64, len(data)/(1+rowBytes))
	if h == 0 {
		return nil
	}
	return rawPNG(w, h, l[0], l[1], data[:h*(1+rowBytes)])
}

// rawRowBytes is the bytes of a row of w pixels in layout l, without its
// filter byte.
func rawRowBytes(l [2]int, w int) int {
	channels := map[int]int{ctGray: 1, ctRGB: 3, ctGrayAlpha: 2, ctRGBA: 4}[l[0]]
	return (w*channels*l[1] + 7) / 8
}

// checkView decodes data with View in every row mode and compares each
// with Full and ScaleToFit.
func checkView(t *testing.T, data []byte, w, h int) {
	t.Helper()
	var golden *image.RGBA
	if im, err := Full(context.Background(), data, fuzzLimits); err == nil {
		golden = ScaleToFit(im.RGBA, w, h)
	}
	for _, mode := range rowModes() {
		img, info, err := view(context.Background(), data, w, h, fuzzLimits, mode)
		if err != nil {
			if img != nil {
				t.Error("an image as well as an error")
			}
			checkError(t, data, err)
			continue
		}
		if p := packed(img); p != "" {
			t.Fatal(p)
		}
		if ww, hh := FitSize(info.Width, info.Height, w, h); img.Rect.Dx() != ww || img.Rect.Dy() != hh {
			t.Errorf("size %v, want %d×%d", img.Rect, ww, hh)
		}
		if golden != nil {
			if d := diff(img, golden, 1); d != "" {
				t.Errorf("%v: View differs from Full+ScaleToFit: %s", mode, d)
			}
		}
	}
}
