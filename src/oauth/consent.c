/* consent.c - POST /oauth/consent: the person signed in on the
 * authorization pages allows the application the scopes named (recorded:
 * not asked again for the same ones where the redirect URI is https) and
 * it gets a code, or denies and it gets error=access_denied */
#include "oauth/pages.h"

#include <string.h>

#include "registry/change.h"
#include "store/oauth_client.h"

/* Recording a consent: bookkeeping of the system's own. */
struct consent {
	long long app_id, user_id;
	const char *scope;
};

static OST_MUST_CHECK enum ost_err
consent_tx(void *arg)
{
	const struct consent *k = arg;

	return store_oauth_consent_set(k->app_id, k->user_id, k->scope);
}

/* Does the form's csrf field belong to the sign-in HASH? */
static OST_MUST_CHECK enum ost_err
csrf_check(struct ctx *c, const uint8_t *hash, int *ok)
{
	const char *field = request_field(c->req, "csrf");
	char want[CRYPTO_TOKEN_TEXT];
	enum ost_err err = authz_consent_csrf(c, hash, want);

	*ok = !err && field && strlen(field) == CRYPTO_TOKEN_TEXT - 1 &&
	    crypto_equal(field, want, CRYPTO_TOKEN_TEXT - 1);
	return err;
}

/* The decision of USER_ID on A. */
static OST_MUST_CHECK enum ost_err
decide(struct ctx *c, struct authz *a, long long user_id)
{
	const char *decision = request_field(c->req, "decision");
	struct oauth_fail f = {0};
	struct consent k = {a->cl.id, user_id, a->resolved};
	enum ost_err err;

	if (!decision || strcmp(decision, "allow") != 0) {
		ost_ignore(oauth_refuse(&f, "access_denied", "The user denied the request"));
		return authz_redirect_error(c, a, &f);
	}
	if ((err = bookkeeping_run(consent_tx, &k)))
		return err;
	return authz_issue_code(c, a, user_id);
}

enum ost_err
oauth_consent(struct ctx *c)
{
	struct authz a;
	struct oauth_fail f = {0};
	enum authz_state state;
	uint8_t hash[CRYPTO_SHA256_LEN];
	long long uid = 0;
	int ok = 0;
	enum ost_err err;

	oauth_purge_maybe();
	err = authz_read(c, &a, &state, &f);
	if (!err && state != AUTHZ_OK)
		err = authz_refused(c, &a, state, &f);
	else if (!err && !(err = authz_signed_in(c, &uid, hash))) {
		if (!uid || oauth_user_eligible(a.cl.id, uid, NULL, &f) != OST_OK)
			err = authz_signin_page(c, &a, 401, "Sign in again.", NULL);
		else if (!(err = csrf_check(c, hash, &ok)) && !ok) {
			ost_ignore(oauth_refuse(&f, "invalid_request", "%s", ost_strerror(OST_ERR_CSRF)));
			err = authz_error_page(c, &f);
		} else if (!err)
			err = decide(c, &a, uid);
	}
	authz_free(&a);
	return err;
}
