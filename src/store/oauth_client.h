/* oauth_client.h - what the authorization server reads about its clients
 * and their users: an application as a client, a person as its user,
 * consents, remembered sign-ins, the jti of client assertions */
#ifndef OST_STORE_OAUTH_CLIENT_H
#define OST_STORE_OAUTH_CLIENT_H

#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

/* store_oauth_client - the application whose public id is PUBLIC_ID (or
 * whose id is ID with store_oauth_client_by_id) as a client: *ROW (caller
 * decrefs) gets id, public_id, name, icon_url, authenticator, permissions,
 * redirect_uris, allowed_origins (JSON text), domain, access_token_ttl,
 * refresh_token_ttl, refresh_reuse_grace, public_key_current,
 * public_key_previous, certificate, key_hash and previous_key_hash (hex;
 * the previous one null past its grace), previous_key_ttl (seconds left of
 * the previous key's grace; null or negative when none). OST_ERR_NOT_FOUND
 * when none. */
enum ost_err store_oauth_client(const char *public_id, json_t **row) OST_MUST_CHECK;
enum ost_err store_oauth_client_by_id(long long id, json_t **row) OST_MUST_CHECK;

/* store_oauth_user - person USER_ID (or with EMAIL, by
 * store_oauth_user_by_email) as a user of application APP_ID: *ROW gets
 * id, email, first_name, enabled, roles ("A,B" or ""), app_user_enabled
 * (null when the person is not one of the application's users).
 * OST_ERR_NOT_FOUND when there is no such person. */
enum ost_err store_oauth_user(long long app_id, long long user_id, json_t **row) OST_MUST_CHECK;
enum ost_err store_oauth_user_by_email(long long app_id, const char *email, json_t **row)
    OST_MUST_CHECK;

/* store_oauth_consent_get - the scope USER_ID consented to for APP_ID into
 * *SCOPE (a new string, caller frees with json_decref; NULL when none). */
enum ost_err store_oauth_consent_get(long long app_id, long long user_id, json_t **scope)
    OST_MUST_CHECK;

/* store_oauth_consent_set - record (or replace) USER_ID's consent to SCOPE. */
enum ost_err store_oauth_consent_set(long long app_id, long long user_id, const char *scope)
    OST_MUST_CHECK;

/* store_oauth_signin_create - remember USER_ID's sign-in by HASH for TTL seconds. */
enum ost_err store_oauth_signin_create(const uint8_t *hash, long long user_id, unsigned ttl)
    OST_MUST_CHECK;

/* store_oauth_signin_lookup - *USER_ID of the unexpired sign-in HASH of an
 * enabled person; OST_ERR_NOT_FOUND otherwise. */
enum ost_err store_oauth_signin_lookup(const uint8_t *hash, long long *user_id) OST_MUST_CHECK;

/* store_oauth_jti_note - record the jti whose SHA-256 is HASH for APP_ID
 * until EXP (Unix time): OST_ERR_CONFLICT when it was recorded already. */
enum ost_err store_oauth_jti_note(long long app_id, const uint8_t *hash, long long exp)
    OST_MUST_CHECK;

#endif
