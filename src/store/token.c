/* token.c - administrators' personal API tokens, stored by their SHA-256 */
#include "store/token.h"

#include <string.h>

#include "crypto/crypto.h"
#include "store/db.h"

enum ost_err
store_token_create(long long user_id, const char *name, const uint8_t *hash, long long days,
    const char *expires_at, long long *id)
{
	struct db_arg d = days > 0 ? DB_I(days) : (struct db_arg){.type = DB_NULL};
	struct db_arg at = expires_at ? DB_S(expires_at) : (struct db_arg){.type = DB_NULL};
	unsigned long long tid = 0;
	enum ost_err err = db_exec(STMT_TOKEN_INSERT,
	    DB_ARGS(DB_I(user_id), DB_S(name), DB_B(hash, CRYPTO_SHA256_LEN), d, at), NULL, &tid);

	if (!err)
		*id = (long long)tid;
	return err;
}

enum ost_err
store_token_lookup(const uint8_t *hash, json_t **row)
{
	return db_row(STMT_TOKEN_LOOKUP, DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN)), row);
}

enum ost_err
store_token_touch(long long id)
{
	return db_exec(STMT_TOKEN_TOUCH, DB_ARGS(DB_I(id)), NULL, NULL);
}

enum ost_err
store_token_list(long long user_id, json_t **rows)
{
	return db_rows(STMT_TOKEN_LIST, DB_ARGS(DB_I(user_id)), rows);
}

enum ost_err
store_token_revoke(long long user_id, long long id)
{
	unsigned long long n = 0;
	enum ost_err err = db_exec(STMT_TOKEN_REVOKE, DB_ARGS(DB_I(id), DB_I(user_id)), &n, NULL);

	return err ? err : n ? OST_OK : OST_ERR_NOT_FOUND;
}

enum ost_err
store_token_revoke_all(long long user_id, unsigned long long *revoked)
{
	return db_exec(STMT_TOKEN_REVOKE_ALL, DB_ARGS(DB_I(user_id)), revoked, NULL);
}

enum ost_err
store_token_get(long long user_id, long long id, json_t **row)
{
	return db_row(STMT_TOKEN_GET, DB_ARGS(DB_I(id), DB_I(user_id)), row);
}
