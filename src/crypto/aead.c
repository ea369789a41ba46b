/* aead.c - AES-256-GCM for values Ostium must read back, under a keyring */
#include "crypto/aead.h"

#include <errno.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/crypto.h"

#define KEYFILE_MAX 4096

/* Parse one "ID HEX" LINE into slot N of RING. */
static OST_MUST_CHECK enum ost_err
keyring_line(struct keyring *ring, char *line)
{
	char *sp = strchr(line, ' '), *end;
	unsigned long id;
	size_t got = 0, i;

	if (!sp || ring->n == AEAD_KEYS_MAX)
		return OST_ERR_CONFIG;
	*sp = '\0';
	id = strtoul(line, &end, 10);
	if (*end || id < 1 || id > 0x7fffffffUL)
		return OST_ERR_CONFIG;
	for (i = 0; i < ring->n; i++)
		if (ring->ids[i] == id)
			return OST_ERR_CONFIG;
	if (crypto_hex_decode(sp + 1, strlen(sp + 1), ring->keys + ring->n * AEAD_KEY_LEN,
	        AEAD_KEY_LEN, &got) || got != AEAD_KEY_LEN)
		return OST_ERR_CONFIG;
	ring->ids[ring->n++] = (unsigned)id;
	return OST_OK;
}

enum ost_err
crypto_keyring_load(const char *path, struct keyring *ring)
{
	char text[KEYFILE_MAX + 1], *line, *save = NULL;
	struct stat st;
	enum ost_err err = OST_OK;
	size_t len;
	FILE *f;

	memset(ring, 0, sizeof(*ring));
	if (!(f = fopen(path, "r")))
		return OST_ERR_IO;
	if (fstat(fileno(f), &st) || (st.st_mode & 077)) {
		fclose(f);
		return OST_ERR_CONFIG;
	}
	len = fread(text, 1, KEYFILE_MAX, f);
	fclose(f);
	text[len] = '\0';
	if (!(ring->keys = gcry_malloc_secure(AEAD_KEYS_MAX * AEAD_KEY_LEN))) {
		crypto_wipe(text, sizeof(text));
		return OST_ERR_NOMEM;
	}
	for (line = strtok_r(text, "\r\n", &save); line && !err; line = strtok_r(NULL, "\r\n", &save))
		if (*line && *line != '#')
			err = keyring_line(ring, line);
	crypto_wipe(text, sizeof(text));
	if (!err && ring->n == 0)
		err = OST_ERR_CONFIG;
	if (err)
		crypto_keyring_free(ring);
	return err;
}

void
crypto_keyring_free(struct keyring *ring)
{
	if (ring->keys) {
		crypto_wipe(ring->keys, AEAD_KEYS_MAX * AEAD_KEY_LEN);
		gcry_free(ring->keys);
	}
	memset(ring, 0, sizeof(*ring));
}

/* An AES-256-GCM handle keyed with key slot I and IV, AAD authenticated. */
static OST_MUST_CHECK enum ost_err
gcm_open(const struct keyring *ring, size_t i, const uint8_t *iv, const void *aad, size_t alen,
    gcry_cipher_hd_t *hd)
{
	if (gcry_cipher_open(hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, GCRY_CIPHER_SECURE))
		return OST_ERR_CRYPTO;
	if (gcry_cipher_setkey(*hd, ring->keys + i * AEAD_KEY_LEN, AEAD_KEY_LEN) ||
	    gcry_cipher_setiv(*hd, iv, AEAD_IV_LEN) || gcry_cipher_authenticate(*hd, aad, alen)) {
		gcry_cipher_close(*hd);
		return OST_ERR_CRYPTO;
	}
	return OST_OK;
}

enum ost_err
crypto_seal(const struct keyring *ring, const void *plain, size_t n, const void *aad, size_t alen,
    uint8_t *out, unsigned *key_id)
{
	gcry_cipher_hd_t hd;
	enum ost_err err;

	if (!ring->n)
		return OST_ERR_CONFIG;
	crypto_random(out, AEAD_IV_LEN); /* a fresh 96-bit IV for every value */
	if ((err = gcm_open(ring, ring->n - 1, out, aad, alen, &hd)))
		return err;
	gcry_cipher_final(hd);
	if (gcry_cipher_encrypt(hd, out + AEAD_IV_LEN, n, plain, n) ||
	    gcry_cipher_gettag(hd, out + AEAD_IV_LEN + n, AEAD_TAG_LEN))
		err = OST_ERR_CRYPTO;
	gcry_cipher_close(hd);
	*key_id = ring->ids[ring->n - 1];
	return err;
}

enum ost_err
crypto_open(const struct keyring *ring, unsigned key_id, const uint8_t *sealed, size_t n,
    const void *aad, size_t alen, uint8_t *plain)
{
	gcry_cipher_hd_t hd;
	enum ost_err err;
	size_t i, len;

	if (n < AEAD_OVERHEAD)
		return OST_ERR_CRYPTO;
	for (i = 0; i < ring->n && ring->ids[i] != key_id; i++)
		;
	if (i == ring->n)
		return OST_ERR_NOT_FOUND;
	len = n - AEAD_OVERHEAD;
	if ((err = gcm_open(ring, i, sealed, aad, alen, &hd)))
		return err;
	gcry_cipher_final(hd);
	if (gcry_cipher_decrypt(hd, plain, len, sealed + AEAD_IV_LEN, len) ||
	    gcry_cipher_checktag(hd, sealed + AEAD_IV_LEN + len, AEAD_TAG_LEN)) {
		crypto_wipe(plain, len);
		err = OST_ERR_CRYPTO;
	}
	gcry_cipher_close(hd);
	return err;
}
