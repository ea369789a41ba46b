/* server_var.h - server variables: declared by an application, filled by an administrator */
#ifndef OST_STORE_SERVER_VAR_H
#define OST_STORE_SERVER_VAR_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

/* Rows are {name, description, is_secret, is_required, value (null when
 * secret), is_set, version, created_at, updated_at}: a secret value is
 * never read back through them. */

/* store_server_var_list - APP_ID's variables named after AFTER ("" from the
 * start), by name, at most LIMIT. */
enum ost_err store_server_var_list(long long app_id, const char *after, unsigned limit,
    json_t **rows) OST_MUST_CHECK;

/* store_server_var_get - variable NAME of APP_ID; OST_ERR_NOT_FOUND if none. */
enum ost_err store_server_var_get(long long app_id, const char *name, json_t **row) OST_MUST_CHECK;

/* store_server_var_count - how many variables APP_ID declares, as
 * committed now (a locking read: inside a change, after store_app_lock). */
enum ost_err store_server_var_count(long long app_id, long long *n) OST_MUST_CHECK;

/* store_server_var_insert - declare NAME; OST_ERR_CONFLICT when it exists. */
enum ost_err store_server_var_insert(long long app_id, const char *name, const char *description,
    int is_secret, int is_required) OST_MUST_CHECK;

/* store_server_var_update - change the declaration if it still has VERSION. */
enum ost_err store_server_var_update(long long app_id, const char *name, const char *description,
    int is_required, long long version) OST_MUST_CHECK;

/* store_server_var_set - store a clear VALUE (NULL: none) or a sealed one
 * (SEALED of N bytes under KEY_ID; NULL: none), if it still has VERSION.
 * OST_ERR_CONFLICT when it has moved on, OST_ERR_NOT_FOUND when absent. */
enum ost_err store_server_var_set(long long app_id, const char *name, const char *value,
    const uint8_t *sealed, size_t n, unsigned key_id, long long version) OST_MUST_CHECK;

/* store_server_var_delete - OST_ERR_NOT_FOUND when absent. */
enum ost_err store_server_var_delete(long long app_id, const char *name) OST_MUST_CHECK;

#endif
