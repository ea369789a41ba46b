/* resource.c - the JSON/XML handlers over a resource table, each calling
 * one operation of registry/ */
#include "api/resource.h"

#include <stdio.h>

#include "registry/resource.h"

enum ost_err
resource_list(struct ctx *c, const struct resource *r)
{
	json_t *page;
	enum ost_err err = list_or_reply(c, r, &page);

	if (err)
		return OST_OK; /* answered */
	response_set(c->res, 200, page, NULL);
	return OST_OK;
}

enum ost_err
resource_reply_row(struct ctx *c, int status, json_t *row)
{
	char etag[32];
	enum ost_err err;

	snprintf(etag, sizeof(etag), "\"%lld\"",
	    (long long)json_integer_value(json_object_get(row, "version")));
	if ((err = response_header(c->res, "ETag", etag))) {
		json_decref(row);
		return err;
	}
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

/* Answer a create's outcome: 201 with ROW (stolen) and its Location
 * PATH/{id}, or the refusal WHY, or ERR for the dispatcher. */
static enum ost_err
reply_created(struct ctx *c, enum ost_err err, json_t *row, const char *path,
    const struct field_error *why)
{
	if (err == OST_ERR_INVALID || err == OST_ERR_CONFLICT || err == OST_ERR_FORBIDDEN)
		return reply_refusal(c, err, why);
	if (err)
		return err;
	if ((err = response_location(c->res, &c->app->cfg, "%s/%lld", path,
	         (long long)json_integer_value(json_object_get(row, "id"))))) {
		json_decref(row);
		return err;
	}
	return resource_reply_row(c, 201, row);
}

enum ost_err
resource_create(struct ctx *c, const struct resource *r, const char *path)
{
	struct field_error why = {0};
	struct op op;
	json_t *row = NULL;
	long long parent = r->nfilters && ctx_nparams(c) > 0 ? ctx_param_id(c, 0) : 0;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_create(&op, r, parent, c->input, &row, &why);
	if (err == OST_ERR_CONFLICT && !why.message[0]) {
		why.field = r->unique;
		snprintf(why.message, sizeof(why.message), "It would duplicate an existing one, or "
		                                           "refers to something that does not exist");
	}
	return reply_created(c, err, row, path, &why);
}

enum ost_err
resource_reply_update(struct ctx *c, enum ost_err err, json_t *row, int if_match,
    const struct field_error *why)
{
	if (err == OST_ERR_CONFLICT && row) {
		json_decref(row);
		response_error(c->res, if_match ? OST_ERR_PRECONDITION : OST_ERR_CONFLICT,
		    "Someone changed this since you read it: read it again and retry", "version");
		return OST_OK;
	}
	if (err == OST_ERR_INVALID || err == OST_ERR_CONFLICT || err == OST_ERR_FORBIDDEN)
		return reply_refusal(c, err, why);
	return err ? err : resource_reply_row(c, 200, row);
}

enum ost_err
resource_update(struct ctx *c, const struct resource *r)
{
	struct field_error why = {0};
	long long version = 0;
	int if_match = 0;
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	ctx_op(c, &op);
	err = reg_update(&op, r, ctx_param_id(c, ctx_nparams(c) - 1), version, c->input, &row, &why);
	if (err == OST_ERR_CONFLICT && !row && !why.message[0]) {
		why.field = r->unique;
		snprintf(why.message, sizeof(why.message), "It would duplicate an existing one");
	}
	return resource_reply_update(c, err, row, if_match, &why);
}

enum ost_err
resource_delete(struct ctx *c, const struct resource *r)
{
	struct field_error why = {0};
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_delete(&op, r, ctx_param_id(c, ctx_nparams(c) - 1));
	if (err == OST_ERR_CONFLICT) {
		snprintf(why.message, sizeof(why.message),
		    "Other objects still refer to it; remove them first");
		return reply_refusal(c, err, &why);
	}
	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}

enum ost_err
resource_create_by(struct ctx *c, const struct reg_ops *ops, const char *path)
{
	struct field_error why = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = ops->create(&op, c->input, &row, &why);
	return reply_created(c, err, row, path, &why);
}

enum ost_err
resource_update_by(struct ctx *c, const struct reg_ops *ops)
{
	struct field_error why = {0};
	long long version = 0;
	int if_match = 0;
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	ctx_op(c, &op);
	err = ops->update(&op, ctx_param_id(c, ctx_nparams(c) - 1), version, c->input, &row, &why);
	return resource_reply_update(c, err, row, if_match, &why);
}

enum ost_err
resource_delete_by(struct ctx *c, const struct reg_ops *ops)
{
	struct field_error why = {0};
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	err = ops->del(&op, ctx_param_id(c, ctx_nparams(c) - 1), &why);
	if (err == OST_ERR_FORBIDDEN || err == OST_ERR_CONFLICT)
		return reply_refusal(c, err, &why);
	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
