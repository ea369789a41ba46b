/* xml.c - the XML renderer: a result tree written by libxml2's xmlTextWriter */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/chvalid.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlstring.h>
#include <libxml/xmlwriter.h>

/* The writer recurses: deeper trees are refused. Twice jansson's own
 * parsing limit (JSON_PARSER_MAX_DEPTH, 2048), so whatever was stored and
 * read back, wrapped in an answer, always renders. */
#define XML_DEPTH_MAX 4096

/* The longest string render_xml_size takes (U+FFFD may triple its bytes). */
#define XML_COUNT_STRING_MAX (64 * 1024 * 1024)

/* U+FFFD, written in place of what XML 1.0 cannot carry. */
static const char xml_replacement[] = "\xEF\xBF\xBD";

/* Where the writer's output buffer flushes to, and the first error met. */
struct xml_sink {
	struct buf *out;  /* the caller's buffer; NULL: only count */
	size_t count;     /* bytes written */
	enum ost_err err; /* OST_OK, or why a write was refused */
};

/* One rendering in progress. */
struct xml_render {
	xmlTextWriterPtr w;   /* writes through the sink into the caller's buf */
	struct xml_sink sink; /* the writer's destination */
	struct buf scratch;   /* a string made safe for XML, reused */
};

/* Bytes past OUT's max are dropped, not refused: a refusal would make
 * libxml2 print "I/O error" on stderr. The writer stops at xml_check. */
static int
xml_sink_write(void *ctx, const char *p, int n)
{
	struct xml_sink *s = ctx;

	s->count += (size_t)n;
	if (!s->err && s->out)
		s->err = buf_add(s->out, p, (size_t)n);
	return n;
}

/* The result of a writer call, or the sink's error if it dropped bytes. */
static OST_MUST_CHECK enum ost_err
xml_check(const struct xml_render *x, int rc)
{
	if (x->sink.err)
		return x->sink.err;
	return rc < 0 ? OST_ERR_INTERNAL : OST_OK;
}

/* Copy N bytes of P into x->scratch as well-formed XML text: each byte of
 * invalid UTF-8 and each character outside XML 1.0's Char production
 * (control characters, NUL, U+FFFE, U+FFFF) becomes U+FFFD. The writer
 * escapes markup but would pass those through and break the document. */
static OST_MUST_CHECK enum ost_err
xml_clean(struct xml_render *x, const char *p, size_t n)
{
	enum ost_err err = OST_OK;
	size_t i = 0;
	int c, len;

	buf_reset(&x->scratch);
	if ((err = buf_add(&x->scratch, "", 0)))
		return err;
	while (i < n && !err) {
		len = n - i > 4 ? 4 : (int)(n - i);
		c = xmlGetUTF8Char((const unsigned char *)p + i, &len);
		if (c < 0 || !xmlIsCharQ(c)) {
			err = buf_adds(&x->scratch, xml_replacement);
			i += c < 0 ? 1 : (size_t)len;
		} else {
			err = buf_add(&x->scratch, p + i, (size_t)len);
			i += (size_t)len;
		}
	}
	return err;
}

static OST_MUST_CHECK enum ost_err
xml_type(struct xml_render *x, const char *type)
{
	return xml_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST "type",
	                        BAD_CAST type));
}

/* The text of a number: the same digits render_json writes. */
static OST_MUST_CHECK enum ost_err
xml_number(struct xml_render *x, const json_t *v)
{
	char *text;
	int rc;

	if (!(text = json_dumps(v, JSON_ENCODE_ANY)))
		return OST_ERR_NOMEM;
	rc = xmlTextWriterWriteString(x->w, BAD_CAST text);
	free(text);
	return xml_check(x, rc);
}

static OST_MUST_CHECK enum ost_err
xml_string(struct xml_render *x, const json_t *v)
{
	enum ost_err err;

	if ((err = xml_clean(x, json_string_value(v), json_string_length(v))))
		return err;
	return xml_check(x, xmlTextWriterWriteString(x->w,
	                        BAD_CAST x->scratch.p));
}

static enum ost_err xml_value(struct xml_render *x, const json_t *v, int depth) OST_MUST_CHECK;

/* One object member: <KEY>, or <entry key="KEY"> when KEY is no XML name. */
static OST_MUST_CHECK enum ost_err
xml_member(struct xml_render *x, const char *key, const json_t *v, int depth)
{
	enum ost_err err;

	if (xmlValidateNCName(BAD_CAST key, 0) == 0) {
		if ((err = xml_check(x, xmlTextWriterStartElement(x->w,
		                            BAD_CAST key))))
			return err;
	} else {
		if ((err = xml_check(x, xmlTextWriterStartElement(x->w,
		                            BAD_CAST "entry"))))
			return err;
		if ((err = xml_clean(x, key, strlen(key))))
			return err;
		if ((err = xml_check(x, xmlTextWriterWriteAttribute(x->w,
		                            BAD_CAST "key", BAD_CAST x->scratch.p))))
			return err;
	}
	if ((err = xml_value(x, v, depth + 1)))
		return err;
	return xml_check(x, xmlTextWriterEndElement(x->w));
}

/* An object's members; an empty one says type="object", or it would read
 * back as an empty string. */
static OST_MUST_CHECK enum ost_err
xml_object(struct xml_render *x, const json_t *v, int depth)
{
	enum ost_err err;
	const char *key;
	json_t *item;

	if (json_object_size(v) == 0)
		return xml_type(x, "object");
	json_object_foreach((json_t *)v, key, item) {
		if ((err = xml_member(x, key, item, depth)))
			return err;
	}
	return OST_OK;
}

static OST_MUST_CHECK enum ost_err
xml_array(struct xml_render *x, const json_t *v, int depth)
{
	enum ost_err err;
	size_t i;
	json_t *item;

	if ((err = xml_type(x, "array")))
		return err;
	json_array_foreach(v, i, item) {
		if ((err = xml_check(x, xmlTextWriterStartElement(x->w,
		                            BAD_CAST "item"))))
			return err;
		if ((err = xml_value(x, item, depth + 1)))
			return err;
		if ((err = xml_check(x, xmlTextWriterEndElement(x->w))))
			return err;
	}
	return OST_OK;
}

/* V as the attributes and content of the element just started. */
static enum ost_err
xml_value(struct xml_render *x, const json_t *v, int depth)
{
	enum ost_err err;

	if (depth > XML_DEPTH_MAX)
		return OST_ERR_INVALID;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return xml_object(x, v, depth);
	case JSON_ARRAY:
		return xml_array(x, v, depth);
	case JSON_STRING:
		return xml_string(x, v);
	case JSON_INTEGER:
	case JSON_REAL:
		if ((err = xml_type(x, "number")))
			return err;
		return xml_number(x, v);
	case JSON_TRUE:
	case JSON_FALSE:
		if ((err = xml_type(x, "boolean")))
			return err;
		return xml_check(x, xmlTextWriterWriteString(x->w,
		                        BAD_CAST(json_is_true(v) ? "true" : "false")));
	case JSON_NULL:
		return xml_type(x, "null");
	}
	return OST_ERR_INTERNAL;
}

static OST_MUST_CHECK enum ost_err
xml_document(struct xml_render *x, const json_t *tree)
{
	enum ost_err err;

	if ((err = xml_check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8",
	                            NULL))))
		return err;
	if ((err = xml_check(x, xmlTextWriterStartElement(x->w,
	                            BAD_CAST "response"))))
		return err;
	if ((err = xml_value(x, tree, 1)))
		return err;
	return xml_check(x, xmlTextWriterEndDocument(x->w));
}

/* TREE written through SINK (its out, when not NULL, bounds the memory
 * used); SINK's error, else the writer's. */
static OST_MUST_CHECK enum ost_err
xml_write(const json_t *tree, struct xml_sink *sink)
{
	struct xml_render x = {.sink = *sink};
	xmlOutputBufferPtr ob;
	enum ost_err err;

	buf_init(&x.scratch, sink->out ? sink->out->max : XML_COUNT_STRING_MAX);
	if (!(ob = xmlOutputBufferCreateIO(xml_sink_write, NULL, &x.sink, NULL)))
		return OST_ERR_NOMEM;
	if (!(x.w = xmlNewTextWriter(ob))) {
		xmlOutputBufferClose(ob);
		return OST_ERR_NOMEM;
	}
	err = xml_document(&x, tree);
	xmlFreeTextWriter(x.w); /* flushes the rest through the sink */
	buf_free(&x.scratch);
	*sink = x.sink;
	return err ? err : sink->err;
}

/* render_xml - TREE as an XML document appended to OUT, written by libxml2's
 * xmlTextWriter straight into OUT (so OUT's max bounds the memory used).
 * Mapping as in render.h; numbers carry the digits render_json writes.
 * Characters XML 1.0 cannot carry (control characters, invalid UTF-8) become
 * U+FFFD. OST_ERR_INVALID for a NULL tree or one nested deeper than 4096
 * levels (twice what jansson parses), OST_ERR_TOO_LARGE past OUT's max. On
 * error OUT is left as it was. */
enum ost_err
render_xml(const json_t *tree, struct buf *out)
{
	struct xml_sink sink = {out, 0, OST_OK};
	size_t start = out->len;
	enum ost_err err;

	if (!tree)
		return OST_ERR_INVALID;
	if ((err = xml_write(tree, &sink))) {
		out->len = start;
		if (out->p)
			out->p[start] = '\0';
	}
	return err;
}

/* render_xml_size - see render.h: the document written into no buffer,
 * its bytes counted. */
enum ost_err
render_xml_size(const json_t *tree, size_t *n)
{
	struct xml_sink sink = {NULL, 0, OST_OK};
	enum ost_err err;

	*n = 0;
	if (!tree)
		return OST_ERR_INVALID;
	if (!(err = xml_write(tree, &sink)))
		*n = sink.count;
	return err;
}
