/* server_vars.c - /api/v1/apps/{id}/server-variables: declared by the
 * application, filled by an administrator; secret values write-only */
#include "api/handlers.h"
#include "api/server_vars.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/crypto.h"
#include "store/app_user.h"
#include "store/db.h"
#include "store/server_var.h"

static const char *const ignore_keys[] = {"csrf", "version", "format", NULL};

/* A variable name: [A-Z][A-Z0-9_]*. */
static const char *
check_name(const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (i && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))))
			break;
	if (s[i] || i == 0) {
		snprintf(msg, msgsz, "name must start with A-Z and hold only A-Z, 0-9 and _");
		return msg;
	}
	return NULL;
}

const struct field server_vars_declare_fields[] = {
	{.name = "name", .label = "Variable name", .kind = FIELD_STRING, .min = 1, .max = 64,
	    .flags = FIELD_REQUIRED, .check = check_name},
	{.name = "description", .label = "Variable description", .kind = FIELD_TEXT, .min = 0,
	    .max = 1000},
	{.name = "is_secret", .label = "Secret", .kind = FIELD_BOOL, .dflt = "false"},
	{.name = "is_required", .label = "Required", .kind = FIELD_BOOL, .dflt = "false"},
};
static const struct field update_fields[] = {
	{.name = "description", .label = "Description", .kind = FIELD_TEXT, .min = 0, .max = 1000},
	{.name = "is_required", .label = "Required", .kind = FIELD_BOOL},
};
static const struct field set_fields[] = {
	{.name = "value", .label = "Value", .kind = FIELD_TEXT, .min = 0,
	    .max = SERVER_VAR_VALUE_MAX, .flags = FIELD_REQUIRED | FIELD_NULLABLE | FIELD_SECRET},
};
#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Run one audited change: AUDIT_DETAILS borrowed; *ROW gets NAME's row. */
static enum ost_err
finish_change(struct ctx *c, enum ost_err err, long long app_id, const char *name,
    const char *action, const json_t *details, json_t **row)
{
	if (!err)
		err = audit(c, action, "app", app_id, details);
	if (!err && row)
		err = store_server_var_get(app_id, name, row);
	return db_finish(err);
}

enum ost_err
server_vars_do_declare(struct ctx *c, long long app_id, json_t **row, struct field_error *ferr)
{
	json_t *in = NULL;
	long long count = 0;
	enum ost_err err = fields_apply(server_vars_declare_fields, SERVER_VARS_DECLARE_NFIELDS, c->req->body,
	    ctx_is_form(c), FIELDS_CREATE, ignore_keys, &in, ferr);

	*row = NULL;
	if (!err && !(err = store_app_exists(app_id)) && !(err = db_begin())) {
		err = store_server_var_count(app_id, &count);
		if (!err && count >= SERVER_VARS_MAX) {
			ferr->field = "name";
			snprintf(ferr->message, sizeof(ferr->message),
			    "An application declares at most %d server variables", SERVER_VARS_MAX);
			err = OST_ERR_INVALID;
		}
		if (!err)
			err = store_server_var_insert(app_id, str(in, "name"), str(in, "description"),
			    json_is_true(json_object_get(in, "is_secret")),
			    json_is_true(json_object_get(in, "is_required")));
		err = finish_change(c, err, app_id, str(in, "name"), "app.server_variable_declare", in,
		    row);
	}
	json_decref(in);
	return err;
}

enum ost_err
server_vars_do_update(struct ctx *c, long long app_id, const char *name, long long version,
    json_t **row, struct field_error *ferr)
{
	json_t *in = NULL, *cur = NULL, *details = NULL;
	enum ost_err err = fields_apply(update_fields, NFIELDS(update_fields), c->req->body,
	    ctx_is_form(c), FIELDS_UPDATE, ignore_keys, &in, ferr);

	*row = NULL;
	if (err || (err = db_begin())) {
		json_decref(in);
		return err;
	}
	err = store_server_var_get(app_id, name, &cur);
	if (!err) {
		json_object_update(cur, in);
		err = store_server_var_update(app_id, name, str(cur, "description"),
		    json_is_true(json_object_get(cur, "is_required")), version);
	}
	if (!err && (details = json_deep_copy(in)))
		json_object_set_new(details, "name", json_string(name));
	err = finish_change(c, err, app_id, name, "app.server_variable_update", details, row);
	json_decref(details);
	json_decref(cur);
	json_decref(in);
	return err;
}

/* Store VALUE (NULL clears) for variable CUR of APP_ID, sealed when secret. */
static enum ost_err
store_value(struct ctx *c, long long app_id, const json_t *cur, const char *value,
    long long version)
{
	char aad[128];
	size_t n = value ? strlen(value) : 0;
	uint8_t *sealed;
	unsigned key_id = 0;
	enum ost_err err;

	if (!value || !json_is_true(json_object_get(cur, "is_secret")))
		return store_server_var_set(app_id, str(cur, "name"), value, NULL, 0, 0, version);
	/* the ciphertext is bound to its application and name */
	snprintf(aad, sizeof(aad), "ostium:server-variable:%lld:%s", app_id, str(cur, "name"));
	if (!(sealed = malloc(n + AEAD_OVERHEAD)))
		return OST_ERR_NOMEM;
	err = crypto_seal(&c->app->keys, value, n, aad, strlen(aad), sealed, &key_id);
	if (!err)
		err = store_server_var_set(app_id, str(cur, "name"), NULL, sealed, n + AEAD_OVERHEAD,
		    key_id, version);
	free(sealed);
	return err;
}

enum ost_err
server_vars_do_set(struct ctx *c, long long app_id, const char *name, long long version,
    json_t **row, struct field_error *ferr)
{
	json_t *in = NULL, *cur = NULL, *details = NULL;
	const char *value;
	enum ost_err err = fields_apply(set_fields, NFIELDS(set_fields), c->req->body,
	    ctx_is_form(c), FIELDS_CREATE, ignore_keys, &in, ferr);

	*row = NULL;
	if (err || (err = db_begin())) {
		json_decref(in);
		return err;
	}
	value = str(in, "value");
	err = store_server_var_get(app_id, name, &cur);
	if (!err)
		err = store_value(c, app_id, cur, value, version);
	if (!err && !(details = json_pack("{s:s, s:b}", "name", name, "set", value != NULL)))
		err = OST_ERR_NOMEM;
	err = finish_change(c, err, app_id, name, "app.server_variable_set", details, row);
	json_decref(details);
	json_decref(cur);
	if (value)
		crypto_wipe((char *)value, strlen(value));
	json_decref(in);
	return err;
}

enum ost_err
server_vars_do_delete(struct ctx *c, long long app_id, const char *name)
{
	json_t *details = json_pack("{s:s}", "name", name);
	enum ost_err err = details ? db_begin() : OST_ERR_NOMEM;

	if (!err)
		err = finish_change(c, store_server_var_delete(app_id, name), app_id, name,
		    "app.server_variable_delete", details, NULL);
	json_decref(details);
	return err;
}

/* The reply to a change: ROW on success, else the error in the right words. */
static enum ost_err
reply_change(struct ctx *c, enum ost_err err, int status, json_t *row,
    const struct field_error *ferr, int if_match)
{
	if (err == OST_ERR_INVALID)
		return reply_field_error(c, ferr);
	if (err == OST_ERR_CONFLICT) {
		if (status == 201)
			response_error(c->res, err, "A variable with this name exists already", "name");
		else
			response_error(c->res, if_match ? OST_ERR_PRECONDITION : OST_ERR_CONFLICT,
			    "Someone changed this since you read it: read it again and retry",
			    "version");
		return OST_OK;
	}
	if (err)
		return err;
	if (row)
		response_set(c->res, status, row, NULL);
	else
		response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}

enum ost_err
api_server_vars_list(struct ctx *c)
{
	const char *cur = request_field(c->req, "cursor");
	char after[96] = "";
	size_t n = 0;
	unsigned limit;
	json_t *rows, *tree, *last;
	enum ost_err err;

	if (page_limit_or_reply(c, &limit))
		return OST_OK;
	if (cur && *cur && (crypto_b64url_decode(cur, strlen(cur), after, sizeof(after) - 1, &n) ||
	                       memchr(after, '\0', n))) {
		response_error(c->res, OST_ERR_INVALID, "cursor is not one this server gave", "cursor");
		return OST_OK;
	}
	after[n] = '\0';
	if ((err = store_app_exists(ctx_param_id(c, 0))) ||
	    (err = store_server_var_list(ctx_param_id(c, 0), after, limit + 1, &rows)))
		return err;
	tree = json_pack("{s:o, s:n}", "items", rows, "next_cursor");
	if (tree && json_array_size(rows) > limit) {
		json_array_remove(rows, limit);
		last = json_array_get(rows, limit - 1);
		crypto_b64url_encode(str(last, "name"), strlen(str(last, "name")), after, sizeof(after));
		json_object_set_new(tree, "next_cursor", json_string(after));
	}
	response_set(c->res, 200, tree, NULL);
	return OST_OK;
}

enum ost_err
api_server_vars_get(struct ctx *c)
{
	json_t *row;
	enum ost_err err = store_server_var_get(ctx_param_id(c, 0), c->params[1], &row);

	if (err)
		return err;
	response_set(c->res, 200, row, NULL);
	return OST_OK;
}

enum ost_err
api_server_vars_declare(struct ctx *c)
{
	struct field_error ferr;
	json_t *row = NULL;
	enum ost_err err = server_vars_do_declare(c, ctx_param_id(c, 0), &row, &ferr);

	return reply_change(c, err, 201, row, &ferr, 0);
}

/* Shared by update and set: the version, then OP. */
static enum ost_err
versioned(struct ctx *c,
    enum ost_err (*op)(struct ctx *, long long, const char *, long long, json_t **,
        struct field_error *))
{
	struct field_error ferr;
	long long version;
	int if_match;
	json_t *row = NULL;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	err = op(c, ctx_param_id(c, 0), c->params[1], version, &row, &ferr);
	return reply_change(c, err, 200, row, &ferr, if_match);
}

enum ost_err
api_server_vars_update(struct ctx *c)
{
	return versioned(c, server_vars_do_update);
}

enum ost_err
api_server_vars_set(struct ctx *c)
{
	return versioned(c, server_vars_do_set);
}

enum ost_err
api_server_vars_delete(struct ctx *c)
{
	return reply_change(c, server_vars_do_delete(c, ctx_param_id(c, 0), c->params[1]), 204,
	    NULL, NULL, 0);
}
