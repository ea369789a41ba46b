/* fields.c - applying a field table to JSON and form input alike */
#include "valid/fields.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valid/valid.h"

static OST_MUST_CHECK enum ost_err
bad(struct field_error *err, const struct field *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static OST_MUST_CHECK enum ost_err
bad(struct field_error *err, const struct field *f, const char *fmt, ...)
{
	va_list ap;

	err->field = f->name;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	valid_utf8_repair(err->message); /* a quote may end inside a character */
	return OST_ERR_INVALID;
}

/* Characters of S when it is text of MULTILINE kind; -1 on a control character. */
static long long
text_chars(const char *s, int multiline)
{
	long long chars = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch < 0x20 && !(multiline && (ch == '\n' || ch == '\r' || ch == '\t'))) ||
		    ch == 0x7f)
			return -1;
		chars += (ch & 0xC0) != 0x80;
	}
	return chars;
}

static OST_MUST_CHECK enum ost_err
check_text(const struct field *f, const char *s, struct field_error *err)
{
	long long chars = text_chars(s, f->kind == FIELD_TEXT);

	if (chars < 0)
		return bad(err, f, "%s must not hold control characters", f->name);
	/* what people read must show what it holds; a secret is never shown
	 * (and a password may be any text) */
	if (!(f->flags & FIELD_SECRET) && valid_disguised(s))
		return bad(err, f, "%s must not hold " VALID_DISGUISE_WORDS, f->name);
	if (chars < f->min || chars > f->max)
		return f->min > 0 && chars == 0
		    ? bad(err, f, "%s is required", f->name)
		    : bad(err, f, "%s must be %lld to %lld characters long", f->name, f->min, f->max);
	return OST_OK;
}

/* A form's string S as the JSON value of F's kind, in *V. */
static OST_MUST_CHECK enum ost_err
from_form_value(const struct field *f, const json_t *raw, json_t **v, struct field_error *err)
{
	const char *s = json_string_value(raw);
	char *end;
	long long n;
	json_t *parsed;

	if (json_is_array(raw) && f->kind == FIELD_STRINGS) {
		*v = json_incref((json_t *)raw);
		return OST_OK;
	}
	if (!s)
		return bad(err, f, "%s is given more than once", f->name);
	if (!*s && (f->flags & FIELD_NULLABLE)) {
		*v = json_null();
		return OST_OK;
	}
	switch (f->kind) {
	case FIELD_INT:
	case FIELD_ID:
		errno = 0;
		n = strtoll(s, &end, 10);
		if (!*s || *end || errno)
			return bad(err, f, "%s must be a whole number", f->name);
		*v = json_integer(n);
		return OST_OK;
	case FIELD_BOOL:
		if (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes"))
			*v = json_true();
		else if (!*s || !strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "0") ||
		    !strcmp(s, "no"))
			*v = json_false();
		else
			return bad(err, f, "%s must be true or false", f->name);
		return OST_OK;
	case FIELD_OBJECT:
		parsed = *s ? json_loads(s, JSON_REJECT_DUPLICATES, NULL) : json_object();
		if (!parsed)
			return bad(err, f, "%s must be a JSON object", f->name);
		*v = parsed;
		return OST_OK;
	case FIELD_STRINGS:
		return OST_ERR_NOT_FOUND; /* split by the caller */
	default:
		*v = json_incref((json_t *)raw);
		return OST_OK;
	}
}

/* A form text with one entry per line (or a single entry) as an array. */
static json_t *
split_lines(const char *s)
{
	json_t *a = json_array();
	const char *p = s, *nl;
	size_t n;

	while (a && *p) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p = nl ? nl + 1 : p + strlen(p);
	}
	return a;
}

static OST_MUST_CHECK enum ost_err
check_strings(const struct field_ctx *fc, const struct field *f, const json_t *v,
    struct field_error *err)
{
	char msg[FIELD_MSG_MAX];
	size_t i, n = json_array_size(v);
	const json_t *e;

	if (!json_is_array(v))
		return bad(err, f, "%s must be a list of strings", f->name);
	if ((long long)n < f->min || (long long)n > f->max)
		return bad(err, f, "%s must hold %lld to %lld entries", f->name, f->min, f->max);
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || text_chars(json_string_value(e), 0) < 0 ||
		    json_string_length(e) > 2048)
			return bad(err, f, "%s: entry %zu must be a short string", f->name, i + 1);
		if (valid_disguised(json_string_value(e)))
			return bad(err, f, "%s: entry %zu must not hold " VALID_DISGUISE_WORDS, f->name,
			    i + 1);
		if (f->item && f->item(fc, e, msg, sizeof(msg)))
			return bad(err, f, "%s: %s", f->name, msg);
	}
	return OST_OK;
}

static OST_MUST_CHECK enum ost_err
check_enum(const struct field *f, const char *s, struct field_error *err)
{
	const char *const *c;

	for (c = f->choices; c && *c; c++)
		if (strcmp(*c, s) == 0)
			return OST_OK;
	return bad(err, f, "%s must be one of the listed values", f->name);
}

/* Check V against F's kind and rules. */
static OST_MUST_CHECK enum ost_err
check_value(const struct field_ctx *fc, const struct field *f, const json_t *v,
    struct field_error *err)
{
	const char *why;
	char msg[FIELD_MSG_MAX];
	json_int_t n;

	if (json_is_null(v))
		return (f->flags & FIELD_NULLABLE) ? OST_OK : bad(err, f, "%s must not be null", f->name);
	switch (f->kind) {
	case FIELD_STRING:
	case FIELD_TEXT:
	case FIELD_EMAIL:
	case FIELD_ENUM:
		if (!json_is_string(v))
			return bad(err, f, "%s must be a string", f->name);
		if (f->kind == FIELD_EMAIL && (why = valid_email(json_string_value(v))))
			return bad(err, f, "%s", why);
		if (f->kind == FIELD_ENUM)
			return check_enum(f, json_string_value(v), err);
		if (f->kind != FIELD_EMAIL && check_text(f, json_string_value(v), err))
			return OST_ERR_INVALID;
		break;
	case FIELD_INT:
	case FIELD_ID:
		if (!json_is_integer(v))
			return bad(err, f, "%s must be a whole number", f->name);
		n = json_integer_value(v);
		if (f->kind == FIELD_ID ? n < 1 : (n < f->min || n > f->max))
			return f->kind == FIELD_ID
			    ? bad(err, f, "%s must be a positive id", f->name)
			    : bad(err, f, "%s must be between %lld and %lld", f->name, f->min, f->max);
		break;
	case FIELD_BOOL:
		if (!json_is_boolean(v))
			return bad(err, f, "%s must be true or false", f->name);
		break;
	case FIELD_STRINGS:
		if (check_strings(fc, f, v, err))
			return OST_ERR_INVALID;
		break;
	case FIELD_OBJECT:
		if (!json_is_object(v))
			return bad(err, f, "%s must be an object", f->name);
		if (fields_nests_deeper(v, FIELD_DEPTH_MAX))
			return bad(err, f, "%s must not nest objects and lists deeper than %d levels",
			    f->name, FIELD_DEPTH_MAX);
		break;
	case FIELD_TIME:
	case FIELD_ROWS: /* what an answer holds, never what a client writes */
		return bad(err, f, "%s cannot be written", f->name);
	}
	if (f->check && f->check(fc, v, msg, sizeof(msg)))
		return bad(err, f, "%s", msg);
	return OST_OK;
}

int
fields_nests_deeper(const json_t *v, int max)
{
	const char *key;
	const json_t *e;
	size_t i;

	if (!json_is_object(v) && !json_is_array(v))
		return 0;
	if (max < 1)
		return 1;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (fields_nests_deeper(e, max - 1))
				return 1;
		return 0;
	}
	json_object_foreach((json_t *)v, key, e)
		if (fields_nests_deeper(e, max - 1))
			return 1;
	return 0;
}

static int
ignored(const char *key, const char *const *ignore)
{
	for (; ignore && *ignore; ignore++)
		if (strcmp(*ignore, key) == 0)
			return 1;
	return 0;
}

const struct field *
fields_find(const struct field *fields, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

/* One given field: converted (form), checked, set in OUT. */
static OST_MUST_CHECK enum ost_err
apply_one(const struct field_ctx *fc, const struct field *f, const json_t *raw, int from_form,
    json_t *out, struct field_error *err)
{
	json_t *v = NULL;
	enum ost_err e = OST_OK;

	if (from_form) {
		e = from_form_value(f, raw, &v, err);
		if (e == OST_ERR_NOT_FOUND) {
			v = split_lines(json_string_value(raw));
			e = OST_OK;
		}
		if (e)
			return e;
	} else
		v = json_incref((json_t *)raw);
	if (!v)
		return OST_ERR_NOMEM;
	if ((e = check_value(fc, f, v, err)) == OST_OK && json_object_set(out, f->name, v))
		e = OST_ERR_NOMEM;
	json_decref(v);
	return e;
}

/* The value a create gets for F when the client did not give it. */
static json_t *
default_of(const struct field *f)
{
	json_t *v = f->dflt ? json_loads(f->dflt, JSON_DECODE_ANY, NULL) : NULL;

	if (v)
		return v;
	if ((f->kind == FIELD_STRING || f->kind == FIELD_TEXT) && !(f->flags & FIELD_NULLABLE))
		return json_string("");
	return json_null();
}

const char *const fields_ignored[] = {"csrf", "version", "format", NULL};

enum ost_err
fields_apply(const struct field_ctx *fc, const struct field *fields, size_t n,
    const json_t *input, int from_form, enum field_mode mode, const char *const *ignore,
    json_t **out, struct field_error *err)
{
	static const struct field unknown = {.name = "body"};
	const char *key;
	const json_t *raw;
	enum ost_err e = OST_OK;
	size_t i;

	*out = json_object();
	if (!*out)
		return OST_ERR_NOMEM;
	json_object_foreach((json_t *)input, key, raw) {
		const struct field *f = fields_find(fields, n, key);
		if (ignored(key, ignore))
			continue;
		if (!f) {
			e = bad(err, &unknown, "%.64s is not a field of this resource", key);
			err->field = "body";
			break;
		}
		if ((e = apply_one(fc, f, raw, from_form, *out, err)))
			break;
	}
	for (i = 0; !e && mode == FIELDS_CREATE && i < n; i++) {
		if (json_object_get(*out, fields[i].name))
			continue;
		if (fields[i].flags & FIELD_REQUIRED)
			e = bad(err, &fields[i], "%s is required", fields[i].name);
		else if (json_object_set_new(*out, fields[i].name, default_of(&fields[i])))
			e = OST_ERR_NOMEM;
	}
	if (e) {
		json_decref(*out);
		*out = NULL;
	}
	return e;
}
