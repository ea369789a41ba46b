/* oauth_client.c - what the authorization server reads about its clients
 * and their users: an application as a client, a person as its user,
 * consents, remembered sign-ins, the jti of client assertions */
#include "store/oauth_client.h"

#include <string.h>

#include "crypto/crypto.h"
#include "store/db.h"

enum ost_err
store_oauth_client(const char *public_id, json_t **row)
{
	return db_row(STMT_OAUTH_CLIENT, DB_ARGS(DB_S(public_id)), row);
}

enum ost_err
store_oauth_client_by_id(long long id, json_t **row)
{
	return db_row(STMT_OAUTH_CLIENT_BY_ID, DB_ARGS(DB_I(id)), row);
}

enum ost_err
store_oauth_user(long long app_id, long long user_id, json_t **row)
{
	return db_row(STMT_OAUTH_USER, DB_ARGS(DB_I(app_id), DB_I(user_id)), row);
}

enum ost_err
store_oauth_user_by_email(long long app_id, const char *email, json_t **row)
{
	return db_row(STMT_OAUTH_USER_BY_EMAIL, DB_ARGS(DB_I(app_id), DB_S(email)), row);
}

enum ost_err
store_oauth_consent_get(long long app_id, long long user_id, json_t **scope)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_OAUTH_CONSENT_GET, DB_ARGS(DB_I(app_id), DB_I(user_id)), &row);

	*scope = NULL;
	if (err == OST_ERR_NOT_FOUND)
		return OST_OK;
	if (!err)
		*scope = json_incref(json_object_get(row, "scope"));
	json_decref(row);
	return err;
}

enum ost_err
store_oauth_consent_set(long long app_id, long long user_id, const char *scope)
{
	return db_exec(STMT_OAUTH_CONSENT_SET, DB_ARGS(DB_I(app_id), DB_I(user_id), DB_S(scope)), NULL,
	    NULL);
}

enum ost_err
store_oauth_signin_create(const uint8_t *hash, long long user_id, unsigned ttl)
{
	return db_exec(STMT_OAUTH_SIGNIN_INSERT,
	    DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN), DB_I(user_id), DB_I(ttl)), NULL, NULL);
}

enum ost_err
store_oauth_signin_lookup(const uint8_t *hash, long long *user_id)
{
	json_t *row = NULL;
	enum ost_err err = db_row(STMT_OAUTH_SIGNIN_LOOKUP, DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN)), &row);

	*user_id = err ? 0 : json_integer_value(json_object_get(row, "user_id"));
	json_decref(row);
	return err;
}

enum ost_err
store_oauth_jti_note(long long app_id, const uint8_t *hash, long long exp)
{
	return db_exec(STMT_OAUTH_JTI_INSERT,
	    DB_ARGS(DB_I(app_id), DB_B(hash, CRYPTO_SHA256_LEN), DB_I(exp)), NULL, NULL);
}
