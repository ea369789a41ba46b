/* events.c - the operations on an application's events: rotating its
 * signing secret, resending an event, sending a test event (ping),
 * disabling an endpoint that keeps failing, and reading events with their
 * attempts */
#include "registry/events.h"

#include <stdio.h>
#include <string.h>

#include "core/app.h"
#include "crypto/crypto.h"
#include "events/events.h"
#include "registry/apps.h"
#include "registry/change.h"
#include "store/app_user.h"
#include "store/event.h"

static const struct field rotate_fields[] = {
	{.name = "grace_seconds", .label = "Keep the old secret signing for (seconds)",
	    .kind = FIELD_INT, .min = 0, .max = APP_GRACE_MAX, .dflt = "0",
	    .help = "How long events carry the replaced secret's signature beside the new one's "
	    "(0, the default: not at all)"},
};
const struct field_table reg_events_rotate_body = FIELD_TABLE("EventsSecretRotation",
    rotate_fields);

static const struct field rotated_fields[] = {
	{.name = "id", .kind = FIELD_ID, .help = "The application"},
	{.name = "events_secret", .kind = FIELD_STRING,
	    .help = "The new events signing secret (whsec_...), shown this once"},
	{.name = "previous_secret_expires_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE,
	    .help = "Until when events are signed with the replaced secret too"},
};
const struct field_table reg_events_rotated = FIELD_TABLE("EventsSecret", rotated_fields);

static const struct field attempt_fields[] = {
	{.name = "at", .kind = FIELD_TIME, .help = "When the attempt began"},
	{.name = "duration_ms", .kind = FIELD_INT},
	{.name = "http_status", .kind = FIELD_INT, .flags = FIELD_NULLABLE,
	    .help = "The status answered; null when no answer came"},
	{.name = "error", .kind = FIELD_STRING, .flags = FIELD_NULLABLE,
	    .help = "Why it failed; null when it succeeded"},
	{.name = "response", .kind = FIELD_STRING, .flags = FIELD_NULLABLE,
	    .help = "The first bytes of the answer"},
	{.name = "dispatcher", .kind = FIELD_STRING, .help = "Which dispatcher made it"},
	{.name = "lease_lost", .kind = FIELD_BOOL,
	    .help = "Its lease had expired and another dispatcher had claimed the event"},
};
static const struct field_table attempt_row = FIELD_TABLE("EventAttempt", attempt_fields);

static const char *const statuses[] = {"pending", "succeeded", "failed", NULL};

static const struct field event_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "webhook_id", .kind = FIELD_STRING,
	    .help = "The event's id, sent as webhook-id and as the body's id"},
	{.name = "type", .kind = FIELD_STRING},
	{.name = "company_id", .kind = FIELD_ID, .flags = FIELD_NULLABLE},
	{.name = "status", .kind = FIELD_ENUM, .choices = statuses},
	{.name = "attempts", .kind = FIELD_INT},
	{.name = "reclaims", .kind = FIELD_INT,
	    .help = "Times it was claimed again after a dispatcher's lease expired"},
	{.name = "next_attempt_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE},
	{.name = "last_status", .kind = FIELD_INT, .flags = FIELD_NULLABLE},
	{.name = "last_error", .kind = FIELD_STRING, .flags = FIELD_NULLABLE},
	{.name = "created_at", .kind = FIELD_TIME},
	{.name = "delivered_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE},
	{.name = "data", .kind = FIELD_OBJECT, .help = "The state after the change"},
	{.name = "attempt_log", .kind = FIELD_ROWS, .rows = &attempt_row,
	    .help = "The latest attempts, newest first"},
};
const struct field_table reg_event_row = FIELD_TABLE("Event", event_fields);

static const struct field filter_fields[] = {
	{.name = "type", .kind = FIELD_STRING, .max = EVENTS_TYPE_MAX,
	    .help = "Only events of this type"},
	{.name = "status", .kind = FIELD_ENUM, .choices = statuses,
	    .help = "Only events in this state"},
	{.name = "since", .kind = FIELD_TIME, .help = "Only events made at or after this time"},
	{.name = "until", .kind = FIELD_TIME, .help = "Only events made at or before this time"},
};
const struct field_table reg_event_filters = FIELD_TABLE("EventFilters", filter_fields);

enum ost_err
reg_events_rotate(const struct op *op, long long app, const json_t *in, json_t **out)
{
	long long grace = json_integer_value(json_object_get(in, "grace_seconds"));
	struct events_secret s = {0};
	json_t *state = NULL, *details;
	struct change ch;
	enum ost_err err = store_app_exists(app);

	*out = NULL;
	if (!err)
		err = events_secret_new(&op->app->keys, app, &s);
	if (!err && !(err = change_begin(&ch, op))) {
		if (!(err = store_event_endpoint_lock(app)) || err == OST_ERR_NOT_FOUND)
			err = store_event_endpoint_rotate(app, s.sealed, sizeof(s.sealed), s.key_id, grace);
		if (!err)
			err = store_event_endpoint_state(app, &state);
		details = state ? json_pack("{s:I, s:O}", "grace_seconds", (json_int_t)grace,
		                      "previous_secret_expires_at",
		                      json_object_get(state, "previous_secret_expires_at"))
		                : NULL;
		if (!err)
			err = details ? change_audit(&ch, "app.rotate_events_secret", "app", app, details)
			              : OST_ERR_NOMEM;
		json_decref(details);
		err = change_end(&ch, err);
	}
	if (!err && !(*out = json_pack("{s:I, s:s, s:O}", "id", (json_int_t)app, "events_secret",
	                  s.text, "previous_secret_expires_at",
	                  json_object_get(state, "previous_secret_expires_at"))))
		err = OST_ERR_NOMEM;
	crypto_wipe(&s, sizeof(s));
	json_decref(state);
	return err;
}

/* Refuse a delivery asked for by hand when APP has nowhere to receive it;
 * else enable its endpoint (locked first, before any outbox row). */
static OST_MUST_CHECK enum ost_err
manual_delivery(long long app, struct field_error *why, int *enabled)
{
	json_t *target = NULL;
	enum ost_err err = store_event_target(app, &target);

	if (!err && !json_is_string(json_object_get(target, "events_url")))
		err = op_refuse(why, OST_ERR_CONFLICT, "events_url",
		    "The application has no events URL: set one first");
	else if (!err && !json_is_true(json_object_get(target, "has_secret")))
		err = op_refuse(why, OST_ERR_CONFLICT, NULL, "The application has no events secret "
		    "yet: rotate it (rotate-events-secret) to make one");
	json_decref(target);
	if (!err)
		err = store_event_endpoint_lock(app);
	if (!err)
		err = store_event_endpoint_enable(app, enabled);
	return err;
}

enum ost_err
reg_event_resend(const struct op *op, long long app, long long id, json_t **row,
    struct field_error *why)
{
	json_t *details = NULL;
	int enabled = 0;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	*row = NULL;
	if (err)
		return err;
	if (!(err = store_event_get(app, id, row)))
		err = manual_delivery(app, why, &enabled);
	if (!err)
		err = store_event_resend(app, id);
	if (!err && !(details = json_pack("{s:I, s:O, s:O, s:b}", "event_id", (json_int_t)id,
	                  "webhook_id", json_object_get(*row, "webhook_id"), "type",
	                  json_object_get(*row, "type"), "endpoint_enabled", enabled)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = change_audit(&ch, "app.event_resend", "app", app, details);
	json_decref(details);
	json_decref(*row);
	*row = NULL;
	if (!(err = change_end(&ch, err)))
		err = store_event_get(app, id, row);
	return err;
}

enum ost_err
reg_event_ping(const struct op *op, long long app, json_t **row, struct field_error *why)
{
	json_t *data = json_pack("{s:s, s:I}", "message", "A test event from Ostium", "app_id",
	    (json_int_t)app), *details = NULL;
	int enabled = 0;
	struct change ch;
	enum ost_err err = data ? change_begin(&ch, op) : OST_ERR_NOMEM;

	*row = NULL;
	if (err) {
		json_decref(data);
		return err;
	}
	if (!(err = store_app_exists(app)))
		err = manual_delivery(app, why, &enabled);
	if (!err)
		err = change_event(&ch, app, "ping", 0, data);
	if (!err && !(details = json_pack("{s:b}", "endpoint_enabled", enabled)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = change_audit(&ch, "app.event_ping", "app", app, details);
	json_decref(details);
	json_decref(data);
	if (!(err = change_end(&ch, err)))
		err = ch.event_id ? store_event_get(app, ch.event_id, row) : OST_ERR_INTERNAL;
	return err;
}

enum ost_err
reg_event_connection(struct change *ch, enum connection_event what, long long app,
    long long company, const json_t *connection)
{
	static const char *const types[] = {
	    [CONNECTION_CREATED] = "connection.created",
	    [CONNECTION_REFRESH_FAILED] = "connection.refresh_failed",
	    [CONNECTION_REVOKED] = "connection.revoked",
	};
	json_t *data;
	enum ost_err err;

	if ((unsigned)what >= sizeof(types) / sizeof(types[0]))
		return OST_ERR_INTERNAL;
	if (!(data = events_public_copy(connection)))
		return OST_ERR_NOMEM;
	err = change_event(ch, app, types[what], company, data);
	json_decref(data);
	return err;
}

enum ost_err
reg_events_disable_if_due(const struct app *a, long long app)
{
	struct op op = {.app = a, .actor_type = "system", .actor = "events dispatcher"};
	json_t *row = NULL, *details = NULL;
	long long failed = 0;
	struct change ch;
	enum ost_err err = change_begin(&ch, &op);

	if (err)
		return err;
	err = store_event_endpoint_due_disable(app, a->cfg.events_disable_after, &row);
	if (err == OST_ERR_NOT_FOUND) { /* not due: nothing to change */
		ost_ignore(change_end(&ch, err));
		return OST_OK;
	}
	if (!err)
		err = store_event_endpoint_disable(app, &failed);
	if (!err && !(details = json_pack("{s:O, s:I, s:I}", "failing_since",
	                  json_object_get(row, "failing_since"), "disable_after_seconds",
	                  (json_int_t)a->cfg.events_disable_after, "events_failed",
	                  (json_int_t)failed)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = change_audit(&ch, "app.events_disabled", "app", app, details);
	json_decref(details);
	json_decref(row);
	return change_end(&ch, err);
}

enum ost_err
reg_events_attach_attempts(json_t *rows)
{
	json_t *row, *attempts;
	size_t i;
	enum ost_err err;

	json_array_foreach(rows, i, row) {
		if ((err = store_event_attempts(json_integer_value(json_object_get(row, "id")),
		         EVENT_ATTEMPTS_SHOWN, &attempts)))
			return err;
		if (json_object_set_new(row, "attempt_log", attempts))
			return OST_ERR_NOMEM;
	}
	return OST_OK;
}

enum ost_err
reg_events_endpoint(long long app, json_t **row)
{
	json_t *target = NULL, *state = NULL;
	enum ost_err err = store_event_target(app, &target);

	*row = NULL;
	if (!err && (err = store_event_endpoint_state(app, &state)) == OST_ERR_NOT_FOUND)
		err = OST_OK;
	if (!err && !(*row = json_pack("{s:O, s:O, s:O, s:O, s:O}", "has_secret",
	                  json_object_get(target, "has_secret"), "events_url",
	                  json_object_get(target, "events_url"), "failing_since",
	                  state ? json_object_get(state, "failing_since") : json_null(),
	                  "disabled_at", state ? json_object_get(state, "disabled_at") : json_null(),
	                  "previous_secret_expires_at",
	                  state ? json_object_get(state, "previous_secret_expires_at") : json_null())))
		err = OST_ERR_NOMEM;
	json_decref(target);
	json_decref(state);
	return err;
}
