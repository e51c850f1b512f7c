//go:build cgo && linux && !purego

package decode

/*
#cgo pkg-config: libpng
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// sv_png is one libpng read. It lives in C memory, because libpng keeps
// pointers to it between calls; data is Go memory pinned by the caller
// for as long as the sv_png exists.
typedef struct {
	png_structp png;
	png_infop info;
	const unsigned char *data;
	size_t len, off;
	int add_iend; // data lacks only its IEND chunk: serve one after it
	size_t iend_off;
	int eof;      // libpng asked for bytes past the end
	char msg[160];
} sv_png;

static const unsigned char sv_iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 'B', '`', 0x82};

// libpng errors jump back to the setjmp of the sv_ function that called
// libpng: never across Go frames.
static void sv_error(png_structp png, png_const_charp msg) {
	sv_png *s = (sv_png *)png_get_error_ptr(png);
	strncpy(s->msg, msg, sizeof s->msg - 1);
	png_longjmp(png, 1);
}

static void sv_warning(png_structp png, png_const_charp msg) {
	(void)png;
	(void)msg;
}

static void sv_read(png_structp png, png_bytep out, size_t n) {
	sv_png *s = (sv_png *)png_get_io_ptr(png);
	size_t k = s->len - s->off;
	if (k > n) {
		k = n;
	}
	memcpy(out, s->data + s->off, k);
	s->off += k;
	out += k;
	n -= k;
	if (n > 0 && s->add_iend) {
		k = sizeof sv_iend - s->iend_off;
		if (k > n) {
			k = n;
		}
		memcpy(out, sv_iend + s->iend_off, k);
		s->iend_off += k;
		n -= k;
	}
	if (n > 0) {
		s->eof = 1;
		png_error(png, "unexpected end of data");
	}
}

// Ancillary chunks libpng knows but View never uses: skipped unread
// (their CRCs are still checked) instead of parsed.
static const png_byte sv_skip[] =
	"bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0sBIT\0sCAL\0sPLT\0sRGB\0tEXt\0tIME\0zTXt";

// sv_open reads the chunks up to the image data and sets libpng up to
// give straight RGBA rows, 8 or 16 bits a sample. It returns the bytes of
// one row, or 0 on error (see s->msg).
static size_t sv_open(sv_png *s, png_uint_32 max_side, int ignore_adler) {
	s->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, s, sv_error, sv_warning);
	if (s->png == NULL) {
		strcpy(s->msg, "out of memory");
		return 0;
	}
	s->info = png_create_info_struct(s->png);
	if (s->info == NULL) {
		strcpy(s->msg, "out of memory");
		return 0;
	}
	if (setjmp(png_jmpbuf(s->png))) {
		return 0;
	}
	png_set_read_fn(s->png, s, sv_read);
	png_set_user_limits(s->png, max_side, max_side);
	png_set_benign_errors(s->png, 1);
	png_set_keep_unknown_chunks(s->png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
	png_set_keep_unknown_chunks(s->png, PNG_HANDLE_CHUNK_NEVER, sv_skip, (int)(sizeof sv_skip / 5));
	if (ignore_adler) {
		png_set_option(s->png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
	}
	png_read_info(s->png, s->info);
	int ct = png_get_color_type(s->png, s->info);
	int depth = png_get_bit_depth(s->png, s->info);
	if (ct == PNG_COLOR_TYPE_PALETTE) {
		png_set_palette_to_rgb(s->png);
	}
	if (ct == PNG_COLOR_TYPE_GRAY && depth < 8) {
		png_set_expand_gray_1_2_4_to_8(s->png);
	}
	if (png_get_valid(s->png, s->info, PNG_INFO_tRNS)) {
		png_set_tRNS_to_alpha(s->png);
	}
	if (ct == PNG_COLOR_TYPE_GRAY || ct == PNG_COLOR_TYPE_GRAY_ALPHA) {
		png_set_gray_to_rgb(s->png);
	}
	png_set_filler(s->png, 0xffff, PNG_FILLER_AFTER); // only where there is no alpha
	png_read_update_info(s->png, s->info);
	return png_get_rowbytes(s->png, s->info);
}

// sv_info reports what libpng read from the header, to check it against
// Go's reading of the same bytes.
static void sv_info(sv_png *s, png_uint_32 *w, png_uint_32 *h, int *interlace, int *channels, int *depth) {
	*w = png_get_image_width(s->png, s->info);
	*h = png_get_image_height(s->png, s->info);
	*interlace = png_get_interlace_type(s->png, s->info);
	*channels = png_get_channels(s->png, s->info);
	*depth = png_get_bit_depth(s->png, s->info);
}

// sv_rows reads the next n rows into buf, stride bytes apart. 0: ok.
static int sv_rows(sv_png *s, unsigned char *buf, int n, size_t stride) {
	if (setjmp(png_jmpbuf(s->png))) {
		return 1;
	}
	for (int i = 0; i < n; i++) {
		png_read_row(s->png, buf + (size_t)i * stride, NULL);
	}
	return 0;
}

// sv_end reads the rest of the image data and the chunks up to IEND. 0: ok.
static int sv_end(sv_png *s) {
	if (setjmp(png_jmpbuf(s->png))) {
		return 1;
	}
	png_read_end(s->png, NULL);
	return 0;
}

static void sv_free(sv_png *s) {
	if (s->png != NULL) {
		png_destroy_read_struct(&s->png, &s->info, NULL);
	}
	free(s);
}
*/
import "C"

import (
	"io"
	"runtime"
	"strings"
	"unsafe"
)

// haveLibpng: View's PNG rows come from libpng.
const haveLibpng = true

// ignoreAdler32 turns off libpng's check of the zlib checksum (an Adler-32
// over every decoded byte, a measurable part of a decode): the CRC of
// every chunk still catches damaged data. Only a broken encoder writes a
// wrong checksum over intact chunks; image/png (Full, and the pure-Go
// stream) rejects those, View with libpng shows them.
const ignoreAdler32 = true

// libpngRows is the libpng rowDecoder. libpng calls sv_read, sv_error
// and sv_warning back on the thread of the cgo call that called it, so
// on the goroutine using the decoder; they touch only its sv_png.
type libpngRows struct {
	s   *C.sv_png
	pin runtime.Pinner // data, while s points into it
}

// newNativeRows opens data (a PNG whose header is h; iend: it lacks only
// its IEND chunk) with libpng.
func newNativeRows(data []byte, h pngHeader, iend bool) (rowDecoder, error) {
	r := &libpngRows{s: (*C.sv_png)(C.calloc(1, C.sizeof_sv_png))}
	if r.s == nil {
		return nil, errorf(KindCorrupt, nil, "out of memory for libpng")
	}
	r.pin.Pin(&data[0])
	r.s.data = (*C.uchar)(unsafe.Pointer(&data[0]))
	r.s.len = C.size_t(len(data))
	if iend {
		r.s.add_iend = 1
	}
	ignore := C.int(0)
	if ignoreAdler32 {
		ignore = 1
	}
	rowBytes := int(C.sv_open(r.s, C.png_uint_32(max(h.w, h.h)), ignore))
	if rowBytes == 0 {
		err := r.err()
		r.close()
		return nil, err
	}
	var w, ht C.png_uint_32
	var interlace, channels, depth C.int
	C.sv_info(r.s, &w, &ht, &interlace, &channels, &depth)
	bps := 1
	if h.depth == 16 {
		bps = 2
	}
	if int(w) != h.w || int(ht) != h.h || interlace != 0 || channels != 4 || int(depth) != 8*bps || rowBytes != 4*bps*h.w {
		r.close()
		return nil, errorf(KindCorrupt, nil, "libpng read the png header differently: %d×%d, interlace %d, %d channels of %d bits",
			w, ht, interlace, channels, depth)
	}
	return r, nil
}

func (r *libpngRows) rows(buf []byte, n, stride int) error {
	if n <= 0 {
		return nil
	}
	if len(buf) < (n-1)*stride+stride {
		panic("decode: row buffer too small")
	}
	if C.sv_rows(r.s, (*C.uchar)(unsafe.Pointer(&buf[0])), C.int(n), C.size_t(stride)) != 0 {
		return r.err()
	}
	return nil
}

func (r *libpngRows) finish() error {
	if C.sv_end(r.s) != 0 {
		return r.err()
	}
	return nil
}

func (r *libpngRows) close() {
	if r.s != nil {
		C.sv_free(r.s)
		r.s = nil
	}
	r.pin.Unpin()
}

// err classifies libpng's last error.
func (r *libpngRows) err() error {
	msg := C.GoString(&r.s.msg[0])
	switch {
	case r.s.eof != 0:
		return errorf(KindTruncated, io.ErrUnexpectedEOF, "the png data ends early: unexpected EOF")
	case strings.Contains(msg, "Not enough image data"):
		return errorf(KindTruncated, io.ErrUnexpectedEOF, "the png data ends early: not enough pixel data")
	}
	return errorf(KindCorrupt, nil, "the png data is corrupt: %s", msg)
}
