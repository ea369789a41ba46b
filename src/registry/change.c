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

/* End the transaction open: when ERR is OST_OK, the database's counters
 * of the kinds in MASK move in it, so that other hosts see the change
 * (auth_generations_poll), and it commits; else it rolls back. After the
 * commit the host's counters move: a worker that reads a new counter
 * reads the database after the change too. Returns ERR or the commit's. */
static OST_MUST_CHECK enum ost_err
finish_invalidating(unsigned mask, enum ost_err err)
{
	if (!err && mask)
		err = store_generations_bump(mask);
	if ((err = db_finish(err)))
		return err;
	gen_bump(mask);
	return OST_OK;
}

enum ost_err
change_end(struct change *ch, enum ost_err err)
{
	if (!ch->open)
		return err ? err : OST_ERR_INTERNAL;
	ch->open = 0;
	if (!err && ch->audited == 0)
		err = OST_ERR_INTERNAL; /* every change is audited: none commits without */
	/* A change's events join the outbox here, in the same transaction. */
	if (!err && ch->events)
		err = write_events(ch);
	json_decref(ch->events);
	ch->events = NULL;
	if ((err = finish_invalidating(ch->invalidates, err)))
		ch->event_id = 0;
	return err;
}

void
change_invalidates(struct change *ch, unsigned mask)
{
	ch->invalidates |= mask & GEN_ALL;
}

enum ost_err
bookkeeping_run(enum ost_err (*fn)(void *arg), void *arg)
{
	return bookkeeping_run_invalidating(0, fn, arg);
}

enum ost_err
bookkeeping_run_invalidating(unsigned mask, enum ost_err (*fn)(void *arg), void *arg)
{
	enum ost_err err = db_begin();

	if (err)
		return err;
	return finish_invalidating(mask & GEN_ALL, fn(arg));
}
