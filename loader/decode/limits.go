package decode

// Limits bound the images this package accepts, checked from the header
// before any pixel memory is allocated, so a corrupt or hostile header
// cannot make a decoder allocate gigabytes. A zero field means its
// DefaultLimits value.
//
// They apply to the image in the file, for View as for Full: View never
// holds the full image, but it still spends the time to decode it.
type Limits struct {
	MaxSide  int   // widest and tallest image, in pixels
	MaxBytes int64 // largest image at full size as RGBA, w*h*4 bytes
}

// DefaultLimits allow any image a person could mean to view: 16K on a side
// (GPU textures rarely go further) and 1 GiB of pixels (a 16K×16K RGBA).
var DefaultLimits = Limits{MaxSide: 16384, MaxBytes: 1 << 30}

func (l Limits) withDefaults() Limits {
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultLimits.MaxSide
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	return l
}

// check returns a KindTooLarge error if a w×h image breaks l.
func (l Limits) check(w, h int) error {
	if w > l.MaxSide || h > l.MaxSide {
		return errorf(KindTooLarge, nil, "the image is %d×%d, over the limit of %d×%d", w, h, l.MaxSide, l.MaxSide)
	}
	if n := int64(w) * int64(h) * 4; n > l.MaxBytes {
		return errorf(KindTooLarge, nil, "the image is %d×%d, over the limit of %d MiB decoded (it needs %d MiB)",
			w, h, l.MaxBytes>>20, (n+1<<20-1)>>20)
	}
	return nil
}
