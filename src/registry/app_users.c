/* app_users.c - people attached to an application: added (a new person
 * created on the way), enabled or disabled, removed */
#include "registry/app_users.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "crypto/crypto.h"
#include "core/gen.h"
#include "registry/change.h"
#include "store/app_user.h"
#include "store/oauth_token.h"
#include "store/user.h"

static const struct field add_fields[] = {
	{.name = "email", .label = "Email", .kind = FIELD_EMAIL, .flags = FIELD_REQUIRED},
	{.name = "first_name", .label = "First name", .kind = FIELD_STRING, .min = 1, .max = 100,
	    .flags = FIELD_REQUIRED},
	{.name = "last_name", .label = "Last name", .kind = FIELD_STRING, .min = 0, .max = 100},
	{.name = "password", .label = "Password", .kind = FIELD_STRING, .min = 12,
	    .max = PASSWORD_MAX, .flags = FIELD_SECRET | FIELD_NULLABLE},
	{.name = "password_confirmation", .label = "Confirm password", .kind = FIELD_STRING,
	    .min = 0, .max = PASSWORD_MAX, .flags = FIELD_SECRET | FIELD_NULLABLE},
};

static const struct field enable_fields[] = {
	{.name = "enabled", .label = "Enabled", .kind = FIELD_BOOL, .flags = FIELD_REQUIRED},
};

const struct field_table reg_app_user_body = FIELD_TABLE("AppUserNew", add_fields);
const struct field_table reg_app_user_enable_body = FIELD_TABLE("AppUserState", enable_fields);

/* An application user as rows hold it (STMT_APP_USER_GET): id is the person's. */
static const struct field row_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "email", .kind = FIELD_EMAIL},
	{.name = "first_name", .kind = FIELD_STRING},
	{.name = "last_name", .kind = FIELD_STRING},
	{.name = "enabled", .kind = FIELD_BOOL},
	{.name = "version", .kind = FIELD_INT},
	{.name = "created_at", .kind = FIELD_TIME},
	{.name = "updated_at", .kind = FIELD_TIME},
};
const struct field_table reg_app_user_row = FIELD_TABLE("AppUser", row_fields);

/* The person to attach: an existing one by email, or a new one whose
 * password must be given twice alike. *PHC gets the new one's hash. */
static OST_MUST_CHECK enum ost_err
person_or_hash(const struct op *op, const json_t *in, long long *user_id, char *phc, size_t phcsz,
    struct field_error *ferr)
{
	const char *pw = json_string_value(json_object_get(in, "password"));
	const char *again = json_string_value(json_object_get(in, "password_confirmation"));
	json_t *row = NULL;
	enum ost_err err = store_user_by_email(json_string_value(json_object_get(in, "email")), &row);

	*user_id = 0;
	if (!err)
		*user_id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	if (err != OST_ERR_NOT_FOUND)
		return err;
	ferr->field = !pw ? "password" : "password_confirmation";
	if (!pw || !again || strcmp(pw, again) != 0) {
		snprintf(ferr->message, sizeof(ferr->message), "%s",
		    !pw ? "A new person needs a password"
		        : "password_confirmation does not match password");
		return OST_ERR_INVALID;
	}
	return auth_password_hash(&op->app->cfg, pw, phc, phcsz);
}

enum ost_err
reg_app_user_add(const struct op *op, long long app_id, const json_t *in, json_t **row,
    struct field_error *ferr)
{
	char phc[CRYPTO_PHC_MAX] = "";
	json_t *details;
	long long uid = 0;
	struct change ch;
	enum ost_err err = store_app_exists(app_id);

	*row = NULL;
	if (!err)
		err = person_or_hash(op, in, &uid, phc, sizeof(phc), ferr);
	if (!err && !(err = change_begin(&ch, op))) {
		if (!uid)
			err = store_user_insert(json_string_value(json_object_get(in, "email")),
			    json_string_value(json_object_get(in, "first_name")),
			    json_string_value(json_object_get(in, "last_name")), phc, &uid);
		if (!err)
			err = store_app_user_add(app_id, uid);
		details = json_pack("{s:s, s:I}", "email",
		    json_string_value(json_object_get(in, "email")), "user_id", (json_int_t)uid);
		if (!err)
			err = details ? change_audit(&ch, "app.user_add", "app", app_id, details)
			              : OST_ERR_NOMEM;
		json_decref(details);
		if (!err)
			err = store_app_user_get(app_id, uid, row);
		if (!err)
			err = change_event(&ch, app_id, "app_user.added", 0, *row);
		err = change_end(&ch, err);
	}
	crypto_wipe(phc, sizeof(phc));
	return err;
}

enum ost_err
reg_app_user_set_enabled(const struct op *op, long long app_id, long long user_id,
    long long version, const json_t *in, json_t **row)
{
	json_t *details = NULL;
	int enabled;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	*row = NULL;
	if (err)
		return err;
	/* the application's check, and the user's OAuth tokens of it */
	change_invalidates(&ch, GEN_BIT(GEN_APPS) | GEN_BIT(GEN_OAUTH));
	enabled = json_is_true(json_object_get(in, "enabled"));
	err = store_app_user_set_enabled(app_id, user_id, enabled, version);
	if (!err && !(details = json_pack("{s:I, s:b}", "user_id", (json_int_t)user_id, "enabled",
	                  enabled)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = change_audit(&ch, enabled ? "app.user_enable" : "app.user_disable", "app", app_id,
		    details);
	if (!err)
		err = store_app_user_get(app_id, user_id, row);
	if (!err)
		err = change_event(&ch, app_id, enabled ? "app_user.enabled" : "app_user.disabled", 0,
		    *row);
	json_decref(details);
	return change_end(&ch, err);
}

enum ost_err
reg_app_user_remove(const struct op *op, long long app_id, long long user_id)
{
	json_t *details = json_pack("{s:I}", "user_id", (json_int_t)user_id);
	unsigned long long revoked = 0;
	struct change ch;
	enum ost_err err = details ? change_begin(&ch, op) : OST_ERR_NOMEM;

	if (!err) {
		/* the application's check, and its OAuth tokens of the user */
		change_invalidates(&ch, GEN_BIT(GEN_APPS) | GEN_BIT(GEN_OAUTH));
		err = store_app_user_remove(app_id, user_id);
		if (!err)
			err = store_oauth_app_user_revoke(app_id, user_id, &revoked);
		if (!err && json_object_set_new(details, "oauth_tokens_revoked",
		                json_integer((json_int_t)revoked)))
			err = OST_ERR_NOMEM;
		if (!err)
			err = change_audit(&ch, "app.user_remove", "app", app_id, details);
		if (!err && json_object_set_new(details, "removed", json_true()))
			err = OST_ERR_NOMEM;
		if (!err) /* the person is no longer the application's: their id says who */
			err = change_event(&ch, app_id, "app_user.removed", 0, details);
		err = change_end(&ch, err);
	}
	json_decref(details);
	return err;
}

