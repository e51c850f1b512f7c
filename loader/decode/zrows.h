// zrows.h — the C half of View's PNG rows in cgo builds (see zrows.c).

#ifndef SEQVIEW_ZROWS_H
#define SEQVIEW_ZROWS_H

#include <stddef.h>
#include <zlib.h>

// sv_zrows is one image's zlib stream. It lives in C memory because zlib
// keeps a pointer back to its z_stream. It never holds a pointer to Go
// memory between calls: the input and output are given to each call.
typedef struct {
	z_stream z;
	size_t in_left;  // after sv_inflate: input bytes it did not consume
	size_t out_left; // after sv_inflate: output bytes it did not fill
} sv_zrows;

sv_zrows *sv_zrows_new(void);
void sv_zrows_free(sv_zrows *s);
int sv_inflate(sv_zrows *s, const unsigned char *in, size_t nin, unsigned char *out, size_t nout);
int sv_simd(void);
int sv_unfilter(unsigned char *buf, int n, size_t stride, size_t len, int bpp, int simd);

#endif
