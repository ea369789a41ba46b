/* app_users.h - people attached to an application: added (a new person
 * created on the way), enabled or disabled, removed */
#ifndef OST_REGISTRY_APP_USERS_H
#define OST_REGISTRY_APP_USERS_H

#include "registry/op.h"

/* An addition: email, first_name, last_name, password,
 * password_confirmation (the last two for a new person only). */
extern const struct field_table reg_app_user_body;
/* A change of state: enabled (required). */
extern const struct field_table reg_app_user_enable_body;
/* What a row holds: the person's id, email, first_name, last_name; enabled,
 * version, created_at, updated_at. */
extern const struct field_table reg_app_user_row;

/* reg_app_user_add - attach the person of IN (reg_app_user_body) to APP_ID:
 * an existing person by email, or a new one (the password given twice
 * alike) created in the same change; audited. *ROW gets the app user row.
 * OST_ERR_INVALID with FERR, OST_ERR_NOT_FOUND (no application),
 * OST_ERR_CONFLICT (already attached). */
enum ost_err reg_app_user_add(const struct op *op, long long app_id, const json_t *in,
    json_t **row, struct field_error *ferr) OST_MUST_CHECK;

/* reg_app_user_set_enabled - IN's enabled for USER_ID if the row still has
 * VERSION (else OST_ERR_CONFLICT); audited. *ROW gets the row. */
enum ost_err reg_app_user_set_enabled(const struct op *op, long long app_id, long long user_id,
    long long version, const json_t *in, json_t **row) OST_MUST_CHECK;

/* reg_app_user_remove - detach USER_ID from APP_ID, and in the same change
 * end what they allowed it (OAuth grants and tokens revoked, codes not yet
 * redeemed and their consent deleted), so that being added again brings
 * none of it back; audited with the number of tokens revoked. */
enum ost_err reg_app_user_remove(const struct op *op, long long app_id, long long user_id)
    OST_MUST_CHECK;

#endif
