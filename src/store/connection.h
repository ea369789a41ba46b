/* connection.h - connected accounts, their refresh leases, the states of
 * the connect flow, and what a member's view reads */
#ifndef OST_STORE_CONNECTION_H
#define OST_STORE_CONNECTION_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

#define CONN_LEASE_ID_LEN 16

/* Rows are {id, provider_id, provider, provider_name, app_id, company_id,
 * user_workspace_id, user_id, visibility, name, handle, scopes (parsed),
 * token_type, status, auth_failed_at, last_error, expires_at, version,
 * created_at, updated_at}; those read for a token add {access_hex,
 * refresh_hex (the ciphertexts, hex; null when none), key_id,
 * token_version, failures, expired, due, leased, lease_left, cooling,
 * retry_left}. */

/* New tokens of a connection, sealed by the caller under KEY_ID. */
struct conn_tokens {
	const uint8_t *access;  /* sealed access token */
	size_t access_len;
	const uint8_t *refresh; /* sealed refresh token, NULL when there is none */
	size_t refresh_len;
	unsigned key_id;
	const char *token_type;
	const char *scopes;     /* the JSON list granted */
	long long expires_in;   /* seconds; 0 when the provider said none */
};

/* store_conn_insert - a new connection without tokens: VALUES holds
 * provider_id, app_id, company_id, membership_id, user_id, visibility,
 * name, handle, scopes (a list). *ID gets its id. */
enum ost_err store_conn_insert(const json_t *values, long long *id) OST_MUST_CHECK;

/* store_conn_set_tokens - give connection ID the tokens T (a connect or a
 * reconnect): its status is ok again and any lease is dropped. */
enum ost_err store_conn_set_tokens(long long id, const struct conn_tokens *t) OST_MUST_CHECK;

/* store_conn_get - connection ID with its token columns; OST_ERR_NOT_FOUND. */
enum ost_err store_conn_get(long long id, json_t **row) OST_MUST_CHECK;

/* store_conn_list_app - APP's connections in COMPANY, with their token
 * columns, of PROVIDER ("" any) after id AFTER, at most LIMIT: the
 * workspace ones, and those of membership MEMBER (0: none). */
enum ost_err store_conn_list_app(long long app, long long company, const char *provider,
    long long member, long long after, unsigned limit, json_t **rows) OST_MUST_CHECK;

/* store_conn_list_member - what person USER sees of APP's connections in
 * COMPANY: their own and the workspace ones (at most 200). */
enum ost_err store_conn_list_member(long long app, long long company, long long user,
    json_t **rows) OST_MUST_CHECK;

/* store_conn_list_company - COMPANY's connections after AFTER, at most LIMIT. */
enum ost_err store_conn_list_company(long long company, long long after, unsigned limit,
    json_t **rows) OST_MUST_CHECK;

/* store_conn_rename - OST_ERR_NOT_FOUND when connection ID is gone. */
enum ost_err store_conn_rename(long long id, const char *name) OST_MUST_CHECK;

/* store_conn_delete - OST_ERR_NOT_FOUND when connection ID is gone. */
enum ost_err store_conn_delete(long long id) OST_MUST_CHECK;

/* store_conn_count_own - how many connections person USER holds of PROVIDER. */
enum ost_err store_conn_count_own(long long provider, long long user, long long *n)
    OST_MUST_CHECK;

/* What a removal takes with it. */
enum conn_of {
	CONN_OF_ONE,      /* (connection id) */
	CONN_OF_MEMBER,   /* (membership id): its user connections */
	CONN_OF_USER,     /* (person id): their user connections */
	CONN_OF_INSTALL,  /* (app id, company id) */
	CONN_OF_PROVIDER, /* (provider id) */
	CONN_OF_APP,      /* (app id) */
};

/* store_conn_of - the connections OF (A, B) names: {id, provider_id,
 * app_id, company_id, membership_id, user_id, visibility, provider,
 * access_hex, refresh_hex, key_id}. */
enum ost_err store_conn_of(enum conn_of of, long long a, long long b, json_t **rows)
    OST_MUST_CHECK;

/* store_conn_lease - take the refresh lease of connection ID as LEASE_ID
 * (held by OWNER, for SECONDS) when it is free or expired and the tokens
 * are still TOKEN_VERSION; *TAKEN 1 when taken. Runs on its own (committed
 * at once). */
enum ost_err store_conn_lease(long long id, long long token_version,
    const uint8_t lease_id[CONN_LEASE_ID_LEN], const char *owner, unsigned seconds, int *taken)
    OST_MUST_CHECK;

/* store_conn_refreshed - store the tokens T of a refresh, if LEASE_ID is
 * still connection ID's lease; *STORED 1 when they were. The lease ends. */
enum ost_err store_conn_refreshed(long long id, const uint8_t lease_id[CONN_LEASE_ID_LEN],
    const struct conn_tokens *t, int *stored) OST_MUST_CHECK;

/* store_conn_refresh_failed - note a failed refresh as STATUS
 * ("transient_failure" or "auth_failed") with WHY, no new attempt for
 * RETRY seconds (< 0: none until a reconnect), if LEASE_ID is still the
 * lease; *STORED 1 when noted. The lease ends. */
enum ost_err store_conn_refresh_failed(long long id, const uint8_t lease_id[CONN_LEASE_ID_LEN],
    const char *status, long long retry, const char *why, int *stored) OST_MUST_CHECK;

/* States of the connect flow. store_state_insert - a state whose SHA-256
 * is HASH, bound to the session whose hash is SESSION, standing for WHAT
 * ({user_id, membership_id, provider_id, app_id, company_id, visibility,
 * connection_id (0: a new connection)}), with the PKCE verifier sealed
 * (VERIFIER, N bytes under KEY_ID; NULL: none), for TTL seconds. Expired
 * states are purged first. */
enum ost_err store_state_insert(const uint8_t *hash, const uint8_t *session, const json_t *what,
    const uint8_t *verifier, size_t n, unsigned key_id, unsigned ttl) OST_MUST_CHECK;

/* store_state_pending - how many states the session SESSION holds. */
enum ost_err store_state_pending(const uint8_t *session, long long *n) OST_MUST_CHECK;

/* store_state_take - the state whose hash is HASH, removed as it is read
 * (single use): *ROW gets {id, session_hex, user_id, membership_id,
 * provider_id, app_id, company_id, visibility, connection_id,
 * verifier_hex, key_id, expired}. OST_ERR_NOT_FOUND when there is none, or
 * when another caller took it first. */
enum ost_err store_state_take(const uint8_t *hash, json_t **row) OST_MUST_CHECK;

/* store_my_memberships - person USER's memberships: {user_workspace_id,
 * company_id, company_name, company_slug}, by company name. */
enum ost_err store_my_memberships(long long user, json_t **rows) OST_MUST_CHECK;

/* store_my_membership - person USER's membership of COMPANY;
 * OST_ERR_NOT_FOUND when they are not a member. */
enum ost_err store_my_membership(long long user, long long company, json_t **row) OST_MUST_CHECK;

/* store_install_exists - {id, name} of APP when it is installed in COMPANY,
 * else OST_ERR_NOT_FOUND. */
enum ost_err store_install_exists(long long app, long long company, json_t **row) OST_MUST_CHECK;

/* store_person_is_member - *MEMBER 1 when person USER is a member of a company. */
enum ost_err store_person_is_member(long long user, int *member) OST_MUST_CHECK;

#endif
