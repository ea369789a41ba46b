/* members.c - the people who are members of a company: list, add (finding
 * or creating the person), read and remove a membership */
#include <stdio.h>

#include "api/companies.h"
#include "api/handlers.h"
#include "api/resource.h"
#include "store/db.h"
#include "store/tenancy.h"

const struct field member_fields[] = {
	{.name = "email", .label = "Email", .kind = FIELD_EMAIL, .flags = FIELD_REQUIRED},
	{.name = "first_name", .label = "First name", .kind = FIELD_STRING, .min = 0, .max = 100},
	{.name = "last_name", .label = "Last name", .kind = FIELD_STRING, .min = 0, .max = 100},
};
const size_t member_nfields = sizeof(member_fields) / sizeof(member_fields[0]);

static const char *const member_ignore[] = {"csrf", "format", NULL};

enum ost_err api_members_list(struct ctx *c) { return companies_child_list(c, store_member_list); }

enum ost_err
api_members_get(struct ctx *c)
{
	json_t *row = NULL;
	enum ost_err err = store_member_get(ctx_param_id(c, 0), ctx_param_id(c, 1), &row);

	if (err)
		return err;
	response_set(c->res, 200, row, NULL);
	return OST_OK;
}

/* What the audit log says about membership ROW. */
static json_t *
member_details(const json_t *row)
{
	return json_pack("{s:O, s:O, s:O}", "company_id", json_object_get(row, "company_id"),
	    "user_id", json_object_get(row, "user_id"), "email", json_object_get(row, "email"));
}

/* Audit the new membership ROW, and the new person when CREATED. */
static enum ost_err
audit_member(struct ctx *c, const json_t *values, const json_t *row, int created)
{
	long long uid = json_integer_value(json_object_get(row, "user_id"));
	json_t *d = member_details(row);
	enum ost_err err = d ? OST_OK : OST_ERR_NOMEM;

	if (!err && created)
		err = audit(c, "user.create", "user", uid, values);
	if (!err)
		err = audit(c, "membership.create", "membership",
		    json_integer_value(json_object_get(row, "id")), d);
	json_decref(d);
	return err;
}

enum ost_err
members_do_add(struct ctx *c, long long company, json_t **row, struct field_error *ferr)
{
	json_t *values = NULL;
	long long id = 0, uid = 0;
	int created = 0;
	enum ost_err err = fields_apply(member_fields, member_nfields, c->req->body,
	    ctx_is_form(c), FIELDS_CREATE, member_ignore, &values, ferr);

	if (err || (err = db_begin())) {
		json_decref(values);
		return err;
	}
	if (!(err = store_company_exists(company)))
		err = store_member_add(company, json_string_value(json_object_get(values, "email")),
		    json_string_value(json_object_get(values, "first_name")),
		    json_string_value(json_object_get(values, "last_name")), &id, &uid, &created);
	if (!err)
		err = store_member_get(company, id, row);
	if (!err)
		err = audit_member(c, values, *row, created);
	json_decref(values);
	return db_finish(err);
}

enum ost_err
api_members_add(struct ctx *c)
{
	struct field_error ferr;
	json_t *row = NULL;
	enum ost_err err = members_do_add(c, ctx_param_id(c, 0), &row, &ferr);

	if (err == OST_ERR_INVALID)
		return reply_field_error(c, &ferr);
	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, err, "This person is a member of the company already", "email");
		return OST_OK;
	}
	if (err) {
		json_decref(row);
		return err;
	}
	response_location(c->res, &c->app->cfg, "%s/%lld", c->req->path,
	    (long long)json_integer_value(json_object_get(row, "id")));
	response_set(c->res, 201, row, NULL);
	return OST_OK;
}

enum ost_err
members_do_remove(struct ctx *c, long long company, long long id)
{
	json_t *row = NULL, *d = NULL;
	enum ost_err err = db_begin();

	if (err)
		return err;
	if (!(err = store_member_get(company, id, &row)) &&
	    !(err = store_member_delete(company, id))) {
		d = member_details(row);
		err = d ? audit(c, "membership.delete", "membership", id, d) : OST_ERR_NOMEM;
	}
	json_decref(d);
	json_decref(row);
	return db_finish(err);
}

enum ost_err
api_members_remove(struct ctx *c)
{
	enum ost_err err = members_do_remove(c, ctx_param_id(c, 0), ctx_param_id(c, 1));

	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
