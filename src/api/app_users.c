/* app_users.c - /api/v1/apps/{id}/users: people attached to an application */
#include "api/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "http/face.h"
#include "registry/app_users.h"
#include "store/app_user.h"
#include "store/resource.h"

/* The filters of the list: enabled, and a part of the email (a longer one
 * is not a filter). */
static const struct field filter_fields[] = {
	{.name = "enabled", .kind = FIELD_BOOL, .help = "Only the enabled (true) or disabled users"},
	{.name = "email", .kind = FIELD_STRING, .max = 100,
	    .help = "Only users whose email holds this text"},
};
const struct field_table api_app_users_filters = FIELD_TABLE("AppUserFilters", filter_fields);

enum ost_err
api_app_users_list(struct ctx *c)
{
	const char *enabled = request_field(c->req, "enabled"), *email = request_field(c->req, "email");
	long long app_id = ctx_param_id(c, 0), after;
	unsigned limit;
	json_t *rows;
	char *like;
	enum ost_err err;

	if (page_args_or_reply(c, &limit, &after))
		return OST_OK;
	if (enabled && strcmp(enabled, "true") && strcmp(enabled, "false")) {
		response_error(c->res, OST_ERR_INVALID, "use true or false", "enabled");
		return OST_OK;
	}
	if ((err = store_app_exists(app_id)))
		return err;
	if (!(like = store_like_pattern(email && strlen(email) <= 100 ? email : "")))
		return OST_ERR_NOMEM;
	err = store_app_user_list(app_id, after, enabled ? strcmp(enabled, "true") == 0 : -1,
	    email && strlen(email) <= 100 ? email : "", like, limit + 1, &rows);
	free(like);
	if (err)
		return err;
	response_set(c->res, 200, page_tree(rows, limit), NULL);
	return OST_OK;
}

enum ost_err
api_app_users_get(struct ctx *c)
{
	json_t *row;
	enum ost_err err = store_app_user_get(ctx_param_id(c, 0), ctx_param_id(c, 1), &row);

	if (err)
		return err;
	response_set(c->res, 200, row, NULL);
	return OST_OK;
}

enum ost_err
api_app_users_add(struct ctx *c)
{
	struct field_error ferr = {0};
	struct op op;
	json_t *row;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_app_user_add(&op, ctx_param_id(c, 0), c->input, &row, &ferr);
	if (err == OST_ERR_INVALID)
		return reply_refusal(c, err, &ferr);
	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, err, "This person is already a user of the application",
		    "email");
		return OST_OK;
	}
	if (err)
		return err;
	response_set(c->res, 201, row, NULL);
	return OST_OK;
}

enum ost_err
api_app_users_update(struct ctx *c)
{
	long long version;
	int if_match;
	struct op op;
	json_t *row;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	ctx_op(c, &op);
	err = reg_app_user_set_enabled(&op, ctx_param_id(c, 0), ctx_param_id(c, 1), version,
	    c->input, &row);
	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, if_match ? OST_ERR_PRECONDITION : OST_ERR_CONFLICT,
		    "Someone changed this since you read it: read it again and retry", "version");
		return OST_OK;
	}
	if (err)
		return err;
	response_set(c->res, 200, row, NULL);
	return OST_OK;
}

enum ost_err
api_app_users_remove(struct ctx *c)
{
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_app_user_remove(&op, ctx_param_id(c, 0), ctx_param_id(c, 1))))
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
