/* audit.c - GET /admin/audit: the audit log, newest first, with filters and pages */
#include "admin/handlers.h"
#include "admin/resource.h"

#include <string.h>

#include "core/buf.h"

static const char *const filter_names[][2] = {
	{"object_type", "Object type"},
	{"object_id", "Object id"},
	{"action", "Action"},
	{"actor_id", "Actor id"},
};
#define NFILTERS (sizeof(filter_names) / sizeof(filter_names[0]))

/* The filter controls holding the query's values; QUERY gets those given.
 * NULL on failure. */
static json_t *
audit_filters(const struct ctx *c, struct buf *query)
{
	json_t *list = json_array();
	const char *value;
	size_t i;
	enum ost_err err = OST_OK;

	for (i = 0; i < NFILTERS; i++) {
		value = json_string_value(json_object_get(c->req->query, filter_names[i][0]));
		json_array_append_new(list, json_pack("{s:s, s:s+, s:s, s:s}", "name",
		    filter_names[i][0], "id", "filter-", filter_names[i][0], "label",
		    filter_names[i][1], "value", value ? value : ""));
		if (value && *value && !err)
			err = admin_query_add(query, filter_names[i][0], value);
	}
	if (!err && (value = json_string_value(json_object_get(c->req->query, "limit"))))
		err = admin_query_add(query, "limit", value);
	if (err) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* One entry as the table shows it (details as JSON text); the page is cut
 * to what fits by the size of these (audit_page_or_reply). */
static json_t *
audit_row(const json_t *e)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "at",
	    admin_cell_text(json_object_get(e, "at")), "actor",
	    admin_cell_text(json_object_get(e, "actor")), "action",
	    admin_cell_text(json_object_get(e, "action")), "object_type",
	    admin_cell_text(json_object_get(e, "object_type")), "object_id",
	    admin_cell_text(json_object_get(e, "object_id")), "address",
	    admin_cell_text(json_object_get(e, "address")), "request_id",
	    admin_cell_text(json_object_get(e, "request_id")), "details",
	    admin_cell_text(json_object_get(e, "details")), "shortened",
	    json_is_true(json_object_get(e, "shortened")));
}

enum ost_err
admin_audit(struct ctx *c)
{
	json_t *page = NULL, *rows = json_array(), *tree, *e;
	const char *cursor;
	struct buf query;
	size_t i;
	enum ost_err err = rows ? audit_page_or_reply(c, audit_row, &page) : OST_ERR_NOMEM;

	if (err) {
		if (rows)
			err = OST_OK; /* audit_page_or_reply has answered */
		json_decref(rows);
		return err;
	}
	json_array_foreach(json_object_get(page, "items"), i, e)
		json_array_append_new(rows, audit_row(e));
	buf_init(&query, 2048);
	tree = json_pack("{s:s, s:o, s:o, s:o}", "title", "Audit log", "filter_action",
	    admin_href(c, "/admin/audit"), "filters", audit_filters(c, &query), "rows", rows);
	if (tree && (cursor = json_string_value(json_object_get(page, "next_cursor")))) {
		if (!(err = admin_query_add(&query, "cursor", cursor)))
			json_object_set_new(tree, "next_href", admin_href(c, "/admin/audit%s", query.p));
	}
	buf_free(&query);
	json_decref(page);
	if (!tree)
		return OST_ERR_NOMEM;
	if (err) {
		json_decref(tree);
		return err;
	}
	response_set(c->res, 200, tree, "audit");
	return OST_OK;
}
