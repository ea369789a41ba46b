/* server_vars.c - an application's server variables: declared by the
 * application, filled by an administrator; secret values sealed with
 * AES-256-GCM and never read back out */
#include "registry/server_vars.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/crypto.h"
#include "registry/change.h"
#include "store/app.h"
#include "store/app_user.h"
#include "store/server_var.h"

/* A variable name: [A-Z][A-Z0-9_]*. */
static const char *
check_name(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);
	size_t i;

	(void)fc;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (i && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))))
			break;
	if (s[i] || i == 0) {
		snprintf(msg, msgsz, "name must start with A-Z and hold only A-Z, 0-9 and _");
		return msg;
	}
	return NULL;
}

static const struct field declare_fields[] = {
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
const struct field_table reg_svar_declare_body = FIELD_TABLE("ServerVariableNew", declare_fields);
const struct field_table reg_svar_update_body = FIELD_TABLE("ServerVariableChange", update_fields);
const struct field_table reg_svar_value_body = FIELD_TABLE("ServerVariableValue", set_fields);

/* A variable as rows hold it (STMT_SVAR_GET): a secret one's value is null. */
static const struct field row_fields[] = {
	{.name = "name", .kind = FIELD_STRING},
	{.name = "description", .kind = FIELD_TEXT},
	{.name = "is_secret", .kind = FIELD_BOOL},
	{.name = "is_required", .kind = FIELD_BOOL},
	{.name = "value", .kind = FIELD_TEXT, .flags = FIELD_NULLABLE,
	    .help = "null when not set, and always for a secret variable"},
	{.name = "is_set", .kind = FIELD_BOOL},
	{.name = "version", .kind = FIELD_INT},
	{.name = "created_at", .kind = FIELD_TIME},
	{.name = "updated_at", .kind = FIELD_TIME},
};
const struct field_table reg_svar_row = FIELD_TABLE("ServerVariable", row_fields);

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* End change CH: ERR so far; audit ACTION with DETAILS (borrowed); *ROW
 * (may be NULL) gets NAME's row. */
static OST_MUST_CHECK enum ost_err
finish_change(struct change *ch, enum ost_err err, long long app_id, const char *name,
    const char *action, const json_t *details, json_t **row)
{
	if (!err)
		err = details ? change_audit(ch, action, "app", app_id, details) : OST_ERR_NOMEM;
	if (!err && row)
		err = store_server_var_get(app_id, name, row);
	return change_end(ch, err);
}

enum ost_err
reg_svar_declare(const struct op *op, long long app_id, const json_t *in, json_t **row,
    struct field_error *ferr)
{
	long long count = 0;
	struct change ch;
	enum ost_err err = store_app_exists(app_id);

	*row = NULL;
	if (!err && !(err = change_begin(&ch, op))) {
		/* the application's row locked first, then counted (a locking
		 * read, of what is committed): declarations at once wait for each
		 * other, and each counts what the one before it committed */
		err = store_app_lock(app_id);
		if (!err)
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
		err = finish_change(&ch, err, app_id, str(in, "name"), "app.server_variable_declare",
		    in, row);
	}
	return err;
}

enum ost_err
reg_svar_update(const struct op *op, long long app_id, const char *name, long long version,
    const json_t *in, json_t **row)
{
	json_t *cur = NULL, *details = NULL;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	*row = NULL;
	if (err)
		return err;
	err = store_server_var_get(app_id, name, &cur);
	if (!err && json_object_update(cur, (json_t *)in))
		err = OST_ERR_NOMEM;
	if (!err) {
		err = store_server_var_update(app_id, name, str(cur, "description"),
		    json_is_true(json_object_get(cur, "is_required")), version);
	}
	if (!err && (details = json_deep_copy(in)) &&
	    json_object_set_new(details, "name", json_string(name)))
		err = OST_ERR_NOMEM;
	err = finish_change(&ch, err, app_id, name, "app.server_variable_update", details, row);
	json_decref(details);
	json_decref(cur);
	return err;
}

/* Store VALUE (NULL clears) for variable CUR of APP_ID, sealed when secret. */
static OST_MUST_CHECK enum ost_err
store_value(const struct op *op, long long app_id, const json_t *cur, const char *value,
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
	err = crypto_seal(&op->app->keys, value, n, aad, strlen(aad), sealed, &key_id);
	if (!err)
		err = store_server_var_set(app_id, str(cur, "name"), NULL, sealed, n + AEAD_OVERHEAD,
		    key_id, version);
	free(sealed);
	return err;
}

/* The event of a value set on variable CUR: its name and whether it has a
 * value now, never the value. */
static OST_MUST_CHECK enum ost_err
set_event(struct change *ch, long long app_id, const json_t *cur, int set)
{
	json_t *data = json_pack("{s:O, s:b, s:b}", "name", json_object_get(cur, "name"), "is_set",
	    set, "is_secret", json_is_true(json_object_get(cur, "is_secret")));
	enum ost_err err = data ? change_event(ch, app_id, "server_variable.set", 0, data)
	                        : OST_ERR_NOMEM;

	json_decref(data);
	return err;
}

enum ost_err
reg_svar_set(const struct op *op, long long app_id, const char *name, long long version,
    const json_t *in, json_t **row)
{
	json_t *cur = NULL, *details = NULL;
	const char *value;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	*row = NULL;
	if (err)
		return err;
	value = str(in, "value");
	err = store_server_var_get(app_id, name, &cur);
	if (!err)
		err = store_value(op, app_id, cur, value, version);
	if (!err && !(details = json_pack("{s:s, s:b}", "name", name, "set", value != NULL)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = set_event(&ch, app_id, cur, value != NULL);
	err = finish_change(&ch, err, app_id, name, "app.server_variable_set", details, row);
	json_decref(details);
	json_decref(cur);
	return err;
}

enum ost_err
reg_svar_delete(const struct op *op, long long app_id, const char *name)
{
	json_t *details = json_pack("{s:s}", "name", name);
	struct change ch;
	enum ost_err err = details ? change_begin(&ch, op) : OST_ERR_NOMEM;

	if (!err)
		err = finish_change(&ch, store_server_var_delete(app_id, name), app_id, name,
		    "app.server_variable_delete", details, NULL);
	json_decref(details);
	return err;
}

