/* connections.h - connected accounts: their tokens sealed at rest, kept
 * fresh under a lease in the database (exactly one refresh across every
 * process and host), renamed, disconnected and revoked, and removed with
 * what they hang on */
#ifndef OST_BROKER_CONNECTIONS_H
#define OST_BROKER_CONNECTIONS_H

#include "registry/change.h"
#include "registry/events.h"
#include "registry/op.h"
#include "store/connection.h"

#define CONN_NAME_MAX 200     /* characters of a connection's name or handle */
#define REFRESH_WAIT_MS 5000  /* how long a caller waits for another's refresh */
#define REFRESH_LEASE_EXTRA 5 /* seconds a lease outlasts the outbound time-out */
#define BACKOFF_FIRST 5       /* seconds before retrying a transient failure, doubled
                                 with each one that follows */
#define BACKOFF_MAX 3600

/* What an application reads of a connection: id, provider, visibility,
 * scopes, user_workspace_id, name, handle, status ("ok",
 * "transient_failure", "auth_failed"), auth_failed_at, expires_at,
 * access_token (null when there is no usable one), token_type,
 * created_at, updated_at. */
extern const struct field_table broker_conn_app_row;
/* What an administrator or a member reads: the same without the token,
 * with provider_name, app_id, company_id, last_error, version. */
extern const struct field_table broker_conn_row;
/* A new name: name (1-200 characters). */
extern const struct field_table broker_rename_body;

/* broker_conn_view - the row of broker_conn_row for stored ROW; new. */
json_t *broker_conn_view(const json_t *row);

/* broker_announce - within change CH, tell the application of connection
 * ID (as stored now) WHAT happened to it (registry/events.h): its admin
 * view (broker_conn_row, no token) is the event's data. */
enum ost_err broker_announce(struct change *ch, enum connection_event what, long long id)
    OST_MUST_CHECK;

/* broker_fresh - the application's view (broker_conn_app_row) of the
 * connection stored as ROW (read with its token columns), its access token
 * refreshed first when it expires within min(60 s, half its lifetime):
 * under the connection's lease when it is free, else after waiting (at
 * most REFRESH_WAIT_MS) for the holder's result. *VIEW gets the view
 * (with access_token null when the token is not usable: auth_failed,
 * expired, or cooling down after a transient failure). When the wait ends
 * with the lease still held, OST_ERR_DB_UNAVAILABLE with *RETRY_AFTER (the
 * seconds the lease has left, at least 1) and no view. */
enum ost_err broker_fresh(const struct app *app, json_t *row, json_t **view,
    long long *retry_after) OST_MUST_CHECK;

/* broker_seal_tokens - seal GRANT's tokens (struct upstream_grant; the
 * refresh token KEEP_REFRESH when the grant has none) for connection ID
 * into T (free with broker_tokens_free). */
struct upstream_grant;
enum ost_err broker_seal_tokens(const struct app *app, long long id, const struct upstream_grant *g,
    const char *keep_refresh, struct conn_tokens *t) OST_MUST_CHECK;
void broker_tokens_free(struct conn_tokens *t);

/* broker_take - within change CH, remove the connections OF (A, B) names
 * (store/connection.h), each audited as "connection.delete" with REASON;
 * *TAKEN gets what revoking them needs (their tokens and their provider's
 * revoke endpoint and client), for broker_revoke_taken once CH has
 * committed. Never an HTTP call inside the transaction. */
enum ost_err broker_take(struct change *ch, enum conn_of of, long long a, long long b,
    const char *reason, json_t **taken) OST_MUST_CHECK;

/* broker_revoke_taken - revoke at their providers the tokens TAKEN holds
 * (refresh token, then access token); a failure is logged, never kept. */
void broker_revoke_taken(const struct app *app, const json_t *taken);

/* broker_taken_free - wipe the secrets TAKEN holds and release it. */
void broker_taken_free(json_t *taken);

/* broker_disconnect - remove connection ID (audited by OP's actor) and
 * revoke its tokens at the provider. OST_ERR_NOT_FOUND when it is gone. */
enum ost_err broker_disconnect(const struct op *op, long long id) OST_MUST_CHECK;

/* broker_rename - give connection ID the name NAME, audited. */
enum ost_err broker_rename(const struct op *op, long long id, const char *name) OST_MUST_CHECK;

#endif
