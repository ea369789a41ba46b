/* client.c - client authentication at the OAuth endpoints (RFC 6749
 * section 2.3): client_secret_basic, client_secret_post, private_key_jwt
 * (RFC 7523) and public clients; failures throttled per client and per
 * address as on the application API, with the same counters */
#include "oauth/oauth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/app_auth.h"
#include "auth/auth.h"
#include "auth/cache.h"
#include "core/log.h"
#include "crypto/jwt.h"
#include "http/form.h"
#include "store/oauth_client.h"

#define CLIENT_ID_LEN 26 /* lower-case hex */
#define BASIC_MAX 512    /* decoded bytes of a Basic header */
/* Seconds a jti is kept past the last moment its assertion is accepted
 * (exp + JWT_SKEW): the clean-up runs by the database's clock, which may
 * differ from this host's. */
#define JTI_MARGIN 60
#define CLIENT_CHECK_KEEP_MAX 3600 /* seconds a kept secret check lives at most without a change */

/* What the request offered to authenticate with. */
struct offer {
	enum oauth_auth_method method;
	char id[BASIC_MAX + 1];      /* the client id as sent (decoded) */
	char secret[BASIC_MAX + 1];  /* the secret as sent (decoded), wiped after use */
	const char *assertion;       /* private_key_jwt */
};

long long
oauth_client_int(const struct oauth_client *cl, const char *key)
{
	return json_integer_value(json_object_get(cl->row, key));
}

/* Replace the JSON text at KEY of ROW by its value, an empty list when unreadable. */
static void
parse_list(json_t *row, const char *key)
{
	const char *text = json_string_value(json_object_get(row, key));
	json_t *v;

	if (json_is_array(json_object_get(row, key)))
		return; /* parsed already */
	v = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_array(v)) {
		json_decref(v);
		v = json_array();
	}
	json_object_set_new(row, key, v);
}

/* Take ROW (stolen) into CL. */
static void
client_take(struct oauth_client *cl, json_t *row)
{
	parse_list(row, "permissions");
	parse_list(row, "redirect_uris");
	parse_list(row, "allowed_origins");
	cl->row = row;
	cl->id = json_integer_value(json_object_get(row, "id"));
	cl->public_id = json_string_value(json_object_get(row, "public_id"));
	cl->authenticator = json_string_value(json_object_get(row, "authenticator"));
}

/* Drop from ROW what only the check of a secret reads. */
static void
keys_drop(json_t *row)
{
	json_object_del(row, "key_hash");
	json_object_del(row, "previous_key_hash");
	json_object_del(row, "previous_key_ttl");
}

enum ost_err
oauth_client_load(const char *public_id, long long id, struct oauth_client *cl)
{
	json_t *row = NULL;
	enum ost_err err = public_id ? store_oauth_client(public_id, &row)
	                             : store_oauth_client_by_id(id, &row);

	memset(cl, 0, sizeof(*cl));
	if (err)
		return err;
	keys_drop(row);
	client_take(cl, row);
	return OST_OK;
}

void
oauth_client_free(struct oauth_client *cl)
{
	json_decref(cl->row);
	cl->row = NULL;
}

/* Percent-decode the N bytes at S into OUT (BASIC_MAX + 1 bytes), as a
 * form field: 1 when it decodes. */
static int
form_part(const char *s, size_t n, char *out)
{
	size_t len = 0;

	return n <= BASIC_MAX && !form_unescape(s, n, 1, out, &len) && len == strlen(out);
}

/* Read "Authorization: Basic ..." into O: OST_OK (O->method BASIC) when
 * present and readable, invalid_client when present but not. */
static OST_MUST_CHECK enum ost_err
offer_basic(const char *h, struct offer *o, struct oauth_fail *f)
{
	char buf[BASIC_MAX + 1];
	const char *colon;
	size_t n, len = 0;
	int ok;

	for (h += 6; *h == ' '; h++)
		;
	n = strlen(h);
	f->basic = 1;
	ok = n > 0 && n <= (BASIC_MAX + 2) / 3 * 4 && !crypto_b64_decode(h, n, buf, BASIC_MAX, &len);
	if (ok) {
		buf[len] = '\0';
		colon = memchr(buf, ':', len);
		ok = colon && strlen(buf) == len && form_part(buf, (size_t)(colon - buf), o->id) &&
		    form_part(colon + 1, len - (size_t)(colon + 1 - buf), o->secret);
	}
	crypto_wipe(buf, sizeof(buf));
	if (!ok)
		return oauth_refuse(f, "invalid_client", "The Basic credentials cannot be read");
	o->method = OAUTH_AUTH_BASIC;
	return OST_OK;
}

/* What C offers, into O; invalid_request when several methods are mixed or
 * the parameters disagree. */
static OST_MUST_CHECK enum ost_err
offer_read(const struct ctx *c, struct offer *o, struct oauth_fail *f)
{
	const char *h = request_header(c->req, "Authorization");
	const char *id = NULL, *secret = NULL, *type = NULL;
	enum ost_err err;
	int basic = h && strncasecmp(h, "Basic ", 6) == 0, methods;

	memset(o, 0, sizeof(*o));
	if ((err = oauth_param(c, "client_id", &id, f)) ||
	    (err = oauth_param(c, "client_secret", &secret, f)) ||
	    (err = oauth_param(c, "client_assertion_type", &type, f)) ||
	    (err = oauth_param(c, "client_assertion", &o->assertion, f)))
		return err;
	methods = basic + (secret != NULL) + (type || o->assertion);
	if (methods > 1)
		return oauth_refuse(f, "invalid_request", "Use one client authentication method");
	if (basic && (err = offer_basic(h, o, f)))
		return err;
	if (basic && id && strcmp(id, o->id) != 0)
		return oauth_refuse(f, "invalid_request",
		    "client_id differs from the client of the Basic credentials");
	if (basic)
		return OST_OK;
	if (type || o->assertion) {
		if (!type || strcmp(type, OAUTH_ASSERTION_TYPE) != 0 || !o->assertion)
			return oauth_refuse(f, "invalid_request", "client_assertion_type must be "
			    OAUTH_ASSERTION_TYPE ", with a client_assertion");
		o->method = OAUTH_AUTH_JWT;
	} else
		o->method = secret ? OAUTH_AUTH_POST : OAUTH_AUTH_NONE;
	if (!id && o->method != OAUTH_AUTH_JWT)
		return oauth_refuse(f, "invalid_client", "Client authentication is required");
	snprintf(o->id, sizeof(o->id), "%s", id ? id : "");
	if (secret)
		snprintf(o->secret, sizeof(o->secret), "%s", secret);
	return OST_OK;
}

/* Is ID a client id as Ostium makes them (26 lower-case hex digits)? */
static int
id_well_formed(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return i == CLIENT_ID_LEN;
}

/* Verify the assertion of O for the application ROW with its registered
 * keys; note its jti. 1 when good; *WHY says why not. */
static OST_MUST_CHECK enum ost_err
assertion_ok(const struct ctx *c, const struct jwt *j, const json_t *row, const char *id,
    int *ok, const char **why)
{
	static const struct {
		const char *column;
		enum pem_kind kind;
	} keys[] = {{"public_key_current", PEM_PUBLIC_KEY}, {"public_key_previous", PEM_PUBLIC_KEY},
	    {"certificate", PEM_CERTIFICATE}};
	long long now = (long long)time(NULL), exp = 0;
	uint8_t hash[CRYPTO_SHA256_LEN];
	const json_t *jti, *pem;
	enum ost_err err;
	size_t i;

	*ok = 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && !*ok; i++)
		if (json_is_string(pem = json_object_get(row, keys[i].column)))
			*ok = crypto_jwt_verify(j, json_string_value(pem), json_string_length(pem),
			    keys[i].kind, now);
	if (!*ok) {
		*why = "the assertion's signature does not verify with the application's keys";
		return OST_OK;
	}
	*ok = 0;
	if (crypto_jwt_check_assertion(j, id, oauth_issuer(c), now, &exp, why))
		return OST_OK;
	jti = json_object_get(j->claims, "jti");
	crypto_sha256(json_string_value(jti), json_string_length(jti), hash);
	err = store_oauth_jti_note(json_integer_value(json_object_get(row, "id")), hash,
	    exp + JWT_SKEW + JTI_MARGIN);
	if (err == OST_ERR_CONFLICT) {
		*why = "the assertion's jti was used already";
		return OST_OK;
	}
	*ok = !err;
	return err;
}

/* Read the client id of the assertion of O (iss) into O->id; parse it into J. */
static OST_MUST_CHECK enum ost_err
assertion_read(struct offer *o, struct jwt *j, struct oauth_fail *f)
{
	const char *why = NULL, *iss;

	if (crypto_jwt_parse(o->assertion, strlen(o->assertion), j, &why))
		return oauth_refuse(f, "invalid_client", "The client assertion is refused: %s", why);
	iss = json_string_value(json_object_get(j->claims, "iss"));
	if (!iss || (o->id[0] && strcmp(iss, o->id) != 0)) {
		crypto_jwt_free(j);
		return oauth_refuse(f, "invalid_client",
		    "The client assertion's iss must be the client_id");
	}
	snprintf(o->id, sizeof(o->id), "%s", iss);
	return OST_OK;
}

/* Check what O offers against the application ROW (NULL: unknown): *OK.
 * The secret costs one HMAC whether the application exists or not. */
static OST_MUST_CHECK enum ost_err
offer_check(const struct ctx *c, const struct offer *o, const struct jwt *j, const json_t *row,
    int public_ok, int *ok, const char **why)
{
	const char *authenticator = json_string_value(json_object_get(row, "authenticator"));

	*ok = 0;
	*why = "the client is unknown or its credentials are wrong";
	switch (o->method) {
	case OAUTH_AUTH_BASIC:
	case OAUTH_AUTH_POST:
		*ok = app_auth_key_matches(c->app, row, o->secret, strlen(o->secret)) && row;
		return OST_OK;
	case OAUTH_AUTH_JWT:
		return row ? assertion_ok(c, j, row, o->id, ok, why) : OST_OK;
	case OAUTH_AUTH_NONE:
		*ok = row && public_ok && authenticator &&
		    strcmp(authenticator, "authorization_code_pkce") == 0;
		if (row && !*ok)
			*why = "this client must authenticate (only an Authorization PKCE Flow "
			       "application may be a public client, and not for this request)";
		return OST_OK;
	}
	return OST_OK;
}

/* A failed authentication of O: noted for the throttle; invalid_client
 * (429 once throttled) in F. */
static OST_MUST_CHECK enum ost_err
failed(const struct ctx *c, const struct offer *o, const char *why, struct oauth_fail *f)
{
	unsigned retry = 0;
	enum ost_err err = app_auth_failure(c->app, id_well_formed(o->id) ? o->id : "",
	    c->req->remote_addr, &retry);

	if (err)
		return err;
	if (retry) {
		err = oauth_refuse(f, "invalid_client",
		    "Too many failed client authentications; try again later");
		f->status = 429;
		f->retry_after = retry;
		return err;
	}
	return oauth_refuse(f, "invalid_client", "Client authentication failed: %s", why);
}

/* The cache key of O's secret check into OUT: SHA-256 of the client id
 * and the secret's HMAC with the pepper (what the database holds), so that
 * neither the secret nor anything it could be found from is kept. 0 when
 * O offers no secret of a well-formed client id (nothing is kept then). */
static int
check_key(const struct ctx *c, const struct offer *o, uint8_t out[CRYPTO_SHA256_LEN])
{
	char buf[sizeof("oauth-client:") + CLIENT_ID_LEN + CRYPTO_SHA256_LEN];
	int n, ok = (o->method == OAUTH_AUTH_BASIC || o->method == OAUTH_AUTH_POST) &&
	    id_well_formed(o->id) && o->secret[0];

	n = snprintf(buf, sizeof(buf), "oauth-client:%.*s:", CLIENT_ID_LEN, o->id);
	ok = ok && n > 0 && (size_t)n + CRYPTO_SHA256_LEN <= sizeof(buf) &&
	    !crypto_hmac_sha256(c->app->pepper, APP_PEPPER_LEN, o->secret, strlen(o->secret),
	        (uint8_t *)buf + n);
	if (ok)
		crypto_token_hash(buf, (size_t)n + CRYPTO_SHA256_LEN, out);
	crypto_wipe(buf, sizeof(buf));
	return ok;
}

/* Until when a secret check of ROW may be kept: CLIENT_CHECK_KEEP_MAX, but
 * while a rotated key's grace runs no longer than the grace (NOW when it
 * has ended: nothing is kept), whichever key the check matched. */
static time_t
check_until(const json_t *row, time_t now)
{
	const json_t *ttl = json_object_get(row, "previous_key_ttl");

	if (!json_is_string(json_object_get(row, "previous_key_hash")))
		return now + CLIENT_CHECK_KEEP_MAX;
	if (!json_is_integer(ttl) || json_integer_value(ttl) <= 0)
		return now;
	if (json_integer_value(ttl) >= CLIENT_CHECK_KEEP_MAX)
		return now + CLIENT_CHECK_KEEP_MAX;
	return now + (time_t)json_integer_value(ttl);
}

/* Take the client ROW (stolen) that O authenticated into CL, answering
 * CORS for its origins. */
static OST_MUST_CHECK enum ost_err
client_admit(struct ctx *c, const struct offer *o, json_t *row, struct oauth_client *cl)
{
	enum ost_err err;

	parse_list(row, "allowed_origins");
	if ((err = app_auth_cors(c, row))) {
		json_decref(row);
		return err;
	}
	client_take(cl, row);
	cl->method = o->method;
	return OST_OK;
}

/* Keep the check of ROW (authenticated, its keys dropped) under KEY, read
 * at generations G. */
static void
check_keep(const uint8_t *key, const struct cache_gens *g, const json_t *row, time_t until)
{
	struct cache *cc = auth_cache();
	char *text;

	if (!cc || until <= time(NULL))
		return;
	text = json_dumps(row, JSON_COMPACT);
	if (!text || cache_put(cc, AUTH_CACHE_OAUTH_CLIENT, key, g, until, text, strlen(text)))
		log_warn("a client check could not be cached");
	free(text);
}

enum ost_err
oauth_client_authenticate(struct ctx *c, int public_ok, struct oauth_client *cl,
    struct oauth_fail *f)
{
	struct offer o;
	struct jwt j = {0};
	struct cache *cc = auth_cache();
	struct cache_gens gens;
	uint8_t key[CRYPTO_SHA256_LEN];
	json_t *row = NULL;
	const char *why = NULL, *hit;
	enum ost_err err = offer_read(c, &o, f);
	int ok = 0, keyed = 0;
	time_t until = 0;
	size_t len = 0;

	memset(cl, 0, sizeof(*cl));
	if (!err && o.method == OAUTH_AUTH_JWT)
		err = assertion_read(&o, &j, f);
	/* a secret this worker checked before, and no change of applications
	 * since: no database read (failures are never kept) */
	if (!err && cc && (keyed = check_key(c, &o, key))) {
		auth_generations_poll(c->app);
		if ((hit = cache_get(cc, AUTH_CACHE_OAUTH_CLIENT, key, time(NULL), &len)) &&
		    (row = json_loadb(hit, len, 0, NULL))) {
			crypto_wipe(o.secret, sizeof(o.secret));
			return client_admit(c, &o, row, cl);
		}
	}
	/* the counters BEFORE the read: a change committed meanwhile is seen */
	cache_gens(&gens, GEN_BIT(GEN_APPS));
	if (!err && id_well_formed(o.id) && (err = store_oauth_client(o.id, &row)) == OST_ERR_NOT_FOUND)
		err = OST_OK;
	if (!err && row)
		parse_list(row, "allowed_origins");
	if (!err && row)
		err = app_auth_cors(c, row);
	if (!err)
		err = offer_check(c, &o, &j, row, public_ok, &ok, &why);
	crypto_jwt_free(&j);
	crypto_wipe(o.secret, sizeof(o.secret));
	if (!err && !ok)
		err = failed(c, &o, why, f);
	if (err) {
		json_decref(row);
		return err;
	}
	if (keyed)
		until = check_until(row, time(NULL));
	keys_drop(row);
	if (keyed)
		check_keep(key, &gens, row, until);
	client_take(cl, row);
	cl->method = o.method;
	return OST_OK;
}
