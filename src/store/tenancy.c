/* tenancy.c - memberships of people in companies and installations of
 * applications into companies */
#include "store/tenancy.h"

#include <string.h>

#include "store/db.h"

enum ost_err
store_company_exists(long long id)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_COMPANY_GET, DB_ARGS(DB_I(id)), &row);

	json_decref(row);
	return err;
}

enum ost_err
store_member_list(long long company, long long after, unsigned limit, json_t **rows)
{
	return db_rows(STMT_MEMBER_LIST, DB_ARGS(DB_I(company), DB_I(after), DB_I(limit)), rows);
}

enum ost_err
store_member_get(long long company, long long id, json_t **row)
{
	return db_row(STMT_MEMBER_GET, DB_ARGS(DB_I(company), DB_I(id)), row);
}

enum ost_err
store_member_of_user(long long company, long long user, json_t **row)
{
	return db_row(STMT_MEMBER_OF_USER, DB_ARGS(DB_I(company), DB_I(user)), row);
}

enum ost_err
store_member_add(long long company, const char *email, const char *first_name,
    const char *last_name, long long *id, long long *user_id, int *created)
{
	unsigned long long nid = 0;
	json_t *person = NULL;
	enum ost_err err = db_row(STMT_USER_BY_EMAIL, DB_ARGS(DB_S(email)), &person);

	*created = 0;
	if (err == OST_ERR_NOT_FOUND) {
		err = db_exec(STMT_USER_INSERT, DB_ARGS(DB_S(email), DB_S(first_name),
		    DB_S(last_name), (struct db_arg){.type = DB_NULL}), NULL, &nid);
		*user_id = (long long)nid;
		*created = !err;
	} else if (!err)
		*user_id = json_integer_value(json_object_get(person, "id"));
	json_decref(person);
	if (err)
		return err;
	err = db_exec(STMT_MEMBER_INSERT, DB_ARGS(DB_I(company), DB_I(*user_id)), NULL, &nid);
	if (!err)
		*id = (long long)nid;
	return err;
}

/* Run S on (A, B); OST_ERR_NOT_FOUND when it changed no row. */
static OST_MUST_CHECK enum ost_err
exec_pair(enum stmt s, long long a, long long b)
{
	unsigned long long affected = 0;
	enum ost_err err = db_exec(s, DB_ARGS(DB_I(a), DB_I(b)), &affected, NULL);

	return err ? err : affected ? OST_OK : OST_ERR_NOT_FOUND;
}

enum ost_err
store_member_delete(long long company, long long id)
{
	return exec_pair(STMT_MEMBER_DELETE, company, id);
}

enum ost_err
store_install_app(long long id, json_t **row)
{
	return db_row(STMT_INSTALL_APP_GET, DB_ARGS(DB_I(id)), row);
}

enum ost_err
store_install_list(long long company, long long after, unsigned limit, json_t **rows)
{
	return db_rows(STMT_INSTALL_LIST, DB_ARGS(DB_I(company), DB_I(after), DB_I(limit)), rows);
}

enum ost_err
store_install_add(long long company, long long app)
{
	return db_exec(STMT_INSTALL_INSERT, DB_ARGS(DB_I(company), DB_I(app)), NULL, NULL);
}

enum ost_err
store_install_remove(long long company, long long app)
{
	return exec_pair(STMT_INSTALL_DELETE, company, app);
}
