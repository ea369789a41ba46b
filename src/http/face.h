/* face.h - what the faces (the API and the console) share: path
 * parameters, pages, versions, the operation context of a request */
#ifndef OST_HTTP_FACE_H
#define OST_HTTP_FACE_H

#include "http/page_fit.h"
#include "http/routes.h"
#include "registry/op.h"
#include "valid/fields.h"

#define PAGE_LIMIT_DEFAULT 50
#define PAGE_LIMIT_MAX 200

/* ctx_nparams - how many path parameters the route gave. */
size_t ctx_nparams(const struct ctx *c);

/* ctx_param_id - path parameter I as an id. */
long long ctx_param_id(const struct ctx *c, size_t i);

/* ctx_is_form - the request body came as a form. */
int ctx_is_form(const struct ctx *c);

/* reply_refusal - answer a refused change: ERR (OST_ERR_INVALID 400,
 * OST_ERR_FORBIDDEN 403, OST_ERR_CONFLICT 409, OST_ERR_PRECONDITION 412,
 * OST_ERR_NOT_FOUND 404) with WHY's message and field (WHY may be NULL or
 * empty: the error's default message). Returns OST_OK: the answer is set,
 * so a handler can "return reply_refusal(...)". */
enum ost_err reply_refusal(struct ctx *c, enum ost_err err, const struct field_error *why)
    OST_MUST_CHECK;

/* page_limit_or_reply - ?limit= (1-200, default 50) into *LIMIT; on a bad
 * value the 400 answer is set and OST_ERR_INVALID returned. */
enum ost_err page_limit_or_reply(struct ctx *c, unsigned *limit) OST_MUST_CHECK;

/* page_args_or_reply - ?limit= (1-200, default 50) and ?cursor= (opaque, from
 * a previous page) into *LIMIT and *AFTER; on a bad value the 400 answer is
 * set and OST_ERR_INVALID returned. */
enum ost_err page_args_or_reply(struct ctx *c, unsigned *limit, long long *after) OST_MUST_CHECK;

/* page_tree - {"items": ROWS (stolen, at most LIMIT kept), "next_cursor":
 * the cursor of the next page or null}; the statement fetched LIMIT + 1 rows
 * (or more: page_fit may have lowered LIMIT) to know whether there is a next
 * page. NULL (ROWS released) on failure. */
json_t *page_tree(json_t *rows, unsigned limit);

/* version_or_reply - the version the client last saw: the If-Match header
 * (*IF_MATCH = 1) or the "version" field of the body. When neither is there,
 * or either is malformed, the 400 answer is set and OST_ERR_INVALID
 * returned. */
enum ost_err version_or_reply(struct ctx *c, long long *version, int *if_match) OST_MUST_CHECK;

/* list_or_reply - a page of R's rows as the request asks: ?limit=,
 * ?cursor= and R's filters from the query (for a nested resource, one
 * with a parent, the route's first path parameter is the parent, bound to
 * R's first filter; other routes' path parameters are not filters), cut
 * shorter when they would not fit in the answer (page_fit). *PAGE gets
 * {items, next_cursor}. On failure the answer is set: 400 for a bad
 * argument (OST_ERR_INVALID returned), else the error's. */
struct resource;
enum ost_err list_or_reply(struct ctx *c, const struct resource *r, json_t **page)
    OST_MUST_CHECK;

/* audit_page_or_reply - a page of the audit log as the request asks,
 * newest first: ?limit=, ?cursor= and the filters object_type, object_id,
 * action, actor_id; cut shorter when the entries, as SHOWN (NULL: as they
 * are) in C's format, would not fit in the answer, and an entry too large
 * for a page on its own with its largest details cut short and its
 * "shortened" true (page_fit). *PAGE gets {items, next_cursor}. On failure
 * the answer is set: 400 for a bad argument (OST_ERR_INVALID returned), else
 * the error's. */
enum ost_err audit_page_or_reply(struct ctx *c, page_shown shown, json_t **page)
    OST_MUST_CHECK;

/* ctx_op - the operation context of C's request into *OP: the worker's
 * settings, the caller (an administrator, or the system for an
 * application's call) and where the request came from. */
void ctx_op(const struct ctx *c, struct op *op);

/* ctx_field_ctx - the field context of C's request (development mode and
 * the caller), as the dispatcher validates bodies with. */
struct field_ctx ctx_field_ctx(const struct ctx *c);

#endif
