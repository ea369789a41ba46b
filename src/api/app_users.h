/* app_users.h - the operations on an application's users, for the API and the console */
#ifndef OST_API_APP_USERS_H
#define OST_API_APP_USERS_H

#include "api/common.h"

/* The fields of an addition, for the console's form. */
#define APP_USERS_ADD_NFIELDS 5
extern const struct field app_users_add_fields[APP_USERS_ADD_NFIELDS];

/* app_users_do_add - attach the person of the request body {email,
 * first_name, last_name, password, password_confirmation} to APP_ID: an
 * existing person by email, or a new one (the password given twice alike)
 * created in the same transaction; audited. *ROW gets the app user row.
 * OST_ERR_INVALID with FERR, OST_ERR_NOT_FOUND (no app), OST_ERR_CONFLICT
 * (already attached). */
enum ost_err app_users_do_add(struct ctx *c, long long app_id, json_t **row,
    struct field_error *ferr);

/* app_users_do_set_enabled - {enabled} of the request body for USER_ID if
 * the row still has VERSION (else OST_ERR_CONFLICT); audited. */
enum ost_err app_users_do_set_enabled(struct ctx *c, long long app_id, long long user_id,
    long long version, json_t **row, struct field_error *ferr);

/* app_users_do_remove - detach USER_ID from APP_ID; audited. */
enum ost_err app_users_do_remove(struct ctx *c, long long app_id, long long user_id);

#endif
