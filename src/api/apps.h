/* apps.h - applications: the identity sheet resource, its API credentials,
 * and the operations the API and the console share */
#ifndef OST_API_APPS_H
#define OST_API_APPS_H

#include "api/resource.h"

#define APP_PUBLIC_ID_BYTES 13                       /* 26 hex characters */
#define APP_GRACE_MAX (30LL * 24 * 3600)             /* rotation grace, seconds */

/* The application resource: the same fields and statements, with the URL
 * rules of production (https only) or of development mode (plain http
 * allowed for events_url, domain, allowed_origins and redirect_uris).
 * Its check runs the cross-field rules (refresh > access, a project of the
 * suite, suite and project exist, app_group_id not taken: OST_ERR_CONFLICT
 * naming app_group_id). Create with apps_do_create, never with
 * resource_do_create (the credentials are made there). */
extern const struct resource apps_resource;
extern const struct resource apps_resource_dev;

/* apps_resource_for - the application resource under C's mode. */
const struct resource *apps_resource_for(const struct ctx *c);

/* The fields of a key rotation, for the console's form. */
#define APPS_ROTATE_NFIELDS 1
extern const struct field apps_rotate_fields[APPS_ROTATE_NFIELDS];

/* apps_do_create - validate the request body, make the credentials, insert
 * and audit in one transaction. *ROW gets the new application plus
 * "private_api_key" (shown this once: never log or store it). Errors as
 * resource_do_create; OST_ERR_CONFLICT with ERR naming app_group_id when
 * another application has it. */
enum ost_err apps_do_create(struct ctx *c, json_t **row, struct field_error *err);

/* apps_do_update - resource_do_update under C's mode; on OST_ERR_CONFLICT
 * without *ROW, ERR names the field that collides (app_group_id). */
enum ost_err apps_do_update(struct ctx *c, long long id, long long version, json_t **row,
    struct field_error *err);

/* apps_do_delete - delete application ID and audit it. OST_ERR_CONFLICT
 * when it still has application users (or other rows refer to it): *WHY
 * then holds a sentence for the administrator. */
enum ost_err apps_do_delete(struct ctx *c, long long id, const char **why);

/* apps_do_rotate - a new private API key for application ID; the old one
 * stays valid "grace_seconds" (request body, 0 to APP_GRACE_MAX, default
 * 0) more seconds. *OUT gets {id, public_id, private_api_key,
 * previous_key_expires_at, version} (the key shown this once).
 * OST_ERR_INVALID with ERR filled on a bad body, OST_ERR_NOT_FOUND. */
enum ost_err apps_do_rotate(struct ctx *c, long long id, json_t **out, struct field_error *err);

#endif
