/* apps.c - the console pages of applications: the identity sheet in tabs,
 * API credentials (the key shown once), application users, server
 * variables, connection providers, events (their deliveries, resend, a test event, the signing
 * secret) */
#include "admin/app_tokens.h"
#include "admin/handlers.h"
#include "admin/resource.h"

#include <stdio.h>
#include <string.h>

#include "broker/providers.h"
#include "registry/app_users.h"
#include "registry/apps.h"
#include "registry/companies.h"
#include "registry/events.h"
#include "registry/server_vars.h"
#include "registry/suites.h"
#include "store/app_user.h"
#include "store/provider.h"
#include "store/event.h"
#include "store/server_var.h"

#define PANEL_ROWS 200 /* rows a panel shows */

static enum ost_err app_panels(struct ctx *c, const json_t *row, json_t *tree) OST_MUST_CHECK;
static enum ost_err app_created(struct ctx *c, const struct admin_view *v, const json_t *row)
    OST_MUST_CHECK;

static const char *const identity[] = {"name", "description", "icon_url", "app_group_id",
    "suite_id", "project_id", NULL};
static const char *const api[] = {"events_url", "allowed_ips", NULL};
static const char *const privileges[] = {"permissions", "capabilities", NULL};
static const char *const web[] = {"domain", "allowed_origins", "redirect_uris", NULL};
static const char *const authentication[] = {"authenticator", NULL};
static const char *const config[] = {"access_token_ttl", "refresh_token_ttl",
    "refresh_reuse_grace", NULL};
static const char *const keys[] = {"public_key_current", "public_key_previous", "certificate",
    NULL};
static const char *const properties[] = {"display", "properties", NULL};

static const struct admin_group app_groups[] = {
	{"identity", "Identity", identity},
	{"api", "API", api},
	{"privileges", "Privileges", privileges},
	{"web", "Web", web},
	{"authentication", "Authentication", authentication},
	{"config", "Config", config},
	{"keys", "Keys", keys},
	{"properties", "Properties", properties},
};
static const struct admin_ref app_refs[] = {
	{"suite_id", &reg_suites, "Suites"},
	{"project_id", &reg_projects, "Projects"},
	{"company_id", &reg_companies, "Companies"},
};
static const char *const app_columns[] = {"name", "suite_id", "project_id", "authenticator",
    "updated_at", NULL};

static const struct admin_view apps_view = {
	.r = &reg_apps,
	.title = "Applications",
	.path = "/admin/apps",
	.noun = "application",
	.columns = app_columns,
	.groups = app_groups,
	.ngroups = sizeof(app_groups) / sizeof(app_groups[0]),
	.refs = app_refs,
	.nrefs = sizeof(app_refs) / sizeof(app_refs[0]),
	.panels = app_panels,
	.ops = &reg_app_ops,
	.created = app_created,
	.row_actions = 1,
};


/* ---- panels ---- */

/* The public id, and the form that rotates the private key. */
static json_t *
credentials_panel(struct ctx *c, long long id, const json_t *row, const json_t *tree)
{
	json_t *panel = admin_panel("credentials", "API credentials", NULL, "");
	const char *until = json_string_value(json_object_get(row, "previous_key_expires_at"));

	json_object_set_new(panel, "note", json_sprintf("Public id: %s. The private API key is "
	    "shown only once, when it is made.%s%s", admin_text(json_object_get(row, "public_id")),
	    until ? " The previous key stays valid until " : "", until ? until : ""));
	admin_panel_form(panel, admin_href(c, "/admin/apps/%lld/rotate", id),
	    admin_panel_fields(c, tree, "credentials", reg_rotate_body.fields,
	        reg_rotate_body.n, NULL, 0),
	    "Rotate key");
	/* the rotation is made against the version shown */
	admin_panel_form_hidden(panel, "version", json_object_get(row, "version"));
	return panel;
}

/* One application user: enable or disable, remove. */
static json_t *
user_row(struct ctx *c, long long app, const json_t *u)
{
	long long uid = json_integer_value(json_object_get(u, "id"));
	int on = json_is_true(json_object_get(u, "enabled"));
	/* two names of 100 characters are up to 800 bytes: not a fixed buffer */
	json_t *name = json_sprintf("%s %s", admin_text(json_object_get(u, "first_name")),
	    admin_text(json_object_get(u, "last_name")));

	return json_pack("{s:[{s:O, s:n}, {s:o, s:n}, {s:s, s:n}], s:[o, o]}", "cells", "text",
	    json_object_get(u, "email"), "href", "text", name, "href", "text",
	    on ? "enabled" : "disabled", "href", "actions",
	    admin_action(admin_href(c, "/admin/apps/%lld/users/%lld/enabled", app, uid),
	        on ? "Disable" : "Enable", 0, json_pack("{s:s, s:O}", "enabled", on ? "false" : "true",
	        "version", json_object_get(u, "version"))),
	    admin_action(admin_href(c, "/admin/apps/%lld/users/%lld/remove", app, uid), "Remove", 1,
	        NULL));
}

static json_t *
users_panel(struct ctx *c, long long id, const json_t *tree, const json_t *rows,
    const json_t *app)
{
	static const char *const cols[] = {"Email", "Name", "State", NULL};
	json_t *panel = admin_panel("users", "Application Users", cols,
	    "This application has no users.");
	const json_t *u;
	size_t i;

	json_array_foreach(rows, i, u)
		json_array_append_new(json_object_get(panel, "rows"), user_row(c, id, u));
	admin_panel_form(panel, admin_href(c, "/admin/apps/%lld/users", id),
	    admin_panel_fields(c, tree, "users", reg_app_user_body.fields, reg_app_user_body.n,
	        NULL, 0), "Add user");
	json_object_set_new(panel, "generate", admin_app_generate(c, app, tree));
	return panel;
}

/* One server variable: its value ("set" / "not set" when secret), the form
 * that fills it, delete. */
static json_t *
variable_row(struct ctx *c, long long app, const json_t *v)
{
	const char *name = admin_text(json_object_get(v, "name"));
	int secret = json_is_true(json_object_get(v, "is_secret"));
	const json_t *is_set = json_object_get(v, "is_set");
	int set = json_is_true(is_set) || json_integer_value(is_set) != 0;
	json_t *fill, *value;
	char id[96], label[128];

	value = secret || !set ? json_string(set ? "set" : "not set")
	                       : admin_cell_text(json_object_get(v, "value"));
	fill = admin_action(admin_href(c, "/admin/apps/%lld/server-variables/%s/value", app, name),
	    "Set value", 0, json_pack("{s:O}", "version", json_object_get(v, "version")));
	snprintf(id, sizeof(id), "value-%s", name);
	snprintf(label, sizeof(label), "Value of %s", name);
	admin_action_input(fill, id, "value", label, secret ? "password" : "text");
	return json_pack("{s:[{s:s, s:n}, {s:O, s:n}, {s:s, s:n}, {s:o, s:n}], s:[o, o]}", "cells",
	    "text", name, "href", "text", json_object_get(v, "description"), "href", "text",
	    json_is_true(json_object_get(v, "is_required")) ? "required" : "optional", "href",
	    "text", value, "href", "actions", fill,
	    admin_action(admin_href(c, "/admin/apps/%lld/server-variables/%s/delete", app, name),
	        "Delete", 1, NULL));
}

static json_t *
variables_panel(struct ctx *c, long long id, const json_t *tree, const json_t *rows)
{
	static const char *const cols[] = {"Name", "Description", "Required", "Value", NULL};
	json_t *panel = admin_panel("variables", "Server variables", cols,
	    "This application declares no server variables.");
	const json_t *v;
	size_t i;

	json_array_foreach(rows, i, v)
		json_array_append_new(json_object_get(panel, "rows"), variable_row(c, id, v));
	admin_panel_form(panel, admin_href(c, "/admin/apps/%lld/server-variables", id),
	    admin_panel_fields(c, tree, "variables", reg_svar_declare_body.fields,
	        reg_svar_declare_body.n, NULL, 0),
	    "Declare variable");
	return panel;
}

/* One connection provider: its state and callback URL, delete. */
static json_t *
provider_row(struct ctx *c, long long app, const json_t *p)
{
	json_t *v = broker_provider_view(&c->app->cfg, p);
	const char *error = json_string_value(json_object_get(v, "config_error"));
	json_t *state = json_is_true(json_object_get(v, "can_connect"))
	    ? json_string(error ? "ready; the provider refused the client" : "ready")
	    : json_string("needs server admin");
	json_t *r = v ? json_pack("{s:[{s:O, s:n}, {s:O, s:n}, {s:o, s:n}, {s:O, s:n}], s:[o]}",
	    "cells", "text", json_object_get(v, "name"), "href", "text",
	    json_object_get(v, "display_name"), "href", "text", state, "href", "text",
	    json_object_get(v, "callback_url"), "href", "actions",
	    admin_action(admin_href(c, "/admin/apps/%lld/connection-providers/%s/delete", app,
	        admin_text(json_object_get(v, "name"))), "Delete", 1, NULL)) : NULL;

	json_decref(v);
	return r;
}

static json_t *
providers_panel(struct ctx *c, long long id, const json_t *tree, const json_t *rows)
{
	static const char *const cols[] = {"Name", "Display name", "State", "Callback URL", NULL};
	json_t *panel = admin_panel("providers", "Connection providers", cols,
	    "This application declares no connection providers.");
	const json_t *p;
	size_t i;

	json_object_set_new(panel, "note", json_string("How members connect their accounts at "
	    "outside services. Only a super administrator declares, changes or removes them; each "
	    "needs its client id and secret in two server variables, and its callback URL "
	    "registered at the provider."));
	json_array_foreach(rows, i, p)
		json_array_append_new(json_object_get(panel, "rows"), provider_row(c, id, p));
	admin_panel_form(panel, admin_href(c, "/admin/apps/%lld/connection-providers", id),
	    admin_panel_fields(c, tree, "providers", reg_provider_form.fields, reg_provider_form.n,
	        NULL, 0),
	    "Declare provider");
	return panel;
}

/* ---- events ---- */

#define EVENTS_SHOWN 50 /* events the panel lists, newest first */

/* One attempt as a line: when, what came back, how long, its first bytes. */
static json_t *
attempt_line(const json_t *a)
{
	const json_t *status = json_object_get(a, "http_status");
	const char *error = json_string_value(json_object_get(a, "error"));
	const char *resp = json_string_value(json_object_get(a, "response"));
	char what[48];

	if (json_is_integer(status))
		snprintf(what, sizeof(what), "HTTP %lld", (long long)json_integer_value(status));
	else
		snprintf(what, sizeof(what), "no answer");
	return json_sprintf("%s · %s · %lld ms%s%.120s%s%s", admin_text(json_object_get(a, "at")),
	    what, (long long)json_integer_value(json_object_get(a, "duration_ms")),
	    resp && *resp ? " · " : "", resp ? resp : "",
	    error && !json_is_integer(status) ? " · " : "", error && !json_is_integer(status) ? error : "");
}

/* One event: when, its type, its state, its attempts; Resend. */
static json_t *
event_row(struct ctx *c, long long app, const json_t *e)
{
	long long id = json_integer_value(json_object_get(e, "id"));
	json_t *lines = json_array(), *a, *state;
	size_t i;

	json_array_foreach(json_object_get(e, "attempt_log"), i, a)
		json_array_append_new(lines, attempt_line(a));
	state = json_sprintf("%s (%lld %s)", admin_text(json_object_get(e, "status")),
	    (long long)json_integer_value(json_object_get(e, "attempts")),
	    json_integer_value(json_object_get(e, "attempts")) == 1 ? "attempt" : "attempts");
	return json_pack("{s:[{s:O, s:n}, {s:O, s:n}, {s:o, s:n}, {s:s, s:n, s:o}], s:[o]}",
	    "cells", "text", json_object_get(e, "created_at"), "href", "text",
	    json_object_get(e, "type"), "href", "text", state, "href", "text", "", "href", "lines",
	    lines, "actions",
	    admin_action(admin_href(c, "/admin/apps/%lld/events/%lld/resend", app, id), "Resend", 0,
	        NULL));
}

/* What the panel says about the endpoint ENDPOINT: where events go, and
 * why they do not. */
static void
events_note(json_t *panel, const json_t *endpoint)
{
	const char *url = json_string_value(json_object_get(endpoint, "events_url"));
	const char *failing = json_string_value(json_object_get(endpoint, "failing_since"));
	const char *disabled = json_string_value(json_object_get(endpoint, "disabled_at"));
	const char *previous = json_string_value(json_object_get(endpoint, "previous_secret_expires_at"));

	if (!json_is_true(json_object_get(endpoint, "has_secret")))
		json_object_set_new(panel, "warning", json_string("This application has no events "
		    "secret yet, so no event is sent: rotate the events secret below to make one."));
	else if (!url)
		json_object_set_new(panel, "warning", json_string("This application has no events URL "
		    "(API tab), so no event is sent."));
	else if (disabled)
		json_object_set_new(panel, "warning", json_sprintf("Events are disabled since %s: the "
		    "endpoint kept failing since %s. No event is sent until you save the events URL "
		    "again, resend an event or send a test event.", disabled, failing ? failing : "?"));
	else if (failing)
		json_object_set_new(panel, "warning", json_sprintf("The endpoint is failing: every "
		    "delivery since %s failed. Events are retried; it is disabled if it keeps failing.",
		    failing));
	json_object_set_new(panel, "note", json_sprintf("Events go to %s, signed with the "
	    "application's events secret (Standard Webhooks: webhook-id, webhook-timestamp, "
	    "webhook-signature).%s%s", url ? url : "(no events URL)",
	    previous ? " The previous secret signs too until " : "", previous ? previous : ""));
}

static OST_MUST_CHECK enum ost_err
events_panel(struct ctx *c, long long id, const json_t *tree, json_t **out)
{
	static const char *const cols[] = {"Time", "Type", "Status", "Attempts", NULL};
	static const struct event_filter all = {"", "", "", ""};
	json_t *panel = admin_panel("events", "Events", cols, "No event was sent to this "
	    "application yet."), *rows = NULL, *endpoint = NULL, *e;
	size_t i;
	enum ost_err err = store_event_list(id, 0, &all, EVENTS_SHOWN, &rows);

	*out = panel;
	if (!err)
		err = reg_events_attach_attempts(rows);
	if (!err)
		err = reg_events_endpoint(id, &endpoint);
	if (!err) {
		events_note(panel, endpoint);
		json_array_foreach(rows, i, e)
			json_array_append_new(json_object_get(panel, "rows"), event_row(c, id, e));
		json_object_set_new(panel, "buttons", json_pack("[o]", admin_action(admin_href(c,
		    "/admin/apps/%lld/events/ping", id), "Send test event", 0, NULL)));
		admin_panel_form(panel, admin_href(c, "/admin/apps/%lld/rotate-events-secret", id),
		    admin_panel_fields(c, tree, "events", reg_events_rotate_body.fields,
		        reg_events_rotate_body.n, NULL, 0),
		    "Rotate events secret");
	}
	json_decref(rows);
	json_decref(endpoint);
	return err;
}

static enum ost_err
app_panels(struct ctx *c, const json_t *row, json_t *tree)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	json_t *users = NULL, *vars = NULL, *provs = NULL, *panels = json_object_get(tree, "panels");
	json_t *events = NULL;
	enum ost_err err = store_app_user_list(id, 0, -1, "", "", PANEL_ROWS, &users);

	if (!err)
		err = store_server_var_list(id, "", PANEL_ROWS, &vars);
	if (!err)
		err = store_provider_list(id, "", PANEL_ROWS, &provs);
	if (!err)
		err = events_panel(c, id, tree, &events);
	if (!err) {
		json_array_append_new(panels, credentials_panel(c, id, row, tree));
		json_array_append_new(panels, users_panel(c, id, tree, users, row));
		json_array_append_new(panels, variables_panel(c, id, tree, vars));
		json_array_append_new(panels, providers_panel(c, id, tree, provs));
		json_array_append_new(panels, events);
	} else
		json_decref(events);
	json_decref(users);
	json_decref(vars);
	json_decref(provs);
	return err;
}

/* ---- credentials ---- */

/* The page of application ROW with the key just made, shown this once. */
static OST_MUST_CHECK enum ost_err
key_page(struct ctx *c, int status, const json_t *row, const json_t *key, const char *message)
{
	return admin_item_page(c, &apps_view, status, row, NULL, NULL, NULL, json_pack(
	    "{s:{s:s, s:O?, s:O?, s:O?}}", "secret", "message", message, "public_id",
	    json_object_get(key, "public_id"), "private_api_key",
	    json_object_get(key, "private_api_key"), "events_secret",
	    json_object_get(key, "events_secret")));
}

static enum ost_err
app_created(struct ctx *c, const struct admin_view *v, const json_t *row)
{
	(void)v;
	return key_page(c, 201, row, row, "The application was created. Copy its private API key "
	    "now: it will not be shown again.");
}

enum ost_err
admin_apps_rotate(struct ctx *c)
{
	struct field_error ferr = c->input_error;
	long long id = ctx_param_id(c, 0), version = 0;
	int if_match = 0, status = 400;
	struct op op;
	json_t *row = NULL, *key = NULL;
	enum ost_err err = store_resource_get(&reg_apps, id, &row);

	ctx_op(c, &op);
	if (!err && version_or_reply(c, &version, &if_match)) {
		ferr.field = NULL;
		snprintf(ferr.message, sizeof(ferr.message), "The form lost its version: open the "
		    "page again.");
		err = OST_ERR_INVALID;
	} else if (!err)
		err = c->input_refused ? OST_ERR_INVALID
		                       : reg_app_rotate(&op, id, version, c->input, &key);
	if (err == OST_ERR_CONFLICT) {
		/* someone rotated or saved it since the page was opened: no second
		 * rotation by mistake (a double click), and the key in use keeps
		 * its grace period */
		json_decref(row);
		row = key;
		key = NULL;
		ferr.field = NULL;
		snprintf(ferr.message, sizeof(ferr.message), "Someone else changed this application or "
		    "rotated its key since you opened the page: the key was not rotated. Look again.");
		status = 409;
		err = OST_ERR_INVALID;
	}
	if (err == OST_ERR_INVALID)
		err = admin_panel_refused(c, &apps_view, row, "credentials", &ferr, status);
	else if (!err) {
		json_decref(row);
		row = NULL;
		if (!(err = store_resource_get(&reg_apps, id, &row)))
			err = key_page(c, 200, row, key, "The key was rotated. Copy the new private API "
			    "key now: it will not be shown again.");
	}
	json_decref(key);
	json_decref(row);
	return err;
}

/* ---- application users and server variables ---- */

/* A row form came without its version. */
static OST_MUST_CHECK enum ost_err
lost_version(struct field_error *ferr)
{
	ferr->field = NULL;
	snprintf(ferr->message, sizeof(ferr->message), "The form lost its version: open the page "
	    "again.");
	return OST_ERR_INVALID;
}

/* After a change to the application of the route: back to its page at
 * PANEL, or the page again with ERR's refusal. */
static OST_MUST_CHECK enum ost_err
app_changed(struct ctx *c, enum ost_err err, const char *panel, struct field_error *ferr,
    const char *conflict)
{
	long long id = ctx_param_id(c, 0);
	char path[128];
	json_t *row = NULL;
	enum ost_err e;

	if (err == OST_ERR_CONFLICT && !ferr->message[0])
		snprintf(ferr->message, sizeof(ferr->message), "%s", conflict);
	if (err != OST_ERR_INVALID && err != OST_ERR_CONFLICT && err != OST_ERR_FORBIDDEN) {
		if (err)
			return err;
		snprintf(path, sizeof(path), "/admin/apps/%lld?saved=1#%s", id, panel);
		return response_redirect(c->res, &c->app->cfg, path);
	}
	if ((e = store_resource_get(&reg_apps, id, &row)))
		return e;
	e = admin_panel_refused(c, &apps_view, row, panel, ferr, admin_refusal_status(err));
	json_decref(row);
	return e;
}

enum ost_err
admin_app_users_add(struct ctx *c)
{
	struct field_error ferr = c->input_error;
	struct op op;
	json_t *row = NULL;
	enum ost_err err = OST_ERR_INVALID;

	ctx_op(c, &op);
	if (!c->input_refused)
		err = reg_app_user_add(&op, ctx_param_id(c, 0), c->input, &row, &ferr);
	json_decref(row);
	return app_changed(c, err, "users", &ferr, "This person is a user of the application already.");
}

enum ost_err
admin_app_users_enabled(struct ctx *c)
{
	struct field_error ferr = c->input_error;
	long long version = 0;
	int if_match = 0;
	struct op op;
	json_t *row = NULL;
	enum ost_err err = version_or_reply(c, &version, &if_match);

	ctx_op(c, &op);
	if (err)
		err = lost_version(&ferr);
	else if (c->input_refused)
		err = OST_ERR_INVALID;
	else
		err = reg_app_user_set_enabled(&op, ctx_param_id(c, 0), ctx_param_id(c, 1), version,
		    c->input, &row);
	json_decref(row);
	return app_changed(c, err, "users", &ferr,
	    "Someone else changed this user since you opened the page: look again.");
}

enum ost_err
admin_app_users_remove(struct ctx *c)
{
	struct field_error ferr = {0};
	struct op op;

	ctx_op(c, &op);
	return app_changed(c, reg_app_user_remove(&op, ctx_param_id(c, 0), ctx_param_id(c, 1)),
	    "users", &ferr, "");
}

enum ost_err
admin_server_vars_declare(struct ctx *c)
{
	struct field_error ferr = c->input_error;
	struct op op;
	json_t *row = NULL;
	enum ost_err err = OST_ERR_INVALID;

	ctx_op(c, &op);
	if (!c->input_refused)
		err = reg_svar_declare(&op, ctx_param_id(c, 0), c->input, &row, &ferr);
	json_decref(row);
	return app_changed(c, err, "variables", &ferr, "A variable with this name exists already.");
}

enum ost_err
admin_server_vars_set(struct ctx *c)
{
	struct field_error ferr = c->input_error;
	long long version = 0;
	int if_match = 0;
	struct op op;
	json_t *row = NULL;
	enum ost_err err = version_or_reply(c, &version, &if_match);

	ctx_op(c, &op);
	if (err)
		err = lost_version(&ferr);
	else if (c->input_refused)
		err = OST_ERR_INVALID;
	else
		err = reg_svar_set(&op, ctx_param_id(c, 0), c->params[1], version, c->input, &row);
	json_decref(row);
	return app_changed(c, err, "variables", &ferr,
	    "Someone else changed this variable since you opened the page: look again.");
}

enum ost_err
admin_server_vars_delete(struct ctx *c)
{
	struct field_error ferr = {0};
	struct op op;

	ctx_op(c, &op);
	return app_changed(c, reg_svar_delete(&op, ctx_param_id(c, 0), c->params[1]), "variables",
	    &ferr, "");
}

const struct admin_view *
admin_apps_view(void)
{
	return &apps_view;
}

enum ost_err
admin_providers_create(struct ctx *c)
{
	struct field_error ferr = c->input_error;
	struct op op;
	json_t *in = NULL, *row = NULL;
	enum ost_err err = OST_ERR_INVALID;

	ctx_op(c, &op);
	if (!c->input_refused)
		err = (in = broker_provider_unflatten(c->input))
		    ? reg_provider_create(&op, ctx_param_id(c, 0), in, &row, &ferr) : OST_ERR_NOMEM;
	json_decref(in);
	json_decref(row);
	return app_changed(c, err, "providers", &ferr,
	    "This application has a provider with this name already.");
}

enum ost_err
admin_providers_delete(struct ctx *c)
{
	struct field_error ferr = {0};
	struct op op;

	ctx_op(c, &op);
	return app_changed(c, reg_provider_delete(&op, ctx_param_id(c, 0), c->params[1], &ferr),
	    "providers", &ferr, "");
}

enum ost_err
admin_events_ping(struct ctx *c)
{
	struct field_error ferr = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_event_ping(&op, ctx_param_id(c, 0), &row, &ferr);
	json_decref(row);
	return app_changed(c, err, "events", &ferr, "");
}

enum ost_err
admin_events_resend(struct ctx *c)
{
	struct field_error ferr = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_event_resend(&op, ctx_param_id(c, 0), ctx_param_id(c, 1), &row, &ferr);
	json_decref(row);
	return app_changed(c, err, "events", &ferr, "");
}

enum ost_err
admin_events_rotate(struct ctx *c)
{
	struct field_error ferr = c->input_error;
	long long id = ctx_param_id(c, 0);
	struct op op;
	json_t *row = NULL, *key = NULL;
	enum ost_err err = store_resource_get(&reg_apps, id, &row);

	ctx_op(c, &op);
	if (!err && c->input_refused)
		err = admin_panel_refused(c, &apps_view, row, "events", &ferr, 400);
	else if (!err && !(err = reg_events_rotate(&op, id, c->input, &key)))
		err = key_page(c, 200, row, key, "The events secret was rotated. Copy the new secret "
		    "now: it will not be shown again.");
	json_decref(key);
	json_decref(row);
	return err;
}

enum ost_err admin_apps(struct ctx *c) { return admin_list(c, &apps_view); }
enum ost_err admin_apps_new(struct ctx *c) { return admin_new(c, &apps_view); }
enum ost_err admin_apps_create(struct ctx *c) { return admin_create(c, &apps_view); }
enum ost_err admin_apps_show(struct ctx *c) { return admin_show(c, &apps_view); }
enum ost_err admin_apps_update(struct ctx *c) { return admin_update(c, &apps_view); }
enum ost_err admin_apps_delete(struct ctx *c) { return admin_delete(c, &apps_view); }
