/* test_buf.c - Check suite for core/buf: growth, the maximum size, addf, take, reset */
#include "core/buf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The invariants every buffer keeps after any call. */
static void
check_invariants(const struct buf *b)
{
	ck_assert_uint_le(b->len, b->max);
	if (b->p) {
		ck_assert_uint_lt(b->len, b->cap);
		ck_assert_uint_le(b->cap, b->max + 1);
		ck_assert_int_eq(b->p[b->len], '\0');
	} else {
		ck_assert_uint_eq(b->len, 0);
		ck_assert_uint_eq(b->cap, 0);
	}
}

START_TEST(test_empty)
{
	struct buf b;

	buf_init(&b, 100);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.max, 100);
	check_invariants(&b);
	/* Adding nothing still yields a NUL-terminated string. */
	ck_assert_int_eq(buf_add(&b, "", 0), OST_OK);
	ck_assert_ptr_nonnull(b.p);
	ck_assert_str_eq(b.p, "");
	check_invariants(&b);
	buf_free(&b);
	ck_assert_ptr_null(b.p);
	check_invariants(&b);
	buf_free(&b); /* twice is harmless */
}
END_TEST

START_TEST(test_growth)
{
	struct buf b;
	char expect[10000];
	size_t i;

	buf_init(&b, 1 << 20);
	for (i = 0; i < sizeof(expect); i++) {
		expect[i] = (char)('a' + i % 26);
		ck_assert_int_eq(buf_add(&b, &expect[i], 1), OST_OK);
		check_invariants(&b);
	}
	ck_assert_uint_eq(b.len, sizeof(expect));
	ck_assert_mem_eq(b.p, expect, sizeof(expect));
	buf_free(&b);
}
END_TEST

START_TEST(test_binary)
{
	struct buf b;

	buf_init(&b, 64);
	ck_assert_int_eq(buf_add(&b, "a\0b", 3), OST_OK);
	ck_assert_int_eq(buf_adds(&b, "cd"), OST_OK);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_mem_eq(b.p, "a\0bcd", 6);
	buf_free(&b);
}
END_TEST

/* Appending past MAX fails with OST_ERR_TOO_LARGE and changes nothing. */
static const struct {
	size_t max;     /* the buffer's maximum */
	const char *pre; /* added first, must fit */
	size_t add;     /* then this many bytes */
	enum ost_err err;
} max_cases[] = {
	{0, "", 0, OST_OK},
	{0, "", 1, OST_ERR_TOO_LARGE},
	{10, "", 10, OST_OK},
	{10, "", 11, OST_ERR_TOO_LARGE},
	{10, "12345", 5, OST_OK},
	{10, "12345", 6, OST_ERR_TOO_LARGE},
	{10, "1234567890", 0, OST_OK},
	{10, "1234567890", 1, OST_ERR_TOO_LARGE},
	{300, "x", 299, OST_OK},  /* past the first allocation of 256 */
	{300, "x", 300, OST_ERR_TOO_LARGE},
	{5000, "", 4097, OST_OK}, /* several doublings, the last one capped */
};

START_TEST(test_max)
{
	static char data[5000];
	struct buf b;
	char *p;
	size_t len, cap, add = max_cases[_i].add;

	ck_assert_uint_le(add, sizeof(data));
	memset(data, 'z', sizeof(data));
	buf_init(&b, max_cases[_i].max);
	ck_assert_int_eq(buf_adds(&b, max_cases[_i].pre), OST_OK);
	p = b.p;
	len = b.len;
	cap = b.cap;
	ck_assert_int_eq(buf_add(&b, data, add), max_cases[_i].err);
	check_invariants(&b);
	if (max_cases[_i].err == OST_OK) {
		ck_assert_uint_eq(b.len, len + add);
		ck_assert_int_eq(b.p[len], add ? 'z' : '\0');
	} else {
		ck_assert_ptr_eq(b.p, p);
		ck_assert_uint_eq(b.len, len);
		ck_assert_uint_eq(b.cap, cap);
		ck_assert_str_eq(b.p, max_cases[_i].pre);
	}
	buf_free(&b);
}
END_TEST

START_TEST(test_max_huge)
{
	struct buf b;

	/* A length near SIZE_MAX must not wrap around the check. */
	buf_init(&b, 100);
	ck_assert_int_eq(buf_adds(&b, "abc"), OST_OK);
	ck_assert_int_eq(buf_add(&b, "x", (size_t)-1), OST_ERR_TOO_LARGE);
	ck_assert_int_eq(buf_add(&b, "x", (size_t)-1 - 2), OST_ERR_TOO_LARGE);
	ck_assert_str_eq(b.p, "abc");
	check_invariants(&b);
	buf_free(&b);
}
END_TEST

START_TEST(test_addf)
{
	struct buf b;

	buf_init(&b, 64);
	ck_assert_int_eq(buf_addf(&b, "%s=%d", "workers", 4), OST_OK);
	ck_assert_int_eq(buf_addf(&b, "%s", ""), OST_OK);
	ck_assert_int_eq(buf_addf(&b, "; %05.1f%%", 2.25), OST_OK);
	ck_assert_str_eq(b.p, "workers=4; 002.2%");
	ck_assert_uint_eq(b.len, strlen("workers=4; 002.2%"));
	check_invariants(&b);
	buf_free(&b);
}
END_TEST

START_TEST(test_addf_grows)
{
	struct buf b;
	size_t i;

	buf_init(&b, 1 << 16);
	ck_assert_int_eq(buf_adds(&b, "<"), OST_OK);
	ck_assert_int_eq(buf_addf(&b, "%0*d", 1000, 7), OST_OK);
	ck_assert_int_eq(buf_addf(&b, "%s", ">"), OST_OK);
	ck_assert_uint_eq(b.len, 1002);
	ck_assert_int_eq(b.p[0], '<');
	for (i = 1; i < 1000; i++)
		ck_assert_int_eq(b.p[i], '0');
	ck_assert_str_eq(b.p + 1000, "7>");
	check_invariants(&b);
	buf_free(&b);
}
END_TEST

START_TEST(test_addf_max)
{
	struct buf b;
	char *p;

	buf_init(&b, 8);
	ck_assert_int_eq(buf_adds(&b, "abc"), OST_OK);
	p = b.p;
	ck_assert_int_eq(buf_addf(&b, "%s", "123456"), OST_ERR_TOO_LARGE);
	ck_assert_ptr_eq(b.p, p);
	ck_assert_str_eq(b.p, "abc");
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(buf_addf(&b, "%d", 12345), OST_OK); /* exactly full */
	ck_assert_str_eq(b.p, "abc12345");
	ck_assert_int_eq(buf_addf(&b, "%s", "x"), OST_ERR_TOO_LARGE);
	ck_assert_int_eq(buf_addf(&b, "%s", ""), OST_OK);
	ck_assert_str_eq(b.p, "abc12345");
	check_invariants(&b);
	buf_free(&b);
}
END_TEST

START_TEST(test_take)
{
	struct buf b;
	char *s;

	buf_init(&b, 32);
	ck_assert_ptr_null(buf_take(&b)); /* nothing allocated yet */
	ck_assert_int_eq(buf_adds(&b, "hello"), OST_OK);
	s = buf_take(&b);
	ck_assert_str_eq(s, "hello");
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.max, 32);
	check_invariants(&b);
	/* The buffer is usable again and no longer shares S. */
	ck_assert_int_eq(buf_adds(&b, "again"), OST_OK);
	ck_assert_ptr_ne(b.p, s);
	ck_assert_str_eq(b.p, "again");
	ck_assert_str_eq(s, "hello");
	free(s);
	buf_free(&b);
}
END_TEST

START_TEST(test_reset)
{
	struct buf b;
	char *p;
	size_t cap;

	buf_init(&b, 1000);
	buf_reset(&b); /* on an empty buffer: nothing to do */
	ck_assert_ptr_null(b.p);
	ck_assert_int_eq(buf_adds(&b, "some text"), OST_OK);
	p = b.p;
	cap = b.cap;
	buf_reset(&b);
	ck_assert_ptr_eq(b.p, p);
	ck_assert_uint_eq(b.cap, cap);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.p, "");
	check_invariants(&b);
	ck_assert_int_eq(buf_adds(&b, "new"), OST_OK);
	ck_assert_ptr_eq(b.p, p);
	ck_assert_str_eq(b.p, "new");
	buf_free(&b);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc;

	tc = tcase_create("add");
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_binary);
	tcase_add_loop_test(tc, test_max, 0, NELEM(max_cases));
	tcase_add_test(tc, test_max_huge);
	suite_add_tcase(s, tc);

	tc = tcase_create("addf");
	tcase_add_test(tc, test_addf);
	tcase_add_test(tc, test_addf_grows);
	tcase_add_test(tc, test_addf_max);
	suite_add_tcase(s, tc);

	tc = tcase_create("take_reset");
	tcase_add_test(tc, test_take);
	tcase_add_test(tc, test_reset);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(buf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
