/* server_var.c - server variables: declared by an application, filled by an administrator */
#include "store/server_var.h"

#include <string.h>

#include "store/db.h"

enum ost_err
store_server_var_list(long long app_id, const char *after, unsigned limit, json_t **rows)
{
	enum ost_err err = db_rows(STMT_SVAR_LIST, DB_ARGS(DB_I(app_id), DB_S(after), DB_I(limit)),
	    rows);
	json_t *row;
	size_t i;

	if (!err)
		json_array_foreach(*rows, i, row)
			db_bool(row, "is_set");
	return err;
}

enum ost_err
store_server_var_get(long long app_id, const char *name, json_t **row)
{
	enum ost_err err = db_row(STMT_SVAR_GET, DB_ARGS(DB_I(app_id), DB_S(name)), row);

	if (!err)
		db_bool(*row, "is_set");
	return err;
}

enum ost_err
store_server_var_count(long long app_id, long long *n)
{
	json_t *row;
	enum ost_err err = db_row(STMT_SVAR_COUNT, DB_ARGS(DB_I(app_id)), &row);

	*n = err ? 0 : json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	return err;
}

enum ost_err
store_server_var_insert(long long app_id, const char *name, const char *description,
    int is_secret, int is_required)
{
	return db_exec(STMT_SVAR_INSERT,
	    DB_ARGS(DB_I(app_id), DB_S(name), DB_S(description), DB_I(is_secret), DB_I(is_required)),
	    NULL, NULL);
}

/* After an UPDATE that changed N rows: OK, or why not. */
static OST_MUST_CHECK enum ost_err
changed(unsigned long long n, long long app_id, const char *name)
{
	json_t *row;
	enum ost_err err;

	if (n)
		return OST_OK;
	err = store_server_var_get(app_id, name, &row);
	json_decref(row);
	return err ? err : OST_ERR_CONFLICT;
}

enum ost_err
store_server_var_update(long long app_id, const char *name, const char *description,
    int is_required, long long version)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_SVAR_UPDATE,
	    DB_ARGS(DB_S(description), DB_I(is_required), DB_I(app_id), DB_S(name), DB_I(version)),
	    &n, NULL);

	return err ? err : changed(n, app_id, name);
}

enum ost_err
store_server_var_set(long long app_id, const char *name, const char *value, const uint8_t *sealed,
    size_t len, unsigned key_id, long long version)
{
	const struct db_arg none = {.type = DB_NULL};
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_SVAR_SET_VALUE,
	    DB_ARGS(value ? DB_S(value) : none, sealed ? DB_B(sealed, len) : none,
	        sealed ? DB_I(key_id) : none, DB_I(app_id), DB_S(name), DB_I(version)),
	    &n, NULL);

	return err ? err : changed(n, app_id, name);
}

enum ost_err
store_server_var_delete(long long app_id, const char *name)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_SVAR_DELETE, DB_ARGS(DB_I(app_id), DB_S(name)), &n, NULL);

	return err ? err : n ? OST_OK : OST_ERR_NOT_FOUND;
}
