/* json.c - the JSON renderer: a result tree dumped by jansson into a buf */
#include "render/render.h"

#include <string.h>

/* Where jansson's dump callback writes, and the first error it met.
 * Jansson writes a token at a time: they gather in CHUNK and reach OUT a
 * chunk at a time. */
struct json_sink {
	struct buf *out;  /* the caller's buffer */
	enum ost_err err; /* OST_OK, or why a write was refused */
	size_t n;         /* bytes in CHUNK */
	char chunk[4096];
};

/* CHUNK into OUT. */
static void
json_sink_flush(struct json_sink *s)
{
	if (!s->err && s->n)
		s->err = buf_add(s->out, s->chunk, s->n);
	s->n = 0;
}

static int
json_sink_write(const char *p, size_t n, void *data)
{
	struct json_sink *s = data;

	if (s->n + n > sizeof(s->chunk))
		json_sink_flush(s);
	if (s->err)
		return -1;
	if (n > sizeof(s->chunk))
		s->err = buf_add(s->out, p, n);
	else {
		memcpy(s->chunk + s->n, p, n);
		s->n += n;
	}
	return s->err ? -1 : 0;
}

/* render_json - TREE (any JSON value) as compact UTF-8 JSON appended to OUT.
 * Non-ASCII characters are written as UTF-8, not as \u escapes; object keys
 * keep their insertion order. OST_ERR_TOO_LARGE past OUT's max,
 * OST_ERR_INVALID when jansson refuses the tree (NULL, or a cycle). On error
 * OUT is left as it was. */
enum ost_err
render_json(const json_t *tree, struct buf *out)
{
	struct json_sink s;
	size_t start = out->len;

	s.out = out;
	s.err = OST_OK;
	s.n = 0;
	if (json_dump_callback(tree, json_sink_write, &s, JSON_COMPACT | JSON_ENCODE_ANY) == 0) {
		json_sink_flush(&s);
		if (!s.err)
			return OST_OK;
	}
	out->len = start;
	if (out->p)
		out->p[start] = '\0';
	return s.err ? s.err : OST_ERR_INVALID;
}

/* render_json_size - see render.h: jansson counts what it would write. */
enum ost_err
render_json_size(const json_t *tree, size_t *n)
{
	*n = tree ? json_dumpb(tree, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY) : 0;
	return *n ? OST_OK : OST_ERR_INVALID;
}
