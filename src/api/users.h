/* users.h - the people resource (/api/v1/users), for the API and the console */
#ifndef OST_API_USERS_H
#define OST_API_USERS_H

#include "http/routes.h"
#include "store/resource.h"

/* Fields: email, first_name, last_name, password (write-only; null or absent
 * leaves it as it is), enabled, roles (a list of console role names). The
 * rows carry roles as a list and never the password or its hash. */
extern const struct resource users_resource;

/* The operations under the API handlers, shared with the console. Each
 * validates the request body, applies the role rules, writes and audits
 * (never the password) in one transaction. When the change is refused the
 * result is OST_ERR_INVALID (400), OST_ERR_FORBIDDEN (403) or
 * OST_ERR_CONFLICT (409) with WHY naming the field (field may be NULL) and
 * saying why; other errors leave WHY alone.
 *
 * users_do_create - a new person (password hashed with Argon2id); *ROW
 * gets it. Only a SUPER_ADMINISTRATOR may give roles. */
enum ost_err users_do_create(struct ctx *c, json_t **row, struct field_error *why);

/* users_do_update - merge the body over person ID if it still has VERSION;
 * *ROW gets the person written, or the current one when the version is
 * stale (OST_ERR_CONFLICT, WHY naming "version"). Only a
 * SUPER_ADMINISTRATOR changes roles or changes a SUPER_ADMINISTRATOR;
 * nobody removes their own SUPER_ADMINISTRATOR role. */
enum ost_err users_do_update(struct ctx *c, long long id, long long version, json_t **row,
    struct field_error *why);

/* users_do_delete - delete person ID, unless it is the caller (409), or a
 * SUPER_ADMINISTRATOR and the caller is not (403). */
enum ost_err users_do_delete(struct ctx *c, long long id, struct field_error *why);

#endif
