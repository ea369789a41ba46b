/* resource.h - the console over a resource table: list, new, create, show,
 * update and delete pages, and the form and panel helpers custom pages share */
#ifndef OST_ADMIN_RESOURCE_H
#define OST_ADMIN_RESOURCE_H

#include "http/face.h"
#include "http/routes.h"
#include "registry/op.h"
#include "registry/resource.h"
#include "store/resource.h"

/* A field offered as choices among the rows of R: a FIELD_ID field (or a
 * list filter) as a select. (A FIELD_STRINGS field with choices in its
 * table is shown as one box per choice.) */
struct admin_ref {
	const char *field;           /* "suite_id" */
	const struct resource *r;    /* whose rows (id, name) are the choices */
	const char *title;           /* what the rows are called: "Suites" */
};

/* One section of a form, shown as a tab of the page. */
struct admin_group {
	const char *id;            /* the anchor: "identity" */
	const char *title;         /* "Identity" */
	const char *const *fields; /* the field names it holds, NULL-terminated */
};

/* A console view of a resource. */
struct admin_view {
	const struct resource *r;
	const char *title;           /* "Suites": the list page's title */
	const char *path;            /* "/admin/suites": the list; PATH/{id} an item */
	const char *noun;            /* "suite": "New suite", "Delete suite" */
	const char *const *columns;  /* list columns (field names or "id"), NULL-terminated;
	                                the first links to the item */
	const struct admin_group *groups; /* NULL: one untitled group of every field */
	size_t ngroups;
	const struct admin_ref *refs; /* FIELD_ID fields and filters shown as selects */
	size_t nrefs;
	const char *in_use;          /* why a delete is refused while other rows refer to it */
	int row_actions;             /* each list row has Edit (its page) and Delete (asking
	                                to confirm, a refusal shown on the list) */
	const char *parent_path;     /* nested views: the parent's path ("/admin/suites"),
	                                the parent id being the row's first filter field */
	/* Adds the item page's panels (and notices) to TREE for ROW; NULL for none. */
	enum ost_err (*panels)(struct ctx *c, const json_t *row, json_t *tree);
	/* The operations when they are not reg_create, reg_update and reg_delete
	 * (NULL: those), given the validated form. On a refusal
	 * (OST_ERR_INVALID, OST_ERR_FORBIDDEN, OST_ERR_CONFLICT) they may say why;
	 * an update refused for a stale version sets its row to the current one. */
	const struct reg_ops *ops;
	/* Answers a create that succeeded with the new ROW (borrowed), instead
	 * of the redirect to its page; NULL for the redirect. */
	enum ost_err (*created)(struct ctx *c, const struct admin_view *v, const json_t *row);
};

/* The pages. Each sets the answer and returns OST_OK, or returns an error
 * for the dispatcher (OST_ERR_NOT_FOUND: no such item). The item's id is
 * the route's last path parameter; for a create under a parent
 * (POST /admin/suites/{id}/projects) the first one is the parent's. */
enum ost_err admin_list(struct ctx *c, const struct admin_view *v) OST_MUST_CHECK;   /* GET PATH */
enum ost_err admin_new(struct ctx *c, const struct admin_view *v) OST_MUST_CHECK;    /* GET PATH/new */
enum ost_err admin_create(struct ctx *c, const struct admin_view *v) OST_MUST_CHECK; /* POST PATH */
enum ost_err admin_show(struct ctx *c, const struct admin_view *v) OST_MUST_CHECK;   /* GET PATH/{id} */
enum ost_err admin_update(struct ctx *c, const struct admin_view *v) OST_MUST_CHECK; /* POST PATH/{id} */
enum ost_err admin_delete(struct ctx *c, const struct admin_view *v) OST_MUST_CHECK; /* POST PATH/{id}/delete */

/* admin_refusal_status - the HTTP status of a refused change: 403, 409 or 400. */
int admin_refusal_status(enum ost_err err);

/* admin_item_page - the item page of V for ROW (borrowed) with STATUS: its
 * form holding VALUES (borrowed; NULL: ROW's), ERR's message next to its
 * field (NULL: none), MESSAGE above the form (NULL: none); EXTRA's keys
 * (stolen, may be NULL) are added to the tree. */
enum ost_err admin_item_page(struct ctx *c, const struct admin_view *v, int status,
    const json_t *row, const json_t *values, const struct field_error *err,
    const char *message, json_t *extra) OST_MUST_CHECK;

/* admin_form_page - the form page of V that creates an item through ACTION
 * (a console path), with STATUS, VALUES (borrowed, NULL: the defaults) and
 * ERR (NULL: none). */
enum ost_err admin_form_page(struct ctx *c, const struct admin_view *v, int status,
    const char *action, const json_t *values, const struct field_error *err) OST_MUST_CHECK;

/* ---- form.c: forms made from field tables ---- */

/* admin_fields - a new list of form fields (as resource.html binds them)
 * for the fields of TABLE (N) named in NAMES (NULL-terminated; NULL: all),
 * holding VALUES (a row or a form body; NULL: the defaults), ERR's message
 * next to its field. PREFIX makes the element ids unique on the page. REFS
 * (NREFS) give the choices of FIELD_ID fields. CREATING shows secret fields
 * as required. FC (development mode, the caller) is the context of checks. */
json_t *admin_fields(const struct field *table, size_t n, const char *const *names,
    const json_t *values, const struct field_error *err, const char *prefix,
    const struct admin_ref *refs, size_t nrefs, int creating);

/* admin_href - a new JSON string: the base path + the console path made by
 * FMT (printf-style; only numbers and fixed text go in). */
json_t *admin_href(const struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* admin_query_add - append "?NAME=VALUE" (or "&…" when Q is not empty) to
 * the query Q, VALUE percent-encoded; on failure Q is left as it was. */
struct buf;
enum ost_err admin_query_add(struct buf *q, const char *name, const char *value) OST_MUST_CHECK;

/* admin_text - the string V, or "" when it is none. */
const char *admin_text(const json_t *v);

/* admin_cell_text - a new JSON string showing V in a table cell. */
json_t *admin_cell_text(const json_t *v);

/* admin_field_text - a new JSON string showing V, a value of field F (NULL:
 * none known), in a table cell: a choice by its label, else as
 * admin_cell_text. */
json_t *admin_field_text(const struct field *f, const json_t *v);

/* admin_ref_names - a new object id (as text) -> name of the rows of R (at
 * most 200; none when R is NULL), for selects and list cells. */
json_t *admin_ref_names(const struct resource *r);

/* admin_ref_keep - add to NAMES (admin_ref_names of R) the row whose id is
 * SELECTED (its text, as a form holds it) when the first rows left it out:
 * a select always offers the value the item holds, so that saving the form
 * never changes what the person did not choose. Nothing for "" or what is
 * no id. */
void admin_ref_keep(json_t *names, const struct resource *r, const char *selected);

/* admin_action - a new row action: a POST form to ACTION (stolen href) with
 * a button LABEL; DANGER styles it as destructive; HIDDEN (stolen, may be
 * NULL) is an object of extra hidden fields name -> value. */
json_t *admin_action(json_t *action, const char *label, int danger, json_t *hidden);

/* admin_action_input - give ACTION a visible input NAME labelled LABEL
 * (element id ID), of TYPE ("text", "password"). */
void admin_action_input(json_t *action, const char *id, const char *name, const char *label,
    const char *type);

/* admin_panel - a new page panel {id, title, columns, rows, add, empty}
 * with ID and TITLE; columns is a new array of COLUMNS (NULL-terminated). */
json_t *admin_panel(const char *id, const char *title, const char *const *columns,
    const char *empty);

/* admin_panel_form - the panel's add form posting to ACTION (stolen href)
 * with FIELDS (stolen) and the button SUBMIT. */
void admin_panel_form(json_t *panel, json_t *action, json_t *fields, const char *submit);

/* admin_panel_form_hidden - give the panel's form (admin_panel_form) a
 * hidden field NAME holding VALUE (borrowed; a number or a string). */
void admin_panel_form_hidden(json_t *panel, const char *name, const json_t *value);

/* admin_panel_fields - the fields of a panel's add form (see admin_fields):
 * when the page shows the refusal of that form (TREE's "panel_failed" names
 * PANEL), they hold the values typed and the message by its field. */
json_t *admin_panel_fields(const struct ctx *c, const json_t *tree, const char *panel,
    const struct field *table, size_t n, const struct admin_ref *refs, size_t nrefs);

/* admin_panel_refused - the item page of V for ROW again after the add form
 * of PANEL was refused (ERR, STATUS): the message on top and by the field. */
enum ost_err admin_panel_refused(struct ctx *c, const struct admin_view *v, const json_t *row,
    const char *panel, const struct field_error *err, int status) OST_MUST_CHECK;

/* admin_error_json - a new {message, field} of ERR (NULL: of MESSAGE). */
json_t *admin_error_json(const struct field_error *err, const char *message);

#endif
