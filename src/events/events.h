/* events.h - events to applications: what an event is on the wire (its
 * body and its Standard Webhooks signature), each application's signing
 * secret, and the outbox every change writes its events to */
#ifndef OST_EVENTS_H
#define OST_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/err.h"
#include "crypto/aead.h"

#define EVENTS_SECRET_BYTES 32
#define EVENTS_SECRET_TEXT 52     /* "whsec_" + base64 of 32 bytes (44) + NUL */
#define EVENTS_SEALED_LEN (EVENTS_SECRET_BYTES + AEAD_OVERHEAD)
#define EVENTS_SIGNATURE_TEXT 48  /* "v1," + base64 of 32 bytes (44) + NUL */
#define EVENTS_ID_TEXT 31         /* "evt_" + 26 hex digits + NUL */
#define EVENTS_TYPE_MAX 64

/* A new events signing secret of application APP. */
struct events_secret {
	char text[EVENTS_SECRET_TEXT];    /* shown once, never stored */
	uint8_t sealed[EVENTS_SEALED_LEN]; /* stored */
	unsigned key_id;
};

/* events_secret_new - make a random secret for application APP into S,
 * sealed with RING's newest key (bound to APP). Wipe S after use. */
enum ost_err events_secret_new(const struct keyring *ring, long long app,
    struct events_secret *s) OST_MUST_CHECK;

/* events_secret_open - the EVENTS_SECRET_BYTES key of application APP from
 * HEX (the sealed value as hex, as the store reads it) under KEY_ID into
 * KEY. OST_ERR_CRYPTO when it does not open (altered, or another app's). */
enum ost_err events_secret_open(const struct keyring *ring, long long app, unsigned key_id,
    const char *hex, uint8_t key[EVENTS_SECRET_BYTES]) OST_MUST_CHECK;

/* events_signature - OUT = "v1," + base64(HMAC-SHA256(KEY, ID "." TS "."
 * BODY)), the Standard Webhooks signature of one attempt. */
enum ost_err events_signature(const uint8_t *key, size_t klen, const char *id, long long ts,
    const char *body, size_t blen, char out[EVENTS_SIGNATURE_TEXT]) OST_MUST_CHECK;

/* events_body - the JSON text (malloc'd, caller frees) of the event in
 * outbox ROW {webhook_id, type, created_at, company (JSON text or null),
 * data (JSON text)}: {"id", "type", "timestamp", "company", "data"}, the
 * same for every attempt. NULL on no memory or a row it cannot read. */
char *events_body(const json_t *row);

/* events_new_id - a new random event id "evt_" + 26 hex digits. */
void events_new_id(char out[EVENTS_ID_TEXT]);

/* events_outbox_add - inside the change's transaction: write the event
 * TYPE of application APP (about company COMPANY, 0 for none) holding
 * DATA to the outbox, when the application has an events URL and an
 * enabled endpoint (else nothing is written). *ID (may be NULL) gets the
 * new event's id, 0 when none was written. */
enum ost_err events_outbox_add(long long app, const char *type, long long company,
    const json_t *data, long long *id) OST_MUST_CHECK;

/* events_public_copy - a deep copy of V without what must never leave
 * Ostium in an event: every member whose name holds "token", "secret",
 * "password", "verifier" or "code", or ends in "_enc" or "_hash", at any
 * depth. NULL on no memory. For data the caller did not build field by
 * field (a connection row). */
json_t *events_public_copy(const json_t *v);

/* events_retry_ms - the wait before retry number DONE (0: the first) of
 * the schedule (N delays in seconds) with up to +20% jitter from JITTER
 * (0..65535): 0 when the schedule is spent (give up). */
unsigned long long events_retry_ms(const unsigned *schedule, size_t n, unsigned done,
    unsigned jitter);

/* events_dispatcher_run - the delivering process: claim, deliver, record,
 * until SIGTERM; its process name is "ostium-events". Returns the exit
 * status. */
struct app;
int events_dispatcher_run(const struct app *app);

#endif
