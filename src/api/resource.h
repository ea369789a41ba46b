/* resource.h - generic JSON/XML handlers over a resource table */
#ifndef OST_API_RESOURCE_H
#define OST_API_RESOURCE_H

#include "http/routes.h"
#include "api/common.h"
#include "store/resource.h"

/* The generic handlers. For a nested route (/api/v1/suites/{id}/projects)
 * the first path parameter is the parent's id, bound to the resource's
 * first filter; the item's id is always the last parameter. */
enum ost_err resource_list(struct ctx *c, const struct resource *r);
enum ost_err resource_get(struct ctx *c, const struct resource *r);
enum ost_err resource_create(struct ctx *c, const struct resource *r);
enum ost_err resource_update(struct ctx *c, const struct resource *r);
enum ost_err resource_delete(struct ctx *c, const struct resource *r);

/* The operations under those handlers, shared with the console: each
 * validates, writes and audits in one transaction.
 * resource_do_create - create from the request body (PARENT > 0 sets the
 * first filter's field); *ROW gets the new row. OST_ERR_INVALID with ERR
 * filled on bad input. */
enum ost_err resource_do_create(struct ctx *c, const struct resource *r, long long parent,
    json_t **row, struct field_error *err);

/* resource_do_update - merge the request body over row ID if it still has
 * VERSION; *ROW gets the row written. OST_ERR_CONFLICT when the row has
 * moved on: *ROW then gets the current row. */
enum ost_err resource_do_update(struct ctx *c, const struct resource *r, long long id,
    long long version, json_t **row, struct field_error *err);

/* resource_do_delete - delete row ID (OST_ERR_CONFLICT while referred to). */
enum ost_err resource_do_delete(struct ctx *c, const struct resource *r, long long id);

/* resource_reply_row - answer STATUS with ROW (stolen) and its version as
 * the ETag; returns OST_OK. */
enum ost_err resource_reply_row(struct ctx *c, int status, json_t *row);

#endif
