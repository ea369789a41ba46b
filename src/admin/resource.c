/* resource.c - the console pages of a resource table: list (filters, next
 * page), new, create, item (edit form, panels), update, delete */
#include "admin/resource.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "registry/resource.h"

#define ADMIN_QUERY_MAX 2048
#define ADMIN_HERE_MAX 1024 /* a list's query kept in its row actions' paths */

/* NOUN with its first letter upper-case, into OUT (N bytes). */
static const char *
capitalised(const char *noun, char *out, size_t n)
{
	snprintf(out, n, "%s", noun);
	out[0] = (char)toupper((unsigned char)out[0]);
	return out;
}

static const struct admin_ref *
view_ref(const struct admin_view *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nrefs; i++)
		if (strcmp(v->refs[i].field, name) == 0)
			return &v->refs[i];
	return NULL;
}

/* The label of column NAME. */
static const char *
column_label(const struct admin_view *v, const char *name)
{
	const struct field *f = fields_find(v->r->fields, v->r->nfields, name);

	if (f && f->label)
		return f->label;
	if (strcmp(name, "id") == 0)
		return "Id";
	if (strcmp(name, "created_at") == 0)
		return "Created";
	if (strcmp(name, "updated_at") == 0)
		return "Updated";
	return name;
}

/* ---- the list page ---- */

/* One filter control of the list page, holding the query's value. */
static json_t *
filter_field(const struct ctx *c, const struct admin_view *v, const struct resource_filter *rf)
{
	const char *value = json_string_value(json_object_get(c->req->query, rf->name));
	const struct admin_ref *ref = view_ref(v, rf->name);
	json_t *f, *opts = NULL, *names, *name;
	const char *key;
	char label[160];

	value = value ? value : "";
	if (rf->kind == FILTER_CONTAINS)
		snprintf(label, sizeof(label), "%s contains", column_label(v, rf->name));
	else
		snprintf(label, sizeof(label), "%s", ref && ref->title ? ref->title : column_label(v, rf->name));
	if (ref || rf->kind == FILTER_BOOL) {
		opts = json_pack("[{s:s, s:s, s:b}]", "value", "", "label", "(any)", "selected", !*value);
		names = ref ? admin_ref_names(ref->r)
		            : json_pack("{s:s, s:s}", "true", "yes", "false", "no");
		if (ref)
			admin_ref_keep(names, ref->r, value);
		json_object_foreach(names, key, name)
			json_array_append_new(opts, json_pack("{s:s, s:O, s:b}", "value", key, "label",
			    name, "selected", strcmp(key, value) == 0));
		json_decref(names);
	}
	f = json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", rf->name, "label", label, "value", value,
	    "type", rf->kind == FILTER_ID ? "number" : "search", "options", opts ? opts : json_null());
	if (f)
		json_object_set_new(f, "id", json_sprintf("filter-%s", rf->name));
	return f;
}

/* The filter controls of V. NULL on failure. */
static json_t *
list_filters(const struct ctx *c, const struct admin_view *v)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < v->r->nfilters; i++)
		json_array_append_new(list, filter_field(c, v, &v->r->filters[i]));
	return list;
}

/* Append to Q the query of the list as the request has it: V's filters
 * and the limit, and the cursor too when CURSOR. */
static OST_MUST_CHECK enum ost_err
kept_query(const struct ctx *c, const struct admin_view *v, int cursor, struct buf *q)
{
	static const char *const paging[] = {"limit", "cursor"};
	const char *value;
	size_t i;
	enum ost_err err = OST_OK;

	for (i = 0; !err && i < v->r->nfilters; i++) {
		value = json_string_value(json_object_get(c->req->query, v->r->filters[i].name));
		if (value && *value)
			err = admin_query_add(q, v->r->filters[i].name, value);
	}
	for (i = 0; !err && i < (cursor ? 2u : 1u); i++)
		if ((value = json_string_value(json_object_get(c->req->query, paging[i]))))
			err = admin_query_add(q, paging[i], value);
	return err;
}

/* Into HERE (a buf of ADMIN_HERE_MAX), the query that shows the list's
 * page again, which a row action keeps so that the list comes back as it
 * was; empty when it would not fit. Returns its text. */
static const char *
kept_here(const struct ctx *c, const struct admin_view *v, struct buf *here)
{
	buf_init(here, ADMIN_HERE_MAX);
	if (kept_query(c, v, 1, here))
		buf_reset(here);
	return here->p ? here->p : "";
}

/* What ITEM is called on a page: its name, else its email, else #id. */
static json_t *
item_name(const json_t *item)
{
	const char *name = json_string_value(json_object_get(item, "name"));

	if (!name)
		name = json_string_value(json_object_get(item, "email"));
	return name ? json_string(name)
	            : json_sprintf("#%" JSON_INTEGER_FORMAT,
	                  json_integer_value(json_object_get(item, "id")));
}

/* The actions of ITEM's row: Edit (its page) and Delete (a form asking to
 * confirm, keeping the list's query HERE), named after the item for those
 * who hear the page. */
static json_t *
row_actions(const struct ctx *c, const struct admin_view *v, const json_t *item,
    const char *here)
{
	long long id = json_integer_value(json_object_get(item, "id"));
	json_t *name = item_name(item), *a;

	a = json_pack("{s:o, s:o, s:o, s:o}", "edit", admin_href(c, "%s/%lld", v->path, id),
	    "edit_name", json_sprintf("Edit %s", admin_text(name)), "delete",
	    admin_href(c, "%s/%lld/delete%s", v->path, id, here), "delete_name",
	    json_sprintf("Delete %s", admin_text(name)));
	json_decref(name);
	return a;
}

/* One row of the list: its cells, the first linking to the item; choices
 * by their labels; its actions when V has them (keeping the query HERE). */
static json_t *
list_row(const struct ctx *c, const struct admin_view *v, const json_t *item, json_t *refnames,
    const char *here)
{
	json_t *cells = json_array(), *cell, *val, *names, *row;
	const char *const *col;
	char key[24];
	long long id = json_integer_value(json_object_get(item, "id"));

	for (col = v->columns; col && *col; col++) {
		val = json_object_get(item, *col);
		names = json_object_get(refnames, *col);
		if (names && json_is_integer(val)) {
			snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT, json_integer_value(val));
			cell = json_pack("{s:O?}", "text", json_object_get(names, key));
			if (cell && json_is_null(json_object_get(cell, "text")))
				json_object_set_new(cell, "text", json_string(key));
		} else
			cell = json_pack("{s:o}", "text",
			    admin_field_text(fields_find(v->r->fields, v->r->nfields, *col), val));
		if (cell)
			json_object_set_new(cell, "href", col == v->columns
			    ? admin_href(c, "%s/%lld", v->path, id) : json_null());
		json_array_append_new(cells, cell);
	}
	row = json_pack("{s:o}", "cells", cells);
	if (row && v->row_actions)
		json_object_set_new(row, "actions", row_actions(c, v, item, here));
	return row;
}

/* The rows of PAGE's items, as list_row makes them. */
static json_t *
list_rows(const struct ctx *c, const struct admin_view *v, const json_t *page, const char *here)
{
	json_t *rows = json_array(), *refnames = json_object(), *item;
	size_t i;

	for (i = 0; i < v->nrefs; i++)
		json_object_set_new(refnames, v->refs[i].field, admin_ref_names(v->refs[i].r));
	json_array_foreach(json_object_get(page, "items"), i, item)
		json_array_append_new(rows, list_row(c, v, item, refnames, here));
	json_decref(refnames);
	return rows;
}

/* The list page of V with STATUS; EXTRA's keys (stolen, may be NULL) are
 * added to its tree: a refusal ("error") or a question ("confirm"). */
static OST_MUST_CHECK enum ost_err
list_page(struct ctx *c, const struct admin_view *v, int status, json_t *extra)
{
	json_t *page = NULL, *tree, *cols = json_array();
	const char *const *col;
	const char *cursor;
	struct buf query, here;
	enum ost_err err = cols ? list_or_reply(c, v->r, &page) : OST_ERR_NOMEM;

	if (err) {
		if (cols)
			err = OST_OK; /* list_or_reply has answered */
		json_decref(cols);
		json_decref(extra);
		return err;
	}
	for (col = v->columns; col && *col; col++)
		json_array_append_new(cols, json_string(column_label(v, *col)));
	buf_init(&query, ADMIN_QUERY_MAX);
	err = kept_query(c, v, 0, &query);
	tree = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "title", v->title,
	    "heading", v->title, "new_href", admin_href(c, "%s/new", v->path), "filter_action",
	    admin_href(c, "%s", v->path), "filters", list_filters(c, v), "columns", cols,
	    "rows", list_rows(c, v, page, kept_here(c, v, &here)), "new_label",
	    json_sprintf("New %s", v->noun), "row_actions", v->row_actions);
	buf_free(&here);
	if (!err && tree && (cursor = json_string_value(json_object_get(page, "next_cursor")))) {
		if (!(err = admin_query_add(&query, "cursor", cursor)))
			json_object_set_new(tree, "next_href",
			    admin_href(c, "%s%s", v->path, query.p ? query.p : ""));
	}
	if (tree && request_field(c->req, "deleted"))
		json_object_set_new(tree, "notice", json_sprintf("The %s was deleted.", v->noun));
	if (tree && extra && json_object_update(tree, extra))
		err = OST_ERR_NOMEM;
	json_decref(extra);
	buf_free(&query);
	json_decref(page);
	if (!tree)
		return OST_ERR_NOMEM;
	if (err) {
		json_decref(tree);
		return err;
	}
	response_set(c->res, status, tree, "resource_list");
	return OST_OK;
}

enum ost_err
admin_list(struct ctx *c, const struct admin_view *v)
{
	return list_page(c, v, 200, NULL);
}

/* ---- forms ---- */

/* The groups of V's form holding VALUES, ERR's message by its field. */
static json_t *
form_groups(const struct admin_view *v, const json_t *values, const struct field_error *err,
    int creating)
{
	json_t *groups = json_array();
	size_t i;

	if (!v->groups) {
		json_array_append_new(groups, json_pack("{s:s, s:n, s:o}", "id", "fields", "title",
		    "fields", admin_fields(v->r->fields, v->r->nfields, NULL, values, err, "f-",
		    v->refs, v->nrefs, creating)));
		return groups;
	}
	for (i = 0; i < v->ngroups; i++)
		json_array_append_new(groups, json_pack("{s:s, s:s, s:o}", "id", v->groups[i].id,
		    "title", v->groups[i].title, "fields", admin_fields(v->r->fields, v->r->nfields,
		    v->groups[i].fields, values, err, "f-", v->refs, v->nrefs, creating)));
	return groups;
}

/* The tabs of a page: its form's groups (when several), then its panels. */
static json_t *
page_tabs(const json_t *groups, const json_t *panels)
{
	json_t *tabs = json_array(), *g;
	size_t i;

	json_array_foreach(groups, i, g)
		if (json_array_size(groups) > 1)
			json_array_append_new(tabs, json_pack("{s:s+, s:O}", "href", "#",
			    json_string_value(json_object_get(g, "id")), "label", json_object_get(g, "title")));
	json_array_foreach(panels, i, g)
		json_array_append_new(tabs, json_pack("{s:s+, s:O}", "href", "#",
		    json_string_value(json_object_get(g, "id")), "label", json_object_get(g, "title")));
	if (json_array_size(tabs) < 2) {
		json_decref(tabs);
		return json_null();
	}
	return tabs;
}

/* Where the page's "back" link goes: the parent item, else the list. */
static json_t *
back_link(const struct ctx *c, const struct admin_view *v, const json_t *row, long long parent)
{
	const char *pfield = v->r->nfilters ? v->r->filters[0].name : NULL;

	if (v->parent_path && row && pfield)
		parent = json_integer_value(json_object_get(row, pfield));
	if (v->parent_path && parent > 0)
		return json_pack("{s:o, s:s}", "href", admin_href(c, "%s/%lld", v->parent_path, parent),
		    "label", "Back");
	return json_pack("{s:o, s:s}", "href", admin_href(c, "%s", v->path), "label", v->title);
}

enum ost_err
admin_form_page(struct ctx *c, const struct admin_view *v, int status, const char *action,
    const json_t *values, const struct field_error *err)
{
	long long parent = v->parent_path && ctx_nparams(c) > 0 ? ctx_param_id(c, 0) : 0;
	char title[96];
	json_t *tree, *groups = form_groups(v, values, err, 1);

	snprintf(title, sizeof(title), "New %s", v->noun);
	tree = json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:s+, s:n, s:o}, s:n, s:n, s:o}", "title",
	    title, "heading", title, "back", back_link(c, v, NULL, parent), "error",
	    err ? admin_error_json(err, NULL) : json_null(), "form", "action",
	    admin_href(c, "%s", action), "submit", "Create ", v->noun, "version", "groups",
	    json_incref(groups), "delete", "panels", "tabs", page_tabs(groups, NULL));
	json_decref(groups);
	if (!tree)
		return OST_ERR_NOMEM;
	response_set(c->res, status, tree, "resource");
	return OST_OK;
}

enum ost_err
admin_item_page(struct ctx *c, const struct admin_view *v, int status, const json_t *row,
    const json_t *values, const struct field_error *err, const char *message, json_t *extra)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	const char *name = json_string_value(json_object_get(row, "name"));
	const char *email = json_string_value(json_object_get(row, "email"));
	char noun[64];
	json_t *tree, *title, *groups = form_groups(v, values ? values : row, err, 0);
	enum ost_err e = OST_OK;

	/* a name of 100 characters is up to 400 bytes: not a fixed buffer, which
	 * would cut it, maybe inside a character */
	title = json_sprintf("%s %s", capitalised(v->noun, noun, sizeof(noun)),
	    name ? name : email ? email : "");
	tree = json_pack("{s:O, s:O, s:o, s:o, s:{s:o, s:s+, s:O, s:o}, s:{s:o, s:s+}, s:[]}",
	    "title", title, "heading", title, "back", back_link(c, v, row, 0), "error",
	    err || message ? admin_error_json(err, message) : json_null(), "form", "action",
	    admin_href(c, "%s/%lld", v->path, id), "submit", "Save ", v->noun, "version",
	    json_object_get(row, "version"), "groups", json_incref(groups), "delete", "action",
	    admin_href(c, "%s/%lld/delete", v->path, id), "label", "Delete ", v->noun, "panels");
	json_decref(title);
	if (tree && extra)
		json_object_update(tree, extra);
	json_decref(extra);
	if (tree && v->panels)
		e = v->panels(c, row, tree);
	if (tree)
		json_object_del(tree, "panel_failed");
	if (tree && !e) {
		json_object_set_new(tree, "tabs", page_tabs(groups, json_object_get(tree, "panels")));
		if (!json_object_get(tree, "notice") && request_field(c->req, "saved"))
			json_object_set_new(tree, "notice", json_string("Saved."));
	}
	json_decref(groups);
	if (!tree || e) {
		json_decref(tree);
		return e ? e : OST_ERR_NOMEM;
	}
	response_set(c->res, status, tree, "resource");
	return OST_OK;
}

enum ost_err
admin_panel_refused(struct ctx *c, const struct admin_view *v, const json_t *row,
    const char *panel, const struct field_error *err, int status)
{
	return admin_item_page(c, v, status, row, NULL, NULL, err->message, json_pack(
	    "{s:{s:s, s:s?, s:s}}", "panel_failed", "id", panel, "field", err->field, "message",
	    err->message));
}

/* ---- the handlers ---- */

int
admin_refusal_status(enum ost_err err)
{
	return err == OST_ERR_FORBIDDEN ? 403 : err == OST_ERR_CONFLICT ? 409 : 400;
}

enum ost_err
admin_new(struct ctx *c, const struct admin_view *v)
{
	char action[REQUEST_PATH_MAX];
	size_t n = strlen(c->req->path);

	/* the form posts where it came from, less "/new" */
	snprintf(action, sizeof(action), "%.*s", (int)(n > 4 ? n - 4 : n), c->req->path);
	return admin_form_page(c, v, 200, action, NULL, NULL);
}

enum ost_err
admin_create(struct ctx *c, const struct admin_view *v)
{
	long long parent = v->parent_path && ctx_nparams(c) > 0 ? ctx_param_id(c, 0) : 0;
	struct field_error ferr = {0};
	char path[REQUEST_PATH_MAX];
	struct op op;
	json_t *row = NULL;
	enum ost_err err = OST_OK;

	ctx_op(c, &op);
	if (c->input_refused) {
		ferr = c->input_error;
		err = OST_ERR_INVALID;
	} else
		err = v->ops ? v->ops->create(&op, c->input, &row, &ferr)
		             : reg_create(&op, v->r, parent, c->input, &row, &ferr);
	if (err == OST_ERR_CONFLICT && !ferr.message[0])
		snprintf(ferr.message, sizeof(ferr.message), "It would duplicate an existing %s, or "
		    "refers to something that does not exist.", v->noun);
	if (err == OST_ERR_INVALID || err == OST_ERR_CONFLICT || err == OST_ERR_FORBIDDEN)
		return admin_form_page(c, v, admin_refusal_status(err), c->req->path, c->req->body,
		    &ferr);
	if (err)
		return err;
	if (parent > 0) /* a nested item is shown on its parent's page */
		snprintf(path, sizeof(path), "%s/%lld?saved=1", v->parent_path, parent);
	else
		snprintf(path, sizeof(path), "%s/%" JSON_INTEGER_FORMAT, v->path,
		    json_integer_value(json_object_get(row, "id")));
	err = v->created ? v->created(c, v, row) : response_redirect(c->res, &c->app->cfg, path);
	json_decref(row);
	return err;
}

/* The row the route's last parameter names. */
static OST_MUST_CHECK enum ost_err
route_row(struct ctx *c, const struct admin_view *v, json_t **row)
{
	return store_resource_get(v->r, ctx_param_id(c, ctx_nparams(c) - 1), row);
}

enum ost_err
admin_show(struct ctx *c, const struct admin_view *v)
{
	json_t *row;
	enum ost_err err = route_row(c, v, &row);

	if (err)
		return err;
	err = admin_item_page(c, v, 200, row, NULL, NULL, NULL, NULL);
	json_decref(row);
	return err;
}

/* The item page again after a refused update: 400 with the values typed,
 * or 409 with the current row. */
static OST_MUST_CHECK enum ost_err
update_refused(struct ctx *c, const struct admin_view *v, enum ost_err err, json_t *current,
    json_t *latest, const struct field_error *ferr)
{
	json_t *values = json_deep_copy(current);
	char msg[FIELD_MSG_MAX];

	if (err == OST_ERR_INVALID || err == OST_ERR_FORBIDDEN) {
		json_object_update(values, c->req->body);
		err = admin_item_page(c, v, admin_refusal_status(err), current, values, ferr, NULL,
		    NULL);
	} else if (latest) {
		snprintf(msg, sizeof(msg), "Someone else changed this %s since you opened it. Its "
		    "current values are shown below: make your change again.", v->noun);
		err = admin_item_page(c, v, 409, latest, NULL, NULL, msg, NULL);
	} else {
		json_object_update(values, c->req->body);
		snprintf(msg, sizeof(msg), "It would duplicate an existing %s.", v->noun);
		err = admin_item_page(c, v, 409, current, values, ferr->message[0] ? ferr : NULL,
		    ferr->message[0] ? NULL : msg, NULL);
	}
	json_decref(values);
	return err;
}

enum ost_err
admin_update(struct ctx *c, const struct admin_view *v)
{
	struct field_error ferr = {0};
	long long version = 0, id = ctx_param_id(c, ctx_nparams(c) - 1);
	int if_match = 0;
	char path[REQUEST_PATH_MAX];
	struct op op;
	json_t *current, *row = NULL;
	enum ost_err err = route_row(c, v, &current);

	if (err)
		return err;
	if (version_or_reply(c, &version, &if_match)) {
		err = admin_item_page(c, v, 400, current, NULL, NULL,
		    "The form lost its version: open the page again.", NULL);
		json_decref(current);
		return err;
	}
	ctx_op(c, &op);
	if (c->input_refused) {
		ferr = c->input_error;
		err = OST_ERR_INVALID;
	} else
		err = v->ops ? v->ops->update(&op, id, version, c->input, &row, &ferr)
		             : reg_update(&op, v->r, id, version, c->input, &row, &ferr);
	if (err == OST_ERR_INVALID || err == OST_ERR_CONFLICT || err == OST_ERR_FORBIDDEN)
		err = update_refused(c, v, err, current, row, &ferr);
	else if (!err) {
		snprintf(path, sizeof(path), "%s/%" JSON_INTEGER_FORMAT "?saved=1", v->path,
		    json_integer_value(json_object_get(row, "id")));
		err = response_redirect(c->res, &c->app->cfg, path);
	}
	json_decref(row);
	json_decref(current);
	return err;
}

/* Does the form's body (never the query) hold NAME = VALUE? */
static int
body_says(const struct ctx *c, const char *name, const char *value)
{
	const char *s = json_string_value(json_object_get(c->req->body, name));

	return s && strcmp(s, value) == 0;
}

/* The list again (as the query HERE shows it), asking whether to delete
 * ROW: a form that posts the delete once more, confirmed. */
static OST_MUST_CHECK enum ost_err
list_confirm(struct ctx *c, const struct admin_view *v, const json_t *row, const char *here)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	json_t *name = item_name(row), *ask;

	ask = json_pack("{s:{s:o, s:o, s:o, s:o}}", "confirm", "question",
	    json_sprintf("Delete the %s \"%s\"? This cannot be undone.", v->noun,
	        admin_text(name)),
	    "action", admin_href(c, "%s/%lld/delete%s", v->path, id, here), "label",
	    json_sprintf("Yes, delete %s", admin_text(name)), "cancel",
	    admin_href(c, "%s%s", v->path, here));
	json_decref(name);
	return ask ? list_page(c, v, 200, ask) : OST_ERR_NOMEM;
}

/* The list again after the delete of ROW was refused (ERR, FERR). */
static OST_MUST_CHECK enum ost_err
list_refused(struct ctx *c, const struct admin_view *v, const json_t *row, enum ost_err err,
    const struct field_error *ferr)
{
	json_t *name = item_name(row), *refusal;

	refusal = json_pack("{s:{s:o}}", "error", "message", json_sprintf("The %s \"%s\" was not "
	    "deleted. %s", v->noun, admin_text(name), ferr->message[0] ? ferr->message
	    : v->in_use ? v->in_use : "Other objects still refer to it: remove them first."));
	json_decref(name);
	return refusal ? list_page(c, v, admin_refusal_status(err), refusal) : OST_ERR_NOMEM;
}

/* Back to the list as the query HERE shows it, saying the item went. */
static OST_MUST_CHECK enum ost_err
list_deleted(struct ctx *c, const struct admin_view *v, struct buf *here)
{
	json_t *to;
	enum ost_err err = admin_query_add(here, "deleted", "1");

	if (err) { /* too long with it: the list's first page then */
		buf_reset(here);
		if ((err = admin_query_add(here, "deleted", "1")))
			return err;
	}
	to = json_sprintf("%s%s", v->path, here->p);
	err = to ? response_redirect(c->res, &c->app->cfg, json_string_value(to)) : OST_ERR_NOMEM;
	json_decref(to);
	return err;
}

/* A delete from a row of the list (V has row actions): the list asking to
 * confirm until the form says confirm=yes; then the delete, and the list
 * as it was with its notice, or with the refusal on top. */
static OST_MUST_CHECK enum ost_err
list_delete(struct ctx *c, const struct admin_view *v, const json_t *row)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	struct field_error ferr = {0};
	struct buf here;
	struct op op;
	enum ost_err err;

	kept_here(c, v, &here);
	if (!body_says(c, "confirm", "yes"))
		err = list_confirm(c, v, row, here.p ? here.p : "");
	else {
		ctx_op(c, &op);
		err = v->ops ? v->ops->del(&op, id, &ferr) : reg_delete(&op, v->r, id);
		if (err == OST_ERR_CONFLICT || err == OST_ERR_FORBIDDEN)
			err = list_refused(c, v, row, err, &ferr);
		else if (!err)
			err = list_deleted(c, v, &here);
	}
	buf_free(&here);
	return err;
}

enum ost_err
admin_delete(struct ctx *c, const struct admin_view *v)
{
	struct field_error ferr = {0};
	const char *pfield = v->r->nfilters ? v->r->filters[0].name : NULL;
	char path[REQUEST_PATH_MAX];
	struct op op;
	json_t *row;
	long long id;
	enum ost_err err = route_row(c, v, &row);

	if (err)
		return err;
	if (v->row_actions && body_says(c, "from", "list")) {
		err = list_delete(c, v, row);
		json_decref(row);
		return err;
	}
	ctx_op(c, &op);
	id = json_integer_value(json_object_get(row, "id"));
	err = v->ops ? v->ops->del(&op, id, &ferr) : reg_delete(&op, v->r, id);
	if (err == OST_ERR_CONFLICT || err == OST_ERR_FORBIDDEN)
		err = admin_item_page(c, v, admin_refusal_status(err), row, NULL, NULL,
		    ferr.message[0] ? ferr.message : v->in_use ? v->in_use
		    : "Other objects still refer to it: remove them first.", NULL);
	else if (!err && v->parent_path && pfield) {
		snprintf(path, sizeof(path), "%s/%" JSON_INTEGER_FORMAT, v->parent_path,
		    json_integer_value(json_object_get(row, pfield)));
		err = response_redirect(c->res, &c->app->cfg, path);
	} else if (!err) {
		snprintf(path, sizeof(path), "%s?deleted=1", v->path);
		err = response_redirect(c->res, &c->app->cfg, path);
	}
	json_decref(row);
	return err;
}
