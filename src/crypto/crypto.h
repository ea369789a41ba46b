/* crypto.h - every cryptographic primitive Ostium uses; the only caller of libgcrypt */
#ifndef OST_CRYPTO_H
#define OST_CRYPTO_H

#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_TOKEN_BYTES 32     /* 256 bits of randomness in every token */
#define CRYPTO_TOKEN_TEXT 44      /* base64url of 32 bytes (43) + NUL */
#define CRYPTO_PHC_MAX 160        /* the longest Argon2id PHC string we write */

/* Argon2id cost parameters (from the configuration). */
struct crypto_argon2_params {
	unsigned t_cost;      /* passes over memory, >= 1 */
	unsigned m_cost_kib;  /* memory in KiB, >= 8 * parallelism */
	unsigned parallelism; /* lanes, >= 1 */
};

/* crypto_init - check the libgcrypt version and set up secure memory of
 * SECMEM_KIB KiB (when it cannot be locked, a warning is logged and
 * ordinary memory is used). Call once per process before any other
 * crypto_ call. */
enum ost_err crypto_init(unsigned secmem_kib) OST_MUST_CHECK;

/* crypto_random - fill BUF with N bytes of strong randomness (keys, tokens). */
void crypto_random(void *buf, size_t n);

/* crypto_nonce - fill BUF with N unpredictable bytes, cheaper than
 * crypto_random; for request ids and salts, never for keys. */
void crypto_nonce(void *buf, size_t n);

/* crypto_sha256 - OUT = SHA-256(IN[0..N)). */
void crypto_sha256(const void *in, size_t n, uint8_t out[CRYPTO_SHA256_LEN]);

/* crypto_hmac_sha256 - OUT = HMAC-SHA256(KEY, MSG). */
enum ost_err crypto_hmac_sha256(const void *key, size_t klen, const void *msg,
    size_t mlen, uint8_t out[CRYPTO_SHA256_LEN]) OST_MUST_CHECK;

/* crypto_equal - 1 when the N bytes at A and B are equal, else 0, in time
 * that depends only on N. */
int crypto_equal(const void *a, const void *b, size_t n);

/* crypto_wipe - overwrite N bytes at P with zeros in a way the compiler keeps. */
void crypto_wipe(void *p, size_t n);

/* crypto_b64url_encode - base64url (RFC 4648 section 5) of IN without padding,
 * NUL-terminated into OUT of OUTSZ bytes. OST_ERR_TOO_LARGE when it does not fit. */
enum ost_err crypto_b64url_encode(const void *in, size_t n, char *out, size_t outsz) OST_MUST_CHECK;

/* crypto_b64url_decode - decode N characters of base64url (padding optional)
 * into OUT (OUTSZ bytes); *OUTLEN gets the byte count. OST_ERR_INVALID on a
 * bad character or length. */
enum ost_err crypto_b64url_decode(const char *in, size_t n, void *out, size_t outsz,
    size_t *outlen) OST_MUST_CHECK;

/* crypto_b64_decode - the same for standard base64 (RFC 4648 section 4, with
 * padding), as used by HTTP Basic authentication. */
enum ost_err crypto_b64_decode(const char *in, size_t n, void *out, size_t outsz,
    size_t *outlen) OST_MUST_CHECK;

/* crypto_b64_encode - standard base64 with padding, NUL-terminated. */
enum ost_err crypto_b64_encode(const void *in, size_t n, char *out, size_t outsz) OST_MUST_CHECK;

/* crypto_hex_encode - lower-case hex of IN, NUL-terminated into OUT (2N+1 bytes). */
enum ost_err crypto_hex_encode(const void *in, size_t n, char *out, size_t outsz) OST_MUST_CHECK;

/* crypto_hex_decode - N hex digits (N even) into OUT; OST_ERR_INVALID otherwise. */
enum ost_err crypto_hex_decode(const char *in, size_t n, void *out, size_t outsz,
    size_t *outlen) OST_MUST_CHECK;

/* crypto_token_new - a new random token: TEXT gets its base64url form (the
 * secret handed out once, CRYPTO_TOKEN_TEXT bytes), HASH its SHA-256 (what
 * is stored). The token text is the base64url of 32 random bytes. */
void crypto_token_new(char text[CRYPTO_TOKEN_TEXT], uint8_t hash[CRYPTO_SHA256_LEN]);

/* crypto_token_hash - HASH = SHA-256 of the token TEXT as received (N bytes). */
void crypto_token_hash(const char *text, size_t n, uint8_t hash[CRYPTO_SHA256_LEN]);

/* crypto_password_hash - Argon2id of PW (N bytes) with a fresh 16-byte salt,
 * written as a PHC string "$argon2id$v=19$m=M,t=T,p=P$SALT$HASH" (base64
 * without padding) into OUT of OUTSZ bytes (CRYPTO_PHC_MAX is enough). */
enum ost_err crypto_password_hash(const char *pw, size_t n,
    const struct crypto_argon2_params *params, char *out, size_t outsz) OST_MUST_CHECK;

/* crypto_password_verify - *OK = 1 when PW matches the PHC string PHC (its
 * own parameters are used), 0 otherwise. OST_ERR_INVALID when PHC cannot be
 * parsed. Compares in constant time. */
enum ost_err crypto_password_verify(const char *pw, size_t n, const char *phc, int *ok)
    OST_MUST_CHECK;

/* crypto_password_dummy - spend about the time of one verification with
 * PARAMS, so that an unknown account answers as slowly as a known one. */
void crypto_password_dummy(const struct crypto_argon2_params *params);

#endif
