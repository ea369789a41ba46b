/* grant_code.c - authorization codes: issued by the authorization pages
 * (and the console), redeemed by the authorization_code grant: single
 * use, at most OAUTH_CODE_TTL seconds, bound to the client, the redirect
 * URI, the user and the PKCE challenge (RFC 6749 section 4.1.3, RFC 7636,
 * RFC 9700 section 2.1.1) */
#include "oauth/grant.h"

#include <stdio.h>
#include <string.h>

#include "registry/change.h"
#include "store/oauth_token.h"

int
oauth_pkce_well_formed(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n < 43 || n > 128)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || strchr("-._~", s[i])))
			return 0;
	return 1;
}

/* Issuing a code: bookkeeping of the system's own. */
struct code_new {
	const struct oauth_client *cl;
	const struct oauth_code_req *r;
	char *text;
};

static OST_MUST_CHECK enum ost_err
code_store(void *arg)
{
	struct code_new *n = arg;
	uint8_t hash[CRYPTO_SHA256_LEN];
	struct oauth_code_row row = {
	    .hash = hash,
	    .app_id = n->cl->id,
	    .user_id = n->r->user_id,
	    .redirect_uri = n->r->redirect_uri ? n->r->redirect_uri : "",
	    .scope = n->r->scope,
	    .code_challenge = n->r->code_challenge,
	    .ttl = OAUTH_CODE_TTL,
	};

	crypto_token_new(n->text, hash);
	return store_oauth_code_create(&row);
}

enum ost_err
oauth_code_issue(const struct oauth_client *cl, const struct oauth_code_req *r, char *text)
{
	struct code_new n = {cl, r, text};

	return bookkeeping_run(code_store, &n);
}

/* 1 when VERIFIER's S256 transform is CHALLENGE (RFC 7636 section 4.6),
 * compared in constant time. */
static int
pkce_matches(const char *verifier, const char *challenge)
{
	uint8_t digest[CRYPTO_SHA256_LEN];
	char b64[CRYPTO_TOKEN_TEXT];

	crypto_sha256(verifier, strlen(verifier), digest);
	if (crypto_b64url_encode(digest, sizeof(digest), b64, sizeof(b64)))
		return 0;
	return strlen(challenge) == strlen(b64) && crypto_equal(b64, challenge, strlen(b64));
}

/* The redemption in one transaction. */
struct redeem {
	const json_t *code;          /* the code's row */
	struct oauth_issue *is;
};

static OST_MUST_CHECK enum ost_err
redeem_tx(void *arg)
{
	struct redeem *r = arg;
	long long grant = 0;
	enum ost_err err = store_oauth_grant_create(r->is->app_id, r->is->user_id, r->is->scope,
	    r->is->client_authenticated, &grant);

	if (!err)
		err = store_oauth_code_redeem(json_integer_value(json_object_get(r->code, "id")), grant);
	r->is->grant_id = grant;
	if (!err)
		err = oauth_issue_tokens(r->is);
	return err;
}

/* Revoke the grant GRANT_ID (what a code's first redemption issued). */
static OST_MUST_CHECK enum ost_err
revoke_tx(void *arg)
{
	return store_oauth_grant_revoke(*(const long long *)arg);
}

/* The code was used already: revoke what its first use issued (read again:
 * a redemption that won a race has committed by now). */
static OST_MUST_CHECK enum ost_err
reused(const uint8_t *hash, struct oauth_fail *f)
{
	json_t *row = NULL;
	long long grant = 0;
	enum ost_err err = store_oauth_code_lookup(hash, &row);

	if (!err)
		grant = json_integer_value(json_object_get(row, "grant_id"));
	json_decref(row);
	if (!err && grant > 0)
		err = bookkeeping_run_invalidating(GEN_BIT(GEN_OAUTH), revoke_tx, &grant);
	if (err && err != OST_ERR_NOT_FOUND)
		return err;
	return oauth_refuse(f, "invalid_grant",
	    "The authorization code was used already; the tokens it gave are revoked");
}

/* The checks of a code's ROW for CL before it is redeemed. */
static OST_MUST_CHECK enum ost_err
code_checks(const struct oauth_client *cl, const json_t *row, const char *redirect_uri,
    const char *verifier, struct oauth_fail *f)
{
	const char *challenge = json_string_value(json_object_get(row, "code_challenge"));
	const char *stored_uri = json_string_value(json_object_get(row, "redirect_uri"));

	if (json_integer_value(json_object_get(row, "app_id")) != cl->id)
		return oauth_refuse(f, "invalid_grant", "The authorization code is not valid");
	if (json_is_true(json_object_get(row, "expired")))
		return oauth_refuse(f, "invalid_grant", "The authorization code has expired");
	if (!stored_uri || strcmp(stored_uri, redirect_uri ? redirect_uri : "") != 0)
		return oauth_refuse(f, "invalid_grant", "redirect_uri is not the one of the "
		    "authorization request");
	if (challenge && !verifier)
		return oauth_refuse(f, "invalid_grant", "code_verifier is required (PKCE)");
	if (!challenge && verifier)
		return oauth_refuse(f, "invalid_grant", "The authorization request had no "
		    "code_challenge: no code_verifier may be sent");
	if (challenge && (!oauth_pkce_well_formed(verifier) || !pkce_matches(verifier, challenge)))
		return oauth_refuse(f, "invalid_grant", "code_verifier does not match the "
		    "code_challenge");
	return OST_OK;
}

enum ost_err
oauth_code_redeem(const struct oauth_client *cl, const char *code, const char *redirect_uri,
    const char *verifier, struct oauth_issue *is, struct oauth_fail *f)
{
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *row = NULL;
	struct redeem r = {NULL, is};
	enum ost_err err;

	if (!code)
		return oauth_refuse(f, "invalid_request", "code is required");
	crypto_token_hash(code, strlen(code), hash);
	if ((err = store_oauth_code_lookup(hash, &row)) == OST_ERR_NOT_FOUND)
		return oauth_refuse(f, "invalid_grant", "The authorization code is not valid");
	if (err)
		return err;
	if (json_integer_value(json_object_get(row, "app_id")) == cl->id &&
	    json_is_true(json_object_get(row, "used"))) {
		json_decref(row);
		return reused(hash, f);
	}
	err = code_checks(cl, row, redirect_uri, verifier, f);
	is->app_id = cl->id;
	is->client_authenticated = cl->method != OAUTH_AUTH_NONE;
	is->user_id = json_integer_value(json_object_get(row, "user_id"));
	snprintf(is->scope, sizeof(is->scope), "%s", json_string_value(json_object_get(row, "scope"))
	    ? json_string_value(json_object_get(row, "scope")) : "");
	is->access_ttl = (unsigned)oauth_client_int(cl, "access_token_ttl");
	is->refresh_ttl = (unsigned)oauth_client_int(cl, "refresh_token_ttl");
	if (!err)
		err = oauth_user_eligible(cl->id, is->user_id, NULL, f);
	r.code = row;
	if (!err && (err = bookkeeping_run(redeem_tx, &r)) == OST_ERR_CONFLICT)
		err = reused(hash, f); /* another request redeemed it first */
	json_decref(row);
	return err;
}

enum ost_err
oauth_grant_code(struct ctx *c, const struct oauth_client *cl, json_t **out,
    struct oauth_fail *f)
{
	const char *code = NULL, *uri = NULL, *verifier = NULL;
	struct oauth_issue is = {0};
	enum ost_err err;

	if ((err = oauth_param(c, "code", &code, f)) ||
	    (err = oauth_param(c, "redirect_uri", &uri, f)) ||
	    (err = oauth_param(c, "code_verifier", &verifier, f)))
		return err;
	if (cl->method == OAUTH_AUTH_NONE && !verifier)
		return oauth_refuse(f, "invalid_grant", "A public client must use PKCE: code_verifier "
		    "is required");
	err = oauth_code_redeem(cl, code, uri, verifier, &is, f);
	if (!err && !(*out = oauth_issue_answer(&is)))
		err = OST_ERR_NOMEM;
	oauth_issue_wipe(&is);
	return err;
}
