/* suites.c - suites and their projects: their tables */
#include "registry/suites.h"

#include "core/gen.h"
#include "registry/resource.h"

static const struct field suite_fields[] = {
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100,
	    .flags = FIELD_REQUIRED},
	{.name = "description", .label = "Description", .kind = FIELD_TEXT, .min = 0, .max = 1000},
};
static const char *const suite_cols[] = {"name", "description", NULL};
static const struct resource_filter suite_filters[] = {{"name", FILTER_CONTAINS}};

const struct field_table reg_suite_body = FIELD_TABLE("Suite", suite_fields);

/* What a row holds besides its fields (STMT_SUITE_GET). */
static const struct field_table suite_out = {"Suite", reg_row_fields, REG_ROW_NFIELDS};

const struct resource reg_suites = {
	.type = "suite",
	.fields = suite_fields,
	.nfields = sizeof(suite_fields) / sizeof(suite_fields[0]),
	.out = &suite_out,
	.insert_cols = suite_cols,
	.update_cols = suite_cols,
	.filters = suite_filters,
	.nfilters = 1,
	.list = STMT_SUITE_LIST,
	.get = STMT_SUITE_GET,
	.insert = STMT_SUITE_INSERT,
	.update = STMT_SUITE_UPDATE,
	.del = STMT_SUITE_DELETE,
	.invalidates = GEN_BIT(GEN_APPS), /* its applications' identity sheets */
};

static const char *const project_insert[] = {"suite_id", "name", "description", NULL};
static const struct resource_filter project_filters[] = {
	{"suite_id", FILTER_ID}, {"name", FILTER_CONTAINS}};

const struct field_table reg_project_body = FIELD_TABLE("Project", suite_fields);

/* A project's row: a suite's, and the suite it belongs to. */
static const struct field project_out_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "suite_id", .kind = FIELD_ID},
	{.name = "version", .kind = FIELD_INT},
	{.name = "created_at", .kind = FIELD_TIME},
	{.name = "updated_at", .kind = FIELD_TIME},
};
static const struct field_table project_out = FIELD_TABLE("Project", project_out_fields);

const struct resource reg_projects = {
	.type = "project",
	.fields = suite_fields,
	.nfields = sizeof(suite_fields) / sizeof(suite_fields[0]),
	.out = &project_out,
	.insert_cols = project_insert,
	.update_cols = suite_cols,
	.filters = project_filters,
	.nfilters = 2,
	.list = STMT_PROJECT_LIST,
	.get = STMT_PROJECT_GET,
	.insert = STMT_PROJECT_INSERT,
	.update = STMT_PROJECT_UPDATE,
	.del = STMT_PROJECT_DELETE,
	.parent = &reg_suites,
	.invalidates = GEN_BIT(GEN_APPS), /* its applications' identity sheets */
};
