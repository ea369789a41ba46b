/* tenancy.h - memberships of people in companies and installations of
 * applications into companies */
#ifndef OST_STORE_TENANCY_H
#define OST_STORE_TENANCY_H

#include <jansson.h>
#include "core/err.h"

/* store_company_exists - OST_OK when company ID exists, else OST_ERR_NOT_FOUND. */
enum ost_err store_company_exists(long long id) OST_MUST_CHECK;

/* store_member_list - *ROWS gets the memberships of COMPANY with id above
 * AFTER, at most LIMIT, by id: {id, company_id, user_id, email, first_name,
 * last_name, created_at}. */
enum ost_err store_member_list(long long company, long long after, unsigned limit,
    json_t **rows) OST_MUST_CHECK;

/* store_member_get - *ROW gets membership ID of COMPANY; OST_ERR_NOT_FOUND
 * when there is none (or it belongs to another company). */
enum ost_err store_member_get(long long company, long long id, json_t **row) OST_MUST_CHECK;

/* store_member_of_user - *ROW gets the membership of person USER in
 * COMPANY; OST_ERR_NOT_FOUND when they are no member there. */
enum ost_err store_member_of_user(long long company, long long user, json_t **row) OST_MUST_CHECK;

/* store_member_add - make the person with EMAIL (found case-insensitively,
 * or created without a password with FIRST_NAME and LAST_NAME) a member of
 * COMPANY; call inside a transaction. *ID gets the membership id, *USER_ID
 * the person's, *CREATED 1 when the person is new. OST_ERR_CONFLICT when
 * the person is a member already. */
enum ost_err store_member_add(long long company, const char *email, const char *first_name,
    const char *last_name, long long *id, long long *user_id, int *created) OST_MUST_CHECK;

/* store_member_delete - remove membership ID of COMPANY; OST_ERR_NOT_FOUND
 * when there is none. */
enum ost_err store_member_delete(long long company, long long id) OST_MUST_CHECK;

/* store_install_app - *ROW gets {id, name} of application ID;
 * OST_ERR_NOT_FOUND when there is none. */
enum ost_err store_install_app(long long id, json_t **row) OST_MUST_CHECK;

/* store_install_list - *ROWS gets the applications installed in COMPANY
 * with id above AFTER, at most LIMIT, by id: {id, name, installed_at}. */
enum ost_err store_install_list(long long company, long long after, unsigned limit,
    json_t **rows) OST_MUST_CHECK;

/* store_install_add - install application APP in COMPANY; OST_ERR_CONFLICT
 * when it is installed already. */
enum ost_err store_install_add(long long company, long long app) OST_MUST_CHECK;

/* store_install_remove - uninstall APP from COMPANY; OST_ERR_NOT_FOUND when
 * it was not installed. */
enum ost_err store_install_remove(long long company, long long app) OST_MUST_CHECK;

#endif
