/* companies.h - companies (tenants), their members and the applications
 * installed into them */
#ifndef OST_REGISTRY_COMPANIES_H
#define OST_REGISTRY_COMPANIES_H

#include "registry/op.h"
#include "store/resource.h"

/* Fields name (1-100 characters) and slug (lower-case words joined by
 * single hyphens, unique). */
extern const struct resource reg_companies;
extern const struct field_table reg_company_body;

/* A new membership: email (required), first_name, last_name (used only
 * when the person is new). */
extern const struct field_table reg_member_body;
/* What a membership's row holds: id, company_id, user_id and the person's
 * email, first_name, last_name; created_at. */
extern const struct field_table reg_member_row;

/* reg_member_add - add the person of IN (reg_member_body) to COMPANY,
 * creating the person when new, audited in one change; *ROW gets the
 * membership. OST_ERR_NOT_FOUND (no company), OST_ERR_CONFLICT (a member
 * already). */
enum ost_err reg_member_add(const struct op *op, long long company, const json_t *in,
    json_t **row) OST_MUST_CHECK;

/* reg_member_remove - end membership ID of COMPANY, audited. */
enum ost_err reg_member_remove(const struct op *op, long long company, long long id)
    OST_MUST_CHECK;

/* An installation from the console: app_id (required). */
extern const struct field_table reg_install_body;
/* What an installed application's row holds: id, name, installed_at. */
extern const struct field_table reg_install_row;

/* reg_install - install (INSTALL) or uninstall application APP in COMPANY,
 * audited; *ROW (when installing, else NULL) gets the installed
 * application's list entry. OST_ERR_NOT_FOUND (no company, application or
 * installation), OST_ERR_CONFLICT (installed already). */
enum ost_err reg_install(const struct op *op, long long company, long long app, int install,
    json_t **row) OST_MUST_CHECK;

#endif
