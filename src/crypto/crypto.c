/* crypto.c - hashing, MACs, randomness, encodings and Argon2id over libgcrypt */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* explicit_bzero */
#endif
#include <stdio.h>
#include <string.h>
#include <gcrypt.h>
#include "crypto/crypto.h"

#include "core/log.h"

/* Accepted Argon2id costs, both when hashing and when parsing a PHC string:
 * wider than any sane configuration, narrow enough that a corrupted stored
 * hash cannot make a worker allocate or spin without bound. */
#define ARGON2_T_MAX 16u
#define ARGON2_P_MAX 16u
#define ARGON2_M_MIN 8u
#define ARGON2_M_MAX 4194304u /* 4 GiB in KiB */
#define ARGON2_SALT_LEN 16    /* what we write */
#define ARGON2_SALT_MIN 8     /* what we accept */
#define ARGON2_SALT_MAX 64
#define ARGON2_TAG_LEN 32
#define ARGON2_TAG_MIN 16
#define ARGON2_TAG_MAX 64
#define PHC_PREFIX "$argon2id$v=19$m="

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

enum b64_pad {
	B64_PAD_NONE,     /* '=' is a bad character */
	B64_PAD_OPTIONAL, /* either none or all of the padding */
	B64_PAD_REQUIRED  /* the length is a multiple of 4 */
};

/* A parsed "$argon2id$v=19$m=M,t=T,p=P$SALT$HASH". */
struct phc {
	unsigned t, m, p;              /* the costs */
	uint8_t salt[ARGON2_SALT_MAX]; /* decoded salt */
	size_t saltlen;
	uint8_t hash[ARGON2_TAG_MAX]; /* decoded stored tag (not secret) */
	size_t hashlen;
};

/* The ost_err for a failed libgcrypt call. */
static OST_MUST_CHECK enum ost_err
gcry_to_ost(gcry_error_t e)
{
	return gcry_err_code(e) == GPG_ERR_ENOMEM ? OST_ERR_NOMEM : OST_ERR_CRYPTO;
}

enum ost_err
crypto_init(unsigned secmem_kib)
{
	/* gcry_check_version must come before any other call, and is harmless
	 * the second time. */
	if (gcry_check_version("1.10.0") == NULL)
		return OST_ERR_CRYPTO;
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
		return OST_OK;
	/* libgcrypt reads this argument as an unsigned int, in bytes. */
	if (secmem_kib > (unsigned)-1 / 1024)
		return OST_ERR_CONFIG;
	if (gcry_control(GCRYCTL_INIT_SECMEM, secmem_kib * 1024u, 0)) {
		/* No locked memory (a container without CAP_IPC_LOCK, a low
		 * RLIMIT_MEMLOCK): go on in ordinary memory, and say so. Secrets
		 * are still wiped after use; they may reach swap. */
		log_warn("secure memory could not be locked (raise LimitMEMLOCK); "
		         "secrets are kept in ordinary memory");
		gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	}
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0))
		return OST_ERR_CRYPTO;
	return OST_OK;
}

void
crypto_random(void *buf, size_t n)
{
	gcry_randomize(buf, n, GCRY_STRONG_RANDOM);
}

void
crypto_nonce(void *buf, size_t n)
{
	gcry_create_nonce(buf, n);
}

void
crypto_sha256(const void *in, size_t n, uint8_t out[CRYPTO_SHA256_LEN])
{
	gcry_md_hash_buffer(GCRY_MD_SHA256, out, n ? in : "", n);
}

/* The HMAC-SHA256 handle of this process and the SHA-256 of the key it
 * holds (the pepper, nearly always; no copy of the key): opening one, in
 * secure memory, costs more than the MAC of a short message, so the last
 * one is kept and reset. */
static struct {
	gcry_mac_hd_t h;
	uint8_t key_hash[CRYPTO_SHA256_LEN];
	int open;
} hmac_kept;

/* A handle keyed with KEY (KLEN bytes), reset: the kept one when it holds
 * that key, else one opened and kept in its place. */
static gcry_error_t
hmac_handle(const void *key, size_t klen, gcry_mac_hd_t *h)
{
	uint8_t kh[CRYPTO_SHA256_LEN];
	gcry_error_t e;

	gcry_md_hash_buffer(GCRY_MD_SHA256, kh, klen ? key : "", klen);
	if (hmac_kept.open && crypto_equal(hmac_kept.key_hash, kh, sizeof(kh))) {
		*h = hmac_kept.h;
		return gcry_mac_reset(*h);
	}
	/* GCRY_MAC_FLAG_SECURE keeps the key schedule in secure memory. */
	if ((e = gcry_mac_open(h, GCRY_MAC_HMAC_SHA256, GCRY_MAC_FLAG_SECURE, NULL)))
		return e;
	if ((e = gcry_mac_setkey(*h, klen ? key : "", klen))) {
		gcry_mac_close(*h);
		return e;
	}
	if (hmac_kept.open)
		gcry_mac_close(hmac_kept.h);
	hmac_kept.h = *h;
	memcpy(hmac_kept.key_hash, kh, sizeof(kh));
	hmac_kept.open = 1;
	return 0;
}

enum ost_err
crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
    uint8_t out[CRYPTO_SHA256_LEN])
{
	gcry_mac_hd_t h;
	size_t outlen = CRYPTO_SHA256_LEN;
	gcry_error_t e = hmac_handle(key, klen, &h);

	if (e)
		return gcry_to_ost(e);
	e = gcry_mac_write(h, mlen ? msg : "", mlen);
	if (!e)
		e = gcry_mac_read(h, out, &outlen);
	if (e) {
		/* a handle that failed is not kept */
		gcry_mac_close(h);
		crypto_wipe(&hmac_kept, sizeof(hmac_kept));
	}
	if (e)
		return gcry_to_ost(e);
	return outlen == CRYPTO_SHA256_LEN ? OST_OK : OST_ERR_CRYPTO;
}

int
crypto_equal(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a;
	const volatile uint8_t *y = b;
	unsigned d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= (unsigned)(x[i] ^ y[i]);
	/* d is 0..255: d - 1 wraps to all ones only when d == 0. */
	return (int)(((d - 1) >> 8) & 1);
}

void
crypto_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		explicit_bzero(p, n);
}

/* Encode N bytes of IN with ALPHA, '='-padded when PAD. */
static OST_MUST_CHECK enum ost_err
b64_encode(const uint8_t *in, size_t n, const char *alpha, int pad, char *out,
    size_t outsz)
{
	size_t len, i, o = 0;
	uint32_t v;

	if (n > SIZE_MAX / 4 - 1)
		return OST_ERR_TOO_LARGE;
	len = pad ? (n + 2) / 3 * 4 : n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
	if (outsz == 0 || len > outsz - 1) {
		if (outsz > 0)
			out[0] = '\0';
		return OST_ERR_TOO_LARGE;
	}
	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		out[o++] = alpha[v & 63];
	}
	if (i < n) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		if (i + 1 < n)
			out[o++] = alpha[v >> 6 & 63];
		else if (pad)
			out[o++] = '=';
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return OST_OK;
}

/* The 6-bit value of C in the standard or (URL) url alphabet, or -1. */
static int
b64_value(unsigned char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/* Decode N characters of IN. Strict: the padding must follow PAD, a length
 * of 4k+1 is refused, and the unused low bits of the last character must be
 * zero (so every byte string has exactly one accepted encoding). OUT is
 * wiped on error. */
static OST_MUST_CHECK enum ost_err
b64_decode(const char *in, size_t n, int url, enum b64_pad pad, uint8_t *out,
    size_t outsz, size_t *outlen)
{
	size_t npad = 0, i, o = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	int v;

	*outlen = 0;
	while (npad < 2 && npad < n && in[n - 1 - npad] == '=')
		npad++;
	if (npad > 0 && (pad == B64_PAD_NONE || n % 4 != 0))
		return OST_ERR_INVALID;
	if (pad == B64_PAD_REQUIRED && n % 4 != 0)
		return OST_ERR_INVALID;
	n -= npad;
	if (n % 4 == 1)
		return OST_ERR_INVALID;
	if (n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0) > outsz)
		return OST_ERR_TOO_LARGE;
	for (i = 0; i < n; i++) {
		if ((v = b64_value((unsigned char)in[i], url)) < 0)
			break;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (i < n || (acc & ((1u << bits) - 1)) != 0) {
		crypto_wipe(out, o);
		return OST_ERR_INVALID;
	}
	*outlen = o;
	return OST_OK;
}

enum ost_err
crypto_b64url_encode(const void *in, size_t n, char *out, size_t outsz)
{
	return b64_encode(in, n, b64_url, 0, out, outsz);
}

/* Padding is optional but, when present, complete ("QQ==", never "QQ=").
 * Non-canonical trailing bits are rejected. OST_ERR_TOO_LARGE when OUTSZ
 * cannot hold the decoded bytes. */
enum ost_err
crypto_b64url_decode(const char *in, size_t n, void *out, size_t outsz,
    size_t *outlen)
{
	return b64_decode(in, n, 1, B64_PAD_OPTIONAL, out, outsz, outlen);
}

/* Padding is required; non-canonical trailing bits are rejected;
 * OST_ERR_TOO_LARGE when OUTSZ cannot hold the decoded bytes. */
enum ost_err
crypto_b64_decode(const char *in, size_t n, void *out, size_t outsz,
    size_t *outlen)
{
	return b64_decode(in, n, 0, B64_PAD_REQUIRED, out, outsz, outlen);
}

enum ost_err
crypto_b64_encode(const void *in, size_t n, char *out, size_t outsz)
{
	return b64_encode(in, n, b64_std, 1, out, outsz);
}

enum ost_err
crypto_hex_encode(const void *in, size_t n, char *out, size_t outsz)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *p = in;
	size_t i;

	if (n > (SIZE_MAX - 1) / 2 || outsz < 2 * n + 1) {
		if (outsz > 0)
			out[0] = '\0';
		return OST_ERR_TOO_LARGE;
	}
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
	return OST_OK;
}

/* The value of hex digit C (either case), or -1. */
static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Upper- and lower-case digits are both accepted. OST_ERR_TOO_LARGE when
 * OUTSZ < N / 2; OUT is wiped on error. */
enum ost_err
crypto_hex_decode(const char *in, size_t n, void *out, size_t outsz,
    size_t *outlen)
{
	uint8_t *p = out;
	size_t i;
	int hi, lo;

	*outlen = 0;
	if (n % 2 != 0)
		return OST_ERR_INVALID;
	if (n / 2 > outsz)
		return OST_ERR_TOO_LARGE;
	for (i = 0; i < n / 2; i++) {
		hi = hex_value((unsigned char)in[2 * i]);
		lo = hex_value((unsigned char)in[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			crypto_wipe(out, i);
			return OST_ERR_INVALID;
		}
		p[i] = (uint8_t)(hi << 4 | lo);
	}
	*outlen = n / 2;
	return OST_OK;
}

void
crypto_token_new(char text[CRYPTO_TOKEN_TEXT], uint8_t hash[CRYPTO_SHA256_LEN])
{
	uint8_t raw[CRYPTO_TOKEN_BYTES];

	crypto_random(raw, sizeof(raw));
	/* 32 bytes always fit in 44 characters: this cannot fail. */
	ost_ignore(b64_encode(raw, sizeof(raw), b64_url, 0, text, CRYPTO_TOKEN_TEXT));
	crypto_wipe(raw, sizeof(raw));
	crypto_sha256(text, strlen(text), hash);
}

void
crypto_token_hash(const char *text, size_t n, uint8_t hash[CRYPTO_SHA256_LEN])
{
	crypto_sha256(text, n, hash);
}

/* 1 when the costs are within the bounds we hash with and accept. */
static int
argon2_params_ok(unsigned t, unsigned m, unsigned p)
{
	return t >= 1 && t <= ARGON2_T_MAX && p >= 1 && p <= ARGON2_P_MAX &&
	    m >= ARGON2_M_MIN && m <= ARGON2_M_MAX && m >= 8 * p;
}

/* OUT (OUTLEN bytes) = Argon2id(PW, SALT) with costs T, M (KiB), P; N >= 1. */
static OST_MUST_CHECK enum ost_err
argon2id(const void *pw, size_t n, const uint8_t *salt, size_t saltlen,
    unsigned t, unsigned m, unsigned p, uint8_t *out, size_t outlen)
{
	unsigned long param[4] = {outlen, t, m, p};
	gcry_kdf_hd_t hd;
	gcry_error_t e;

	e = gcry_kdf_open(&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, param, 4,
	    pw, n, salt, saltlen, NULL, 0, NULL, 0);
	if (e)
		return gcry_to_ost(e);
	e = gcry_kdf_compute(hd, NULL);
	if (!e)
		e = gcry_kdf_final(hd, outlen, out);
	gcry_kdf_close(hd);
	return e ? gcry_to_ost(e) : OST_OK;
}

/* Write "$argon2id$v=19$m=M,t=T,p=P$SALT$" into OUT; *LEN gets its length. */
static OST_MUST_CHECK enum ost_err
phc_write_head(char *out, size_t outsz, const struct crypto_argon2_params *a,
    const uint8_t *salt, size_t saltlen, size_t *len)
{
	enum ost_err r;
	int w;

	w = snprintf(out, outsz, PHC_PREFIX "%u,t=%u,p=%u$", a->m_cost_kib,
	    a->t_cost, a->parallelism);
	if (w < 0 || (size_t)w >= outsz)
		return OST_ERR_TOO_LARGE;
	*len = (size_t)w;
	r = b64_encode(salt, saltlen, b64_std, 0, out + *len, outsz - *len);
	if (r != OST_OK)
		return r;
	*len += strlen(out + *len);
	if (*len + 1 >= outsz)
		return OST_ERR_TOO_LARGE;
	out[(*len)++] = '$';
	out[*len] = '\0';
	return OST_OK;
}

/* OST_ERR_INVALID when the costs are out of bounds or PW is empty (libgcrypt
 * 1.10 refuses an empty passphrase), OST_ERR_TOO_LARGE when OUTSZ is too
 * small (checked before the expensive part). OUT is an empty string on
 * error. */
enum ost_err
crypto_password_hash(const char *pw, size_t n,
    const struct crypto_argon2_params *params, char *out, size_t outsz)
{
	uint8_t salt[ARGON2_SALT_LEN];
	uint8_t *tag;
	size_t len = 0;
	enum ost_err r;

	if (outsz > 0)
		out[0] = '\0';
	if (n == 0 || !argon2_params_ok(params->t_cost, params->m_cost_kib,
			  params->parallelism))
		return OST_ERR_INVALID;
	crypto_nonce(salt, sizeof(salt));
	r = phc_write_head(out, outsz, params, salt, sizeof(salt), &len);
	if (r == OST_OK && outsz - len < (ARGON2_TAG_LEN * 4 + 2) / 3 + 1)
		r = OST_ERR_TOO_LARGE;
	if (r != OST_OK) {
		if (outsz > 0)
			out[0] = '\0';
		return r;
	}
	if ((tag = gcry_malloc_secure(ARGON2_TAG_LEN)) == NULL) {
		out[0] = '\0';
		return OST_ERR_NOMEM;
	}
	r = argon2id(pw, n, salt, sizeof(salt), params->t_cost,
	    params->m_cost_kib, params->parallelism, tag, ARGON2_TAG_LEN);
	if (r == OST_OK)
		r = b64_encode(tag, ARGON2_TAG_LEN, b64_std, 0, out + len,
		    outsz - len);
	crypto_wipe(tag, ARGON2_TAG_LEN);
	gcry_free(tag);
	if (r != OST_OK)
		out[0] = '\0';
	return r;
}

/* Parse KEY then a decimal number without sign or leading zero, at most 7
 * digits (the bounds are checked afterwards by argon2_params_ok), at S; the
 * position after it, or NULL. */
static const char *
phc_number(const char *s, const char *key, unsigned *val)
{
	size_t klen = strlen(key), i;
	unsigned v = 0;

	if (strncmp(s, key, klen) != 0)
		return NULL;
	s += klen;
	if (s[0] < '1' || s[0] > '9')
		return NULL;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (i >= 7) /* ARGON2_M_MAX, 4194304, has 7 digits */
			return NULL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*val = v;
	return s + i;
}

/* Parse PHC strictly into H. OST_ERR_INVALID on anything unexpected. */
static OST_MUST_CHECK enum ost_err
phc_parse(const char *phc, struct phc *h)
{
	const char *s, *dollar;

	if (phc == NULL)
		return OST_ERR_INVALID;
	if ((s = phc_number(phc, PHC_PREFIX, &h->m)) == NULL ||
	    (s = phc_number(s, ",t=", &h->t)) == NULL ||
	    (s = phc_number(s, ",p=", &h->p)) == NULL ||
	    *s++ != '$')
		return OST_ERR_INVALID;
	if (!argon2_params_ok(h->t, h->m, h->p))
		return OST_ERR_INVALID;
	if ((dollar = strchr(s, '$')) == NULL)
		return OST_ERR_INVALID;
	if (b64_decode(s, (size_t)(dollar - s), 0, B64_PAD_NONE, h->salt,
		sizeof(h->salt), &h->saltlen) != OST_OK ||
	    h->saltlen < ARGON2_SALT_MIN)
		return OST_ERR_INVALID;
	s = dollar + 1;
	if (b64_decode(s, strlen(s), 0, B64_PAD_NONE, h->hash, sizeof(h->hash),
		&h->hashlen) != OST_OK ||
	    h->hashlen < ARGON2_TAG_MIN)
		return OST_ERR_INVALID;
	return OST_OK;
}

/* An empty PW never matches (we cannot have hashed one), but costs the
 * same time as any other. OST_ERR_NOMEM / OST_ERR_CRYPTO when the
 * computation itself fails (with *OK = 0). */
enum ost_err
crypto_password_verify(const char *pw, size_t n, const char *phc, int *ok)
{
	struct phc h;
	uint8_t *tag;
	enum ost_err r;

	*ok = 0;
	if ((r = phc_parse(phc, &h)) != OST_OK)
		return r;
	if ((tag = gcry_malloc_secure(h.hashlen)) == NULL)
		return OST_ERR_NOMEM;
	/* libgcrypt refuses an empty passphrase: hash one NUL instead. */
	r = argon2id(n ? pw : "", n ? n : 1, h.salt, h.saltlen, h.t, h.m, h.p,
	    tag, h.hashlen);
	if (r == OST_OK)
		*ok = crypto_equal(tag, h.hash, h.hashlen) & (n != 0);
	crypto_wipe(tag, h.hashlen);
	gcry_free(tag);
	return r;
}

/* Costs out of bounds make this return at once, as crypto_password_hash
 * would refuse them too. */
void
crypto_password_dummy(const struct crypto_argon2_params *params)
{
	static const char pw[] = "ostium dummy password";
	static const uint8_t salt[ARGON2_SALT_LEN] = "ostium dummy sa";
	uint8_t *tag;

	if (!argon2_params_ok(params->t_cost, params->m_cost_kib,
		params->parallelism))
		return;
	if ((tag = gcry_malloc_secure(ARGON2_TAG_LEN)) == NULL)
		return;
	/* only the time spent matters, not the tag nor whether it was made */
	ost_ignore(argon2id(pw, sizeof(pw) - 1, salt, sizeof(salt), params->t_cost,
	    params->m_cost_kib, params->parallelism, tag, ARGON2_TAG_LEN));
	crypto_wipe(tag, ARGON2_TAG_LEN);
	gcry_free(tag);
}
