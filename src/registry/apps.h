/* apps.h - applications: the identity sheet, its API credentials (made,
 * shown once, rotated with a grace period) and deletion */
#ifndef OST_REGISTRY_APPS_H
#define OST_REGISTRY_APPS_H

#include "registry/op.h"
#include "registry/resource.h"
#include "store/resource.h"

#define APP_PUBLIC_ID_BYTES 13           /* 26 hex characters */
#define APP_GRACE_MAX (30LL * 24 * 3600) /* rotation grace, seconds */

/* The application resource, its fields from APP_FIELDS (valid/app_fields.h).
 * Its check runs the cross-field rules (refresh > access, no certificate
 * with a current key, suite and project exist and agree, app_group_id not
 * taken: OST_ERR_CONFLICT naming app_group_id). Create with
 * reg_app_create, never with reg_create (the credentials are made there). */
extern const struct resource reg_apps;
extern const struct field_table reg_app_body;
/* What reg_app_create's row adds to the application's: private_api_key,
 * events_secret. */
extern const struct field_table reg_app_created;

/* The authenticator values and what the console calls them. */
extern const char *const app_authenticators[];
extern const char *const app_authenticator_labels[];

/* A key rotation: grace_seconds (0 to APP_GRACE_MAX, default 0); the
 * version it is made against comes beside it (body or If-Match). */
extern const struct field_table reg_rotate_body;
/* What reg_app_rotate answers (below). */
extern const struct field_table reg_app_rotated;

/* reg_app_create - make the credentials and insert the application of IN
 * (reg_app_body, create mode) with its events signing secret, audited.
 * *ROW gets the new application plus "private_api_key" and
 * "events_secret" (shown this once: never log or store them).
 * Refusals OST_ERR_INVALID / OST_ERR_CONFLICT with WHY filled. */
enum ost_err reg_app_create(const struct op *op, const json_t *in, json_t **row,
    struct field_error *why) OST_MUST_CHECK;

/* reg_app_update - reg_update of the application; on OST_ERR_CONFLICT
 * without *ROW, WHY names the field that collides (app_group_id). */
enum ost_err reg_app_update(const struct op *op, long long id, long long version,
    const json_t *in, json_t **row, struct field_error *why) OST_MUST_CHECK;

/* reg_app_delete - delete application ID, audited. OST_ERR_CONFLICT while it
 * has application users (or other rows refer to it), WHY saying which. */
enum ost_err reg_app_delete(const struct op *op, long long id, struct field_error *why)
    OST_MUST_CHECK;

/* reg_app_rotate - a new private API key for application ID, if it still
 * has VERSION (the one the caller last read); the old one stays valid
 * IN's grace_seconds more (absent: 0). *OUT gets {id, public_id,
 * private_api_key, previous_key_expires_at, version} (the key shown this
 * once). The rotation is conditional on VERSION in the database: of two
 * at once, one is refused, and the key in use keeps its grace period.
 * OST_ERR_CONFLICT when the version is stale, *OUT then the current
 * application; OST_ERR_NOT_FOUND when there is no such application. */
enum ost_err reg_app_rotate(const struct op *op, long long id, long long version,
    const json_t *in, json_t **out) OST_MUST_CHECK;

/* reg_app_sheet - a new object: the identity sheet of application ROW as
 * the application itself sees it (what its events carry). */
json_t *reg_app_sheet(const json_t *row);

/* The operations above, for the faces' generic handlers. */
extern const struct reg_ops reg_app_ops;

#endif
