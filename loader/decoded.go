package loader

import (
	"image"
	"time"

	"seqview/loader/decode"
	"seqview/loader/look"
)

// Decoded is a frame ready for display. It is never modified once made: a
// new view size or a full-resolution decode makes a new Decoded.
type Decoded struct {
	Name string
	// View is the frame fitted to the view size it was made for (the frame
	// itself when it fits): what is shown at fit.
	View *image.RGBA
	// Full is the frame at full resolution, for pixel values and, as the
	// file has it, for zoom, when the Service was asked for it
	// (SetFullSize); nil otherwise.
	Full *decode.Image
	// FullView is Full as Look shows it, to draw zoomed in: Full.RGBA under
	// the neutral look; nil while it is being made.
	FullView *image.RGBA
	// Look is how View shows the frame; Deep says View was adjusted from
	// the file's 16-bit values rather than from an 8-bit view.
	Look look.Look
	Deep bool
	// Info is the file's format and full size.
	Info decode.Info

	FileBytes  int64         // size of the file
	From       Source        // where its bytes came from
	ReadTime   time.Duration // reading the bytes; 0 when they were in memory
	DecodeTime time.Duration // bytes → View
}

// Source is where a frame's bytes came from.
type Source uint8

const (
	FromMemory Source = iota // the bytes cache
	FromFolder               // the folder itself, on a share or a local disk
	FromDisk                 // the local copy of a share's file (Config.Disk)
)

func (s Source) String() string {
	return [...]string{FromMemory: "memory", FromFolder: "the folder", FromDisk: "local disk"}[s]
}

// Bytes is the memory of the view frame, what the view cache counts. The
// file's bytes are counted in the bytes cache, the full frame in its own.
func (f *Decoded) Bytes() int64 { return int64(len(f.View.Pix)) }

// fits reports whether View is the right size for a vw×vh view.
func (f *Decoded) fits(vw, vh int) bool {
	w, h := decode.FitSize(f.Info.Width, f.Info.Height, vw, vh)
	return f.View.Rect.Dx() == w && f.View.Rect.Dy() == h
}

// withFull returns f with its full-resolution frame.
func (f *Decoded) withFull(full *decode.Image, view *image.RGBA) *Decoded {
	g := *f
	g.Full, g.FullView = full, view
	return &g
}

// Result is what a load of frame Index came to: a Frame, or an error saying
// what went wrong with which file.
type Result struct {
	Index int    // the frame's index in the sequence when the result was made
	Name  string // the frame's file name
	Frame *Decoded
	Err   *FrameError
}
