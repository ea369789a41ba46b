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
	json_t *me, *text;

	/* a kept token check holds it rendered (auth/auth.c): valid UTF-8 */
	if (c->who.me_len && c->format == RENDER_JSON) {
		if (!(text = json_stringn_nocheck(c->who.me_json, c->who.me_len)))
			return OST_ERR_NOMEM;
		response_set_rendered(c->res, 200, NULL, text);
		json_decref(text);
		return OST_OK;
	}
	if (!(me = auth_me_json(&c->who)))
		return OST_ERR_NOMEM;
	response_set(c->res, 200, me, NULL);
	return OST_OK;
}
