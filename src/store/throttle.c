/* throttle.c - failure counters per account or address, over a time window */
#include "store/throttle.h"

#include <string.h>

#include "store/db.h"

enum ost_err
store_throttle_count(const char *bucket, unsigned window, unsigned *failures,
    unsigned *retry_after)
{
	json_t *row;
	json_int_t retry;
	enum ost_err err;

	*failures = 0;
	*retry_after = 0;
	err = db_row(STMT_THROTTLE_COUNT, DB_ARGS(DB_I(window), DB_S(bucket), DB_I(window)), &row);
	if (err == OST_ERR_NOT_FOUND)
		return OST_OK;
	if (err)
		return err;
	*failures = (unsigned)json_integer_value(json_object_get(row, "failures"));
	retry = json_integer_value(json_object_get(row, "retry_after"));
	*retry_after = retry > 0 ? (unsigned)retry : 1;
	json_decref(row);
	return OST_OK;
}

enum ost_err
store_throttle_fail(const char *bucket, unsigned window)
{
	return db_exec(STMT_THROTTLE_FAIL, DB_ARGS(DB_S(bucket), DB_I(window)), NULL, NULL);
}

enum ost_err
store_throttle_clear(const char *bucket)
{
	return db_exec(STMT_THROTTLE_CLEAR, DB_ARGS(DB_S(bucket)), NULL, NULL);
}

enum ost_err
store_throttle_take(const char *bucket, unsigned window, unsigned limit, int *taken)
{
	unsigned long long changed = 0;
	enum ost_err err = db_exec(STMT_THROTTLE_TAKE,
	    DB_ARGS(DB_S(bucket), DB_I(window), DB_I(limit), DB_I(window)), &changed, NULL);

	/* 1: a new row, 2: a row counted up or restarted, 0: full (unchanged) */
	*taken = !err && changed > 0;
	return err;
}

enum ost_err
store_throttle_give_back(const char *bucket)
{
	return db_exec(STMT_THROTTLE_GIVE_BACK, DB_ARGS(DB_S(bucket)), NULL, NULL);
}
