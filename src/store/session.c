/* session.c - console sessions, stored by the SHA-256 of their id */
#include "store/session.h"

#include <string.h>

#include "crypto/crypto.h"
#include "store/db.h"
#include "valid/valid.h"

#define ADDRESS_MAX 45     /* characters of sessions.address */
#define USER_AGENT_MAX 255 /* characters of sessions.user_agent */

/* S as well-formed UTF-8 of at most MAX characters, into OUT (4 * MAX + 1
 * bytes): a header is bytes, and a byte that starts no UTF-8 sequence
 * (Latin-1, a cut sequence) becomes U+FFFD, which the column takes. */
static void
fit(const char *s, size_t max, char *out)
{
	size_t o = 0, chars, n;

	for (chars = 0; *s && chars < max; chars++) {
		if ((n = valid_utf8_len(s)))
			memcpy(out + o, s, n);
		else
			memcpy(out + o, "\xEF\xBF\xBD", 3);
		s += n ? n : 1;
		o += n ? n : 3;
	}
	out[o] = '\0';
}

enum ost_err
store_session_create(const uint8_t *hash, long long user_id, unsigned ttl, const char *address,
    const char *user_agent)
{
	char addr[4 * ADDRESS_MAX + 1], ua[4 * USER_AGENT_MAX + 1];
	enum ost_err err;

	err = db_exec(STMT_SESSION_PURGE, DB_ARGS(DB_I(user_id)), NULL, NULL);
	if (err)
		return err;
	fit(address, ADDRESS_MAX, addr);
	fit(user_agent, USER_AGENT_MAX, ua);
	return db_exec(STMT_SESSION_INSERT,
	    DB_ARGS(DB_B(hash, CRYPTO_SHA256_LEN), DB_I(user_id), DB_I(ttl), DB_S(addr), DB_S(ua)),
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
