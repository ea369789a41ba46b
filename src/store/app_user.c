/* app_user.c - people attached to an application, each enabled or disabled */
#include "store/app_user.h"

#include <string.h>

#include "store/db.h"

enum ost_err
store_app_exists(long long app_id)
{
	json_t *row;
	enum ost_err err = db_row(STMT_APP_EXISTS, DB_ARGS(DB_I(app_id)), &row);

	json_decref(row);
	return err;
}

enum ost_err
store_app_user_list(long long app_id, long long after, int enabled, const char *email,
    const char *email_like, unsigned limit, json_t **rows)
{
	return db_rows(STMT_APP_USER_LIST,
	    DB_ARGS(DB_I(app_id), DB_I(after), DB_I(enabled), DB_I(enabled), DB_S(email),
	        DB_S(email_like), DB_I(limit)),
	    rows);
}

enum ost_err
store_app_user_get(long long app_id, long long user_id, json_t **row)
{
	return db_row(STMT_APP_USER_GET, DB_ARGS(DB_I(app_id), DB_I(user_id)), row);
}

enum ost_err
store_app_user_add(long long app_id, long long user_id)
{
	return db_exec(STMT_APP_USER_INSERT, DB_ARGS(DB_I(app_id), DB_I(user_id)), NULL, NULL);
}

enum ost_err
store_app_user_set_enabled(long long app_id, long long user_id, int enabled, long long version)
{
	unsigned long long n = 0;
	json_t *row;
	enum ost_err err = db_exec(STMT_APP_USER_SET_ENABLED,
	    DB_ARGS(DB_I(enabled), DB_I(app_id), DB_I(user_id), DB_I(version)), &n, NULL);

	if (err || n)
		return err;
	err = store_app_user_get(app_id, user_id, &row);
	json_decref(row);
	return err ? err : OST_ERR_CONFLICT;
}

enum ost_err
store_app_user_remove(long long app_id, long long user_id)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_APP_USER_DELETE, DB_ARGS(DB_I(app_id), DB_I(user_id)), &n,
	    NULL);

	return err ? err : n ? OST_OK : OST_ERR_NOT_FOUND;
}
