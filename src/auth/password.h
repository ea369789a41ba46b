/* password.h - signing in with an email and a password, throttled */
#ifndef OST_PASSWORD_H
#define OST_PASSWORD_H

#include "core/app.h"
#include "core/err.h"

#define PASSWORD_MAX 1024 /* characters; longer passwords are refused before hashing */
#define EMAIL_MAX 254

/* auth_password_login - check EMAIL and PASSWORD of a person signing in to
 * the console from ADDRESS: an administrator (a console role) or a member
 * of a company (their view). OST_OK with *USER_ID set; OST_ERR_UNAUTHORIZED
 * for a wrong email or password, a disabled person or one who is neither
 * (all alike, and about as slow); OST_ERR_THROTTLED, with
 * *RETRY_AFTER seconds, once the account from ADDRESS (throttle_account),
 * the account from every address together (throttle_account_total) or
 * ADDRESS whatever the account (throttle_address) has failed as often as
 * the configuration allows within its window. Every attempt counts as a
 * failure of each before it is checked (atomically: parallel attempts pass
 * no limit), and a right one takes it back. *NAMED gets the id of the
 * person EMAIL names, 0 for none, whatever the outcome (for the audit entry
 * of a failure); *USER_ID is 0 unless OST_OK. */
enum ost_err auth_password_login(const struct app *app, const char *email,
    const char *password, const char *address, long long *user_id, long long *named,
    unsigned *retry_after) OST_MUST_CHECK;

/* auth_password_app_user - the same check for a person signing in to an
 * application (the OAuth sign-in page, the password grant): the same
 * throttling buckets, but a person who holds a console role is refused
 * like a wrong password. Whether the person is one of the application's
 * users is the caller's to check. */
enum ost_err auth_password_app_user(const struct app *app, const char *email,
    const char *password, const char *address, long long *user_id, unsigned *retry_after)
    OST_MUST_CHECK;

/* auth_password_hash - the Argon2id PHC string of PASSWORD with CFG's costs
 * into OUT (CRYPTO_PHC_MAX bytes will do). */
enum ost_err auth_password_hash(const struct config *cfg, const char *password, char *out,
    size_t outsz) OST_MUST_CHECK;

#endif
