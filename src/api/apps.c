/* apps.c - the JSON/XML handlers of /api/v1/apps: the identity sheet and
 * its key rotation */
#include "api/handlers.h"

#include "api/resource.h"
#include "registry/apps.h"

enum ost_err
api_apps_list(struct ctx *c)
{
	return resource_list(c, &reg_apps);
}

enum ost_err
api_apps_get(struct ctx *c)
{
	return resource_get(c, &reg_apps);
}

enum ost_err
api_apps_create(struct ctx *c)
{
	struct field_error why = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_app_create(&op, c->input, &row, &why);
	if (err == OST_ERR_INVALID || err == OST_ERR_CONFLICT)
		return reply_refusal(c, err, &why);
	if (err)
		return err;
	if ((err = response_location(c->res, &c->app->cfg, "/api/v1/apps/%lld",
	         (long long)json_integer_value(json_object_get(row, "id"))))) {
		json_decref(row);
		return err;
	}
	return resource_reply_row(c, 201, row);
}

enum ost_err
api_apps_update(struct ctx *c)
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
	err = reg_app_update(&op, ctx_param_id(c, 0), version, c->input, &row, &why);
	return resource_reply_update(c, err, row, if_match, &why);
}

enum ost_err
api_apps_delete(struct ctx *c)
{
	struct field_error why = {0};
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_app_delete(&op, ctx_param_id(c, 0), &why);
	if (err == OST_ERR_CONFLICT)
		return reply_refusal(c, err, &why);
	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}

enum ost_err
api_apps_rotate_key(struct ctx *c)
{
	struct op op;
	json_t *out = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_app_rotate(&op, ctx_param_id(c, 0), c->input, &out)))
		return err;
	response_set(c->res, 200, out, NULL);
	return OST_OK;
}
