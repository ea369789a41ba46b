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

/* store_app_rotate_key - if application ID still has VERSION, make HASH
 * its key hash and keep the current one as the previous key, valid GRACE
 * more seconds (0: no longer). One conditional statement: of two
 * rotations against one version, one is refused. OST_ERR_CONFLICT when
 * the application has no longer VERSION, or does not exist (the caller
 * tells them apart). */
enum ost_err store_app_rotate_key(long long id, long long version,
    const uint8_t hash[CRYPTO_SHA256_LEN], long long grace) OST_MUST_CHECK;

/* store_app_lock - lock application ID's row until the transaction ends,
 * so that the changes that count what it holds wait for each other.
 * OST_ERR_NOT_FOUND when there is none. Inside a change only. */
enum ost_err store_app_lock(long long id) OST_MUST_CHECK;

#endif
