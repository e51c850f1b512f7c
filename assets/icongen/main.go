// Command icongen rasterises the application icon, icon.svg, to the PNG
// that the fyne CLI packages (FyneApp.toml's Details.Icon) and desktops
// show in their menus. Run it from the assets folder with
//
//	go generate ./assets/
//
// and commit the PNG it writes: packaging and building never run it.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
)

func main() {
	in := flag.String("in", "icon.svg", "SVG to rasterise")
	out := flag.String("out", "icon.png", "PNG to write")
	size := flag.Int("size", 512, "width and height of the PNG in pixels")
	flag.Parse()
	if err := run(*in, *out, *size); err != nil {
		fmt.Fprintln(os.Stderr, "icongen:", err)
		os.Exit(1)
	}
}

func run(in, out string, size int) error {
	img, err := render(in, size)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return err
	}
	// Unchanged pixels give identical bytes, so regenerating leaves git
	// clean; write only when something changed to keep the file's mtime.
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, buf.Bytes()) {
		return nil
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// render draws the SVG at path scaled to fill a size×size square. Strict
// mode makes an SVG element oksvg cannot draw an error instead of a
// silently missing shape.
func render(path string, size int) (*image.RGBA, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	icon, err := oksvg.ReadIconStream(f, oksvg.StrictErrorMode)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if icon.ViewBox.W <= 0 || icon.ViewBox.H <= 0 {
		return nil, fmt.Errorf("%s: no viewBox", path)
	}
	icon.SetTarget(0, 0, float64(size), float64(size))
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	scanner := rasterx.NewScannerGV(size, size, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(size, size, scanner), 1)
	return img, nil
}
