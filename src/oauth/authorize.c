/* authorize.c - GET /oauth/authorize (RFC 6749 section 4.1.1): the
 * request checked, then the sign-in page, unless the person signed in on
 * these pages a short while ago (their own cookie, apart from the
 * console's); and POST /oauth/authorize, the sign-in itself, throttled as
 * the console's */
#include "oauth/pages.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "registry/change.h"
#include "store/oauth_client.h"

enum ost_err
oauth_authorize(struct ctx *c)
{
	struct authz a;
	struct oauth_fail f = {0};
	enum authz_state state;
	uint8_t hash[CRYPTO_SHA256_LEN];
	long long uid = 0;
	enum ost_err err;

	oauth_purge_maybe();
	err = authz_read(c, &a, &state, &f);
	if (!err && state != AUTHZ_OK)
		err = authz_refused(c, &a, state, &f);
	else if (!err && !(err = authz_signed_in(c, &uid, hash))) {
		if (uid && oauth_user_eligible(a.cl.id, uid, NULL, &f) == OST_OK)
			err = authz_proceed(c, &a, uid, hash);
		else
			err = authz_signin_page(c, &a, 200, NULL, NULL);
	}
	authz_free(&a);
	return err;
}

/* Does the form's csrf field match the sign-in form's cookie? */
static int
login_csrf_ok(const struct request *r)
{
	const char *cookie = request_cookie(r, OAUTH_LOGIN_COOKIE);
	const char *field = request_field(r, "csrf");

	return cookie && field && strlen(cookie) == CRYPTO_TOKEN_TEXT - 1 &&
	    strlen(field) == CRYPTO_TOKEN_TEXT - 1 &&
	    crypto_equal(cookie, field, CRYPTO_TOKEN_TEXT - 1);
}

/* Remembering a sign-in: bookkeeping of the system's own. */
struct remember {
	uint8_t hash[CRYPTO_SHA256_LEN];
	long long user_id;
};

static OST_MUST_CHECK enum ost_err
remember_tx(void *arg)
{
	struct remember *r = arg;

	return store_oauth_signin_create(r->hash, r->user_id, OAUTH_SIGNIN_TTL);
}

/* USER_ID signed in: the cookie that remembers it, then on to A. */
static OST_MUST_CHECK enum ost_err
signed_in(struct ctx *c, struct authz *a, long long user_id)
{
	char text[CRYPTO_TOKEN_TEXT];
	struct remember r = {.user_id = user_id};
	enum ost_err err;

	crypto_token_new(text, r.hash);
	err = bookkeeping_run(remember_tx, &r);
	if (!err)
		err = response_cookie(c->res, &c->app->cfg, OAUTH_SIGNIN_COOKIE, text, OAUTH_SIGNIN_TTL);
	if (!err)
		err = response_cookie(c->res, &c->app->cfg, OAUTH_LOGIN_COOKIE, "", 0);
	crypto_wipe(text, sizeof(text));
	return err ? err : authz_proceed(c, a, user_id, r.hash);
}

/* Check EMAIL and PASSWORD for A's application; the page again on a refusal. */
static OST_MUST_CHECK enum ost_err
check_signin(struct ctx *c, struct authz *a, const char *email, const char *password)
{
	struct oauth_fail f = {0};
	unsigned retry = 0;
	long long uid = 0;
	char text[24];
	enum ost_err err;

	err = auth_password_app_user(c->app, email, password, c->req->remote_addr, &uid, &retry);
	if (err == OST_ERR_THROTTLED) {
		snprintf(text, sizeof(text), "%u", retry);
		if ((err = response_header(c->res, "Retry-After", text)))
			return err;
		return authz_signin_page(c, a, 429, "Too many failed attempts. Try again later.", email);
	}
	if (err == OST_ERR_UNAUTHORIZED)
		return authz_signin_page(c, a, 401, "Wrong email or password.", email);
	if (err)
		return err;
	if ((err = oauth_user_eligible(a->cl.id, uid, NULL, &f)) == OST_ERR_INVALID)
		return authz_signin_page(c, a, 403, "This account may not use this application.", email);
	return err ? err : signed_in(c, a, uid);
}

enum ost_err
oauth_signin(struct ctx *c)
{
	struct authz a;
	struct oauth_fail f = {0};
	enum authz_state state;
	const char *email = request_field(c->req, "email");
	const char *password = request_field(c->req, "password");
	enum ost_err err;

	oauth_purge_maybe();
	err = authz_read(c, &a, &state, &f);
	if (!err && state != AUTHZ_OK)
		err = authz_refused(c, &a, state, &f);
	else if (!err && !login_csrf_ok(c->req))
		err = authz_signin_page(c, &a, 403, ost_strerror(OST_ERR_CSRF), email);
	else if (!err && (!email || !*email || !password || !*password))
		err = authz_signin_page(c, &a, 400, "Enter your email and your password.", email);
	else if (!err)
		err = check_signin(c, &a, email, password);
	if (password)
		crypto_wipe((char *)password, strlen(password));
	authz_free(&a);
	return err;
}
