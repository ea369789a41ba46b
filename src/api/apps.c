/* apps.c - applications: the identity sheet resource, its API credentials,
 * and the JSON/XML handlers of /api/v1/apps */
#include "api/apps.h"

#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/suites.h"
#include "crypto/crypto.h"
#include "store/app.h"
#include "store/db.h"
#include "valid/app_rules.h"

static const char *const authenticators[] = {"user_credentials", "authorization_code",
	"authorization_code_pkce", NULL};

/* The field table, with the checks that differ between production and
 * development mode as arguments. */
#define APP_FIELDS(EVENTS_URL, DOMAIN, ORIGIN, REDIRECT_URI) \
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100, \
	    .flags = FIELD_REQUIRED}, \
	{.name = "description", .label = "Description", .kind = FIELD_TEXT, .max = 1000}, \
	{.name = "icon_url", .label = "Icon URL", .kind = FIELD_STRING, .max = 2048, \
	    .flags = FIELD_NULLABLE, .check = app_check_icon_url}, \
	{.name = "app_group_id", .label = "App group id", .kind = FIELD_STRING, .max = 64, \
	    .flags = FIELD_NULLABLE, .check = app_check_group_id}, \
	{.name = "suite_id", .label = "Suite", .kind = FIELD_ID, .flags = FIELD_NULLABLE}, \
	{.name = "project_id", .label = "Project", .kind = FIELD_ID, .flags = FIELD_NULLABLE}, \
	{.name = "events_url", .label = "Events URL", .kind = FIELD_STRING, .max = 2048, \
	    .flags = FIELD_NULLABLE, .check = EVENTS_URL}, \
	{.name = "allowed_ips", .label = "Allowed IP addresses", .kind = FIELD_STRINGS, \
	    .max = 100, .item = app_item_ip, .dflt = "[]"}, \
	{.name = "permissions", .label = "Permissions", .kind = FIELD_STRINGS, .max = 64, \
	    .item = app_item_permission, .check = app_check_permissions, .dflt = "[]"}, \
	{.name = "capabilities", .label = "Capabilities", .kind = FIELD_OBJECT, \
	    .check = app_check_capabilities, .dflt = "{\"read\": [], \"write\": []}"}, \
	{.name = "display", .label = "Display", .kind = FIELD_OBJECT, \
	    .check = app_check_display, .dflt = "{}"}, \
	{.name = "domain", .label = "Domain", .kind = FIELD_STRING, .max = 255, \
	    .flags = FIELD_NULLABLE, .check = DOMAIN}, \
	{.name = "allowed_origins", .label = "Allowed origins", .kind = FIELD_STRINGS, \
	    .max = 50, .item = ORIGIN, .dflt = "[]"}, \
	{.name = "redirect_uris", .label = "Redirect URIs", .kind = FIELD_STRINGS, .max = 20, \
	    .item = REDIRECT_URI, .dflt = "[]"}, \
	{.name = "authenticator", .label = "Authenticator", .kind = FIELD_ENUM, \
	    .choices = authenticators, .dflt = "\"authorization_code_pkce\""}, \
	{.name = "access_token_ttl", .label = "Access token lifespan (seconds)", \
	    .kind = FIELD_INT, .min = 60, .max = 86400, .dflt = "3600"}, \
	{.name = "refresh_token_ttl", .label = "Refresh token lifespan (seconds)", \
	    .kind = FIELD_INT, .min = 60, .max = 365LL * 86400, .dflt = "2592000"}, \
	{.name = "public_key_current", .label = "Public key (current)", .kind = FIELD_TEXT, \
	    .max = 8192, .flags = FIELD_NULLABLE, .check = app_check_public_key}, \
	{.name = "public_key_previous", .label = "Public key (previous)", .kind = FIELD_TEXT, \
	    .max = 8192, .flags = FIELD_NULLABLE, .check = app_check_public_key}, \
	{.name = "certificate", .label = "Certificate", .kind = FIELD_TEXT, .max = 8192, \
	    .flags = FIELD_NULLABLE, .check = app_check_certificate}, \
	{.name = "properties", .label = "Properties", .kind = FIELD_OBJECT, \
	    .check = app_check_properties, .dflt = "{}"}

static const struct field app_fields[] = {APP_FIELDS(app_check_events_url, app_check_domain,
	app_item_origin, app_item_redirect_uri)};
static const struct field app_fields_dev[] = {APP_FIELDS(app_check_events_url_dev,
	app_check_domain_dev, app_item_origin_dev, app_item_redirect_uri_dev)};

#define APP_WRITE_FIELDS "name", "description", "icon_url", "app_group_id", "suite_id", \
	"project_id", "events_url", "allowed_ips", "permissions", "capabilities", "display", \
	"domain", "allowed_origins", "redirect_uris", "authenticator", "access_token_ttl", \
	"refresh_token_ttl", "public_key_current", "public_key_previous", "certificate", \
	"properties"
static const char *const app_insert_cols[] = {APP_WRITE_FIELDS, "public_id", "key_hash", NULL};
static const char *const app_update_cols[] = {APP_WRITE_FIELDS, NULL};
static const struct resource_filter app_filters[] = {{"name", FILTER_CONTAINS},
	{"suite_id", FILTER_ID}, {"project_id", FILTER_ID}, {"company_id", FILTER_ID}};

static enum ost_err app_check_item(const json_t *item, struct field_error *err);

#define APP_RESOURCE(FIELDS) { \
	.type = "app", \
	.title = "Applications", \
	.fields = FIELDS, \
	.nfields = sizeof(FIELDS) / sizeof(FIELDS[0]), \
	.insert_cols = app_insert_cols, \
	.update_cols = app_update_cols, \
	.filters = app_filters, \
	.nfilters = sizeof(app_filters) / sizeof(app_filters[0]), \
	.list = STMT_APP_LIST, \
	.get = STMT_APP_GET, \
	.insert = STMT_APP_INSERT, \
	.update = STMT_APP_UPDATE, \
	.del = STMT_APP_DELETE, \
	.check = app_check_item, \
}

const struct resource apps_resource = APP_RESOURCE(app_fields);
const struct resource apps_resource_dev = APP_RESOURCE(app_fields_dev);

/* Keys of a body that are not fields: the form's token, the version. */
static const char *const ignore_keys[] = {"csrf", "version", "format", NULL};

const struct resource *
apps_resource_for(const struct ctx *c)
{
	return c->app->cfg.development ? &apps_resource_dev : &apps_resource;
}

static enum ost_err
field_bad(struct field_error *err, const char *field, const char *message)
{
	err->field = field;
	snprintf(err->message, sizeof(err->message), "%s", message);
	return OST_ERR_INVALID;
}

/* The suite and project of ITEM exist, and the project is the suite's. */
static enum ost_err
check_suite_project(const json_t *item, struct field_error *err)
{
	long long suite = json_integer_value(json_object_get(item, "suite_id"));
	long long project = json_integer_value(json_object_get(item, "project_id"));
	json_t *row = NULL;
	enum ost_err e = OST_OK;

	if (suite > 0 && (e = store_resource_get(&suites_resource, suite, &row)) == OST_ERR_NOT_FOUND)
		return field_bad(err, "suite_id", "suite_id names no suite");
	json_decref(row);
	row = NULL;
	if (e || project < 1)
		return e;
	if ((e = store_resource_get(&projects_resource, project, &row)) == OST_ERR_NOT_FOUND)
		return field_bad(err, "project_id", "project_id names no project");
	if (!e && suite > 0 && json_integer_value(json_object_get(row, "suite_id")) != suite)
		e = field_bad(err, "project_id", "project_id names a project of another suite");
	json_decref(row);
	return e;
}

/* The cross-field rules, on a new or merged identity sheet. */
static enum ost_err
app_check_item(const json_t *item, struct field_error *err)
{
	const char *group = json_string_value(json_object_get(item, "app_group_id"));
	long long id = json_integer_value(json_object_get(item, "id"));
	int taken = 0;
	enum ost_err e;

	if (json_integer_value(json_object_get(item, "refresh_token_ttl")) <=
	    json_integer_value(json_object_get(item, "access_token_ttl")))
		return field_bad(err, "refresh_token_ttl",
		    "refresh_token_ttl must be greater than access_token_ttl");
	if (json_is_string(json_object_get(item, "certificate")) &&
	    json_is_string(json_object_get(item, "public_key_current")))
		return field_bad(err, "certificate",
		    "give a certificate or a current public key, not both");
	if ((e = check_suite_project(item, err)))
		return e;
	if (group && (e = store_app_group_taken(group, id, &taken)))
		return e;
	if (taken) {
		field_bad(err, "app_group_id", "app_group_id is already another application's");
		return OST_ERR_CONFLICT;
	}
	return OST_OK;
}

/* A new private API key: its text (shown once) and its HMAC with the
 * pepper (stored). */
struct app_key {
	char text[CRYPTO_TOKEN_TEXT];
	uint8_t hash[CRYPTO_SHA256_LEN];
};

static enum ost_err
app_key_new(const struct ctx *c, struct app_key *k)
{
	uint8_t unused[CRYPTO_SHA256_LEN];

	crypto_token_new(k->text, unused);
	return crypto_hmac_sha256(c->app->pepper, APP_PEPPER_LEN, k->text, strlen(k->text),
	    k->hash);
}

static void
app_key_wipe(struct app_key *k)
{
	crypto_wipe(k, sizeof(*k));
}

/* Add a fresh public id and the hash of K to VALUES. */
static enum ost_err
add_credentials(json_t *values, const struct app_key *k)
{
	uint8_t raw[APP_PUBLIC_ID_BYTES];
	char public_id[2 * APP_PUBLIC_ID_BYTES + 1], hash[2 * CRYPTO_SHA256_LEN + 1];

	crypto_random(raw, sizeof(raw));
	if (crypto_hex_encode(raw, sizeof(raw), public_id, sizeof(public_id)) ||
	    crypto_hex_encode(k->hash, sizeof(k->hash), hash, sizeof(hash)))
		return OST_ERR_INTERNAL;
	if (json_object_set_new(values, "public_id", json_string(public_id)) ||
	    json_object_set_new(values, "key_hash", json_string(hash)))
		return OST_ERR_NOMEM;
	return OST_OK;
}

/* Insert VALUES (with credentials) and audit DETAILS in one transaction;
 * *ROW gets the new row. */
static enum ost_err
insert_app(struct ctx *c, const struct resource *r, const json_t *values, const json_t *details,
    json_t **row)
{
	long long id = 0;
	enum ost_err err = db_begin();

	if (err)
		return err;
	err = store_resource_insert(r, values, &id);
	if (!err)
		err = audit(c, "app.create", r->type, id, details);
	if (!err)
		err = store_resource_get(r, id, row);
	return db_finish(err);
}

enum ost_err
apps_do_create(struct ctx *c, json_t **row, struct field_error *ferr)
{
	const struct resource *r = apps_resource_for(c);
	json_t *values = NULL, *details = NULL;
	struct app_key key;
	enum ost_err err;

	*row = NULL;
	ferr->field = NULL;
	err = fields_apply(r->fields, r->nfields, c->req->body, ctx_is_form(c), FIELDS_CREATE,
	    ignore_keys, &values, ferr);
	if (!err)
		err = r->check(values, ferr);
	if (!err && !(details = without_secrets(r->fields, r->nfields, values)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = app_key_new(c, &key);
	if (!err)
		err = add_credentials(values, &key);
	if (!err)
		json_object_set(details, "public_id", json_object_get(values, "public_id"));
	if (!err)
		err = insert_app(c, r, values, details, row);
	if (err == OST_ERR_CONFLICT && !ferr->field)
		field_bad(ferr, "app_group_id", "app_group_id is already another application's");
	if (!err && json_object_set_new(*row, "private_api_key", json_string(key.text)))
		err = OST_ERR_NOMEM;
	app_key_wipe(&key);
	json_decref(details);
	json_decref(values);
	return err;
}

enum ost_err
apps_do_update(struct ctx *c, long long id, long long version, json_t **row,
    struct field_error *ferr)
{
	enum ost_err err;

	ferr->field = NULL;
	err = resource_do_update(c, apps_resource_for(c), id, version, row, ferr);
	if (err == OST_ERR_CONFLICT && !*row && !ferr->field)
		field_bad(ferr, "app_group_id", "app_group_id is already another application's");
	return err;
}

enum ost_err
apps_do_delete(struct ctx *c, long long id, const char **why)
{
	long long users = 0;
	enum ost_err err = db_begin();

	*why = NULL;
	if (err)
		return err;
	err = store_app_users_count(id, &users);
	if (!err && users > 0) {
		*why = "The application still has application users: remove them first";
		err = OST_ERR_CONFLICT;
	}
	if (!err)
		err = store_resource_delete(apps_resource_for(c), id);
	if (err == OST_ERR_CONFLICT && !*why)
		*why = "Other objects still refer to the application; remove them first";
	if (!err)
		err = audit(c, "app.delete", "app", id, NULL);
	return db_finish(err);
}

const struct field apps_rotate_fields[APPS_ROTATE_NFIELDS] = {
	{.name = "grace_seconds", .label = "Keep the old key valid for (seconds)",
	    .kind = FIELD_INT, .min = 0, .max = APP_GRACE_MAX, .dflt = "0"},
};

/* Rotate in one transaction; *ROW gets the row after it. */
static enum ost_err
rotate_in_db(struct ctx *c, long long id, const struct app_key *k, long long grace,
    json_t **row)
{
	json_t *details;
	enum ost_err err = db_begin();

	if (err)
		return err;
	err = store_app_rotate_key(id, k->hash, grace);
	if (!err)
		err = store_resource_get(apps_resource_for(c), id, row);
	if (!err) {
		details = json_pack("{s:I, s:O}", "grace_seconds", (json_int_t)grace,
		    "previous_key_expires_at", json_object_get(*row, "previous_key_expires_at"));
		err = details ? audit(c, "app.rotate_key", "app", id, details) : OST_ERR_NOMEM;
		json_decref(details);
	}
	return db_finish(err);
}

enum ost_err
apps_do_rotate(struct ctx *c, long long id, json_t **out, struct field_error *ferr)
{
	json_t *input = NULL, *row = NULL;
	struct app_key key;
	enum ost_err err;

	*out = NULL;
	err = fields_apply(apps_rotate_fields, APPS_ROTATE_NFIELDS, c->req->body, ctx_is_form(c), FIELDS_CREATE,
	    ignore_keys, &input, ferr);
	if (err)
		return err;
	err = app_key_new(c, &key);
	if (!err)
		err = rotate_in_db(c, id, &key,
		    json_integer_value(json_object_get(input, "grace_seconds")), &row);
	if (!err && !(*out = json_pack("{s:O, s:O, s:s, s:O, s:O}", "id", json_object_get(row, "id"),
	    "public_id", json_object_get(row, "public_id"), "private_api_key", key.text,
	    "previous_key_expires_at", json_object_get(row, "previous_key_expires_at"),
	    "version", json_object_get(row, "version"))))
		err = OST_ERR_NOMEM;
	app_key_wipe(&key);
	json_decref(row);
	json_decref(input);
	return err;
}

/* ---------------------------------------------------------------------
 * Handlers */

/* Answer 409 naming ERR's field. */
static enum ost_err
reply_conflict(struct ctx *c, const struct field_error *err)
{
	response_error(c->res, OST_ERR_CONFLICT, err->message, err->field);
	return OST_OK;
}

enum ost_err
api_apps_list(struct ctx *c)
{
	return resource_list(c, apps_resource_for(c));
}

enum ost_err
api_apps_get(struct ctx *c)
{
	return resource_get(c, apps_resource_for(c));
}

enum ost_err
api_apps_create(struct ctx *c)
{
	struct field_error ferr;
	json_t *row = NULL;
	enum ost_err err = apps_do_create(c, &row, &ferr);

	if (err == OST_ERR_INVALID)
		return reply_field_error(c, &ferr);
	if (err == OST_ERR_CONFLICT)
		return reply_conflict(c, &ferr);
	if (err)
		return err;
	response_location(c->res, &c->app->cfg, "/api/v1/apps/%lld",
	    (long long)json_integer_value(json_object_get(row, "id")));
	return resource_reply_row(c, 201, row);
}

enum ost_err
api_apps_update(struct ctx *c)
{
	struct field_error ferr;
	long long version = 0;
	int if_match = 0;
	json_t *row = NULL;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	err = apps_do_update(c, ctx_param_id(c, 0), version, &row, &ferr);
	if (err == OST_ERR_INVALID)
		return reply_field_error(c, &ferr);
	if (err == OST_ERR_CONFLICT && !row)
		return reply_conflict(c, &ferr);
	if (err == OST_ERR_CONFLICT) {
		json_decref(row);
		response_error(c->res, if_match ? OST_ERR_PRECONDITION : OST_ERR_CONFLICT,
		    "Someone changed this since you read it: read it again and retry", "version");
		return OST_OK;
	}
	return err ? err : resource_reply_row(c, 200, row);
}

enum ost_err
api_apps_delete(struct ctx *c)
{
	const char *why = NULL;
	enum ost_err err = apps_do_delete(c, ctx_param_id(c, 0), &why);

	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, err, why, NULL);
		return OST_OK;
	}
	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}

enum ost_err
api_apps_rotate_key(struct ctx *c)
{
	struct field_error ferr;
	json_t *out = NULL;
	enum ost_err err = apps_do_rotate(c, ctx_param_id(c, 0), &out, &ferr);

	if (err == OST_ERR_INVALID)
		return reply_field_error(c, &ferr);
	if (err)
		return err;
	response_set(c->res, 200, out, NULL);
	return OST_OK;
}
