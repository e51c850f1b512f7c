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
// too, through cgo: a fault there cannot be recovered), and
// whenever both View and Full with ScaleToFit succeed they agree within 1.
func FuzzView(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, uint16(1+i%5), uint16(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, vw, vh uint16) {
		w, h := int(vw%64), int(vh%64)
		var golden *image.RGBA
		if im, err := Full(context.Background(), data, fuzzLimits); err == nil {
			golden = ScaleToFit(im.RGBA, w, h)
		}
		for _, pureGo := range []bool{false, true} {
			img, info, err := view(context.Background(), data, w, h, fuzzLimits, pureGo)
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
					t.Errorf("pureGo %v: View differs from Full+ScaleToFit: %s", pureGo, d)
				}
			}
		}
	})
}
