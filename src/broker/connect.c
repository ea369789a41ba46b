/* connect.c - the connect flow: the authorize URL with a state bound to
 * the session and a PKCE challenge; the callback that takes the state,
 * exchanges the code and keeps the connected account */
#include "broker/connect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker/connections.h"
#include "broker/upstream.h"
#include "broker/providers.h"
#include "core/buf.h"
#include "crypto/aead.h"
#include "crypto/crypto.h"
#include "registry/change.h"
#include "store/connection.h"
#include "store/provider.h"
#include "valid/valid.h"

#define URL_MAX 8192
#define VERIFIER_BYTES 32 /* 43 characters of base64url (RFC 7636: 43 to 128) */
#define STATE_TEXT_MAX 128
#define CODE_MAX 4096

static const char *const visibilities[] = {"user", "workspace", NULL};
static const char *const visibility_labels[] = {"Just for me", "Workspace shared", NULL};
static const struct field connect_fields[] = {
	{.name = "visibility", .label = "Who may use it", .kind = FIELD_ENUM, .choices = visibilities,
	    .choice_labels = visibility_labels, .dflt = "\"user\""},
	{.name = "reconnect", .label = "Connection to reconnect", .kind = FIELD_ID,
	    .flags = FIELD_NULLABLE},
};
const struct field_table broker_connect_body = FIELD_TABLE("ConnectionStart", connect_fields);

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

static OST_MUST_CHECK enum ost_err
refuse(struct field_error *why, enum ost_err err, const char *message)
{
	return op_refuse(why, err, NULL, message);
}

/* The AAD binding a sealed PKCE verifier to its state (by its hash). */
static void
verifier_aad(const uint8_t hash[CRYPTO_SHA256_LEN], char *aad, size_t size)
{
	char hex[2 * CRYPTO_SHA256_LEN + 1] = "";

	ost_ignore(crypto_hex_encode(hash, CRYPTO_SHA256_LEN, hex, sizeof(hex))); /* fits */
	snprintf(aad, size, "ostium:connect-state:%s", hex);
}

/* Append "&NAME=VALUE" (or "?..." first) to the URL in B. */
static OST_MUST_CHECK enum ost_err
add_param(struct buf *b, int *first, const char *name, const char *value)
{
	enum ost_err err = buf_adds(b, *first ? (strchr(b->p, '?') ? "&" : "?") : "&");

	*first = 0;
	if (!err)
		err = upstream_form_escape(b, name);
	if (!err)
		err = buf_adds(b, "=");
	return err ? err : upstream_form_escape(b, value);
}

/* The scopes of SETTINGS joined by spaces into B (empty when none). */
static OST_MUST_CHECK enum ost_err
scopes_text(const json_t *settings, struct buf *b)
{
	const json_t *s;
	size_t i;
	enum ost_err err = buf_add(b, "", 0);

	json_array_foreach(json_object_get(settings, "scopes"), i, s)
		if (!err && !(err = i ? buf_adds(b, " ") : OST_OK))
			err = buf_adds(b, json_string_value(s));
	return err;
}

/* The authorize URL of SETTINGS for client CLIENT_ID with STATE and, when
 * the provider uses PKCE, the challenge of VERIFIER. */
static OST_MUST_CHECK enum ost_err
authorize_url(const struct op *op, const json_t *settings, const char *client_id,
    const char *state, const char *verifier, char **url)
{
	char redirect[sizeof(op->app->cfg.base_url) + sizeof(CALLBACK_PATH)];
	char challenge[CRYPTO_TOKEN_TEXT];
	uint8_t digest[CRYPTO_SHA256_LEN];
	struct buf b, scopes;
	const char *key;
	const json_t *v;
	int first = 1;
	enum ost_err err;

	snprintf(redirect, sizeof(redirect), "%s%s", op->app->cfg.base_url, CALLBACK_PATH);
	buf_init(&b, URL_MAX);
	buf_init(&scopes, URL_MAX);
	err = buf_adds(&b, str(settings, "authorization_endpoint"));
	if (!err)
		err = add_param(&b, &first, "response_type", "code");
	if (!err)
		err = add_param(&b, &first, "client_id", client_id);
	if (!err)
		err = add_param(&b, &first, "redirect_uri", redirect);
	if (!err && !(err = scopes_text(settings, &scopes)) && scopes.len)
		err = add_param(&b, &first, "scope", scopes.p);
	if (!err)
		err = add_param(&b, &first, "state", state);
	if (!err && verifier) {
		crypto_sha256(verifier, strlen(verifier), digest);
		if (!(err = crypto_b64url_encode(digest, sizeof(digest), challenge, sizeof(challenge))) &&
		    !(err = add_param(&b, &first, "code_challenge", challenge)))
			err = add_param(&b, &first, "code_challenge_method", "S256");
	}
	json_object_foreach((json_t *)json_object_get(settings, "authorization_params"), key, v)
		if (!err)
			err = add_param(&b, &first, key, json_string_value(v));
	buf_free(&scopes);
	if (err)
		buf_free(&b);
	*url = err ? NULL : buf_take(&b);
	return err;
}

/* What a state stands for, checked: WHO is a member of COMPANY_ID where
 * APP_ID is installed, the provider is ready, and a reconnect is of WHO's
 * own connection. *WHAT gets the state's contents, *PROV the provider. */
static OST_MUST_CHECK enum ost_err
start_what(const struct connect_who *who, long long company_id, long long app_id,
    const char *provider, const char *visibility, long long reconnect, json_t **what,
    json_t **prov, struct field_error *why)
{
	json_t *member = NULL, *app = NULL, *conn = NULL;
	enum ost_err err;

	*what = NULL;
	if ((err = store_my_membership(who->user_id, company_id, &member)) == OST_ERR_NOT_FOUND)
		return refuse(why, err, "You are not a member of this company");
	if (!err && (err = store_install_exists(app_id, company_id, &app)) == OST_ERR_NOT_FOUND)
		err = refuse(why, err, "This application is not installed in this company");
	if (!err && (err = store_provider_get(app_id, provider, prov)) == OST_ERR_NOT_FOUND)
		err = refuse(why, err, "This application has no such connection provider");
	if (!err && json_integer_value(json_object_get(*prov, "vars_set")) < 2)
		err = refuse(why, OST_ERR_CONFLICT, "This provider needs a server administrator to "
		    "set its client id and secret first");
	if (!err && reconnect > 0) {
		err = store_conn_get(reconnect, &conn);
		if (!err && (num(conn, "provider_id") != num(*prov, "id") ||
		                num(conn, "company_id") != company_id))
			err = OST_ERR_NOT_FOUND;
		if (err == OST_ERR_NOT_FOUND)
			err = refuse(why, err, "There is no such connection to reconnect");
		else if (!err && num(conn, "user_id") != who->user_id)
			err = refuse(why, OST_ERR_FORBIDDEN, "Only the person who made a connection "
			    "reconnects it");
		visibility = str(conn, "visibility");
	}
	if (!err && !(*what = json_pack("{s:I, s:O, s:O, s:I, s:I, s:s, s:I}", "user_id",
	                  (json_int_t)who->user_id, "membership_id",
	                  json_object_get(member, "user_workspace_id"), "provider_id",
	                  json_object_get(*prov, "id"), "app_id", (json_int_t)app_id, "company_id",
	                  (json_int_t)company_id, "visibility", visibility, "connection_id",
	                  (json_int_t)(reconnect > 0 ? reconnect : 0))))
		err = OST_ERR_NOMEM;
	json_decref(member);
	json_decref(app);
	json_decref(conn);
	return err;
}

/* A state being stored (bookkeeping). */
struct new_state {
	const uint8_t *hash, *session;
	const json_t *what;
	const uint8_t *sealed;
	size_t n;
	unsigned key_id;
	struct field_error *why;
};

static OST_MUST_CHECK enum ost_err
state_insert(void *arg)
{
	struct new_state *s = arg;
	long long pending = 0;
	enum ost_err err = store_state_pending(s->session, &pending);

	if (!err && pending >= CONNECT_PENDING_MAX)
		return refuse(s->why, OST_ERR_THROTTLED, "Too many connections are being made at "
		    "once in this session: finish or wait for them");
	return err ? err : store_state_insert(s->hash, s->session, s->what, s->sealed, s->n,
	                       s->key_id, CONNECT_STATE_TTL);
}

/* Store the state STATE (hash HASH) for WHAT with VERIFIER (NULL: none). */
static OST_MUST_CHECK enum ost_err
save_state(const struct op *op, const struct connect_who *who, const uint8_t *hash,
    const json_t *what, const char *verifier, struct field_error *why)
{
	uint8_t sealed[VERIFIER_BYTES * 2 + AEAD_OVERHEAD];
	struct new_state s = {.hash = hash, .session = who->session_hash, .what = what, .why = why};
	char aad[128];
	enum ost_err err = OST_OK;

	if (verifier) {
		verifier_aad(hash, aad, sizeof(aad));
		s.n = strlen(verifier) + AEAD_OVERHEAD;
		if (s.n > sizeof(sealed))
			return OST_ERR_INTERNAL;
		err = crypto_seal(&op->app->keys, verifier, strlen(verifier), aad, strlen(aad), sealed,
		    &s.key_id);
		s.sealed = sealed;
	}
	return err ? err : bookkeeping_run(state_insert, &s);
}

enum ost_err
broker_connect_start(const struct op *op, const struct connect_who *who, long long company_id,
    long long app_id, const char *provider, const char *visibility, long long reconnect,
    char **url, struct field_error *why)
{
	char state[CRYPTO_TOKEN_TEXT], verifier[CRYPTO_TOKEN_TEXT], msg[256];
	uint8_t hash[CRYPTO_SHA256_LEN], raw[VERIFIER_BYTES];
	struct upstream_client oc = {0};
	json_t *what = NULL, *prov = NULL;
	const json_t *settings;
	int pkce;
	enum ost_err err;

	*url = NULL;
	if (!who->session_hash)
		return refuse(why, OST_ERR_FORBIDDEN, "Sign in to connect an account");
	err = start_what(who, company_id, app_id, provider, visibility, reconnect, &what, &prov, why);
	settings = json_object_get(prov, "settings");
	pkce = json_is_true(json_object_get(settings, "use_pkce"));
	if (!err && (err = upstream_client_load(op->app, app_id, settings, &oc, msg, sizeof(msg))) ==
	                OST_ERR_CONFIG)
		err = refuse(why, OST_ERR_CONFLICT, msg);
	if (!err) {
		crypto_token_new(state, hash);
		crypto_random(raw, sizeof(raw));
		err = crypto_b64url_encode(raw, sizeof(raw), verifier, sizeof(verifier));
	}
	if (!err)
		err = save_state(op, who, hash, what, pkce ? verifier : NULL, why);
	if (!err)
		err = authorize_url(op, settings, oc.client_id, state, pkce ? verifier : NULL, url);
	crypto_wipe(state, sizeof(state));
	crypto_wipe(verifier, sizeof(verifier));
	crypto_wipe(raw, sizeof(raw));
	upstream_client_free(&oc);
	json_decref(what);
	json_decref(prov);
	return err;
}

/* ---- the callback ---- */

static OST_MUST_CHECK enum ost_err
state_take(void *arg)
{
	void **a = arg;

	return store_state_take(a[0], (json_t **)a[1]);
}

/* Does the state ROW belong to WHO's session (compared in constant time)? */
static int
same_session(const json_t *row, const struct connect_who *who)
{
	const char *hex = str(row, "session_hex");
	uint8_t stored[CRYPTO_SHA256_LEN];
	size_t n = 0;

	if (!who->session_hash || !hex ||
	    crypto_hex_decode(hex, strlen(hex), stored, sizeof(stored), &n) || n != sizeof(stored))
		return 0;
	return crypto_equal(stored, who->session_hash, sizeof(stored)) &&
	    num(row, "user_id") == who->user_id;
}

/* Take STATE (single use) into *ROW, refusing one that is unknown, used,
 * expired or another session's. */
static OST_MUST_CHECK enum ost_err
take_state(const struct connect_who *who, const char *state, uint8_t hash[CRYPTO_SHA256_LEN],
    json_t **row, struct field_error *why)
{
	void *args[2] = {hash, row};
	enum ost_err err;

	*row = NULL;
	if (!state || !*state || strlen(state) > STATE_TEXT_MAX)
		return refuse(why, OST_ERR_INVALID, "The provider sent you back without the state "
		    "Ostium gave: nothing was stored. Start again from Ostium.");
	crypto_token_hash(state, strlen(state), hash);
	err = bookkeeping_run(state_take, args);
	if (err == OST_ERR_NOT_FOUND)
		return refuse(why, OST_ERR_INVALID, "This answer from the provider was used already, "
		    "or is not one Ostium asked for: nothing was stored. Start again from Ostium.");
	if (!err && json_is_true(json_object_get(*row, "expired")))
		err = refuse(why, OST_ERR_INVALID, "The connection took too long to finish: nothing "
		    "was stored. Start again from Ostium.");
	if (!err && !same_session(*row, who))
		err = refuse(why, OST_ERR_INVALID, "This connection was started in another session: "
		    "nothing was stored. Start again from Ostium, signed in as yourself.");
	return err;
}

/* The PKCE verifier of state ROW (hash HASH) into VERIFIER; "" when none. */
static OST_MUST_CHECK enum ost_err
open_verifier(const struct app *app, const json_t *row, const uint8_t *hash, char *verifier,
    size_t size)
{
	const char *hex = str(row, "verifier_hex");
	uint8_t sealed[VERIFIER_BYTES * 2 + AEAD_OVERHEAD];
	char aad[128];
	size_t n = 0;
	enum ost_err err;

	verifier[0] = '\0';
	if (!hex)
		return OST_OK;
	if ((err = crypto_hex_decode(hex, strlen(hex), sealed, sizeof(sealed), &n)))
		return err;
	if (n <= AEAD_OVERHEAD || n - AEAD_OVERHEAD >= size)
		return OST_ERR_CRYPTO;
	verifier_aad(hash, aad, sizeof(aad));
	err = crypto_open(&app->keys, (unsigned)num(row, "key_id"), sealed, n, aad, strlen(aad),
	    (uint8_t *)verifier);
	verifier[err ? 0 : n - AEAD_OVERHEAD] = '\0';
	return err;
}

/* Claim KEY of CLAIMS fit for a name: at most CONN_NAME_MAX characters,
 * no control characters; NULL when there is none. */
static const char *
claim(const json_t *claims, const char *key, char *out, size_t size)
{
	const char *v = str(claims, key);
	size_t i;

	if (!v || !*v)
		return NULL;
	valid_utf8_fit(v, CONN_NAME_MAX, out, size);
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
	return *out ? out : NULL;
}

/* The name and handle of a new connection into V: from CLAIMS (the
 * id_token's or userinfo's) when they say, else the provider's display
 * name and a number. */
static OST_MUST_CHECK enum ost_err
naming(const json_t *claims, const json_t *prov, long long user_id, json_t *v)
{
	char name[4 * CONN_NAME_MAX + 1], handle[4 * CONN_NAME_MAX + 1], made[4 * CONN_NAME_MAX + 1];
	const char *n = claim(claims, "name", name, sizeof(name));
	const char *h = claim(claims, "preferred_username", handle, sizeof(handle));
	long long count = 0;
	enum ost_err err = OST_OK;

	if (!h)
		h = claim(claims, "email", handle, sizeof(handle));
	if (!n && (n = claim(claims, "email", name, sizeof(name))) == NULL)
		n = h;
	if (!n) {
		err = store_conn_count_own(num(prov, "id"), user_id, &count);
		snprintf(made, sizeof(made), "%.150s %lld", str(prov, "display_name"), count + 1);
		valid_utf8_repair(made);
		n = made;
	}
	if (!err && (json_object_set_new(v, "name", json_string(n)) ||
	                json_object_set_new(v, "handle", json_string(h ? h : ""))))
		err = OST_ERR_NOMEM;
	return err;
}

/* Store grant G for state ROW in change CH: a new connection, or the
 * reconnected one; *ID gets its id. */
static OST_MUST_CHECK enum ost_err
keep(struct change *ch, const json_t *row, const json_t *prov, const struct upstream_grant *g,
    long long *id)
{
	json_t *v = NULL, *conn = NULL, *details = NULL;
	struct conn_tokens t = {0};
	enum ost_err err = OST_OK;
	char *scopes = json_dumps(g->scopes ? g->scopes
	                                    : json_object_get(json_object_get(prov, "settings"), "scopes"),
	    JSON_COMPACT);

	*id = num(row, "connection_id");
	if (!scopes)
		return OST_ERR_NOMEM;
	if (*id > 0) { /* a reconnect: still there, still theirs */
		err = store_conn_get(*id, &conn);
		if (!err && num(conn, "user_id") != num(row, "user_id"))
			err = OST_ERR_NOT_FOUND;
	} else if (!(v = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:o}", "provider_id",
	                 json_object_get(row, "provider_id"), "app_id", json_object_get(row, "app_id"),
	                 "company_id", json_object_get(row, "company_id"), "membership_id",
	                 json_object_get(row, "membership_id"), "user_id",
	                 json_object_get(row, "user_id"), "visibility",
	                 json_object_get(row, "visibility"), "scopes", json_loads(scopes, 0, NULL))))
		err = OST_ERR_NOMEM;
	else if (!(err = naming(g->claims, prov, num(row, "user_id"), v)))
		err = store_conn_insert(v, id);
	if (!err)
		err = broker_seal_tokens(ch->op->app, *id, g, NULL, &t);
	t.scopes = scopes;
	if (!err)
		err = store_conn_set_tokens(*id, &t);
	if (!err && !(details = json_pack("{s:O, s:O, s:O, s:O}", "provider",
	                  json_object_get(prov, "name"), "app_id", json_object_get(row, "app_id"),
	                  "company_id", json_object_get(row, "company_id"), "visibility",
	                  json_object_get(row, "visibility"))))
		err = OST_ERR_NOMEM;
	if (!err)
		err = change_audit(ch, conn ? "connection.reconnect" : "connection.create", "connection",
		    *id, details);
	if (!err && !conn)
		err = broker_announce(ch, CONNECTION_CREATED, *id);
	broker_tokens_free(&t);
	free(scopes);
	json_decref(details);
	json_decref(conn);
	json_decref(v);
	return err;
}

/* Exchange CODE for state ROW as client OC of provider PROV, and keep the
 * connection; *RESULT gets its id. */
static OST_MUST_CHECK enum ost_err
exchange(const struct op *op, const json_t *row, const uint8_t *hash, const json_t *prov,
    const struct upstream_client *oc, const char *code, json_t *result, struct field_error *why)
{
	char redirect[sizeof(op->app->cfg.base_url) + sizeof(CALLBACK_PATH)];
	char verifier[CRYPTO_TOKEN_TEXT + 1], msg[256] = "";
	const char *params[9] = {"grant_type", "authorization_code", "code", code, "redirect_uri",
	    redirect, NULL, NULL, NULL};
	struct upstream_grant g;
	struct change ch;
	long long id = 0;
	enum ost_err err = open_verifier(op->app, row, hash, verifier, sizeof(verifier));

	snprintf(redirect, sizeof(redirect), "%s%s", op->app->cfg.base_url, CALLBACK_PATH);
	if (err)
		return err;
	if (*verifier) {
		params[6] = "code_verifier";
		params[7] = verifier;
	}
	if (upstream_token(oc, params, &g, msg, sizeof(msg)) != UPSTREAM_OK) {
		crypto_wipe(verifier, sizeof(verifier));
		snprintf(why->message, sizeof(why->message), "The provider did not give the tokens "
		    "(%.180s): nothing was stored.", msg);
		why->field = NULL;
		return OST_ERR_INVALID;
	}
	crypto_wipe(verifier, sizeof(verifier));
	if (!g.claims)
		upstream_userinfo(oc, g.access, &g.claims);
	if (!(err = change_begin(&ch, op)))
		err = change_end(&ch, keep(&ch, row, prov, &g, &id));
	if (err == OST_ERR_NOT_FOUND)
		err = refuse(why, OST_ERR_INVALID, "The connection to reconnect is gone: nothing was "
		    "stored.");
	if (!err && json_object_set_new(result, "connection_id", json_integer(id)))
		err = OST_ERR_NOMEM;
	upstream_grant_free(&g);
	return err;
}

enum ost_err
broker_connect_finish(const struct op *op, const struct connect_who *who, const char *state,
    const char *code, const char *error, const char *error_description, json_t **result,
    struct field_error *why)
{
	uint8_t hash[CRYPTO_SHA256_LEN];
	struct upstream_client oc = {0};
	json_t *row = NULL, *prov = NULL, *member = NULL, *app = NULL;
	char msg[256];
	enum ost_err err = take_state(who, state, hash, &row, why);

	*result = json_object();
	if (!*result)
		err = OST_ERR_NOMEM;
	if (row && (json_object_set(*result, "app_id", json_object_get(row, "app_id")) ||
	               json_object_set(*result, "company_id", json_object_get(row, "company_id")) ||
	               json_object_set_new(*result, "reconnected",
	                   json_boolean(num(row, "connection_id") > 0))))
		err = OST_ERR_NOMEM;
	if (!err && error) {
		valid_utf8_fit(error_description ? error_description : "", 120, msg, sizeof(msg));
		snprintf(why->message, sizeof(why->message), "The provider did not grant access "
		    "(%.60s%s%.120s): nothing was stored.", error, *msg ? ": " : "", msg);
		valid_utf8_repair(why->message);
		why->field = NULL;
		err = OST_ERR_INVALID;
	}
	if (!err && (!code || !*code || strlen(code) > CODE_MAX))
		err = refuse(why, OST_ERR_INVALID, "The provider sent you back without a code: "
		    "nothing was stored.");
	if (!err && (store_my_membership(who->user_id, num(row, "company_id"), &member) ||
	                store_install_exists(num(row, "app_id"), num(row, "company_id"), &app)))
		err = refuse(why, OST_ERR_INVALID, "You are no longer a member of this company, or "
		    "the application was uninstalled: nothing was stored.");
	if (!err && !(err = store_provider_by_id(num(row, "provider_id"), &prov)) &&
	    json_object_set(*result, "provider_name", json_object_get(prov, "display_name")))
		err = OST_ERR_NOMEM;
	if (!err && (err = upstream_client_load(op->app, num(row, "app_id"),
	                 json_object_get(prov, "settings"), &oc, msg, sizeof(msg))) == OST_ERR_CONFIG)
		err = refuse(why, OST_ERR_INVALID, msg);
	if (!err)
		err = exchange(op, row, hash, prov, &oc, code, *result, why);
	upstream_client_free(&oc);
	json_decref(member);
	json_decref(app);
	json_decref(prov);
	json_decref(row);
	return err;
}
