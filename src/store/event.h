/* event.h - the store of events to applications: endpoints (sealed
 * secrets, failing and disabled state), the outbox, leases and attempts */
#ifndef OST_STORE_EVENT_H
#define OST_STORE_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

/* store_event_target - *ROW gets {events_url (string or null), has_secret,
 * disabled_at (or null)} of application APP; OST_ERR_NOT_FOUND without it. */
enum ost_err store_event_target(long long app, json_t **row) OST_MUST_CHECK;

/* store_event_company - *ROW gets company ID's row (id, name, slug ...). */
enum ost_err store_event_company(long long id, json_t **row) OST_MUST_CHECK;

/* store_event_insert - a new outbox row: APP, WEBHOOK_ID, TYPE, COMPANY_ID
 * (0: none) and COMPANY (JSON text or NULL), DATA (JSON text); *ID its id. */
enum ost_err store_event_insert(long long app, const char *webhook_id, const char *type,
    long long company_id, const char *company, const char *data, long long *id) OST_MUST_CHECK;

/* store_event_endpoint_rotate - APP's secret becomes SEALED (N bytes, key
 * KEY_ID); the one it had stays valid GRACE more seconds (0: not at all).
 * Makes the endpoint when APP has none. */
enum ost_err store_event_endpoint_rotate(long long app, const uint8_t *sealed, size_t n,
    unsigned key_id, long long grace) OST_MUST_CHECK;

/* store_event_endpoint_state - *ROW gets {app_id, failing_since,
 * disabled_at, previous_secret_expires_at, created_at}; OST_ERR_NOT_FOUND
 * when APP has no events secret. */
enum ost_err store_event_endpoint_state(long long app, json_t **row) OST_MUST_CHECK;

/* store_event_endpoint_secrets - *ROW gets {secret (hex), key_id, previous
 * (hex, null outside a grace period), previous_key_id}. */
enum ost_err store_event_endpoint_secrets(long long app, json_t **row) OST_MUST_CHECK;

/* store_event_endpoint_lock - lock APP's endpoint row for the transaction
 * (before any of its outbox rows); OST_ERR_NOT_FOUND when there is none. */
enum ost_err store_event_endpoint_lock(long long app) OST_MUST_CHECK;

/* store_event_endpoint_enable - enable APP's endpoint if it was disabled
 * (its failing state cleared with it); *CHANGED (may be NULL) is 1 when it
 * was. */
enum ost_err store_event_endpoint_enable(long long app, int *changed) OST_MUST_CHECK;

/* store_event_endpoint_health - record a delivery to APP that succeeded
 * (OK) or failed: a failure starts failing_since, a success clears it. */
enum ost_err store_event_endpoint_health(long long app, int ok) OST_MUST_CHECK;

/* store_event_endpoint_due_disable - lock APP's endpoint and *ROW gets
 * {app_id, failing_since} when it has been failing SECONDS or more and is
 * not disabled; OST_ERR_NOT_FOUND otherwise. */
enum ost_err store_event_endpoint_due_disable(long long app, long long seconds, json_t **row)
    OST_MUST_CHECK;

/* store_event_endpoint_disable - disable APP's endpoint and fail its
 * pending events (*FAILED gets how many). */
enum ost_err store_event_endpoint_disable(long long app, long long *failed) OST_MUST_CHECK;

/* ---- the dispatcher's claims (inside one short transaction) ---- */

/* store_event_read_committed - the transaction about to start reads what
 * is committed at each statement. Call first in a claim. */
enum ost_err store_event_read_committed(void) OST_MUST_CHECK;

/* store_event_due_apps - *ROWS gets [{app_id}] of up to LIMIT enabled
 * applications with events due. */
enum ost_err store_event_due_apps(unsigned limit, json_t **rows) OST_MUST_CHECK;

/* store_event_endpoint_claim - lock APP's endpoint unless another
 * transaction holds it (then, or when it is disabled, *GOT = 0). */
enum ost_err store_event_endpoint_claim(long long app, int *got) OST_MUST_CHECK;

/* store_event_in_flight - *N gets APP's events under a live lease. */
enum ost_err store_event_in_flight(long long app, long long *n) OST_MUST_CHECK;

/* store_event_due_of_app - *ROWS gets [{id}] of up to LIMIT of APP's due
 * events not locked by others, oldest due first, locked. */
enum ost_err store_event_due_of_app(long long app, unsigned limit, json_t **rows) OST_MUST_CHECK;

/* store_event_lease - lease event ID to TOKEN (32 characters) held by BY
 * for SECONDS. */
enum ost_err store_event_lease(long long id, const char *token, const char *by, unsigned seconds)
    OST_MUST_CHECK;

/* store_event_leased - *ROW gets the event ID to deliver {id, app_id,
 * webhook_id, type, company, data, created_at, retries_done, events_url}
 * while TOKEN holds it; OST_ERR_NOT_FOUND when it does not. */
enum ost_err store_event_leased(long long id, const char *token, json_t **row) OST_MUST_CHECK;

/* What one delivery attempt came to. */
struct event_outcome {
	enum { EVENT_SUCCEEDED, EVENT_RETRY, EVENT_GAVE_UP } what;
	long status;           /* HTTP status, 0 for none */
	const char *error;     /* why it failed, or NULL */
	const char *response;  /* the first bytes of the answer (valid UTF-8), or NULL */
	unsigned duration_ms;
	unsigned long long retry_ms; /* EVENT_RETRY: from now */
	const char *dispatcher;      /* who made it */
	long long app;               /* whose endpoint it was */
};

/* store_event_record - record outcome O of the attempt on event ID under
 * TOKEN, the attempt itself and the endpoint's health (its row first, as
 * every transaction does); *LOST gets 1 when TOKEN no longer held the
 * event (another dispatcher claimed it after the lease expired). Inside a
 * transaction. */
enum ost_err store_event_record(long long id, const char *token, const struct event_outcome *o,
    int *lost) OST_MUST_CHECK;

/* store_event_release - give event ID back unattempted, if TOKEN holds it. */
enum ost_err store_event_release(long long id, const char *token) OST_MUST_CHECK;

/* store_event_purge - remove attempts older than SECONDS, and finished
 * events older than that with no attempt left; *N gets how many rows. */
enum ost_err store_event_purge(long long seconds, long long *n) OST_MUST_CHECK;

/* store_event_oldest_pending - *AGE gets the age in seconds of the oldest
 * pending event, -1 when none is pending. */
enum ost_err store_event_oldest_pending(long long *age) OST_MUST_CHECK;

/* ---- what the faces read ---- */

/* The filters of a list: "" for none; times as "YYYY-MM-DD HH:MM:SS". */
struct event_filter {
	const char *type, *status, *since, *until;
};

/* store_event_list - *ROWS gets up to LIMIT of APP's events with ids below
 * BEFORE (0: the newest), newest first, matching F; data parsed. */
enum ost_err store_event_list(long long app, long long before, const struct event_filter *f,
    unsigned limit, json_t **rows) OST_MUST_CHECK;

/* store_event_get - *ROW gets APP's event ID; OST_ERR_NOT_FOUND. */
enum ost_err store_event_get(long long app, long long id, json_t **row) OST_MUST_CHECK;

/* store_event_attempts - *ROWS gets the LIMIT latest attempts of event ID,
 * newest first. */
enum ost_err store_event_attempts(long long id, unsigned limit, json_t **rows) OST_MUST_CHECK;

/* store_event_resend - make APP's event ID due now, its retries anew. */
enum ost_err store_event_resend(long long app, long long id) OST_MUST_CHECK;

#endif
