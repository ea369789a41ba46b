/* change.c - the one path of every change to the database: begin, the
 * change, its audit entries, commit (or roll back on any error); and a
 * plain transaction for the system's own bookkeeping. The only caller of
 * db_begin. */
#include "registry/change.h"

#include <stdio.h>

#include "events/events.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/generations.h"

enum ost_err
change_begin(struct change *ch, const struct op *op)
{
	enum ost_err err;

	*ch = (struct change){.op = op, .invalidates = 0};
	if ((err = db_begin()))
		return err;
	ch->open = 1;
	return OST_OK;
}

enum ost_err
change_audit(struct change *ch, const char *action, const char *type, long long id,
    const json_t *details)
{
	char oid[24];
	const struct op *op = ch->op;
	struct audit_entry e = {
	    .actor_type = op->actor_type ? op->actor_type : "system",
	    .actor_id = op->actor_id,
	    .actor = op->actor,
	    .action = action,
	    .object_type = type,
	    .object_id = oid,
	    .address = op->address ? op->address : "",
	    .request_id = op->request_id ? op->request_id : "",
	    .details = details,
	};
	enum ost_err err;

	if (!ch->open)
		return OST_ERR_INTERNAL;
	snprintf(oid, sizeof(oid), "%lld", id);
	if ((err = store_audit_insert(&e)))
		return err;
	ch->audited++;
	return OST_OK;
}

enum ost_err
change_event(struct change *ch, long long app, const char *type, long long company,
    const json_t *data)
{
	json_t *e;

	if (!ch->open)
		return OST_ERR_INTERNAL;
	if (!ch->events && !(ch->events = json_array()))
		return OST_ERR_NOMEM;
	e = json_pack("{s:I, s:s, s:I, s:O}", "app", (json_int_t)app, "type", type, "company",
	    (json_int_t)company, "data", data ? data : json_object());
	if (!e || json_array_append_new(ch->events, e))
		return OST_ERR_NOMEM;
	return OST_OK;
}

/* Write the events of CH to the outbox. */
static OST_MUST_CHECK enum ost_err
write_events(struct change *ch)
{
	const json_t *e;
	long long id = 0;
	size_t i;
	enum ost_err err = OST_OK;

	json_array_foreach(ch->events, i, e) {
		err = events_outbox_add(json_integer_value(json_object_get(e, "app")),
		    json_string_value(json_object_get(e, "type")),
		    json_integer_value(json_object_get(e, "company")), json_object_get(e, "data"), &id);
		if (err)
			break;
		if (id)
			ch->event_id = id;
	}
	return err;
}

enum ost_err
change_end(struct change *ch, enum ost_err err)
{
	if (!ch->open)
		return err ? err : OST_ERR_INTERNAL;
	ch->open = 0;
	if (!err && ch->audited == 0)
		err = OST_ERR_INTERNAL; /* every change is audited: none commits without */
	/* the database's counters of its kinds move in the same transaction,
	 * so that other hosts see the change (auth_generations_poll) */
	if (!err && ch->invalidates)
		err = store_generations_bump(ch->invalidates);
	/* A change's events join the outbox here, in the same transaction. */
	if (!err && ch->events)
		err = write_events(ch);
	json_decref(ch->events);
	ch->events = NULL;
	if ((err = db_finish(err))) {
		ch->event_id = 0;
		return err;
	}
	/* after the commit: a worker that reads the new counter reads the
	 * database after the change too */
	gen_bump(ch->invalidates);
	return OST_OK;
}

void
change_invalidates(struct change *ch, unsigned mask)
{
	ch->invalidates |= mask & GEN_ALL;
}

enum ost_err
bookkeeping_run(enum ost_err (*fn)(void *arg), void *arg)
{
	enum ost_err err = db_begin();

	if (err)
		return err;
	return db_finish(fn(arg));
}
