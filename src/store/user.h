/* user.h - people: console administrators and, later, application users */
#ifndef OST_STORE_USER_H
#define OST_STORE_USER_H

#include <jansson.h>
#include "core/err.h"

/* store_user_by_email - *ROW gets {id, email, first_name, last_name, enabled,
 * roles ("A,B" or null), password_hash} of the person with EMAIL (compared
 * case-insensitively); OST_ERR_NOT_FOUND when there is none. */
enum ost_err store_user_by_email(const char *email, json_t **row) OST_MUST_CHECK;
/* The 64 hex digits (and NUL) in OUT that every spelling of EMAIL the
 * users.email column finds equal shares. */
enum ost_err store_email_fold(const char *email, char out[65]) OST_MUST_CHECK;

/* store_user_insert - a new person with the PHC password hash (may be
 * NULL), inside the caller's change; *ID gets the new id. OST_ERR_CONFLICT
 * when the email is taken. */
enum ost_err store_user_insert(const char *email, const char *first_name,
    const char *last_name, const char *password_hash, long long *id) OST_MUST_CHECK;

#endif
