/* audit.c - GET /api/v1/audit: the audit log, newest first, with filters */
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/handlers.h"
#include "store/audit.h"

/* The text filter NAME of the query (at most MAX bytes) into *OUT ("" when
 * absent); on a bad value the 400 answer is set. */
static enum ost_err
text_filter_or_reply(struct ctx *c, const char *name, size_t max, const char **out)
{
	const char *s = json_string_value(json_object_get(c->req->query, name));

	*out = s ? s : "";
	if (strlen(*out) > max) {
		response_error(c->res, OST_ERR_INVALID, "the filter is too long", name);
		return OST_ERR_INVALID;
	}
	return OST_OK;
}

/* The filters of the query into F; on a bad value the 400 answer is set. */
static enum ost_err
filters_or_reply(struct ctx *c, struct audit_filter *f)
{
	const char *actor;
	char *end;

	if (text_filter_or_reply(c, "object_type", 32, &f->object_type) ||
	    text_filter_or_reply(c, "object_id", 64, &f->object_id) ||
	    text_filter_or_reply(c, "action", 64, &f->action) ||
	    text_filter_or_reply(c, "actor_id", 18, &actor))
		return OST_ERR_INVALID;
	f->actor_id = 0;
	if (*actor) {
		f->actor_id = strtoll(actor, &end, 10);
		if (*end || f->actor_id < 1 || *actor < '0' || *actor > '9') {
			response_error(c->res, OST_ERR_INVALID, "use an id", "actor_id");
			return OST_ERR_INVALID;
		}
	}
	return OST_OK;
}

enum ost_err
api_audit_list(struct ctx *c)
{
	struct audit_filter f;
	long long before;
	unsigned limit;
	json_t *rows = NULL;
	enum ost_err err;

	if (page_args_or_reply(c, &limit, &before) || filters_or_reply(c, &f))
		return OST_OK;
	if ((err = store_audit_list(&f, before, limit + 1, &rows)))
		return err;
	response_set(c->res, 200, page_tree(rows, limit), NULL);
	return OST_OK;
}
