/* connections.c - /api/v1/app/connections: an application reads the
 * connected accounts of the company it acts for, each with a usable access
 * token, and disconnects them. Without X-On-Behalf-Of (a scheduled job)
 * it sees the workspace connections; acting for a member (X-On-Behalf-Of:
 * a user workspace id of that company, with the permission ACT_AS_USER)
 * also that member's own, and each such read is audited. Acting for a
 * person with an access token that person granted the application comes
 * with the authorization server. */
#include "api/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/app_auth.h"
#include "broker/connections.h"
#include "http/face.h"
#include "registry/change.h"
#include "store/connection.h"
#include "store/tenancy.h"

#define PROVIDER_NAME_MAX 64

static const struct field filter_fields[] = {
	{.name = "provider", .kind = FIELD_STRING, .max = PROVIDER_NAME_MAX,
	    .help = "Only the connections of the provider with this name"},
};
const struct field_table api_app_connections_filters =
    FIELD_TABLE("AppConnectionFilters", filter_fields);

static long long
num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const json_t *
caller_app(const struct ctx *c)
{
	return json_object_get(c->caller, "app");
}

static long long
company_of(const struct ctx *c)
{
	return num(json_object_get(c->caller, "company"), "id");
}

/* The application as the actor of an audited change. */
static void
app_op(const struct ctx *c, struct op *op)
{
	ctx_op(c, op);
	op->actor_type = "app";
	op->actor_id = num(caller_app(c), "id");
	op->actor = json_string_value(json_object_get(caller_app(c), "public_id"));
}

static OST_MUST_CHECK enum ost_err
refuse_or_reply(struct ctx *c, enum ost_err err, const char *message, const char *field)
{
	response_error(c->res, err, message, field);
	return err;
}

/* The member the call acts for into *MEMBER (0: none): the person whose
 * access token the application sent (their own grant is the consent), in
 * the company the call acts for; else X-On-Behalf-Of, which needs
 * ACT_AS_USER. On a refusal the answer is set. */
static OST_MUST_CHECK enum ost_err
on_behalf_or_reply(struct ctx *c, long long *member)
{
	const char *h = request_header(c->req, "X-On-Behalf-Of");
	const json_t *user = json_object_get(c->caller, "user_id");
	json_t *row = NULL;
	size_t i, n;
	enum ost_err err;

	*member = 0;
	if (json_is_integer(user)) {
		if (h)
			return refuse_or_reply(c, OST_ERR_INVALID, "A person's access token acts for "
			    "them: X-On-Behalf-Of is not taken with it", "X-On-Behalf-Of");
		err = store_member_of_user(company_of(c), json_integer_value(user), &row);
		if (!err)
			*member = num(row, "id");
		json_decref(row);
		if (err == OST_ERR_NOT_FOUND)
			return refuse_or_reply(c, OST_ERR_FORBIDDEN, "The person who granted this "
			    "access token is no member of the company the call acts for", "group_id");
		return response_fail(c->res, err);
	}
	if (!h)
		return OST_OK;
	n = strlen(h);
	for (i = 0; i < n && h[i] >= '0' && h[i] <= '9'; i++)
		;
	if (n == 0 || n > 18 || i < n || (*member = strtoll(h, NULL, 10)) < 1)
		return refuse_or_reply(c, OST_ERR_INVALID, "X-On-Behalf-Of must be a user workspace "
		    "id", "X-On-Behalf-Of");
	if (!app_auth_caller_holds(c, "ACT_AS_USER"))
		return refuse_or_reply(c, OST_ERR_FORBIDDEN, "Acting for a person needs the "
		    "permission ACT_AS_USER", "X-On-Behalf-Of");
	err = store_member_get(company_of(c), *member, &row);
	json_decref(row);
	if (err == OST_ERR_NOT_FOUND)
		return refuse_or_reply(c, OST_ERR_FORBIDDEN, "X-On-Behalf-Of names no member of the "
		    "company the call acts for", "X-On-Behalf-Of");
	return response_fail(c->res, err);
}

/* Audit that the application read VIEWS (a list) for MEMBER. */
static OST_MUST_CHECK enum ost_err
audit_reads(struct ctx *c, long long member, const json_t *views)
{
	const json_t *v;
	json_t *details;
	struct change ch;
	struct op op;
	size_t i;
	enum ost_err err;

	if (!member || json_array_size(views) == 0)
		return OST_OK;
	app_op(c, &op);
	if ((err = change_begin(&ch, &op)))
		return err;
	json_array_foreach(views, i, v) {
		if (err)
			break;
		if (!(details = json_pack("{s:I, s:I, s:O}", "app_id", (json_int_t)op.actor_id,
		          "user_workspace_id", (json_int_t)member, "provider",
		          json_object_get(v, "provider"))))
			err = OST_ERR_NOMEM;
		else
			err = change_audit(&ch, "connection.read_on_behalf", "connection",
			    num(v, "id"), details);
		json_decref(details);
	}
	return change_end(&ch, err);
}

/* 503 with Retry-After: another call holds the refresh. */
static OST_MUST_CHECK enum ost_err
busy_reply(struct ctx *c, long long retry_after)
{
	char text[24];
	enum ost_err err;

	snprintf(text, sizeof(text), "%lld", retry_after > 0 ? retry_after : 1);
	response_error(c->res, OST_ERR_DB_UNAVAILABLE, "Another call is refreshing this "
	    "connection's token: retry after the seconds Retry-After says", NULL);
	if ((err = response_header(c->res, "Retry-After", text)))
		return response_fail(c->res, err);
	return OST_OK;
}

/* The fresh views of ROWS (at most LIMIT) into *VIEWS; on a busy refresh
 * the 503 answer is set and OST_ERR_DB_UNAVAILABLE returned. */
static OST_MUST_CHECK enum ost_err
fresh_all_or_reply(struct ctx *c, json_t *rows, unsigned limit, json_t **views)
{
	long long retry = 0;
	json_t *row, *view;
	size_t i;
	enum ost_err err = OST_OK;

	if (!(*views = json_array()))
		return response_fail(c->res, OST_ERR_NOMEM);
	json_array_foreach(rows, i, row) {
		if (i >= limit)
			break;
		if ((err = broker_fresh(c->app, row, &view, &retry)))
			break;
		if (json_array_append_new(*views, view)) {
			err = OST_ERR_NOMEM;
			break;
		}
	}
	if (err) {
		json_decref(*views);
		*views = NULL;
		if (err == OST_ERR_DB_UNAVAILABLE && retry > 0)
			return busy_reply(c, retry) ? OST_ERR_INTERNAL : OST_ERR_DB_UNAVAILABLE;
		return response_fail(c->res, err);
	}
	return OST_OK;
}

/* Is PROVIDER a provider's name ([a-z][a-z0-9-]*)? */
static int
provider_ok(const char *p)
{
	size_t i;

	for (i = 0; p[i]; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (i && ((p[i] >= '0' && p[i] <= '9') || p[i] == '-'))))
			return 0;
	return i > 0 && i <= PROVIDER_NAME_MAX;
}

enum ost_err
api_app_connections_list(struct ctx *c)
{
	const char *provider = request_field(c->req, "provider");
	json_t *rows = NULL, *views = NULL, *page;
	long long member, after;
	unsigned limit;
	enum ost_err err;

	if (page_args_or_reply(c, &limit, &after) || on_behalf_or_reply(c, &member))
		return OST_OK;
	if (provider && !provider_ok(provider)) {
		response_error(c->res, OST_ERR_INVALID, "provider must be a provider's name", "provider");
		return OST_OK;
	}
	if ((err = store_conn_list_app(num(caller_app(c), "id"), company_of(c),
	         provider ? provider : "", member, after, limit + 1, &rows)))
		return err;
	err = fresh_all_or_reply(c, rows, limit, &views);
	if (!err && (err = audit_reads(c, member, views)))
		json_decref(views);
	if (!err && json_array_size(rows) > limit &&
	    json_array_append(views, json_array_get(rows, limit))) {
		json_decref(views); /* page_tree sees the extra row: there is a next page */
		err = OST_ERR_NOMEM;
	}
	json_decref(rows);
	if (err)
		return err == OST_ERR_DB_UNAVAILABLE ? OST_OK : err;
	if (!(page = page_tree(views, limit)))
		return OST_ERR_NOMEM;
	response_set(c->res, 200, page, NULL);
	return OST_OK;
}

/* Connection ID as the calling application may see it (acting for
 * MEMBER), into *ROW; OST_ERR_NOT_FOUND otherwise. */
static OST_MUST_CHECK enum ost_err
visible(const struct ctx *c, long long id, long long member, json_t **row)
{
	enum ost_err err = store_conn_get(id, row);
	const char *vis;

	if (err)
		return err;
	vis = json_string_value(json_object_get(*row, "visibility"));
	if (num(*row, "app_id") != num(caller_app(c), "id") || num(*row, "company_id") != company_of(c) ||
	    (strcmp(vis, "workspace") != 0 && (!member || num(*row, "user_workspace_id") != member))) {
		json_decref(*row);
		*row = NULL;
		return OST_ERR_NOT_FOUND;
	}
	return OST_OK;
}

enum ost_err
api_app_connections_get(struct ctx *c)
{
	json_t *row = NULL, *views = NULL, *rows;
	long long member;
	enum ost_err err;

	if (on_behalf_or_reply(c, &member))
		return OST_OK;
	if ((err = visible(c, ctx_param_id(c, 0), member, &row)))
		return err;
	rows = json_pack("[o]", row);
	err = rows ? fresh_all_or_reply(c, rows, 1, &views) : OST_ERR_NOMEM;
	json_decref(rows);
	if (err)
		return err == OST_ERR_DB_UNAVAILABLE ? OST_OK : err;
	if ((err = audit_reads(c, member, views))) {
		json_decref(views);
		return err;
	}
	response_set(c->res, 200, json_incref(json_array_get(views, 0)), NULL);
	json_decref(views);
	return OST_OK;
}

enum ost_err
api_app_connections_delete(struct ctx *c)
{
	json_t *row = NULL;
	long long member;
	struct op op;
	enum ost_err err;

	if (on_behalf_or_reply(c, &member))
		return OST_OK;
	if ((err = visible(c, ctx_param_id(c, 0), member, &row)))
		return err;
	json_decref(row);
	app_op(c, &op);
	if ((err = broker_disconnect(&op, ctx_param_id(c, 0))))
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
