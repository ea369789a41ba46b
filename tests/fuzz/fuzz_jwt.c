/* fuzz_jwt.c - libFuzzer harness: client assertions (crypto/jwt.c) and
 * scopes (oauth/scope.c), the two texts of the token endpoint read
 * without a field table
 *
 * Input: byte 0 picks what the rest is (bit 0: a scope list, else a
 * compact JWS); a JWS that parses has its claims checked and its
 * signature verified against an RSA key and a certificate that cannot
 * have made it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "crypto/jwt.h"
#include "oauth/oauth.h"

/* tests/unit/fixtures/keys/rsa2048.pub.pem */
static const char key[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtVk09MYmc4loDxMqYkzG\n"
    "zs01BcT62PWm37jF5Z0ZOyVsa5soSFhTUi2zV6FLWlyq+bP+5lSnBgaVL4IsIKOi\n"
    "sAXKXeUUnR+IBwLNkw298FKqUQ+Q+ILzO5LPAK1chdltUKO99KZjYx4N6z0sAIxD\n"
    "fFp+TgKpDsXm6wAxab/g+2Z6io2CVbKlq4UyKSCkB6tMc46YZeklT1/cdyt6XEF7\n"
    "SzNeJdwEF5I0JhfyvIfVgtfZhRQ+I+CQvwaym9mgV0hmh9DFItIG+lE4v2cBkGRf\n"
    "6CB7ipAaE72kzTrI3F6N8+p62Z7EEzR18EbHyD/+B5KTo+WK42VqILAzWbubaWlb\n"
    "SQIDAQAB\n"
    "-----END PUBLIC KEY-----\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (crypto_init(64))
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1, *why = NULL;
	char out[512], *copy;
	struct oauth_fail f = {0};
	struct jwt j;
	json_t *allowed;
	long long exp = 0;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		if (!(copy = malloc(size))) /* a parameter is NUL-terminated text */
			return 0;
		memcpy(copy, text, size - 1);
		copy[size - 1] = '\0';
		allowed = json_pack("[s, s, s]", "SEND_MESSAGES", "GET_PRESENCE", "A");
		(void)oauth_scope_resolve(copy, allowed, out, sizeof(out), &f);
		(void)oauth_scope_covers("SEND_MESSAGES A", copy);
		json_decref(allowed);
		free(copy);
		return 0;
	}
	if (crypto_jwt_parse(text, size - 1, &j, &why))
		return 0;
	(void)crypto_jwt_check_assertion(&j, "0123456789abcdef0123456789", "https://o.example.org",
	    1700000000, &exp, &why);
	(void)crypto_jwt_verify(&j, key, sizeof(key) - 1, PEM_PUBLIC_KEY, 1700000000);
	crypto_jwt_free(&j);
	return 0;
}
