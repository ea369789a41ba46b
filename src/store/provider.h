/* provider.h - the connection providers an application declares */
#ifndef OST_STORE_PROVIDER_H
#define OST_STORE_PROVIDER_H

#include <jansson.h>
#include "core/err.h"

/* Rows are {id, app_id, name, display_name, icon, type, settings (the
 * type's settings, parsed), vars_set (how many of the two server variables
 * it names have a value), config_error, config_error_at, version,
 * created_at, updated_at}. */

/* store_provider_list - APP_ID's providers named after AFTER ("" from the
 * start), by name, at most LIMIT. */
enum ost_err store_provider_list(long long app_id, const char *after, unsigned limit,
    json_t **rows) OST_MUST_CHECK;

/* store_provider_get - provider NAME of APP_ID; OST_ERR_NOT_FOUND if none. */
enum ost_err store_provider_get(long long app_id, const char *name, json_t **row) OST_MUST_CHECK;

/* store_provider_by_id - provider ID; OST_ERR_NOT_FOUND if none. */
enum ost_err store_provider_by_id(long long id, json_t **row) OST_MUST_CHECK;

/* store_provider_count - how many providers APP_ID declares. */
enum ost_err store_provider_count(long long app_id, long long *n) OST_MUST_CHECK;

/* store_provider_insert - a new provider; *ID gets its id. OST_ERR_CONFLICT
 * when APP_ID has one named NAME. SETTINGS is the type's settings. */
enum ost_err store_provider_insert(long long app_id, const char *name, const char *display_name,
    const char *icon, const char *type, const json_t *settings, long long *id) OST_MUST_CHECK;

/* store_provider_update - write over provider ID if it still has VERSION:
 * OST_ERR_CONFLICT when it has moved on, OST_ERR_NOT_FOUND when gone. The
 * configuration error noted on it is cleared: the new settings may mend it. */
enum ost_err store_provider_update(long long id, const char *display_name, const char *icon,
    const json_t *settings, long long version) OST_MUST_CHECK;

/* store_provider_delete - OST_ERR_NOT_FOUND when absent. */
enum ost_err store_provider_delete(long long id) OST_MUST_CHECK;

/* store_provider_config_error - note (WHY) or clear (NULL) that provider ID
 * refused its client: its configuration is at fault. */
enum ost_err store_provider_config_error(long long id, const char *why) OST_MUST_CHECK;

/* store_server_var_value - the value of server variable NAME of APP_ID:
 * *ROW gets {value (clear, or null), sealed (hex of the ciphertext, or
 * null), key_id, is_secret}. OST_ERR_NOT_FOUND when not declared. */
enum ost_err store_server_var_value(long long app_id, const char *name, json_t **row)
    OST_MUST_CHECK;

#endif
