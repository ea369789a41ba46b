/* me.c - GET /api/v1/me: the calling administrator */
#include "api/handlers.h"

/* What auth_principal_json holds, and how the caller came in. */
static const char *const vias[] = {"token", "session", NULL};
static const struct field me_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "email", .kind = FIELD_EMAIL},
	{.name = "first_name", .kind = FIELD_STRING},
	{.name = "last_name", .kind = FIELD_STRING},
	{.name = "roles", .kind = FIELD_STRINGS},
	{.name = "auth", .kind = FIELD_ENUM, .choices = vias},
};
const struct field_table api_me_answer = FIELD_TABLE("Me", me_fields);

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
