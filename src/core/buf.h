/* buf.h - a growable byte buffer with a hard maximum size (after curl's dynbuf) */
#ifndef OST_BUF_H
#define OST_BUF_H

#include <stddef.h>
#include "core/err.h"

struct buf {
	char *p;    /* the bytes, always NUL-terminated when p != NULL */
	size_t len; /* bytes used, without the terminating NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* the most len may ever be */
};

/* buf_init - an empty buffer that may grow to MAX bytes. */
void buf_init(struct buf *b, size_t max);

/* buf_free - release the bytes; the buffer is empty and usable again. */
void buf_free(struct buf *b);

/* buf_reset - make the buffer empty, keeping its allocation. */
void buf_reset(struct buf *b);

/* buf_add - append N bytes of P. OST_ERR_TOO_LARGE past max (the buffer is
 * then left as it was), OST_ERR_NOMEM when allocation fails. */
enum ost_err buf_add(struct buf *b, const void *p, size_t n) OST_MUST_CHECK;

/* buf_adds - append the NUL-terminated string S. */
enum ost_err buf_adds(struct buf *b, const char *s) OST_MUST_CHECK;

/* buf_addf - append printf-style formatted text (never markup, never SQL). */
enum ost_err buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3))) OST_MUST_CHECK;

/* buf_take - hand the bytes to the caller (free() them); the buffer is empty. */
char *buf_take(struct buf *b);

#endif
