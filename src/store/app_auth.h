/* app_auth.h - what checking an application's API credentials reads: one row */
#ifndef OST_STORE_APP_AUTH_H
#define OST_STORE_APP_AUTH_H

#include <jansson.h>
#include "core/err.h"

/* store_app_auth_lookup - the application with PUBLIC_ID and whether it is
 * installed in COMPANY_ID, in one indexed lookup. *ROW (caller decrefs)
 * gets the identity sheet columns (id, name, description, icon_url,
 * app_group_id, suite_id, project_id, domain, permissions, capabilities,
 * display, authenticator, properties, public_id, allowed_ips,
 * allowed_origins: JSON columns as text), key_hash and previous_key_hash
 * (hex; the previous one null once its grace period is over), company_id,
 * company_name, company_slug (null when not installed there).
 * OST_ERR_NOT_FOUND when no application has that public id. */
enum ost_err store_app_auth_lookup(const char *public_id, long long company_id, json_t **row)
    OST_MUST_CHECK;

/* store_app_auth_failures - in one statement, the failures noted within
 * the last WINDOW seconds for the throttle buckets ID_BUCKET and
 * ADDR_BUCKET: *ROW gets {id_failures, id_retry, addr_failures,
 * addr_retry} (failures, 0 when none; seconds until the window ends, null
 * when none). */
enum ost_err store_app_auth_failures(const char *id_bucket, const char *addr_bucket,
    unsigned window, json_t **row) OST_MUST_CHECK;

/* store_app_origin_known - *KNOWN = 1 when ORIGIN is some application's
 * domain (an origin domain equal to ORIGIN, or a host-name domain equal to
 * HOST, which is "" when no host name may allow ORIGIN: see
 * app_origin_host) or is in its allowed_origins, or some application
 * allows every origin ("*"). Reads every application: for preflights only,
 * which browsers cache (Access-Control-Max-Age). */
enum ost_err store_app_origin_known(const char *origin, const char *host, int *known)
    OST_MUST_CHECK;

#endif
