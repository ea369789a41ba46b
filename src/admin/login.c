/* login.c - console sign-in and sign-out pages */
#include "admin/handlers.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "crypto/crypto.h"
#include "http/face.h"
#include "registry/sessions.h"

enum ost_err
admin_root(struct ctx *c)
{
	return response_redirect(c->res, &c->app->cfg, "/admin/");
}

/* Answer STATUS with the sign-in form, a fresh login CSRF token in its
 * cookie and hidden field, and MESSAGE (NULL: none) about the last try. */
static OST_MUST_CHECK enum ost_err
login_page(struct ctx *c, int status, const char *message, const char *email)
{
	char text[CRYPTO_TOKEN_TEXT];
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *tree;
	enum ost_err err;

	crypto_token_new(text, hash);
	err = response_cookie(c->res, &c->app->cfg, AUTH_LOGIN_COOKIE(&c->app->cfg), text, 3600);
	tree = json_pack("{s:s, s:s, s:s}", "title", "Sign in", "csrf", text, "email",
	    email ? email : "");
	crypto_wipe(text, sizeof(text));
	if (err || !tree) {
		json_decref(tree);
		return err ? err : OST_ERR_NOMEM;
	}
	if (message)
		json_object_set_new(tree, "error", json_pack("{s:s}", "message", message));
	if (json_is_string(json_object_get(c->req->query, "expired")))
		json_object_set_new(tree, "notice",
		    json_string("Your session has expired. Please sign in again."));
	response_set(c->res, status, tree, "login");
	return OST_OK;
}

enum ost_err
admin_login_form(struct ctx *c)
{
	struct principal who;

	if (auth_session(c->app, c->req, &who, NULL) == OST_OK)
		return response_redirect(c->res, &c->app->cfg, "/admin/");
	return login_page(c, 200, NULL, NULL);
}

/* Does the form's csrf field (in the body: a token in a URL ends up in
 * logs and Referer headers) match the login cookie? */
static int
login_csrf_ok(const struct ctx *c)
{
	const char *cookie = request_cookie(c->req, AUTH_LOGIN_COOKIE(&c->app->cfg));
	const char *field = request_body_field(c->req, "csrf");

	return cookie && field && strlen(cookie) == CRYPTO_TOKEN_TEXT - 1 &&
	    strlen(field) == CRYPTO_TOKEN_TEXT - 1 &&
	    crypto_equal(cookie, field, CRYPTO_TOKEN_TEXT - 1);
}

/* Open the session of person UID, audited, and set its cookie. */
static OST_MUST_CHECK enum ost_err
start_session(struct ctx *c, const struct op *op, long long uid)
{
	char text[CRYPTO_TOKEN_TEXT];
	enum ost_err err = reg_sign_in(op, uid, request_header(c->req, "User-Agent"), text);

	if (!err)
		err = response_cookie(c->res, &c->app->cfg, AUTH_SESSION_COOKIE(&c->app->cfg), text, -1);
	crypto_wipe(text, sizeof(text));
	return err;
}

enum ost_err
admin_login(struct ctx *c)
{
	/* from the body only: a password in a URL would be written to logs */
	const char *email = request_body_field(c->req, "email");
	const char *password = request_body_field(c->req, "password");
	char retry[24];
	unsigned retry_after = 0;
	long long uid = 0, named = 0;
	struct op op;
	enum ost_err err, audited;

	if (!login_csrf_ok(c))
		return login_page(c, 403, ost_strerror(OST_ERR_CSRF), email);
	if (!email || !*email || !password || !*password)
		return login_page(c, 400, "Enter your email and your password.", email);
	ctx_op(c, &op);
	err = auth_password_login(c->app, email, password, c->req->remote_addr, &uid, &named,
	    &retry_after);
	if (err == OST_ERR_THROTTLED || err == OST_ERR_UNAUTHORIZED) {
		/* a refusal is audited, or it is not answered as one */
		if ((audited = reg_sign_in_refused(&op, email, named, err == OST_ERR_THROTTLED)))
			return audited;
	}
	if (err == OST_ERR_THROTTLED) {
		snprintf(retry, sizeof(retry), "%u", retry_after);
		if ((err = response_header(c->res, "Retry-After", retry)))
			return err;
		return login_page(c, 429, "Too many failed attempts. Try again later.", email);
	}
	if (err == OST_ERR_UNAUTHORIZED)
		return login_page(c, 401, "Wrong email or password.", email);
	if (err)
		return err;
	if ((err = response_cookie(c->res, &c->app->cfg, AUTH_LOGIN_COOKIE(&c->app->cfg), "", 0)) ||
	    (err = start_session(c, &op, uid)))
		return err;
	return response_redirect(c->res, &c->app->cfg, "/admin/");
}

enum ost_err
admin_logout(struct ctx *c)
{
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_sign_out(&op, c->who.session_hash)) ||
	    (err = response_cookie(c->res, &c->app->cfg, AUTH_SESSION_COOKIE(&c->app->cfg), "", 0)))
		return err;
	return response_redirect(c->res, &c->app->cfg, "/admin/login");
}
