package decode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"seqview/internal/testframes"
)

// decoders are the ways to decode a whole file that tests compare: each
// returns the image at the view's size (vw×vh; 0: full size).
type decoderFunc func(ctx context.Context, data []byte, vw, vh int, lim Limits) (*image.RGBA, error)

func decoders() []struct {
	name string
	f    decoderFunc
} {
	ds := []struct {
		name string
		f    decoderFunc
	}{
		{"Full", func(ctx context.Context, data []byte, vw, vh int, lim Limits) (*image.RGBA, error) {
			im, err := Full(ctx, data, lim)
			if err != nil {
				return nil, err
			}
			return ScaleToFit(im.RGBA, vw, vh), nil
		}},
		{"View", func(ctx context.Context, data []byte, vw, vh int, lim Limits) (*image.RGBA, error) {
			img, _, err := View(ctx, data, vw, vh, lim)
			return img, err
		}},
	}
	for _, m := range rowModes() {
		ds = append(ds, struct {
			name string
			f    decoderFunc
		}{"View " + m.String(), func(ctx context.Context, data []byte, vw, vh int, lim Limits) (*image.RGBA, error) {
			img, _, err := view(ctx, data, vw, vh, lim, m)
			return img, err
		}})
	}
	return ds
}

// want is Full followed by ScaleToFit: what View must give.
func want(t testing.TB, data []byte, vw, vh int) *image.RGBA {
	t.Helper()
	im, err := Full(context.Background(), data, DefaultLimits)
	if err != nil {
		t.Fatalf("Full: %v", err)
	}
	return ScaleToFit(im.RGBA, vw, vh)
}

// viewKinds are the PNG kinds of the goldens, every row filter included.
func viewKinds() map[string]pngSpec {
	specs := pngSpecs()
	kinds := map[string]pngSpec{}
	for _, name := range []string{"rgb8", "rgba8", "gray8", "gray+alpha8", "palette8 tRNS", "palette2",
		"gray2 tRNS", "gray1", "gray4", "rgb8 tRNS", "rgb16", "rgba16", "gray16 tRNS", "gray+alpha16", "rgb16 tRNS",
		"rgba8 interlaced", "gray16 interlaced"} {
		s, ok := specs[name]
		if !ok {
			panic(name)
		}
		s.filters = true
		kinds[name] = s
	}
	return kinds
}

// TestViewGoldens: View gives what Full and ScaleToFit give, for every
// kind of PNG and every kind of scale. The stream does ScaleToFit's
// arithmetic, so the bytes are the same (the API allows 1 of difference).
func TestViewGoldens(t *testing.T) {
	scales := []struct {
		name         string
		w, h, vw, vh int
	}{
		{"2x", 64, 48, 32, 24},
		{"3x", 96, 54, 32, 18},
		{"1.37x", 137, 100, 100, 100},
		{"box then area", 131, 77, 50, 50},
		{"area, height only", 40, 90, 40, 61},
		{"huge factor", 400, 300, 1, 1},
		{"past the box limit", 700, 3, 2, 2},
		{"wide strip", 10000, 1, 100, 100},
		{"tall strip", 1, 10000, 100, 100},
		{"view larger", 30, 20, 300, 200},
		{"view 0", 30, 20, 0, 0},
		{"odd", 101, 67, 37, 29},
	}
	for name, spec := range viewKinds() {
		for _, sc := range scales {
			data := spec.encode(sc.w, sc.h)
			golden := want(t, data, sc.vw, sc.vh)
			for _, d := range decoders()[1:] {
				t.Run(fmt.Sprintf("%s/%s/%s", name, sc.name, d.name), func(t *testing.T) {
					got, err := d.f(context.Background(), data, sc.vw, sc.vh, DefaultLimits)
					if err != nil {
						t.Fatal(err)
					}
					if p := packed(got); p != "" {
						t.Fatal(p)
					}
					if d := diff(got, golden, 0); d != "" {
						t.Error(d)
					}
				})
			}
		}
	}
}

// TestViewRendered checks View on rendered-looking frames (soft alpha,
// grain, Paeth rows, 32 KiB IDAT chunks) into common view shapes.
func TestViewRendered(t *testing.T) {
	data := testframes.PNG(640, 360, 3)
	for _, v := range []image.Point{{320, 180}, {213, 120}, {500, 500}, {100, 30}, {639, 359}, {640, 360}} {
		golden := want(t, data, v.X, v.Y)
		for _, d := range decoders()[1:] {
			t.Run(fmt.Sprintf("%v/%s", v, d.name), func(t *testing.T) {
				got, err := d.f(context.Background(), data, v.X, v.Y, DefaultLimits)
				if err != nil {
					t.Fatal(err)
				}
				if d := diff(got, golden, 0); d != "" {
					t.Error(d)
				}
			})
		}
	}
}

// TestViewOtherFormats: formats without a stream take the general path.
func TestViewOtherFormats(t *testing.T) {
	src := pattern(90, 60, false)
	tests := map[string][]byte{
		"jpeg":              encodeWith(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, src),
		"webp":              readTestdata(t, "lossy-alpha.webp"),
		"png interlaced":    viewKinds()["rgba8 interlaced"].encode(90, 60),
		"png with odd tRNS": pngSpec{ct: ctRGB, depth: 8, trns: []byte{1, 0, 0, 0, 0, 0}}.encode(90, 60),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			got, info, err := View(context.Background(), data, 30, 30, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(got, want(t, data, 30, 30), 0); d != "" {
				t.Error(d)
			}
			if hi, _ := Header(data); info != hi {
				t.Errorf("View's Info %+v, Header's %+v", info, hi)
			}
		})
	}
}

// TestScalerMatchesScaleToFit feeds random images row by row to the
// scaler and wants ScaleToFit's bytes: every pair of small sizes, and
// random larger ones.
func TestScalerMatchesScaleToFit(t *testing.T) {
	type sizes struct{ sw, sh, vw, vh int }
	var cases []sizes
	small := []int{1, 2, 3, 5, 7, 16, 33}
	for _, sw := range small {
		for _, sh := range small {
			for _, vw := range small {
				for _, vh := range small {
					cases = append(cases, sizes{sw, sh, vw, vh})
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 100 {
		n := 300
		if i%10 == 0 {
			n = 1000
		}
		cases = append(cases, sizes{1 + rng.IntN(n), 1 + rng.IntN(n), 1 + rng.IntN(n), 1 + rng.IntN(n)})
	}
	for i, c := range cases {
		// Half the cases add straight rows (addStraightRow premultiplies
		// them), half premultiplied ones.
		straight := i%2 == 0
		nrgba := image.NewNRGBA(image.Rect(0, 0, c.sw, c.sh))
		for i := range nrgba.Pix {
			nrgba.Pix[i] = uint8(rng.Uint32())
			if i%4 == 3 && rng.IntN(2) == 0 {
				nrgba.Pix[i] = 0xff // opaque blocks take another branch
			}
		}
		src, _ := toRGBA(to(nrgba, image.NewNRGBA), c.sw, c.sh, false)
		w, h := FitSize(c.sw, c.sh, c.vw, c.vh)
		sc := getScaler(c.sw, c.sh, w, h)
		for y := range c.sh {
			if straight {
				sc.addStraightRow(nrgba.Pix[y*nrgba.Stride:][:4*c.sw])
			} else {
				sc.addRow(src.Pix[y*src.Stride:][:4*c.sw])
			}
		}
		got := sc.dst
		putScaler(sc)
		if d := diff(got, ScaleToFit(src, c.vw, c.vh), 0); d != "" {
			t.Fatalf("%d×%d into %d×%d, straight %v: %s", c.sw, c.sh, c.vw, c.vh, straight, d)
		}
	}
}

// errCase is data that must fail to decode with a Kind and message.
type errCase struct {
	name   string
	data   []byte
	lim    Limits
	kind   Kind
	is     error  // errors.Is target, if any
	detail string // what Detail must start with
}

func errCases(t *testing.T) []errCase {
	valid := pngSpecs()["rgba8"].encode(16, 16)
	badData := bytes.Clone(valid)
	i := bytes.Index(badData, []byte("IDAT"))
	badData[i+6] ^= 0xff // a byte of the compressed data
	badCRC := bytes.Clone(valid)
	badCRC[len(badCRC)-12-1] ^= 0xff // IDAT's CRC, just before IEND
	badHeaderCRC := bytes.Clone(valid)
	badHeaderCRC[8+8+13] ^= 0xff                                               // IHDR's CRC
	badFilter := rawPNG(4, 2, ctGray, 8, []byte{0, 1, 2, 3, 4, 7, 1, 2, 3, 4}) // filter type 7
	shortData := rawPNG(4, 2, ctGray, 8, []byte{0, 1, 2, 3, 4})                // one row of two
	// Every row, but the zlib stream lacks its last bytes (its checksum),
	// in chunks whose CRCs are right.
	var z bytes.Buffer
	zw := zlibWriter(&z)
	zw.Write([]byte{0, 1, 2, 3, 4, 1, 1, 2, 3, 4})
	zw.Close()
	noStreamEnd := pngOf(4, 2, ctGray, 8, z.Bytes()[:z.Len()-3])
	zeroWidth := hugePNG(0, 10)
	jpg := encodeWith(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, pattern(64, 64, false))

	return []errCase{
		{"zero bytes", nil, DefaultLimits, KindEmpty, nil, "the file is empty"},
		{"text named png", []byte("hello world, I am not a picture"), DefaultLimits, KindNotImage, image.ErrFormat,
			`not a supported image (starts with "hello wor")`},
		{"html page", []byte("<!DOCTYPE html><html>404</html>"), DefaultLimits, KindNotImage, image.ErrFormat,
			`not a supported image (starts with "<!DOCTYPE")`},
		{"short garbage", []byte{0x89, 'P'}, DefaultLimits, KindNotImage, image.ErrFormat, `not a supported image (starts with "\x89P")`},
		{"truncated png", valid[:len(valid)/2], DefaultLimits, KindTruncated, nil, "the png data ends early"},
		{"truncated png IDAT chunk", valid[:len(valid)-20], DefaultLimits, KindTruncated, nil, "the png data ends early"},
		{"truncated png header", valid[:20], DefaultLimits, KindTruncated, nil, "the png data ends in its header"},
		{"not enough pixel data", shortData, DefaultLimits, KindTruncated, nil, "the png data ends early"},
		{"zlib stream without its end", noStreamEnd, DefaultLimits, KindTruncated, nil, "the png data ends early"},
		{"bad IDAT CRC", badCRC, DefaultLimits, KindCorrupt, nil, "the png data is corrupt"},
		{"corrupt IDAT data", badData, DefaultLimits, KindCorrupt, nil, "the png data is corrupt"},
		{"bad filter type", badFilter, DefaultLimits, KindCorrupt, nil, "the png data is corrupt"},
		{"bad IHDR CRC", badHeaderCRC, DefaultLimits, KindCorrupt, nil, "the png header is corrupt: its checksum is wrong"},
		{"zero-width png", zeroWidth, DefaultLimits, KindCorrupt, nil, "the png header says the image is 0×10"},
		{"truncated jpeg", jpg[:600], DefaultLimits, KindTruncated, nil, "the jpeg data ends early"},
		{"huge header", hugePNG(100000, 100000), DefaultLimits, KindTooLarge, nil,
			"the image is 100000×100000, over the limit of 16384×16384"},
		{"over MaxSide", valid, Limits{MaxSide: 15}, KindTooLarge, nil, "the image is 16×16, over the limit of 15×15"},
		{"over MaxBytes", hugePNG(16384, 16384), Limits{MaxBytes: 512 << 20}, KindTooLarge, nil,
			"the image is 16384×16384, over the limit of 512 MiB decoded (it needs 1024 MiB)"},
		{"zero Limits are the defaults", hugePNG(16385, 10), Limits{}, KindTooLarge, nil, "the image is 16385×10, over the limit of 16384×16384"},
		{"0x0 gif", []byte("GIF89a\x00\x00\x00\x00\x00\x00\x00;"), DefaultLimits, KindCorrupt, nil, "the gif image is 0×0: it has no pixels"},
	}
}

// rawPNG is a PNG of the given raw (filtered, uncompressed) image data.
func rawPNG(w, h, ct, depth int, raw []byte) []byte {
	var z bytes.Buffer
	zw := zlibWriter(&z)
	zw.Write(raw)
	zw.Close()
	return pngOf(w, h, ct, depth, z.Bytes())
}

func TestErrors(t *testing.T) {
	for _, tt := range errCases(t) {
		for _, d := range decoders() {
			t.Run(tt.name+"/"+d.name, func(t *testing.T) {
				img, err := d.f(context.Background(), tt.data, 100, 100, tt.lim)
				if err == nil {
					t.Fatalf("no error, image %v", img.Rect)
				}
				if img != nil {
					t.Error("an image as well as an error")
				}
				e, ok := errors.AsType[*Error](err)
				if !ok {
					t.Fatalf("error %q (%T) is not an *Error", err, err)
				}
				if e.Kind != tt.kind {
					t.Errorf("error %q: Kind %v, want %v", err, e.Kind, tt.kind)
				}
				if !strings.HasPrefix(e.Detail, tt.detail) {
					t.Errorf("Detail %q, want it to start with %q", e.Detail, tt.detail)
				}
				if err.Error() != "decode: "+e.Detail {
					t.Errorf("Error() %q, want \"decode: \" + Detail", err)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("error %q is not %v", err, tt.is)
				}
			})
		}
	}
}

// TestTruncatedEverywhere cuts a PNG at every byte after its signature:
// each decoder says KindTruncated, or decodes the whole picture when only
// (part of) the IEND chunk is missing; never anything else.
func TestTruncatedEverywhere(t *testing.T) {
	for _, name := range []string{"rgba8", "palette4 tRNS", "gray16"} {
		s := pngSpecs()[name]
		s.filters = true
		data := s.encode(7, 5)
		full := want(t, data, 0, 0)
		iend := len(data) - len(iendChunk)
		for cut := len(pngSignature); cut < len(data); cut++ {
			for _, d := range decoders() {
				img, err := d.f(context.Background(), data[:cut], 0, 0, DefaultLimits)
				if cut >= iend {
					if err != nil {
						t.Fatalf("%s cut at %d of %d (in IEND), %s: %v", name, cut, len(data), d.name, err)
					}
					if dd := diff(img, full, 0); dd != "" {
						t.Fatalf("%s cut at %d, %s: %s", name, cut, d.name, dd)
					}
					continue
				}
				if e, ok := errors.AsType[*Error](err); !ok || e.Kind != KindTruncated {
					t.Fatalf("%s cut at %d of %d, %s: error %v, want KindTruncated", name, cut, len(data), d.name, err)
				}
			}
		}
	}
}

// TestTooLargeAllocatesNothing: the limit is checked before any decoder
// allocates the 40 GB the header asks for.
func TestTooLargeAllocatesNothing(t *testing.T) {
	for _, size := range []int{100000, 20000} {
		data := hugePNG(size, size)
		for _, d := range decoders() {
			t.Run(fmt.Sprintf("%d/%s", size, d.name), func(t *testing.T) {
				const runs = 10
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for range runs {
					_, err := d.f(context.Background(), data, 1280, 720, DefaultLimits)
					if e, ok := errors.AsType[*Error](err); !ok || e.Kind != KindTooLarge {
						t.Fatalf("err = %v, want KindTooLarge", err)
					}
				}
				runtime.ReadMemStats(&after)
				perRun := (after.TotalAlloc - before.TotalAlloc) / runs
				if perRun > 1<<20 {
					t.Errorf("%d bytes allocated per decode, want < 1 MiB", perRun)
				}
			})
		}
	}
}

// TestViewMemory: View's stream allocates the output and a little more,
// never the full image.
func TestViewMemory(t *testing.T) {
	data := testframes.PNG(1280, 720, 0)
	for _, d := range decoders()[1:] {
		t.Run(d.name, func(t *testing.T) {
			d.f(context.Background(), data, 320, 180, DefaultLimits) // fill the pools
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			if _, err := d.f(context.Background(), data, 320, 180, DefaultLimits); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			out := uint64(320 * 180 * 4)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes allocated for a %d-byte output (the full image is %d)", alloc, out, 1280*720*4)
			if alloc > out+1<<20 {
				t.Errorf("%d bytes allocated, want under the output (%d) + 1 MiB", alloc, out)
			}
		})
	}
}

func TestContext(t *testing.T) {
	big := testframes.PNG(640, 360, 0)
	tests := []struct {
		name string
		ctx  func() context.Context
	}{
		{"cancelled before", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}},
		{"cancelled after the header", func() context.Context {
			c := &countdownCtx{Context: context.Background()}
			c.n.Store(2) // the first check, then one read or batch
			return c
		}},
		{"cancelled half way", func() context.Context {
			c := &countdownCtx{Context: context.Background()}
			c.n.Store(12)
			return c
		}},
	}
	for _, tt := range tests {
		for _, d := range decoders() {
			t.Run(tt.name+"/"+d.name, func(t *testing.T) {
				ctx := tt.ctx()
				img, err := d.f(ctx, big, 100, 100, DefaultLimits)
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("err = %v, want context.Canceled", err)
				}
				if e, ok := errors.AsType[*Error](err); !ok || e.Kind != KindCanceled {
					t.Errorf("err = %v, want KindCanceled", err)
				}
				if img != nil {
					t.Error("an image as well as an error")
				}
				if c, ok := ctx.(*countdownCtx); ok {
					// Decoding stopped at the cancel instead of reading on:
					// after it, ctx is checked by the failed read or batch
					// and the check that decides the error.
					if after := -c.n.Load(); after > 2 {
						t.Errorf("ctx checked %d times after the cancel, want ≤ 2", after)
					}
				}
			})
		}
	}
	t.Run("not cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		for _, d := range decoders() {
			img, err := d.f(ctx, big, 0, 0, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(img, naive(t, big), 0); d != "" {
				t.Error(d)
			}
		}
	})
}

func TestHeader(t *testing.T) {
	specs := pngSpecs()
	tests := []struct {
		name string
		data []byte
		want string
		info Info
	}{
		{"rgba8", specs["rgba8"].encode(3, 2), "png, 8-bit RGBA", Info{Format: "png", Width: 3, Height: 2, Depth: 8, Channels: 4}},
		{"rgb16", specs["rgb16"].encode(3, 2), "png, 16-bit RGB", Info{Format: "png", Width: 3, Height: 2, Depth: 16, Channels: 3}},
		{"rgb8 tRNS", specs["rgb8 tRNS"].encode(3, 2), "png, 8-bit RGBA", Info{Format: "png", Width: 3, Height: 2, Depth: 8, Channels: 4}},
		{"gray4", specs["gray4"].encode(3, 2), "png, 4-bit gray", Info{Format: "png", Width: 3, Height: 2, Depth: 4, Channels: 1}},
		{"gray+alpha16", specs["gray+alpha16"].encode(3, 2), "png, 16-bit gray+alpha", Info{Format: "png", Width: 3, Height: 2, Depth: 16, Channels: 2}},
		{"palette2", specs["palette2"].encode(3, 2), "png, palette", Info{Format: "png", Width: 3, Height: 2, Depth: 2, Channels: 3, Palette: true}},
		{"palette4 tRNS", specs["palette4 tRNS"].encode(3, 2), "png, palette", Info{Format: "png", Width: 3, Height: 2, Depth: 4, Channels: 4, Palette: true}},
		{"jpeg", encodeWith(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, pattern(5, 4, false)),
			"jpeg, 8-bit YCbCr", Info{Format: "jpeg", Width: 5, Height: 4, Depth: 8, Channels: 3, model: "YCbCr"}},
		{"jpeg gray", encodeWith(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, gray(5, 4)),
			"jpeg, 8-bit gray", Info{Format: "jpeg", Width: 5, Height: 4, Depth: 8, Channels: 1}},
		{"webp lossless", readTestdata(t, "lossless-alpha.webp"), "webp, 8-bit RGBA", Info{Format: "webp", Width: 16, Height: 8, Depth: 8, Channels: 4}},
		{"webp lossy alpha", readTestdata(t, "lossy-alpha.webp"), "webp, 8-bit YCbCr+alpha",
			Info{Format: "webp", Width: 16, Height: 8, Depth: 8, Channels: 4, model: "YCbCr+alpha"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Header(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if info != tt.info {
				t.Errorf("Header = %+v, want %+v", info, tt.info)
			}
			if got := info.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			im := mustFull(t, tt.data)
			if im.Info != info {
				t.Errorf("Full's Info %+v, Header's %+v", im.Info, info)
			}
		})
	}
	if s := (Info{}).String(); s != "" {
		t.Errorf("zero Info says %q", s)
	}
}

func TestPixelAndBytes(t *testing.T) {
	opaque := testframes.Encode(pattern(8, 4, false))
	soft := testframes.Encode(pattern(8, 4, true))
	rgba16 := pngSpecs()["rgba16"].encode(8, 4)
	tests := []struct {
		name  string
		data  []byte
		x, y  int
		pixel Pixel
		bytes int64
	}{
		// Opaque 8-bit: the RGBA has the file's values; nothing else kept.
		{"opaque", opaque, 7, 3, Pixel{Values: [4]uint16{255, 255, 160, 255}, Channels: 4, Depth: 8}, 8 * 4 * 4},
		// Soft alpha: premultiplying loses colour, so the straight image is kept.
		{"soft alpha", soft, 1, 0, Pixel{Values: [4]uint16{36, 0, 160, 36}, Channels: 4, Depth: 8}, 2 * 8 * 4 * 4},
		{"16-bit", rgba16, 1, 0, Pixel{Values: [4]uint16{
			pngSpecs()["rgba16"].sample(1, 0, 0), pngSpecs()["rgba16"].sample(1, 0, 1),
			pngSpecs()["rgba16"].sample(1, 0, 2), pngSpecs()["rgba16"].sample(1, 0, 3)}, Channels: 4, Depth: 16}, 8*4*4 + 8*4*8},
		{"outside", opaque, 8, 0, Pixel{}, 8 * 4 * 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := mustFull(t, tt.data)
			if got := im.Pixel(tt.x, tt.y); got != tt.pixel {
				t.Errorf("Pixel(%d, %d) = %+v, want %+v", tt.x, tt.y, got, tt.pixel)
			}
			if got := im.Bytes(); got != tt.bytes {
				t.Errorf("Bytes() = %d, want %d", got, tt.bytes)
			}
		})
	}
}

// TestJPEGAnyName: data is recognised by its content; what the file is
// called never reaches this package, and a JPEG decodes as one.
func TestJPEGAnyName(t *testing.T) {
	data := encodeWith(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, pattern(40, 30, false))
	img, info, err := View(context.Background(), data, 20, 20, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if info.Format != "jpeg" || img.Rect != image.Rect(0, 0, 20, 15) {
		t.Errorf("format %q, size %v", info.Format, img.Rect)
	}
}

// TestViewConcurrent runs Views of different sizes and kinds at once, as
// the loader's decoders do: the pooled buffers and scalers must not mix.
func TestViewConcurrent(t *testing.T) {
	type job struct {
		data   []byte
		vw, vh int
		want   *image.RGBA
	}
	var jobs []job
	for i, name := range []string{"rgba8", "rgb16", "palette4 tRNS", "gray8"} {
		s := pngSpecs()[name]
		s.filters = true
		data := s.encode(90+i*7, 60+i*5)
		for _, v := range [][2]int{{30, 30}, {45, 30}, {0, 0}} {
			jobs = append(jobs, job{data, v[0], v[1], want(t, data, v[0], v[1])})
		}
	}
	errs := make(chan string, 4)
	for g := range 4 {
		go func() {
			for k := range 3 * len(jobs) {
				j := jobs[(k+g)%len(jobs)]
				modes := rowModes()
				got, _, err := view(context.Background(), j.data, j.vw, j.vh, DefaultLimits, modes[(k+g)%len(modes)])
				if err != nil {
					errs <- err.Error()
					return
				}
				if d := diff(got, j.want, 0); d != "" {
					errs <- d
					return
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
