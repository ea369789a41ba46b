/* audit.c - GET /api/v1/audit: the audit log, newest first, with filters */
#include "api/handlers.h"

#include "http/face.h"

enum ost_err
api_audit_list(struct ctx *c)
{
	json_t *page;
	enum ost_err err = audit_page_or_reply(c, &page);

	if (err)
		return OST_OK; /* answered */
	response_set(c->res, 200, page, NULL);
	return OST_OK;
}
