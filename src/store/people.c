/* people.c - what the people resource writes beside its own columns: the
 * password hash and the console roles */
#include "store/people.h"

#include <string.h>

#include "store/db.h"

enum ost_err
store_person_set_password(long long id, const char *hash)
{
	struct db_arg h = hash ? DB_S(hash) : (struct db_arg){.type = DB_NULL};

	return db_exec(STMT_PERSON_SET_PASSWORD, DB_ARGS(h, DB_I(id)), NULL, NULL);
}

enum ost_err
store_person_set_roles(long long id, const json_t *roles)
{
	enum ost_err err = db_exec(STMT_PERSON_ROLES_CLEAR, DB_ARGS(DB_I(id)), NULL, NULL);
	const json_t *role;
	size_t i;

	json_array_foreach(roles, i, role) {
		if (err)
			break;
		err = db_exec(STMT_USER_ROLE_INSERT,
		    DB_ARGS(DB_I(id), DB_S(json_string_value(role))), NULL, NULL);
	}
	return err;
}
