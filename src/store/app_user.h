/* app_user.h - people attached to an application, each enabled or disabled */
#ifndef OST_STORE_APP_USER_H
#define OST_STORE_APP_USER_H

#include <jansson.h>
#include "core/err.h"

/* store_app_exists - OST_OK when application APP_ID exists, else OST_ERR_NOT_FOUND. */
enum ost_err store_app_exists(long long app_id) OST_MUST_CHECK;

/* store_app_user_list - APP_ID's users after person id AFTER, at most LIMIT,
 * ENABLED -1 (any), 0 or 1, EMAIL_LIKE a LIKE pattern ("" for any): rows
 * {id (the person's), email, first_name, last_name, enabled, version,
 * created_at, updated_at}. */
enum ost_err store_app_user_list(long long app_id, long long after, int enabled,
    const char *email, const char *email_like, unsigned limit, json_t **rows) OST_MUST_CHECK;

/* store_app_user_get - the row of person USER_ID in APP_ID's users. */
enum ost_err store_app_user_get(long long app_id, long long user_id, json_t **row) OST_MUST_CHECK;

/* store_app_user_add - attach person USER_ID; OST_ERR_CONFLICT when attached. */
enum ost_err store_app_user_add(long long app_id, long long user_id) OST_MUST_CHECK;

/* store_app_user_set_enabled - enable or disable if the row still has
 * VERSION: OST_ERR_CONFLICT when it has moved on, OST_ERR_NOT_FOUND when gone. */
enum ost_err store_app_user_set_enabled(long long app_id, long long user_id, int enabled,
    long long version) OST_MUST_CHECK;

/* store_app_user_remove - detach; OST_ERR_NOT_FOUND when not attached. */
enum ost_err store_app_user_remove(long long app_id, long long user_id) OST_MUST_CHECK;

#endif
