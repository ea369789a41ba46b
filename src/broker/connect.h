/* connect.h - the connect flow: a member sends themselves to the
 * provider's authorize URL with a single-use state bound to their session
 * (and a PKCE challenge), and the provider sends them back with a code
 * that Ostium exchanges for tokens and keeps as a connected account */
#ifndef OST_BROKER_CONNECT_H
#define OST_BROKER_CONNECT_H

#include <stdint.h>
#include "registry/op.h"

#define CONNECT_STATE_TTL 600   /* seconds a state stays good */
#define CONNECT_PENDING_MAX 20  /* states one session may hold at once */

/* The console's "Add connection" form: visibility ("user": just for me,
 * or "workspace": shared with the company), reconnect (a connection's id,
 * for a reconnect). */
extern const struct field_table broker_connect_body;

/* Who connects: the signed-in person and their session. */
struct connect_who {
	long long user_id;
	const uint8_t *session_hash; /* SHA-256 of the session id; NULL: no session */
};

/* broker_connect_start - begin connecting person WHO's account at provider
 * PROVIDER of application APP_ID in company COMPANY_ID, for VISIBILITY
 * ("user" or "workspace"), or reconnecting connection RECONNECT (> 0: its
 * visibility is kept and the same connection gets the new tokens). *URL
 * gets the provider's authorize URL (free() it). Refusals with WHY:
 * OST_ERR_NOT_FOUND (not a member of the company, the application not
 * installed there, no such provider or connection), OST_ERR_FORBIDDEN
 * (another person's connection), OST_ERR_CONFLICT (the provider needs its
 * server variables set), OST_ERR_THROTTLED (too many flows under way). */
enum ost_err broker_connect_start(const struct op *op, const struct connect_who *who,
    long long company_id, long long app_id, const char *provider, const char *visibility,
    long long reconnect, char **url, struct field_error *why) OST_MUST_CHECK;

/* broker_connect_finish - the provider sent person WHO back with STATE,
 * and CODE or ERROR (ERROR_DESCRIPTION): take the state (single use), and
 * only when it belongs to WHO's session exchange the code and store the
 * connection, audited. *RESULT gets {connection_id, app_id, company_id,
 * provider_name, reconnected} on success, and on a refusal whatever of it
 * is known. OST_ERR_INVALID with WHY's message for every refusal a page
 * shows (bad, replayed, expired or foreign state; denied consent; the
 * token endpoint's error or silence): nothing is stored then. */
enum ost_err broker_connect_finish(const struct op *op, const struct connect_who *who,
    const char *state, const char *code, const char *error, const char *error_description,
    json_t **result, struct field_error *why) OST_MUST_CHECK;

#endif
