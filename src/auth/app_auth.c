/* app_auth.c - applications calling the application API: Basic credentials,
 * their company, allowed addresses, capabilities and permissions, CORS */
#include "auth/app_auth.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/cache.h"
#include "auth/oauth_check.h"
#include "core/addr.h"
#include "core/buf.h"
#include "core/log.h"
#include "valid/app_fields.h"
#include "valid/app_rules.h"
#include "crypto/crypto.h"
#include "render/render.h"
#include "store/app_auth.h"
#include "store/oauth_token.h"
#include "store/throttle.h"

#define PUBLIC_ID_LEN 26    /* lower-case hex */
#define BASIC_MAX 256       /* decoded "public_id:key", bytes */
#define GROUP_ID_MAX 18     /* digits */
#define APP_CHECK_KEEP_MAX 3600 /* seconds a cached check lives at most without a change */

/* What the Authorization header said. */
struct creds {
	char public_id[PUBLIC_ID_LEN + 1]; /* "" unless 26 lower-case hex digits */
	char buf[BASIC_MAX + 1];           /* the decoded header, wiped after use */
	const char *key;                   /* into buf: the private key as sent */
	size_t keylen;
};

/* The needs a route may declare, in enum app_need bit order: a capability
 * (KIND "read" or "write" over resource NAME) or a permission (KIND NULL). */
static const struct {
	const char *kind;
	const char *name;
} needs_table[] = {
	{"read", "connections"}, {"write", "connections"}, {"read", "users"},
	{"write", "users"}, {"read", "companies"}, {"write", "companies"},
	{NULL, "SEND_MESSAGES"}, {NULL, "GET_USER_CONNECTIONS"},
	{NULL, "REQUEST_USER_CONNECTIONS"}, {NULL, "SET_PRESENCE"}, {NULL, "GET_PRESENCE"},
	{NULL, "GET_BASIC_USER_INFO"}, {NULL, "GET_EXTENDED_USER_INFO"},
	{NULL, "GET_BASIC_CONTACT_INFO"}, {NULL, "GET_EXTENDED_CONTACT_INFO"},
	{NULL, "ACT_AS_USER"}, {NULL, "MANAGE_SIGNALS"}, {NULL, "MANAGE_USER_FOLLOWING"},
	{NULL, "TRUST_APP"},
};
#define NNEEDS (sizeof(needs_table) / sizeof(needs_table[0]))

int
app_auth_is_api_path(const char *path)
{
	return strncmp(path, APP_API_PREFIX, sizeof(APP_API_PREFIX) - 1) == 0;
}

int
app_auth_ip_allowed(const json_t *list, const char *addr)
{
	uint8_t ip[16];
	size_t i;
	int v4;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return 1;
	if (!addr || !addr_parse(addr, ip, &v4))
		return 0;
	for (i = 0; i < json_array_size(list); i++) {
		const char *entry = json_string_value(json_array_get(list, i));
		if (entry && addr_in_range(entry, ip))
			return 1;
	}
	return 0;
}

int
app_auth_loopback(const char *addr)
{
	uint8_t ip[16];
	int v4;

	if (!addr || !addr_parse(addr, ip, &v4))
		return 0;
	return addr_in_range("127.0.0.0/8", ip) || addr_in_range("::1", ip);
}

/* Read "Authorization: Basic ..." of R into CR; a missing or unreadable
 * header leaves an empty public id and key. */
static void
creds_parse(const struct request *r, struct creds *cr)
{
	const char *h = request_header(r, "Authorization"), *colon;
	size_t n, len = 0, i;

	memset(cr, 0, sizeof(*cr));
	cr->key = cr->buf;
	if (!h || strncasecmp(h, "Basic ", 6) != 0)
		return;
	for (h += 6; *h == ' '; h++)
		;
	n = strlen(h);
	if (n == 0 || n > (BASIC_MAX + 2) / 3 * 4 ||
	    crypto_b64_decode(h, n, cr->buf, BASIC_MAX, &len))
		return;
	cr->buf[len] = '\0';
	if (!(colon = memchr(cr->buf, ':', len)))
		return;
	cr->key = colon + 1;
	cr->keylen = len - (size_t)(colon + 1 - cr->buf);
	if (colon - cr->buf != PUBLIC_ID_LEN)
		return;
	for (i = 0; i < PUBLIC_ID_LEN; i++) {
		char ch = cr->buf[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return;
	}
	memcpy(cr->public_id, cr->buf, PUBLIC_ID_LEN);
	cr->public_id[PUBLIC_ID_LEN] = '\0';
}

/* The company named by group_id (query parameter, else X-Group-Id) into
 * *ID: 1 when given and well formed, 0 when malformed, -1 when missing. */
static int
group_parse(const struct request *r, long long *id)
{
	const char *g = json_string_value(json_object_get(r->query, "group_id"));
	size_t i, n;

	*id = 0;
	if (!g)
		g = request_header(r, "X-Group-Id");
	if (!g || !*g)
		return -1;
	n = strlen(g);
	if (n > GROUP_ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (g[i] < '0' || g[i] > '9')
			return 0;
	*id = strtoll(g, NULL, 10);
	return *id > 0;
}

/* The stored hash at KEY of ROW (hex) into OUT; zeros when there is none. */
static int
stored_hash(const json_t *row, const char *key, uint8_t out[CRYPTO_SHA256_LEN])
{
	const char *hex = json_string_value(json_object_get(row, key));
	size_t n = 0;

	memset(out, 0, CRYPTO_SHA256_LEN);
	return hex && strlen(hex) == 2 * CRYPTO_SHA256_LEN &&
	    !crypto_hex_decode(hex, strlen(hex), out, CRYPTO_SHA256_LEN, &n) &&
	    n == CRYPTO_SHA256_LEN;
}

int
app_auth_key_matches(const struct app *app, const json_t *row, const char *key, size_t keylen)
{
	uint8_t mac[CRYPTO_SHA256_LEN], cur[CRYPTO_SHA256_LEN], prev[CRYPTO_SHA256_LEN];
	int has_cur = stored_hash(row, "key_hash", cur);
	int has_prev = stored_hash(row, "previous_key_hash", prev);
	int ok;

	if (crypto_hmac_sha256(app->pepper, APP_PEPPER_LEN, key, keylen, mac))
		return 0;
	ok = (crypto_equal(mac, cur, sizeof(mac)) & has_cur) |
	    (crypto_equal(mac, prev, sizeof(mac)) & has_prev);
	crypto_wipe(mac, sizeof(mac));
	return ok && keylen > 0;
}

/* 1 when CR's key is ROW's current key or its previous one still in its
 * grace period (app_auth_key_matches). */
static int
key_matches(const struct app *app, const json_t *row, const struct creds *cr)
{
	return app_auth_key_matches(app, row, cr->key, cr->keylen);
}

static json_int_t
row_int(const json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

/* A failed authentication by CR: 429 with Retry-After when its public id
 * or the caller's address has failed too often within the window (nothing
 * more is noted then), else the failure is noted for both and the 401
 * answer set; any other failure is answered with its error. Unknown and
 * known public ids take the same statements. */
enum ost_err
app_auth_failure(const struct app *app, const char *public_id, const char *addr,
    unsigned *retry_after)
{
	char id_bucket[sizeof("app:") + PUBLIC_ID_LEN];
	char addr_bucket[sizeof("app-address:") + REQUEST_ADDR_MAX];
	unsigned window = app->cfg.throttle_window;
	json_t *row = NULL;
	json_int_t retry = 0;
	int by_id, by_addr;
	enum ost_err err;

	*retry_after = 0;
	snprintf(id_bucket, sizeof(id_bucket), "%s%s", *public_id ? "app:" : "", public_id);
	snprintf(addr_bucket, sizeof(addr_bucket), "app-address:%s", addr);
	if ((err = store_app_auth_failures(id_bucket, addr_bucket, window, &row)))
		return err;
	by_id = row_int(row, "id_failures") >= APP_AUTH_ID_FAILURES;
	by_addr = row_int(row, "addr_failures") >= app->cfg.throttle_address;
	retry = by_id ? row_int(row, "id_retry") : 0;
	if (by_addr && row_int(row, "addr_retry") > retry)
		retry = row_int(row, "addr_retry");
	json_decref(row);
	if (by_id || by_addr) {
		*retry_after = retry > 0 ? (unsigned)retry : 1;
		return OST_OK;
	}
	if ((*id_bucket && (err = store_throttle_fail(id_bucket, window))) ||
	    (err = store_throttle_fail(addr_bucket, window)))
		return err;
	return OST_OK;
}

/* Note a failed authentication of PUBLIC_ID ("" for none): OST_OK when
 * it is noted (the caller answers); once throttled, the 429 answer with
 * Retry-After is set and OST_ERR_THROTTLED returned; any other failure is
 * answered with its error. */
static OST_MUST_CHECK enum ost_err
noted_or_reply(struct ctx *c, const char *public_id)
{
	char text[24];
	unsigned retry = 0;
	enum ost_err err;

	if ((err = app_auth_failure(c->app, public_id, c->req->remote_addr, &retry)))
		return response_fail(c->res, err);
	if (!retry)
		return OST_OK;
	snprintf(text, sizeof(text), "%u", retry);
	response_error(c->res, OST_ERR_THROTTLED,
	    "Too many failed authentications; try again later", NULL);
	if ((err = response_header(c->res, "Retry-After", text)))
		return response_fail(c->res, err);
	return OST_ERR_THROTTLED;
}

static OST_MUST_CHECK enum ost_err
failed_or_reply(struct ctx *c, const struct creds *cr)
{
	enum ost_err err = noted_or_reply(c, cr->public_id);

	if (err)
		return err;
	response_error(c->res, OST_ERR_UNAUTHORIZED,
	    "Send the application's public id and private API key with Basic authentication",
	    NULL);
	if ((err = response_header(c->res, "WWW-Authenticate",
	         "Basic realm=\"ostium\", charset=\"UTF-8\"")))
		return response_fail(c->res, err);
	return OST_ERR_UNAUTHORIZED;
}

/* Is ORIGIN allowed by the application's DOMAIN (an origin, or a host
 * name: see app_domain_allows) or in ORIGINS (a JSON list; "*" for any)? */
static int
origin_allowed(const char *origin, const char *domain, const json_t *origins,
    int development)
{
	size_t i;

	if (app_domain_allows(domain, origin, development))
		return 1;
	for (i = 0; json_is_array(origins) && i < json_array_size(origins); i++) {
		const char *o = json_string_value(json_array_get(origins, i));
		if (o && (strcmp(o, "*") == 0 || strcasecmp(o, origin) == 0))
			return 1;
	}
	return 0;
}

enum ost_err
app_auth_cors(struct ctx *c, const json_t *app)
{
	const char *origin = request_header(c->req, "Origin");

	if (!origin || !*origin ||
	    !origin_allowed(origin, json_string_value(json_object_get(app, "domain")),
	        json_object_get(app, "allowed_origins"), c->app->cfg.development))
		return OST_OK;
	if (response_header(c->res, "Access-Control-Allow-Origin", origin) == OST_OK)
		return response_header(c->res, "Vary", "Origin");
	return OST_OK;
}

/* Replace the JSON text at KEY of ROW by its value (FALLBACK when unreadable). */
static void
parse_column(json_t *row, const char *key, json_t *fallback)
{
	const char *text = json_string_value(json_object_get(row, key));
	json_t *v = text && fallback ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;

	if (!fallback) {
		json_object_set_new(row, key, json_null());
		return;
	}
	if (!v || json_typeof(v) != json_typeof(fallback)) {
		json_decref(v);
		v = json_incref(fallback);
	}
	json_object_set_new(row, key, v);
	json_decref(fallback);
}

/* The missing need of NEEDS (its index), or -1 when APP has them all. */
static int
missing_need(const json_t *app, unsigned needs)
{
	const json_t *caps = json_object_get(app, "capabilities");
	const json_t *perms = json_object_get(app, "permissions"), *list;
	size_t i, j;
	int found;

	for (i = 0; i < NNEEDS; i++) {
		if (!(needs & (1u << i)))
			continue;
		list = needs_table[i].kind ? json_object_get(caps, needs_table[i].kind) : perms;
		found = 0;
		for (j = 0; !found && j < json_array_size(list); j++) {
			const char *have = json_string_value(json_array_get(list, j));
			found = have && strcmp(have, needs_table[i].name) == 0;
		}
		if (!found)
			return (int)i;
	}
	return -1;
}

/* 403 naming the need at index I. */
static OST_MUST_CHECK enum ost_err
need_reply(struct ctx *c, int i)
{
	char msg[160];

	if (needs_table[i].kind)
		snprintf(msg, sizeof(msg), "This call needs the capability %s:%s",
		    needs_table[i].kind, needs_table[i].name);
	else
		snprintf(msg, sizeof(msg), "This call needs the permission %s",
		    needs_table[i].name);
	response_error(c->res, OST_ERR_FORBIDDEN, msg, NULL);
	return OST_ERR_FORBIDDEN;
}

/* The identity sheet (what GET /api/v1/app/me returns) of the parsed ROW. */
static json_t *
sheet_of(const json_t *row, long long group_id)
{
	/* the sheet's fields are those APP_FIELDS marks (valid/app_fields.h) */
#define APP_SHEET_KEY_1_(NAME) #NAME,
#define APP_SHEET_KEY_0_(NAME)
#define APP_SHEET_KEY_(NAME, SHEET, ...) APP_SHEET_KEY_##SHEET##_(NAME)
	static const char *const keys[] = {"id", APP_FIELDS(APP_SHEET_KEY_) "public_id"};
	json_t *sheet = json_object();
	size_t i;

	for (i = 0; sheet && i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set(sheet, keys[i], json_object_get(row, keys[i]));
	if (sheet)
		json_object_set_new(sheet, "group_id", json_integer(group_id));
	return sheet;
}

/* Does SCOPE (a token's, space-separated; NULL for none) name NAME? */
static int
scope_has(const char *scope, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = scope; p && *p; p += strcspn(p, " "), p += *p == ' ')
		if (strncmp(p, name, n) == 0 && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* The permissions of the application ROW (parsed) that a call holds: all
 * of them with Basic (SCOPE NULL), those a token's SCOPE names too. */
static json_t *
held_permissions(const json_t *row, const char *scope)
{
	json_t *held = json_array(), *p;
	size_t i;

	json_array_foreach(json_object_get(row, "permissions"), i, p)
		if (held && json_is_string(p) &&
		    (!scope || scope_has(scope, json_string_value(p))) && json_array_append(held, p)) {
			json_decref(held);
			return NULL;
		}
	return held;
}

/* The columns of a stored application ROW that hold JSON, parsed in place:
 * once (a kept row is parsed already). */
static void
parse_row(json_t *row)
{
	parse_column(row, "permissions", json_array());
	parse_column(row, "capabilities", json_pack("{s:[], s:[]}", "read", "write"));
	parse_column(row, "display", json_object());
	parse_column(row, "properties", json_object());
	parse_column(row, "allowed_ips", json_array());
	parse_column(row, "allowed_origins", json_array());
}

/* After good credentials: CORS, the company, addresses, installation and
 * needs of ROW (parsed); on failure the answer. */
static OST_MUST_CHECK enum ost_err
admit_checks_or_reply(struct ctx *c, const json_t *row, int group, unsigned needs)
{
	int missing;
	enum ost_err err;

	if ((err = app_auth_cors(c, row)))
		return response_fail(c->res, err);
	if (group != 1) {
		response_error(c->res, OST_ERR_INVALID,
		    group < 0 ? "Name the company the call acts for: group_id (query parameter "
		                "or X-Group-Id header)"
		              : "group_id must be the id of a company",
		    "group_id");
		return OST_ERR_INVALID;
	}
	if (!app_auth_ip_allowed(json_object_get(row, "allowed_ips"), c->req->remote_addr)) {
		response_error(c->res, OST_ERR_FORBIDDEN,
		    "The caller's address is not one of the application's allowed_ips", NULL);
		return OST_ERR_FORBIDDEN;
	}
	if (!json_is_integer(json_object_get(row, "company_id"))) {
		response_error(c->res, OST_ERR_FORBIDDEN,
		    "The application is not installed in this company", "group_id");
		return OST_ERR_FORBIDDEN;
	}
	if ((missing = missing_need(row, needs)) >= 0)
		return need_reply(c, missing);
	return OST_OK;
}

/* After good credentials: ROW (a stored application row, parsed here)
 * admitted as admit_checks_or_reply does, SCOPE the token's (NULL with
 * Basic); on success c->caller is set, on failure the answer. */
static OST_MUST_CHECK enum ost_err
admit_or_reply(struct ctx *c, json_t *row, const char *scope, int group, long long group_id,
    unsigned needs)
{
	enum ost_err err;

	parse_row(row);
	if ((err = admit_checks_or_reply(c, row, group, needs)))
		return err;
	c->caller = json_pack("{s:o, s:{s:O, s:O, s:O}, s:o}", "app", sheet_of(row, group_id),
	    "company", "id", json_object_get(row, "company_id"), "name",
	    json_object_get(row, "company_name"), "slug", json_object_get(row, "company_slug"),
	    "permissions", held_permissions(row, scope));
	return c->caller ? OST_OK : response_fail(c->res, OST_ERR_NOMEM);
}

/* The https rule of the application API. Development mode lets plain http
 * through only for a loopback client: an application's key is a long-lived
 * secret, so even a development server does not take it in clear text
 * from the network; and a test (or a developer) can check the refusal by
 * sending, through a trusted proxy, X-Forwarded-For with another address. */
static int
https_or_local(const struct ctx *c)
{
	return c->req->https || (c->app->cfg.development && app_auth_loopback(c->req->remote_addr));
}

/* The permission among NEEDS that SCOPE (a token's, space-separated) does
 * not hold (its index), or -1: a token may carry fewer permissions than
 * its application has. */
static int
scope_lacks(const char *scope, unsigned needs)
{
	size_t i;

	for (i = 0; i < NNEEDS; i++)
		if ((needs & (1u << i)) && !needs_table[i].kind &&
		    !scope_has(scope, needs_table[i].name))
			return (int)i;
	return -1;
}

/* A bearer token that is no valid client_credentials token: throttled like
 * a wrong key, else 401 with the RFC 6750 challenge. */
static OST_MUST_CHECK enum ost_err
bearer_failed_or_reply(struct ctx *c)
{
	enum ost_err err = noted_or_reply(c, "");

	if (err)
		return err;
	response_error(c->res, OST_ERR_UNAUTHORIZED, "The access token is not valid, or is not the "
	    "application's own (client_credentials)", NULL);
	if ((err = response_header(c->res, "WWW-Authenticate",
	         "Bearer realm=\"ostium\", error=\"invalid_token\"")))
		return response_fail(c->res, err);
	return OST_ERR_UNAUTHORIZED;
}

/* "Authorization: Bearer TOKEN": a client_credentials access token of the
 * authorization server instead of Basic, then every other check alike. */
static OST_MUST_CHECK enum ost_err
bearer_or_reply(struct ctx *c, const char *token, int group, long long group_id, unsigned needs)
{
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *tok = NULL, *row = NULL;
	const char *kind;
	enum ost_err err;
	int ok, lacks;

	crypto_token_hash(token, strlen(token), hash);
	err = auth_oauth_token(c->app, hash, &tok);
	kind = json_string_value(json_object_get(tok, "kind"));
	ok = !err && kind && strcmp(kind, "access") == 0 &&
	    json_is_true(json_object_get(tok, "valid")) &&
	    (json_is_null(json_object_get(tok, "user_id")) || (needs & APP_TAKES_USER_TOKEN));
	if (ok && (err = auth_oauth_app(c->app, json_string_value(json_object_get(tok, "client_id")),
	               group_id, &row)) == OST_ERR_NOT_FOUND)
		ok = 0;
	if (err && err != OST_ERR_NOT_FOUND)
		err = response_fail(c->res, err);
	else if (!ok)
		err = bearer_failed_or_reply(c);
	else if ((lacks = scope_lacks(json_string_value(json_object_get(tok, "scope")), needs)) >= 0)
		err = need_reply(c, lacks);
	else {
		err = admit_or_reply(c, row, json_string_value(json_object_get(tok, "scope")), group,
		    group_id, needs);
		/* a person's token: the call acts for them */
		if (!err && json_is_integer(json_object_get(tok, "user_id")) &&
		    json_object_set(c->caller, "user_id", json_object_get(tok, "user_id")))
			err = response_fail(c->res, OST_ERR_NOMEM);
	}
	json_decref(tok);
	json_decref(row);
	return err;
}

/* The cache key of CR's check for company GROUP_ID into OUT: SHA-256 of the
 * public id, the company and the key's HMAC (MAC, what the database holds),
 * so that neither the key nor anything it could be found from is kept. */
static void
check_key(const struct creds *cr, long long group_id, const uint8_t mac[CRYPTO_SHA256_LEN],
    uint8_t out[CRYPTO_SHA256_LEN])
{
	char buf[PUBLIC_ID_LEN + 1 + 24 + CRYPTO_SHA256_LEN];
	int n = snprintf(buf, sizeof(buf), "%s:%lld:", cr->public_id, group_id);

	memcpy(buf + n, mac, CRYPTO_SHA256_LEN);
	crypto_token_hash(buf, (size_t)n + CRYPTO_SHA256_LEN, out);
	crypto_wipe(buf, sizeof(buf));
}

/* Until when a check of ROW by a key whose HMAC is MAC may be kept: the
 * current key's for APP_CHECK_KEEP_MAX, the previous one's until its grace
 * ends (NOW when it has: nothing is kept). */
static time_t
check_until(const json_t *row, const uint8_t mac[CRYPTO_SHA256_LEN], time_t now)
{
	uint8_t cur[CRYPTO_SHA256_LEN];
	const json_t *ttl = json_object_get(row, "previous_key_ttl");
	int current = stored_hash(row, "key_hash", cur) && crypto_equal(mac, cur, sizeof(cur));

	if (current)
		return now + APP_CHECK_KEEP_MAX;
	if (!json_is_integer(ttl) || json_integer_value(ttl) <= 0)
		return now;
	return now + (json_integer_value(ttl) < APP_CHECK_KEEP_MAX ? (time_t)json_integer_value(ttl)
	                                                          : APP_CHECK_KEEP_MAX);
}

#define APP_SHEET_JSON_MAX (1024 * 1024) /* past it a sheet is kept unrendered */

/* Keep the admitted ROW (parsed, without its key hashes) and its CALLER
 * under CK until UNTIL: counted as their JSON text four times over, what
 * jansson's objects hold for it, roughly. The caller gains the identity
 * sheet rendered as JSON (app_json), what GET /api/v1/app/me answers. */
static OST_MUST_CHECK enum ost_err
keep_check(struct cache *cc, const uint8_t *ck, const struct cache_gens *gens, time_t until,
    json_t *row, json_t *caller)
{
	struct buf sheet;
	json_t *kept;

	buf_init(&sheet, APP_SHEET_JSON_MAX);
	if (!render_json(json_object_get(caller, "app"), &sheet) &&
	    json_object_set_new(caller, "app_json", json_stringn(sheet.p, sheet.len)))
		log_warn("an identity sheet could not be kept rendered");
	buf_free(&sheet);
	kept = json_pack("{s:O, s:O}", "row", row, "caller", caller);
	size_t charge = kept ? json_dumpb(kept, NULL, 0, JSON_COMPACT) * 4 : 0;
	enum ost_err err = kept ? cache_put_json(cc, AUTH_CACHE_APP_KEY, ck, gens, until, kept, charge)
	                        : OST_ERR_NOMEM;

	json_decref(kept);
	return err;
}

enum ost_err
app_auth_or_reply(struct ctx *c, unsigned needs)
{
	struct creds cr;
	long long group_id = 0;
	int group = group_parse(c->req, &group_id), ok, keyed;
	json_t *row = NULL;
	struct cache *cc = auth_cache();
	struct cache_gens gens;
	uint8_t mac[CRYPTO_SHA256_LEN] = {0}, ck[CRYPTO_SHA256_LEN] = {0};
	time_t now = time(NULL), until = 0;
	json_t *kept;
	enum ost_err err;

	const char *h = request_header(c->req, "Authorization");

	if (!https_or_local(c)) {
		response_error(c->res, OST_ERR_FORBIDDEN, "The application API needs https", NULL);
		return OST_ERR_FORBIDDEN;
	}
	if (h && strncasecmp(h, "Bearer ", 7) == 0) {
		for (h += 7; *h == ' '; h++)
			;
		return bearer_or_reply(c, h, group, group_id, needs);
	}
	creds_parse(c->req, &cr);
	/* a check this worker made before, and no change of applications,
	 * installations or companies since: no database read */
	auth_generations_poll(c->app);
	keyed = cc && cr.public_id[0] && cr.keylen > 0 &&
	    !crypto_hmac_sha256(c->app->pepper, APP_PEPPER_LEN, cr.key, cr.keylen, mac);
	if (keyed) {
		check_key(&cr, group_id, mac, ck);
		if ((kept = cache_get_json(cc, AUTH_CACHE_APP_KEY, ck, now))) {
			crypto_wipe(&cr, sizeof(cr));
			crypto_wipe(mac, sizeof(mac));
			/* the row and caller as this worker admitted them, neither
			 * changed: the checks that depend on the request again */
			if ((err = admit_checks_or_reply(c, json_object_get(kept, "row"), group, needs)))
				return err;
			c->caller = json_incref(json_object_get(kept, "caller"));
			return OST_OK;
		}
	}
	/* the counters BEFORE the read: a change committed meanwhile is seen */
	cache_gens(&gens, GEN_BIT(GEN_APPS));
	err = store_app_auth_lookup(cr.public_id, group_id, &row);
	if (err && err != OST_ERR_NOT_FOUND) {
		crypto_wipe(&cr, sizeof(cr));
		crypto_wipe(mac, sizeof(mac));
		return response_fail(c->res, err);
	}
	ok = key_matches(c->app, row, &cr);
	err = ok ? OST_OK : failed_or_reply(c, &cr);
	crypto_wipe(&cr, sizeof(cr));
	if (!err) {
		if (keyed)
			until = check_until(row, mac, now);
		json_object_del(row, "key_hash");
		json_object_del(row, "previous_key_hash");
		json_object_del(row, "previous_key_ttl");
		err = admit_or_reply(c, row, NULL, group, group_id, needs);
		/* only a check that let the call through is kept: the parsed row
		 * and the caller, which no one changes from here on */
		if (!err && until > now && keep_check(cc, ck, &gens, until, row, c->caller))
			log_warn("an application check could not be cached");
	}
	crypto_wipe(mac, sizeof(mac));
	json_decref(row);
	return err;
}

int
app_auth_caller_holds(const struct ctx *c, const char *permission)
{
	const json_t *p;
	size_t i;

	json_array_foreach(json_object_get(c->caller, "permissions"), i, p)
		if (json_is_string(p) && strcmp(json_string_value(p), permission) == 0)
			return 1;
	return 0;
}

enum ost_err
app_auth_preflight(struct ctx *c, const char *allow)
{
	const char *origin = request_header(c->req, "Origin");
	int known = 0;
	enum ost_err err;

	if (origin && *origin && strlen(origin) < 256 &&
	    (err = store_app_origin_known(origin,
	         app_origin_host(origin, c->app->cfg.development), &known)))
		return err;
	if (known && response_header(c->res, "Access-Control-Allow-Origin", origin) == OST_OK &&
	    ((err = response_header(c->res, "Vary", "Origin")) ||
	        (err = response_header(c->res, "Access-Control-Allow-Methods", allow)) ||
	        (err = response_header(c->res, "Access-Control-Allow-Headers",
	             "Authorization, X-Group-Id, Content-Type, Accept")) ||
	        (err = response_header(c->res, "Access-Control-Max-Age", APP_CORS_MAX_AGE))))
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
