/* companies.c - companies (tenants) and the applications installed into them:
 * the field table and the API handlers */
#include "api/companies.h"

#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/resource.h"
#include "store/db.h"
#include "store/tenancy.h"

/* [a-z0-9](-?[a-z0-9])*: lower-case words joined by single hyphens. */
static const char *
slug_check(const json_t *value, char *msg, size_t msgsz)
{
	const char *s = json_string_value(value);
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		int alnum = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9');
		if (alnum || (s[i] == '-' && i > 0 && i + 1 < n && s[i - 1] != '-'))
			continue;
		snprintf(msg, msgsz, "slug must be lower-case letters and digits, in words "
		                     "joined by single hyphens");
		return msg;
	}
	return NULL;
}

static const struct field company_fields[] = {
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100,
	    .flags = FIELD_REQUIRED},
	{.name = "slug", .label = "Slug", .kind = FIELD_STRING, .min = 1, .max = 64,
	    .flags = FIELD_REQUIRED, .check = slug_check},
};
static const char *const company_cols[] = {"name", "slug", NULL};
static const struct resource_filter company_filters[] = {{"name", FILTER_CONTAINS}};

const struct resource companies_resource = {
	.type = "company",
	.path = "/api/v1/companies",
	.title = "Companies",
	.fields = company_fields,
	.nfields = sizeof(company_fields) / sizeof(company_fields[0]),
	.insert_cols = company_cols,
	.update_cols = company_cols,
	.filters = company_filters,
	.nfilters = 1,
	.list = STMT_COMPANY_LIST,
	.get = STMT_COMPANY_GET,
	.insert = STMT_COMPANY_INSERT,
	.update = STMT_COMPANY_UPDATE,
	.del = STMT_COMPANY_DELETE,
	.unique = "slug",
};

enum ost_err api_companies_list(struct ctx *c) { return resource_list(c, &companies_resource); }
enum ost_err api_companies_get(struct ctx *c) { return resource_get(c, &companies_resource); }
enum ost_err api_companies_create(struct ctx *c) { return resource_create(c, &companies_resource); }
enum ost_err api_companies_update(struct ctx *c) { return resource_update(c, &companies_resource); }
enum ost_err api_companies_delete(struct ctx *c) { return resource_delete(c, &companies_resource); }

enum ost_err
companies_child_list(struct ctx *c, company_lister list)
{
	long long company = ctx_param_id(c, 0), after;
	unsigned limit;
	json_t *rows = NULL;
	enum ost_err err;

	if (page_args_or_reply(c, &limit, &after))
		return OST_OK;
	if ((err = store_company_exists(company)) || (err = list(company, after, limit + 1, &rows)))
		return err;
	response_set(c->res, 200, page_tree(rows, limit), NULL);
	return OST_OK;
}

enum ost_err api_installs_list(struct ctx *c) { return companies_child_list(c, store_install_list); }

enum ost_err
installs_do_change(struct ctx *c, long long company, long long app, int install, json_t **row)
{
	json_t *found = NULL, *rows = NULL, *details;
	enum ost_err err = db_begin();

	if (err)
		return err;
	if (!(err = store_company_exists(company)) && !(err = store_install_app(app, &found)))
		err = install ? store_install_add(company, app) : store_install_remove(company, app);
	details = json_pack("{s:I, s:O}", "app_id", (json_int_t)app, "name",
	    found ? json_object_get(found, "name") : json_null());
	if (!err)
		err = details ? audit(c, install ? "app.install" : "app.uninstall", "company",
		    company, details) : OST_ERR_NOMEM;
	if (!err && install && !(err = store_install_list(company, app - 1, 1, &rows)))
		*row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	json_decref(details);
	json_decref(found);
	return db_finish(err);
}

enum ost_err
api_installs_add(struct ctx *c)
{
	json_t *row = NULL;
	enum ost_err err = installs_do_change(c, ctx_param_id(c, 0), ctx_param_id(c, 1), 1, &row);

	if (err == OST_ERR_CONFLICT) {
		response_error(c->res, err, "The application is installed in this company already",
		    NULL);
		return OST_OK;
	}
	if (err) {
		json_decref(row);
		return err;
	}
	response_set(c->res, 201, row, NULL);
	return OST_OK;
}

enum ost_err
api_installs_remove(struct ctx *c)
{
	enum ost_err err = installs_do_change(c, ctx_param_id(c, 0), ctx_param_id(c, 1), 0, NULL);

	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
