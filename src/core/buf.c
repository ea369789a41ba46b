/* buf.c - a growable byte buffer with a hard maximum size */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

static OST_MUST_CHECK enum ost_err
buf_grow(struct buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (need > b->max)
		return OST_ERR_TOO_LARGE;
	if (need + 1 <= b->cap)
		return OST_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need + 1)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = realloc(b->p, cap);
	if (!p)
		return OST_ERR_NOMEM;
	b->p = p;
	b->cap = cap;
	return OST_OK;
}

enum ost_err
buf_add(struct buf *b, const void *p, size_t n)
{
	enum ost_err err;

	if (n > b->max - b->len)
		return OST_ERR_TOO_LARGE;
	if ((err = buf_grow(b, b->len + n)))
		return err;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return OST_OK;
}

enum ost_err
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum ost_err
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	enum ost_err err;

	/* into the room there is, when it is enough: one formatting */
	if (b->cap > b->len + 1) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len && (size_t)n <= b->max - b->len) {
			b->len += (size_t)n;
			return OST_OK;
		}
		b->p[b->len] = '\0';
	} else {
		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
	}
	if (n < 0)
		return OST_ERR_INTERNAL;
	if ((size_t)n > b->max - b->len)
		return OST_ERR_TOO_LARGE;
	if ((err = buf_grow(b, b->len + (size_t)n)))
		return err;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return OST_OK;
}

char *
buf_take(struct buf *b)
{
	char *p = b->p;

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}
