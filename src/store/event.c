/* event.c - the store of events to applications: endpoints (sealed
 * secrets, failing and disabled state), the outbox, leases and attempts */
#include "store/event.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"

/* A DB_STR of S, or NULL when S is NULL. */
static struct db_arg
str_or_null(const char *s)
{
	return s ? DB_S(s) : (struct db_arg){.type = DB_NULL};
}

enum ost_err
store_event_target(long long app, json_t **row)
{
	enum ost_err err = db_row(STMT_EVENT_TARGET, DB_ARGS(DB_I(app)), row);

	if (!err)
		db_bool(*row, "has_secret");
	return err;
}

enum ost_err
store_event_company(long long id, json_t **row)
{
	return db_row(STMT_COMPANY_GET, DB_ARGS(DB_I(id)), row);
}

enum ost_err
store_event_insert(long long app, const char *webhook_id, const char *type, long long company_id,
    const char *company, const char *data, long long *id)
{
	unsigned long long new_id = 0;
	enum ost_err err = db_exec(STMT_EVENT_INSERT,
	    DB_ARGS(DB_I(app), DB_S(webhook_id), DB_S(type),
	        company_id > 0 ? DB_I(company_id) : (struct db_arg){.type = DB_NULL},
	        str_or_null(company), DB_S(data)),
	    NULL, &new_id);

	*id = (long long)new_id;
	return err;
}

enum ost_err
store_event_endpoint_rotate(long long app, const uint8_t *sealed, size_t n, unsigned key_id,
    long long grace)
{
	return db_exec(STMT_EVENT_ENDPOINT_ROTATE,
	    DB_ARGS(DB_I(app), DB_B(sealed, n), DB_I(key_id), DB_I(grace), DB_I(grace), DB_I(grace),
	        DB_I(grace)),
	    NULL, NULL);
}

enum ost_err
store_event_endpoint_state(long long app, json_t **row)
{
	return db_row(STMT_EVENT_ENDPOINT_STATE, DB_ARGS(DB_I(app)), row);
}

enum ost_err
store_event_endpoint_secrets(long long app, json_t **row)
{
	return db_row(STMT_EVENT_ENDPOINT_SECRETS, DB_ARGS(DB_I(app)), row);
}

enum ost_err
store_event_endpoint_lock(long long app)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_EVENT_ENDPOINT_LOCK, DB_ARGS(DB_I(app)), &row);

	json_decref(row);
	return err;
}

enum ost_err
store_event_endpoint_enable(long long app, int *changed)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_EVENT_ENDPOINT_ENABLE, DB_ARGS(DB_I(app)), &n, NULL);

	if (changed)
		*changed = n > 0;
	return err;
}

enum ost_err
store_event_endpoint_health(long long app, int ok)
{
	return db_exec(ok ? STMT_EVENT_ENDPOINT_OK : STMT_EVENT_ENDPOINT_FAILING, DB_ARGS(DB_I(app)),
	    NULL, NULL);
}

enum ost_err
store_event_endpoint_due_disable(long long app, long long seconds, json_t **row)
{
	return db_row(STMT_EVENT_ENDPOINT_DUE_DISABLE, DB_ARGS(DB_I(app), DB_I(seconds)), row);
}

enum ost_err
store_event_endpoint_disable(long long app, long long *failed)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_EVENT_ENDPOINT_DISABLE, DB_ARGS(DB_I(app)), NULL, NULL);

	if (!err)
		err = db_exec(STMT_EVENT_FAIL_PENDING, DB_ARGS(DB_I(app)), &n, NULL);
	*failed = (long long)n;
	return err;
}

enum ost_err
store_event_read_committed(void)
{
	return db_exec(STMT_EVENT_READ_COMMITTED, DB_NOARGS, NULL, NULL);
}

enum ost_err
store_event_due_apps(unsigned limit, json_t **rows)
{
	return db_rows(STMT_EVENT_DUE_APPS, DB_ARGS(DB_I(limit)), rows);
}

enum ost_err
store_event_endpoint_claim(long long app, int *got)
{
	json_t *rows = NULL;
	enum ost_err err = db_rows(STMT_EVENT_ENDPOINT_CLAIM, DB_ARGS(DB_I(app)), &rows);

	*got = !err && json_array_size(rows) > 0;
	json_decref(rows);
	return err;
}

enum ost_err
store_event_in_flight(long long app, long long *n)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_EVENT_IN_FLIGHT, DB_ARGS(DB_I(app)), &row);

	*n = err ? 0 : json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	return err;
}

enum ost_err
store_event_due_of_app(long long app, unsigned limit, json_t **rows)
{
	return db_rows(STMT_EVENT_DUE_OF_APP, DB_ARGS(DB_I(app), DB_I(limit)), rows);
}

enum ost_err
store_event_lease(long long id, const char *token, const char *by, unsigned seconds)
{
	return db_exec(STMT_EVENT_LEASE, DB_ARGS(DB_S(token), DB_S(by), DB_I(seconds), DB_I(id)),
	    NULL, NULL);
}

enum ost_err
store_event_leased(long long id, const char *token, json_t **row)
{
	return db_row(STMT_EVENT_LEASED_GET, DB_ARGS(DB_I(id), DB_S(token)), row);
}

enum ost_err
store_event_record(long long id, const char *token, const struct event_outcome *o, int *lost)
{
	struct db_arg status = o->status > 0 ? DB_I(o->status) : (struct db_arg){.type = DB_NULL};
	unsigned long long n = 0;
	enum ost_err err = store_event_endpoint_health(o->app, o->what == EVENT_SUCCEEDED);

	if (!err && o->what == EVENT_SUCCEEDED)
		err = db_exec(STMT_EVENT_SUCCEEDED, DB_ARGS(status, DB_I(id), DB_S(token)), &n, NULL);
	else if (!err && o->what == EVENT_RETRY)
		err = db_exec(STMT_EVENT_RETRY, DB_ARGS(DB_I(o->retry_ms), status,
		    str_or_null(o->error), DB_I(id), DB_S(token)), &n, NULL);
	else if (!err)
		err = db_exec(STMT_EVENT_GAVE_UP, DB_ARGS(status, str_or_null(o->error), DB_I(id),
		    DB_S(token)), &n, NULL);
	*lost = n == 0;
	if (!err)
		err = db_exec(STMT_EVENT_ATTEMPT_INSERT, DB_ARGS(DB_I(id), DB_I(o->duration_ms),
		    DB_I(o->duration_ms), status, str_or_null(o->error), str_or_null(o->response),
		    DB_S(o->dispatcher), DB_I(*lost)), NULL, NULL);
	return err;
}

enum ost_err
store_event_release(long long id, const char *token)
{
	return db_exec(STMT_EVENT_RELEASE, DB_ARGS(DB_I(id), DB_S(token)), NULL, NULL);
}

enum ost_err
store_event_purge(long long seconds, long long *n)
{
	unsigned long long a = 0, b = 0;
	enum ost_err err = db_exec(STMT_EVENT_PURGE_ATTEMPTS, DB_ARGS(DB_I(seconds)), &a, NULL);

	if (!err)
		err = db_exec(STMT_EVENT_PURGE_EVENTS, DB_ARGS(DB_I(seconds)), &b, NULL);
	*n = (long long)(a + b);
	return err;
}

enum ost_err
store_event_oldest_pending(long long *age)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_EVENT_OLDEST_PENDING, DB_NOARGS, &row);

	*age = -1;
	if (err == OST_ERR_NOT_FOUND)
		return OST_OK;
	if (!err)
		*age = json_integer_value(json_object_get(row, "age"));
	json_decref(row);
	return err;
}

/* Replace the JSON text at "data" of each row in ROWS by its value. */
static void
parse_data(json_t *rows)
{
	json_t *row, *v;
	size_t i;

	json_array_foreach(rows, i, row) {
		v = json_loads(json_string_value(json_object_get(row, "data")), 0, NULL);
		json_object_set_new(row, "data", v ? v : json_object());
	}
}

enum ost_err
store_event_list(long long app, long long before, const struct event_filter *f, unsigned limit,
    json_t **rows)
{
	enum ost_err err = db_rows(STMT_EVENT_LIST,
	    DB_ARGS(DB_I(app), DB_I(before), DB_I(before), DB_S(f->type), DB_S(f->type),
	        DB_S(f->status), DB_S(f->status), DB_S(f->since), DB_S(f->since), DB_S(f->until),
	        DB_S(f->until), DB_I(limit)),
	    rows);

	if (!err)
		parse_data(*rows);
	return err;
}

enum ost_err
store_event_get(long long app, long long id, json_t **row)
{
	json_t *rows = NULL;
	enum ost_err err = db_rows(STMT_EVENT_GET, DB_ARGS(DB_I(app), DB_I(id)), &rows);

	*row = NULL;
	if (!err && json_array_size(rows) == 0)
		err = OST_ERR_NOT_FOUND;
	if (!err) {
		parse_data(rows);
		*row = json_incref(json_array_get(rows, 0));
	}
	json_decref(rows);
	return err;
}

enum ost_err
store_event_attempts(long long id, unsigned limit, json_t **rows)
{
	json_t *row;
	size_t i;
	enum ost_err err = db_rows(STMT_EVENT_ATTEMPTS, DB_ARGS(DB_I(id), DB_I(limit)), rows);

	if (!err)
		json_array_foreach(*rows, i, row)
			db_bool(row, "lease_lost");
	return err;
}

enum ost_err
store_event_resend(long long app, long long id)
{
	return db_exec(STMT_EVENT_RESEND, DB_ARGS(DB_I(app), DB_I(id)), NULL, NULL);
}
