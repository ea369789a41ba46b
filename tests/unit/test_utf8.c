/* test_utf8.c - Check suite for core/utf8: cuts of text in one- to four-byte
 * characters, and of bytes that are not UTF-8, never inside a character */
#include "core/utf8.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* utf8_cut(TEXT, MAX) is WANT. */
static const struct {
	const char *text;
	size_t max, want;
} cut_cases[] = {
	/* what fits is whole */
	{"", 0, 0},
	{"", 10, 0},
	{"abc", 3, 3},
	{"abc", 100, 3},
	{"\xC3\xA9", 2, 2},
	/* ASCII is cut anywhere */
	{"abc", 0, 0},
	{"abc", 2, 2},
	/* é (2 bytes): a cut through it leaves it out */
	{"\xC3\xA9\xC3\xA9", 3, 2},
	{"\xC3\xA9\xC3\xA9", 2, 2},
	{"\xC3\xA9\xC3\xA9", 1, 0},
	{"a\xC3\xA9", 2, 1},
	/* € (3 bytes) */
	{"\xE2\x82\xAC\xE2\x82\xAC", 5, 3},
	{"\xE2\x82\xAC\xE2\x82\xAC", 4, 3},
	{"\xE2\x82\xAC\xE2\x82\xAC", 3, 3},
	{"\xE2\x82\xAC\xE2\x82\xAC", 2, 0},
	/* U+1F600 (4 bytes) */
	{"\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 7, 4},
	{"\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 5, 4},
	{"\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 4, 4},
	{"\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 3, 0},
	{"ab\xF0\x9F\x98\x80", 5, 2},
	/* e and a combining acute accent (U+0301, 2 bytes) are two
	 * characters: the cut may fall between them, not inside the accent */
	{"e\xCC\x81" "e\xCC\x81", 5, 4},
	{"e\xCC\x81" "e\xCC\x81", 4, 4},
	{"e\xCC\x81" "e\xCC\x81", 2, 1},
	/* the title of a suite of 100 é in 200 bytes: "Suite " and 96 é */
	{"Suite \xC3\xA9\xC3\xA9\xC3\xA9", 7, 6},
	/* not UTF-8: a run of continuation bytes is cut at most 3 back */
	{"a\x80\x80\x80\x80\x80", 5, 5},
	{"\x80\x80\x80", 2, 2},
	{"\x80\x80\x80", 1, 1},
	/* a stray lead byte is a boundary like any other */
	{"ab\xC3" "cd", 3, 3},
	{"ab\xC3\xC3\xC3", 3, 3},
};

START_TEST(test_cut)
{
	size_t got = utf8_cut(cut_cases[_i].text, cut_cases[_i].max);

	ck_assert_msg(got == cut_cases[_i].want, "case %d: utf8_cut(.., %zu) is %zu, want %zu", _i,
	    cut_cases[_i].max, got, cut_cases[_i].want);
}
END_TEST

/* A cut reads no byte past MAX + 1: S need not be NUL-terminated beyond. */
START_TEST(test_reads_bounded)
{
	char *s = malloc(4);

	ck_assert_ptr_nonnull(s);
	memcpy(s, "\xE2\x82\xAC\xE2", 4); /* no NUL */
	ck_assert_uint_eq(utf8_cut(s, 3), 3);
	ck_assert_uint_eq(utf8_cut(s, 2), 0);
	free(s);
}
END_TEST

/* The largest MAX does not overflow: the whole text. */
START_TEST(test_no_limit)
{
	ck_assert_uint_eq(utf8_cut("\xC3\xA9tude", SIZE_MAX), 6);
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("cut");

	tcase_add_loop_test(tc, test_cut, 0, NELEM(cut_cases));
	tcase_add_test(tc, test_reads_bounded);
	tcase_add_test(tc, test_no_limit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(utf8_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
