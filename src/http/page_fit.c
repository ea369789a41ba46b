/* page_fit.c - pages that fit in an answer: cut by size as well as by
 * count, and a row too large for a page on its own shortened */
#include "http/page_fit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* The size of a row that cannot even be measured (a string past what the
 * XML writer counts): larger than any page. */
#define ROW_UNMEASURED (SIZE_MAX / 4)

/* The bytes FORMAT takes for what ROW shows, into *N. */
static OST_MUST_CHECK enum ost_err
row_size(enum render_format format, const json_t *row, page_shown shown, size_t *n)
{
	json_t *t = shown ? shown(row) : json_incref((json_t *)row);
	enum ost_err err = OST_OK;

	*n = 0;
	if (!t)
		return OST_ERR_NOMEM;
	switch (format) {
	case RENDER_XML:
		err = render_xml_size(t, n);
		break;
	case RENDER_HTML:
		*n = render_html_text_size(t) + PAGE_ROW_MARKUP;
		break;
	default:
		err = render_json_size(t, n);
		break;
	}
	json_decref(t);
	if (err == OST_ERR_TOO_LARGE || err == OST_ERR_INVALID) {
		*n = ROW_UNMEASURED;
		err = OST_OK;
	}
	return err;
}

/* The values of a row's member being shortened: an object's (by key, in
 * order) or a list's. */
struct members {
	json_t *v;    /* the object or the list */
	json_t *keys; /* an object's keys, in order; NULL for a list */
	size_t n;     /* how many */
};

static json_t *
member_get(const struct members *m, size_t i)
{
	return m->keys ? json_object_get(m->v, json_string_value(json_array_get(m->keys, i)))
	               : json_array_get(m->v, i);
}

static OST_MUST_CHECK enum ost_err
member_set(const struct members *m, size_t i, json_t *value)
{
	int rc = m->keys
	    ? json_object_set_new(m->v, json_string_value(json_array_get(m->keys, i)), value)
	    : json_array_set_new(m->v, i, value);

	return rc ? OST_ERR_NOMEM : OST_OK;
}

/* M's values from the I-th on left out. */
static void
members_cut(struct members *m, size_t i)
{
	while (m->n > i) {
		m->n--;
		if (m->keys)
			json_object_del(m->v, json_string_value(json_array_get(m->keys, m->n)));
		else
			json_array_remove(m->v, m->n);
	}
}

static OST_MUST_CHECK enum ost_err
members_of(json_t *v, struct members *m)
{
	const char *key;
	json_t *value;

	*m = (struct members){.v = v};
	if (json_is_array(v)) {
		m->n = json_array_size(v);
		return OST_OK;
	}
	if (!(m->keys = json_array()))
		return OST_ERR_NOMEM;
	json_object_foreach(v, key, value)
		if (json_array_append_new(m->keys, json_string(key)))
			return OST_ERR_NOMEM;
	m->n = json_array_size(m->keys);
	return OST_OK;
}

/* V cut short: its text (a string's own, else its compact JSON) cut to
 * PAGE_SHORT_KEEP bytes at a character's start, and "…". */
static json_t *
short_text(const json_t *v)
{
	char *dumped = json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	const char *s = dumped ? dumped : json_string_value(v);
	size_t n = dumped ? strlen(dumped) : json_string_length(v), cut = n;
	json_t *out = NULL;
	struct buf b;

	if (!s)
		return NULL;
	if (cut > PAGE_SHORT_KEEP)
		cut = PAGE_SHORT_KEEP;
	while (cut > 0 && cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	buf_init(&b, PAGE_SHORT_KEEP + 8);
	if (!buf_add(&b, s, cut) && !buf_adds(&b, "\xE2\x80\xA6"))
		out = json_stringn(b.p, b.len);
	buf_free(&b);
	free(dumped);
	return out;
}

/* What value I of M adds to ROW (whose member NAME M is) as FORMAT writes
 * it, VALUE standing in for it, into *N: ROW with that value alone, less
 * BASE (ROW with none). */
static OST_MUST_CHECK enum ost_err
share_of(enum render_format format, const json_t *row, page_shown shown, const char *name,
    const struct members *m, size_t i, const json_t *value, size_t base, size_t *n)
{
	json_t *probe = json_copy((json_t *)row), *alone = m->keys ? json_object() : json_array();
	enum ost_err err = OST_ERR_NOMEM;
	int rc;

	rc = !probe || !alone ? -1
	    : m->keys ? json_object_set(alone, json_string_value(json_array_get(m->keys, i)),
	                    (json_t *)value)
	              : json_array_append(alone, (json_t *)value);
	if (!rc && !json_object_set(probe, name, alone) &&
	    !(err = row_size(format, probe, shown, n)))
		*n = *n > base ? *n - base : 0;
	json_decref(alone);
	json_decref(probe);
	return err;
}

/* A value of the member being shortened and what it adds to the row. */
struct share {
	size_t i;    /* its place in the members */
	size_t size; /* bytes */
};

static int
by_size_desc(const void *a, const void *b)
{
	const struct share *x = a, *y = b;

	return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

/* The values of M longer than PAGE_SHORT_KEEP bytes of JSON, each with
 * what it adds to ROW, largest first, into *SHARES (free() it), *COUNT. */
static OST_MUST_CHECK enum ost_err
large_shares(enum render_format format, const json_t *row, page_shown shown,
    const char *name, const struct members *m, size_t base, struct share **shares,
    size_t *count)
{
	enum ost_err err = OST_OK;
	size_t i;

	*count = 0;
	if (!(*shares = calloc(m->n ? m->n : 1, sizeof(**shares))))
		return OST_ERR_NOMEM;
	for (i = 0; i < m->n && !err; i++) {
		if (json_dumpb(member_get(m, i), NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY) <=
		    PAGE_SHORT_KEEP)
			continue;
		(*shares)[*count].i = i;
		err = share_of(format, row, shown, name, m, i, member_get(m, i), base,
		    &(*shares)[(*count)++].size);
	}
	qsort(*shares, *count, sizeof(**shares), by_size_desc);
	return err;
}

/* Cut ROW's member NAME's largest values short while the row, *N bytes,
 * is over PAGE_BYTES_MAX; *N then the estimate of what it is. */
static OST_MUST_CHECK enum ost_err
shorten_largest(enum render_format format, json_t *row, page_shown shown, const char *name,
    const struct members *m, size_t *n)
{
	struct share *shares = NULL;
	size_t count = 0, k, base = 0, after, saved;
	json_t *empty = m->keys ? json_object() : json_array(), *probe = json_copy(row), *cut;
	enum ost_err err = empty && probe ? OST_OK : OST_ERR_NOMEM;

	if (!err && json_object_set(probe, name, empty))
		err = OST_ERR_NOMEM;
	if (!err)
		err = row_size(format, probe, shown, &base);
	json_decref(probe);
	json_decref(empty);
	if (!err)
		err = large_shares(format, row, shown, name, m, base, &shares, &count);
	for (k = 0; !err && k < count && *n > PAGE_BYTES_MAX; k++) {
		if (!(cut = short_text(member_get(m, shares[k].i)))) {
			err = OST_ERR_NOMEM;
			break;
		}
		if (!(err = share_of(format, row, shown, name, m, shares[k].i, cut, base, &after)) &&
		    after < shares[k].size) {
			saved = shares[k].size - after;
			*n = *n > saved ? *n - saved : 0;
			err = member_set(m, shares[k].i, json_incref(cut));
		}
		json_decref(cut);
	}
	free(shares);
	return err;
}

/* ROW's member NAME shortened until ROW, *N bytes, fits in a page: its
 * largest values cut short, then its last values left out; MARK set. */
static OST_MUST_CHECK enum ost_err
row_shorten(enum render_format format, json_t *row, page_shown shown, const char *name,
    const char *mark, size_t *n)
{
	json_t *v = json_object_get(row, name);
	struct members m = {0};
	enum ost_err err;
	size_t drop;

	if (!json_is_object(v) && !json_is_array(v))
		return OST_OK;
	if ((err = members_of(v, &m)) ||
	    (err = shorten_largest(format, row, shown, name, &m, n)) ||
	    (err = row_size(format, row, shown, n))) {
		json_decref(m.keys);
		return err;
	}
	while (!err && *n > PAGE_BYTES_MAX && m.n > 0) {
		/* as many as the excess is of the row, one more for luck */
		drop = (size_t)((double)m.n * (double)(*n - PAGE_BYTES_MAX) / (double)*n) + 1;
		members_cut(&m, m.n > drop ? m.n - drop : 0);
		err = row_size(format, row, shown, n);
	}
	json_decref(m.keys);
	if (!err && mark && json_object_set_new(row, mark, json_true()))
		err = OST_ERR_NOMEM;
	return err;
}

enum ost_err
page_fit(enum render_format format, json_t *rows, unsigned limit, page_shown shown,
    const char *shorten, const char *mark, unsigned *fit)
{
	size_t total = 0, n, i;
	enum ost_err err;
	json_t *row;

	*fit = limit;
	for (i = 0; i < limit && i < json_array_size(rows); i++) {
		row = json_array_get(rows, i);
		if ((err = row_size(format, row, shown, &n)))
			return err;
		if (i == 0 && n > PAGE_BYTES_MAX && shorten &&
		    (err = row_shorten(format, row, shown, shorten, mark, &n)))
			return err;
		if (i > 0 && (total >= PAGE_BYTES_MAX || n > PAGE_BYTES_MAX - total)) {
			*fit = (unsigned)i;
			break;
		}
		total += n;
	}
	return OST_OK;
}
