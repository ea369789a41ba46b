/* oauth_token.c - grants, access and refresh tokens and authorization
 * codes of the authorization server, kept by their SHA-256 only */
#include "store/oauth_token.h"

#include <string.h>

#include "crypto/crypto.h"
#include "store/db.h"

#define DB_NULL_ARG ((struct db_arg){.type = DB_NULL})

/* ID as an argument, NULL when 0. */
static struct db_arg
id_or_null(long long id)
{
	return id > 0 ? DB_I(id) : DB_NULL_ARG;
}

enum ost_err
store_oauth_grant_create(long long app_id, long long user_id, const char *scope,
    int client_authenticated, long long *id)
{
	unsigned long long gid = 0;
	enum ost_err err = db_exec(STMT_OAUTH_GRANT_INSERT,
	    DB_ARGS(DB_I(app_id), id_or_null(user_id), DB_S(scope), DB_I(client_authenticated != 0)),
	    NULL, &gid);

	*id = err ? 0 : (long long)gid;
	return err;
}

enum ost_err
store_oauth_grant_revoke(long long id)
{
	return db_exec(STMT_OAUTH_GRANT_REVOKE, DB_ARGS(DB_I(id)), NULL, NULL);
}

enum ost_err
store_oauth_token_create(const struct oauth_token_row *t)
{
	return db_exec(STMT_OAUTH_TOKEN_INSERT,
	    DB_ARGS(DB_B(t->hash, CRYPTO_SHA256_LEN), DB_S(t->kind), DB_I(t->app_id),
	        id_or_null(t->user_id), id_or_null(t->grant_id), DB_S(t->scope), DB_I(t->ttl)),
	    NULL, NULL);
}

enum ost_err
store_oauth_token_lookup(const uint8_t *hash, json_t **row)
{
	enum ost_err err = db_row(STMT_OAUTH_TOKEN_LOOKUP, DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN)), row);

	if (!err) {
		db_bool(*row, "valid");
		db_bool(*row, "client_authenticated");
		db_bool(*row, "used");
		db_bool(*row, "in_grace");
	}
	return err;
}

enum ost_err
store_oauth_token_revoke(long long id)
{
	return db_exec(STMT_OAUTH_TOKEN_REVOKE, DB_ARGS(DB_I(id)), NULL, NULL);
}

/* Run the conditional UPDATE S: OST_OK when it changed exactly one row. */
static OST_MUST_CHECK enum ost_err
exactly_one(enum stmt s, const struct db_arg *args, size_t n)
{
	unsigned long long changed = 0;
	enum ost_err err = db_exec(s, args, n, &changed, NULL);

	if (err)
		return err;
	return changed == 1 ? OST_OK : OST_ERR_CONFLICT;
}

enum ost_err
store_oauth_refresh_rotate(long long id, unsigned grace)
{
	return exactly_one(STMT_OAUTH_REFRESH_ROTATE, DB_ARGS(DB_I(id), DB_I(grace)));
}

enum ost_err
store_oauth_code_create(const struct oauth_code_row *c)
{
	return db_exec(STMT_OAUTH_CODE_INSERT,
	    DB_ARGS(DB_B(c->hash, CRYPTO_SHA256_LEN), DB_I(c->app_id), DB_I(c->user_id),
	        DB_S(c->redirect_uri), DB_S(c->scope),
	        c->code_challenge ? DB_S(c->code_challenge) : DB_NULL_ARG, DB_I(c->ttl)),
	    NULL, NULL);
}

enum ost_err
store_oauth_code_lookup(const uint8_t *hash, json_t **row)
{
	enum ost_err err = db_row(STMT_OAUTH_CODE_LOOKUP, DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN)), row);

	if (!err) {
		db_bool(*row, "expired");
		db_bool(*row, "used");
	}
	return err;
}

enum ost_err
store_oauth_code_redeem(long long id, long long grant_id)
{
	return exactly_one(STMT_OAUTH_CODE_REDEEM, DB_ARGS(DB_I(grant_id), DB_I(id)));
}

enum ost_err
store_oauth_purge(unsigned limit, unsigned long long *removed, int *more)
{
	static const enum stmt purges[] = {STMT_OAUTH_PURGE_TOKENS, STMT_OAUTH_PURGE_CODES,
	    STMT_OAUTH_PURGE_GRANTS, STMT_OAUTH_PURGE_JTI, STMT_OAUTH_PURGE_SIGNINS};
	unsigned long long n, total = 0;
	enum ost_err err = OST_OK;
	size_t i;

	*more = 0;
	for (i = 0; i < sizeof(purges) / sizeof(purges[0]) && !err; i++) {
		n = 0;
		err = db_exec(purges[i], DB_ARGS(DB_I(limit)), &n, NULL);
		total += n;
		*more |= n >= limit;
	}
	if (removed)
		*removed = total;
	return err;
}

enum ost_err
store_oauth_signins_end(long long user_id, unsigned long long *ended)
{
	return db_exec(STMT_OAUTH_SIGNINS_END, DB_ARGS(DB_I(user_id)), ended, NULL);
}

enum ost_err
store_oauth_user_revoke(long long user_id, unsigned long long *revoked)
{
	enum ost_err err = db_exec(STMT_OAUTH_GRANTS_REVOKE_USER, DB_ARGS(DB_I(user_id)), NULL, NULL);

	return err ? err : db_exec(STMT_OAUTH_TOKENS_REVOKE_USER, DB_ARGS(DB_I(user_id)), revoked,
	    NULL);
}

enum ost_err
store_oauth_app_user_revoke(long long app_id, long long user_id, unsigned long long *revoked)
{
	enum ost_err err = db_exec(STMT_OAUTH_APP_USER_GRANTS_REVOKE,
	    DB_ARGS(DB_I(app_id), DB_I(user_id)), NULL, NULL);

	if (!err)
		err = db_exec(STMT_OAUTH_APP_USER_TOKENS_REVOKE, DB_ARGS(DB_I(app_id), DB_I(user_id)),
		    revoked, NULL);
	if (!err)
		err = db_exec(STMT_OAUTH_APP_USER_CODES_DELETE, DB_ARGS(DB_I(app_id), DB_I(user_id)),
		    NULL, NULL);
	return err ? err : db_exec(STMT_OAUTH_APP_USER_CONSENT_DELETE,
	    DB_ARGS(DB_I(app_id), DB_I(user_id)), NULL, NULL);
}
