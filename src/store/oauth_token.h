/* oauth_token.h - grants, access and refresh tokens and authorization
 * codes of the authorization server, kept by their SHA-256 only */
#ifndef OST_STORE_OAUTH_TOKEN_H
#define OST_STORE_OAUTH_TOKEN_H

#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

/* A token to store: its hash and what it is for. */
struct oauth_token_row {
	const uint8_t *hash;   /* SHA-256 of the token (CRYPTO_SHA256_LEN bytes) */
	const char *kind;      /* "access" or "refresh" */
	long long app_id;
	long long user_id;     /* 0: the application itself */
	long long grant_id;    /* 0: none (client_credentials) */
	const char *scope;     /* space-separated */
	unsigned ttl;          /* seconds from now */
};

/* store_oauth_grant_create - a new grant of APP_ID (for USER_ID, 0 for the
 * application itself) with SCOPE, begun by a client that authenticated
 * when CLIENT_AUTHENTICATED; *ID gets its id. Inside the caller's
 * transaction. */
enum ost_err store_oauth_grant_create(long long app_id, long long user_id, const char *scope,
    int client_authenticated, long long *id) OST_MUST_CHECK;

/* store_oauth_grant_revoke - revoke grant ID and with it every token of its
 * family (a grant already revoked stays as it is). */
enum ost_err store_oauth_grant_revoke(long long id) OST_MUST_CHECK;

/* store_oauth_token_create - store T. */
enum ost_err store_oauth_token_create(const struct oauth_token_row *t) OST_MUST_CHECK;

/* store_oauth_token_lookup - the token whose SHA-256 is HASH: *ROW gets id,
 * kind, app_id, user_id, grant_id (null for none), scope,
 * client_authenticated (0/1: the client authenticated when its grant
 * began), iat, exp (Unix times), ttl (seconds left), client_id (the application's public id), email and first_name
 * (null without a user), valid (0/1: not revoked or expired, grant not
 * revoked, user enabled as a person and as an application user and
 * without a console role), used (a
 * refresh token rotated out) and in_grace (used within the application's
 * reuse grace). OST_ERR_NOT_FOUND when unknown. */
enum ost_err store_oauth_token_lookup(const uint8_t *hash, json_t **row) OST_MUST_CHECK;

/* store_oauth_token_revoke - revoke token ID (no error when it already is). */
enum ost_err store_oauth_token_revoke(long long id) OST_MUST_CHECK;

/* store_oauth_refresh_rotate - rotate refresh token ID out, in one
 * conditional UPDATE: OST_OK when it changed the row (the token was
 * unused, or used less than GRACE seconds ago, and is neither revoked nor
 * expired); OST_ERR_CONFLICT when another request rotated it first or it
 * is no longer usable. */
enum ost_err store_oauth_refresh_rotate(long long id, unsigned grace) OST_MUST_CHECK;

/* A code to store. */
struct oauth_code_row {
	const uint8_t *hash;          /* SHA-256 of the code */
	long long app_id, user_id;
	const char *redirect_uri;     /* as the authorization request gave it */
	const char *scope;
	const char *code_challenge;   /* S256 challenge, or NULL */
	unsigned ttl;                 /* seconds */
};

/* store_oauth_code_create - store C. */
enum ost_err store_oauth_code_create(const struct oauth_code_row *c) OST_MUST_CHECK;

/* store_oauth_code_lookup - the code whose SHA-256 is HASH: *ROW gets id,
 * app_id, user_id, redirect_uri, scope, code_challenge (null when none),
 * expired and used (0/1), grant_id (the grant its redemption started, or
 * null). OST_ERR_NOT_FOUND when unknown. */
enum ost_err store_oauth_code_lookup(const uint8_t *hash, json_t **row) OST_MUST_CHECK;

/* store_oauth_code_redeem - mark code ID used by grant GRANT_ID, in one
 * conditional UPDATE: OST_OK when this call changed the row,
 * OST_ERR_CONFLICT when it was used (or expired) already. */
enum ost_err store_oauth_code_redeem(long long id, long long grant_id) OST_MUST_CHECK;

/* store_oauth_purge - remove at most LIMIT of each: expired tokens, codes
 * expired ten minutes ago, grants left without tokens, expired jti records
 * and sign-ins. *REMOVED (may be NULL) gets how many rows went; *MORE 1
 * when LIMIT of some kind went (more may be left), else 0. */
enum ost_err store_oauth_purge(unsigned limit, unsigned long long *removed, int *more)
    OST_MUST_CHECK;

/* store_oauth_signins_end - end every remembered OAuth sign-in of person
 * USER_ID; *ENDED (may be NULL) gets how many. */
enum ost_err store_oauth_signins_end(long long user_id, unsigned long long *ended)
    OST_MUST_CHECK;

/* store_oauth_app_user_revoke - what user USER_ID allowed application
 * APP_ID ends: their grants and tokens of it revoked, their codes not yet
 * redeemed and their consent deleted; *REVOKED (may be NULL) gets how many
 * tokens. Inside the caller's transaction. */
enum ost_err store_oauth_app_user_revoke(long long app_id, long long user_id,
    unsigned long long *revoked) OST_MUST_CHECK;

/* store_oauth_user_revoke - revoke every OAuth grant and token of person
 * USER_ID; *REVOKED (may be NULL) gets how many tokens. */
enum ost_err store_oauth_user_revoke(long long user_id, unsigned long long *revoked)
    OST_MUST_CHECK;

#endif
