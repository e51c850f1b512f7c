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
// in memory. With cgo on Linux the rows come from the system's libpng (and
// its zlib); otherwise, or with the purego build tag, from a small Go PNG
// reader (compress/zlib and the PNG filters). Interlaced PNGs and the other formats (JPEG, GIF, BMP, TIFF,
// WebP) take the general path: Full, then ScaleToFit. Both paths give the
// same pixels.
//
// Formats are recognised by their content, never by a file name. Every
// error is an *Error whose Kind says why.
package decode
