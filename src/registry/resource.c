/* resource.c - the operations on a resource described by a table: create,
 * update (with version), delete, each audited in one change */
#include "registry/resource.h"

#include <stdio.h>

#include "registry/change.h"

const struct field reg_row_fields[REG_ROW_NFIELDS] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "version", .kind = FIELD_INT},
	{.name = "created_at", .kind = FIELD_TIME},
	{.name = "updated_at", .kind = FIELD_TIME},
};

/* Derive what the table derives on ITEM (IN: what the client gave), then
 * run its cross-field rules, if any. */
static OST_MUST_CHECK enum ost_err
check_item(const struct resource *r, const json_t *in, json_t *item, struct field_error *why)
{
	enum ost_err err = r->derive ? r->derive(in, item, why) : OST_OK;

	return !err && r->check ? r->check(item, why) : err;
}

/* OST_OK when R has a row ID, else OST_ERR_NOT_FOUND (or a database error). */
static OST_MUST_CHECK enum ost_err
exists(const struct resource *r, long long id)
{
	json_t *row = NULL;
	enum ost_err err = store_resource_get(r, id, &row);

	json_decref(row);
	return err;
}

/* The audit action "TYPE.VERB" into BUF (N bytes). */
static const char *
action_of(const struct resource *r, const char *verb, char *buf, size_t n)
{
	snprintf(buf, n, "%s.%s", r->type, verb);
	return buf;
}

enum ost_err
reg_create(const struct op *op, const struct resource *r, long long parent, const json_t *in,
    json_t **row, struct field_error *why)
{
	json_t *values = json_deep_copy(in), *details = NULL;
	struct change ch;
	char action[64];
	long long id = 0;
	enum ost_err err = values ? OST_OK : OST_ERR_NOMEM;

	*row = NULL;
	if (!err && parent > 0 && r->parent)
		err = exists(r->parent, parent);
	if (!err && parent > 0 && json_object_set_new(values, r->filters[0].name,
	                              json_integer(parent)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = check_item(r, in, values, why);
	if (!err && !(details = op_without_secrets(r->fields, r->nfields, values)))
		err = OST_ERR_NOMEM;
	if (!err && !(err = change_begin(&ch, op))) {
		err = store_resource_insert(r, values, &id);
		if (!err)
			err = change_audit(&ch, action_of(r, "create", action, sizeof(action)), r->type,
			    id, details);
		if (!err)
			err = store_resource_get(r, id, row);
		err = change_end(&ch, err);
	}
	json_decref(details);
	json_decref(values);
	return err;
}

/* A copy of CURRENT with INPUT's keys over it. */
static json_t *
merged(const json_t *current, const json_t *input)
{
	json_t *m = json_deep_copy(current);

	if (m && json_object_update(m, (json_t *)input)) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* The update inside its change: *ROW as reg_update says. */
static OST_MUST_CHECK enum ost_err
update_in(struct change *ch, const struct resource *r, long long id, long long version,
    const json_t *in, json_t **row, struct field_error *why)
{
	json_t *current = NULL, *next = NULL, *details = NULL;
	char action[64];
	enum ost_err err = store_resource_get(r, id, &current);

	if (!err && json_integer_value(json_object_get(current, "version")) != version) {
		*row = json_incref(current);
		err = OST_ERR_CONFLICT;
	}
	if (!err && !(next = merged(current, in)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = check_item(r, in, next, why);
	if (!err)
		err = store_resource_update(r, id, version, next);
	if (!err && !(details = op_without_secrets(r->fields, r->nfields, in)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = change_audit(ch, action_of(r, "update", action, sizeof(action)), r->type, id,
		    details);
	if (!err)
		err = store_resource_get(r, id, row);
	json_decref(details);
	json_decref(next);
	json_decref(current);
	return err;
}

enum ost_err
reg_update_then(const struct op *op, const struct resource *r, long long id, long long version,
    const json_t *in, json_t **row, struct field_error *why,
    enum ost_err (*after)(struct change *ch, long long id, const json_t *in, const json_t *row))
{
	struct change ch;
	enum ost_err err;

	*row = NULL;
	if ((err = change_begin(&ch, op)))
		return err;
	change_invalidates(&ch, r->invalidates);
	err = update_in(&ch, r, id, version, in, row, why);
	if (!err && after && (err = after(&ch, id, in, *row))) {
		json_decref(*row);
		*row = NULL;
	}
	return change_end(&ch, err);
}

enum ost_err
reg_update(const struct op *op, const struct resource *r, long long id, long long version,
    const json_t *in, json_t **row, struct field_error *why)
{
	return reg_update_then(op, r, id, version, in, row, why, NULL);
}

enum ost_err
reg_delete(const struct op *op, const struct resource *r, long long id)
{
	struct change ch;
	char action[64];
	enum ost_err err = change_begin(&ch, op);

	if (err)
		return err;
	change_invalidates(&ch, r->invalidates);
	err = store_resource_delete(r, id);
	if (!err)
		err = change_audit(&ch, action_of(r, "delete", action, sizeof(action)), r->type, id,
		    NULL);
	return change_end(&ch, err);
}
