/* broker.c - the member's view of the console: the companies a person is
 * a member of, the applications installed there, their own and the
 * shared connections (add, rename, reconnect, disconnect), and the page a
 * provider sends people back to */
#include "admin/handlers.h"
#include "admin/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "broker/connect.h"
#include "broker/connections.h"
#include "broker/providers.h"
#include "store/connection.h"
#include "store/provider.h"
#include "store/tenancy.h"

#define ROWS_MAX 200

static long long
num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* May the signed-in person of C change (rename, disconnect) connection
 * ROW: its owner, or an administrator who may change the registry. */
static int
may_change(const struct ctx *c, const json_t *row)
{
	return num(row, "user_id") == c->who.user_id ||
	    (c->who.roles & (ROLE_SUPER_ADMINISTRATOR | ROLE_USER_PROVISIONING));
}

enum ost_err
admin_my(struct ctx *c)
{
	json_t *rows = NULL, *apps, *m, *a;
	size_t i, k;
	enum ost_err err = store_my_memberships(c->who.user_id, &rows);

	json_array_foreach(rows, i, m) {
		if (err)
			break;
		if (!(err = store_install_list(num(m, "company_id"), 0, ROWS_MAX, &apps))) {
			json_array_foreach(apps, k, a)
				json_object_set(a, "company_id", json_object_get(m, "company_id"));
			json_object_set_new(m, "apps", apps);
		}
	}
	if (err) {
		json_decref(rows);
		return err;
	}
	response_set(c->res, 200, json_pack("{s:s, s:o, s:b}", "title", "Your workspaces",
	    "companies", rows, "admin", (c->who.roles & ROLES_ANY) != 0), "my");
	return OST_OK;
}

/* The providers of APP in COMPANY, as the member's page lists them. */
static json_t *
provider_items(const struct ctx *c, long long company, long long app, const json_t *rows)
{
	json_t *items = json_array(), *v;
	const json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		if (!(v = broker_provider_view(&c->app->cfg, row)))
			continue;
		json_object_set_new(v, "company_id", json_integer(company));
		json_object_set_new(v, "app_id", json_integer(app));
		json_array_append_new(items, v);
	}
	return items;
}

/* The connections ROWS as the member's page lists them. */
static json_t *
connection_items(const struct ctx *c, const json_t *rows)
{
	json_t *items = json_array(), *v;
	const json_t *row;
	size_t i;
	int mine;

	json_array_foreach(rows, i, row) {
		if (!(v = broker_conn_view(row)))
			continue;
		mine = num(row, "user_id") == c->who.user_id;
		json_object_set_new(v, "shared", json_boolean(strcmp(str(row, "visibility"), "user")));
		json_object_set_new(v, "mine", json_boolean(mine));
		json_object_set_new(v, "changeable", json_boolean(may_change(c, row)));
		json_object_set_new(v, "reconnect", json_boolean(mine && !strcmp(str(row, "status"),
		                                                       "auth_failed")));
		json_object_set_new(v, "failed", json_boolean(!strcmp(str(row, "status"), "auth_failed")));
		json_array_append_new(items, v);
	}
	return items;
}

/* The member's page of APP in COMPANY with STATUS, NOTICE and ERROR (NULL: none). */
static OST_MUST_CHECK enum ost_err
app_page(struct ctx *c, long long company, long long app, int status, const char *notice,
    const char *error)
{
	json_t *member = NULL, *inst = NULL, *provs = NULL, *conns = NULL, *tree;
	enum ost_err err = store_my_membership(c->who.user_id, company, &member);

	if (!err)
		err = store_install_exists(app, company, &inst);
	if (!err)
		err = store_provider_list(app, "", ROWS_MAX, &provs);
	if (!err)
		err = store_conn_list_member(app, company, c->who.user_id, &conns);
	tree = err ? NULL : json_pack("{s:s, s:s+++, s:I, s:I, s:o, s:o}", "title", "Connections",
	    "heading", str(inst, "name"), " in ", "", str(member, "company_name"), "company_id",
	    (json_int_t)company, "app_id", (json_int_t)app, "providers",
	    provider_items(c, company, app, provs), "connections", connection_items(c, conns));
	if (!err && !tree)
		err = OST_ERR_NOMEM;
	if (!err && notice)
		json_object_set_new(tree, "notice", json_string(notice));
	if (!err && error)
		json_object_set_new(tree, "error", json_pack("{s:s}", "message", error));
	if (!err)
		response_set(c->res, status, tree, "my_app");
	json_decref(member);
	json_decref(inst);
	json_decref(provs);
	json_decref(conns);
	return err;
}

enum ost_err
admin_my_app(struct ctx *c)
{
	static const struct {
		const char *param, *notice;
	} notices[] = {
		{"connected", "The connection was added."},
		{"reconnected", "The connection was reconnected."},
		{"renamed", "The connection was renamed."},
		{"disconnected", "The connection was removed and its tokens revoked."},
	};
	const char *notice = NULL;
	size_t i;

	for (i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (json_object_get(c->req->query, notices[i].param))
			notice = notices[i].notice;
	return app_page(c, ctx_param_id(c, 0), ctx_param_id(c, 1), 200, notice, NULL);
}

/* The connect page with TREE's keys (stolen) and STATUS. */
static OST_MUST_CHECK enum ost_err
connect_page(struct ctx *c, int status, json_t *tree)
{
	if (!tree)
		return OST_ERR_NOMEM;
	response_set(c->res, status, tree, "connect");
	return OST_OK;
}

/* ?reconnect=ID of the request; 0 when none or not an id. */
static long long
reconnect_param(const struct ctx *c)
{
	const json_t *v = c->input ? json_object_get(c->input, "reconnect")
	                           : json_object_get(c->req->query, "reconnect");
	const char *s = json_string_value(v);
	char *end;
	long long id;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (!s || !*s || strlen(s) > 18)
		return 0;
	id = strtoll(s, &end, 10);
	return *end || id < 1 ? 0 : id;
}

enum ost_err
admin_my_connect_form(struct ctx *c)
{
	long long company = ctx_param_id(c, 0), app = ctx_param_id(c, 1), again = reconnect_param(c);
	json_t *member = NULL, *prov = NULL;
	enum ost_err err = store_my_membership(c->who.user_id, company, &member);

	if (!err)
		err = store_provider_get(app, c->params[2], &prov);
	if (!err)
		err = connect_page(c, 200, json_pack("{s:s, s:s+, s:o, s:{s:o, s:I, s:s}}", "title",
		    "Add a connection", "heading", again ? "Reconnect " : "Add a connection to ",
		    str(prov, "display_name"), "back",
		    admin_href(c, "/admin/my/companies/%lld/apps/%lld", company, app), "choose",
		    "action", admin_href(c, "/admin/my/companies/%lld/apps/%lld/connect/%s", company, app,
		        str(prov, "name")),
		    "reconnect", (json_int_t)again, "submit", again ? "Reconnect" : "Continue"));
	if (!err && !again)
		json_object_del(json_object_get(c->res->tree, "choose"), "reconnect");
	json_decref(member);
	json_decref(prov);
	return err;
}

/* The status of a refused step of the connect flow. */
static int
refusal_status(enum ost_err err)
{
	return err == OST_ERR_NOT_FOUND ? 404 : err == OST_ERR_FORBIDDEN ? 403
	    : err == OST_ERR_THROTTLED ? 429 : err == OST_ERR_CONFLICT ? 409 : 400;
}

enum ost_err
admin_my_connect(struct ctx *c)
{
	long long company = ctx_param_id(c, 0), app = ctx_param_id(c, 1);
	struct connect_who who = {.user_id = c->who.user_id, .session_hash = c->who.session_hash};
	struct field_error why = c->input_error;
	json_t *prov = NULL;
	char *url = NULL;
	struct op op;
	enum ost_err err = c->input_refused ? OST_ERR_INVALID : OST_OK;

	ctx_op(c, &op);
	if (!err)
		err = broker_connect_start(&op, &who, company, app, c->params[2],
		    json_string_value(json_object_get(c->input, "visibility")), reconnect_param(c), &url,
		    &why);
	if (err == OST_ERR_INVALID || err == OST_ERR_NOT_FOUND || err == OST_ERR_FORBIDDEN ||
	    err == OST_ERR_CONFLICT || err == OST_ERR_THROTTLED)
		return connect_page(c, refusal_status(err), json_pack("{s:s, s:s, s:o, s:{s:s}}",
		    "title", "Add a connection", "heading", "The connection was not started", "back",
		    admin_href(c, "/admin/my/companies/%lld/apps/%lld", company, app), "error",
		    "message", why.message[0] ? why.message : ost_strerror(err)));
	if (err)
		return err;
	err = store_provider_get(app, c->params[2], &prov);
	if (!err)
		err = connect_page(c, 200, json_pack("{s:s, s:s+, s:o, s:{s:s, s:O}}", "title",
		    "Add a connection", "heading", "On to ", str(prov, "display_name"), "back",
		    admin_href(c, "/admin/my/companies/%lld/apps/%lld", company, app), "go", "url", url,
		    "provider", json_object_get(prov, "display_name")));
	json_decref(prov);
	free(url);
	return err;
}

/* Connection ID (the route's) if the signed-in person may change it, into
 * *ROW; a page answers a refusal (*ROW NULL then). */
static OST_MUST_CHECK enum ost_err
changeable(struct ctx *c, json_t **row)
{
	json_t *member = NULL;
	enum ost_err err = store_conn_get(ctx_param_id(c, 0), row);

	if (!err && !may_change(c, *row)) {
		/* a member sees the shared ones of their company: say why, not 404;
		 * another person's own ones they do not see at all */
		if (strcmp(str(*row, "visibility"), "workspace") == 0 &&
		    store_my_membership(c->who.user_id, num(*row, "company_id"), &member) == OST_OK)
			err = app_page(c, num(*row, "company_id"), num(*row, "app_id"), 403, NULL,
			    "Only the person who made a connection, or an administrator, changes it.");
		else
			err = OST_ERR_NOT_FOUND;
		json_decref(member);
		json_decref(*row);
		*row = NULL;
	}
	return err;
}

/* Back to the page of ROW's application with ?WHAT=1. */
static OST_MUST_CHECK enum ost_err
back_to(struct ctx *c, const json_t *row, const char *what)
{
	char path[160];

	snprintf(path, sizeof(path), "/admin/my/companies/%lld/apps/%lld?%s=1",
	    num(row, "company_id"), num(row, "app_id"), what);
	return response_redirect(c->res, &c->app->cfg, path);
}

enum ost_err
admin_my_rename(struct ctx *c)
{
	json_t *row = NULL;
	struct op op;
	enum ost_err err = changeable(c, &row);

	if (err || !row)
		return err;
	ctx_op(c, &op);
	if (c->input_refused)
		err = app_page(c, num(row, "company_id"), num(row, "app_id"), 400, NULL,
		    c->input_error.message);
	else if (!(err = broker_rename(&op, num(row, "id"),
	               json_string_value(json_object_get(c->input, "name")))))
		err = back_to(c, row, "renamed");
	json_decref(row);
	return err;
}

enum ost_err
admin_my_disconnect(struct ctx *c)
{
	json_t *row = NULL;
	struct op op;
	enum ost_err err = changeable(c, &row);

	if (err || !row)
		return err;
	ctx_op(c, &op);
	if (!(err = broker_disconnect(&op, num(row, "id"))))
		err = back_to(c, row, "disconnected");
	json_decref(row);
	return err;
}

enum ost_err
admin_oauth_callback(struct ctx *c)
{
	struct field_error why = {0};
	struct connect_who who = {0};
	json_t *result = NULL, *back;
	char path[160];
	struct op op;
	enum ost_err err;

	/* the session is the member's, if any: a state is good only with its own */
	if (auth_session(c->app, c->req, &c->who, NULL) == OST_OK) {
		who.user_id = c->who.user_id;
		who.session_hash = c->who.session_hash;
	}
	ctx_op(c, &op);
	err = broker_connect_finish(&op, &who, request_field(c->req, "state"),
	    request_field(c->req, "code"), request_field(c->req, "error"),
	    request_field(c->req, "error_description"), &result, &why);
	if (!err) {
		snprintf(path, sizeof(path), "/admin/my/companies/%lld/apps/%lld?%s=%lld",
		    num(result, "company_id"), num(result, "app_id"),
		    json_is_true(json_object_get(result, "reconnected")) ? "reconnected" : "connected",
		    num(result, "connection_id"));
		err = response_redirect(c->res, &c->app->cfg, path);
	} else if (err == OST_ERR_INVALID) {
		back = who.user_id && num(result, "app_id")
		    ? admin_href(c, "/admin/my/companies/%lld/apps/%lld", num(result, "company_id"),
		          num(result, "app_id"))
		    : admin_href(c, "/admin/my");
		err = connect_page(c, 400, json_pack("{s:s, s:s, s:o, s:{s:s}}", "title",
		    "Connection not made", "heading", "The connection was not made", "back", back,
		    "error", "message", why.message));
	}
	json_decref(result);
	return err;
}
