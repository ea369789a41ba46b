/* server_vars.c - /api/v1/apps/{id}/server-variables: declared by the
 * application, filled by an administrator; secret values write-only */
#include "api/handlers.h"

#include <string.h>

#include "crypto/crypto.h"
#include "http/face.h"
#include "registry/server_vars.h"
#include "store/app_user.h"
#include "store/server_var.h"

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The reply to a change: ROW on success, else the error in the right words. */
static OST_MUST_CHECK enum ost_err
reply_change(struct ctx *c, enum ost_err err, int status, json_t *row,
    const struct field_error *ferr, int if_match)
{
	if (err == OST_ERR_INVALID)
		return reply_refusal(c, err, ferr);
	if (err == OST_ERR_CONFLICT) {
		if (status == 201)
			response_error(c->res, err, "A variable with this name exists already", "name");
		else
			response_error(c->res, if_match ? OST_ERR_PRECONDITION : OST_ERR_CONFLICT,
			    "Someone changed this since you read it: read it again and retry",
			    "version");
		return OST_OK;
	}
	if (err)
		return err;
	if (row)
		response_set(c->res, status, row, NULL);
	else
		response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}

enum ost_err
api_server_vars_list(struct ctx *c)
{
	const char *cur = request_field(c->req, "cursor");
	char after[96] = "";
	size_t n = 0;
	unsigned limit;
	json_t *rows, *tree, *last;
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
	    (err = store_server_var_list(ctx_param_id(c, 0), after, limit + 1, &rows)))
		return err;
	tree = json_pack("{s:o, s:n}", "items", rows, "next_cursor");
	if (tree && json_array_size(rows) > limit) {
		json_array_remove(rows, limit);
		last = json_array_get(rows, limit - 1);
		if ((err = crypto_b64url_encode(str(last, "name"), strlen(str(last, "name")), after,
		         sizeof(after)))) {
			json_decref(tree);
			return err;
		}
		json_object_set_new(tree, "next_cursor", json_string(after));
	}
	response_set(c->res, 200, tree, NULL);
	return OST_OK;
}

enum ost_err
api_server_vars_get(struct ctx *c)
{
	json_t *row;
	enum ost_err err = store_server_var_get(ctx_param_id(c, 0), c->params[1], &row);

	if (err)
		return err;
	response_set(c->res, 200, row, NULL);
	return OST_OK;
}

enum ost_err
api_server_vars_declare(struct ctx *c)
{
	struct field_error ferr = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_svar_declare(&op, ctx_param_id(c, 0), c->input, &row, &ferr);
	return reply_change(c, err, 201, row, &ferr, 0);
}

/* Shared by update and set: the version, then OP. */
static OST_MUST_CHECK enum ost_err
versioned(struct ctx *c,
    enum ost_err (*fn)(const struct op *, long long, const char *, long long, const json_t *,
        json_t **))
{
	struct field_error ferr = {0};
	long long version;
	int if_match;
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	ctx_op(c, &op);
	err = fn(&op, ctx_param_id(c, 0), c->params[1], version, c->input, &row);
	return reply_change(c, err, 200, row, &ferr, if_match);
}

enum ost_err
api_server_vars_update(struct ctx *c)
{
	return versioned(c, reg_svar_update);
}

enum ost_err
api_server_vars_set(struct ctx *c)
{
	return versioned(c, reg_svar_set);
}

enum ost_err
api_server_vars_delete(struct ctx *c)
{
	struct op op;

	ctx_op(c, &op);
	return reply_change(c, reg_svar_delete(&op, ctx_param_id(c, 0), c->params[1]), 204, NULL,
	    NULL, 0);
}
