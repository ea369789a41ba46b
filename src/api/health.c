/* health.c - GET /healthz: is this worker able to serve (database reachable)?
 * and is anything delivering events (the outbox's oldest pending age)? */
#include "api/handlers.h"

#include "version.h"
#include "store/db.h"
#include "store/event.h"

static const char *const ok[] = {"ok", NULL};
static const struct field health_fields[] = {
	{.name = "status", .kind = FIELD_ENUM, .choices = ok},
	{.name = "database", .kind = FIELD_ENUM, .choices = ok},
	{.name = "version", .kind = FIELD_STRING},
	{.name = "outbox_oldest_pending_seconds", .kind = FIELD_INT, .flags = FIELD_NULLABLE,
	    .help = "How long the oldest event not yet delivered has waited; null when none "
	    "waits (a growing age means no events dispatcher is delivering)"},
};
const struct field_table api_health_answer = FIELD_TABLE("Health", health_fields);

enum ost_err
api_health(struct ctx *c)
{
	enum ost_err err = db_ping();
	long long age = -1;

	if (err)
		return err == OST_ERR_DB_UNAVAILABLE ? err : OST_ERR_DB_UNAVAILABLE;
	if ((err = store_event_oldest_pending(&age)))
		return err;
	response_set(c->res, 200,
	    json_pack("{s:s, s:s, s:s, s:o}", "status", "ok", "database", "ok", "version", OST_VERSION,
	        "outbox_oldest_pending_seconds", age < 0 ? json_null() : json_integer(age)),
	    NULL);
	return OST_OK;
}
