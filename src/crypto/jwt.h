/* jwt.h - JWT client assertions (RFC 7523, private_key_jwt): reading a
 * compact JWS, its RS256 signature checked with a registered PEM key, its
 * claims checked against the client and the issuer */
#ifndef OST_JWT_H
#define OST_JWT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/err.h"
#include "crypto/pem.h"

#define JWT_TEXT_MAX 8192      /* the longest assertion read */
#define JWT_SIG_MAX 1024       /* an RSA signature of up to 8192 bits */
#define JWT_EXP_AHEAD_MAX 300  /* seconds an assertion's exp may lie ahead */
#define JWT_SKEW 30            /* seconds of clock difference allowed */
#define JWT_JTI_MAX 255        /* characters of a jti */

/* A parsed assertion. */
struct jwt {
	json_t *header;            /* the JOSE header (owned) */
	json_t *claims;            /* the claims set (owned) */
	const char *signed_part;   /* header.payload, into the text given */
	size_t signed_len;
	uint8_t sig[JWT_SIG_MAX];  /* the decoded signature */
	size_t siglen;
};

/* crypto_jwt_parse - split the compact JWS TEXT (N bytes) into J: three
 * base64url parts, a header that is a JSON object with "alg": "RS256"
 * exactly (the algorithm is pinned: no "none", no HMAC, no other) and no
 * "crit", a payload that is a JSON object. OST_ERR_INVALID with *WHY
 * (static, never quoting the input) otherwise. J keeps pointers into
 * TEXT; release it with crypto_jwt_free. */
enum ost_err crypto_jwt_parse(const char *text, size_t n, struct jwt *j, const char **why)
    OST_MUST_CHECK;

/* crypto_jwt_verify - 1 when J's signature verifies with the PEM key
 * TEXT (N bytes) of KIND at NOW (see crypto_pem_rs256_verify). */
int crypto_jwt_verify(const struct jwt *j, const char *text, size_t n, enum pem_kind kind,
    long long now);

/* crypto_jwt_check_assertion - the claims of a client assertion (RFC 7523
 * section 3, and its 2025 revision): iss and sub both CLIENT_ID; aud one
 * string, exactly AUDIENCE (the issuer: no list, no token endpoint URL);
 * exp present, after NOW and at most JWT_EXP_AHEAD_MAX seconds ahead (with
 * JWT_SKEW); nbf and iat, when present, not in the future; jti a string of
 * 1 to JWT_JTI_MAX characters. *EXP gets exp. OST_ERR_INVALID with *WHY
 * otherwise. */
enum ost_err crypto_jwt_check_assertion(const struct jwt *j, const char *client_id,
    const char *audience, long long now, long long *exp, const char **why) OST_MUST_CHECK;

/* crypto_jwt_free - release what crypto_jwt_parse made. */
void crypto_jwt_free(struct jwt *j);

#endif
