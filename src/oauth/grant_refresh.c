/* grant_refresh.c - the refresh_token grant (RFC 6749 section 6), rotated
 * on every use as Ory Hydra and oidc-provider do: the token presented is
 * rotated out by one conditional UPDATE (exactly one row changed, or the
 * request loses) and a new pair of the same grant is issued. Presenting a
 * token rotated out revokes the whole grant, every token descended from
 * it (RFC 9700 section 4.14.2), except within the application's reuse
 * grace (refresh_reuse_grace, 0 to 60 s: two tabs refreshing at once). */
#include "oauth/grant.h"

#include <stdio.h>
#include <string.h>

#include "registry/change.h"
#include "store/oauth_token.h"

/* The rotation in one transaction. */
struct rotate {
	long long token_id;
	unsigned grace;
	struct oauth_issue *is;
};

static OST_MUST_CHECK enum ost_err
rotate_tx(void *arg)
{
	struct rotate *r = arg;
	enum ost_err err = store_oauth_refresh_rotate(r->token_id, r->grace);

	return err ? err : oauth_issue_tokens(r->is);
}

static OST_MUST_CHECK enum ost_err
revoke_tx(void *arg)
{
	return store_oauth_grant_revoke(*(const long long *)arg);
}

/* A rotated-out token was presented again: revoke its family. */
static OST_MUST_CHECK enum ost_err
family_revoke(long long grant, struct oauth_fail *f)
{
	enum ost_err err =
	    grant > 0 ? bookkeeping_run_invalidating(GEN_BIT(GEN_OAUTH), revoke_tx, &grant) : OST_OK;

	if (err)
		return err;
	return oauth_refuse(f, "invalid_grant", "The refresh token was used already: every "
	    "token of its grant is revoked");
}

/* The scopes of the new pair (RFC 6749 section 6): the access token's
 * REQUESTED (a subset of what the refresh token has) or the token's own,
 * into IS; the new refresh token's always the old one's. */
static OST_MUST_CHECK enum ost_err
new_scope(const json_t *row, const char *requested, struct oauth_issue *is,
    struct oauth_fail *f)
{
	json_t *had = oauth_scope_list(json_string_value(json_object_get(row, "scope")));
	enum ost_err err = had ? oauth_scope_resolve(requested, had, is->scope, sizeof(is->scope), f)
	                       : OST_ERR_NOMEM;

	/* into ROW, which the caller keeps until the tokens are stored */
	is->refresh_scope = json_string_value(json_object_get(row, "scope"));
	json_decref(had);
	return err;
}

/* The checks of the token ROW for CL; sets up IS from it. */
static OST_MUST_CHECK enum ost_err
refresh_checks(const struct oauth_client *cl, const json_t *row, const char *scope,
    struct oauth_issue *is, struct oauth_fail *f)
{
	const char *kind = json_string_value(json_object_get(row, "kind"));

	if (!kind || strcmp(kind, "refresh") != 0 ||
	    json_integer_value(json_object_get(row, "app_id")) != cl->id)
		return oauth_refuse(f, "invalid_grant", "The refresh token is not valid");
	if (cl->method == OAUTH_AUTH_NONE && json_is_true(json_object_get(row, "client_authenticated")))
		return oauth_refuse(f, "invalid_client", "The client authenticated when this grant "
		    "began: it must authenticate again to refresh it");
	if (!json_is_true(json_object_get(row, "valid")))
		return oauth_refuse(f, "invalid_grant",
		    "The refresh token has expired or was revoked, or its user is disabled or "
		    "holds a console role");
	if (json_is_true(json_object_get(row, "used")) &&
	    !json_is_true(json_object_get(row, "in_grace")))
		return family_revoke(json_integer_value(json_object_get(row, "grant_id")), f);
	is->app_id = cl->id;
	is->user_id = json_integer_value(json_object_get(row, "user_id"));
	is->grant_id = json_integer_value(json_object_get(row, "grant_id"));
	is->access_ttl = (unsigned)oauth_client_int(cl, "access_token_ttl");
	is->refresh_ttl = (unsigned)oauth_client_int(cl, "refresh_token_ttl");
	return new_scope(row, scope, is, f);
}

enum ost_err
oauth_grant_refresh(struct ctx *c, const struct oauth_client *cl, json_t **out,
    struct oauth_fail *f)
{
	const char *token = NULL, *scope = NULL;
	uint8_t hash[CRYPTO_SHA256_LEN];
	struct oauth_issue is = {0};
	struct rotate r = {0, 0, &is};
	json_t *row = NULL;
	enum ost_err err;

	if ((err = oauth_param(c, "refresh_token", &token, f)) ||
	    (err = oauth_param(c, "scope", &scope, f)))
		return err;
	if (!token)
		return oauth_refuse(f, "invalid_request", "refresh_token is required");
	crypto_token_hash(token, strlen(token), hash);
	if ((err = store_oauth_token_lookup(hash, &row)) == OST_ERR_NOT_FOUND)
		return oauth_refuse(f, "invalid_grant", "The refresh token is not valid");
	if (!err)
		err = refresh_checks(cl, row, scope, &is, f);
	r.token_id = json_integer_value(json_object_get(row, "id"));
	r.grace = (unsigned)oauth_client_int(cl, "refresh_reuse_grace");
	if (!err && (err = bookkeeping_run(rotate_tx, &r)) == OST_ERR_CONFLICT)
		/* another request rotated it first (or its grace just ended) */
		err = family_revoke(is.grant_id, f);
	if (!err && !(*out = oauth_issue_answer(&is)))
		err = OST_ERR_NOMEM;
	oauth_issue_wipe(&is);
	json_decref(row);
	return err;
}
