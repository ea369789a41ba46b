/* test_jwt.c - Check suite for crypto/jwt: reading a compact JWS (the
 * algorithm pinned to RS256) and the claims of a client assertion */
#include "crypto/jwt.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define NOW 1700000000LL
#define CLIENT "0123456789abcdef0123456789"
#define ISSUER "https://ostium.example.org/prefix"

/* base64url of TEXT into OUT. */
static void
b64(const char *text, char *out, size_t outsz)
{
	ck_assert_int_eq(crypto_b64url_encode(text, strlen(text), out, outsz), OST_OK);
}

/* A compact JWS of HEADER and CLAIMS (JSON texts) with a dummy signature. */
static void
jws(const char *header, const char *claims, char *out, size_t outsz)
{
	char h[1024], c[2048];

	b64(header, h, sizeof(h));
	b64(claims, c, sizeof(c));
	snprintf(out, outsz, "%s.%s.c2lnbmF0dXJl", h, c);
}

static const struct {
	const char *header;
	int ok;
} header_cases[] = {
	{"{\"alg\":\"RS256\",\"typ\":\"JWT\"}", 1},
	{"{\"alg\":\"RS256\",\"kid\":\"k1\"}", 1},
	{"{\"alg\":\"none\"}", 0},
	{"{\"alg\":\"HS256\"}", 0},
	{"{\"alg\":\"PS256\"}", 0},
	{"{\"alg\":\"rs256\"}", 0},
	{"{\"typ\":\"JWT\"}", 0},
	{"{\"alg\":\"RS256\",\"crit\":[\"exp\"]}", 0},
	{"[\"RS256\"]", 0},
	{"{\"alg\":\"RS256\",\"alg\":\"none\"}", 0}, /* a duplicate member is refused */
	{"not json", 0},
};

START_TEST(test_header)
{
	char text[4096];
	struct jwt j;
	const char *why = NULL;
	enum ost_err err;

	jws(header_cases[_i].header, "{\"iss\":\"x\"}", text, sizeof(text));
	err = crypto_jwt_parse(text, strlen(text), &j, &why);
	ck_assert_int_eq(err == OST_OK, header_cases[_i].ok);
	if (err)
		ck_assert_ptr_nonnull(why);
	else
		ck_assert_uint_eq(j.signed_len, (size_t)(strrchr(text, '.') - text));
	crypto_jwt_free(&j);
}
END_TEST

static const char *const shape_cases[] = {
	"", "a", "a.b", "a.b.c.d", "..", "eyJhbGciOiJSUzI1NiJ9.e30.", /* no signature */
	"eyJhbGciOiJSUzI1NiJ9.W10.c2ln", /* claims an array */
	"eyJhbGciOiJSUzI1NiJ9.e30.c2ln!", /* not base64url */
	"eyJhbGciOiJSUzI1NiJ9.%%%.c2ln",
};

START_TEST(test_shape)
{
	struct jwt j;
	const char *why = NULL;

	ck_assert_int_eq(crypto_jwt_parse(shape_cases[_i], strlen(shape_cases[_i]), &j, &why),
	    OST_ERR_INVALID);
	ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(test_too_long)
{
	size_t n = JWT_TEXT_MAX + 1;
	char *text = malloc(n + 1);
	struct jwt j;
	const char *why = NULL;

	ck_assert_ptr_nonnull(text);
	memset(text, 'a', n);
	text[10] = text[20] = '.';
	text[n] = '\0';
	ck_assert_int_eq(crypto_jwt_parse(text, n, &j, &why), OST_ERR_INVALID);
	free(text);
}
END_TEST

#define I "\"iss\":\"" CLIENT "\""
#define S "\"sub\":\"" CLIENT "\""
#define A "\"aud\":\"" ISSUER "\""
#define J "\"jti\":\"j-1\""
static const struct {
	const char *claims;
	int ok;
} claim_cases[] = {
	{"{" I "," S "," A "," J ",\"exp\":1700000060}", 1},
	{"{" I "," S "," A "," J ",\"exp\":1700000060,\"iat\":1700000000,\"nbf\":1699999990}", 1},
	{"{" I "," S "," A "," J ",\"exp\":1700000300}", 1},           /* 5 minutes ahead */
	{"{" I "," S "," A "," J ",\"exp\":1700000400}", 0},           /* too far ahead */
	{"{" I "," S "," A "," J ",\"exp\":1699999960}", 0},           /* expired */
	{"{" I "," S "," A "," J ",\"exp\":1699999990}", 1},           /* within the skew */
	{"{" I "," S "," A "," J "}", 0},                              /* no exp */
	{"{" I "," S "," A "," J ",\"exp\":\"1700000060\"}", 0},       /* exp as text */
	{"{" I "," S "," A "," J ",\"exp\":1700000060,\"nbf\":1700000100}", 0},
	{"{" I "," S "," A "," J ",\"exp\":1700000060,\"iat\":1700000100}", 0},
	{"{" I "," S "," J ",\"exp\":1700000060}", 0},                 /* no aud */
	{"{" I "," S "," J ",\"aud\":[\"" ISSUER "\"],\"exp\":1700000060}", 0}, /* a list */
	{"{" I "," S "," J ",\"aud\":\"" ISSUER "/oauth/token\",\"exp\":1700000060}", 0},
	{"{" I "," S "," J ",\"aud\":\"" ISSUER "/\",\"exp\":1700000060}", 0},
	{"{" S "," A "," J ",\"exp\":1700000060}", 0},                 /* no iss */
	{"{" I "," A "," J ",\"exp\":1700000060}", 0},                 /* no sub */
	{"{\"iss\":\"other\"," S "," A "," J ",\"exp\":1700000060}", 0},
	{"{" I ",\"sub\":\"other\"," A "," J ",\"exp\":1700000060}", 0},
	{"{" I "," S "," A ",\"exp\":1700000060}", 0},                 /* no jti */
	{"{" I "," S "," A ",\"jti\":\"\",\"exp\":1700000060}", 0},
	{"{" I "," S "," A ",\"jti\":7,\"exp\":1700000060}", 0},
};

START_TEST(test_claims)
{
	char text[4096];
	struct jwt j;
	const char *why = NULL;
	long long exp = 0;
	enum ost_err err;

	jws("{\"alg\":\"RS256\"}", claim_cases[_i].claims, text, sizeof(text));
	ck_assert_int_eq(crypto_jwt_parse(text, strlen(text), &j, &why), OST_OK);
	err = crypto_jwt_check_assertion(&j, CLIENT, ISSUER, NOW, &exp, &why);
	ck_assert_msg((err == OST_OK) == claim_cases[_i].ok, "%s: %s", claim_cases[_i].claims,
	    err ? why : "accepted");
	crypto_jwt_free(&j);
}
END_TEST

START_TEST(test_jti_too_long)
{
	char claims[1024], jti[JWT_JTI_MAX + 2], text[4096];
	struct jwt j;
	const char *why = NULL;
	long long exp;

	memset(jti, 'x', sizeof(jti) - 1);
	jti[sizeof(jti) - 1] = '\0';
	snprintf(claims, sizeof(claims), "{" I "," S "," A ",\"exp\":1700000060,\"jti\":\"%s\"}", jti);
	jws("{\"alg\":\"RS256\"}", claims, text, sizeof(text));
	ck_assert_int_eq(crypto_jwt_parse(text, strlen(text), &j, &why), OST_OK);
	ck_assert_int_eq(crypto_jwt_check_assertion(&j, CLIENT, ISSUER, NOW, &exp, &why),
	    OST_ERR_INVALID);
	crypto_jwt_free(&j);
}
END_TEST

/* A signature that is not the key's never verifies, nor does a key of
 * another algorithm or an unreadable one. */
START_TEST(test_verify_refuses)
{
	char text[4096], path[1024], pem[8192];
	struct jwt j;
	const char *why = NULL, *names[] = {"rsa2048.pub.pem", "ec.pub.pem", "rsa1024.pub.pem"};
	size_t i, n;
	FILE *f;

	jws("{\"alg\":\"RS256\"}", "{}", text, sizeof(text));
	ck_assert_int_eq(crypto_jwt_parse(text, strlen(text), &j, &why), OST_OK);
	for (i = 0; i < NELEM(names); i++) {
		snprintf(path, sizeof(path), "%s/tests/unit/fixtures/keys/%s", TEST_SRCDIR, names[i]);
		ck_assert_ptr_nonnull(f = fopen(path, "r"));
		n = fread(pem, 1, sizeof(pem) - 1, f);
		fclose(f);
		pem[n] = '\0';
		ck_assert_int_eq(crypto_jwt_verify(&j, pem, n, PEM_PUBLIC_KEY, NOW), 0);
	}
	ck_assert_int_eq(crypto_jwt_verify(&j, "garbage", 7, PEM_PUBLIC_KEY, NOW), 0);
	crypto_jwt_free(&j);
}
END_TEST

static Suite *
jwt_suite(void)
{
	Suite *s = suite_create("jwt");
	TCase *tc = tcase_create("assertions");

	tcase_add_loop_test(tc, test_header, 0, NELEM(header_cases));
	tcase_add_loop_test(tc, test_shape, 0, NELEM(shape_cases));
	tcase_add_test(tc, test_too_long);
	tcase_add_loop_test(tc, test_claims, 0, NELEM(claim_cases));
	tcase_add_test(tc, test_jti_too_long);
	tcase_add_test(tc, test_verify_refuses);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(jwt_suite());
	int failed;

	if (crypto_init(64))
		return EXIT_FAILURE;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
