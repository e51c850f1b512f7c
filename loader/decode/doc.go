// Package decode turns an image file's bytes into pixels for display: a
// premultiplied *image.RGBA that Fyne paints without converting, either
// straight at the size of the view (View) or at full size (Full).
//
// It knows bytes and pixels, not files: reading, caching and retrying are
// the loader's business.
//
// View decodes non-interlaced PNGs (every colour type and bit depth) as a
// stream: it inflates and unfilters a few rows at a time and area-averages
// them into the view-sized output, so a 4K frame never exists at full size
// in memory. Go reads the chunks (checking their CRCs) and expands every
// layout to RGBA. Inflating and unfiltering are nearly all of a decode's
// time, and both are faster in C than in Go: with cgo on Linux the image
// data is inflated by the system's zlib and unfiltered by a small C file
// (zrows.c) with SSE2 filters for 3 to 8 bytes a pixel, and SSE4.1 ones
// where the CPU has it (Debian's libpng, which View used before, has no
// SIMD filters, and Paeth rows, the rendered frame's usual filter, cost
// it most of its time). Otherwise, or with the purego build tag, the same
// reader inflates with compress/zlib and unfilters in Go. When a
// processor is free for it (see View), the inflating (one zlib stream: it
// cannot be split) runs on a goroutine of its own, batches ahead of the
// unfiltering and scaling, so a decode alone, as after a jump, takes
// little more than the time of its inflating. Interlaced PNGs
// and the other formats (JPEG, GIF, BMP, TIFF, WebP) take the general
// path: Full, then ScaleToFit. Both paths give the same pixels.
//
// Formats are recognised by their content, never by a file name. Every
// error is an *Error whose Kind says why.
package decode
