/* pages.c - what the authorization pages share: the authorization request
 * read and checked (an unknown client or an unregistered redirect URI gets
 * an error page, never a redirect; loopback redirect URIs of Authorization
 * PKCE Flow applications match on any port, RFC 8252 section 7.3), the
 * redirects back with a code or an error, the remembered sign-in, the
 * sign-in and consent pages */
#include "oauth/pages.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "registry/change.h"
#include "store/oauth_client.h"
#include "valid/app_rules.h"

#define URL_MAX 8192 /* a redirect with its parameters */

/* The parameters of an authorization request, carried through the forms. */
static const char *const carried[] = {"response_type", "client_id", "redirect_uri", "scope",
    "state", "code_challenge", "code_challenge_method", NULL};

/* ---- redirect URIs ---- */

/* Does GIVEN match the registered URI REG: exactly, or (ANY_PORT) as a
 * loopback http URI on another port? Both are read as a browser would
 * read them (app_uri_split): a port of digits only, no user information,
 * nothing escaped or a backslash in the authority, so that the host
 * compared is the host the browser goes to. */
static int
uri_matches(const char *reg, const char *given, int any_port)
{
	struct app_uri a, b;

	if (strcmp(reg, given) == 0)
		return 1;
	if (!any_port || !app_uri_split(reg, &a) || !app_uri_split(given, &b))
		return 0;
	return strcmp(a.scheme, "http") == 0 && strcmp(b.scheme, "http") == 0 && a.loopback &&
	    a.hostlen == b.hostlen && strncasecmp(a.host, b.host, a.hostlen) == 0 &&
	    strcmp(a.rest, b.rest) == 0;
}

/* The redirect target of A into A->target and its origin: OST_OK, or a
 * page refusal in F. */
static OST_MUST_CHECK enum ost_err
target_of(struct authz *a, struct oauth_fail *f)
{
	const json_t *uris = json_object_get(a->cl.row, "redirect_uris"), *v;
	int any_port = strcmp(a->cl.authenticator, "authorization_code_pkce") == 0;
	struct app_uri u;
	size_t i, n;

	a->target = NULL;
	if (!a->redirect_uri && json_array_size(uris) == 1)
		a->target = json_string_value(json_array_get(uris, 0));
	else if (!a->redirect_uri)
		return oauth_refuse(f, "invalid_request", json_array_size(uris)
		    ? "redirect_uri is required: the application has several"
		    : "The application has no redirect URI registered");
	json_array_foreach(uris, i, v)
		if (!a->target && json_is_string(v) &&
		    uri_matches(json_string_value(v), a->redirect_uri, any_port))
			a->target = a->redirect_uri;
	if (!a->target || !app_uri_split(a->target, &u))
		return oauth_refuse(f, "invalid_request",
		    "redirect_uri is not one the application registered");
	n = (size_t)(u.rest - a->target);
	if (n >= sizeof(a->origin))
		return oauth_refuse(f, "invalid_request", "redirect_uri is too long");
	memcpy(a->origin, a->target, n);
	a->origin[n] = '\0';
	return OST_OK;
}

/* ---- reading the request ---- */

/* The checks whose refusal the application gets by redirect. */
static OST_MUST_CHECK enum ost_err
redirect_checks(struct authz *a, struct oauth_fail *f)
{
	int pkce = strcmp(a->cl.authenticator, "authorization_code_pkce") == 0;

	if (!a->response_type)
		return oauth_refuse(f, "invalid_request", "response_type is required");
	if (strcmp(a->response_type, "code") != 0)
		return oauth_refuse(f, "unsupported_response_type", "Only response_type=code is "
		    "supported");
	if (!(oauth_authenticator_bit(a->cl.authenticator) & (GRANT_FOR_CODE | GRANT_FOR_PKCE)))
		return oauth_refuse(f, "unauthorized_client", "This application's authenticator "
		    "does not use the authorization code flow");
	if (a->method && strcmp(a->method, "S256") != 0)
		return oauth_refuse(f, "invalid_request", "code_challenge_method must be S256 "
		    "(plain is not accepted)");
	if (a->method && !a->challenge)
		return oauth_refuse(f, "invalid_request", "code_challenge_method without "
		    "code_challenge");
	if (pkce && !a->challenge)
		return oauth_refuse(f, "invalid_request", "code_challenge is required (PKCE, S256)");
	if (a->challenge && !oauth_pkce_well_formed(a->challenge))
		return oauth_refuse(f, "invalid_request", "code_challenge is not an S256 challenge");
	if (a->challenge && !a->method)
		return oauth_refuse(f, "invalid_request", "code_challenge_method is required: S256 "
		    "(plain is not accepted)");
	return oauth_scope_resolve(a->scope, json_object_get(a->cl.row, "permissions"),
	    a->resolved, sizeof(a->resolved), f);
}

enum ost_err
authz_read(struct ctx *c, struct authz *a, enum authz_state *state, struct oauth_fail *f)
{
	enum ost_err err;

	memset(a, 0, sizeof(*a));
	*state = AUTHZ_PAGE;
	if ((err = oauth_param(c, "client_id", &a->client_id, f)) ||
	    (err = oauth_param(c, "redirect_uri", &a->redirect_uri, f)))
		return err == OST_ERR_INVALID ? OST_OK : err;
	if (!a->client_id) {
		ost_ignore(oauth_refuse(f, "invalid_request", "client_id is required"));
		return OST_OK; /* the page says why */
	}
	err = strlen(a->client_id) == 26 ? oauth_client_load(a->client_id, 0, &a->cl)
	                                 : OST_ERR_NOT_FOUND;
	if (err == OST_ERR_NOT_FOUND) {
		ost_ignore(oauth_refuse(f, "invalid_client", "No application has this client_id"));
		return OST_OK;
	}
	if (err)
		return err;
	if (target_of(a, f))
		return OST_OK; /* the page says why */
	*state = AUTHZ_REDIRECT;
	if ((err = oauth_param(c, "response_type", &a->response_type, f)) ||
	    (err = oauth_param(c, "scope", &a->scope, f)) ||
	    (err = oauth_param(c, "state", &a->state, f)) ||
	    (err = oauth_param(c, "code_challenge", &a->challenge, f)) ||
	    (err = oauth_param(c, "code_challenge_method", &a->method, f)) ||
	    (err = redirect_checks(a, f)))
		return err == OST_ERR_INVALID ? OST_OK : err;
	*state = AUTHZ_OK;
	return OST_OK;
}

void
authz_free(struct authz *a)
{
	oauth_client_free(&a->cl);
}

/* ---- redirects ---- */

/* Append "NAME=VALUE" (VALUE percent-encoded) to B, after SEP. */
static OST_MUST_CHECK enum ost_err
url_param(struct buf *b, char sep, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	enum ost_err err = buf_addf(b, "%c%s=", sep, name);
	const unsigned char *p;

	for (p = (const unsigned char *)value; !err && *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			err = buf_add(b, (const char *)p, 1);
		else
			err = buf_addf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	return err;
}

/* 303 to A's target with the N parameters NAMES/VALUES, then state and iss. */
static OST_MUST_CHECK enum ost_err
redirect_with(struct ctx *c, const struct authz *a, const char *const *names,
    const char *const *values, size_t n)
{
	struct buf b;
	size_t i;
	char sep = strchr(a->target, '?') ? '&' : '?';
	enum ost_err err;

	buf_init(&b, URL_MAX);
	err = buf_adds(&b, a->target);
	for (i = 0; !err && i < n; i++, sep = '&')
		err = url_param(&b, sep, names[i], values[i]);
	if (!err && a->state)
		err = url_param(&b, sep, "state", a->state);
	if (!err)
		err = url_param(&b, '&', "iss", oauth_issuer(c));
	if (!err && !(err = buf_add(&b, "", 1))) {
		response_set(c->res, 303, NULL, NULL);
		err = response_header(c->res, "Location", b.p);
	}
	buf_free(&b);
	return err;
}

enum ost_err
authz_redirect_error(struct ctx *c, const struct authz *a, const struct oauth_fail *f)
{
	const char *names[] = {"error", "error_description"};
	const char *values[] = {f->error, f->description};

	return redirect_with(c, a, names, values, 2);
}

enum ost_err
authz_error_page(struct ctx *c, const struct oauth_fail *f)
{
	json_t *tree = json_pack("{s:s, s:{s:s, s:s}}", "title", "Authorization refused", "oauth_error",
	    "error", f->error ? f->error : "invalid_request", "message", f->description);

	if (!tree)
		return OST_ERR_NOMEM;
	response_set(c->res, 400, tree, "oauth_error");
	return OST_OK;
}

enum ost_err
authz_refused(struct ctx *c, const struct authz *a, enum authz_state state,
    const struct oauth_fail *f)
{
	return state == AUTHZ_REDIRECT ? authz_redirect_error(c, a, f) : authz_error_page(c, f);
}

/* ---- the sign-in and the code ---- */

enum ost_err
authz_signed_in(struct ctx *c, long long *user_id, uint8_t *hash)
{
	const char *cookie = request_cookie(c->req, OAUTH_SIGNIN_COOKIE);
	enum ost_err err;

	*user_id = 0;
	if (!cookie || strlen(cookie) != CRYPTO_TOKEN_TEXT - 1)
		return OST_OK;
	crypto_token_hash(cookie, strlen(cookie), hash);
	err = store_oauth_signin_lookup(hash, user_id);
	return err == OST_ERR_NOT_FOUND ? OST_OK : err;
}

enum ost_err
authz_issue_code(struct ctx *c, struct authz *a, long long user_id)
{
	static const char *const names[] = {"code"};
	char code[CRYPTO_TOKEN_TEXT];
	const char *values[1] = {code};
	struct oauth_code_req r = {user_id, a->redirect_uri ? a->redirect_uri : "", a->resolved,
	    a->challenge};
	enum ost_err err = oauth_code_issue(&a->cl, &r, code);

	if (!err)
		err = redirect_with(c, a, names, values, 1);
	crypto_wipe(code, sizeof(code));
	return err;
}

enum ost_err
authz_consent_csrf(const struct ctx *c, const uint8_t *hash, char *out)
{
	uint8_t msg[14 + CRYPTO_SHA256_LEN], mac[CRYPTO_SHA256_LEN];
	enum ost_err err;

	memcpy(msg, "oauth-consent:", 14);
	memcpy(msg + 14, hash, CRYPTO_SHA256_LEN);
	if ((err = crypto_hmac_sha256(c->app->pepper, APP_PEPPER_LEN, msg, sizeof(msg), mac)))
		return err;
	return crypto_b64url_encode(mac, sizeof(mac), out, CRYPTO_TOKEN_TEXT);
}

/* ---- the pages ---- */

/* The tree every page of A starts from: TITLE, the application, the
 * request's parameters as hidden fields; and the page's forms may lead to
 * A's redirect URI (the redirect that answers them). */
static json_t *
page_tree(struct ctx *c, const struct authz *a, const char *title)
{
	json_t *tree = json_pack("{s:s, s:{s:O, s:O}, s:[]}", "title", title, "app", "name",
	    json_object_get(a->cl.row, "name"), "icon_url", json_object_get(a->cl.row, "icon_url"),
	    "params"), *params = json_object_get(tree, "params"), *v;
	const char *const *p;

	for (p = carried; tree && *p; p++) {
		v = json_object_get(c->req->method == HTTP_GET ? c->req->query : c->req->body, *p);
		if (json_is_string(v) && json_string_length(v) > 0)
			json_array_append_new(params, json_pack("{s:s, s:O}", "name", *p, "value", v));
	}
	if (tree && response_form_action(c->res, a->origin)) {
		json_decref(tree);
		return NULL;
	}
	return tree;
}

enum ost_err
authz_signin_page(struct ctx *c, const struct authz *a, int status, const char *message,
    const char *email)
{
	char text[CRYPTO_TOKEN_TEXT];
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *tree = page_tree(c, a, "Sign in");
	enum ost_err err;

	crypto_token_new(text, hash);
	err = response_cookie(c->res, &c->app->cfg, OAUTH_LOGIN_COOKIE, text, 3600);
	if (!err && (!tree || json_object_set_new(tree, "csrf", json_string(text)) ||
	                json_object_set_new(tree, "email", json_string(email ? email : ""))))
		err = OST_ERR_NOMEM;
	if (!err && message)
		err = json_object_set_new(tree, "error", json_pack("{s:s}", "message", message))
		    ? OST_ERR_NOMEM : OST_OK;
	crypto_wipe(text, sizeof(text));
	if (err) {
		json_decref(tree);
		return err;
	}
	response_set(c->res, status, tree, "oauth_signin");
	return OST_OK;
}

/* The consent page of A for USER_ID (sign-in HASH). */
static OST_MUST_CHECK enum ost_err
consent_page(struct ctx *c, const struct authz *a, long long user_id, const uint8_t *hash)
{
	char csrf[CRYPTO_TOKEN_TEXT];
	json_t *tree = page_tree(c, a, "Allow access"), *user = NULL;
	enum ost_err err = tree ? authz_consent_csrf(c, hash, csrf) : OST_ERR_NOMEM;

	if (!err)
		err = store_oauth_user(a->cl.id, user_id, &user);
	if (!err && (json_object_set_new(tree, "csrf", json_string(csrf)) ||
	                json_object_set_new(tree, "scopes", oauth_scope_words(a->resolved)) ||
	                json_object_set(tree, "user", json_object_get(user, "email"))))
		err = OST_ERR_NOMEM;
	json_decref(user);
	if (err) {
		json_decref(tree);
		return err;
	}
	response_set(c->res, 200, tree, "oauth_consent");
	return OST_OK;
}

/* Is the client of A who it says by where its answer goes? An https
 * redirect URI reaches only the host registered; a loopback or other http
 * one could be any program on the device or the network (RFC 8252 section
 * 8.6): a consent given before is not enough there. */
static int
identity_assured(const struct authz *a)
{
	return strncmp(a->target, "https://", 8) == 0;
}

enum ost_err
authz_proceed(struct ctx *c, struct authz *a, long long user_id, const uint8_t *hash)
{
	json_t *had = NULL;
	enum ost_err err = identity_assured(a) ? store_oauth_consent_get(a->cl.id, user_id, &had)
	                                       : OST_OK;
	int given = !err && had && oauth_scope_covers(json_string_value(had), a->resolved);

	json_decref(had);
	if (err)
		return err;
	return given ? authz_issue_code(c, a, user_id) : consent_page(c, a, user_id, hash);
}
