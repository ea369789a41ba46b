/* aead.h - AES-256-GCM for values Ostium must read back (secret server
 * variables, provider tokens), under a keyring of numbered keys */
#ifndef OST_AEAD_H
#define OST_AEAD_H

#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

#define AEAD_KEYS_MAX 16
#define AEAD_KEY_LEN 32
#define AEAD_IV_LEN 12
#define AEAD_TAG_LEN 16
#define AEAD_OVERHEAD (AEAD_IV_LEN + AEAD_TAG_LEN)

/* The keys of the key file; the last one seals, any opens. */
struct keyring {
	unsigned ids[AEAD_KEYS_MAX]; /* key ids, as written in the file */
	uint8_t *keys;               /* n * AEAD_KEY_LEN bytes of secure memory */
	size_t n;
};

/* crypto_keyring_load - read PATH: one "ID HEX" line per key (ID 1..2^31,
 * HEX 64 digits), the newest last. OST_ERR_IO when unreadable,
 * OST_ERR_CONFIG when a line is malformed, an id repeats, the file is
 * readable by others than its owner, or there is no key. */
enum ost_err crypto_keyring_load(const char *path, struct keyring *ring) OST_MUST_CHECK;

/* crypto_keyring_free - wipe and release the keys. */
void crypto_keyring_free(struct keyring *ring);

/* crypto_seal - encrypt N bytes of PLAIN with the newest key, binding AAD
 * (ALEN bytes: what the value belongs to); OUT (N + AEAD_OVERHEAD bytes)
 * gets iv || ciphertext || tag and *KEY_ID the key's id. */
enum ost_err crypto_seal(const struct keyring *ring, const void *plain, size_t n,
    const void *aad, size_t alen, uint8_t *out, unsigned *key_id) OST_MUST_CHECK;

/* crypto_open - the reverse: N bytes of SEALED (as crypto_seal wrote them
 * with key KEY_ID and the same AAD) into PLAIN (N - AEAD_OVERHEAD bytes).
 * OST_ERR_NOT_FOUND when the key is not in the ring, OST_ERR_CRYPTO when
 * the value was altered or the AAD differs. */
enum ost_err crypto_open(const struct keyring *ring, unsigned key_id, const uint8_t *sealed,
    size_t n, const void *aad, size_t alen, uint8_t *plain) OST_MUST_CHECK;

#endif
