/* session.c - console sessions, stored by the SHA-256 of their id */
#include "store/session.h"

#include <string.h>

#include "crypto/crypto.h"
#include "store/db.h"
#include "valid/valid.h"

#define USER_AGENT_MAX 255 /* characters of sessions.user_agent */

enum ost_err
store_session_create(const uint8_t *hash, long long user_id, unsigned ttl, const char *address,
    const char *user_agent)
{
	char ua[4 * USER_AGENT_MAX + 1];
	enum ost_err err;

	err = db_exec(STMT_SESSION_PURGE, DB_ARGS(DB_I(user_id)), NULL, NULL);
	if (err)
		return err;
	/* a header is bytes: kept as UTF-8 (a byte that starts no sequence, such
	 * as Latin-1, becomes U+FFFD), cut to what the column holds */
	valid_utf8_fit(user_agent, USER_AGENT_MAX, ua, sizeof(ua));
	return db_exec(STMT_SESSION_INSERT,
	    DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN), DB_I(user_id), DB_I(ttl), DB_S(address), DB_S(ua)),
	    NULL, NULL);
}

enum ost_err
store_session_lookup(const uint8_t *hash, json_t **row)
{
	return db_row(STMT_SESSION_LOOKUP, DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN)), row);
}

enum ost_err
store_session_delete(const uint8_t *hash)
{
	return db_exec(STMT_SESSION_DELETE, DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN)), NULL, NULL);
}

enum ost_err
store_session_end_others(long long user_id, const uint8_t *keep, unsigned long long *ended)
{
	struct db_arg k = keep ? DB_B(keep, CRYPTO_SHA256_LEN) : (struct db_arg){.type = DB_NULL};

	return db_exec(STMT_SESSION_END_OTHERS, DB_ARGS(DB_I(user_id), k, k), ended, NULL);
}
