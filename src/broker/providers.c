/* providers.c - the connection providers an application declares: their
 * rules, their view, and the operations that change them (audited; only a
 * SUPER_ADMINISTRATOR may) */
#include "broker/providers.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "broker/connections.h"
#include "core/config.h"
#include "outbound/outbound.h"
#include "registry/change.h"
#include "store/app_user.h"
#include "store/provider.h"
#include "store/server_var.h"

#define AUTHZ_PARAMS_MAX 20
#define SCOPE_MAX 200

static const char *say(char *msg, size_t msgsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *
say(char *msg, size_t msgsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msgsz, fmt, ap);
	va_end(ap);
	return msg;
}

/* ^[a-z][a-z0-9-]*$ */
static const char *
check_name(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);
	size_t i;

	(void)fc;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (i && ((s[i] >= '0' && s[i] <= '9') || s[i] == '-'))))
			return say(msg, msgsz, "%s", "name must start with a-z and hold only a-z, 0-9 "
			                               "and -");
	return NULL;
}

/* An icon: an https URL (it is shown in pages). */
static const char *
check_icon(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	char why[FIELD_MSG_MAX];

	(void)fc;
	if (outbound_url_check(0, json_string_value(v), why, sizeof(why)))
		return say(msg, msgsz, "icon %s", why);
	return NULL;
}

/* An endpoint Ostium calls or sends people to: https, or http to a
 * loopback host in development mode (outbound/outbound.h). */
#define ENDPOINT_CHECK(FIELD)                                                                      \
	static const char *check_##FIELD(const struct field_ctx *fc, const json_t *v, char *msg,    \
	    size_t msgsz)                                                                          \
	{                                                                                          \
		char why[FIELD_MSG_MAX];                                                           \
		if (outbound_url_check(fc->development, json_string_value(v), why, sizeof(why)))   \
			return say(msg, msgsz, #FIELD " %s", why);                                 \
		return NULL;                                                                       \
	}
ENDPOINT_CHECK(authorization_endpoint)
ENDPOINT_CHECK(token_endpoint)
ENDPOINT_CHECK(revoke_endpoint)
ENDPOINT_CHECK(userinfo_endpoint)

/* A scope: RFC 6749 section 3.3's scope-token. */
static const char *
check_scope(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);
	size_t i, n = strlen(s);

	(void)fc;
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] == '"' || s[i] == '\\' || s[i] > 0x7e)
			break;
	if (n == 0 || n > SCOPE_MAX || i < n)
		return say(msg, msgsz, "\"%.80s\" is not a scope: 1 to 200 printable ASCII characters "
		                       "without spaces, quotes or backslashes", s);
	return NULL;
}

/* A server variable's name: [A-Z][A-Z0-9_]*. */
static const char *
check_variable(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);
	size_t i;

	(void)fc;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (i && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))))
			return say(msg, msgsz, "%s", "a server variable's name starts with A-Z and holds "
			                               "only A-Z, 0-9 and _");
	return NULL;
}

/* Extra authorize parameters: at most AUTHZ_PARAMS_MAX, names
 * [A-Za-z0-9_.-]{1,64} other than those Ostium sets, string values of at
 * most 512 characters. */
static const char *
check_params(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	static const char *const reserved[] = {"response_type", "client_id", "redirect_uri",
	    "scope", "state", "code_challenge", "code_challenge_method", NULL};
	const char *key, *const *r;
	const json_t *val;
	size_t i;

	(void)fc;
	if (json_object_size(v) > AUTHZ_PARAMS_MAX)
		return say(msg, msgsz, "%s", "authorization_params holds at most 20 parameters");
	json_object_foreach((json_t *)v, key, val) {
		for (i = 0; key[i]; i++)
			if (!((key[i] >= 'a' && key[i] <= 'z') || (key[i] >= 'A' && key[i] <= 'Z') ||
			        (key[i] >= '0' && key[i] <= '9') || strchr("_.-", key[i])))
				break;
		if (i == 0 || i > 64 || key[i])
			return say(msg, msgsz, "authorization_params: \"%.64s\" is not a parameter name "
			                       "([A-Za-z0-9_.-], up to 64)", key);
		for (r = reserved; *r; r++)
			if (strcmp(*r, key) == 0)
				return say(msg, msgsz, "authorization_params: %s is set by Ostium", key);
		if (!json_is_string(val) || json_string_length(val) > 512 ||
		    strpbrk(json_string_value(val), "\r\n\t"))
			return say(msg, msgsz, "authorization_params: %.64s must be a text of at most "
			                       "512 characters", key);
	}
	return NULL;
}

static const char *const content_types[] = {"json", "form-urlencoded", NULL};
static const char *const auth_methods[] = {"client_secret_post", "client_secret_basic", NULL};
static const char *const types[] = {"oauth", NULL};

/* The OAuth settings, once for the API's nested object and the console's
 * flat form. */
#define F_AUTHZ {.name = "authorization_endpoint", .label = "Authorization endpoint", \
	.kind = FIELD_STRING, .min = 1, .max = OUTBOUND_URL_MAX, .flags = FIELD_REQUIRED, \
	.check = check_authorization_endpoint, .help = "Where people consent: https (http to a " \
	"loopback host in development mode)"}
#define F_TOKEN {.name = "token_endpoint", .label = "Token endpoint", .kind = FIELD_STRING, \
	.min = 1, .max = OUTBOUND_URL_MAX, .flags = FIELD_REQUIRED, .check = check_token_endpoint}
#define F_SCOPES {.name = "scopes", .label = "Scopes", .kind = FIELD_STRINGS, .min = 0, \
	.max = 50, .item = check_scope, .dflt = "[]"}
#define F_CLIENT_ID {.name = "client_id_variable", .label = "Client id variable", \
	.kind = FIELD_STRING, .min = 1, .max = 64, .flags = FIELD_REQUIRED, \
	.check = check_variable, .help = "The name of the application's server variable holding " \
	"the client id"}
#define F_CLIENT_SECRET {.name = "client_secret_variable", .label = "Client secret variable", \
	.kind = FIELD_STRING, .min = 1, .max = 64, .flags = FIELD_REQUIRED, \
	.check = check_variable, .help = "The name of the application's secret server variable " \
	"holding the client secret"}
#define F_CONTENT {.name = "token_request_content_type", .label = "Token request content type", \
	.kind = FIELD_ENUM, .choices = content_types, .dflt = "\"json\""}
#define F_AUTH {.name = "token_endpoint_auth_method", .label = "Client authentication", \
	.kind = FIELD_ENUM, .choices = auth_methods, .dflt = "\"client_secret_post\""}
#define F_PKCE {.name = "use_pkce", .label = "Use PKCE (S256)", .kind = FIELD_BOOL, \
	.dflt = "true"}
#define F_PARAMS {.name = "authorization_params", .label = "Extra authorize parameters", \
	.kind = FIELD_OBJECT, .check = check_params, .dflt = "{}"}
#define F_REVOKE {.name = "revoke_endpoint", .label = "Revocation endpoint (RFC 7009)", \
	.kind = FIELD_STRING, .min = 1, .max = OUTBOUND_URL_MAX, .flags = FIELD_NULLABLE, \
	.check = check_revoke_endpoint}
#define F_USERINFO {.name = "userinfo_endpoint", .label = "Userinfo endpoint", \
	.kind = FIELD_STRING, .min = 1, .max = OUTBOUND_URL_MAX, .flags = FIELD_NULLABLE, \
	.check = check_userinfo_endpoint, .help = "Where the connection's name and handle are " \
	"read from when the token answer holds no id_token"}
#define F_NAME {.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 64, \
	.flags = FIELD_REQUIRED, .check = check_name, .help = "What applications ask for: " \
	"^[a-z][a-z0-9-]*$, unique per application"}
#define F_DISPLAY {.name = "display_name", .label = "Display name", .kind = FIELD_STRING, \
	.min = 1, .max = 100, .flags = FIELD_REQUIRED}
#define F_ICON {.name = "icon", .label = "Icon URL", .kind = FIELD_STRING, .min = 1, \
	.max = OUTBOUND_URL_MAX, .flags = FIELD_NULLABLE, .check = check_icon}
#define F_TYPE {.name = "type", .label = "Type", .kind = FIELD_ENUM, .choices = types, \
	.dflt = "\"oauth\""}

static const struct field oauth_fields[] = {F_AUTHZ, F_TOKEN, F_SCOPES, F_CLIENT_ID,
    F_CLIENT_SECRET, F_CONTENT, F_AUTH, F_PKCE, F_PARAMS, F_REVOKE, F_USERINFO};
#define NOAUTH (sizeof(oauth_fields) / sizeof(oauth_fields[0]))
const struct field_table reg_provider_oauth = FIELD_TABLE("OAuthSettings", oauth_fields);

/* The nested settings: each given key checked as the settings table says. */
static const char *
check_oauth(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	struct field_error e = {0};
	json_t *out = NULL;
	enum ost_err err = fields_apply(fc, oauth_fields, NOAUTH, v, 0, FIELDS_UPDATE, NULL, &out,
	    &e);

	json_decref(out);
	if (err == OST_ERR_INVALID) {
		snprintf(msg, msgsz, "oauth: %.240s", e.message);
		return msg;
	}
	return err ? say(msg, msgsz, "%s", "oauth could not be read") : NULL;
}

#define F_OAUTH {.name = "oauth", .label = "OAuth settings", .kind = FIELD_OBJECT, \
	.check = check_oauth, .rows = &reg_provider_oauth}

static const struct field provider_fields[] = {F_NAME, F_DISPLAY, F_ICON, F_TYPE,
    {.name = "oauth", .label = "OAuth settings", .kind = FIELD_OBJECT, .flags = FIELD_REQUIRED,
        .check = check_oauth, .rows = &reg_provider_oauth}};
static const struct field change_fields[] = {
    {.name = "display_name", .label = "Display name", .kind = FIELD_STRING, .min = 1,
        .max = 100},
    F_ICON, F_OAUTH};
static const struct field form_fields[] = {F_NAME, F_DISPLAY, F_ICON, F_AUTHZ, F_TOKEN, F_SCOPES,
    F_CLIENT_ID, F_CLIENT_SECRET, F_CONTENT, F_AUTH, F_PKCE, F_PARAMS, F_REVOKE, F_USERINFO};
const struct field_table reg_provider_body = FIELD_TABLE("ConnectionProviderNew", provider_fields);
const struct field_table reg_provider_change_body =
    FIELD_TABLE("ConnectionProviderChange", change_fields);
const struct field_table reg_provider_form = FIELD_TABLE("ConnectionProviderForm", form_fields);

static const char *const statuses[] = {"ready", "needs_server_admin", NULL};
static const struct field row_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "name", .kind = FIELD_STRING},
	{.name = "display_name", .kind = FIELD_STRING},
	{.name = "icon", .kind = FIELD_STRING, .flags = FIELD_NULLABLE},
	{.name = "type", .kind = FIELD_ENUM, .choices = types},
	{.name = "oauth", .kind = FIELD_OBJECT, .rows = &reg_provider_oauth},
	{.name = "status", .kind = FIELD_ENUM, .choices = statuses,
	    .help = "needs_server_admin until both server variables have a value"},
	{.name = "can_connect", .kind = FIELD_BOOL, .help = "Whether members can add connections"},
	{.name = "callback_url", .kind = FIELD_STRING,
	    .help = "The redirect URI to register at the provider"},
	{.name = "config_error", .kind = FIELD_STRING, .flags = FIELD_NULLABLE,
	    .help = "Why the provider last refused the client (invalid_client), until the "
	            "provider is changed"},
	{.name = "config_error_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE},
	{.name = "version", .kind = FIELD_INT},
	{.name = "created_at", .kind = FIELD_TIME},
	{.name = "updated_at", .kind = FIELD_TIME},
};
const struct field_table reg_provider_row = FIELD_TABLE("ConnectionProvider", row_fields);

json_t *
broker_provider_view(const struct config *cfg, const json_t *row)
{
	int ready = json_integer_value(json_object_get(row, "vars_set")) >= 2;
	char url[sizeof(cfg->base_url) + sizeof(CALLBACK_PATH)];

	snprintf(url, sizeof(url), "%s%s", cfg->base_url, CALLBACK_PATH);
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:s, s:b, s:s, s:O, s:O, s:O, s:O, s:O}",
	    "id", json_object_get(row, "id"), "name", json_object_get(row, "name"), "display_name",
	    json_object_get(row, "display_name"), "icon", json_object_get(row, "icon"), "type",
	    json_object_get(row, "type"), "oauth", json_object_get(row, "settings"), "status",
	    ready ? "ready" : "needs_server_admin", "can_connect", ready, "callback_url", url,
	    "config_error", json_object_get(row, "config_error"), "config_error_at",
	    json_object_get(row, "config_error_at"), "version", json_object_get(row, "version"),
	    "created_at", json_object_get(row, "created_at"), "updated_at",
	    json_object_get(row, "updated_at"));
}

json_t *
broker_provider_unflatten(const json_t *form)
{
	json_t *out = json_object(), *oauth = json_object();
	const char *key;
	json_t *v;

	if (!out || !oauth || json_object_set_new(out, "oauth", oauth)) {
		json_decref(out);
		return NULL;
	}
	json_object_foreach((json_t *)form, key, v) {
		int nested = fields_find(oauth_fields, NOAUTH, key) != NULL;
		if (json_object_set(nested ? oauth : out, key, v)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The whole settings of OVER merged onto BASE (NULL: none), checked with
 * every rule and default into *OUT. */
static OST_MUST_CHECK enum ost_err
settings_of(const struct op *op, const json_t *base, const json_t *over, json_t **out,
    struct field_error *why)
{
	json_t *merged = base ? json_deep_copy(base) : json_object();
	struct field_error e = {0};
	enum ost_err err = merged ? OST_OK : OST_ERR_NOMEM;

	*out = NULL;
	if (!err && over && json_object_update(merged, (json_t *)over))
		err = OST_ERR_NOMEM;
	if (!err)
		err = fields_apply(&op->fields, oauth_fields, NOAUTH, merged, 0, FIELDS_CREATE, NULL,
		    out, &e);
	json_decref(merged);
	if (err == OST_ERR_INVALID) {
		why->field = "oauth";
		snprintf(why->message, sizeof(why->message), "oauth: %.240s", e.message);
	}
	return err;
}

/* The two server variables SETTINGS names must be APP_ID's, different, and
 * the secret one declared secret. */
static OST_MUST_CHECK enum ost_err
variables_ok(long long app_id, const json_t *settings, struct field_error *why)
{
	const char *id = str(settings, "client_id_variable");
	const char *secret = str(settings, "client_secret_variable");
	json_t *row = NULL;
	enum ost_err err;

	if (strcmp(id, secret) == 0)
		return op_refuse(why, OST_ERR_INVALID, "oauth", "oauth: client_id_variable and "
		    "client_secret_variable must name two different server variables");
	if ((err = store_server_var_get(app_id, id, &row)) == OST_ERR_NOT_FOUND)
		return op_refuse(why, OST_ERR_INVALID, "oauth", "oauth: client_id_variable names no "
		    "server variable of this application: declare it first");
	json_decref(row);
	row = NULL;
	if (err)
		return err;
	if ((err = store_server_var_get(app_id, secret, &row)) == OST_ERR_NOT_FOUND)
		return op_refuse(why, OST_ERR_INVALID, "oauth", "oauth: client_secret_variable names "
		    "no server variable of this application: declare it first");
	if (!err && !json_is_true(json_object_get(row, "is_secret")))
		err = op_refuse(why, OST_ERR_INVALID, "oauth", "oauth: client_secret_variable must "
		    "name a secret server variable");
	json_decref(row);
	return err;
}

static OST_MUST_CHECK enum ost_err
super_only(const struct op *op, struct field_error *why)
{
	if (op_is_super(op))
		return OST_OK;
	return op_refuse(why, OST_ERR_FORBIDDEN, NULL, "Only a super administrator may change "
	    "connection providers: whoever changes a provider's endpoints could collect its "
	    "tokens and client secret");
}

/* Audit ACTION on provider ID with DETAILS (borrowed), then *ROW gets its view. */
static OST_MUST_CHECK enum ost_err
audit_and_view(struct change *ch, const struct op *op, const char *action, long long id,
    const json_t *details, json_t **row)
{
	json_t *stored = NULL;
	enum ost_err err = change_audit(ch, action, "connection_provider", id, details);

	if (!err)
		err = store_provider_by_id(id, &stored);
	if (!err && !(*row = broker_provider_view(&op->app->cfg, stored)))
		err = OST_ERR_NOMEM;
	json_decref(stored);
	return err;
}

/* The insert of reg_provider_create inside change CH. */
static OST_MUST_CHECK enum ost_err
create_in(struct change *ch, const struct op *op, long long app_id, const json_t *in,
    const json_t *settings, json_t **row, struct field_error *why)
{
	long long count = 0, id = 0;
	json_t *details;
	enum ost_err err = store_provider_count(app_id, &count);

	if (!err && count >= PROVIDERS_MAX)
		err = op_refuse(why, OST_ERR_INVALID, "name", "An application declares at most 50 "
		    "connection providers");
	if (!err)
		err = variables_ok(app_id, settings, why);
	if (!err)
		err = store_provider_insert(app_id, str(in, "name"), str(in, "display_name"),
		    str(in, "icon"), str(in, "type") ? str(in, "type") : "oauth", settings, &id);
	if (err == OST_ERR_CONFLICT)
		return op_refuse(why, err, "name", "This application has a provider with this name");
	if (err)
		return err;
	if (!(details = json_deep_copy(in)) ||
	    json_object_set_new(details, "app_id", json_integer(app_id))) {
		json_decref(details);
		return OST_ERR_NOMEM;
	}
	err = audit_and_view(ch, op, "connection_provider.create", id, details, row);
	json_decref(details);
	return err;
}

enum ost_err
reg_provider_create(const struct op *op, long long app_id, const json_t *in, json_t **row,
    struct field_error *why)
{
	json_t *settings = NULL;
	struct change ch;
	enum ost_err err = super_only(op, why);

	*row = NULL;
	if (!err)
		err = store_app_exists(app_id);
	if (!err)
		err = settings_of(op, NULL, json_object_get(in, "oauth"), &settings, why);
	if (!err && !(err = change_begin(&ch, op)))
		err = change_end(&ch, create_in(&ch, op, app_id, in, settings, row, why));
	json_decref(settings);
	return err;
}

/* The change of reg_provider_update inside change CH. */
static OST_MUST_CHECK enum ost_err
update_in(struct change *ch, const struct op *op, long long app_id, const char *name,
    long long version, const json_t *in, json_t **row, struct field_error *why)
{
	json_t *cur = NULL, *settings = NULL, *details = NULL;
	const json_t *icon;
	long long id;
	enum ost_err err = store_provider_get(app_id, name, &cur);

	if (!err)
		err = settings_of(op, json_object_get(cur, "settings"), json_object_get(in, "oauth"),
		    &settings, why);
	if (!err)
		err = variables_ok(app_id, settings, why);
	id = json_integer_value(json_object_get(cur, "id"));
	icon = json_object_get(in, "icon") ? json_object_get(in, "icon") : json_object_get(cur, "icon");
	if (!err)
		err = store_provider_update(id, str(in, "display_name") ? str(in, "display_name")
		                                                        : str(cur, "display_name"),
		    json_string_value(icon), settings, version);
	if (err == OST_ERR_CONFLICT)
		err = op_refuse(why, err, "version", "Someone changed this provider since you read "
		    "it: read it again and retry");
	if (!err && (!(details = json_deep_copy(in)) ||
	                json_object_set_new(details, "name", json_string(name))))
		err = OST_ERR_NOMEM;
	if (!err)
		err = audit_and_view(ch, op, "connection_provider.update", id, details, row);
	json_decref(details);
	json_decref(settings);
	json_decref(cur);
	return err;
}

enum ost_err
reg_provider_update(const struct op *op, long long app_id, const char *name, long long version,
    const json_t *in, json_t **row, struct field_error *why)
{
	struct change ch;
	enum ost_err err = super_only(op, why);

	*row = NULL;
	if (!err && !(err = change_begin(&ch, op)))
		err = change_end(&ch, update_in(&ch, op, app_id, name, version, in, row, why));
	return err;
}

enum ost_err
reg_provider_delete(const struct op *op, long long app_id, const char *name,
    struct field_error *why)
{
	json_t *cur = NULL, *taken = NULL, *details = NULL;
	long long id = 0;
	struct change ch;
	enum ost_err err = super_only(op, why);

	if (err || (err = change_begin(&ch, op)))
		return err;
	if (!(err = store_provider_get(app_id, name, &cur))) {
		id = json_integer_value(json_object_get(cur, "id"));
		err = broker_take(&ch, CONN_OF_PROVIDER, id, 0, "provider deleted", &taken);
	}
	if (!err)
		err = store_provider_delete(id);
	if (!err && !(details = json_pack("{s:I, s:s, s:I}", "app_id", (json_int_t)app_id, "name",
	                  name, "connections", (json_int_t)json_array_size(taken))))
		err = OST_ERR_NOMEM;
	if (!err)
		err = change_audit(&ch, "connection_provider.delete", "connection_provider", id, details);
	err = change_end(&ch, err);
	if (!err)
		broker_revoke_taken(op->app, taken);
	broker_taken_free(taken);
	json_decref(details);
	json_decref(cur);
	return err;
}
