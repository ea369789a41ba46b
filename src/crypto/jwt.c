/* jwt.c - JWT client assertions (RFC 7523, private_key_jwt): reading a
 * compact JWS, its RS256 signature checked with a registered PEM key, its
 * claims checked against the client and the issuer. JSON is jansson's,
 * base64url and the signature crypto/'s own: nothing is parsed by hand
 * but the two dots of the compact form. */
#include "crypto/jwt.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#define JWT_PART_MAX 4096 /* decoded bytes of the header or the payload */

/* Decode the base64url part [P, P+N) as a JSON object into *OUT. */
static int
json_part(const char *p, size_t n, json_t **out)
{
	char *buf = malloc(JWT_PART_MAX);
	size_t len = 0;
	int ok = 0;

	*out = NULL;
	if (buf && n > 0 && !crypto_b64url_decode(p, n, buf, JWT_PART_MAX, &len)) {
		*out = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
		ok = json_is_object(*out);
	}
	free(buf);
	return ok;
}

static OST_MUST_CHECK enum ost_err
refuse(const char **why, const char *what)
{
	*why = what;
	return OST_ERR_INVALID;
}

enum ost_err
crypto_jwt_parse(const char *text, size_t n, struct jwt *j, const char **why)
{
	const char *dot1, *dot2, *alg;

	memset(j, 0, sizeof(*j));
	if (!text || n == 0 || n > JWT_TEXT_MAX || memchr(text, '\0', n))
		return refuse(why, "the assertion is missing or too long");
	dot1 = memchr(text, '.', n);
	dot2 = dot1 ? memchr(dot1 + 1, '.', n - (size_t)(dot1 + 1 - text)) : NULL;
	if (!dot2 || memchr(dot2 + 1, '.', n - (size_t)(dot2 + 1 - text)))
		return refuse(why, "the assertion is not a compact JWS (three parts)");
	if (!json_part(text, (size_t)(dot1 - text), &j->header) ||
	    !json_part(dot1 + 1, (size_t)(dot2 - dot1 - 1), &j->claims)) {
		crypto_jwt_free(j);
		return refuse(why, "the assertion's header or claims are not a JSON object");
	}
	alg = json_string_value(json_object_get(j->header, "alg"));
	if (!alg || strcmp(alg, "RS256") != 0) {
		crypto_jwt_free(j);
		return refuse(why, "the assertion's alg must be RS256");
	}
	if (json_object_get(j->header, "crit")) {
		crypto_jwt_free(j);
		return refuse(why, "the assertion names critical extensions");
	}
	if (crypto_b64url_decode(dot2 + 1, n - (size_t)(dot2 + 1 - text), j->sig, sizeof(j->sig),
	        &j->siglen) || j->siglen == 0) {
		crypto_jwt_free(j);
		return refuse(why, "the assertion's signature is not base64url");
	}
	j->signed_part = text;
	j->signed_len = (size_t)(dot2 - text);
	return OST_OK;
}

int
crypto_jwt_verify(const struct jwt *j, const char *text, size_t n, enum pem_kind kind,
    long long now)
{
	return crypto_pem_rs256_verify(text, n, kind, j->signed_part, j->signed_len, j->sig,
	    j->siglen, now);
}

/* The claim KEY of J as a whole number into *V: 1 when it is one. */
static int
time_claim(const struct jwt *j, const char *key, long long *v)
{
	const json_t *c = json_object_get(j->claims, key);

	if (json_is_integer(c))
		*v = json_integer_value(c);
	else if (json_is_real(c) && json_real_value(c) > 0 && json_real_value(c) < 1e12)
		*v = (long long)json_real_value(c);
	else
		return 0;
	return 1;
}

/* 1 when the claim KEY of J is the string WANT. */
static int
string_claim_is(const struct jwt *j, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(j->claims, key));

	return v && want && strcmp(v, want) == 0;
}

enum ost_err
crypto_jwt_check_assertion(const struct jwt *j, const char *client_id, const char *audience,
    long long now, long long *exp, const char **why)
{
	const json_t *jti = json_object_get(j->claims, "jti");
	long long t;

	if (!string_claim_is(j, "iss", client_id) || !string_claim_is(j, "sub", client_id))
		return refuse(why, "the assertion's iss and sub must both be the client_id");
	if (!json_is_string(json_object_get(j->claims, "aud")) ||
	    !string_claim_is(j, "aud", audience))
		return refuse(why, "the assertion's aud must be the issuer identifier, as one string");
	if (!time_claim(j, "exp", exp))
		return refuse(why, "the assertion has no exp");
	if (*exp + JWT_SKEW <= now)
		return refuse(why, "the assertion has expired");
	if (*exp > now + JWT_EXP_AHEAD_MAX + JWT_SKEW)
		return refuse(why, "the assertion's exp lies too far ahead (at most 5 minutes)");
	if (json_object_get(j->claims, "nbf") && (!time_claim(j, "nbf", &t) || t > now + JWT_SKEW))
		return refuse(why, "the assertion is not valid yet (nbf)");
	if (json_object_get(j->claims, "iat") && (!time_claim(j, "iat", &t) || t > now + JWT_SKEW))
		return refuse(why, "the assertion was issued in the future (iat)");
	if (!json_is_string(jti) || json_string_length(jti) == 0 ||
	    json_string_length(jti) > JWT_JTI_MAX)
		return refuse(why, "the assertion needs a jti of 1 to 255 characters");
	return OST_OK;
}

void
crypto_jwt_free(struct jwt *j)
{
	json_decref(j->header);
	json_decref(j->claims);
	j->header = j->claims = NULL;
}
