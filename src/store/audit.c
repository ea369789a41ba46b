/* audit.c - the audit log: who changed what, when, from where */
#include "store/audit.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"

enum ost_err
store_audit_insert(const struct audit_entry *e)
{
	char *details = e->details ? json_dumps(e->details, JSON_COMPACT) : NULL;
	enum ost_err err;

	if (e->details && !details)
		return OST_ERR_NOMEM;
	err = db_exec(STMT_AUDIT_INSERT,
	    DB_ARGS(DB_S(e->actor_type), e->actor_id ? DB_I(e->actor_id) : (struct db_arg){0},
	        DB_S(e->actor), DB_S(e->action), DB_S(e->object_type), DB_S(e->object_id),
	        DB_S(e->address), DB_S(e->request_id), DB_S(details ? details : "{}")),
	    NULL, NULL);
	free(details);
	return err;
}

enum ost_err
store_audit_list(const struct audit_filter *f, long long before, unsigned limit, json_t **rows)
{
	enum ost_err err;
	json_t *row, *parsed;
	size_t i;

	err = db_rows(STMT_AUDIT_LIST,
	    DB_ARGS(DB_I(before), DB_I(before), DB_S(f->object_type), DB_S(f->object_type),
	        DB_S(f->object_id), DB_S(f->object_id), DB_S(f->action), DB_S(f->action),
	        DB_I(f->actor_id), DB_I(f->actor_id), DB_I(limit)),
	    rows);
	if (err)
		return err;
	json_array_foreach(*rows, i, row) {
		parsed = json_loads(json_string_value(json_object_get(row, "details")), 0, NULL);
		if (json_object_set_new(row, "details", parsed ? parsed : json_object()) ||
		    json_object_set_new(row, "shortened", json_false())) {
			json_decref(*rows);
			*rows = NULL;
			return OST_ERR_NOMEM;
		}
	}
	return OST_OK;
}
