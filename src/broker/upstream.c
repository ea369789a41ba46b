/* upstream.c - Ostium as the OAuth 2.0 client of a connection
 * provider: token, revocation and userinfo calls, and what answers mean */
#include "broker/upstream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "crypto/aead.h"
#include "crypto/crypto.h"
#include "store/provider.h"

#define REQUEST_BODY_MAX (64 * 1024)
#define EXPIRES_MAX (10LL * 366 * 86400)

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A copy of S (NULL for NULL); *ERR set on no memory. */
static char *
dup_or(const char *s, enum ost_err *err)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*err = OST_ERR_NOMEM;
	return d;
}

enum ost_err
upstream_client_of(const struct app *app, const json_t *settings, const char *client_id,
    const char *client_secret, struct upstream_client *oc)
{
	enum ost_err err = OST_OK;

	memset(oc, 0, sizeof(*oc));
	outbound_rules_of(&app->cfg, &oc->rules);
	oc->settings = settings;
	oc->client_id = dup_or(client_id ? client_id : "", &err);
	oc->client_secret = dup_or(client_secret ? client_secret : "", &err);
	if (err)
		upstream_client_free(oc);
	return err;
}

/* The value of APP_ID's server variable NAME into *OUT (a new string,
 * wiped by the caller); OST_ERR_CONFIG when it has none. */
static OST_MUST_CHECK enum ost_err
variable_value(const struct app *app, long long app_id, const char *name, char **out)
{
	json_t *row = NULL;
	const char *hex, *clear;
	uint8_t sealed[8192];
	char aad[128];
	size_t n = 0;
	unsigned key_id;
	enum ost_err err = store_server_var_value(app_id, name, &row);

	*out = NULL;
	if (err)
		return err == OST_ERR_NOT_FOUND ? OST_ERR_CONFIG : err;
	clear = str(row, "value");
	hex = str(row, "sealed");
	key_id = (unsigned)json_integer_value(json_object_get(row, "key_id"));
	if (clear)
		err = (*out = strdup(clear)) ? OST_OK : OST_ERR_NOMEM;
	else if (!hex)
		err = OST_ERR_CONFIG;
	else if ((err = crypto_hex_decode(hex, strlen(hex), sealed, sizeof(sealed), &n)) == OST_OK &&
	         n > AEAD_OVERHEAD && (*out = calloc(1, n - AEAD_OVERHEAD + 1))) {
		snprintf(aad, sizeof(aad), "ostium:server-variable:%lld:%s", app_id, name);
		if ((err = crypto_open(&app->keys, key_id, sealed, n, aad, strlen(aad), (uint8_t *)*out))) {
			free(*out);
			*out = NULL;
		}
	} else if (!err)
		err = n > AEAD_OVERHEAD ? OST_ERR_NOMEM : OST_ERR_CRYPTO;
	json_decref(row);
	return err;
}

enum ost_err
upstream_client_load(const struct app *app, long long app_id, const json_t *settings,
    struct upstream_client *oc, char *why, size_t whysz)
{
	char *id = NULL, *secret = NULL;
	enum ost_err err = variable_value(app, app_id, str(settings, "client_id_variable"), &id);

	if (!err)
		err = variable_value(app, app_id, str(settings, "client_secret_variable"), &secret);
	if (err == OST_ERR_CONFIG)
		snprintf(why, whysz, "the provider needs its server variables %s and %s set by a "
		    "server administrator", str(settings, "client_id_variable"),
		    str(settings, "client_secret_variable"));
	else if (err)
		snprintf(why, whysz, "the client credentials could not be read (%s)", ost_strerror(err));
	if (!err)
		err = upstream_client_of(app, settings, id, secret, oc);
	if (secret)
		crypto_wipe(secret, strlen(secret));
	free(secret);
	free(id);
	return err;
}

void
upstream_client_free(struct upstream_client *oc)
{
	if (oc->client_secret)
		crypto_wipe(oc->client_secret, strlen(oc->client_secret));
	free(oc->client_secret);
	free(oc->client_id);
	oc->client_secret = oc->client_id = NULL;
}

void
upstream_grant_free(struct upstream_grant *g)
{
	if (g->access)
		crypto_wipe(g->access, strlen(g->access));
	if (g->refresh)
		crypto_wipe(g->refresh, strlen(g->refresh));
	free(g->access);
	free(g->refresh);
	json_decref(g->scopes);
	json_decref(g->claims);
	memset(g, 0, sizeof(*g));
}

enum ost_err
upstream_form_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	enum ost_err err = OST_OK;
	char esc[3];

	for (; *s && !err; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    strchr("-._~", ch))
			err = buf_add(b, s, 1);
		else {
			esc[0] = '%';
			esc[1] = hex[ch >> 4];
			esc[2] = hex[ch & 15];
			err = buf_add(b, esc, 3);
		}
	}
	return err;
}

/* The request body of PARAMS (name, value pairs) in the provider's content
 * type into B; *TYPE gets that type. */
static OST_MUST_CHECK enum ost_err
body_of(const struct upstream_client *oc, const char *const *params, struct buf *b, const char **type)
{
	int json = !str(oc->settings, "token_request_content_type") ||
	    strcmp(str(oc->settings, "token_request_content_type"), "json") == 0;
	json_t *o = json ? json_object() : NULL;
	char *text;
	enum ost_err err = OST_OK;
	size_t i;

	*type = json ? "application/json" : "application/x-www-form-urlencoded";
	for (i = 0; params[i] && params[i + 1] && !err; i += 2) {
		if (json)
			err = json_object_set_new(o, params[i], json_string(params[i + 1])) ? OST_ERR_NOMEM
			                                                                    : OST_OK;
		else if (!(err = i ? buf_adds(b, "&") : OST_OK) && !(err = upstream_form_escape(b, params[i])) &&
		         !(err = buf_adds(b, "=")))
			err = upstream_form_escape(b, params[i + 1]);
	}
	if (json && !err) {
		if (!(text = json_dumps(o, JSON_COMPACT)))
			err = OST_ERR_NOMEM;
		else {
			err = buf_adds(b, text);
			crypto_wipe(text, strlen(text));
			free(text);
		}
	}
	json_decref(o); /* the secrets in it: jansson's own copies, freed */
	return err;
}

/* "Basic base64(escape(id):escape(secret))" (RFC 6749 section 2.3.1) into B. */
static OST_MUST_CHECK enum ost_err
basic_of(const struct upstream_client *oc, struct buf *b)
{
	struct buf pair;
	char *enc;
	size_t n;
	enum ost_err err;

	buf_init(&pair, 4096);
	err = upstream_form_escape(&pair, oc->client_id);
	if (!err)
		err = buf_adds(&pair, ":");
	if (!err)
		err = upstream_form_escape(&pair, oc->client_secret);
	n = (pair.len + 2) / 3 * 4 + 1;
	if (!err && !(enc = malloc(n)))
		err = OST_ERR_NOMEM;
	if (!err) {
		err = crypto_b64_encode(pair.p, pair.len, enc, n);
		if (!err && !(err = buf_adds(b, "Basic ")))
			err = buf_adds(b, enc);
		crypto_wipe(enc, n);
		free(enc);
	}
	if (pair.p)
		crypto_wipe(pair.p, pair.len);
	buf_free(&pair);
	return err;
}

/* POST PARAMS with the client's authentication to URL; ANS gets the answer. */
static OST_MUST_CHECK enum ost_err
post(const struct upstream_client *oc, const char *url, const char *const *params,
    struct outbound_answer *ans)
{
	const char *all[40];
	const char *method = str(oc->settings, "token_endpoint_auth_method");
	int basic = method && strcmp(method, "client_secret_basic") == 0;
	struct outbound_request req = {.method = "POST", .url = url, .accept = "application/json"};
	struct buf body, auth;
	size_t n = 0, i;
	enum ost_err err;

	for (i = 0; params[i] && n + 6 < sizeof(all) / sizeof(all[0]); i++)
		all[n++] = params[i];
	if (!basic) {
		all[n++] = "client_id";
		all[n++] = oc->client_id;
		all[n++] = "client_secret";
		all[n++] = oc->client_secret;
	}
	all[n] = NULL;
	buf_init(&body, REQUEST_BODY_MAX);
	buf_init(&auth, 8192);
	err = body_of(oc, all, &body, &req.content_type);
	if (!err && basic)
		err = basic_of(oc, &auth);
	if (!err) {
		req.body = body.p ? body.p : "";
		req.body_len = body.len;
		req.authorization = basic ? auth.p : NULL;
		err = outbound_call(&oc->rules, &req, ans);
	} else
		memset(ans, 0, sizeof(*ans));
	if (body.p)
		crypto_wipe(body.p, body.len);
	if (auth.p)
		crypto_wipe(auth.p, auth.len);
	buf_free(&body);
	buf_free(&auth);
	return err;
}

/* TEXT made fit for a page or a log: at most 120 characters, no control
 * characters. */
static void
printable(char *out, size_t size, const char *text)
{
	size_t i;

	snprintf(out, size < 121 ? size : 121, "%s", text ? text : "");
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
}

/* What an answer that failed at the HTTP level means. */
static enum upstream_outcome
classify_failure(enum ost_err err, const struct outbound_answer *ans, char *why, size_t whysz)
{
	if (err) {
		snprintf(why, whysz, "%s", ans->error[0] ? ans->error : ost_strerror(err));
		return ans->fail == OUTBOUND_REFUSED_ADDRESS || ans->fail == OUTBOUND_BAD_URL
		    ? UPSTREAM_CONFIG : UPSTREAM_TRANSIENT;
	}
	if (ans->redirect) {
		snprintf(why, whysz, "the endpoint answered with a redirect (%ld), which Ostium does "
		    "not follow", ans->status);
		return UPSTREAM_CONFIG;
	}
	snprintf(why, whysz, "the endpoint answered %ld", ans->status);
	return UPSTREAM_TRANSIENT;
}

/* What an OAuth error answer (RFC 6749 section 5.2) with STATUS means. */
static enum upstream_outcome
classify_error(long status, const json_t *o, char *why, size_t whysz)
{
	const char *code = str(o, "error");
	char desc[128];

	printable(desc, sizeof(desc), str(o, "error_description"));
	snprintf(why, whysz, "the provider answered %ld %.60s%s%s", status, code ? code : "",
	    *desc ? ": " : "", desc);
	if (code && (strcmp(code, "invalid_grant") == 0 || strcmp(code, "invalid_scope") == 0))
		return UPSTREAM_AUTH_FAILED;
	if (status == 408 || status == 429 || status >= 500 ||
	    (code && strcmp(code, "temporarily_unavailable") == 0))
		return UPSTREAM_TRANSIENT;
	return UPSTREAM_CONFIG; /* invalid_client, unauthorized_client, and the unexpected */
}

/* The claims of the JWT ID_TOKEN, unverified: it came straight from the
 * token endpoint over TLS (OpenID Connect Core 3.1.3.7). NULL when none. */
static json_t *
jwt_claims(const char *id_token)
{
	const char *dot = id_token ? strchr(id_token, '.') : NULL, *end;
	char payload[8192];
	size_t n = 0;

	if (!dot || !(end = strchr(dot + 1, '.')) || (size_t)(end - dot - 1) > sizeof(payload) * 4 / 3 ||
	    crypto_b64url_decode(dot + 1, (size_t)(end - dot - 1), payload, sizeof(payload) - 1, &n))
		return NULL;
	payload[n] = '\0';
	return json_loads(payload, 0, NULL);
}

/* The space-separated SCOPE as a list; NULL when not a string. */
static json_t *
scope_list(const char *scope)
{
	json_t *list = scope ? json_array() : NULL;
	const char *p = scope;
	size_t n;

	while (list && p && *p) {
		n = strcspn(p, " ");
		if (n && n <= 200)
			json_array_append_new(list, json_stringn(p, n));
		p += n;
		p += *p == ' ';
	}
	return list;
}

/* A successful answer O into G. */
static enum upstream_outcome
grant_of(const json_t *o, struct upstream_grant *g, char *why, size_t whysz)
{
	const char *access = str(o, "access_token"), *refresh = str(o, "refresh_token");
	const char *type = str(o, "token_type");
	const json_t *exp = json_object_get(o, "expires_in");
	long long e = json_is_integer(exp) ? json_integer_value(exp)
	    : json_is_string(exp) ? strtoll(json_string_value(exp), NULL, 10)
	    : json_is_real(exp) ? (long long)json_real_value(exp) : 0;

	if (!access || !*access || strlen(access) > OAUTH_TOKEN_MAX ||
	    (refresh && strlen(refresh) > OAUTH_TOKEN_MAX)) {
		snprintf(why, whysz, "the provider's answer holds no usable access_token");
		return UPSTREAM_CONFIG;
	}
	if (!(g->access = strdup(access)) || (refresh && *refresh && !(g->refresh = strdup(refresh)))) {
		snprintf(why, whysz, "out of memory");
		return UPSTREAM_TRANSIENT;
	}
	snprintf(g->token_type, sizeof(g->token_type), "%s",
	    type && *type && strlen(type) < sizeof(g->token_type) ? type : "Bearer");
	g->expires_in = e < 0 ? 0 : e > EXPIRES_MAX ? EXPIRES_MAX : e;
	g->scopes = scope_list(str(o, "scope"));
	g->claims = jwt_claims(str(o, "id_token"));
	return UPSTREAM_OK;
}

enum upstream_outcome
upstream_token(const struct upstream_client *oc, const char *const *params, struct upstream_grant *g,
    char *why, size_t whysz)
{
	struct outbound_answer ans;
	enum upstream_outcome out;
	json_t *o = NULL;
	enum ost_err err;

	memset(g, 0, sizeof(*g));
	err = post(oc, str(oc->settings, "token_endpoint"), params, &ans);
	if (err || ans.redirect || ans.status >= 500 || ans.status == 429 || ans.status == 408)
		out = classify_failure(err, &ans, why, whysz);
	else if (!(o = json_loads(ans.body.p, 0, NULL)) || !json_is_object(o)) {
		snprintf(why, whysz, "the provider answered %ld without a JSON object", ans.status);
		out = ans.status >= 400 ? UPSTREAM_CONFIG : UPSTREAM_CONFIG;
	} else if (ans.status >= 300 || json_object_get(o, "error"))
		out = classify_error(ans.status, o, why, whysz);
	else
		out = grant_of(o, g, why, whysz);
	if (out != UPSTREAM_OK)
		upstream_grant_free(g);
	json_decref(o); /* held the tokens: jansson's copies, freed */
	outbound_answer_free(&ans);
	return out;
}

enum ost_err
upstream_revoke(const struct upstream_client *oc, const char *token, const char *hint, char *why,
    size_t whysz)
{
	const char *url = str(oc->settings, "revoke_endpoint");
	const char *params[] = {"token", token, "token_type_hint", hint, NULL};
	struct outbound_answer ans;
	enum ost_err err;

	if (!url)
		return OST_ERR_NOT_FOUND;
	err = post(oc, url, params, &ans);
	if (err)
		snprintf(why, whysz, "%s", ans.error[0] ? ans.error : ost_strerror(err));
	else if (ans.status != 200) {
		snprintf(why, whysz, "the revoke endpoint answered %ld", ans.status);
		err = OST_ERR_IO;
	}
	outbound_answer_free(&ans);
	return err;
}

void
upstream_userinfo(const struct upstream_client *oc, const char *access, json_t **claims)
{
	const char *url = str(oc->settings, "userinfo_endpoint");
	struct outbound_request req = {.method = "GET", .accept = "application/json"};
	struct outbound_answer ans;
	struct buf auth;
	json_t *o;

	*claims = NULL;
	if (!url)
		return;
	buf_init(&auth, OAUTH_TOKEN_MAX + 64);
	if (buf_addf(&auth, "Bearer %s", access) == OST_OK) {
		req.url = url;
		req.authorization = auth.p;
		if (outbound_call(&oc->rules, &req, &ans) == OST_OK && ans.status == 200 &&
		    (o = json_loads(ans.body.p, 0, NULL))) {
			if (json_is_object(o))
				*claims = o;
			else
				json_decref(o);
		}
		outbound_answer_free(&ans);
	}
	if (auth.p)
		crypto_wipe(auth.p, auth.len);
	buf_free(&auth);
}
