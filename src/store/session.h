/* session.h - console sessions, stored by the SHA-256 of their id */
#ifndef OST_STORE_SESSION_H
#define OST_STORE_SESSION_H

#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

/* store_session_create - a session for USER_ID identified by HASH (32 bytes)
 * that lasts TTL seconds, noting the client ADDRESS (a request's
 * remote_addr: UTF-8 of at most REQUEST_ADDR_MAX bytes, which the column
 * holds) and USER_AGENT (any bytes: kept as UTF-8, cut to the characters
 * the column holds). Expired sessions of the same person are purged. */
enum ost_err store_session_create(const uint8_t *hash, long long user_id, unsigned ttl,
    const char *address, const char *user_agent) OST_MUST_CHECK;

/* store_session_lookup - *ROW gets {session_id, expired (0/1), id, email,
 * first_name, last_name, enabled, roles} for the session with HASH;
 * OST_ERR_NOT_FOUND when there is none. */
enum ost_err store_session_lookup(const uint8_t *hash, json_t **row) OST_MUST_CHECK;

/* store_session_delete - end the session with HASH (no error when absent). */
enum ost_err store_session_delete(const uint8_t *hash) OST_MUST_CHECK;

/* store_session_end_others - end every session of USER_ID but the one with
 * KEEP (32 bytes; NULL: end them all); *ENDED (may be NULL) gets how many. */
enum ost_err store_session_end_others(long long user_id, const uint8_t *keep,
    unsigned long long *ended) OST_MUST_CHECK;

#endif
