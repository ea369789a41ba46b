/* test_crypto.c - Check suite for crypto/: published vectors, encodings, Argon2id PHC */
#include <check.h>
#include <gcrypt.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/crypto.h"

/* Lower-case hex of N bytes at P into a static buffer (one use at a time). */
static const char *
hex(const void *p, size_t n)
{
	static char out[2 * 256 + 1];

	ck_assert_uint_le(n, 256);
	ck_assert_int_eq(crypto_hex_encode(p, n, out, sizeof(out)), OST_OK);
	return out;
}

/* FIPS 180-2 appendix B. */
static const struct {
	const char *in;
	const char *sha256;
} sha_tests[] = {
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
};

START_TEST(test_sha256)
{
	uint8_t md[CRYPTO_SHA256_LEN];

	crypto_sha256(sha_tests[_i].in, strlen(sha_tests[_i].in), md);
	ck_assert_str_eq(hex(md, sizeof(md)), sha_tests[_i].sha256);
}
END_TEST

/* RFC 4231 section 4. A key or message is either the literal bytes or
 * LEN copies of FILL (when the literal is NULL). */
static const struct {
	const char *key;
	uint8_t kfill;
	size_t klen;
	const char *msg;
	uint8_t mfill;
	size_t mlen;
	const char *mac;
} hmac_tests[] = {
	{NULL, 0x0b, 20, "Hi There", 0, 8, /* case 1 */
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	{"Jefe", 0, 4, "what do ya want for nothing?", 0, 28, /* case 2 */
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	{NULL, 0xaa, 20, NULL, 0xdd, 50, /* case 3 */
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
	{"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
	 "\x11\x12\x13\x14\x15\x16\x17\x18\x19",
	    0, 25, NULL, 0xcd, 50, /* case 4 */
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
	{NULL, 0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First",
	    0, 54, /* case 6 */
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
	{NULL, 0xaa, 131,
	    "This is a test using a larger than block-size key and a larger than "
	    "block-size data. The key needs to be hashed before being used by "
	    "the HMAC algorithm.",
	    0, 152, /* case 7 */
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	{"", 0, 0, "", 0, 0, /* empty key and message (not in the RFC) */
	    "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"},
};

START_TEST(test_hmac_sha256)
{
	uint8_t key[200], msg[200], mac[CRYPTO_SHA256_LEN];

	if (hmac_tests[_i].key)
		memcpy(key, hmac_tests[_i].key, hmac_tests[_i].klen);
	else
		memset(key, hmac_tests[_i].kfill, hmac_tests[_i].klen);
	if (hmac_tests[_i].msg) {
		ck_assert_uint_eq(strlen(hmac_tests[_i].msg), hmac_tests[_i].mlen);
		memcpy(msg, hmac_tests[_i].msg, hmac_tests[_i].mlen);
	} else
		memset(msg, hmac_tests[_i].mfill, hmac_tests[_i].mlen);
	ck_assert_int_eq(crypto_hmac_sha256(key, hmac_tests[_i].klen, msg,
			     hmac_tests[_i].mlen, mac),
	    OST_OK);
	ck_assert_str_eq(hex(mac, sizeof(mac)), hmac_tests[_i].mac);
}
END_TEST

/* RFC 4648 section 10, plus bytes that use the two alphabet-specific
 * characters (0xfb 0xff -> "+/8" / "-_8"). */
static const struct {
	const char *in;
	size_t n;
	const char *std;
	const char *url;
} b64_tests[] = {
	{"", 0, "", ""},
	{"f", 1, "Zg==", "Zg"},
	{"fo", 2, "Zm8=", "Zm8"},
	{"foo", 3, "Zm9v", "Zm9v"},
	{"foob", 4, "Zm9vYg==", "Zm9vYg"},
	{"fooba", 5, "Zm9vYmE=", "Zm9vYmE"},
	{"foobar", 6, "Zm9vYmFy", "Zm9vYmFy"},
	{"\xfb\xff", 2, "+/8=", "-_8"},
	{"\x00\x00\x00", 3, "AAAA", "AAAA"},
};

START_TEST(test_b64_vectors)
{
	char text[64];
	uint8_t bin[64];
	size_t len = 99;
	const char *std = b64_tests[_i].std, *url = b64_tests[_i].url;

	ck_assert_int_eq(crypto_b64_encode(b64_tests[_i].in, b64_tests[_i].n,
			     text, sizeof(text)),
	    OST_OK);
	ck_assert_str_eq(text, std);
	ck_assert_int_eq(crypto_b64url_encode(b64_tests[_i].in,
			     b64_tests[_i].n, text, sizeof(text)),
	    OST_OK);
	ck_assert_str_eq(text, url);

	ck_assert_int_eq(crypto_b64_decode(std, strlen(std), bin, sizeof(bin),
			     &len),
	    OST_OK);
	ck_assert_uint_eq(len, b64_tests[_i].n);
	ck_assert_mem_eq(bin, b64_tests[_i].in, len);
	ck_assert_int_eq(crypto_b64url_decode(url, strlen(url), bin,
			     sizeof(bin), &len),
	    OST_OK);
	ck_assert_uint_eq(len, b64_tests[_i].n);
	ck_assert_mem_eq(bin, b64_tests[_i].in, len);
}
END_TEST

START_TEST(test_b64url_padding_optional)
{
	uint8_t bin[8];
	size_t len = 0;

	/* base64url accepts complete padding too (RFC 4648 section 5). */
	ck_assert_int_eq(crypto_b64url_decode("Zm8=", 4, bin, sizeof(bin), &len),
	    OST_OK);
	ck_assert_uint_eq(len, 2);
	ck_assert_mem_eq(bin, "fo", 2);
	ck_assert_int_eq(crypto_b64url_decode("Zg==", 4, bin, sizeof(bin), &len),
	    OST_OK);
	ck_assert_uint_eq(len, 1);
	ck_assert_mem_eq(bin, "f", 1);
}
END_TEST

/* Inputs each decoder must refuse. URL selects crypto_b64url_decode. */
static const struct {
	int url;
	const char *in;
	size_t n;     /* bytes of IN given (may cover an embedded NUL) */
	size_t outsz; /* room given for the result */
	enum ost_err err;
} b64_bad[] = {
	{0, "Zg=", 3, 8, OST_ERR_INVALID},      /* bad length */
	{0, "Zg", 2, 8, OST_ERR_INVALID},       /* padding is required */
	{0, "Zm9vY", 5, 8, OST_ERR_INVALID},    /* 4k+1 characters */
	{0, "Zm9*", 4, 8, OST_ERR_INVALID},     /* bad character */
	{0, "-_8=", 4, 8, OST_ERR_INVALID},     /* url characters */
	{0, "Zm=v", 4, 8, OST_ERR_INVALID},     /* '=' inside */
	{0, "Z===", 4, 8, OST_ERR_INVALID},     /* too much padding */
	{0, "====", 4, 8, OST_ERR_INVALID},     /* only padding */
	{0, "Zh==", 4, 8, OST_ERR_INVALID},     /* non-canonical trailing bits */
	{0, "Zm9\0", 4, 8, OST_ERR_INVALID},    /* embedded NUL */
	{0, " Zm9v", 5, 8, OST_ERR_INVALID},    /* whitespace */
	{0, "Zm9vYmFy", 8, 5, OST_ERR_TOO_LARGE}, /* 6 bytes into 5 */
	{1, "+/8", 3, 8, OST_ERR_INVALID},      /* standard characters */
	{1, "Zg=", 3, 8, OST_ERR_INVALID},      /* incomplete padding */
	{1, "Z", 1, 8, OST_ERR_INVALID},        /* 4k+1 characters */
	{1, "Zm9vY", 5, 8, OST_ERR_INVALID},    /* 4k+1 characters */
	{1, "Zm9vA", 5, 8, OST_ERR_INVALID},    /* 4k+1, zero last bits */
	{1, "A", 1, 8, OST_ERR_INVALID},        /* 4k+1, zero last bits */
	{0, "Zm9vA===", 8, 8, OST_ERR_INVALID}, /* 4k+1 before padding */
	{1, "Zm9v.", 5, 8, OST_ERR_INVALID},    /* bad character */
	{1, "Zm9", 3, 8, OST_ERR_INVALID},      /* non-canonical trailing bits */
	{1, "Zm9vYmFy", 8, 5, OST_ERR_TOO_LARGE}, /* 6 bytes into 5 */
	{1, "Zm8", 3, 1, OST_ERR_TOO_LARGE},    /* 2 bytes into 1 */
};

START_TEST(test_b64_reject)
{
	uint8_t bin[8];
	size_t len = 99;
	enum ost_err r;

	if (b64_bad[_i].url)
		r = crypto_b64url_decode(b64_bad[_i].in, b64_bad[_i].n, bin,
		    b64_bad[_i].outsz, &len);
	else
		r = crypto_b64_decode(b64_bad[_i].in, b64_bad[_i].n, bin,
		    b64_bad[_i].outsz, &len);
	ck_assert_int_eq(r, b64_bad[_i].err);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_b64_encode_too_small)
{
	char text[16];

	/* "foobar" needs 8 + 1 bytes padded, "f" 2 + 1 unpadded. */
	ck_assert_int_eq(crypto_b64_encode("foobar", 6, text, 8),
	    OST_ERR_TOO_LARGE);
	ck_assert_int_eq(crypto_b64_encode("foobar", 6, text, 9), OST_OK);
	ck_assert_int_eq(crypto_b64url_encode("f", 1, text, 2),
	    OST_ERR_TOO_LARGE);
	ck_assert_int_eq(crypto_b64url_encode("f", 1, text, 3), OST_OK);
	ck_assert_int_eq(crypto_b64url_encode("", 0, text, 0),
	    OST_ERR_TOO_LARGE);
	ck_assert_int_eq(crypto_b64_encode("f", 1, text, 4), OST_ERR_TOO_LARGE);
	ck_assert_str_eq(text, "");
}
END_TEST

START_TEST(test_hex_round_trip)
{
	uint8_t all[256], back[256];
	char text[2 * 256 + 1];
	size_t i, len = 0;

	for (i = 0; i < sizeof(all); i++)
		all[i] = (uint8_t)i;
	ck_assert_int_eq(crypto_hex_encode(all, sizeof(all), text, sizeof(text)),
	    OST_OK);
	ck_assert_uint_eq(strlen(text), 512);
	ck_assert(strncmp(text, "000102", 6) == 0);
	ck_assert_str_eq(text + 500, "fafbfcfdfeff");
	ck_assert_int_eq(crypto_hex_decode(text, 512, back, sizeof(back), &len),
	    OST_OK);
	ck_assert_uint_eq(len, 256);
	ck_assert_mem_eq(back, all, 256);
	ck_assert_int_eq(crypto_hex_decode("00FF1a", 6, back, 3, &len), OST_OK);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(back, "\x00\xff\x1a", 3);
	ck_assert_int_eq(crypto_hex_decode("", 0, back, 0, &len), OST_OK);
	ck_assert_uint_eq(len, 0);
}
END_TEST

static const struct {
	const char *in;
	size_t n;
	size_t outsz;
	enum ost_err err;
} hex_bad[] = {
	{"abc", 3, 8, OST_ERR_INVALID},      /* odd length */
	{"0g", 2, 8, OST_ERR_INVALID},       /* bad digit */
	{"g0", 2, 8, OST_ERR_INVALID},       /* bad digit first */
	{"00 1", 4, 8, OST_ERR_INVALID},     /* space */
	{"0\0", 2, 8, OST_ERR_INVALID},      /* embedded NUL */
	{"-1", 2, 8, OST_ERR_INVALID},       /* sign */
	{"001122", 6, 2, OST_ERR_TOO_LARGE}, /* 3 bytes into 2 */
};

START_TEST(test_hex_reject)
{
	uint8_t bin[8];
	size_t len = 99;

	ck_assert_int_eq(crypto_hex_decode(hex_bad[_i].in, hex_bad[_i].n, bin,
			     hex_bad[_i].outsz, &len),
	    hex_bad[_i].err);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_hex_encode_too_small)
{
	char text[8];

	ck_assert_int_eq(crypto_hex_encode("\x01\x02", 2, text, 4),
	    OST_ERR_TOO_LARGE);
	ck_assert_int_eq(crypto_hex_encode("\x01\x02", 2, text, 5), OST_OK);
	ck_assert_str_eq(text, "0102");
}
END_TEST

static const struct {
	const char *a, *b;
	size_t n;
	int equal;
} equal_tests[] = {
	{"abc", "abc", 3, 1},
	{"abc", "abd", 3, 0},
	{"abc", "xbc", 3, 0},
	{"", "", 0, 1},
	{"x", "y", 0, 1},
	{"\x00\x80", "\x00\x00", 2, 0},
	{"\xff\xff", "\xff\xfe", 2, 0},
};

START_TEST(test_equal)
{
	ck_assert_int_eq(crypto_equal(equal_tests[_i].a, equal_tests[_i].b,
			     equal_tests[_i].n),
	    equal_tests[_i].equal);
}
END_TEST

START_TEST(test_wipe_random_nonce)
{
	uint8_t a[32], b[32], zero[32] = {0};

	crypto_random(a, sizeof(a));
	crypto_random(b, sizeof(b));
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	crypto_nonce(a, sizeof(a));
	crypto_nonce(b, sizeof(b));
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	crypto_wipe(a, sizeof(a));
	ck_assert_mem_eq(a, zero, sizeof(a));
	crypto_wipe(NULL, 0);
	ck_assert_int_eq(crypto_init(64), OST_OK); /* idempotent */
}
END_TEST

START_TEST(test_token)
{
	char text[CRYPTO_TOKEN_TEXT], other[CRYPTO_TOKEN_TEXT];
	uint8_t hash[CRYPTO_SHA256_LEN], again[CRYPTO_SHA256_LEN];
	uint8_t raw[64];
	size_t len = 0;

	crypto_token_new(text, hash);
	ck_assert_uint_eq(strlen(text), 43);
	ck_assert_uint_eq(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz0123456789-_"),
	    43);
	ck_assert_int_eq(crypto_b64url_decode(text, 43, raw, sizeof(raw), &len),
	    OST_OK);
	ck_assert_uint_eq(len, CRYPTO_TOKEN_BYTES);
	crypto_sha256(text, 43, again);
	ck_assert_mem_eq(hash, again, sizeof(hash));
	crypto_token_hash(text, 43, again);
	ck_assert_mem_eq(hash, again, sizeof(hash));
	crypto_token_hash(text, 42, again);
	ck_assert(memcmp(hash, again, sizeof(hash)) != 0);
	crypto_token_new(other, again);
	ck_assert_str_ne(text, other);
	ck_assert(memcmp(hash, again, sizeof(hash)) != 0);
}
END_TEST

/* RFC 9106 section 5.3, straight through libgcrypt: proves that the
 * primitive under crypto_password_* is Argon2id version 0x13. */
START_TEST(test_argon2id_rfc9106)
{
	unsigned long param[4] = {32, 3, 32, 4};
	uint8_t pw[32], salt[16], secret[8], ad[12], tag[32];
	gcry_kdf_hd_t hd;

	memset(pw, 0x01, sizeof(pw));
	memset(salt, 0x02, sizeof(salt));
	memset(secret, 0x03, sizeof(secret));
	memset(ad, 0x04, sizeof(ad));
	ck_assert_int_eq(gcry_kdf_open(&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID,
			     param, 4, pw, sizeof(pw), salt, sizeof(salt),
			     secret, sizeof(secret), ad, sizeof(ad)),
	    0);
	ck_assert_int_eq(gcry_kdf_compute(hd, NULL), 0);
	ck_assert_int_eq(gcry_kdf_final(hd, sizeof(tag), tag), 0);
	gcry_kdf_close(hd);
	ck_assert_str_eq(hex(tag, sizeof(tag)),
	    "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
}
END_TEST

/* PHC strings written by the reference implementation (its test.c),
 * password "password", salt "somesalt": our verifier reads them. */
static const char *const phc_reference[] = {
	"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$"
	"nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
	"$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$"
	"bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
};

START_TEST(test_phc_reference)
{
	int ok = -1;

	ck_assert_int_eq(crypto_password_verify("password", 8, phc_reference[_i],
			     &ok),
	    OST_OK);
	ck_assert_int_eq(ok, 1);
	ck_assert_int_eq(crypto_password_verify("passwore", 8, phc_reference[_i],
			     &ok),
	    OST_OK);
	ck_assert_int_eq(ok, 0);
	ck_assert_int_eq(crypto_password_verify("password", 7, phc_reference[_i],
			     &ok),
	    OST_OK);
	ck_assert_int_eq(ok, 0);
}
END_TEST

static const struct crypto_argon2_params cheap[] = {
	{.t_cost = 1, .m_cost_kib = 64, .parallelism = 1},
	{.t_cost = 2, .m_cost_kib = 64, .parallelism = 2},
};

START_TEST(test_phc_round_trip)
{
	const struct crypto_argon2_params *a = &cheap[_i];
	char phc[CRYPTO_PHC_MAX], again[CRYPTO_PHC_MAX], head[64];
	int ok = -1;

	ck_assert_int_eq(crypto_password_hash("correct horse", 13, a, phc,
			     sizeof(phc)),
	    OST_OK);
	ck_assert_int_gt(snprintf(head, sizeof(head),
			     "$argon2id$v=19$m=%u,t=%u,p=%u$", a->m_cost_kib,
			     a->t_cost, a->parallelism),
	    0);
	ck_assert(strncmp(phc, head, strlen(head)) == 0);
	/* 16-byte salt and 32-byte tag, base64 without padding. */
	ck_assert_uint_eq(strlen(phc), strlen(head) + 22 + 1 + 43);
	ck_assert_int_eq(phc[strlen(head) + 22], '$');
	ck_assert_ptr_null(strchr(phc + strlen(head), '='));
	ck_assert_int_eq(crypto_password_verify("correct horse", 13, phc, &ok),
	    OST_OK);
	ck_assert_int_eq(ok, 1);
	ck_assert_int_eq(crypto_password_verify("correct horsf", 13, phc, &ok),
	    OST_OK);
	ck_assert_int_eq(ok, 0);
	ck_assert_int_eq(crypto_password_verify("", 0, phc, &ok), OST_OK);
	ck_assert_int_eq(ok, 0);
	/* A fresh salt every time. */
	ck_assert_int_eq(crypto_password_hash("correct horse", 13, a, again,
			     sizeof(again)),
	    OST_OK);
	ck_assert_str_ne(phc, again);
	crypto_password_dummy(a);
}
END_TEST

START_TEST(test_phc_empty_password)
{
	char phc[CRYPTO_PHC_MAX] = "x";
	int ok = -1;

	/* libgcrypt 1.10 cannot hash an empty passphrase: refused up front. */
	ck_assert_int_eq(crypto_password_hash("", 0, &cheap[0], phc,
			     sizeof(phc)),
	    OST_ERR_INVALID);
	ck_assert_str_eq(phc, "");
	/* Verifying one is a plain mismatch, even against a hash of "\0". */
	ck_assert_int_eq(crypto_password_hash("\0", 1, &cheap[0], phc,
			     sizeof(phc)),
	    OST_OK);
	ck_assert_int_eq(crypto_password_verify("\0", 1, phc, &ok), OST_OK);
	ck_assert_int_eq(ok, 1);
	ck_assert_int_eq(crypto_password_verify("", 0, phc, &ok), OST_OK);
	ck_assert_int_eq(ok, 0);
	ck_assert_int_eq(crypto_password_verify(NULL, 0, phc, &ok), OST_OK);
	ck_assert_int_eq(ok, 0);
}
END_TEST

START_TEST(test_phc_hash_out_too_small)
{
	/* "$argon2id$v=19$m=64,t=1,p=1$" + 22 + "$" + 43 characters. */
	const size_t need = 28 + 22 + 1 + 43;
	size_t sz;
	char *phc;

	/* Buffers of exactly SZ bytes on the heap: AddressSanitizer sees any
	 * write past the end. */
	for (sz = 0; sz <= need + 1; sz++) {
		phc = malloc(sz ? sz : 1);
		ck_assert_ptr_nonnull(phc);
		ck_assert_int_eq(crypto_password_hash("pw", 2, &cheap[0], phc, sz),
		    sz > need ? OST_OK : OST_ERR_TOO_LARGE);
		if (sz > need)
			ck_assert_uint_eq(strlen(phc), need);
		else if (sz > 0)
			ck_assert_str_eq(phc, "");
		free(phc);
	}
}
END_TEST

static const struct crypto_argon2_params bad_params[] = {
	{.t_cost = 0, .m_cost_kib = 64, .parallelism = 1},
	{.t_cost = 17, .m_cost_kib = 64, .parallelism = 1},
	{.t_cost = 1, .m_cost_kib = 7, .parallelism = 1},
	{.t_cost = 1, .m_cost_kib = 4194305, .parallelism = 1},
	{.t_cost = 1, .m_cost_kib = 64, .parallelism = 0},
	{.t_cost = 1, .m_cost_kib = 256, .parallelism = 17},
	{.t_cost = 1, .m_cost_kib = 16, .parallelism = 4}, /* m < 8 p */
};

START_TEST(test_phc_bad_params)
{
	char phc[CRYPTO_PHC_MAX] = "x";

	ck_assert_int_eq(crypto_password_hash("pw", 2, &bad_params[_i], phc,
			     sizeof(phc)),
	    OST_ERR_INVALID);
	ck_assert_str_eq(phc, "");
	crypto_password_dummy(&bad_params[_i]); /* returns, does not crash */
}
END_TEST

#define SALT "$c29tZXNhbHQ$"
#define TAG "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
#define HEAD "$argon2id$v=19$m=256,t=2,p=1"

/* Strings crypto_password_verify must refuse as OST_ERR_INVALID. */
static const char *const phc_bad[] = {
	"",
	"$",
	"$argon2id$",
	"$argon2id$v=19$",
	"$argon2i$v=19$m=256,t=2,p=1" SALT "iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8",
	"$argon2d$v=19$m=256,t=2,p=1" SALT TAG,
	"$argon2id$m=256,t=2,p=1" SALT TAG,          /* no version */
	"$argon2id$v=16$m=256,t=2,p=1" SALT TAG,     /* version 1.0 */
	"$argon2id$v=19$m=0256,t=2,p=1" SALT TAG,    /* leading zero */
	"$argon2id$v=19$m=0,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m=7,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m=4194305,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m=10000000,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m=18446744073709551872,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m=-256,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m=+256,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m= 256,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m=,t=2,p=1" SALT TAG,
	"$argon2id$v=19$m=256,t=0,p=1" SALT TAG,
	"$argon2id$v=19$m=256,t=17,p=1" SALT TAG,
	"$argon2id$v=19$m=256,t=2,p=0" SALT TAG,
	"$argon2id$v=19$m=256,t=2,p=17" SALT TAG,
	"$argon2id$v=19$m=16,t=2,p=4" SALT TAG,      /* m < 8 p */
	"$argon2id$v=19$t=2,m=256,p=1" SALT TAG,     /* order */
	"$argon2id$v=19$m=256,t=2" SALT TAG,         /* no p */
	"$argon2id$v=19$m=256,t=2,p=1,keyid=abc" SALT TAG,
	HEAD "$$" TAG,                               /* empty salt */
	HEAD "$c29tZXNhbA$" TAG,                     /* 7-byte salt */
	HEAD "$c29tZXNhbHQ=$" TAG,                   /* padded salt */
	HEAD "$c29tZXNhbH*$" TAG,                    /* bad character */
	HEAD SALT TAG "=",                           /* padded tag */
	HEAD SALT "nf65EOgLrQMR_uIPnA4rEsF5h7TKyQwu9U1bMCHGi_4", /* url */
	HEAD SALT "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/5", /* bits */
	HEAD SALT "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/",  /* 4k+2 */
	HEAD SALT "nf65EOgLrQMR/uIPnA4",                         /* 14 bytes */
	HEAD SALT,                                   /* no tag */
	HEAD "$c29tZXNhbHQ",                         /* no tag, no '$' */
	HEAD SALT TAG "$",
	HEAD SALT TAG "$x",
	HEAD SALT TAG "\n",
	" " HEAD SALT TAG,
};

START_TEST(test_phc_garbage)
{
	int ok = -1;

	ck_assert_int_eq(crypto_password_verify("password", 8, phc_bad[_i], &ok),
	    OST_ERR_INVALID);
	ck_assert_int_eq(ok, 0);
}
END_TEST

START_TEST(test_phc_null_and_long)
{
	char big[1024];
	int ok = -1;

	ck_assert_int_eq(crypto_password_verify("password", 8, NULL, &ok),
	    OST_ERR_INVALID);
	ck_assert_int_eq(ok, 0);
	/* A valid head followed by a huge salt. */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, HEAD "$", strlen(HEAD "$"));
	big[600] = '$';
	ck_assert_int_eq(crypto_password_verify("password", 8, big, &ok),
	    OST_ERR_INVALID);
}
END_TEST

/* Salt and tag length bounds: SALTLEN/TAGLEN zero bytes in base64. */
static const struct {
	size_t saltlen, taglen;
	enum ost_err err;
} phc_bounds[] = {
	{7, 32, OST_ERR_INVALID},
	{8, 32, OST_OK},
	{64, 32, OST_OK},
	{65, 32, OST_ERR_INVALID},
	{16, 15, OST_ERR_INVALID},
	{16, 16, OST_OK},
	{16, 64, OST_OK},
	{16, 65, OST_ERR_INVALID},
};

START_TEST(test_phc_bounds)
{
	uint8_t zero[65] = {0};
	char phc[400], salt[100], tag[100];
	int ok = -1;

	ck_assert_int_eq(crypto_b64url_encode(zero, phc_bounds[_i].saltlen,
			     salt, sizeof(salt)),
	    OST_OK);
	ck_assert_int_eq(crypto_b64url_encode(zero, phc_bounds[_i].taglen, tag,
			     sizeof(tag)),
	    OST_OK);
	ck_assert_int_lt(snprintf(phc, sizeof(phc), "$argon2id$v=19$m=8,t=1,"
						    "p=1$%s$%s",
			     salt, tag),
	    (int)sizeof(phc));
	ck_assert_int_eq(crypto_password_verify("pw", 2, phc, &ok),
	    phc_bounds[_i].err);
	ck_assert_int_eq(ok, 0); /* an all-zero tag never matches */
}
END_TEST

/* Every prefix and many one-character changes of a valid string: the
 * verifier answers OST_OK or OST_ERR_INVALID, never crashes, and never
 * accepts a changed string. */
START_TEST(test_phc_mutations)
{
	static const char subst[] = "$=,A9/+-_\x80";
	const char *good = phc_reference[0];
	size_t len = strlen(good), i, j;
	char s[128];
	enum ost_err r;
	int ok;

	for (i = 0; i <= len; i++) {
		for (j = 0; j <= sizeof(subst) - 1; j++) {
			memcpy(s, good, len + 1);
			if (j == sizeof(subst) - 1)
				s[i] = '\0'; /* the prefix of length i */
			else if (i < len)
				s[i] = subst[j];
			if (strcmp(s, good) == 0)
				continue;
			ok = -1;
			r = crypto_password_verify("password", 8, s, &ok);
			ck_assert_msg(r == OST_OK || r == OST_ERR_INVALID,
			    "%s: %d", s, (int)r);
			ck_assert_msg(ok == 0, "accepted %s", s);
		}
	}
}
END_TEST

static Suite *
crypto_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc;

	tc = tcase_create("hash");
	tcase_add_loop_test(tc, test_sha256, 0, sizeof(sha_tests) / sizeof(sha_tests[0]));
	tcase_add_loop_test(tc, test_hmac_sha256, 0,
	    sizeof(hmac_tests) / sizeof(hmac_tests[0]));
	tcase_add_loop_test(tc, test_equal, 0,
	    sizeof(equal_tests) / sizeof(equal_tests[0]));
	tcase_add_test(tc, test_wipe_random_nonce);
	tcase_add_test(tc, test_token);
	suite_add_tcase(s, tc);

	tc = tcase_create("encoding");
	tcase_add_loop_test(tc, test_b64_vectors, 0,
	    sizeof(b64_tests) / sizeof(b64_tests[0]));
	tcase_add_test(tc, test_b64url_padding_optional);
	tcase_add_loop_test(tc, test_b64_reject, 0,
	    sizeof(b64_bad) / sizeof(b64_bad[0]));
	tcase_add_test(tc, test_b64_encode_too_small);
	tcase_add_test(tc, test_hex_round_trip);
	tcase_add_loop_test(tc, test_hex_reject, 0,
	    sizeof(hex_bad) / sizeof(hex_bad[0]));
	tcase_add_test(tc, test_hex_encode_too_small);
	suite_add_tcase(s, tc);

	tc = tcase_create("argon2id");
	tcase_set_timeout(tc, 120); /* slow under AddressSanitizer */
	tcase_add_test(tc, test_argon2id_rfc9106);
	tcase_add_loop_test(tc, test_phc_reference, 0,
	    sizeof(phc_reference) / sizeof(phc_reference[0]));
	tcase_add_loop_test(tc, test_phc_round_trip, 0,
	    sizeof(cheap) / sizeof(cheap[0]));
	tcase_add_test(tc, test_phc_empty_password);
	tcase_add_test(tc, test_phc_hash_out_too_small);
	tcase_add_loop_test(tc, test_phc_bad_params, 0,
	    sizeof(bad_params) / sizeof(bad_params[0]));
	tcase_add_loop_test(tc, test_phc_garbage, 0,
	    sizeof(phc_bad) / sizeof(phc_bad[0]));
	tcase_add_test(tc, test_phc_null_and_long);
	tcase_add_loop_test(tc, test_phc_bounds, 0,
	    sizeof(phc_bounds) / sizeof(phc_bounds[0]));
	tcase_add_test(tc, test_phc_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (crypto_init(64) != OST_OK)
		return EXIT_FAILURE;
	if (crypto_init(64) != OST_OK) /* a second call is harmless */
		return EXIT_FAILURE;
	sr = srunner_create(crypto_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
