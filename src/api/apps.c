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
	return resource_create_by(c, &reg_app_ops, "/api/v1/apps");
}

enum ost_err
api_apps_update(struct ctx *c)
{
	return resource_update_by(c, &reg_app_ops);
}

enum ost_err
api_apps_delete(struct ctx *c)
{
	return resource_delete_by(c, &reg_app_ops);
}

enum ost_err
api_apps_rotate_key(struct ctx *c)
{
	struct field_error why = {0};
	long long version = 0;
	int if_match = 0;
	struct op op;
	json_t *out = NULL;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	ctx_op(c, &op);
	err = reg_app_rotate(&op, ctx_param_id(c, 0), version, c->input, &out);
	/* a stale version: 409 (body) or 412 (If-Match), as an update */
	return resource_reply_update(c, err, out, if_match, &why);
}
