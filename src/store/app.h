/* app.h - what the application store adds to the generic resource store:
 * app group uniqueness, the application-user guard, key rotation */
#ifndef OST_STORE_APP_H
#define OST_STORE_APP_H

#include <stdint.h>
#include "core/err.h"
#include "crypto/crypto.h"

/* store_app_group_taken - *TAKEN = 1 when an application other than ID
 * (0 for none) has app_group_id GROUP. */
enum ost_err store_app_group_taken(const char *group, long long id, int *taken) OST_MUST_CHECK;

/* store_app_users_count - *N gets the number of application users of ID. */
enum ost_err store_app_users_count(long long id, long long *n) OST_MUST_CHECK;

/* store_app_rotate_key - make HASH the key hash of application ID and keep
 * the current one as the previous key, valid GRACE more seconds (0: no
 * longer). OST_ERR_NOT_FOUND when there is no such application. */
enum ost_err store_app_rotate_key(long long id, const uint8_t hash[CRYPTO_SHA256_LEN],
    long long grace) OST_MUST_CHECK;

#endif
