/* suites.c - suites and their projects: the field tables and the API handlers */
#include "api/handlers.h"
#include "api/resource.h"
#include "api/suites.h"

static const struct field suite_fields[] = {
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100,
	    .flags = FIELD_REQUIRED},
	{.name = "description", .label = "Description", .kind = FIELD_TEXT, .min = 0, .max = 1000},
};
static const char *const suite_cols[] = {"name", "description", NULL};
static const struct resource_filter suite_filters[] = {{"name", FILTER_CONTAINS}};

const struct resource suites_resource = {
	.type = "suite",
	.path = "/api/v1/suites",
	.title = "Suites",
	.fields = suite_fields,
	.nfields = sizeof(suite_fields) / sizeof(suite_fields[0]),
	.insert_cols = suite_cols,
	.update_cols = suite_cols,
	.filters = suite_filters,
	.nfilters = 1,
	.list = STMT_SUITE_LIST,
	.get = STMT_SUITE_GET,
	.insert = STMT_SUITE_INSERT,
	.update = STMT_SUITE_UPDATE,
	.del = STMT_SUITE_DELETE,
};

static const struct field project_fields[] = {
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100,
	    .flags = FIELD_REQUIRED},
	{.name = "description", .label = "Description", .kind = FIELD_TEXT, .min = 0, .max = 1000},
};
static const char *const project_insert[] = {"suite_id", "name", "description", NULL};
static const struct resource_filter project_filters[] = {
	{"suite_id", FILTER_ID}, {"name", FILTER_CONTAINS}};

const struct resource projects_resource = {
	.type = "project",
	.path = "/api/v1/projects",
	.title = "Projects",
	.fields = project_fields,
	.nfields = sizeof(project_fields) / sizeof(project_fields[0]),
	.insert_cols = project_insert,
	.update_cols = suite_cols,
	.filters = project_filters,
	.nfilters = 2,
	.list = STMT_PROJECT_LIST,
	.get = STMT_PROJECT_GET,
	.insert = STMT_PROJECT_INSERT,
	.update = STMT_PROJECT_UPDATE,
	.del = STMT_PROJECT_DELETE,
	.parent = &suites_resource,
};

enum ost_err api_suites_list(struct ctx *c) { return resource_list(c, &suites_resource); }
enum ost_err api_suites_get(struct ctx *c) { return resource_get(c, &suites_resource); }
enum ost_err api_suites_create(struct ctx *c) { return resource_create(c, &suites_resource); }
enum ost_err api_suites_update(struct ctx *c) { return resource_update(c, &suites_resource); }
enum ost_err api_suites_delete(struct ctx *c) { return resource_delete(c, &suites_resource); }
enum ost_err api_projects_list(struct ctx *c) { return resource_list(c, &projects_resource); }
enum ost_err api_projects_get(struct ctx *c) { return resource_get(c, &projects_resource); }
enum ost_err api_projects_create(struct ctx *c) { return resource_create(c, &projects_resource); }
enum ost_err api_projects_update(struct ctx *c) { return resource_update(c, &projects_resource); }
enum ost_err api_projects_delete(struct ctx *c) { return resource_delete(c, &projects_resource); }
