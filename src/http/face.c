/* face.c - what the faces (the API and the console) share: path
 * parameters, pages, versions, the operation context of a request */
#include "http/face.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/crypto.h"
#include "http/page_fit.h"
#include "store/audit.h"
#include "store/resource.h"
#include "valid/valid.h"

size_t
ctx_nparams(const struct ctx *c)
{
	size_t n = 0;

	while (n < REQUEST_PARAMS_MAX && c->params[n])
		n++;
	return n;
}

long long
ctx_param_id(const struct ctx *c, size_t i)
{
	return i < REQUEST_PARAMS_MAX && c->params[i] ? strtoll(c->params[i], NULL, 10) : 0;
}

int
ctx_is_form(const struct ctx *c)
{
	const char *type = request_header(c->req, "Content-Type");

	return type && strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0;
}

enum ost_err
reply_refusal(struct ctx *c, enum ost_err err, const struct field_error *why)
{
	int given = why && why->message[0];

	response_error(c->res, err, given ? why->message : NULL, given ? why->field : NULL);
	return OST_OK;
}

static OST_MUST_CHECK enum ost_err
reply_invalid(struct ctx *c, const char *field, const char *message)
{
	response_error(c->res, OST_ERR_INVALID, message, field);
	return OST_ERR_INVALID;
}

enum ost_err
page_limit_or_reply(struct ctx *c, unsigned *limit)
{
	const char *l = request_field(c->req, "limit");
	char *end;
	long v;

	*limit = PAGE_LIMIT_DEFAULT;
	if (!l)
		return OST_OK;
	v = strtol(l, &end, 10);
	if (!*l || *end || v < 1 || v > PAGE_LIMIT_MAX)
		return reply_invalid(c, "limit", "limit must be a number from 1 to 200");
	*limit = (unsigned)v;
	return OST_OK;
}

enum ost_err
page_args_or_reply(struct ctx *c, unsigned *limit, long long *after)
{
	const char *cur = request_field(c->req, "cursor");
	unsigned char raw[8];
	size_t n = 0, i;

	*after = 0;
	if (page_limit_or_reply(c, limit))
		return OST_ERR_INVALID;
	if (cur && *cur) {
		if (crypto_b64url_decode(cur, strlen(cur), raw, sizeof(raw), &n) || n != sizeof(raw))
			return reply_invalid(c, "cursor", "cursor is not one this server gave");
		for (i = 0; i < n; i++)
			*after = (*after << 8) | raw[i];
		if (*after < 0)
			return reply_invalid(c, "cursor", "cursor is not one this server gave");
	}
	return OST_OK;
}

json_t *
page_tree(json_t *rows, unsigned limit)
{
	unsigned char raw[8];
	char cursor[16];
	long long last;
	int i;

	if (json_array_size(rows) <= limit)
		return json_pack("{s:o, s:n}", "items", rows, "next_cursor");
	while (json_array_size(rows) > limit)
		json_array_remove(rows, json_array_size(rows) - 1);
	last = json_integer_value(json_object_get(json_array_get(rows, limit - 1), "id"));
	for (i = 7; i >= 0; i--, last >>= 8)
		raw[i] = (unsigned char)(last & 0xff);
	if (crypto_b64url_encode(raw, sizeof(raw), cursor, sizeof(cursor))) {
		json_decref(rows);
		return NULL;
	}
	return json_pack("{s:o, s:s}", "items", rows, "next_cursor", cursor);
}

enum ost_err
version_or_reply(struct ctx *c, long long *version, int *if_match)
{
	const char *h = request_header(c->req, "If-Match");
	const json_t *v = c->req->body ? json_object_get(c->req->body, "version") : NULL;
	char *end;

	*if_match = h != NULL;
	if (h) {
		if (strncmp(h, "W/", 2) == 0)
			h += 2;
		h += *h == '"';
		*version = strtoll(h, &end, 10);
		if (end == h || (*end && strcmp(end, "\"") != 0) || *version < 1)
			return reply_invalid(c, "If-Match", "If-Match must be the ETag of the resource");
		return OST_OK;
	}
	*version = 0;
	if (json_is_integer(v))
		*version = json_integer_value(v);
	else if (json_is_string(v) && *json_string_value(v)) {
		*version = strtoll(json_string_value(v), &end, 10);
		if (*end)
			*version = 0;
	}
	if (*version < 1)
		return reply_invalid(c, "version",
		    "version is required: send the version you last read (or If-Match)");
	return OST_OK;
}

/* The list filters from the query (and, for a nested resource, the parent
 * from the path). */
static OST_MUST_CHECK enum ost_err
filters_or_reply(struct ctx *c, const struct resource *r, json_t *filters)
{
	size_t i, nested = r->parent && ctx_nparams(c) > 0;
	const char *s;
	char *end;
	long long id;

	for (i = 0; i < r->nfilters; i++) {
		const char *name = r->filters[i].name;
		if (i == 0 && nested) {
			json_object_set_new(filters, name, json_integer(ctx_param_id(c, 0)));
			continue;
		}
		if (!(s = json_string_value(json_object_get(c->req->query, name))) || !*s)
			continue;
		if (r->filters[i].kind == FILTER_CONTAINS) {
			/* names are 100 characters, up to 400 bytes: a whole one is a filter */
			if (valid_text(s, 0, RESOURCE_FILTER_MAX)) {
				response_error(c->res, OST_ERR_INVALID,
				    "a filter is at most 100 characters, without control characters", name);
				return OST_ERR_INVALID;
			}
			json_object_set_new(filters, name, json_string(s));
		} else if (r->filters[i].kind == FILTER_BOOL) {
			if (strcmp(s, "true") && strcmp(s, "false")) {
				response_error(c->res, OST_ERR_INVALID, "use true or false", name);
				return OST_ERR_INVALID;
			}
			json_object_set_new(filters, name, json_integer(strcmp(s, "true") == 0));
		} else {
			id = strtoll(s, &end, 10);
			if (*end || id < 1) {
				response_error(c->res, OST_ERR_INVALID, "use an id", name);
				return OST_ERR_INVALID;
			}
			json_object_set_new(filters, name, json_integer(id));
		}
	}
	return OST_OK;
}

enum ost_err
list_or_reply(struct ctx *c, const struct resource *r, json_t **page)
{
	json_t *filters = json_object(), *rows = NULL;
	long long after;
	unsigned limit;
	enum ost_err err;

	*page = NULL;
	if (!filters)
		return response_fail(c->res, OST_ERR_NOMEM);
	if ((err = page_args_or_reply(c, &limit, &after)) ||
	    (err = filters_or_reply(c, r, filters))) {
		json_decref(filters);
		return err;
	}
	err = store_resource_list(r, filters, after, limit + 1, &rows);
	json_decref(filters);
	if (!err && (err = page_fit(c->format, rows, limit, NULL, NULL, NULL, &limit)))
		json_decref(rows);
	else if (!err && !(*page = page_tree(rows, limit)))
		err = OST_ERR_NOMEM;
	return response_fail(c->res, err);
}

/* The text filter NAME of the query (at most MAX bytes) into *OUT ("" when
 * absent); on a bad value the 400 answer is set. */
static OST_MUST_CHECK enum ost_err
text_filter_or_reply(struct ctx *c, const char *name, size_t max, const char **out)
{
	const char *s = json_string_value(json_object_get(c->req->query, name));

	*out = s ? s : "";
	if (strlen(*out) > max) {
		response_error(c->res, OST_ERR_INVALID, "the filter is too long", name);
		return OST_ERR_INVALID;
	}
	return OST_OK;
}

/* The filters of the query into F; on a bad value the 400 answer is set. */
static OST_MUST_CHECK enum ost_err
audit_filters_or_reply(struct ctx *c, struct audit_filter *f)
{
	const char *actor;
	char *end;

	if (text_filter_or_reply(c, "object_type", 32, &f->object_type) ||
	    text_filter_or_reply(c, "object_id", 64, &f->object_id) ||
	    text_filter_or_reply(c, "action", 64, &f->action) ||
	    text_filter_or_reply(c, "actor_id", 18, &actor))
		return OST_ERR_INVALID;
	f->actor_id = 0;
	if (*actor) {
		f->actor_id = strtoll(actor, &end, 10);
		if (*end || f->actor_id < 1 || *actor < '0' || *actor > '9') {
			response_error(c->res, OST_ERR_INVALID, "use an id", "actor_id");
			return OST_ERR_INVALID;
		}
	}
	return OST_OK;
}

enum ost_err
audit_page_or_reply(struct ctx *c, page_shown shown, json_t **page)
{
	struct audit_filter f;
	long long before;
	unsigned limit;
	json_t *rows = NULL;
	enum ost_err err;

	*page = NULL;
	if ((err = page_args_or_reply(c, &limit, &before)) || (err = audit_filters_or_reply(c, &f)))
		return err;
	if ((err = store_audit_list(&f, before, limit + 1, &rows)))
		return response_fail(c->res, err);
	if ((err = page_fit(c->format, rows, limit, shown, "details", "shortened", &limit))) {
		json_decref(rows);
		return response_fail(c->res, err);
	}
	return (*page = page_tree(rows, limit)) ? OST_OK : response_fail(c->res, OST_ERR_NOMEM);
}

struct field_ctx
ctx_field_ctx(const struct ctx *c)
{
	return (struct field_ctx){.development = c->app->cfg.development,
	    .user_id = c->who.user_id, .roles = c->who.roles};
}

void
ctx_op(const struct ctx *c, struct op *op)
{
	int person = c->who.user_id > 0;

	*op = (struct op){
	    .app = c->app,
	    .fields = ctx_field_ctx(c),
	    .actor_type = person ? "admin" : "system",
	    .actor_id = c->who.user_id,
	    .actor = person ? c->who.email : NULL,
	    .address = c->req->remote_addr,
	    .request_id = c->req->id,
	    .session_hash = c->who.via == AUTH_VIA_SESSION ? c->who.session_hash : NULL,
	};
}
