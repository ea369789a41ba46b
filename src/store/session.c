/* session.c - console sessions, stored by the SHA-256 of their id */
#include "store/session.h"

#include <string.h>

#include "crypto/crypto.h"
#include "store/db.h"

/* Bytes of S that fit a column of MAX characters (never splitting UTF-8). */
static size_t
clip(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

enum ost_err
store_session_create(const uint8_t *hash, long long user_id, unsigned ttl, const char *address,
    const char *user_agent)
{
	enum ost_err err;

	err = db_exec(STMT_SESSION_PURGE, DB_ARGS(DB_I(user_id)), NULL, NULL);
	if (err)
		return err;
	return db_exec(STMT_SESSION_INSERT,
	    DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN), DB_I(user_id), DB_I(ttl),
	        DB_SN(address, clip(address, 45)), DB_SN(user_agent, clip(user_agent, 255))),
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
