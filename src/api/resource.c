/* resource.c - generic JSON/XML handlers over a resource table */
#include "api/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "valid/valid.h"

static const char *const ignore_keys[] = {"csrf", "version", "format", NULL};

/* The list filters from the query (and the parent from the path). */
static enum ost_err
filters_or_reply(struct ctx *c, const struct resource *r, json_t *filters)
{
	size_t i, nested = ctx_nparams(c) > 0;
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
			if (valid_text(s, 0, 100)) {
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
resource_list(struct ctx *c, const struct resource *r)
{
	json_t *filters = json_object(), *rows = NULL;
	long long after;
	unsigned limit;
	enum ost_err err;

	if (!filters)
		return OST_ERR_NOMEM;
	if ((err = page_args_or_reply(c, &limit, &after)) ||
	    (err = filters_or_reply(c, r, filters))) {
		json_decref(filters);
		return err;
	}
	err = store_resource_list(r, filters, after, limit + 1, &rows);
	json_decref(filters);
	if (err)
		return err;
	response_set(c->res, 200, page_tree(rows, limit), NULL);
	return OST_OK;
}

enum ost_err
resource_reply_row(struct ctx *c, int status, json_t *row)
{
	char etag[32];

	snprintf(etag, sizeof(etag), "\"%lld\"",
	    (long long)json_integer_value(json_object_get(row, "version")));
	response_header(c->res, "ETag", etag);
	response_set(c->res, status, row, NULL);
	return OST_OK;
}

enum ost_err
resource_get(struct ctx *c, const struct resource *r)
{
	json_t *row;
	enum ost_err err = store_resource_get(r, ctx_param_id(c, ctx_nparams(c) - 1), &row);

	return err ? err : resource_reply_row(c, 200, row);
}

/* Run the table's cross-field rules, if any. */
static enum ost_err
check_item(const struct resource *r, const json_t *item, struct field_error *err)
{
	return r->check ? r->check(item, err) : OST_OK;
}

/* OST_OK when R has a row ID, else OST_ERR_NOT_FOUND (or a database error). */
static enum ost_err
exists(const struct resource *r, long long id)
{
	json_t *row = NULL;
	enum ost_err err = store_resource_get(r, id, &row);

	json_decref(row);
	return err;
}

enum ost_err
resource_do_create(struct ctx *c, const struct resource *r, long long parent, json_t **row,
    struct field_error *ferr)
{
	json_t *values = NULL, *details;
	char action[64];
	long long id = 0;
	enum ost_err err;

	*row = NULL;
	err = fields_apply(r->fields, r->nfields, c->req->body,
	    ctx_is_form(c), FIELDS_CREATE, ignore_keys, &values, ferr);
	if (!err && parent > 0 && r->parent)
		err = exists(r->parent, parent);
	if (!err && parent > 0)
		json_object_set_new(values, r->filters[0].name, json_integer(parent));
	if (!err)
		err = check_item(r, values, ferr);
	if (err || (err = db_begin())) {
		json_decref(values);
		return err;
	}
	snprintf(action, sizeof(action), "%s.create", r->type);
	details = without_secrets(r->fields, r->nfields, values);
	err = store_resource_insert(r, values, &id);
	if (!err)
		err = audit(c, action, r->type, id, details);
	if (!err)
		err = store_resource_get(r, id, row);
	json_decref(details);
	json_decref(values);
	return db_finish(err);
}

/* A copy of CURRENT with INPUT's keys over it. */
static json_t *
merged(const json_t *current, const json_t *input)
{
	json_t *m = json_deep_copy(current);

	if (m)
		json_object_update(m, (json_t *)input);
	return m;
}

enum ost_err
resource_do_update(struct ctx *c, const struct resource *r, long long id, long long version,
    json_t **row, struct field_error *ferr)
{
	json_t *input = NULL, *current = NULL, *next = NULL, *details = NULL;
	char action[64];
	enum ost_err err;

	*row = NULL;
	err = fields_apply(r->fields, r->nfields, c->req->body,
	    ctx_is_form(c), FIELDS_UPDATE, ignore_keys, &input, ferr);
	if (err || (err = db_begin())) {
		json_decref(input);
		return err;
	}
	err = store_resource_get(r, id, &current);
	if (!err && json_integer_value(json_object_get(current, "version")) != version) {
		*row = json_incref(current);
		err = OST_ERR_CONFLICT;
	}
	if (!err && !(next = merged(current, input)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = check_item(r, next, ferr);
	if (!err)
		err = store_resource_update(r, id, version, next);
	snprintf(action, sizeof(action), "%s.update", r->type);
	if (!err && !(details = without_secrets(r->fields, r->nfields, input)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = audit(c, action, r->type, id, details);
	if (!err)
		err = store_resource_get(r, id, row);
	json_decref(details);
	json_decref(next);
	json_decref(current);
	json_decref(input);
	return db_finish(err);
}

enum ost_err
resource_do_delete(struct ctx *c, const struct resource *r, long long id)
{
	char action[64];
	enum ost_err err = db_begin();

	if (err)
		return err;
	snprintf(action, sizeof(action), "%s.delete", r->type);
	err = store_resource_delete(r, id);
	if (!err)
		err = audit(c, action, r->type, id, NULL);
	return db_finish(err);
}

enum ost_err
resource_create(struct ctx *c, const struct resource *r)
{
	struct field_error ferr;
	json_t *row;
	long long parent = r->nfilters && ctx_nparams(c) > 0 ? ctx_param_id(c, 0) : 0;
	enum ost_err err = resource_do_create(c, r, parent, &row, &ferr);

	if (err == OST_ERR_INVALID)
		return reply_field_error(c, &ferr);
	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, err, "It would duplicate an existing one, or refers to "
		                            "something that does not exist", r->unique);
		return OST_OK;
	}
	if (err)
		return err;
	/* Where the item is, not where it was posted: a project is created under
	 * its suite but lives at /api/v1/projects/{id}. */
	response_location(c->res, &c->app->cfg, "%s/%lld", r->path ? r->path : c->req->path,
	    (long long)json_integer_value(json_object_get(row, "id")));
	return resource_reply_row(c, 201, row);
}

enum ost_err
resource_update(struct ctx *c, const struct resource *r)
{
	struct field_error ferr;
	long long version = 0;
	int if_match = 0;
	json_t *row = NULL;
	enum ost_err err = version_or_reply(c, &version, &if_match);

	if (err)
		return OST_OK;
	err = resource_do_update(c, r, ctx_param_id(c, ctx_nparams(c) - 1), version, &row, &ferr);
	if (err == OST_ERR_INVALID)
		return reply_field_error(c, &ferr);
	if (err == OST_ERR_CONFLICT && row) {
		json_decref(row);
		response_error(c->res, if_match ? OST_ERR_PRECONDITION : OST_ERR_CONFLICT,
		    "Someone changed this since you read it: read it again and retry", "version");
		return OST_OK;
	}
	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, err, "It would duplicate an existing one", r->unique);
		return OST_OK;
	}
	return err ? err : resource_reply_row(c, 200, row);
}

enum ost_err
resource_delete(struct ctx *c, const struct resource *r)
{
	enum ost_err err = resource_do_delete(c, r, ctx_param_id(c, ctx_nparams(c) - 1));

	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, err, "Other objects still refer to it; remove them first", NULL);
		return OST_OK;
	}
	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
