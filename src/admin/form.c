/* form.c - console forms made from field tables: the fields a template
 * binds, a form body made whole, hrefs, cells, row actions and panels */
#include "admin/resource.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

#include "core/buf.h"

/* What the console shows for choice I of F: its label in the table, else
 * the value itself. */
static const char *
choice_label(const struct field *f, size_t i)
{
	return f->choice_labels && f->choice_labels[i] ? f->choice_labels[i] : f->choices[i];
}

json_t *
admin_href(const struct ctx *c, const char *fmt, ...)
{
	char path[REQUEST_PATH_MAX], full[2 * REQUEST_PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s%s", c->app->cfg.base_path, path);
	return json_string(full);
}

/* V as the text of a form control: lists one entry per line (SEP between
 * entries), objects as JSON (indented unless deep), null as "". A new string, NULL on
 * failure. */
static json_t *
value_text(const json_t *v, const char *sep)
{
	char num[32], *dumped;
	json_t *out, *e;
	size_t i;
	struct buf b;
	enum ost_err err = OST_OK;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return json_incref((json_t *)v);
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return json_string(num);
	case JSON_TRUE:
		return json_string("yes");
	case JSON_FALSE:
		return json_string("no");
	case JSON_ARRAY:
		buf_init(&b, 1024 * 1024);
		json_array_foreach(v, i, e) {
			if (i && (err = buf_adds(&b, sep)))
				break;
			dumped = json_is_string(e) ? NULL : json_dumps(e, JSON_ENCODE_ANY);
			err = buf_adds(&b, dumped ? dumped : json_string_value(e) ? json_string_value(e) : "");
			free(dumped);
			if (err)
				break;
		}
		out = err ? NULL : json_string(b.p ? b.p : "");
		buf_free(&b);
		return out;
	case JSON_OBJECT:
		/* indented while shallow: deep data stored before FIELD_DEPTH_MAX
		 * would indent quadratically (2046 levels: 8 MiB of blanks) */
		dumped = json_dumps(v, fields_nests_deeper(v, FIELD_DEPTH_MAX) ? JSON_COMPACT
		                                                              : JSON_INDENT(2));
		out = json_string(dumped ? dumped : "{}");
		free(dumped);
		return out;
	default:
		return json_string("");
	}
}

const char *
admin_text(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

json_t *
admin_cell_text(const json_t *v)
{
	if (json_is_object(v) && json_object_size(v) == 0)
		return json_string("");
	return value_text(v, ", ");
}

json_t *
admin_field_text(const struct field *f, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t i;

	for (i = 0; f && f->kind == FIELD_ENUM && s && f->choices && f->choices[i]; i++)
		if (strcmp(f->choices[i], s) == 0)
			return json_string(choice_label(f, i));
	return admin_cell_text(v);
}

/* Is V (a typed value or a form string) on? */
static int
is_on(const json_t *v)
{
	const char *s = json_string_value(v);

	if (json_is_boolean(v))
		return json_is_true(v);
	return s && (!strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "1") || !strcmp(s, "yes"));
}

/* Does list V (an array, or one form string) hold S? */
static int
holds(const json_t *v, const char *s)
{
	const json_t *e;
	size_t i;

	if (json_is_string(v))
		return strcmp(json_string_value(v), s) == 0;
	json_array_foreach(v, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), s) == 0)
			return 1;
	return 0;
}

/* The options of a select: CHOICES or REF's rows, SELECTED marked. */
static json_t *
select_options(const struct field *f, const struct admin_ref *ref, const char *selected)
{
	json_t *opts = json_array(), *names = NULL, *name;
	const char *const *ch;
	const char *key;

	if (f->flags & FIELD_NULLABLE)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "", "label",
		    "(none)", "selected", !*selected));
	for (ch = f->choices; f->kind == FIELD_ENUM && ch && *ch; ch++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", *ch, "label",
		    choice_label(f, (size_t)(ch - f->choices)), "selected", strcmp(*ch, selected) == 0));
	if (ref && ref->r && (names = admin_ref_names(ref->r)))
		admin_ref_keep(names, ref->r, selected);
	if (names)
		json_object_foreach(names, key, name)
			json_array_append_new(opts, json_pack("{s:s, s:O, s:b}", "value", key, "label",
			    name, "selected", strcmp(key, selected) == 0));
	json_decref(names);
	return opts;
}

/* The boxes of a list with CHOICES, those in V checked. */
static json_t *
choice_boxes(const struct field *f, const char *id, const json_t *v)
{
	json_t *boxes = json_array();
	const char *const *ch;
	char bid[160];

	for (ch = f->choices; ch && *ch; ch++) {
		snprintf(bid, sizeof(bid), "%s-%s", id, *ch);
		json_array_append_new(boxes, json_pack("{s:s, s:s, s:s, s:b}", "id", bid, "value", *ch,
		    "label", choice_label(f, (size_t)(ch - f->choices)), "checked", holds(v, *ch)));
	}
	return boxes;
}

/* A hint under the control, or NULL. */
static const char *
field_hint(const struct field *f, int boxes, int creating)
{
	if ((f->flags & FIELD_SECRET) && !creating)
		return "Leave empty to keep the current value.";
	if (f->kind == FIELD_STRINGS && !boxes)
		return "One entry per line.";
	if (f->kind == FIELD_OBJECT)
		return "A JSON object.";
	return NULL;
}

/* The control of F: its kind flags and value, into FIELD. */
static void
field_control(json_t *field, const struct field *f, const char *id, const json_t *v,
    const struct admin_ref *ref, int creating)
{
	json_t *text = value_text(v, "\n");
	int boxes = f->kind == FIELD_STRINGS && f->choices;
	int area = !boxes && (f->kind == FIELD_TEXT || f->kind == FIELD_STRINGS ||
	    f->kind == FIELD_OBJECT);
	int select = f->kind == FIELD_ENUM || (f->kind == FIELD_ID && ref && ref->r);
	int check = f->kind == FIELD_BOOL;
	const char *type = (f->flags & FIELD_SECRET) ? "password"
	    : f->kind == FIELD_EMAIL ? "email"
	    : (f->kind == FIELD_INT || f->kind == FIELD_ID) ? "number" : "text";

	if (f->flags & FIELD_SECRET) {
		json_decref(text);
		text = json_string("");
	}
	json_object_set_new(field, "input", json_boolean(!boxes && !area && !select && !check));
	json_object_set_new(field, "type", json_string(type));
	json_object_set_new(field, "area", json_boolean(area));
	json_object_set_new(field, "select", json_boolean(select));
	json_object_set_new(field, "check", json_boolean(check));
	json_object_set_new(field, "checked", json_boolean(check && is_on(v)));
	json_object_set_new(field, "boxes", boxes ? choice_boxes(f, id, v) : json_null());
	json_object_set_new(field, "options",
	    select ? select_options(f, ref, json_string_value(text)) : json_null());
	json_object_set_new(field, "label_first", json_boolean(!check && !boxes));
	json_object_set_new(field, "required", json_boolean((f->flags & FIELD_REQUIRED) &&
	    (creating || !(f->flags & FIELD_SECRET)) && !check && !boxes));
	json_object_set_new(field, "value", text);
	json_object_set_new(field, "hint", field_hint(f, boxes, creating)
	    ? json_string(field_hint(f, boxes, creating)) : json_null());
}

/* The value F shows: VALUES' own, else (a new item) its default. */
static json_t *
field_value(const struct field *f, const json_t *values)
{
	json_t *v = values ? json_object_get(values, f->name) : NULL;

	if (v)
		return json_incref(v);
	if (!values && f->dflt)
		return json_loads(f->dflt, JSON_DECODE_ANY, NULL);
	return NULL;
}

static const struct admin_ref *
ref_of(const struct admin_ref *refs, size_t nrefs, const char *name)
{
	size_t i;

	for (i = 0; i < nrefs; i++)
		if (strcmp(refs[i].field, name) == 0)
			return &refs[i];
	return NULL;
}

static int
named(const char *const *names, const char *name)
{
	if (!names)
		return 1;
	for (; *names; names++)
		if (strcmp(*names, name) == 0)
			return 1;
	return 0;
}

json_t *
admin_fields(const struct field *table, size_t n, const char *const *names,
    const json_t *values, const struct field_error *err, const char *prefix,
    const struct admin_ref *refs, size_t nrefs, int creating)
{
	json_t *list = json_array(), *field, *v;
	const struct field *f;
	char id[128];
	size_t i;

	for (i = 0; list && i < n; i++) {
		f = &table[i];
		if (!named(names, f->name))
			continue;
		snprintf(id, sizeof(id), "%s%s", prefix, f->name);
		field = json_pack("{s:s, s:s, s:s}", "name", f->name, "id", id, "label",
		    f->label ? f->label : f->name);
		if (!field)
			continue;
		json_object_set_new(field, "message",
		    err && err->field && strcmp(err->field, f->name) == 0 ? json_string(err->message)
		                                                          : json_null());
		v = field_value(f, values);
		field_control(field, f, id, v, ref_of(refs, nrefs, f->name), creating);
		json_decref(v);
		json_array_append_new(list, field);
	}
	return list;
}

json_t *
admin_ref_names(const struct resource *r)
{
	json_t *rows = NULL, *names = json_object(), *row;
	char key[24];
	size_t i;

	if (!names || !r || store_resource_list(r, NULL, 0, 200, &rows)) {
		json_decref(rows);
		return names;
	}
	json_array_foreach(rows, i, row) {
		snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(row, "id")));
		json_object_set(names, key, json_object_get(row, "name"));
	}
	json_decref(rows);
	return names;
}

void
admin_ref_keep(json_t *names, const struct resource *r, const char *selected)
{
	json_t *row = NULL, *name;
	char *end;
	long long id;

	if (!names || !selected || !*selected || json_object_get(names, selected))
		return;
	id = strtoll(selected, &end, 10);
	if (*end || id < 1 || *selected < '1' || *selected > '9')
		return; /* not an id as the list names them: nothing to keep */
	if (store_resource_get(r, id, &row) == OST_OK &&
	    json_is_string(name = json_object_get(row, "name")))
		json_object_set(names, selected, name);
	else
		json_object_set_new(names, selected, json_sprintf("#%lld", id));
	json_decref(row);
}

json_t *
admin_action(json_t *action, const char *label, int danger, json_t *hidden)
{
	json_t *fields = json_array(), *v;
	const char *key;

	json_object_foreach(hidden, key, v)
		json_array_append_new(fields, json_pack("{s:s, s:O}", "name", key, "value", v));
	json_decref(hidden);
	return json_pack("{s:o, s:s, s:s, s:o, s:n}", "action", action, "label", label, "class",
	    danger ? "danger" : "plain", "hidden", fields, "input");
}

void
admin_action_input(json_t *action, const char *id, const char *name, const char *label,
    const char *type)
{
	json_object_set_new(action, "input", json_pack("{s:s, s:s, s:s, s:s}", "id", id, "name",
	    name, "label", label, "type", type));
}

json_t *
admin_panel_fields(const struct ctx *c, const json_t *tree, const char *panel,
    const struct field *table, size_t n, const struct admin_ref *refs, size_t nrefs)
{
	const json_t *failed = json_object_get(tree, "panel_failed");
	const char *field = json_string_value(json_object_get(failed, "field"));
	const struct field *f = field ? fields_find(table, n, field) : NULL;
	struct field_error err = {.field = f ? f->name : NULL};
	int mine = json_is_string(json_object_get(failed, "id")) &&
	    strcmp(json_string_value(json_object_get(failed, "id")), panel) == 0;
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s-", panel);
	snprintf(err.message, sizeof(err.message), "%s",
	    mine ? json_string_value(json_object_get(failed, "message")) : "");
	return admin_fields(table, n, NULL, mine ? c->req->body : NULL, mine ? &err : NULL, prefix,
	    refs, nrefs, 1);
}

json_t *
admin_panel(const char *id, const char *title, const char *const *columns, const char *empty)
{
	json_t *cols = json_array();

	for (; columns && *columns; columns++)
		json_array_append_new(cols, json_string(*columns));
	return json_pack("{s:s, s:s, s:o, s:[], s:n, s:s, s:n}", "id", id, "title", title,
	    "columns", cols, "rows", "add", "empty", empty, "note");
}

void
admin_panel_form(json_t *panel, json_t *action, json_t *fields, const char *submit)
{
	json_object_set_new(panel, "add", json_pack("{s:o, s:o, s:s, s:[]}", "action", action,
	    "fields", fields, "submit", submit, "hidden"));
}

void
admin_panel_form_hidden(json_t *panel, const char *name, const json_t *value)
{
	json_t *text = value_text(value, "");

	json_array_append_new(json_object_get(json_object_get(panel, "add"), "hidden"),
	    json_pack("{s:s, s:o}", "name", name, "value", text ? text : json_string("")));
}

json_t *
admin_error_json(const struct field_error *err, const char *message)
{
	if (err)
		return json_pack("{s:s, s:s}", "message", err->message, "field",
		    err->field ? err->field : "");
	return json_pack("{s:s, s:s}", "message", message, "field", "");
}

enum ost_err
admin_query_add(struct buf *q, const char *name, const char *value)
{
	xmlChar *escaped = xmlURIEscapeStr(BAD_CAST value, BAD_CAST "");
	enum ost_err err;

	if (!escaped && *value) /* NULL for "" too */
		return OST_ERR_NOMEM;
	err = buf_addf(q, "%s%s=%s", q->len ? "&" : "?", name, escaped ? (const char *)escaped : "");
	xmlFree(escaped);
	return err;
}
