/* events.h - the operations on an application's events: rotating its
 * signing secret, resending an event, sending a test event (ping),
 * disabling an endpoint that keeps failing, and reading events with their
 * attempts */
#ifndef OST_REGISTRY_EVENTS_H
#define OST_REGISTRY_EVENTS_H

#include "registry/op.h"

#define EVENT_ATTEMPTS_SHOWN 10 /* attempts listed with each event, newest first */

/* A rotation of the events secret: grace_seconds (0 to 30 days, default 0),
 * how long the secret replaced still signs beside the new one. */
extern const struct field_table reg_events_rotate_body;
/* What reg_events_rotate answers: id, events_secret (shown once),
 * previous_secret_expires_at. */
extern const struct field_table reg_events_rotated;
/* An event as the API lists it, with its latest attempts. */
extern const struct field_table reg_event_row;
/* The filters of the list: type, status, since, until. */
extern const struct field_table reg_event_filters;

/* reg_events_rotate - a new events signing secret for application APP
 * (the first for one registered before events existed); the one it
 * replaces keeps signing IN's grace_seconds more. Audited. *OUT gets
 * {id, events_secret, previous_secret_expires_at}. OST_ERR_NOT_FOUND
 * without the application. */
enum ost_err reg_events_rotate(const struct op *op, long long app, const json_t *in,
    json_t **out) OST_MUST_CHECK;

/* reg_event_resend - deliver APP's event ID again (the same webhook-id),
 * from the start of the retry schedule; enables the endpoint if it was
 * disabled. Audited. *ROW gets the event. OST_ERR_NOT_FOUND; OST_ERR_CONFLICT
 * with WHY when the application has nowhere to receive it. */
enum ost_err reg_event_resend(const struct op *op, long long app, long long id, json_t **row,
    struct field_error *why) OST_MUST_CHECK;

/* reg_event_ping - queue a test event ("ping") for APP, enabling its
 * endpoint if it was disabled. Audited. *ROW gets the event. Refusals as
 * reg_event_resend. */
enum ost_err reg_event_ping(const struct op *op, long long app, json_t **row,
    struct field_error *why) OST_MUST_CHECK;

/* The events of the connection broker (issue 11). */
enum connection_event {
	CONNECTION_CREATED,        /* "connection.created": a connected account stored */
	CONNECTION_REFRESH_FAILED, /* "connection.refresh_failed": auth_failed_at set */
	CONNECTION_REVOKED,        /* "connection.revoked": disconnected */
};

/* reg_event_connection - inside the broker's change CH: application APP
 * hears WHAT of the connection CONNECTION (its row after the change,
 * borrowed; members that name tokens or secrets are left out whatever
 * they hold) about company COMPANY (0: none, a connection "just for me"
 * still names its member's company). Written to the outbox when CH ends. */
struct change;
enum ost_err reg_event_connection(struct change *ch, enum connection_event what, long long app,
    long long company, const json_t *connection) OST_MUST_CHECK;

/* reg_events_disable_if_due - disable APP's endpoint when it has been
 * failing events_disable_after or longer: its pending events fail, and an
 * audit entry by the system says so. Nothing when it is not due. For the
 * dispatcher (APP_CFG its worker's). */
struct app;
enum ost_err reg_events_disable_if_due(const struct app *a, long long app) OST_MUST_CHECK;

/* reg_events_attach_attempts - give each event of ROWS its latest
 * attempts ("attempt_log", newest first). */
enum ost_err reg_events_attach_attempts(json_t *rows) OST_MUST_CHECK;

/* reg_events_endpoint - *ROW gets the state of APP's events endpoint
 * {has_secret, events_url, failing_since, disabled_at,
 * previous_secret_expires_at}. */
enum ost_err reg_events_endpoint(long long app, json_t **row) OST_MUST_CHECK;

#endif
