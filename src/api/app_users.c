/* app_users.c - /api/v1/apps/{id}/users: people attached to an application */
#include "api/app_users.h"
#include "api/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "store/app_user.h"
#include "store/db.h"
#include "store/resource.h"
#include "store/user.h"

static const char *const ignore_keys[] = {"csrf", "version", "format", NULL};

const struct field app_users_add_fields[] = {
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

#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

/* The person to attach: an existing one by email, or a new one whose
 * password must be given twice alike. *PHC gets the new one's hash. */
static enum ost_err
person_or_hash(struct ctx *c, const json_t *in, long long *user_id, char *phc, size_t phcsz,
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
	return auth_password_hash(&c->app->cfg, pw, phc, phcsz);
}

enum ost_err
app_users_do_add(struct ctx *c, long long app_id, json_t **row, struct field_error *ferr)
{
	char phc[CRYPTO_PHC_MAX] = "";
	json_t *in = NULL, *details;
	long long uid = 0;
	enum ost_err err = fields_apply(app_users_add_fields, APP_USERS_ADD_NFIELDS, c->req->body,
	    ctx_is_form(c), FIELDS_CREATE, ignore_keys, &in, ferr);

	*row = NULL;
	if (!err && !(err = store_app_exists(app_id)))
		err = person_or_hash(c, in, &uid, phc, sizeof(phc), ferr);
	if (!err && !(err = db_begin())) {
		if (!uid)
			err = store_user_insert(json_string_value(json_object_get(in, "email")),
			    json_string_value(json_object_get(in, "first_name")),
			    json_string_value(json_object_get(in, "last_name")), phc, &uid);
		if (!err)
			err = store_app_user_add(app_id, uid);
		details = json_pack("{s:s, s:I}", "email",
		    json_string_value(json_object_get(in, "email")), "user_id", (json_int_t)uid);
		if (!err)
			err = audit(c, "app.user_add", "app", app_id, details);
		json_decref(details);
		if (!err)
			err = store_app_user_get(app_id, uid, row);
		err = db_finish(err);
	}
	memset(phc, 0, sizeof(phc));
	json_decref(in);
	return err;
}

enum ost_err
app_users_do_set_enabled(struct ctx *c, long long app_id, long long user_id, long long version,
    json_t **row, struct field_error *ferr)
{
	json_t *in = NULL, *details = NULL;
	int enabled;
	enum ost_err err = fields_apply(enable_fields, NFIELDS(enable_fields), c->req->body,
	    ctx_is_form(c), FIELDS_CREATE, ignore_keys, &in, ferr);

	*row = NULL;
	if (err || (err = db_begin())) {
		json_decref(in);
		return err;
	}
	enabled = json_is_true(json_object_get(in, "enabled"));
	err = store_app_user_set_enabled(app_id, user_id, enabled, version);
	if (!err && !(details = json_pack("{s:I, s:b}", "user_id", (json_int_t)user_id, "enabled",
	                  enabled)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = audit(c, enabled ? "app.user_enable" : "app.user_disable", "app", app_id, details);
	if (!err)
		err = store_app_user_get(app_id, user_id, row);
	json_decref(details);
	json_decref(in);
	return db_finish(err);
}

enum ost_err
app_users_do_remove(struct ctx *c, long long app_id, long long user_id)
{
	json_t *details = json_pack("{s:I}", "user_id", (json_int_t)user_id);
	enum ost_err err = details ? db_begin() : OST_ERR_NOMEM;

	if (!err) {
		err = store_app_user_remove(app_id, user_id);
		if (!err)
			err = audit(c, "app.user_remove", "app", app_id, details);
		err = db_finish(err);
	}
	json_decref(details);
	return err;
}

enum ost_err
api_app_users_list(struct ctx *c)
{
	const char *enabled = request_field(c->req, "enabled"), *email = request_field(c->req, "email");
	long long app_id = ctx_param_id(c, 0), after;
	unsigned limit;
	json_t *rows;
	char *like;
	enum ost_err err;

	if (page_args_or_reply(c, &limit, &after))
		return OST_OK;
	if (enabled && strcmp(enabled, "true") && strcmp(enabled, "false")) {
		response_error(c->res, OST_ERR_INVALID, "use true or false", "enabled");
		return OST_OK;
	}
	if ((err = store_app_exists(app_id)))
		return err;
	if (!(like = store_like_pattern(email && strlen(email) <= 100 ? email : "")))
		return OST_ERR_NOMEM;
	err = store_app_user_list(app_id, after, enabled ? strcmp(enabled, "true") == 0 : -1,
	    email && strlen(email) <= 100 ? email : "", like, limit + 1, &rows);
	free(like);
	if (err)
		return err;
	response_set(c->res, 200, page_tree(rows, limit), NULL);
	return OST_OK;
}

enum ost_err
api_app_users_get(struct ctx *c)
{
	json_t *row;
	enum ost_err err = store_app_user_get(ctx_param_id(c, 0), ctx_param_id(c, 1), &row);

	if (err)
		return err;
	response_set(c->res, 200, row, NULL);
	return OST_OK;
}

enum ost_err
api_app_users_add(struct ctx *c)
{
	struct field_error ferr;
	json_t *row;
	enum ost_err err = app_users_do_add(c, ctx_param_id(c, 0), &row, &ferr);

	if (err == OST_ERR_INVALID)
		return reply_field_error(c, &ferr);
	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, err, "This person is already a user of the application",
		    "email");
		return OST_OK;
	}
	if (err)
		return err;
	response_set(c->res, 201, row, NULL);
	return OST_OK;
}

enum ost_err
api_app_users_update(struct ctx *c)
{
	struct field_error ferr;
	long long version;
	int if_match;
	json_t *row;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	err = app_users_do_set_enabled(c, ctx_param_id(c, 0), ctx_param_id(c, 1), version, &row,
	    &ferr);
	if (err == OST_ERR_INVALID)
		return reply_field_error(c, &ferr);
	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, if_match ? OST_ERR_PRECONDITION : OST_ERR_CONFLICT,
		    "Someone changed this since you read it: read it again and retry", "version");
		return OST_OK;
	}
	if (err)
		return err;
	response_set(c->res, 200, row, NULL);
	return OST_OK;
}

enum ost_err
api_app_users_remove(struct ctx *c)
{
	enum ost_err err = app_users_do_remove(c, ctx_param_id(c, 0), ctx_param_id(c, 1));

	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
