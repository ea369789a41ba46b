/* resource.h - the JSON/XML handlers over a resource table: list, get,
 * create, update, delete, each calling one operation of registry/ */
#ifndef OST_API_RESOURCE_H
#define OST_API_RESOURCE_H

#include "http/face.h"
#include "http/routes.h"
#include "store/resource.h"

/* The generic handlers. For a nested route (/api/v1/suites/{suite_id}/projects)
 * the first path parameter is the parent's id, bound to the resource's
 * first filter; the item's id is always the last parameter. The body is
 * c->input (validated by the route's table). PATH is where the items live
 * ("/api/v1/projects": the Location of a new one is PATH/{id}). */
enum ost_err resource_list(struct ctx *c, const struct resource *r) OST_MUST_CHECK;
enum ost_err resource_get(struct ctx *c, const struct resource *r) OST_MUST_CHECK;
enum ost_err resource_create(struct ctx *c, const struct resource *r, const char *path)
    OST_MUST_CHECK;
enum ost_err resource_update(struct ctx *c, const struct resource *r) OST_MUST_CHECK;
enum ost_err resource_delete(struct ctx *c, const struct resource *r) OST_MUST_CHECK;

/* The same through OPS, the operations of a resource whose writes are its
 * own (registry/resource.h). */
struct reg_ops;
enum ost_err resource_create_by(struct ctx *c, const struct reg_ops *ops, const char *path)
    OST_MUST_CHECK;
enum ost_err resource_update_by(struct ctx *c, const struct reg_ops *ops) OST_MUST_CHECK;
enum ost_err resource_delete_by(struct ctx *c, const struct reg_ops *ops) OST_MUST_CHECK;

/* resource_reply_row - answer STATUS with ROW (stolen) and its version as
 * the ETag; returns OST_OK, or the error (nothing answered) when the ETag
 * cannot be added. */
enum ost_err resource_reply_row(struct ctx *c, int status, json_t *row) OST_MUST_CHECK;

/* resource_reply_update - answer an update's outcome: ROW (stolen) with 200,
 * or a refusal: a stale version (ERR OST_ERR_CONFLICT with ROW set) as 412
 * when IF_MATCH was sent, else 409; other refusals as reply_refusal with
 * WHY. Returns OST_OK when the answer is set, else ERR for the dispatcher. */
enum ost_err resource_reply_update(struct ctx *c, enum ost_err err, json_t *row, int if_match,
    const struct field_error *why) OST_MUST_CHECK;

#endif
