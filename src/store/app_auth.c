/* app_auth.c - what checking an application's API credentials reads: one row */
#include "store/app_auth.h"

#include <string.h>

#include "store/db.h"

enum ost_err
store_app_auth_lookup(const char *public_id, long long company_id, json_t **row)
{
	return db_row(STMT_APP_AUTH_LOOKUP, DB_ARGS(DB_I(company_id), DB_S(public_id)), row);
}

enum ost_err
store_app_auth_failures(const char *id_bucket, const char *addr_bucket, unsigned window,
    json_t **row)
{
	return db_row(STMT_APP_AUTH_FAILURES,
	    DB_ARGS(DB_S(id_bucket), DB_I(window), DB_I(window), DB_S(id_bucket), DB_I(window),
	        DB_S(addr_bucket), DB_I(window), DB_I(window), DB_S(addr_bucket), DB_I(window)),
	    row);
}

enum ost_err
store_app_origin_known(const char *origin, const char *host, int *known)
{
	json_t *row = NULL;
	enum ost_err err;

	*known = 0;
	err = db_row(STMT_APP_ORIGIN_KNOWN,
	    DB_ARGS(DB_S(origin), DB_S(host), DB_S(host), DB_S(origin)), &row);
	if (err == OST_ERR_NOT_FOUND)
		return OST_OK;
	if (err)
		return err;
	*known = 1;
	json_decref(row);
	return OST_OK;
}
