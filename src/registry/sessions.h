/* sessions.h - signing in to and out of the console, each an audited
 * change, and the audit entry of a sign-in that was refused */
#ifndef OST_REGISTRY_SESSIONS_H
#define OST_REGISTRY_SESSIONS_H

#include "crypto/crypto.h"
#include "registry/op.h"

/* reg_sign_in - open a console session for person USER_ID (whose password
 * was just checked) from OP's address, noting USER_AGENT (any bytes), and
 * audit it ("user.sign_in", the person as the actor) in the same change.
 * TEXT gets the session id for the cookie (never logged or stored; only
 * its SHA-256 is). OST_ERR_NOT_FOUND when there is no such person. */
enum ost_err reg_sign_in(const struct op *op, long long user_id, const char *user_agent,
    char text[CRYPTO_TOKEN_TEXT]) OST_MUST_CHECK;

/* reg_sign_out - end the session with HASH (CRYPTO_SHA256_LEN bytes) of
 * OP's actor, audited ("user.sign_out"). */
enum ost_err reg_sign_out(const struct op *op, const unsigned char *hash) OST_MUST_CHECK;

/* reg_sign_in_refused - audit a refused sign-in ("user.sign_in_failed")
 * from OP's address: EMAIL as given (any bytes: kept as UTF-8, cut to 254
 * characters) is the actor, NAMED the person it names (0: nobody), and
 * THROTTLED whether the password was not even checked. Never the
 * password. */
enum ost_err reg_sign_in_refused(const struct op *op, const char *email, long long named,
    int throttled) OST_MUST_CHECK;

#endif
