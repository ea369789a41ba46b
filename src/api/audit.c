/* audit.c - GET /api/v1/audit: the audit log, newest first, with filters */
#include "api/handlers.h"

#include "http/face.h"

/* An entry as rows hold it (STMT_AUDIT_LIST), its details parsed and
 * shortened only when a page cut it (http/page_fit.c). */
static const char *const actor_types[] = {"admin", "app", "system", NULL};
static const struct field entry_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "at", .kind = FIELD_TIME},
	{.name = "actor_type", .kind = FIELD_ENUM, .choices = actor_types},
	{.name = "actor_id", .kind = FIELD_ID, .flags = FIELD_NULLABLE},
	{.name = "actor", .kind = FIELD_STRING},
	{.name = "action", .kind = FIELD_STRING},
	{.name = "object_type", .kind = FIELD_STRING},
	{.name = "object_id", .kind = FIELD_STRING},
	{.name = "address", .kind = FIELD_STRING},
	{.name = "request_id", .kind = FIELD_STRING},
	{.name = "details", .kind = FIELD_OBJECT, .help = "What changed, never a secret"},
	{.name = "shortened", .kind = FIELD_BOOL,
	    .help = "True when the entry was too large for a page on its own: the largest "
	            "values of details are cut short (ending in \u2026), and its last ones left "
	            "out if that was not enough"},
};
const struct field_table api_audit_row = FIELD_TABLE("AuditEntry", entry_fields);

/* The filters audit_page_or_reply reads (http/face.c): exact values. */
static const struct field filter_fields[] = {
	{.name = "object_type", .kind = FIELD_STRING, .max = 32,
	    .help = "Only entries about objects of this type (app, company, user ...)"},
	{.name = "object_id", .kind = FIELD_STRING, .max = 64,
	    .help = "Only entries about the object with this id"},
	{.name = "action", .kind = FIELD_STRING, .max = 64,
	    .help = "Only entries of this action (app.create ...)"},
	{.name = "actor_id", .kind = FIELD_ID, .help = "Only entries of what this person did"},
};
const struct field_table api_audit_filters = FIELD_TABLE("AuditFilters", filter_fields);

enum ost_err
api_audit_list(struct ctx *c)
{
	json_t *page;
	enum ost_err err = audit_page_or_reply(c, NULL, &page);

	if (err)
		return OST_OK; /* answered */
	response_set(c->res, 200, page, NULL);
	return OST_OK;
}
