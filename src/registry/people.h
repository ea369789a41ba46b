/* people.h - people: the console roles they hold, their passwords, and the
 * rules of who may change whom */
#ifndef OST_REGISTRY_PEOPLE_H
#define OST_REGISTRY_PEOPLE_H

#include "registry/op.h"
#include "registry/resource.h"
#include "store/resource.h"

/* Fields: email, first_name, last_name, enabled, roles (a list of console
 * role names), password (write-only; null or absent leaves it as it is).
 * Rows carry roles as a list and never the password or its hash. */
extern const struct resource reg_people;
extern const struct field_table reg_person_body;
/* What a change of a person may hold: the fields above and
 * current_password (write-only), which a person changing their own
 * password gives. */
extern const struct field_table reg_person_change_body;
/* The two fields a person changes their own password with: password and
 * current_password (a run of reg_person_change_body). */
extern const struct field_table reg_password_change_body;

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

/* reg_person_update - merge IN (reg_person_change_body, update mode) over
 * person ID if it still has VERSION; *ROW gets the person written, or the
 * current one when the version is stale (OST_ERR_CONFLICT, WHY naming
 * "version"). The rules, on what IN changes (a value equal to the
 * current one changes nothing):
 * - whoever holds no role that writes people (only AUDITOR) changes
 *   nothing but their own password;
 * - only a SUPER_ADMINISTRATOR changes roles, a SUPER_ADMINISTRATOR, or
 *   the password, email or enabled state of another person who holds a
 *   console role;
 * - changing one's own password needs current_password, checked like a
 *   sign-in and throttled alike (OST_ERR_INVALID when missing,
 *   OST_ERR_FORBIDDEN when wrong, OST_ERR_THROTTLED, WHY naming it);
 * - nobody removes their own SUPER_ADMINISTRATOR role.
 * A new password or email ends the person's other sessions (all of them
 * when someone else sets it, or the person acts with a token, OP having
 * no session_hash); a password set by someone else also revokes the
 * person's API tokens; all in the same change, counted in its audit
 * entry. */
enum ost_err reg_person_update(const struct op *op, long long id, long long version,
    const json_t *in, json_t **row, struct field_error *why) OST_MUST_CHECK;

/* reg_person_delete - delete person ID, unless it is the actor (409), or
 * holds a console role and the actor is not a SUPER_ADMINISTRATOR (403). */
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
