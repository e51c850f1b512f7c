//go:build cgo && linux && !purego

// zrows.c — the C half of View's PNG rows in cgo builds: inflate the image
// data with the system's zlib, and undo the PNG row filters. Go reads the
// chunks, checks their CRCs and feeds zlib one chunk's data at a time;
// this file never sees a chunk, a header or a pointer it keeps.
//
// The SSE2 filters (Sub, Average and Paeth a pixel at a time, its bytes in
// 16-bit lanes for Paeth's arithmetic) follow libpng's
// intel/filter_sse2_intrinsics.c, whose notice is:
//
//   Copyright (c) 2016 Google, Inc.
//   This code is released under the libpng license.
//   For conditions of distribution and use, see the disclaimer
//   and license in png.h
//
// (libpng's licence is permissive: use, copying and changes are allowed,
// provided the notice stays.) Here they also take 6 and 8 bytes a pixel
// (16-bit RGB and RGBA), Paeth is arranged to wait less for the pixel on
// its left, and has an SSE4.1 form chosen at run time; other widths, and
// CPUs without SSE2, use the plain C loops.

#include "zrows.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#include <smmintrin.h>
#define SV_SSE41 1
#endif
#endif

// sv_zrows_new starts a zlib stream (zlib header included). NULL: out of
// memory.
sv_zrows *sv_zrows_new(void) {
	sv_zrows *s = calloc(1, sizeof *s);
	if (s == NULL) {
		return NULL;
	}
	if (inflateInit(&s->z) != Z_OK) {
		free(s);
		return NULL;
	}
	// Skip the Adler-32 over every inflated byte, as libpng was told to:
	// each chunk's CRC already covers the compressed data. The trailer is
	// still read, so a stream cut short is still seen.
#if ZLIB_VERNUM >= 0x1290
	inflateValidate(&s->z, 0);
#endif
	return s;
}

void sv_zrows_free(sv_zrows *s) {
	inflateEnd(&s->z);
	free(s);
}

// sv_inflate inflates from in[0:nin] into out[0:nout] as far as either
// goes, and says in s->in_left and s->out_left what is left of each. It
// returns zlib's code: Z_OK, Z_STREAM_END, or an error (s->z.msg says
// which). Both lengths must fit zlib's 32-bit counts.
int sv_inflate(sv_zrows *s, const unsigned char *in, size_t nin, unsigned char *out, size_t nout) {
	s->z.next_in = (z_const Bytef *)in;
	s->z.avail_in = (uInt)nin;
	s->z.next_out = out;
	s->z.avail_out = (uInt)nout;
	int ret = inflate(&s->z, Z_NO_FLUSH);
	s->in_left = s->z.avail_in;
	s->out_left = s->z.avail_out;
	// Go's memory is lent for this call only.
	s->z.next_in = Z_NULL;
	s->z.avail_in = 0;
	s->z.next_out = Z_NULL;
	s->z.avail_out = 0;
	return ret;
}

// --- the filters: r is the row being unfiltered (n bytes), p the row
// above it, already unfiltered; bpp bytes a whole pixel (at least 1) ---

static void up(unsigned char *restrict r, const unsigned char *restrict p, size_t n, int simd) {
	size_t i = 0;
#if defined(__SSE2__)
	for (; simd >= 1 && i + 16 <= n; i += 16) {
		__m128i v = _mm_add_epi8(_mm_loadu_si128((const __m128i *)(r + i)), _mm_loadu_si128((const __m128i *)(p + i)));
		_mm_storeu_si128((__m128i *)(r + i), v);
	}
#else
	(void)simd;
#endif
	for (; i < n; i++) {
		r[i] += p[i];
	}
}

static void sub_c(unsigned char *r, size_t n, size_t bpp) {
	for (size_t i = bpp; i < n; i++) {
		r[i] += r[i - bpp];
	}
}

static void avg_c(unsigned char *restrict r, const unsigned char *restrict p, size_t n, size_t bpp) {
	size_t i = 0;
	for (; i < bpp && i < n; i++) {
		r[i] += p[i] >> 1;
	}
	for (; i < n; i++) {
		r[i] += (unsigned char)((r[i - bpp] + p[i]) >> 1);
	}
}

// paeth_c: the left pixel (a) and upper left (c) of the first pixel are
// zero, which makes its predictor the pixel above (b).
static void paeth_c(unsigned char *restrict r, const unsigned char *restrict p, size_t n, size_t bpp) {
	size_t i = 0;
	for (; i < bpp && i < n; i++) {
		r[i] += p[i];
	}
	for (; i < n; i++) {
		int a = r[i - bpp], b = p[i], c = p[i - bpp];
		int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
		r[i] += (unsigned char)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
	}
}

#if defined(__SSE2__)

// A pixel of B bytes (3, 4, 6 or 8) in the low bytes of a register: exactly
// B bytes are read and written, never past the row. Called with constant
// B, the copies become plain loads and stores.
static inline __attribute__((always_inline)) __m128i px_load(const unsigned char *p, size_t B) {
	uint64_t v = 0;
	memcpy(&v, p, B);
	return _mm_loadl_epi64((const __m128i *)&v);
}

static inline __attribute__((always_inline)) void px_store(unsigned char *p, __m128i x, size_t B) {
	uint64_t v;
	_mm_storel_epi64((__m128i *)&v, x);
	memcpy(p, &v, B);
}

// The loops below start with the left pixel a (and c) at zero, as the
// filters define the pixel left of the first.

static inline __attribute__((always_inline)) void sub_sse2(unsigned char *r, size_t n, size_t B) {
	__m128i a = _mm_setzero_si128();
	for (size_t i = 0; i + B <= n; i += B) {
		a = _mm_add_epi8(px_load(r + i, B), a);
		px_store(r + i, a, B);
	}
}

static inline __attribute__((always_inline)) void avg_sse2(unsigned char *r, const unsigned char *p, size_t n, size_t B) {
	const __m128i one = _mm_set1_epi8(1);
	__m128i a = _mm_setzero_si128();
	for (size_t i = 0; i + B <= n; i += B) {
		__m128i b = px_load(p + i, B);
		// _mm_avg_epu8 rounds up; the filter's average truncates: take
		// back the 1 it added where a+b is odd.
		__m128i avg = _mm_sub_epi8(_mm_avg_epu8(a, b), _mm_and_si128(_mm_xor_si128(a, b), one));
		a = _mm_add_epi8(px_load(r + i, B), avg);
		px_store(r + i, a, B);
	}
}

// abs16 is |x| of 16-bit lanes (SSE2 has no pabsw).
static inline __m128i abs16(__m128i x) {
	return _mm_max_epi16(x, _mm_sub_epi16(_mm_setzero_si128(), x));
}

// pick is c ? t : e, bit by bit.
static inline __m128i pick(__m128i c, __m128i t, __m128i e) {
	return _mm_or_si128(_mm_and_si128(c, t), _mm_andnot_si128(c, e));
}

// paeth_sse2 works in 16-bit lanes, where p = a+b-c and its distances
// fit. The left pixel a is what each step waits for, so the work is
// arranged to take few steps after it: |p-a| = |b-c| does not need it,
// and the choice between b and c is made beside the test for a.
static inline __attribute__((always_inline)) void paeth_sse2(unsigned char *r, const unsigned char *p, size_t n, size_t B) {
	const __m128i zero = _mm_setzero_si128();
	__m128i a = zero, c = zero;
	for (size_t i = 0; i + B <= n; i += B) {
		__m128i b = _mm_unpacklo_epi8(px_load(p + i, B), zero);
		__m128i d = _mm_unpacklo_epi8(px_load(r + i, B), zero);
		__m128i bc = _mm_sub_epi16(b, c);
		__m128i pa = abs16(bc);               // |p - a|
		__m128i ac = _mm_sub_epi16(a, c);
		__m128i pb = abs16(ac);               // |p - b|
		__m128i pc = abs16(_mm_add_epi16(ac, bc)); // |p - c|
		// The filter takes a if pa <= pb and pa <= pc, else b if
		// pb <= pc, else c.
		__m128i not_a = _mm_cmpgt_epi16(pa, _mm_min_epi16(pb, pc));
		__m128i b_or_c = pick(_mm_cmpgt_epi16(pb, pc), c, b);
		__m128i pred = pick(not_a, b_or_c, a);
		// Bytewise add: the sum wraps at 256 and the high bytes stay 0.
		a = _mm_add_epi8(d, pred);
		c = b;
		px_store(r + i, _mm_packus_epi16(a, a), B);
	}
}

// With SSE4.1 (checked at run time: x86-64 only promises SSE2) the same
// loop takes fewer instructions a pixel: pabsw for |x| and pblendvb for
// the choices (libpng's SSSE3 and SSE4.1 variants do the same).
#if SV_SSE41
#define SV_SSE41_INLINE static inline __attribute__((always_inline, target("sse4.1")))

SV_SSE41_INLINE void paeth_sse41(unsigned char *r, const unsigned char *p, size_t n, size_t B) {
	const __m128i zero = _mm_setzero_si128();
	__m128i a = zero, c = zero;
	for (size_t i = 0; i + B <= n; i += B) {
		__m128i b = _mm_unpacklo_epi8(px_load(p + i, B), zero);
		__m128i d = _mm_unpacklo_epi8(px_load(r + i, B), zero);
		__m128i bc = _mm_sub_epi16(b, c);
		__m128i pa = _mm_abs_epi16(bc);
		__m128i ac = _mm_sub_epi16(a, c);
		__m128i pb = _mm_abs_epi16(ac);
		__m128i pc = _mm_abs_epi16(_mm_add_epi16(ac, bc));
		__m128i not_a = _mm_cmpgt_epi16(pa, _mm_min_epi16(pb, pc));
		__m128i b_or_c = _mm_blendv_epi8(b, c, _mm_cmpgt_epi16(pb, pc));
		__m128i pred = _mm_blendv_epi8(a, b_or_c, not_a);
		a = _mm_add_epi8(d, pred);
		c = b;
		px_store(r + i, _mm_packus_epi16(a, a), B);
	}
}
#endif

// simd_bpp tells whether the SSE2 loops take rows of n bytes, bpp a pixel.
static int simd_bpp(size_t n, size_t bpp) {
	return (bpp == 3 || bpp == 4 || bpp == 6 || bpp == 8) && n % bpp == 0;
}

// SV_BY_BPP calls f(..., bpp) with bpp as a constant, so that each pixel
// width gets its own loop with plain loads and stores.
#define SV_BY_BPP(f, ...) \
	switch (bpp) { \
	case 3: \
		f(__VA_ARGS__, 3); \
		break; \
	case 4: \
		f(__VA_ARGS__, 4); \
		break; \
	case 6: \
		f(__VA_ARGS__, 6); \
		break; \
	default: \
		f(__VA_ARGS__, 8); \
		break; \
	}

#if SV_SSE41
__attribute__((target("sse4.1"))) static void paeth_row_sse41(unsigned char *r, const unsigned char *p, size_t len, size_t bpp) {
	SV_BY_BPP(paeth_sse41, r, p, len)
}
#endif

#endif

// sv_simd tells the fastest filter code this CPU runs: 0 plain C, 1 SSE2,
// 2 SSE4.1.
int sv_simd(void) {
#if SV_SSE41
	if (__builtin_cpu_supports("sse4.1")) {
		return 2;
	}
#endif
#if defined(__SSE2__)
	return 1;
#else
	return 0;
#endif
}

// sv_unfilter undoes the filters of rows 1 to n of buf. Row k starts at
// buf + k*stride with its filter type, then its len bytes (stride is
// len+1); row 0's bytes are the unfiltered row above row 1 (zeros for the
// image's first row). When all is done, row n's bytes are copied to row 0
// for the next call, so the caller may change rows 1 to n. It writes only
// inside buf's n+1 rows, whatever the data. It returns 0, or k for the
// first row whose filter type is unknown. simd is the code to use, at most
// what sv_simd says (the tests try each).
int sv_unfilter(unsigned char *buf, int n, size_t stride, size_t len, int bpp, int simd) {
	size_t B = (size_t)bpp;
	for (int k = 1; k <= n; k++) {
		unsigned char *r = buf + (size_t)k * stride + 1;
		const unsigned char *p = r - stride;
		switch (r[-1]) {
		case 0: // None
			break;
		case 1: // Sub
#if defined(__SSE2__)
			if (simd >= 1 && simd_bpp(len, B)) {
				SV_BY_BPP(sub_sse2, r, len)
				break;
			}
#endif
			sub_c(r, len, B);
			break;
		case 2: // Up
			up(r, p, len, simd);
			break;
		case 3: // Average
#if defined(__SSE2__)
			if (simd >= 1 && simd_bpp(len, B)) {
				SV_BY_BPP(avg_sse2, r, p, len)
				break;
			}
#endif
			avg_c(r, p, len, B);
			break;
		case 4: // Paeth
#if SV_SSE41
			if (simd >= 2 && simd_bpp(len, B)) {
				paeth_row_sse41(r, p, len, B);
				break;
			}
#endif
#if defined(__SSE2__)
			if (simd >= 1 && simd_bpp(len, B)) {
				SV_BY_BPP(paeth_sse2, r, p, len)
				break;
			}
#endif
			paeth_c(r, p, len, B);
			break;
		default:
			return k;
		}
	}
	if (n > 0) {
		memcpy(buf + 1, buf + (size_t)n * stride + 1, len);
	}
	return 0;
}
