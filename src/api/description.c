/* description.c - GET /api/v1/openapi.json: the API description, made once
 * per worker from the route table (http/openapi.c) */
#include "api/handlers.h"

#include "http/openapi.h"

enum ost_err
api_openapi(struct ctx *c)
{
	json_t *doc = openapi_document(&c->app->cfg);

	if (!doc)
		return OST_ERR_INTERNAL;
	response_set(c->res, 200, json_incref(doc), NULL);
	return OST_OK;
}
