package assets

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"io/fs"
	"math"
	"path"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// DemoFrames is the number of frames in the demo sequence.
const DemoFrames = 48

// Demo is the built-in sequence shown when seqview starts with nothing to
// open: DemoFrames PNG files, demo_0001.png …, of a ball going round a
// clock face with the frame number drawn large. Frames are drawn and encoded
// when opened, so the demo costs no memory until it is viewed and exercises
// the same read-and-decode path as files on disk.
var Demo fs.FS = demoFS{}

type demoFS struct{}

func demoName(n int) string { return fmt.Sprintf("demo_%04d.png", n) }

func (demoFS) Open(name string) (fs.File, error) {
	if name == "." {
		return &demoDir{}, nil
	}
	var n int
	if _, err := fmt.Sscanf(name, "demo_%04d.png", &n); err != nil || n < 1 || n > DemoFrames || name != demoName(n) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, DemoFrame(n)); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &demoFile{name: name, Reader: bytes.NewReader(buf.Bytes()), size: int64(buf.Len())}, nil
}

func (demoFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries := make([]fs.DirEntry, DemoFrames)
	for i := range entries {
		entries[i] = demoInfo{name: demoName(i + 1)}
	}
	return entries, nil
}

type demoFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *demoFile) Stat() (fs.FileInfo, error) { return demoInfo{name: f.name, size: f.size}, nil }
func (f *demoFile) Close() error               { return nil }

type demoDir struct{}

func (*demoDir) Stat() (fs.FileInfo, error) { return demoInfo{name: ".", dir: true}, nil }
func (*demoDir) Read([]byte) (int, error)   { return 0, io.EOF }
func (*demoDir) Close() error               { return nil }

// demoInfo is both the fs.FileInfo and the fs.DirEntry of a demo file.
type demoInfo struct {
	name string
	size int64
	dir  bool
}

func (i demoInfo) Name() string { return path.Base(i.name) }
func (i demoInfo) Size() int64  { return i.size }
func (i demoInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i demoInfo) ModTime() time.Time         { return time.Time{} }
func (i demoInfo) IsDir() bool                { return i.dir }
func (i demoInfo) Sys() any                   { return nil }
func (i demoInfo) Type() fs.FileMode          { return i.Mode().Type() }
func (i demoInfo) Info() (fs.FileInfo, error) { return i, nil }

// DemoFrame draws frame n (1-based) of the demo sequence at 960×540.
func DemoFrame(n int) *image.NRGBA {
	const w, h = 960, 540
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	phase := float64(n-1) / DemoFrames
	// A slowly turning colour gradient, so stepping shows motion everywhere.
	for y := range h {
		for x := range w {
			t := float64(x)/w*0.6 + float64(y)/h*0.4 + phase
			o := img.PixOffset(x, y)
			img.Pix[o+0] = uint8(40 + 30*math.Sin(2*math.Pi*t))
			img.Pix[o+1] = uint8(45 + 25*math.Sin(2*math.Pi*(t+0.33)))
			img.Pix[o+2] = uint8(70 + 30*math.Sin(2*math.Pi*(t+0.66)))
			img.Pix[o+3] = 255
		}
	}
	// A clock face with twelve ticks and a ball that goes round once per loop.
	cx, cy, r := 700.0, 270.0, 190.0
	for k := range 12 {
		a := 2 * math.Pi * float64(k) / 12
		disc(img, cx+r*math.Sin(a), cy-r*math.Cos(a), 6, color.NRGBA{200, 200, 210, 255})
	}
	a := 2 * math.Pi * phase
	for k := 1; k <= 6; k++ { // a fading trail shows the direction of play
		b := a - float64(k)*0.07
		disc(img, cx+r*math.Sin(b), cy-r*math.Cos(b), 30-3*float64(k), color.NRGBA{255, 170, 40, uint8(200 - 30*k)})
	}
	disc(img, cx+r*math.Sin(a), cy-r*math.Cos(a), 32, color.NRGBA{255, 190, 60, 255})
	bigText(img, image.Pt(60, 170), 14, fmt.Sprintf("%d", n))
	bigText(img, image.Pt(64, 420), 4, fmt.Sprintf("frame %d of %d", n, DemoFrames))
	return img
}

// disc paints a filled circle, blending by the colour's alpha.
func disc(img *image.NRGBA, cx, cy, r float64, c color.NRGBA) {
	b := image.Rect(int(cx-r), int(cy-r), int(cx+r)+1, int(cy+r)+1).Intersect(img.Rect)
	mask := image.NewAlpha(img.Rect)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if dx, dy := float64(x)-cx, float64(y)-cy; dx*dx+dy*dy <= r*r {
				mask.SetAlpha(x, y, color.Alpha{c.A})
			}
		}
	}
	draw.DrawMask(img, b, image.NewUniform(color.NRGBA{c.R, c.G, c.B, 255}), image.Point{}, mask, b.Min, draw.Over)
}

// bigText draws s in the built-in 7×13 bitmap font enlarged scale times,
// with its top-left corner at at.
func bigText(img *image.NRGBA, at image.Point, scale int, s string) {
	face := basicfont.Face7x13
	small := image.NewAlpha(image.Rect(0, 0, 7*len(s), 13))
	d := font.Drawer{Dst: small, Src: image.Opaque, Face: face, Dot: fixed.P(0, 11)}
	d.DrawString(s)
	for y := range 13 * scale {
		for x := range small.Rect.Dx() * scale {
			if small.AlphaAt(x/scale, y/scale).A > 127 {
				if p := image.Pt(at.X+x, at.Y+y); p.In(img.Rect) {
					img.SetNRGBA(p.X, p.Y, color.NRGBA{245, 245, 245, 255})
				}
			}
		}
	}
}
