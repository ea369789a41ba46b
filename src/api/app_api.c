/* app_api.c - the application API: what an authenticated application reads
 * about itself and the company it acts for (auth/app_auth.h admits it) */
#include "api/handlers.h"

enum ost_err
api_app_me(struct ctx *c)
{
	json_t *sheet = json_object_get(c->caller, "app");

	if (!sheet)
		return OST_ERR_INTERNAL;
	response_set(c->res, 200, json_incref(sheet), NULL);
	return OST_OK;
}

enum ost_err
api_app_company(struct ctx *c)
{
	json_t *company = json_object_get(c->caller, "company");

	if (!company)
		return OST_ERR_INTERNAL;
	response_set(c->res, 200, json_incref(company), NULL);
	return OST_OK;
}
