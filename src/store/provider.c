/* provider.c - the connection providers an application declares */
#include "store/provider.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"

/* Parse the settings text of ROW into its value (an empty object when it
 * cannot be read: what was written was validated JSON). */
static void
parse_settings(json_t *row)
{
	const char *text = json_string_value(json_object_get(row, "settings"));
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;

	json_object_set_new(row, "settings", json_is_object(v) ? v : json_object());
	if (v && !json_is_object(v))
		json_decref(v);
}

enum ost_err
store_provider_list(long long app_id, const char *after, unsigned limit, json_t **rows)
{
	enum ost_err err = db_rows(STMT_PROVIDER_LIST,
	    DB_ARGS(DB_I(app_id), DB_S(after), DB_I(limit)), rows);
	json_t *row;
	size_t i;

	if (!err)
		json_array_foreach(*rows, i, row)
			parse_settings(row);
	return err;
}

enum ost_err
store_provider_get(long long app_id, const char *name, json_t **row)
{
	enum ost_err err = db_row(STMT_PROVIDER_GET, DB_ARGS(DB_I(app_id), DB_S(name)), row);

	if (!err)
		parse_settings(*row);
	return err;
}

enum ost_err
store_provider_by_id(long long id, json_t **row)
{
	enum ost_err err = db_row(STMT_PROVIDER_BY_ID, DB_ARGS(DB_I(id)), row);

	if (!err)
		parse_settings(*row);
	return err;
}

enum ost_err
store_provider_count(long long app_id, long long *n)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_PROVIDER_COUNT, DB_ARGS(DB_I(app_id)), &row);

	*n = err ? 0 : json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	return err;
}

/* ICON as a statement argument: NULL when none. */
static struct db_arg
icon_arg(const char *icon)
{
	return icon ? DB_S(icon) : (struct db_arg){.type = DB_NULL};
}

enum ost_err
store_provider_insert(long long app_id, const char *name, const char *display_name,
    const char *icon, const char *type, const json_t *settings, long long *id)
{
	char *text = json_dumps(settings, JSON_COMPACT);
	unsigned long long nid = 0;
	enum ost_err err;

	if (!text)
		return OST_ERR_NOMEM;
	err = db_exec(STMT_PROVIDER_INSERT, DB_ARGS(DB_I(app_id), DB_S(name), DB_S(display_name),
	    icon_arg(icon), DB_S(type), DB_S(text)), NULL, &nid);
	free(text);
	*id = (long long)nid;
	return err;
}

enum ost_err
store_provider_update(long long id, const char *display_name, const char *icon,
    const json_t *settings, long long version)
{
	char *text = json_dumps(settings, JSON_COMPACT);
	unsigned long long n = 0;
	json_t *row = NULL;
	enum ost_err err;

	if (!text)
		return OST_ERR_NOMEM;
	err = db_exec(STMT_PROVIDER_UPDATE, DB_ARGS(DB_S(display_name), icon_arg(icon), DB_S(text),
	    DB_I(id), DB_I(version)), &n, NULL);
	free(text);
	if (err || n)
		return err;
	err = store_provider_by_id(id, &row);
	json_decref(row);
	return err ? err : OST_ERR_CONFLICT;
}

enum ost_err
store_provider_delete(long long id)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_PROVIDER_DELETE, DB_ARGS(DB_I(id)), &n, NULL);

	return err ? err : n ? OST_OK : OST_ERR_NOT_FOUND;
}

enum ost_err
store_provider_config_error(long long id, const char *why)
{
	const struct db_arg none = {.type = DB_NULL};

	return db_exec(STMT_PROVIDER_CONFIG_ERROR, DB_ARGS(why ? DB_S(why) : none,
	    why ? DB_I(1) : DB_I(0), DB_I(id)), NULL, NULL);
}

enum ost_err
store_server_var_value(long long app_id, const char *name, json_t **row)
{
	return db_row(STMT_SVAR_SEALED, DB_ARGS(DB_I(app_id), DB_S(name)), row);
}
