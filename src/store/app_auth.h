/* app_auth.h - what checking an application's API credentials reads: one row */
#ifndef OST_STORE_APP_AUTH_H
#define OST_STORE_APP_AUTH_H

#include <jansson.h>
#include "core/err.h"

/* What store_app_auth_lookup looks for. */
struct app_auth_query {
	const char *public_id;   /* the public id sent ("" for none) */
	long long company_id;    /* the company named by group_id (0 for none) */
	const char *id_bucket;   /* throttle bucket of the public id ("" for none) */
	const char *addr_bucket; /* throttle bucket of the caller's address */
	unsigned window;         /* the throttle window, seconds */
};

/* store_app_auth_lookup - in one statement, the application with Q's public
 * id, whether it is installed in Q's company, and the failures of both
 * throttle buckets. *ROW (caller decrefs) always gets one object: the
 * application's identity sheet columns (id, name, description, icon_url,
 * app_group_id, suite_id, project_id, domain, permissions, capabilities,
 * display, authenticator, properties, public_id, allowed_ips,
 * allowed_origins: JSON columns as text), key_hash and previous_key_hash
 * (upper-case hex; the previous one null once its grace period is over),
 * company_id, company_name, company_slug (null when not installed there),
 * id_failures, id_retry, addr_failures, addr_retry (failures within the
 * window, seconds until it ends). Every application column is null when no
 * application has that public id. */
enum ost_err store_app_auth_lookup(const struct app_auth_query *q, json_t **row);

/* store_app_origin_known - *KNOWN = 1 when ORIGIN is some application's
 * domain or is in its allowed_origins, or some application allows every
 * origin ("*"). Reads every application: for preflights only, which
 * browsers cache (Access-Control-Max-Age). */
enum ost_err store_app_origin_known(const char *origin, int *known);

#endif
