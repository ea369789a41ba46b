/* connections.c - connected accounts: tokens sealed at rest, refreshed
 * once under a lease in the database, renamed, disconnected and revoked,
 * and removed with what they hang on */
#include "broker/connections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "broker/upstream.h"
#include "core/log.h"
#include "crypto/aead.h"
#include "crypto/crypto.h"
#include "registry/events.h"
#include "store/provider.h"

static const char *const visibilities[] = {"user", "workspace", NULL};
static const char *const statuses[] = {"ok", "transient_failure", "auth_failed", NULL};

#define COMMON_FIELDS \
	{.name = "id", .kind = FIELD_ID}, \
	{.name = "provider", .kind = FIELD_STRING, .help = "The provider's name"}, \
	{.name = "visibility", .kind = FIELD_ENUM, .choices = visibilities}, \
	{.name = "scopes", .kind = FIELD_STRINGS, .help = "The scopes granted"}, \
	{.name = "user_workspace_id", .kind = FIELD_ID, .flags = FIELD_NULLABLE, \
	    .help = "The owner's membership; null once they left (a workspace connection stays)"}, \
	{.name = "name", .kind = FIELD_STRING}, \
	{.name = "handle", .kind = FIELD_STRING}, \
	{.name = "status", .kind = FIELD_ENUM, .choices = statuses, \
	    .help = "How the last refresh went: auth_failed needs a reconnect"}, \
	{.name = "auth_failed_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE}, \
	{.name = "expires_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE}, \
	{.name = "created_at", .kind = FIELD_TIME}, \
	{.name = "updated_at", .kind = FIELD_TIME}

static const struct field app_row_fields[] = {
	COMMON_FIELDS,
	{.name = "access_token", .kind = FIELD_STRING, .flags = FIELD_NULLABLE,
	    .help = "A usable access token; null after auth_failed, or while a transient failure "
	            "cools down once the token has expired"},
	{.name = "token_type", .kind = FIELD_STRING},
};
const struct field_table broker_conn_app_row = FIELD_TABLE("AppConnection", app_row_fields);

static const struct field row_fields[] = {
	COMMON_FIELDS,
	{.name = "provider_name", .kind = FIELD_STRING},
	{.name = "app_id", .kind = FIELD_ID},
	{.name = "company_id", .kind = FIELD_ID},
	{.name = "last_error", .kind = FIELD_STRING, .flags = FIELD_NULLABLE},
	{.name = "version", .kind = FIELD_INT},
};
const struct field_table broker_conn_row = FIELD_TABLE("Connection", row_fields);

static const struct field rename_fields[] = {
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = CONN_NAME_MAX,
	    .flags = FIELD_REQUIRED},
};
const struct field_table broker_rename_body = FIELD_TABLE("ConnectionName", rename_fields);

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long
num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* A copy of the fields of TABLE from ROW. */
static json_t *
pick(const struct field_table *t, const json_t *row)
{
	json_t *v = json_object(), *x;
	size_t i;

	for (i = 0; v && i < t->n; i++) {
		x = json_object_get(row, t->fields[i].name);
		if (json_object_set(v, t->fields[i].name, x ? x : json_null())) {
			json_decref(v);
			return NULL;
		}
	}
	return v;
}

json_t *
broker_conn_view(const json_t *row)
{
	return pick(&broker_conn_row, row);
}

enum ost_err
broker_announce(struct change *ch, enum connection_event what, long long id)
{
	json_t *row = NULL, *view = NULL;
	enum ost_err err = store_conn_get(id, &row);

	if (!err && !(view = broker_conn_view(row)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = reg_event_connection(ch, what, num(row, "app_id"), num(row, "company_id"), view);
	json_decref(view);
	json_decref(row);
	return err;
}

/* The AAD binding a sealed token to its connection and purpose. */
static size_t
token_aad(char *aad, size_t size, long long id, const char *what)
{
	int n = snprintf(aad, size, "ostium:connection:%lld:%s", id, what);

	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* Seal TEXT as connection ID's WHAT token into *OUT (N bytes, malloc'd). */
static OST_MUST_CHECK enum ost_err
seal(const struct app *app, long long id, const char *what, const char *text, uint8_t **out,
    size_t *n, unsigned *key_id)
{
	char aad[96];
	size_t len = strlen(text), alen = token_aad(aad, sizeof(aad), id, what);
	enum ost_err err;

	*out = malloc(len + AEAD_OVERHEAD);
	if (!*out)
		return OST_ERR_NOMEM;
	*n = len + AEAD_OVERHEAD;
	if ((err = crypto_seal(&app->keys, text, len, aad, alen, *out, key_id))) {
		free(*out);
		*out = NULL;
	}
	return err;
}

/* Open connection ID's WHAT token from HEX (sealed under KEY_ID) into *OUT
 * (a new string, wiped by the caller). */
static OST_MUST_CHECK enum ost_err
open_hex(const struct app *app, long long id, const char *what, const char *hex, unsigned key_id,
    char **out)
{
	size_t n = 0, hl = hex ? strlen(hex) : 0;
	uint8_t *sealed = hl ? malloc(hl / 2 + 1) : NULL;
	char aad[96];
	enum ost_err err;

	*out = NULL;
	if (!hex)
		return OST_ERR_NOT_FOUND;
	if (!sealed)
		return OST_ERR_NOMEM;
	err = crypto_hex_decode(hex, hl, sealed, hl / 2 + 1, &n);
	if (!err && n <= AEAD_OVERHEAD)
		err = OST_ERR_CRYPTO;
	if (!err && !(*out = calloc(1, n - AEAD_OVERHEAD + 1)))
		err = OST_ERR_NOMEM;
	if (!err && (err = crypto_open(&app->keys, key_id, sealed, n, aad,
	                 token_aad(aad, sizeof(aad), id, what), (uint8_t *)*out))) {
		free(*out);
		*out = NULL;
	}
	free(sealed);
	return err;
}

static void
wipe_free(char *s)
{
	if (s)
		crypto_wipe(s, strlen(s));
	free(s);
}

enum ost_err
broker_seal_tokens(const struct app *app, long long id, const struct upstream_grant *g,
    const char *keep_refresh, struct conn_tokens *t)
{
	const char *refresh = g->refresh ? g->refresh : keep_refresh;
	uint8_t *a = NULL, *r = NULL;
	unsigned key_id = 0;
	enum ost_err err;

	memset(t, 0, sizeof(*t));
	err = seal(app, id, "access", g->access, &a, &t->access_len, &key_id);
	if (!err && refresh)
		err = seal(app, id, "refresh", refresh, &r, &t->refresh_len, &key_id);
	t->access = a;
	t->refresh = r;
	t->key_id = key_id;
	t->token_type = g->token_type[0] ? g->token_type : "Bearer";
	t->expires_in = g->expires_in;
	if (err)
		broker_tokens_free(t);
	return err;
}

void
broker_tokens_free(struct conn_tokens *t)
{
	free((void *)t->access);
	free((void *)t->refresh);
	t->access = t->refresh = NULL;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the refresh lease ---- */

struct lease {
	const json_t *row;                 /* the connection as read */
	uint8_t id[CONN_LEASE_ID_LEN];     /* this holder's lease id */
	unsigned seconds;
	int taken;
	const struct conn_tokens *tokens;  /* the result to store */
	const char *status;                /* or the failure to note */
	long long retry;
	const char *why;
	int stored;
};

static OST_MUST_CHECK enum ost_err
lease_take(void *arg)
{
	struct lease *l = arg;
	char owner[80], host[64] = "";

	gethostname(host, sizeof(host) - 1);
	snprintf(owner, sizeof(owner), "%.60s:%ld", host, (long)getpid());
	return store_conn_lease(num(l->row, "id"), num(l->row, "token_version"), l->id, owner,
	    l->seconds, &l->taken);
}

static OST_MUST_CHECK enum ost_err
lease_store(void *arg)
{
	struct lease *l = arg;

	return store_conn_refreshed(num(l->row, "id"), l->id, l->tokens, &l->stored);
}

static OST_MUST_CHECK enum ost_err
lease_fail(void *arg)
{
	struct lease *l = arg;

	return store_conn_refresh_failed(num(l->row, "id"), l->id, l->status, l->retry, l->why,
	    &l->stored);
}

/* The seconds before retrying after the FAILURES-th transient failure in a row. */
static long long
backoff(long long failures)
{
	long long s = BACKOFF_FIRST;

	while (failures-- > 0 && s < BACKOFF_MAX)
		s *= 2;
	return s < BACKOFF_MAX ? s : BACKOFF_MAX;
}

/* Note an auth failure as a change of the system's, audited. */
static OST_MUST_CHECK enum ost_err
note_auth_failed(const struct app *app, struct lease *l)
{
	struct op sys = {.app = app, .actor_type = "system", .actor = "refresh", .address = "",
	    .request_id = ""};
	json_t *details = json_pack("{s:s?, s:s}", "provider", str(l->row, "provider"), "error",
	    l->why);
	struct change ch;
	enum ost_err err = details ? change_begin(&ch, &sys) : OST_ERR_NOMEM;

	if (!err) {
		change_invalidates(&ch, 0); /* a connection is no credential of ours */
		err = lease_fail(l);
		if (!err && l->stored &&
		    !(err = change_audit(&ch, "connection.auth_failed", "connection",
		          num(l->row, "id"), details)))
			err = broker_announce(&ch, CONNECTION_REFRESH_FAILED, num(l->row, "id"));
		else if (!err)
			err = change_audit(&ch, "connection.refresh_dropped", "connection",
			    num(l->row, "id"), details);
		err = change_end(&ch, err);
	}
	json_decref(details);
	return err;
}

/* Store the outcome OUT (WHY) of the refresh under lease L of provider PROV. */
static OST_MUST_CHECK enum ost_err
note_outcome(const struct app *app, struct lease *l, const json_t *prov, enum upstream_outcome out,
    const char *why)
{
	enum ost_err err;

	l->why = why;
	l->retry = backoff(num(l->row, "failures"));
	l->status = "transient_failure";
	if (out == UPSTREAM_AUTH_FAILED) {
		l->status = "auth_failed";
		l->retry = -1;
		return note_auth_failed(app, l);
	}
	if (out == UPSTREAM_CONFIG && prov &&
	    (err = store_provider_config_error(num(prov, "id"), why)))
		return err;
	log_warn("connection %lld: refresh failed (%s); next attempt in %lld s", num(l->row, "id"),
	    why, l->retry);
	return bookkeeping_run(lease_fail, l);
}

/* Call the token endpoint with the refresh token of L's connection, as
 * client OC; store what comes of it while L is held. */
static OST_MUST_CHECK enum ost_err
refresh_with(const struct app *app, struct lease *l, const json_t *prov,
    const struct upstream_client *oc)
{
	char *refresh = NULL, why[256] = "";
	const char *params[] = {"grant_type", "refresh_token", "refresh_token", NULL, NULL};
	struct upstream_grant g;
	struct conn_tokens t;
	enum upstream_outcome out;
	enum ost_err err = open_hex(app, num(l->row, "id"), "refresh", str(l->row, "refresh_hex"),
	    (unsigned)num(l->row, "key_id"), &refresh);

	if (err)
		return err;
	params[3] = refresh;
	out = upstream_token(oc, params, &g, why, sizeof(why));
	if (out != UPSTREAM_OK) {
		wipe_free(refresh);
		return note_outcome(app, l, prov, out, why);
	}
	err = broker_seal_tokens(app, num(l->row, "id"), &g, refresh, &t);
	t.scopes = NULL;
	if (!err && !(t.scopes = g.scopes ? json_dumps(g.scopes, JSON_COMPACT)
	                                  : json_dumps(json_object_get(l->row, "scopes"), JSON_COMPACT)))
		err = OST_ERR_NOMEM;
	l->tokens = &t;
	if (!err && !(err = bookkeeping_run(lease_store, l)) && !l->stored)
		log_warn("connection %lld: the refresh lease ended before its result was stored; the "
		         "result is dropped", num(l->row, "id"));
	free((void *)t.scopes);
	broker_tokens_free(&t);
	wipe_free(refresh);
	upstream_grant_free(&g);
	return err;
}

/* Refresh the connection of L, whose lease this worker holds. */
static OST_MUST_CHECK enum ost_err
refresh_held(const struct app *app, struct lease *l)
{
	struct upstream_client oc;
	json_t *prov = NULL;
	char why[256] = "";
	enum ost_err err = store_provider_by_id(num(l->row, "provider_id"), &prov);

	if (!err) {
		err = upstream_client_load(app, num(l->row, "app_id"), json_object_get(prov, "settings"),
		    &oc, why, sizeof(why));
		if (err == OST_ERR_CONFIG)
			err = note_outcome(app, l, NULL, UPSTREAM_TRANSIENT, why);
		else if (!err) {
			err = refresh_with(app, l, prov, &oc);
			upstream_client_free(&oc);
		}
	}
	json_decref(prov);
	return err;
}

/* The application's view of ROW, its access token opened when usable. */
static OST_MUST_CHECK enum ost_err
app_view(const struct app *app, const json_t *row, json_t **view)
{
	int usable = str(row, "access_hex") && !json_is_true(json_object_get(row, "expired")) &&
	    strcmp(str(row, "status"), "auth_failed") != 0;
	char *access = NULL;
	enum ost_err err = usable ? open_hex(app, num(row, "id"), "access", str(row, "access_hex"),
	                                (unsigned)num(row, "key_id"), &access)
	                          : OST_OK;

	if (!err && !(*view = pick(&broker_conn_app_row, row)))
		err = OST_ERR_NOMEM;
	if (!err && json_object_set_new(*view, "access_token", access ? json_string(access)
	                                                             : json_null()))
		err = OST_ERR_NOMEM;
	wipe_free(access);
	return err;
}

/* Does ROW need a refresh this caller may attempt now? */
static int
wants_refresh(const json_t *row)
{
	return json_is_true(json_object_get(row, "due")) && str(row, "refresh_hex") &&
	    strcmp(str(row, "status"), "auth_failed") != 0 &&
	    !json_is_true(json_object_get(row, "cooling"));
}

enum ost_err
broker_fresh(const struct app *app, json_t *row, json_t **view, long long *retry_after)
{
	long long deadline = now_ms() + REFRESH_WAIT_MS, id = num(row, "id");
	struct lease l = {.seconds = app->cfg.outbound_timeout + REFRESH_LEASE_EXTRA};
	json_t *cur = json_incref(row), *next;
	struct timespec pause = {0, 100 * 1000 * 1000};
	enum ost_err err = OST_OK;

	*view = NULL;
	*retry_after = 0;
	while (!err && wants_refresh(cur)) {
		if (!json_is_true(json_object_get(cur, "leased"))) {
			l.row = cur;
			crypto_random(l.id, sizeof(l.id));
			if ((err = bookkeeping_run(lease_take, &l)))
				break;
			if (l.taken && (err = refresh_held(app, &l)) == OST_OK &&
			    (err = store_conn_get(id, &next)) == OST_OK) {
				json_decref(cur);
				cur = next;
				break;
			}
		}
		if (err)
			break;
		if (now_ms() >= deadline) {
			*retry_after = num(cur, "lease_left") > 0 ? num(cur, "lease_left") : 1;
			err = OST_ERR_DB_UNAVAILABLE;
			break;
		}
		nanosleep(&pause, NULL);
		if (!(err = store_conn_get(id, &next))) {
			json_decref(cur);
			cur = next;
		}
	}
	if (!err)
		err = app_view(app, cur, view);
	json_decref(cur);
	return err;
}

/* ---- removal and revocation ---- */

/* What revoking needs of provider PROVIDER_ID: {settings, client_id,
 * client_secret}, or null when it declares no revoke endpoint (or its
 * client cannot be read: logged). Cached in CACHE. */
static json_t *
revoker_of(const struct app *app, json_t *cache, long long app_id, long long provider_id)
{
	char key[24], why[256];
	struct upstream_client oc;
	json_t *prov = NULL, *r = NULL, *settings;

	snprintf(key, sizeof(key), "%lld", provider_id);
	if ((r = json_object_get(cache, key)))
		return r;
	if (store_provider_by_id(provider_id, &prov) == OST_OK &&
	    str((settings = json_object_get(prov, "settings")), "revoke_endpoint")) {
		if (upstream_client_load(app, app_id, settings, &oc, why, sizeof(why)) == OST_OK) {
			r = json_pack("{s:O, s:s, s:s}", "settings", settings, "client_id", oc.client_id,
			    "client_secret", oc.client_secret);
			upstream_client_free(&oc);
		} else
			log_warn("provider %lld: its tokens cannot be revoked: %s", provider_id, why);
	}
	json_decref(prov);
	json_object_set_new(cache, key, r ? r : json_null());
	return json_object_get(cache, key);
}

/* The item of TAKEN for connection ROW: its id, its tokens and revoker. */
static json_t *
taken_item(const struct app *app, json_t *cache, const json_t *row)
{
	char *access = NULL, *refresh = NULL;
	unsigned key_id = (unsigned)num(row, "key_id");
	json_t *item;

	if (str(row, "access_hex") &&
	    open_hex(app, num(row, "id"), "access", str(row, "access_hex"), key_id, &access))
		log_warn("connection %lld: its access token cannot be opened", num(row, "id"));
	if (str(row, "refresh_hex") &&
	    open_hex(app, num(row, "id"), "refresh", str(row, "refresh_hex"), key_id, &refresh))
		log_warn("connection %lld: its refresh token cannot be opened", num(row, "id"));
	/* a copy: the cache's secrets are wiped with it */
	item = json_pack("{s:I, s:s?, s:s?, s:o}", "id", (json_int_t)num(row, "id"), "access", access,
	    "refresh", refresh, "revoker",
	    json_deep_copy(revoker_of(app, cache, num(row, "app_id"), num(row, "provider_id"))));
	wipe_free(access);
	wipe_free(refresh);
	return item;
}

enum ost_err
broker_take(struct change *ch, enum conn_of of, long long a, long long b, const char *reason,
    json_t **taken)
{
	json_t *rows = NULL, *cache = json_object(), *row, *details;
	enum ost_err err;
	size_t i;

	*taken = json_array();
	if (!*taken || !cache) {
		json_decref(cache);
		return OST_ERR_NOMEM;
	}
	err = store_conn_of(of, a, b, &rows);
	json_array_foreach(rows, i, row) {
		if (err)
			break;
		if (json_array_append_new(*taken, taken_item(ch->op->app, cache, row)))
			err = OST_ERR_NOMEM;
		/* told while the row is still there; the event is written only if CH commits */
		if (!err && (err = broker_announce(ch, CONNECTION_REVOKED, num(row, "id"))) ==
		                OST_ERR_NOT_FOUND)
			err = OST_OK; /* removed meanwhile */
		if (!err && (err = store_conn_delete(num(row, "id"))) == OST_ERR_NOT_FOUND)
			err = OST_OK; /* removed meanwhile */
		details = err ? NULL : json_pack("{s:O, s:O, s:O, s:O, s:O, s:s}", "provider",
		    json_object_get(row, "provider"), "app_id", json_object_get(row, "app_id"),
		    "company_id", json_object_get(row, "company_id"), "user_workspace_id",
		    json_object_get(row, "membership_id"), "visibility",
		    json_object_get(row, "visibility"), "reason", reason);
		if (!err)
			err = details ? change_audit(ch, "connection.delete", "connection", num(row, "id"),
			                    details)
			              : OST_ERR_NOMEM;
		json_decref(details);
	}
	json_decref(rows);
	broker_taken_free(cache); /* wipes the client secrets the cache holds */
	return err;
}

/* Revoke TOKEN (HINT) of connection ID with the client of REVOKER. */
static void
revoke_one(const struct app *app, long long id, const json_t *revoker, const char *token,
    const char *hint)
{
	struct upstream_client oc;
	char why[256] = "";
	enum ost_err err;

	if (!token || upstream_client_of(app, json_object_get(revoker, "settings"),
	                  str(revoker, "client_id"), str(revoker, "client_secret"), &oc))
		return;
	err = upstream_revoke(&oc, token, hint, why, sizeof(why));
	if (err)
		log_warn("connection %lld: revoking its %s at the provider failed: %s", id, hint, why);
	else
		log_info("connection %lld: its %s was revoked at the provider", id, hint);
	upstream_client_free(&oc);
}

void
broker_revoke_taken(const struct app *app, const json_t *taken)
{
	const json_t *item, *revoker;
	size_t i;

	json_array_foreach(taken, i, item) {
		revoker = json_object_get(item, "revoker");
		if (!json_is_object(revoker))
			continue;
		revoke_one(app, num(item, "id"), revoker, str(item, "refresh"), "refresh_token");
		revoke_one(app, num(item, "id"), revoker, str(item, "access"), "access_token");
	}
}

/* Wipe every string under V whose key is a secret's. */
static void
wipe_secrets(json_t *v)
{
	static const char *const keys[] = {"access", "refresh", "client_secret"};
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_array(v))
		json_array_foreach(v, i, x)
			wipe_secrets(x);
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, x) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(key, keys[i]) == 0 && json_is_string(x))
				crypto_wipe((char *)json_string_value(x), json_string_length(x));
		wipe_secrets(x);
	}
}

void
broker_taken_free(json_t *taken)
{
	wipe_secrets(taken);
	json_decref(taken);
}

enum ost_err
broker_disconnect(const struct op *op, long long id)
{
	json_t *taken = NULL;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	if (err)
		return err;
	err = broker_take(&ch, CONN_OF_ONE, id, 0, "disconnected", &taken);
	if (!err && json_array_size(taken) == 0)
		err = OST_ERR_NOT_FOUND;
	if (!(err = change_end(&ch, err)))
		broker_revoke_taken(op->app, taken);
	broker_taken_free(taken);
	return err;
}

enum ost_err
broker_rename(const struct op *op, long long id, const char *name)
{
	json_t *details = json_pack("{s:s}", "name", name);
	struct change ch;
	enum ost_err err = details ? change_begin(&ch, op) : OST_ERR_NOMEM;

	if (!err) {
		err = store_conn_rename(id, name);
		if (!err)
			err = change_audit(&ch, "connection.rename", "connection", id, details);
		err = change_end(&ch, err);
	}
	json_decref(details);
	return err;
}
