/* health.c - GET /healthz: is this worker able to serve (database reachable)? */
#include "api/handlers.h"

#include "version.h"
#include "store/db.h"

static const char *const ok[] = {"ok", NULL};
static const struct field health_fields[] = {
	{.name = "status", .kind = FIELD_ENUM, .choices = ok},
	{.name = "database", .kind = FIELD_ENUM, .choices = ok},
	{.name = "version", .kind = FIELD_STRING},
};
const struct field_table api_health_answer = FIELD_TABLE("Health", health_fields);

enum ost_err
api_health(struct ctx *c)
{
	enum ost_err err = db_ping();

	if (err)
		return err == OST_ERR_DB_UNAVAILABLE ? err : OST_ERR_DB_UNAVAILABLE;
	response_set(c->res, 200,
	    json_pack("{s:s, s:s, s:s}", "status", "ok", "database", "ok", "version", OST_VERSION),
	    NULL);
	return OST_OK;
}
