/* people.c - what the people resource writes beside its own columns: the
 * password hash and the console roles */
#include "store/people.h"

#include <stdio.h>
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
	char set[128] = ""; /* the SET column's text: "A,B" */
	const json_t *role;
	size_t i, len = 0;

	json_array_foreach(roles, i, role) {
		int n = snprintf(set + len, sizeof(set) - len, "%s%s", len ? "," : "",
		    json_string_value(role));
		if (n < 0 || (size_t)n >= sizeof(set) - len)
			return OST_ERR_INVALID;
		len += (size_t)n;
	}
	return db_exec(STMT_USER_SET_ROLES, DB_ARGS(DB_S(set), DB_I(id)), NULL, NULL);
}
