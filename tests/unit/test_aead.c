/* test_aead.c - Check suite for crypto/aead.c: the GCM test vector, the keyring, sealing */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "crypto/aead.h"
#include "crypto/crypto.h"

/* McGrew and Viega, "The Galois/Counter Mode of Operation", test case 16. */
#define GCM_KEY "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
#define GCM_IV "cafebabefacedbaddecaf888"
#define GCM_PLAIN "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_CIPHER "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa" \
	"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
#define GCM_TAG "76fc6ece0f4e1768cddf8853bb2d551b"

static char path[64];

/* Write TEXT to a fresh key file with MODE; PATH names it. */
static void
key_file(const char *text, mode_t mode)
{
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/ostium-aead-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static size_t
unhex(const char *h, uint8_t *out, size_t outsz)
{
	size_t n = 0;

	ck_assert_int_eq(crypto_hex_decode(h, strlen(h), out, outsz, &n), OST_OK);
	return n;
}

START_TEST(test_vector_opens)
{
	struct keyring ring;
	uint8_t sealed[128], aad[32], plain[64], want[64];
	size_t iv = unhex(GCM_IV, sealed, 12), c, a = unhex(GCM_AAD, aad, sizeof(aad));

	c = unhex(GCM_CIPHER, sealed + iv, sizeof(sealed) - iv);
	unhex(GCM_TAG, sealed + iv + c, 16);
	key_file("7 " GCM_KEY "\n", 0600);
	ck_assert_int_eq(crypto_keyring_load(path, &ring), OST_OK);
	unlink(path);
	ck_assert_int_eq(crypto_open(&ring, 7, sealed, iv + c + 16, aad, a, plain), OST_OK);
	unhex(GCM_PLAIN, want, sizeof(want));
	ck_assert_mem_eq(plain, want, c);
	/* one flipped bit anywhere, another AAD, or an unknown key: refused */
	sealed[iv + 3] ^= 1;
	ck_assert_int_eq(crypto_open(&ring, 7, sealed, iv + c + 16, aad, a, plain), OST_ERR_CRYPTO);
	sealed[iv + 3] ^= 1;
	ck_assert_int_eq(crypto_open(&ring, 7, sealed, iv + c + 16, aad, a - 1, plain),
	    OST_ERR_CRYPTO);
	ck_assert_int_eq(crypto_open(&ring, 8, sealed, iv + c + 16, aad, a, plain),
	    OST_ERR_NOT_FOUND);
	ck_assert_int_eq(crypto_open(&ring, 7, sealed, 27, aad, a, plain), OST_ERR_CRYPTO);
	crypto_keyring_free(&ring);
}
END_TEST

START_TEST(test_seal_round_trip_with_rotation)
{
	struct keyring old, ring;
	uint8_t a[64], b[64], plain[64];
	unsigned id_a = 0, id_b = 0;
	const char *msg = "a server variable";
	size_t n = strlen(msg);

	key_file("1 " GCM_KEY "\n", 0600);
	ck_assert_int_eq(crypto_keyring_load(path, &old), OST_OK);
	unlink(path);
	ck_assert_int_eq(crypto_seal(&old, msg, n, "ctx", 3, a, &id_a), OST_OK);
	ck_assert_uint_eq(id_a, 1);
	key_file("1 " GCM_KEY "\n# rotated\n2 000102030405060708090a0b0c0d0e0f"
	         "101112131415161718191a1b1c1d1e1f\n", 0600);
	ck_assert_int_eq(crypto_keyring_load(path, &ring), OST_OK);
	unlink(path);
	ck_assert_int_eq(crypto_seal(&ring, msg, n, "ctx", 3, b, &id_b), OST_OK);
	ck_assert_uint_eq(id_b, 2); /* the newest key seals */
	ck_assert_int_ne(memcmp(a, b, 12), 0);
	ck_assert_int_eq(crypto_open(&ring, id_a, a, n + AEAD_OVERHEAD, "ctx", 3, plain), OST_OK);
	ck_assert_mem_eq(plain, msg, n); /* older values still open */
	ck_assert_int_eq(crypto_open(&ring, id_b, b, n + AEAD_OVERHEAD, "ctx", 3, plain), OST_OK);
	ck_assert_mem_eq(plain, msg, n);
	ck_assert_int_eq(crypto_open(&ring, id_b, b, n + AEAD_OVERHEAD, "CTX", 3, plain),
	    OST_ERR_CRYPTO);
	crypto_keyring_free(&old);
	crypto_keyring_free(&ring);
}
END_TEST

static const struct {
	const char *text;
	mode_t mode;
	enum ost_err want;
} bad_files[] = {
	{"", 0600, OST_ERR_CONFIG},
	{"# only a comment\n", 0600, OST_ERR_CONFIG},
	{GCM_KEY "\n", 0600, OST_ERR_CONFIG},
	{"1 " GCM_KEY "\n", 0644, OST_ERR_CONFIG},
	{"1 abcd\n", 0600, OST_ERR_CONFIG},
	{"0 " GCM_KEY "\n", 0600, OST_ERR_CONFIG},
	{"x " GCM_KEY "\n", 0600, OST_ERR_CONFIG},
	{"1 " GCM_KEY "\n1 " GCM_KEY "\n", 0600, OST_ERR_CONFIG},
	{"1 " GCM_KEY "00\n", 0600, OST_ERR_CONFIG},
};

START_TEST(test_bad_key_files)
{
	struct keyring ring;

	key_file(bad_files[_i].text, bad_files[_i].mode);
	ck_assert_int_eq(crypto_keyring_load(path, &ring), bad_files[_i].want);
	unlink(path);
	ck_assert_ptr_null(ring.keys);
	ck_assert_int_eq(crypto_keyring_load("/nonexistent/keys", &ring), OST_ERR_IO);
}
END_TEST

static Suite *
aead_suite(void)
{
	Suite *s = suite_create("aead");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_vector_opens);
	tcase_add_test(tc, test_seal_round_trip_with_rotation);
	tcase_add_loop_test(tc, test_bad_key_files, 0, sizeof(bad_files) / sizeof(bad_files[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (crypto_init(64))
		return 1;
	sr = srunner_create(aead_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
