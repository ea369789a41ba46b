/* connection.c - connected accounts, their refresh leases, the states of
 * the connect flow, and what a member's view reads */
#include "store/connection.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"

static const struct db_arg null_arg = {.type = DB_NULL};

/* Booleans MariaDB hands back as numbers, and the scopes list parsed. */
static void
conn_fix(json_t *row)
{
	static const char *const flags[] = {"expired", "due", "leased", "cooling"};
	const char *text = json_string_value(json_object_get(row, "scopes"));
	json_t *scopes = text ? json_loads(text, 0, NULL) : NULL;
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		db_bool(row, flags[i]);
	if (json_object_get(row, "scopes"))
		json_object_set_new(row, "scopes", json_is_array(scopes) ? scopes : json_array());
	if (scopes && !json_is_array(scopes))
		json_decref(scopes);
}

static void
conn_fix_all(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row)
		conn_fix(row);
}

enum ost_err
store_conn_insert(const json_t *v, long long *id)
{
	char *scopes = json_dumps(json_object_get(v, "scopes"), JSON_COMPACT);
	unsigned long long nid = 0;
	long long member = json_integer_value(json_object_get(v, "membership_id"));
	long long user = json_integer_value(json_object_get(v, "user_id"));
	enum ost_err err;

	if (!scopes)
		return OST_ERR_NOMEM;
	err = db_exec(STMT_CONN_INSERT, DB_ARGS(
	    DB_I(json_integer_value(json_object_get(v, "provider_id"))),
	    DB_I(json_integer_value(json_object_get(v, "app_id"))),
	    DB_I(json_integer_value(json_object_get(v, "company_id"))),
	    member > 0 ? DB_I(member) : null_arg, user > 0 ? DB_I(user) : null_arg,
	    DB_S(json_string_value(json_object_get(v, "visibility"))),
	    DB_S(json_string_value(json_object_get(v, "name"))),
	    DB_S(json_string_value(json_object_get(v, "handle"))), DB_S(scopes)), NULL, &nid);
	free(scopes);
	*id = (long long)nid;
	return err;
}

/* Run S (set_tokens or refreshed) for T over connection ID, with LEASE_ID
 * (NULL: none) last; *N gets the rows changed. */
static OST_MUST_CHECK enum ost_err
write_tokens(enum stmt s, long long id, const uint8_t *lease_id, const struct conn_tokens *t,
    unsigned long long *n)
{
	struct db_arg args[11] = {
	    DB_B(t->access, t->access_len), t->refresh ? DB_B(t->refresh, t->refresh_len) : null_arg,
	    DB_I(t->key_id), DB_S(t->token_type), DB_S(t->scopes), DB_I(t->expires_in),
	    DB_I(t->expires_in), DB_I(id)};
	size_t nargs = 8;

	if (lease_id)
		args[nargs++] = DB_B(lease_id, CONN_LEASE_ID_LEN);
	return db_exec(s, args, nargs, n, NULL);
}

enum ost_err
store_conn_set_tokens(long long id, const struct conn_tokens *t)
{
	unsigned long long n = 0;
	enum ost_err err = write_tokens(STMT_CONN_SET_TOKENS, id, NULL, t, &n);

	return err ? err : n ? OST_OK : OST_ERR_NOT_FOUND;
}

enum ost_err
store_conn_get(long long id, json_t **row)
{
	enum ost_err err = db_row(STMT_CONN_GET, DB_ARGS(DB_I(id)), row);

	if (!err)
		conn_fix(*row);
	return err;
}

enum ost_err
store_conn_list_app(long long app, long long company, const char *provider, long long member,
    long long after, unsigned limit, json_t **rows)
{
	enum ost_err err = db_rows(STMT_CONN_LIST_APP, DB_ARGS(DB_I(app), DB_I(company),
	    DB_S(provider), DB_S(provider), DB_I(member), DB_I(member), DB_I(after), DB_I(limit)),
	    rows);

	if (!err)
		conn_fix_all(*rows);
	return err;
}

enum ost_err
store_conn_list_member(long long app, long long company, long long user, json_t **rows)
{
	enum ost_err err = db_rows(STMT_CONN_LIST_MEMBER,
	    DB_ARGS(DB_I(app), DB_I(company), DB_I(user)), rows);

	if (!err)
		conn_fix_all(*rows);
	return err;
}

enum ost_err
store_conn_list_company(long long company, long long after, unsigned limit, json_t **rows)
{
	enum ost_err err = db_rows(STMT_CONN_LIST_COMPANY,
	    DB_ARGS(DB_I(company), DB_I(after), DB_I(limit)), rows);

	if (!err)
		conn_fix_all(*rows);
	return err;
}

enum ost_err
store_conn_rename(long long id, const char *name)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_CONN_RENAME, DB_ARGS(DB_S(name), DB_I(id)), &n, NULL);

	return err ? err : n ? OST_OK : OST_ERR_NOT_FOUND;
}

enum ost_err
store_conn_delete(long long id)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_CONN_DELETE, DB_ARGS(DB_I(id)), &n, NULL);

	return err ? err : n ? OST_OK : OST_ERR_NOT_FOUND;
}

enum ost_err
store_conn_count_own(long long provider, long long user, long long *n)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_CONN_COUNT_OWN, DB_ARGS(DB_I(provider), DB_I(user)), &row);

	*n = err ? 0 : json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	return err;
}

enum ost_err
store_conn_of(enum conn_of of, long long a, long long b, json_t **rows)
{
	static const enum stmt stmts[] = {
	    [CONN_OF_ONE] = STMT_CONN_OF_ONE,
	    [CONN_OF_MEMBER] = STMT_CONN_OF_MEMBER,
	    [CONN_OF_USER] = STMT_CONN_OF_USER,
	    [CONN_OF_INSTALL] = STMT_CONN_OF_INSTALL,
	    [CONN_OF_PROVIDER] = STMT_CONN_OF_PROVIDER,
	    [CONN_OF_APP] = STMT_CONN_OF_APP,
	};

	if ((unsigned)of >= sizeof(stmts) / sizeof(stmts[0]))
		return OST_ERR_INTERNAL;
	return db_rows(stmts[of], DB_ARGS(DB_I(a), DB_I(b), DB_I(b)), rows);
}

enum ost_err
store_conn_lease(long long id, long long token_version, const uint8_t lease_id[CONN_LEASE_ID_LEN],
    const char *owner, unsigned seconds, int *taken)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_CONN_LEASE, DB_ARGS(DB_B(lease_id, CONN_LEASE_ID_LEN),
	    DB_S(owner), DB_I(seconds), DB_I(id), DB_I(token_version)), &n, NULL);

	*taken = !err && n == 1;
	return err;
}

enum ost_err
store_conn_refreshed(long long id, const uint8_t lease_id[CONN_LEASE_ID_LEN],
    const struct conn_tokens *t, int *stored)
{
	unsigned long long n = 0;
	enum ost_err err = write_tokens(STMT_CONN_REFRESHED, id, lease_id, t, &n);

	*stored = !err && n == 1;
	return err;
}

enum ost_err
store_conn_refresh_failed(long long id, const uint8_t lease_id[CONN_LEASE_ID_LEN],
    const char *status, long long retry, const char *why, int *stored)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_CONN_REFRESH_FAILED, DB_ARGS(DB_S(status), DB_S(status),
	    DB_I(retry), DB_I(retry < 0 ? 0 : retry), DB_S(why), DB_I(id),
	    DB_B(lease_id, CONN_LEASE_ID_LEN)), &n, NULL);

	*stored = !err && n == 1;
	return err;
}

enum ost_err
store_state_insert(const uint8_t *hash, const uint8_t *session, const json_t *what,
    const uint8_t *verifier, size_t n, unsigned key_id, unsigned ttl)
{
	long long conn = json_integer_value(json_object_get(what, "connection_id"));
	enum ost_err err = db_exec(STMT_STATE_PURGE, DB_NOARGS, NULL, NULL);

	if (err)
		return err;
	return db_exec(STMT_STATE_INSERT, DB_ARGS(DB_B(hash, 32), DB_B(session, 32),
	    DB_I(json_integer_value(json_object_get(what, "user_id"))),
	    DB_I(json_integer_value(json_object_get(what, "membership_id"))),
	    DB_I(json_integer_value(json_object_get(what, "provider_id"))),
	    DB_I(json_integer_value(json_object_get(what, "app_id"))),
	    DB_I(json_integer_value(json_object_get(what, "company_id"))),
	    DB_S(json_string_value(json_object_get(what, "visibility"))),
	    conn > 0 ? DB_I(conn) : null_arg, verifier ? DB_B(verifier, n) : null_arg,
	    verifier ? DB_I(key_id) : null_arg, DB_I(ttl)), NULL, NULL);
}

enum ost_err
store_state_pending(const uint8_t *session, long long *n)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_STATE_PENDING, DB_ARGS(DB_B(session, 32)), &row);

	*n = err ? 0 : json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	return err;
}

enum ost_err
store_state_take(const uint8_t *hash, json_t **row)
{
	unsigned long long n = 0;
	enum ost_err err = db_row(STMT_STATE_GET, DB_ARGS(DB_B(hash, 32)), row);

	if (!err)
		err = db_exec(STMT_STATE_DELETE,
		    DB_ARGS(DB_I(json_integer_value(json_object_get(*row, "id")))), &n, NULL);
	if (!err && n != 1)
		err = OST_ERR_NOT_FOUND; /* another caller took it first */
	if (err) {
		json_decref(*row);
		*row = NULL;
	} else
		db_bool(*row, "expired");
	return err;
}

enum ost_err
store_my_memberships(long long user, json_t **rows)
{
	return db_rows(STMT_MY_MEMBERSHIPS, DB_ARGS(DB_I(user)), rows);
}

enum ost_err
store_my_membership(long long user, long long company, json_t **row)
{
	return db_row(STMT_MY_MEMBERSHIP, DB_ARGS(DB_I(user), DB_I(company)), row);
}

enum ost_err
store_install_exists(long long app, long long company, json_t **row)
{
	return db_row(STMT_INSTALL_EXISTS, DB_ARGS(DB_I(app), DB_I(company)), row);
}

enum ost_err
store_person_is_member(long long user, int *member)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_PERSON_IS_MEMBER, DB_ARGS(DB_I(user)), &row);

	*member = err == OST_OK;
	json_decref(row);
	return err == OST_ERR_NOT_FOUND ? OST_OK : err;
}
