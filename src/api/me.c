/* me.c - GET /api/v1/me: the calling administrator */
#include "api/handlers.h"

enum ost_err
api_me(struct ctx *c)
{
	json_t *me = auth_principal_json(&c->who);

	if (!me)
		return OST_ERR_NOMEM;
	json_object_set_new(me, "auth",
	    json_string(c->who.via == AUTH_VIA_TOKEN ? "token" : "session"));
	response_set(c->res, 200, me, NULL);
	return OST_OK;
}
