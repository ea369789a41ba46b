/* registry.c - the console pages of suites and their projects, companies
 * (members, installed applications) and people */
#include "admin/handlers.h"
#include "admin/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/apps.h"
#include "registry/companies.h"
#include "registry/people.h"
#include "registry/suites.h"
#include "store/tenancy.h"

#define PANEL_ROWS 200 /* rows a panel shows */

/* ---- suites and projects ---- */

static enum ost_err suite_panels(struct ctx *c, const json_t *row, json_t *tree) OST_MUST_CHECK;

static const char *const suite_columns[] = {"name", "description", "updated_at", NULL};
static const struct admin_view suites_view = {
	.r = &reg_suites,
	.title = "Suites",
	.path = "/admin/suites",
	.noun = "suite",
	.columns = suite_columns,
	.in_use = "This suite still has projects or applications: remove them first.",
	.panels = suite_panels,
};
static const struct admin_view projects_view = {
	.r = &reg_projects,
	.title = "Projects",
	.path = "/admin/projects",
	.noun = "project",
	.in_use = "Applications still belong to this project: move or delete them first.",
	.parent_path = "/admin/suites",
};

/* The suite's projects, and the form that adds one. */
static enum ost_err
suite_panels(struct ctx *c, const json_t *row, json_t *tree)
{
	static const char *const cols[] = {"Name", "Description", NULL};
	long long id = json_integer_value(json_object_get(row, "id")), pid;
	json_t *filters = json_pack("{s:I}", "suite_id", (json_int_t)id), *rows = NULL, *panel, *p;
	enum ost_err err = store_resource_list(&reg_projects, filters, 0, PANEL_ROWS, &rows);
	size_t i;

	json_decref(filters);
	if (err)
		return err;
	panel = admin_panel("projects", "Projects", cols, "This suite has no projects yet.");
	json_array_foreach(rows, i, p) {
		pid = json_integer_value(json_object_get(p, "id"));
		json_array_append_new(json_object_get(panel, "rows"), json_pack(
		    "{s:[{s:O, s:o}, {s:O, s:n}], s:[o]}", "cells", "text", json_object_get(p, "name"),
		    "href", admin_href(c, "/admin/projects/%lld", pid), "text",
		    json_object_get(p, "description"), "href", "actions", admin_action(admin_href(c,
		    "/admin/projects/%lld/delete", pid), "Delete", 1, NULL)));
	}
	admin_panel_form(panel, admin_href(c, "/admin/suites/%lld/projects", id),
	    admin_panel_fields(c, tree, "projects", reg_project_body.fields,
	    reg_project_body.n, NULL, 0), "Add project");
	json_array_append_new(json_object_get(tree, "panels"), panel);
	json_decref(rows);
	return OST_OK;
}

enum ost_err admin_suites(struct ctx *c) { return admin_list(c, &suites_view); }
enum ost_err admin_suites_new(struct ctx *c) { return admin_new(c, &suites_view); }
enum ost_err admin_suites_create(struct ctx *c) { return admin_create(c, &suites_view); }
enum ost_err admin_suites_show(struct ctx *c) { return admin_show(c, &suites_view); }
enum ost_err admin_suites_update(struct ctx *c) { return admin_update(c, &suites_view); }
enum ost_err admin_suites_delete(struct ctx *c) { return admin_delete(c, &suites_view); }
enum ost_err admin_projects_create(struct ctx *c) { return admin_create(c, &projects_view); }
enum ost_err admin_projects_show(struct ctx *c) { return admin_show(c, &projects_view); }
enum ost_err admin_projects_update(struct ctx *c) { return admin_update(c, &projects_view); }
enum ost_err admin_projects_delete(struct ctx *c) { return admin_delete(c, &projects_view); }

/* ---- companies ---- */

static enum ost_err company_panels(struct ctx *c, const json_t *row, json_t *tree) OST_MUST_CHECK;

static const char *const company_columns[] = {"name", "slug", "updated_at", NULL};
static const struct admin_view companies_view = {
	.r = &reg_companies,
	.title = "Companies",
	.path = "/admin/companies",
	.noun = "company",
	.columns = company_columns,
	.in_use = "Other objects still refer to this company: remove them first.",
	.panels = company_panels,
};

static const struct admin_ref install_refs[] = {{"app_id", &reg_apps, "Applications"}};

/* The company's members, and the form that adds one by email. */
static json_t *
members_panel(struct ctx *c, long long id, const json_t *tree, const json_t *rows)
{
	static const char *const cols[] = {"Email", "Name", "Workspace id", NULL};
	json_t *panel = admin_panel("members", "Members", cols, "This company has no members yet.");
	const json_t *m;
	json_t *name;
	size_t i;

	json_array_foreach(rows, i, m) {
		/* two names of 100 characters are up to 800 bytes: not a fixed buffer */
		name = json_sprintf("%s %s", admin_text(json_object_get(m, "first_name")),
		    admin_text(json_object_get(m, "last_name")));
		json_array_append_new(json_object_get(panel, "rows"), json_pack(
		    "{s:[{s:O, s:n}, {s:o, s:n}, {s:o, s:n}], s:[o]}", "cells", "text",
		    json_object_get(m, "email"), "href", "text", name, "href", "text",
		    admin_cell_text(json_object_get(m, "id")), "href", "actions",
		    admin_action(admin_href(c, "/admin/companies/%lld/members/%" JSON_INTEGER_FORMAT
		    "/remove", id, json_integer_value(json_object_get(m, "id"))), "Remove", 1, NULL)));
	}
	admin_panel_form(panel, admin_href(c, "/admin/companies/%lld/members", id),
	    admin_panel_fields(c, tree, "members", reg_member_body.fields, reg_member_body.n, NULL, 0),
	    "Add member");
	return panel;
}

/* The applications installed in the company, and the form that installs one. */
static json_t *
installs_panel(struct ctx *c, long long id, const json_t *tree, const json_t *rows)
{
	static const char *const cols[] = {"Application", "Installed", NULL};
	json_t *panel = admin_panel("apps", "Installed applications", cols,
	    "No application is installed in this company.");
	const json_t *a;
	long long app;
	size_t i;

	json_array_foreach(rows, i, a) {
		app = json_integer_value(json_object_get(a, "id"));
		json_array_append_new(json_object_get(panel, "rows"), json_pack(
		    "{s:[{s:O, s:o}, {s:o, s:n}], s:[o]}", "cells", "text", json_object_get(a, "name"),
		    "href", admin_href(c, "/admin/apps/%lld", app), "text",
		    admin_cell_text(json_object_get(a, "installed_at")), "href", "actions",
		    admin_action(admin_href(c, "/admin/companies/%lld/apps/%lld/uninstall", id, app),
		    "Uninstall", 1, NULL)));
	}
	admin_panel_form(panel, admin_href(c, "/admin/companies/%lld/apps", id),
	    admin_panel_fields(c, tree, "apps", reg_install_body.fields, reg_install_body.n,
	    install_refs, 1), "Install");
	return panel;
}

static enum ost_err
company_panels(struct ctx *c, const json_t *row, json_t *tree)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	json_t *members = NULL, *installs = NULL, *panels = json_object_get(tree, "panels");
	enum ost_err err = store_member_list(id, 0, PANEL_ROWS, &members);

	if (!err)
		err = store_install_list(id, 0, PANEL_ROWS, &installs);
	if (!err) {
		json_array_append_new(panels, members_panel(c, id, tree, members));
		json_array_append_new(panels, installs_panel(c, id, tree, installs));
	}
	json_decref(members);
	json_decref(installs);
	return err;
}

/* The company page again, showing why a change on PANEL was refused. */
static OST_MUST_CHECK enum ost_err
company_refused(struct ctx *c, const char *panel, const struct field_error *ferr, int status)
{
	json_t *row = NULL;
	enum ost_err err = store_resource_get(&reg_companies, ctx_param_id(c, 0), &row);

	if (!err)
		err = admin_panel_refused(c, &companies_view, row, panel, ferr, status);
	json_decref(row);
	return err;
}

/* Back to the company page at PANEL after a change. */
static OST_MUST_CHECK enum ost_err
company_saved(struct ctx *c, const char *panel)
{
	char path[96];

	snprintf(path, sizeof(path), "/admin/companies/%lld?saved=1#%s", ctx_param_id(c, 0), panel);
	return response_redirect(c->res, &c->app->cfg, path);
}

enum ost_err admin_companies(struct ctx *c) { return admin_list(c, &companies_view); }
enum ost_err admin_companies_new(struct ctx *c) { return admin_new(c, &companies_view); }
enum ost_err admin_companies_create(struct ctx *c) { return admin_create(c, &companies_view); }
enum ost_err admin_companies_show(struct ctx *c) { return admin_show(c, &companies_view); }
enum ost_err admin_companies_update(struct ctx *c) { return admin_update(c, &companies_view); }
enum ost_err admin_companies_delete(struct ctx *c) { return admin_delete(c, &companies_view); }

enum ost_err
admin_members_add(struct ctx *c)
{
	struct field_error ferr = {.field = "email",
	    .message = "This person is a member of the company already."};
	struct op op;
	json_t *row = NULL;
	enum ost_err err = OST_ERR_INVALID;

	ctx_op(c, &op);
	if (c->input_refused)
		ferr = c->input_error;
	else
		err = reg_member_add(&op, ctx_param_id(c, 0), c->input, &row);
	json_decref(row);
	if (err == OST_ERR_INVALID || err == OST_ERR_CONFLICT)
		return company_refused(c, "members", &ferr, err == OST_ERR_CONFLICT ? 409 : 400);
	return err ? err : company_saved(c, "members");
}

enum ost_err
admin_members_remove(struct ctx *c)
{
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_member_remove(&op, ctx_param_id(c, 0), ctx_param_id(c, 1));
	return err ? err : company_saved(c, "members");
}

enum ost_err
admin_installs_add(struct ctx *c)
{
	struct field_error ferr = {.field = "app_id", .message = "Choose an application."};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	if (c->input_refused)
		return company_refused(c, "apps", &ferr, 400);
	ctx_op(c, &op);
	err = reg_install(&op, ctx_param_id(c, 0),
	    json_integer_value(json_object_get(c->input, "app_id")), 1, &row);
	json_decref(row);
	if (err == OST_ERR_CONFLICT) {
		snprintf(ferr.message, sizeof(ferr.message),
		    "The application is installed in this company already.");
		return company_refused(c, "apps", &ferr, 409);
	}
	return err ? err : company_saved(c, "apps");
}

enum ost_err
admin_installs_remove(struct ctx *c)
{
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_install(&op, ctx_param_id(c, 0), ctx_param_id(c, 1), 0, NULL);
	return err ? err : company_saved(c, "apps");
}

/* ---- people ---- */

static const char *const people_columns[] = {"email", "first_name", "last_name", "roles",
    "enabled", NULL};

static enum ost_err person_panels(struct ctx *c, const json_t *row, json_t *tree) OST_MUST_CHECK;

static const struct admin_view people_view = {
	.r = &reg_people,
	.title = "People",
	.path = "/admin/people",
	.noun = "person",
	.columns = people_columns,
	.ops = &reg_person_ops,
	.panels = person_panels,
};

/* On one's own page: the form that changes one's password, with the
 * current one (any console role may use it). */
static enum ost_err
person_panels(struct ctx *c, const json_t *row, json_t *tree)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	json_t *panel;

	if (id != c->who.user_id)
		return OST_OK;
	if (!(panel = admin_panel("password", "Your password", NULL, "")))
		return OST_ERR_NOMEM;
	json_object_set_new(panel, "note", json_string("Your other sessions end when you change "
	    "it."));
	admin_panel_form(panel, admin_href(c, "/admin/people/%lld/password", id),
	    admin_panel_fields(c, tree, "password", reg_password_change_body.fields,
	        reg_password_change_body.n, NULL, 0),
	    "Change password");
	admin_panel_form_hidden(panel, "version", json_object_get(row, "version"));
	json_array_append_new(json_object_get(tree, "panels"), panel);
	return OST_OK;
}

enum ost_err admin_people(struct ctx *c) { return admin_list(c, &people_view); }
enum ost_err admin_people_new(struct ctx *c) { return admin_new(c, &people_view); }
enum ost_err admin_people_create(struct ctx *c) { return admin_create(c, &people_view); }
enum ost_err admin_people_show(struct ctx *c) { return admin_show(c, &people_view); }
enum ost_err admin_people_update(struct ctx *c) { return admin_update(c, &people_view); }
enum ost_err admin_people_delete(struct ctx *c) { return admin_delete(c, &people_view); }

/* The page of person ROW again, the password form refused with WHY. */
static OST_MUST_CHECK enum ost_err
password_refused(struct ctx *c, const json_t *row, const struct field_error *why, int status)
{
	return admin_panel_refused(c, &people_view, row, "password", why, status);
}

enum ost_err
admin_people_password(struct ctx *c)
{
	struct field_error ferr = c->input_error;
	long long id = ctx_param_id(c, 0), version = 0;
	int if_match = 0, status = 400;
	char path[96];
	struct op op;
	json_t *current = NULL, *row = NULL;
	enum ost_err err = store_resource_get(&reg_people, id, &current);

	if (err)
		return err;
	ctx_op(c, &op);
	if (id != c->who.user_id) {
		err = op_refuse(&ferr, OST_ERR_FORBIDDEN, NULL,
		    "This form changes only your own password.");
		status = 403;
	} else if (version_or_reply(c, &version, &if_match))
		err = op_refuse(&ferr, OST_ERR_INVALID, NULL,
		    "The form lost its version: open the page again.");
	else if (c->input_refused)
		err = OST_ERR_INVALID;
	else if (!json_is_string(json_object_get(c->input, "password")))
		err = op_refuse(&ferr, OST_ERR_INVALID, "password", "Enter your new password.");
	else if ((err = reg_person_update(&op, id, version, c->input, &row, &ferr))) {
		status = err == OST_ERR_THROTTLED ? 429 : admin_refusal_status(err);
		if (err == OST_ERR_CONFLICT && row)
			ferr = (struct field_error){.message = "Someone changed your details since you "
			    "opened the page: look again."};
	}
	if (err == OST_ERR_INVALID || err == OST_ERR_FORBIDDEN || err == OST_ERR_CONFLICT ||
	    err == OST_ERR_THROTTLED)
		err = password_refused(c, row ? row : current, &ferr, status);
	else if (!err) {
		snprintf(path, sizeof(path), "/admin/people/%lld?saved=1", id);
		err = response_redirect(c->res, &c->app->cfg, path);
	}
	json_decref(row);
	json_decref(current);
	return err;
}
