/* companies.h - the company resource, for the API and the console */
#ifndef OST_API_COMPANIES_H
#define OST_API_COMPANIES_H

#include "http/routes.h"
#include "store/resource.h"

extern const struct resource companies_resource;

/* The fields of a new membership: email (required), first_name, last_name
 * (used only when the person is new). */
extern const struct field member_fields[];
extern const size_t member_nfields;

/* A store function listing what company COMPANY holds after id AFTER, at
 * most LIMIT rows (store_member_list, store_install_list). */
typedef enum ost_err (*company_lister)(long long company, long long after, unsigned limit,
    json_t **rows);

/* companies_child_list - answer a page of what company {id} (the first path
 * parameter) holds, by LIST: 404 when there is no such company, 400 on bad
 * limit or cursor. */
enum ost_err companies_child_list(struct ctx *c, company_lister list);

/* members_do_add - validate the request body (member_fields) and add the
 * membership to COMPANY, creating the person when new, with its audit
 * entries in one transaction; *ROW gets the membership. OST_ERR_INVALID
 * with FERR, OST_ERR_NOT_FOUND (no company), OST_ERR_CONFLICT (a member). */
enum ost_err members_do_add(struct ctx *c, long long company, json_t **row,
    struct field_error *ferr);

/* members_do_remove - end membership ID of COMPANY, audited. */
enum ost_err members_do_remove(struct ctx *c, long long company, long long id);

/* installs_do_change - install (INSTALL) or uninstall application APP in
 * COMPANY, audited, in one transaction; *ROW (when installing) gets the
 * installed application's list entry. OST_ERR_NOT_FOUND (no company, app
 * or installation), OST_ERR_CONFLICT (installed already). */
enum ost_err installs_do_change(struct ctx *c, long long company, long long app, int install,
    json_t **row);

#endif
