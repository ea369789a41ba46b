/* common.h - the request helpers every resource handler shares: input,
 * pages, versions, audit */
#ifndef OST_API_COMMON_H
#define OST_API_COMMON_H

#include "http/routes.h"
#include "valid/fields.h"

#define PAGE_LIMIT_DEFAULT 50
#define PAGE_LIMIT_MAX 200

/* ctx_nparams - how many path parameters the route gave. */
size_t ctx_nparams(const struct ctx *c);

/* ctx_param_id - path parameter I as an id. */
long long ctx_param_id(const struct ctx *c, size_t i);

/* ctx_is_form - the request body came as a form. */
int ctx_is_form(const struct ctx *c);

/* reply_field_error - answer 400 naming ERR's field and message. Returns OST_OK
 * (the answer is set) so a handler can "return reply_field_error(...)". */
enum ost_err reply_field_error(struct ctx *c, const struct field_error *err);

/* page_limit_or_reply - ?limit= (1-200, default 50) into *LIMIT; on a bad
 * value the 400 answer is set and OST_ERR_INVALID returned. */
enum ost_err page_limit_or_reply(struct ctx *c, unsigned *limit);

/* page_args_or_reply - ?limit= (1-200, default 50) and ?cursor= (opaque, from
 * a previous page) into *LIMIT and *AFTER; on a bad value the 400 answer is
 * set and OST_ERR_INVALID returned. */
enum ost_err page_args_or_reply(struct ctx *c, unsigned *limit, long long *after);

/* page_tree - {"items": ROWS (stolen, at most LIMIT kept), "next_cursor":
 * the cursor of the next page or null}; the statement fetched LIMIT + 1 rows
 * to know whether there is a next page. */
json_t *page_tree(json_t *rows, unsigned limit);

/* version_or_reply - the version the client last saw: the If-Match header
 * (*IF_MATCH = 1) or the "version" field of the body. When neither is there,
 * or either is malformed, the 400 answer is set and OST_ERR_INVALID
 * returned. */
enum ost_err version_or_reply(struct ctx *c, long long *version, int *if_match);

/* audit - write an audit entry for the caller: ACTION on object TYPE with
 * id ID, DETAILS (borrowed, NULL for none; secret fields must already be
 * gone). Call inside the change's transaction. */
enum ost_err audit(struct ctx *c, const char *action, const char *type, long long id,
    const json_t *details);

/* without_secrets - a copy of VALUES without R's secret fields. */
json_t *without_secrets(const struct field *fields, size_t n, const json_t *values);

#endif
