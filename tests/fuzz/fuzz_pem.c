/* fuzz_pem.c - libFuzzer harness: public keys and certificates (crypto/pem.c)
 *
 * Input: byte 0 picks the kind (bit 0: certificate, else public key), the
 * rest is the PEM text, also given to the identity sheet's key rules. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/pem.h"
#include "valid/app_rules.h"
#include "valid/fields.h"

static const struct field_ctx fc = {0};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	char msg[FIELD_MSG_MAX];
	unsigned bits = 0;
	json_t *s;

	if (size < 1)
		return 0;
	(void)crypto_pem_rsa((const char *)data + 1, size - 1,
	    data[0] & 1 ? PEM_CERTIFICATE : PEM_PUBLIC_KEY, &bits, &why);
	/* a JSON body's string: UTF-8, no NUL (json_loadb refuses \u0000) */
	if (!memchr(data + 1, '\0', size - 1) &&
	    (s = json_stringn((const char *)data + 1, size - 1))) {
		(void)app_check_public_key(&fc, s, msg, sizeof(msg));
		(void)app_check_certificate(&fc, s, msg, sizeof(msg));
		json_decref(s);
	}
	return 0;
}
