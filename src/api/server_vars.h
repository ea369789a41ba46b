/* server_vars.h - server variables of an application, for the API and the console */
#ifndef OST_API_SERVER_VARS_H
#define OST_API_SERVER_VARS_H

#include "api/common.h"

#define SERVER_VARS_MAX 200   /* variables one application may declare */
#define SERVER_VAR_VALUE_MAX 4096

/* The fields of a declaration, for the console's form. */
#define SERVER_VARS_DECLARE_NFIELDS 4
extern const struct field server_vars_declare_fields[SERVER_VARS_DECLARE_NFIELDS];

/* server_vars_do_declare - declare the variable of the request body {name,
 * description, is_secret, is_required} for APP_ID; audited. *ROW gets it. */
enum ost_err server_vars_do_declare(struct ctx *c, long long app_id, json_t **row,
    struct field_error *ferr);

/* server_vars_do_update - change {description, is_required} of NAME if it
 * still has VERSION (else OST_ERR_CONFLICT); audited. */
enum ost_err server_vars_do_update(struct ctx *c, long long app_id, const char *name,
    long long version, json_t **row, struct field_error *ferr);

/* server_vars_do_set - set the {value} of NAME (null clears it) if it still
 * has VERSION; a secret value is sealed with AES-256-GCM under the newest
 * key and never written anywhere in clear; audited without the value. */
enum ost_err server_vars_do_set(struct ctx *c, long long app_id, const char *name,
    long long version, json_t **row, struct field_error *ferr);

/* server_vars_do_delete - remove NAME; audited. */
enum ost_err server_vars_do_delete(struct ctx *c, long long app_id, const char *name);

#endif
