/* app.c - what the application store adds to the generic resource store:
 * app group uniqueness, the application-user guard, key rotation */
#include "store/app.h"

#include <string.h>

#include "store/db.h"

enum ost_err
store_app_group_taken(const char *group, long long id, int *taken)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_APP_GROUP_TAKEN, DB_ARGS(DB_S(group), DB_I(id)), &row);

	json_decref(row);
	*taken = err == OST_OK;
	return err == OST_ERR_NOT_FOUND ? OST_OK : err;
}

enum ost_err
store_app_users_count(long long id, long long *n)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_APP_USERS_COUNT, DB_ARGS(DB_I(id)), &row);

	*n = err ? 0 : (long long)json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	return err;
}

enum ost_err
store_app_rotate_key(long long id, long long version, const uint8_t hash[CRYPTO_SHA256_LEN],
    long long grace)
{
	unsigned long long affected = 0;
	enum ost_err err = db_exec(STMT_APP_ROTATE_KEY,
	    DB_ARGS(DB_I(grace), DB_B(hash, CRYPTO_SHA256_LEN), DB_I(id), DB_I(version)), &affected,
	    NULL);

	return err ? err : affected ? OST_OK : OST_ERR_CONFLICT;
}

enum ost_err
store_app_lock(long long id)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_APP_LOCK, DB_ARGS(DB_I(id)), &row);

	json_decref(row);
	return err;
}
