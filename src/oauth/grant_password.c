/* grant_password.c - the password grant (RFC 6749 section 4.3), only for
 * User Credentials applications: the user's email and password checked
 * and throttled as at the console's sign-in, never for a person with a
 * console role; and the tokens of a user in a new grant, which the
 * console's "Generate access token" makes too */
#include "oauth/grant.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "registry/change.h"
#include "store/oauth_token.h"

/* A new grant and its first pair, inside the caller's transaction. */
static OST_MUST_CHECK enum ost_err
grant_tokens(struct oauth_issue *is)
{
	enum ost_err err = store_oauth_grant_create(is->app_id, is->user_id, is->scope,
	    is->client_authenticated, &is->grant_id);

	return err ? err : oauth_issue_tokens(is);
}

static OST_MUST_CHECK enum ost_err
grant_tokens_tx(void *arg)
{
	return grant_tokens(arg);
}

/* The same, as OP's act: audited in its change (who, for whom, which
 * application; never the token). */
static OST_MUST_CHECK enum ost_err
grant_tokens_audited(const struct op *op, struct oauth_issue *is, const json_t *user)
{
	json_t *details = json_pack("{s:I, s:O, s:s}", "user_id", (json_int_t)is->user_id,
	    "email", json_object_get(user, "email"), "scope", is->scope);
	struct change ch;
	enum ost_err err = details ? change_begin(&ch, op) : OST_ERR_NOMEM;

	if (!err) {
		change_invalidates(&ch, 0); /* issuing tokens changes no check */
		err = grant_tokens(is);
		if (!err)
			err = change_audit(&ch, "app.token_generate", "app", is->app_id, details);
		err = change_end(&ch, err);
	}
	json_decref(details);
	return err;
}

enum ost_err
oauth_user_token(const struct op *op, const struct oauth_client *cl, long long user_id,
    const char *scope, struct oauth_issue *is, struct oauth_fail *f)
{
	json_t *user = NULL;
	enum ost_err err = oauth_user_eligible(cl->id, user_id, &user, f);

	is->app_id = cl->id;
	is->client_authenticated = cl->method != OAUTH_AUTH_NONE;
	is->user_id = user_id;
	is->access_ttl = (unsigned)oauth_client_int(cl, "access_token_ttl");
	is->refresh_ttl = (unsigned)oauth_client_int(cl, "refresh_token_ttl");
	snprintf(is->scope, sizeof(is->scope), "%s", scope);
	if (!err)
		err = op ? grant_tokens_audited(op, is, user) : bookkeeping_run(grant_tokens_tx, is);
	json_decref(user);
	return err;
}

enum ost_err
oauth_grant_password(struct ctx *c, const struct oauth_client *cl, json_t **out,
    struct oauth_fail *f)
{
	const char *username = NULL, *password = NULL, *scope = NULL;
	char resolved[OAUTH_SCOPE_MAX];
	struct oauth_issue is = {0};
	unsigned retry = 0;
	long long uid = 0;
	enum ost_err err;

	if ((err = oauth_param(c, "username", &username, f)) ||
	    (err = oauth_param(c, "password", &password, f)) ||
	    (err = oauth_param(c, "scope", &scope, f)))
		return err;
	if (!username || !password)
		return oauth_refuse(f, "invalid_request", "username and password are required");
	if ((err = oauth_scope_resolve(scope, json_object_get(cl->row, "permissions"), resolved,
	         sizeof(resolved), f)))
		return err;
	err = auth_password_app_user(c->app, username, password, c->req->remote_addr, &uid, &retry);
	if (err == OST_ERR_THROTTLED) {
		err = oauth_refuse(f, "invalid_grant", "Too many failed sign-ins; try again later");
		f->status = 429;
		f->retry_after = retry;
		return err;
	}
	if (err == OST_ERR_UNAUTHORIZED)
		return oauth_refuse(f, "invalid_grant", "Wrong username or password");
	if (!err)
		err = oauth_user_token(NULL, cl, uid, resolved, &is, f);
	if (!err && !(*out = oauth_issue_answer(&is)))
		err = OST_ERR_NOMEM;
	oauth_issue_wipe(&is);
	return err;
}
