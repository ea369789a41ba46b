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

#endif
