/* registry.c - the JSON/XML handlers of suites and projects, companies
 * (their members and installed applications) and people */
#include "api/handlers.h"

#include <stdio.h>

#include "api/resource.h"
#include "registry/companies.h"
#include "registry/people.h"
#include "registry/suites.h"
#include "store/tenancy.h"

enum ost_err api_suites_list(struct ctx *c) { return resource_list(c, &reg_suites); }
enum ost_err api_suites_get(struct ctx *c) { return resource_get(c, &reg_suites); }
enum ost_err api_suites_create(struct ctx *c)
{
	return resource_create(c, &reg_suites, "/api/v1/suites");
}
enum ost_err api_suites_update(struct ctx *c) { return resource_update(c, &reg_suites); }
enum ost_err api_suites_delete(struct ctx *c) { return resource_delete(c, &reg_suites); }
enum ost_err api_projects_list(struct ctx *c) { return resource_list(c, &reg_projects); }
enum ost_err api_projects_get(struct ctx *c) { return resource_get(c, &reg_projects); }
/* created under its suite, a project lives at /api/v1/projects/{id} */
enum ost_err api_projects_create(struct ctx *c)
{
	return resource_create(c, &reg_projects, "/api/v1/projects");
}
enum ost_err api_projects_update(struct ctx *c) { return resource_update(c, &reg_projects); }
enum ost_err api_projects_delete(struct ctx *c) { return resource_delete(c, &reg_projects); }
enum ost_err api_companies_list(struct ctx *c) { return resource_list(c, &reg_companies); }
enum ost_err api_companies_get(struct ctx *c) { return resource_get(c, &reg_companies); }
enum ost_err api_companies_create(struct ctx *c)
{
	return resource_create(c, &reg_companies, "/api/v1/companies");
}
enum ost_err api_companies_update(struct ctx *c) { return resource_update(c, &reg_companies); }
enum ost_err api_companies_delete(struct ctx *c) { return resource_delete(c, &reg_companies); }

/* Answer a page of what company {company_id} holds, by LIST: 404 when
 * there is no such company, 400 on a bad limit or cursor. */
static OST_MUST_CHECK enum ost_err
company_page(struct ctx *c,
    enum ost_err (*list)(long long company, long long after, unsigned limit, json_t **rows))
{
	long long company = ctx_param_id(c, 0), after;
	unsigned limit;
	json_t *rows = NULL, *page;
	enum ost_err err;

	if (page_args_or_reply(c, &limit, &after))
		return OST_OK;
	if ((err = store_company_exists(company)) || (err = list(company, after, limit + 1, &rows)))
		return err;
	if (!(page = page_tree(rows, limit)))
		return OST_ERR_NOMEM;
	response_set(c->res, 200, page, NULL);
	return OST_OK;
}

enum ost_err api_members_list(struct ctx *c) { return company_page(c, store_member_list); }
enum ost_err api_installs_list(struct ctx *c) { return company_page(c, store_install_list); }

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

enum ost_err
api_members_add(struct ctx *c)
{
	struct field_error why = {.field = "email"};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_member_add(&op, ctx_param_id(c, 0), c->input, &row);
	if (err == OST_ERR_CONFLICT) {
		snprintf(why.message, sizeof(why.message),
		    "This person is a member of the company already");
		return reply_refusal(c, err, &why);
	}
	if (err)
		return err;
	if ((err = response_location(c->res, &c->app->cfg, "/api/v1/companies/%lld/members/%lld",
	         ctx_param_id(c, 0), (long long)json_integer_value(json_object_get(row, "id"))))) {
		json_decref(row);
		return err;
	}
	response_set(c->res, 201, row, NULL);
	return OST_OK;
}

enum ost_err
api_members_remove(struct ctx *c)
{
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_member_remove(&op, ctx_param_id(c, 0), ctx_param_id(c, 1))))
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}

enum ost_err
api_installs_add(struct ctx *c)
{
	struct field_error why = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_install(&op, ctx_param_id(c, 0), ctx_param_id(c, 1), 1, &row);
	if (err == OST_ERR_CONFLICT) {
		snprintf(why.message, sizeof(why.message),
		    "The application is installed in this company already");
		return reply_refusal(c, err, &why);
	}
	if (err)
		return err;
	response_set(c->res, 201, row, NULL);
	return OST_OK;
}

enum ost_err
api_installs_remove(struct ctx *c)
{
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_install(&op, ctx_param_id(c, 0), ctx_param_id(c, 1), 0, NULL)))
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}

enum ost_err api_users_list(struct ctx *c) { return resource_list(c, &reg_people); }
enum ost_err api_users_get(struct ctx *c) { return resource_get(c, &reg_people); }

enum ost_err api_users_create(struct ctx *c)
{
	return resource_create_by(c, &reg_person_ops, "/api/v1/users");
}
enum ost_err api_users_update(struct ctx *c) { return resource_update_by(c, &reg_person_ops); }
enum ost_err api_users_delete(struct ctx *c) { return resource_delete_by(c, &reg_person_ops); }
