/* server_vars.h - an application's server variables: declared by the
 * application, filled by an administrator; secret values write-only */
#ifndef OST_REGISTRY_SERVER_VARS_H
#define OST_REGISTRY_SERVER_VARS_H

#include "registry/op.h"

#define SERVER_VARS_MAX 200 /* variables one application may declare */
#define SERVER_VAR_VALUE_MAX 4096

/* A declaration: name ([A-Z][A-Z0-9_]*, up to 64), description, is_secret,
 * is_required. */
extern const struct field_table reg_svar_declare_body;
/* A change of the declaration: description, is_required. */
extern const struct field_table reg_svar_update_body;
/* A value: value (text up to SERVER_VAR_VALUE_MAX, or null to clear). */
extern const struct field_table reg_svar_value_body;
/* What a row holds: name, description, is_secret, is_required, value (null
 * for a secret one), is_set, version, created_at, updated_at. */
extern const struct field_table reg_svar_row;

/* Each operation writes and audits (never a value) in one change; *ROW
 * gets the variable's row (a secret one without its value).
 *
 * reg_svar_declare - declare IN for APP_ID. OST_ERR_INVALID with FERR past
 * SERVER_VARS_MAX, OST_ERR_NOT_FOUND (no application), OST_ERR_CONFLICT
 * (the name is declared). */
enum ost_err reg_svar_declare(const struct op *op, long long app_id, const json_t *in,
    json_t **row, struct field_error *ferr) OST_MUST_CHECK;

/* reg_svar_update - change the declaration NAME if it still has VERSION
 * (else OST_ERR_CONFLICT). */
enum ost_err reg_svar_update(const struct op *op, long long app_id, const char *name,
    long long version, const json_t *in, json_t **row) OST_MUST_CHECK;

/* reg_svar_set - set the value of NAME (sealed when secret) if it still
 * has VERSION (else OST_ERR_CONFLICT). */
enum ost_err reg_svar_set(const struct op *op, long long app_id, const char *name,
    long long version, const json_t *in, json_t **row) OST_MUST_CHECK;

/* reg_svar_delete - remove the declaration NAME and its value. */
enum ost_err reg_svar_delete(const struct op *op, long long app_id, const char *name)
    OST_MUST_CHECK;

#endif
