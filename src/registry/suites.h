/* suites.h - suites and their projects: their tables (the operations are
 * the generic ones of registry/resource.h) */
#ifndef OST_REGISTRY_SUITES_H
#define OST_REGISTRY_SUITES_H

#include "store/resource.h"

/* Fields name (1-100 characters, required) and description (up to 1000);
 * a project's suite is the suite it is created under. */
extern const struct resource reg_suites;
extern const struct resource reg_projects;
extern const struct field_table reg_suite_body;   /* what a client writes */
extern const struct field_table reg_project_body;

#endif
