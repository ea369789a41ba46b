/* health.c - GET /healthz: is this worker able to serve (database reachable)? */
#include "api/handlers.h"

#include "version.h"
#include "store/db.h"

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
