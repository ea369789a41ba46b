/* providers.c - /api/v1/apps/{id}/connection-providers: the connection
 * providers an application declares (changed only by a
 * SUPER_ADMINISTRATOR), and /api/v1/companies/{id}/connections: the
 * connected accounts of a company, as administrators see them (never a
 * token) */
#include "api/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "broker/connections.h"
#include "broker/providers.h"
#include "crypto/crypto.h"
#include "http/face.h"
#include "store/app_user.h"
#include "store/connection.h"
#include "store/provider.h"
#include "store/tenancy.h"

/* The reply to a change: ROW with STATUS, or the refusal in words. */
static OST_MUST_CHECK enum ost_err
reply_change(struct ctx *c, enum ost_err err, int status, json_t *row,
    const struct field_error *why, int if_match)
{
	if (err == OST_ERR_CONFLICT && if_match && why->field && !strcmp(why->field, "version"))
		err = OST_ERR_PRECONDITION;
	if (err == OST_ERR_INVALID || err == OST_ERR_CONFLICT || err == OST_ERR_FORBIDDEN ||
	    err == OST_ERR_PRECONDITION)
		return reply_refusal(c, err, why);
	if (err)
		return err;
	if (status == 201 && (err = response_location(c->res, &c->app->cfg,
	                          "/api/v1/apps/%lld/connection-providers/%s", ctx_param_id(c, 0),
	                          json_string_value(json_object_get(row, "name"))))) {
		json_decref(row);
		return err;
	}
	response_set(c->res, row ? status : 204, row, NULL);
	return OST_OK;
}

enum ost_err
api_providers_list(struct ctx *c)
{
	const char *cur = request_field(c->req, "cursor");
	char after[96] = "";
	size_t n = 0, i;
	unsigned limit;
	json_t *rows = NULL, *items, *tree, *row;
	const char *last;
	enum ost_err err;

	if (page_limit_or_reply(c, &limit))
		return OST_OK;
	if (cur && *cur && (crypto_b64url_decode(cur, strlen(cur), after, sizeof(after) - 1, &n) ||
	                       memchr(after, '\0', n))) {
		response_error(c->res, OST_ERR_INVALID, "cursor is not one this server gave", "cursor");
		return OST_OK;
	}
	after[n] = '\0';
	if ((err = store_app_exists(ctx_param_id(c, 0))) ||
	    (err = store_provider_list(ctx_param_id(c, 0), after, limit + 1, &rows)))
		return err;
	items = json_array();
	json_array_foreach(rows, i, row)
		if (i < limit && items)
			json_array_append_new(items, broker_provider_view(&c->app->cfg, row));
	tree = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	if (tree && json_array_size(rows) > limit) {
		last = json_string_value(json_object_get(json_array_get(rows, limit - 1), "name"));
		if (!crypto_b64url_encode(last, strlen(last), after, sizeof(after)))
			json_object_set_new(tree, "next_cursor", json_string(after));
	}
	json_decref(rows);
	if (!tree)
		return OST_ERR_NOMEM;
	response_set(c->res, 200, tree, NULL);
	return OST_OK;
}

enum ost_err
api_providers_get(struct ctx *c)
{
	json_t *row = NULL, *view;
	enum ost_err err = store_provider_get(ctx_param_id(c, 0), c->params[1], &row);

	if (err)
		return err;
	view = broker_provider_view(&c->app->cfg, row);
	json_decref(row);
	if (!view)
		return OST_ERR_NOMEM;
	response_set(c->res, 200, view, NULL);
	return OST_OK;
}

enum ost_err
api_providers_create(struct ctx *c)
{
	struct field_error why = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_provider_create(&op, ctx_param_id(c, 0), c->input, &row, &why);
	return reply_change(c, err, 201, row, &why, 0);
}

enum ost_err
api_providers_update(struct ctx *c)
{
	struct field_error why = {0};
	long long version;
	int if_match;
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	ctx_op(c, &op);
	err = reg_provider_update(&op, ctx_param_id(c, 0), c->params[1], version, c->input, &row,
	    &why);
	return reply_change(c, err, 200, row, &why, if_match);
}

enum ost_err
api_providers_delete(struct ctx *c)
{
	struct field_error why = {0};
	struct op op;

	ctx_op(c, &op);
	return reply_change(c, reg_provider_delete(&op, ctx_param_id(c, 0), c->params[1], &why), 204,
	    NULL, &why, 0);
}

enum ost_err
api_company_connections_list(struct ctx *c)
{
	long long company = ctx_param_id(c, 0), after;
	json_t *rows = NULL, *items, *row, *tree;
	unsigned limit;
	size_t i;
	enum ost_err err;

	if (page_args_or_reply(c, &limit, &after))
		return OST_OK;
	if ((err = store_company_exists(company)) ||
	    (err = store_conn_list_company(company, after, limit + 1, &rows)))
		return err;
	items = json_array();
	json_array_foreach(rows, i, row)
		if (items)
			json_array_append_new(items, broker_conn_view(row));
	json_decref(rows);
	if (!items || !(tree = page_tree(items, limit)))
		return OST_ERR_NOMEM;
	response_set(c->res, 200, tree, NULL);
	return OST_OK;
}

enum ost_err
api_company_connections_delete(struct ctx *c)
{
	long long company = ctx_param_id(c, 0), id = ctx_param_id(c, 1);
	json_t *row = NULL;
	struct op op;
	enum ost_err err = store_conn_get(id, &row);

	if (!err && json_integer_value(json_object_get(row, "company_id")) != company)
		err = OST_ERR_NOT_FOUND;
	json_decref(row);
	ctx_op(c, &op);
	if (!err)
		err = broker_disconnect(&op, id);
	if (!err)
		response_set(c->res, 204, NULL, NULL);
	return err;
}
