/* resource.c - the generic store of a resource described by a table */
#include "store/resource.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"

#define RESOURCE_ARGS_MAX 32 /* an application's insert binds 23 */

enum ost_err
store_bind_json(const json_t *v, struct db_arg *arg, char **owned)
{
	*owned = NULL;
	if (!v) {
		*arg = (struct db_arg){.type = DB_NULL};
		return OST_OK;
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		*arg = DB_SN(json_string_value(v), json_string_length(v));
		return OST_OK;
	case JSON_INTEGER:
		*arg = DB_I(json_integer_value(v));
		return OST_OK;
	case JSON_TRUE:
	case JSON_FALSE:
		*arg = DB_I(json_is_true(v));
		return OST_OK;
	case JSON_ARRAY:
	case JSON_OBJECT:
		if (!(*owned = json_dumps(v, JSON_COMPACT)))
			return OST_ERR_NOMEM;
		*arg = DB_S(*owned);
		return OST_OK;
	default:
		*arg = (struct db_arg){.type = DB_NULL};
		return OST_OK;
	}
}

void
store_parse_json_columns(const struct resource *r, json_t *row)
{
	json_t *parsed;
	const char *text;
	size_t i;

	for (i = 0; i < r->nfields; i++) {
		if (r->fields[i].kind != FIELD_STRINGS && r->fields[i].kind != FIELD_OBJECT)
			continue;
		text = json_string_value(json_object_get(row, r->fields[i].name));
		if (!text)
			continue;
		parsed = json_loads(text, 0, NULL);
		json_object_set_new(row, r->fields[i].name, parsed ? parsed
		    : r->fields[i].kind == FIELD_OBJECT ? json_object() : json_array());
	}
}

char *
store_like_pattern(const char *s)
{
	size_t len = strlen(s), o = 0, k;
	char *pat = malloc(2 * len + 3);

	if (!pat)
		return NULL;
	pat[o++] = '%';
	for (k = 0; k < len; k++) { /* LIKE's own characters match themselves */
		if (s[k] == '%' || s[k] == '_' || s[k] == '\\')
			pat[o++] = '\\';
		pat[o++] = s[k];
	}
	pat[o++] = '%';
	pat[o] = '\0';
	return pat;
}

/* Bind the values of COLS from VALUES into ARGS from *N on. */
static OST_MUST_CHECK enum ost_err
bind_cols(const char *const *cols, const json_t *values, struct db_arg *args, char **owned,
    size_t *n)
{
	enum ost_err err;

	for (; cols && *cols; cols++, (*n)++) {
		if (*n >= RESOURCE_ARGS_MAX)
			return OST_ERR_INTERNAL;
		if ((err = store_bind_json(json_object_get(values, *cols), &args[*n], &owned[*n])))
			return err;
	}
	return OST_OK;
}

static void
free_owned(char **owned, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(owned[i]);
}

enum ost_err
store_resource_list(const struct resource *r, const json_t *filters, long long after,
    unsigned limit, json_t **rows)
{
	struct db_arg args[RESOURCE_ARGS_MAX];
	char *owned[RESOURCE_ARGS_MAX] = {0};
	size_t n = 0, i;
	enum ost_err err;
	json_t *row;

	if (2 + 2 * r->nfilters > RESOURCE_ARGS_MAX)
		return OST_ERR_INTERNAL;
	args[n++] = DB_I(after);
	for (i = 0; i < r->nfilters; i++) {
		const json_t *v = json_object_get(filters, r->filters[i].name);
		const char *s = json_string_value(v);
		if (r->filters[i].kind == FILTER_CONTAINS) {
			if (!(owned[n + 1] = store_like_pattern(s ? s : ""))) {
				free_owned(owned, n);
				return OST_ERR_NOMEM;
			}
			args[n] = DB_S(s ? s : "");
			args[n + 1] = DB_S(owned[n + 1]);
		} else {
			long long x = json_is_integer(v) ? json_integer_value(v)
			    : r->filters[i].kind == FILTER_BOOL ? -1 : 0;
			args[n] = DB_I(x);
			args[n + 1] = DB_I(x);
		}
		n += 2;
	}
	args[n++] = DB_I(limit);
	err = db_rows(r->list, args, n, rows);
	free_owned(owned, n);
	if (!err)
		json_array_foreach(*rows, i, row)
			store_parse_json_columns(r, row);
	return err;
}

enum ost_err
store_resource_get(const struct resource *r, long long id, json_t **row)
{
	enum ost_err err = db_row(r->get, DB_ARGS(DB_I(id)), row);

	if (!err)
		store_parse_json_columns(r, *row);
	return err;
}

enum ost_err
store_resource_insert(const struct resource *r, const json_t *values, long long *id)
{
	struct db_arg args[RESOURCE_ARGS_MAX];
	char *owned[RESOURCE_ARGS_MAX] = {0};
	unsigned long long nid = 0;
	size_t n = 0;
	enum ost_err err = bind_cols(r->insert_cols, values, args, owned, &n);

	if (!err)
		err = db_exec(r->insert, args, n, NULL, &nid);
	free_owned(owned, n);
	if (!err)
		*id = (long long)nid;
	return err;
}

enum ost_err
store_resource_update(const struct resource *r, long long id, long long version,
    const json_t *values)
{
	struct db_arg args[RESOURCE_ARGS_MAX];
	char *owned[RESOURCE_ARGS_MAX] = {0};
	unsigned long long affected = 0;
	size_t n = 0;
	json_t *row;
	enum ost_err err = bind_cols(r->update_cols, values, args, owned, &n);

	if (!err && n + 2 > RESOURCE_ARGS_MAX)
		err = OST_ERR_INTERNAL;
	if (!err) {
		args[n++] = DB_I(id);
		args[n++] = DB_I(version);
		err = db_exec(r->update, args, n, &affected, NULL);
	}
	free_owned(owned, n);
	if (err || affected)
		return err;
	/* nothing written: the row is gone, or another change came first */
	err = db_row(r->get, DB_ARGS(DB_I(id)), &row);
	json_decref(row);
	return err ? err : OST_ERR_CONFLICT;
}

enum ost_err
store_resource_delete(const struct resource *r, long long id)
{
	unsigned long long affected = 0;
	enum ost_err err = db_exec(r->del, DB_ARGS(DB_I(id)), &affected, NULL);

	return err ? err : affected ? OST_OK : OST_ERR_NOT_FOUND;
}
