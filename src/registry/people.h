/* people.h - people: the console roles they hold, their passwords, and the
 * rules of who may change whom */
#ifndef OST_REGISTRY_PEOPLE_H
#define OST_REGISTRY_PEOPLE_H

#include "registry/op.h"
#include "registry/resource.h"
#include "store/resource.h"

/* Fields: email, first_name, last_name, password (write-only; null or
 * absent leaves it as it is), enabled, roles (a list of console role
 * names). Rows carry roles as a list and never the password or its hash. */
extern const struct resource reg_people;
extern const struct field_table reg_person_body;

/* The operations. Each applies the role rules, writes and audits (never
 * the password) in one change. A refusal is OST_ERR_FORBIDDEN (403) or
 * OST_ERR_CONFLICT (409) with WHY naming the field (or NULL) and saying
 * why; other errors leave WHY alone.
 *
 * reg_person_create - a new person from IN (reg_person_body, create mode;
 * the password hashed with Argon2id); *ROW gets it. Only a
 * SUPER_ADMINISTRATOR may give roles. */
enum ost_err reg_person_create(const struct op *op, const json_t *in, json_t **row,
    struct field_error *why) OST_MUST_CHECK;

/* reg_person_update - merge IN (update mode) over person ID if it still has
 * VERSION; *ROW gets the person written, or the current one when the
 * version is stale (OST_ERR_CONFLICT, WHY naming "version"). Only a
 * SUPER_ADMINISTRATOR changes roles or a SUPER_ADMINISTRATOR; nobody
 * removes their own SUPER_ADMINISTRATOR role. */
enum ost_err reg_person_update(const struct op *op, long long id, long long version,
    const json_t *in, json_t **row, struct field_error *why) OST_MUST_CHECK;

/* reg_person_delete - delete person ID, unless it is the actor (409), or a
 * SUPER_ADMINISTRATOR and the actor is not (403). */
enum ost_err reg_person_delete(const struct op *op, long long id, struct field_error *why)
    OST_MUST_CHECK;

/* reg_admin_create - a new SUPER_ADMINISTRATOR EMAIL with the PHC password
 * hash PHC (ostiumctl create-admin), audited as OP's actor; *ID gets the
 * person's id. OST_ERR_CONFLICT when the email is taken. */
enum ost_err reg_admin_create(const struct op *op, const char *email, const char *phc,
    long long *id) OST_MUST_CHECK;

/* The operations above, for the faces' generic handlers. */
extern const struct reg_ops reg_person_ops;

#endif
