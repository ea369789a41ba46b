/* user.c - people: console administrators and, later, application users */
#include "store/user.h"

#include <string.h>

#include "store/db.h"

enum ost_err
store_user_by_email(const char *email, json_t **row)
{
	return db_row(STMT_USER_BY_EMAIL, DB_ARGS(DB_S(email)), row);
}

enum ost_err
store_email_fold(const char *email, char out[65])
{
	json_t *row = NULL;
	const char *fold;
	enum ost_err err = db_row(STMT_EMAIL_FOLD, DB_ARGS(DB_S(email)), &row);

	if (err)
		return err == OST_ERR_NOT_FOUND ? OST_ERR_INTERNAL : err;
	fold = json_string_value(json_object_get(row, "fold"));
	if (!fold || strlen(fold) != 64)
		err = OST_ERR_INTERNAL;
	else
		memcpy(out, fold, 65);
	json_decref(row);
	return err;
}

enum ost_err
store_user_insert(const char *email, const char *first_name, const char *last_name,
    const char *password_hash, long long *id)
{
	unsigned long long uid = 0;
	struct db_arg hash = password_hash ? DB_S(password_hash) : (struct db_arg){.type = DB_NULL};
	enum ost_err err = db_exec(STMT_USER_INSERT,
	    DB_ARGS(DB_S(email), DB_S(first_name), DB_S(last_name), hash), NULL, &uid);

	if (!err)
		*id = (long long)uid;
	return err;
}

