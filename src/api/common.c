/* common.c - the request helpers every resource handler shares: input,
 * pages, versions, audit */
#include "api/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/crypto.h"
#include "store/audit.h"
#include "store/db.h"

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
reply_field_error(struct ctx *c, const struct field_error *err)
{
	response_error(c->res, OST_ERR_INVALID, err->message, err->field);
	return OST_OK;
}

static enum ost_err
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
	crypto_b64url_encode(raw, sizeof(raw), cursor, sizeof(cursor));
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

json_t *
without_secrets(const struct field *fields, size_t n, const json_t *values)
{
	json_t *copy = json_deep_copy(values);
	size_t i;

	for (i = 0; copy && i < n; i++)
		if (fields[i].flags & FIELD_SECRET)
			json_object_del(copy, fields[i].name);
	return copy;
}

enum ost_err
audit(struct ctx *c, const char *action, const char *type, long long id, const json_t *details)
{
	char oid[24];
	int app = c->who.via == AUTH_VIA_NONE && c->who.user_id == 0;
	struct audit_entry e = {
	    .actor_type = app ? "system" : "admin",
	    .actor_id = c->who.user_id,
	    .actor = c->who.email,
	    .action = action,
	    .object_type = type,
	    .object_id = oid,
	    .address = c->req->remote_addr,
	    .request_id = c->req->id,
	    .details = details,
	};

	snprintf(oid, sizeof(oid), "%lld", id);
	return store_audit_insert(&e);
}
