/* people.h - what the people resource writes beside its own columns: the
 * password hash and the console roles */
#ifndef OST_STORE_PEOPLE_H
#define OST_STORE_PEOPLE_H

#include <jansson.h>
#include "core/err.h"

/* store_person_set_password - store the PHC string HASH (NULL: no password)
 * for person ID. */
enum ost_err store_person_set_password(long long id, const char *hash) OST_MUST_CHECK;

/* store_person_set_roles - make ROLES (an array of role names, already
 * validated) the console roles of person ID; call inside a transaction. */
enum ost_err store_person_set_roles(long long id, const json_t *roles) OST_MUST_CHECK;

#endif
