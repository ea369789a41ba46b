/* token.h - administrators' personal API tokens, stored by their SHA-256 */
#ifndef OST_STORE_TOKEN_H
#define OST_STORE_TOKEN_H

#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

/* store_token_create - a token NAME for USER_ID identified by HASH (32
 * bytes) that expires DAYS days from now (> 0), else at EXPIRES_AT
 * ("YYYY-MM-DD HH:MM:SS" UTC), else never (0 and NULL); *ID gets its id. */
enum ost_err store_token_create(long long user_id, const char *name, const uint8_t *hash,
    long long days, const char *expires_at, long long *id) OST_MUST_CHECK;

/* store_token_lookup - *ROW gets {token_id, revoked, expired, stale, id, email,
 * first_name, last_name, enabled, roles} for the token with HASH (stale: its
 * last use was noted over a minute ago); OST_ERR_NOT_FOUND when none. */
enum ost_err store_token_lookup(const uint8_t *hash, json_t **row) OST_MUST_CHECK;

/* store_token_touch - note that token ID was used now. */
enum ost_err store_token_touch(long long id) OST_MUST_CHECK;

/* store_token_list - *ROWS gets USER_ID's tokens {id, name, created_at,
 * expires_at, last_used_at, revoked_at, state ("active", "expired",
 * "revoked")}, newest first, at most 200. */
enum ost_err store_token_list(long long user_id, json_t **rows) OST_MUST_CHECK;

/* store_token_get - *ROW gets token ID of USER_ID as store_token_list
 * has it; OST_ERR_NOT_FOUND when the person has no such token. */
enum ost_err store_token_get(long long user_id, long long id, json_t **row) OST_MUST_CHECK;

/* store_token_revoke - revoke token ID of USER_ID; OST_ERR_NOT_FOUND when
 * the person has no such token that is still valid. */
enum ost_err store_token_revoke(long long user_id, long long id) OST_MUST_CHECK;

/* store_token_revoke_all - revoke every valid token of USER_ID; *REVOKED
 * (may be NULL) gets how many. */
enum ost_err store_token_revoke_all(long long user_id, unsigned long long *revoked)
    OST_MUST_CHECK;

#endif
