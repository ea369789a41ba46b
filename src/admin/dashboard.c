/* dashboard.c - GET /admin/: who is signed in, the server's and the schema's versions */
#include "admin/handlers.h"

#include "store/migrate.h"
#include "version.h"

enum ost_err
admin_dashboard(struct ctx *c)
{
	long long schema = 0;
	enum ost_err err;

	if (!(c->who.roles & ROLES_ANY)) /* a member of a company: their view */
		return admin_my(c);
	if ((err = store_schema_version(&schema)))
		return err;
	response_set(c->res, 200,
	    json_pack("{s:s, s:s, s:I}", "title", "Dashboard", "version", OST_VERSION,
	        "schema_version", (json_int_t)schema),
	    "dashboard");
	return OST_OK;
}
