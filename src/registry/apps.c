/* apps.c - applications: the identity sheet, its API credentials (made,
 * shown once, rotated with a grace period) and deletion */
#include "registry/apps.h"

#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "broker/connections.h"
#include "core/gen.h"
#include "events/events.h"
#include "registry/change.h"
#include "registry/resource.h"
#include "registry/suites.h"
#include "store/app.h"
#include "store/event.h"
#include "valid/app_fields.h"
#include "valid/app_rules.h"

const char *const app_authenticators[] = {"user_credentials", "authorization_code",
	"authorization_code_pkce", NULL};
const char *const app_authenticator_labels[] = {"User Credentials", "Authorization Flow",
	"Authorization PKCE Flow", NULL};

static const char *const app_domain_kinds[] = {"host", "origin", NULL};
static const char *const app_certificate_kinds[] = {"certificate", "public_key", NULL};

#define APP_FIELD_(NAME, SHEET, ...) {.name = #NAME, .published = SHEET, __VA_ARGS__},
#define APP_NAME_(NAME, SHEET, ...) #NAME,

static const struct field app_fields[] = {APP_FIELDS(APP_FIELD_)};
/* the bind order of STMT_APP_INSERT and STMT_APP_UPDATE (store/stmt.c): the
 * fields, then what app_derive makes of them */
#define APP_DNAME_(NAME) #NAME,
static const char *const app_insert_cols[] = {"public_id", "key_hash", APP_FIELDS(APP_NAME_)
	APP_DERIVED(APP_DNAME_) NULL};
static const char *const app_update_cols[] = {APP_FIELDS(APP_NAME_) APP_DERIVED(APP_DNAME_)
	NULL};
static const struct resource_filter app_filters[] = {{"name", FILTER_CONTAINS},
	{"suite_id", FILTER_ID}, {"project_id", FILTER_ID}, {"company_id", FILTER_ID}};

static enum ost_err app_check_item(const json_t *item, struct field_error *err) OST_MUST_CHECK;
static enum ost_err app_derive(const json_t *in, json_t *item, struct field_error *err)
    OST_MUST_CHECK;

const struct field_table reg_app_body = FIELD_TABLE("App", app_fields);

/* What a row holds besides its fields, the key hashes left out (STMT_APP_GET). */
static const struct field app_out_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "public_id", .kind = FIELD_STRING},
	{.name = "domain_kind", .kind = FIELD_ENUM, .choices = app_domain_kinds,
	    .flags = FIELD_NULLABLE, .help = "What domain holds: a host name (CORS origin "
	    "https:// that host, and http:// too in development mode) or an origin; null "
	    "without a domain"},
	{.name = "certificate_kind", .kind = FIELD_ENUM, .choices = app_certificate_kinds,
	    .flags = FIELD_NULLABLE, .help = "What certificate holds: an X.509 certificate or an "
	    "RSA public key; null without one"},
	{.name = "previous_key_expires_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE,
	    .help = "Until when the key replaced by the last rotation stays valid"},
	{.name = "version", .kind = FIELD_INT},
	{.name = "created_at", .kind = FIELD_TIME},
	{.name = "updated_at", .kind = FIELD_TIME},
};
static const struct field_table app_out = FIELD_TABLE("App", app_out_fields);

/* A new application's row adds its private API key, shown this once. */
static const struct field app_created_fields[] = {
	{.name = "private_api_key", .kind = FIELD_STRING,
	    .help = "Shown this once: keep it, it cannot be read again"},
	{.name = "events_secret", .kind = FIELD_STRING,
	    .help = "The secret events are signed with (Standard Webhooks, whsec_...): shown this "
	    "once, like the key"},
};
const struct field_table reg_app_created = FIELD_TABLE("AppCreated", app_created_fields);

const struct resource reg_apps = {
	.type = "app",
	.fields = app_fields,
	.nfields = sizeof(app_fields) / sizeof(app_fields[0]),
	.out = &app_out,
	.insert_cols = app_insert_cols,
	.update_cols = app_update_cols,
	.filters = app_filters,
	.nfilters = sizeof(app_filters) / sizeof(app_filters[0]),
	.list = STMT_APP_LIST,
	.get = STMT_APP_GET,
	.insert = STMT_APP_INSERT,
	.update = STMT_APP_UPDATE,
	.del = STMT_APP_DELETE,
	.check = app_check_item,
	.derive = app_derive,
	.invalidates = GEN_BIT(GEN_APPS), /* everything the application check reads */
};

static const struct field rotate_fields[] = {
	{.name = "grace_seconds", .label = "Keep the old key valid for (seconds)",
	    .kind = FIELD_INT, .min = 0, .max = APP_GRACE_MAX, .dflt = "0",
	    .help = "How long the key replaced stays valid (0, the default: not at all)"},
};
const struct field_table reg_rotate_body = FIELD_TABLE("KeyRotation", rotate_fields);

/* What reg_app_rotate answers. */
static const struct field rotated_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "public_id", .kind = FIELD_STRING},
	{.name = "private_api_key", .kind = FIELD_STRING,
	    .help = "The new key, shown this once"},
	{.name = "previous_key_expires_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE},
	{.name = "version", .kind = FIELD_INT},
};
const struct field_table reg_app_rotated = FIELD_TABLE("RotatedKey", rotated_fields);

/* Refuse the sheet as invalid, naming FIELD. */
static OST_MUST_CHECK enum ost_err
field_bad(struct field_error *err, const char *field, const char *message)
{
	return op_refuse(err, OST_ERR_INVALID, field, message);
}

/* The suite and project of ITEM exist, and the project is the suite's. */
static OST_MUST_CHECK enum ost_err
check_suite_project(const json_t *item, struct field_error *err)
{
	long long suite = json_integer_value(json_object_get(item, "suite_id"));
	long long project = json_integer_value(json_object_get(item, "project_id"));
	json_t *row = NULL;
	enum ost_err e = OST_OK;

	if (suite > 0 && (e = store_resource_get(&reg_suites, suite, &row)) == OST_ERR_NOT_FOUND)
		return field_bad(err, "suite_id", "suite_id names no suite");
	json_decref(row);
	row = NULL;
	if (e || project < 1)
		return e;
	if ((e = store_resource_get(&reg_projects, project, &row)) == OST_ERR_NOT_FOUND)
		return field_bad(err, "project_id", "project_id names no project");
	if (!e && suite > 0 && json_integer_value(json_object_get(row, "suite_id")) != suite)
		e = field_bad(err, "project_id", "project_id names a project of another suite");
	json_decref(row);
	return e;
}

/* The suite of ITEM's project, when the client (IN) gave a project and no
 * suite, or the sheet has a project and no suite: an application belongs
 * to its project's suite. A suite given with the project is left for
 * check_suite_project to compare. */
static OST_MUST_CHECK enum ost_err
derive_suite(const json_t *in, json_t *item, struct field_error *err)
{
	long long project = json_integer_value(json_object_get(item, "project_id"));
	json_t *row = NULL;
	enum ost_err e;

	if (project < 1 || json_is_integer(json_object_get(in, "suite_id")))
		return OST_OK;
	if (!json_object_get(in, "project_id") && json_is_integer(json_object_get(item, "suite_id")))
		return OST_OK;
	if ((e = store_resource_get(&reg_projects, project, &row)) == OST_ERR_NOT_FOUND)
		return field_bad(err, "project_id", "project_id names no project");
	if (!e && json_object_set(item, "suite_id", json_object_get(row, "suite_id")))
		e = OST_ERR_NOMEM;
	json_decref(row);
	return e;
}

/* Set KEY of ITEM to the string S, or null when S is NULL. */
static OST_MUST_CHECK enum ost_err
set_text(json_t *item, const char *key, const char *s)
{
	return json_object_set_new(item, key, s ? json_string(s) : json_null()) ? OST_ERR_NOMEM
	                                                                        : OST_OK;
}

/* What the sheet's fields make of the rest, on a new or merged sheet (IN
 * being what the client gave): the project's suite, and what the domain
 * and the certificate hold (the columns APP_DERIVED names). */
static enum ost_err
app_derive(const json_t *in, json_t *item, struct field_error *err)
{
	enum ost_err e = derive_suite(in, item, err);

	if (!e)
		e = set_text(item, "domain_kind", app_domain_kind(json_object_get(item, "domain")));
	if (!e)
		e = set_text(item, "certificate_kind",
		    app_certificate_kind(json_object_get(item, "certificate")));
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
	if (json_is_string(json_object_get(item, "public_key_previous")) &&
	    !json_is_string(json_object_get(item, "public_key_current")))
		return field_bad(err, "public_key_previous",
		    "public_key_previous is the key being replaced: give public_key_current too");
	if ((e = check_suite_project(item, err)))
		return e;
	if (group && (e = store_app_group_taken(group, id, &taken)))
		return e;
	if (taken)
		return op_refuse(err, OST_ERR_CONFLICT, "app_group_id",
		    "app_group_id is already another application's");
	return OST_OK;
}

/* A new private API key: its text (shown once) and its HMAC with the
 * pepper (stored). */
struct app_key {
	char text[CRYPTO_TOKEN_TEXT];
	uint8_t hash[CRYPTO_SHA256_LEN];
};

static OST_MUST_CHECK enum ost_err
app_key_new(const struct op *op, struct app_key *k)
{
	uint8_t unused[CRYPTO_SHA256_LEN];

	crypto_token_new(k->text, unused);
	return crypto_hmac_sha256(op->app->pepper, APP_PEPPER_LEN, k->text, strlen(k->text),
	    k->hash);
}

static void
app_key_wipe(struct app_key *k)
{
	crypto_wipe(k, sizeof(*k));
}

/* Add a fresh public id and the hash of K to VALUES. */
static OST_MUST_CHECK enum ost_err
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

/* Insert VALUES (with credentials) and its events secret (into SECRET,
 * shown once), and audit DETAILS, in one change; *ROW gets the new row. */
static OST_MUST_CHECK enum ost_err
insert_app(const struct op *op, const json_t *values, const json_t *details, json_t **row,
    struct events_secret *secret)
{
	long long id = 0;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	if (err)
		return err;
	err = store_resource_insert(&reg_apps, values, &id);
	if (!err)
		err = events_secret_new(&op->app->keys, id, secret);
	if (!err)
		err = store_event_endpoint_rotate(id, secret->sealed, sizeof(secret->sealed),
		    secret->key_id, 0);
	if (!err)
		err = change_audit(&ch, "app.create", reg_apps.type, id, details);
	if (!err)
		err = store_resource_get(&reg_apps, id, row);
	return change_end(&ch, err);
}

enum ost_err
reg_app_create(const struct op *op, const json_t *in, json_t **row, struct field_error *why)
{
	json_t *values = json_deep_copy(in), *details = NULL;
	struct app_key key = {0};
	struct events_secret secret = {0};
	enum ost_err err = values ? OST_OK : OST_ERR_NOMEM;

	*row = NULL;
	why->field = NULL;
	why->message[0] = '\0';
	if (!err)
		err = app_derive(in, values, why);
	if (!err)
		err = app_check_item(values, why);
	if (!err && !(details = op_without_secrets(reg_apps.fields, reg_apps.nfields, values)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = app_key_new(op, &key);
	if (!err)
		err = add_credentials(values, &key);
	if (!err && json_object_set(details, "public_id", json_object_get(values, "public_id")))
		err = OST_ERR_NOMEM;
	if (!err)
		err = insert_app(op, values, details, row, &secret);
	if (err == OST_ERR_CONFLICT && !why->field)
		err = op_refuse(why, OST_ERR_CONFLICT, "app_group_id",
		    "app_group_id is already another application's");
	if (!err && (json_object_set_new(*row, "private_api_key", json_string(key.text)) ||
	                json_object_set_new(*row, "events_secret", json_string(secret.text))))
		err = OST_ERR_NOMEM;
	app_key_wipe(&key);
	crypto_wipe(&secret, sizeof(secret));
	json_decref(details);
	json_decref(values);
	return err;
}

/* The identity sheet of ROW as the application itself sees it (the
 * fields APP_FIELDS publishes), for its events; NULL on no memory. */
json_t *
reg_app_sheet(const json_t *row)
{
	static const char *const always[] = {"id", "public_id", "version", "updated_at"};
	json_t *sheet = json_object();
	size_t i;

	for (i = 0; sheet && i < sizeof(always) / sizeof(always[0]); i++)
		json_object_set(sheet, always[i], json_object_get(row, always[i]));
	for (i = 0; sheet && i < sizeof(app_fields) / sizeof(app_fields[0]); i++)
		if (app_fields[i].published && json_object_get(row, app_fields[i].name))
			json_object_set(sheet, app_fields[i].name, json_object_get(row, app_fields[i].name));
	return sheet;
}

/* After an update of application ID (IN what was given, ROW the sheet
 * written): the application hears of it; an events URL saved again
 * enables an endpoint that was disabled for failing. */
static enum ost_err
app_updated(struct change *ch, long long id, const json_t *in, const json_t *row)
{
	json_t *sheet;
	enum ost_err err = OST_OK;

	if (json_object_get(in, "events_url") && (err = store_event_endpoint_lock(id)) == OST_OK)
		err = store_event_endpoint_enable(id, NULL);
	if (err && err != OST_ERR_NOT_FOUND) /* NOT_FOUND: it has no events secret yet */
		return err;
	if (!(sheet = reg_app_sheet(row)))
		return OST_ERR_NOMEM;
	err = change_event(ch, id, "app.updated", 0, sheet);
	json_decref(sheet);
	return err;
}

enum ost_err
reg_app_update(const struct op *op, long long id, long long version, const json_t *in,
    json_t **row, struct field_error *why)
{
	enum ost_err err;

	why->field = NULL;
	why->message[0] = '\0';
	err = reg_update_then(op, &reg_apps, id, version, in, row, why, app_updated);
	if (err == OST_ERR_CONFLICT && !*row && !why->field)
		err = op_refuse(why, err, "app_group_id",
		    "app_group_id is already another application's");
	return err;
}

enum ost_err
reg_app_delete(const struct op *op, long long id, struct field_error *why)
{
	long long users = 0;
	json_t *taken = NULL;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	why->field = NULL;
	why->message[0] = '\0';
	if (err)
		return err;
	change_invalidates(&ch, GEN_BIT(GEN_APPS));
	err = store_app_users_count(id, &users);
	if (!err && users > 0)
		err = op_refuse(why, OST_ERR_CONFLICT, NULL,
		    "The application still has application users: remove them first");
	if (!err) /* its connections go with it, revoked once this commits */
		err = broker_take(&ch, CONN_OF_APP, id, 0, "application deleted", &taken);
	if (!err && (err = store_resource_delete(&reg_apps, id)) == OST_ERR_CONFLICT)
		err = op_refuse(why, err, NULL,
		    "Other objects still refer to the application; remove them first");
	if (!err)
		err = change_audit(&ch, "app.delete", "app", id, NULL);
	if (!(err = change_end(&ch, err)))
		broker_revoke_taken(op->app, taken);
	broker_taken_free(taken);
	return err;
}

/* Rotate in one change if application ID still has VERSION; *ROW gets the
 * row after it, or the current one when VERSION is stale
 * (OST_ERR_CONFLICT). */
static OST_MUST_CHECK enum ost_err
rotate_in_db(const struct op *op, long long id, long long version, const struct app_key *k,
    long long grace, json_t **row)
{
	json_t *details;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	if (err)
		return err;
	change_invalidates(&ch, GEN_BIT(GEN_APPS)); /* the old key's checks end with its grace */
	err = store_app_rotate_key(id, version, k->hash, grace);
	/* refused: the application is gone (404), or has moved on (409) */
	if (err == OST_ERR_CONFLICT && (err = store_resource_get(&reg_apps, id, row)) == OST_OK)
		err = OST_ERR_CONFLICT;
	else if (!err)
		err = store_resource_get(&reg_apps, id, row);
	if (!err) {
		details = json_pack("{s:I, s:O}", "grace_seconds", (json_int_t)grace,
		    "previous_key_expires_at", json_object_get(*row, "previous_key_expires_at"));
		err = details ? change_audit(&ch, "app.rotate_key", "app", id, details)
		              : OST_ERR_NOMEM;
		json_decref(details);
	}
	return change_end(&ch, err);
}

enum ost_err
reg_app_rotate(const struct op *op, long long id, long long version, const json_t *in,
    json_t **out)
{
	json_t *row = NULL;
	struct app_key key = {0};
	enum ost_err err = app_key_new(op, &key);

	*out = NULL;
	if (!err)
		err = rotate_in_db(op, id, version, &key,
		    json_integer_value(json_object_get(in, "grace_seconds")), &row);
	if (err == OST_ERR_CONFLICT) {
		*out = row; /* the current application, for the refusal */
		row = NULL;
	} else if (!err && !(*out = json_pack("{s:O, s:O, s:s, s:O, s:O}", "id",
	    json_object_get(row, "id"), "public_id", json_object_get(row, "public_id"),
	    "private_api_key", key.text, "previous_key_expires_at",
	    json_object_get(row, "previous_key_expires_at"), "version",
	    json_object_get(row, "version"))))
		err = OST_ERR_NOMEM;
	app_key_wipe(&key);
	json_decref(row);
	return err;
}

const struct reg_ops reg_app_ops = {reg_app_create, reg_app_update, reg_app_delete};
