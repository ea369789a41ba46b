/* oauth_check.h - the access tokens of the authorization server as the
 * endpoints and the application API check them, kept in the worker's
 * cache of credential checks while valid */
#ifndef OST_AUTH_OAUTH_CHECK_H
#define OST_AUTH_OAUTH_CHECK_H

#include <stdint.h>
#include <jansson.h>
#include "core/app.h"
#include "core/err.h"
#include "core/gen.h"
#include "crypto/crypto.h"

/* The kinds whose changes can make a kept token check wrong: the token
 * and its grant (revocation), its person (enabled, roles, email, name),
 * its application and its application user (enabled, removed). */
#define OAUTH_CHECK_GENS (GEN_BIT(GEN_OAUTH) | GEN_BIT(GEN_PEOPLE) | GEN_BIT(GEN_APPS))

/* auth_oauth_token - the token whose SHA-256 is HASH into *ROW (caller
 * decrefs), as store_oauth_token_lookup gives it (without ttl): from the
 * worker's cache when this worker looked it up before and nothing of
 * OAUTH_CHECK_GENS changed since, else from the database. Only a valid
 * access token is kept, until it expires (a refresh token rotates on each
 * use and is never kept). OST_ERR_NOT_FOUND when unknown. */
enum ost_err auth_oauth_token(const struct app *app, const uint8_t hash[CRYPTO_SHA256_LEN],
    json_t **row) OST_MUST_CHECK;

/* auth_oauth_app - what the application API reads of the application whose
 * public id is PUBLIC_ID for company GROUP_ID (store_app_auth_lookup),
 * without its key hashes, into *ROW (caller decrefs): from the worker's
 * cache when this worker read it installed there before and no change of
 * applications, installations or companies came since (an installation
 * moves no counter, so "not installed" is never kept). Only for a caller
 * whose access token was checked already (the key is no credential).
 * OST_ERR_NOT_FOUND when there is no such application. */
enum ost_err auth_oauth_app(const struct app *app, const char *public_id, long long group_id,
    json_t **row) OST_MUST_CHECK;

#endif
