/* app_api.c - the application API: what an authenticated application reads
 * about itself and the company it acts for (auth/app_auth.h admits it) */
#include "api/handlers.h"

#include "registry/apps.h"
#include "valid/app_fields.h"
#include "valid/app_rules.h"

/* The identity sheet (auth/app_auth.c sheet_of): the application's id, the
 * fields APP_FIELDS marks as the sheet's, its public id and the company
 * it acts for. */
#define SHEET_FIELD_1_(NAME, ...) {.name = #NAME, .published = 1, __VA_ARGS__},
#define SHEET_FIELD_0_(NAME, ...)
#define SHEET_FIELD_(NAME, SHEET, ...) SHEET_FIELD_##SHEET##_(NAME, __VA_ARGS__)
static const struct field sheet_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	APP_FIELDS(SHEET_FIELD_)
	{.name = "public_id", .kind = FIELD_STRING},
	{.name = "group_id", .kind = FIELD_ID, .help = "The company the call acts for"},
};
const struct field_table api_app_sheet = FIELD_TABLE("AppSheet", sheet_fields);

/* The company the application acts for (auth/app_auth.c admit_or_reply). */
static const struct field company_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "name", .kind = FIELD_STRING},
	{.name = "slug", .kind = FIELD_STRING},
};
const struct field_table api_app_company_answer = FIELD_TABLE("AppCompany", company_fields);

enum ost_err
api_app_me(struct ctx *c)
{
	json_t *sheet = json_object_get(c->caller, "app");

	if (!sheet)
		return OST_ERR_INTERNAL;
	/* a kept check holds the sheet rendered (auth/app_auth.c) */
	response_set_rendered(c->res, 200, json_incref(sheet), json_object_get(c->caller, "app_json"));
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
