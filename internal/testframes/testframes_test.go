package testframes

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	return img
}

func TestPNG(t *testing.T) {
	tests := []struct {
		name string
		w, h int
	}{
		{"tiny", 1, 1},
		{"small", 64, 36},
		{"odd", 37, 11},
		{"tall", 9, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := PNG(tt.w, tt.h, 3)
			if !bytes.Equal(a, PNG(tt.w, tt.h, 3)) {
				t.Error("PNG is not deterministic")
			}
			img := decode(t, a)
			if got := img.Bounds(); got != image.Rect(0, 0, tt.w, tt.h) {
				t.Errorf("bounds %v, want %dx%d", got, tt.w, tt.h)
			}
			// Colour type 6 is what makes it decode to NRGBA.
			if _, ok := img.(*image.NRGBA); !ok {
				t.Errorf("decodes to %T, want *image.NRGBA", img)
			}
		})
	}
	t.Run("frames differ", func(t *testing.T) {
		if bytes.Equal(PNG(64, 36, 1), PNG(64, 36, 2)) {
			t.Error("frames 1 and 2 are identical")
		}
	})
	t.Run("has transparency", func(t *testing.T) {
		img := decode(t, PNG(64, 36, 0)).(*image.NRGBA)
		var opaque, partial int
		for i := 3; i < len(img.Pix); i += 4 {
			if img.Pix[i] == 255 {
				opaque++
			} else {
				partial++
			}
		}
		if opaque == 0 || partial == 0 {
			t.Errorf("%d opaque and %d translucent pixels, want some of each", opaque, partial)
		}
	})
}

// TestPNG4KSize checks the point of PNG: a 4K frame is as big as a real
// rendered one, so I/O benchmarks move realistic amounts of data.
func TestPNG4KSize(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 4K frame")
	}
	n := len(PNG(3840, 2160, 7))
	t.Logf("3840×2160 frame: %d bytes", n)
	if n < 4<<20 || n > 8<<20 {
		t.Errorf("3840×2160 frame is %d bytes, want 4–8 MiB", n)
	}
}

func TestFlat(t *testing.T) {
	tests := []struct {
		name string
		c    color.Color
		want color.NRGBA
	}{
		{"opaque", color.RGBA{10, 20, 30, 255}, color.NRGBA{10, 20, 30, 255}},
		{"translucent", color.NRGBA{200, 100, 50, 128}, color.NRGBA{200, 100, 50, 128}},
		{"gray", color.Gray{77}, color.NRGBA{77, 77, 77, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := decode(t, Flat(5, 3, tt.c))
			for y := 0; y < 3; y++ {
				for x := 0; x < 5; x++ {
					if got := color.NRGBAModel.Convert(img.At(x, y)); got != tt.want {
						t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, got, tt.want)
					}
				}
			}
		})
	}
}

func TestBadSizePanics(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func()
	}{
		{"PNG zero width", func() { PNG(0, 5, 0) }},
		{"Flat zero height", func() { Flat(5, 0, color.Black) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.f()
		})
	}
}

func gen(i int) []byte { return Flat(2, 2, color.Gray{uint8(i)}) }

func TestMapFS(t *testing.T) {
	fsys := MapFS("shot/f.%04d.png", 98, 3, gen)
	names := []string{"shot/f.0098.png", "shot/f.0099.png", "shot/f.0100.png"}
	if len(fsys) != len(names) {
		t.Errorf("%d files, want %d", len(fsys), len(names))
	}
	for i, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, gen(98+i)) {
			t.Errorf("%s does not hold frame %d", name, 98+i)
		}
	}
}

func TestWriteDir(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDir(dir, "sub/f_%d.png", 1, 2, gen); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"sub/f_1.png", "sub/f_2.png"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, gen(1+i)) {
			t.Errorf("%s does not hold frame %d", name, 1+i)
		}
	}
}

func TestWriteMissing(t *testing.T) {
	dir := t.TempDir()
	// Frame 2 is already there; frame 3 is there at another size.
	if err := WriteFile(filepath.Join(dir, "2.png"), Flat(4, 4, color.White)); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(dir, "3.png"), Flat(5, 4, color.White)); err != nil {
		t.Fatal(err)
	}
	var made []int
	var calls int
	err := WriteMissing(dir, "%d.png", 4, 4, 4, func(k int) []byte {
		return Flat(4, 4, color.Gray{uint8(k)})
	}, func(done, total int) {
		calls++
		if total != 3 || done != calls {
			t.Errorf("progress(%d, %d) at call %d; want (%d, 3)", done, total, calls, calls)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 4; k++ {
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%d.png", k)))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(data, Flat(4, 4, color.Gray{uint8(k)})) {
			made = append(made, k)
		}
	}
	if fmt.Sprint(made) != "[1 3 4]" {
		t.Fatalf("wrote frames %v, want [1 3 4] (2 was there at the right size)", made)
	}
}
