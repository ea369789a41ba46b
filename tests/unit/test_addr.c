/* test_addr.c - Check suite for core/addr: addresses and ranges, IPv4 and
 * IPv6, compared as bytes whatever their spelling */
#include "core/addr.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Each address TEXT: parsed or not, and whether it is IPv4. */
static const struct {
	const char *text;
	int ok, v4;
} parse_cases[] = {
	{"10.0.0.1", 1, 1},
	{"::ffff:10.0.0.1", 1, 1},
	{"::1", 1, 0},
	{"0:0:0:0:0:0:0:1", 1, 0},
	{"2001:DB8::7", 1, 0},
	{"", 0, 0},
	{"10.0.0", 0, 0},
	{"10.0.0.256", 0, 0},
	{"10.0.0.1/8", 0, 0},
	{"::1%lo", 0, 0},
	{"/run/lighttpd.sock", 0, 0},
	{"2001:db8::1::2", 0, 0},
};

START_TEST(test_parse)
{
	uint8_t ip[16];
	int v4 = -1;

	ck_assert_int_eq(addr_parse(parse_cases[_i].text, ip, &v4), parse_cases[_i].ok);
	if (parse_cases[_i].ok)
		ck_assert_int_eq(v4, parse_cases[_i].v4);
}
END_TEST

/* Two spellings of one address are the same 16 bytes. */
static const char *const same_pairs[][2] = {
	{"::1", "0:0:0:0:0:0:0:1"},
	{"10.0.0.1", "::ffff:10.0.0.1"},
	{"2001:db8::7", "2001:DB8:0:0:0:0:0:7"},
};

START_TEST(test_same)
{
	uint8_t a[16], b[16];
	int v4;

	ck_assert(addr_parse(same_pairs[_i][0], a, &v4));
	ck_assert(addr_parse(same_pairs[_i][1], b, &v4));
	ck_assert_mem_eq(a, b, 16);
}
END_TEST

/* Whether range ENTRY holds address ADDR. */
static const struct {
	const char *entry, *addr;
	int in;
} range_cases[] = {
	{"10.0.0.0/8", "10.255.1.2", 1},
	{"10.0.0.0/8", "11.0.0.0", 0},
	{"10.0.0.0/8", "::ffff:10.1.2.3", 1},
	{"172.16.0.0/12", "172.31.255.255", 1},
	{"172.16.0.0/12", "172.32.0.0", 0},
	{"192.0.2.7", "192.0.2.7", 1},
	{"192.0.2.7", "192.0.2.8", 0},
	{"192.0.2.7/32", "192.0.2.7", 1},
	{"0.0.0.0/0", "203.0.113.9", 1},
	{"0.0.0.0/0", "2001:db8::1", 0},
	{"2001:db8::/32", "2001:db8:ffff::1", 1},
	{"2001:db8::/32", "2001:db9::1", 0},
	{"2001:db8::/33", "2001:db8:8000::1", 0},
	{"::/0", "2001:db8::1", 1},
	{"::1", "0:0:0:0:0:0:0:1", 1},
	{"::1/128", "::2", 0},
	/* not ranges: hold nothing */
	{"10.0.0.0/33", "10.0.0.1", 0},
	{"::/129", "::1", 0},
	{"10.0.0.0/", "10.0.0.1", 0},
	{"10.0.0.0/x", "10.0.0.1", 0},
	{"10.0.0.0/-1", "10.0.0.1", 0},
	{"/8", "10.0.0.1", 0},
	{"", "10.0.0.1", 0},
};

START_TEST(test_in_range)
{
	uint8_t ip[16];
	int v4;

	ck_assert(addr_parse(range_cases[_i].addr, ip, &v4));
	ck_assert_msg(addr_in_range(range_cases[_i].entry, ip) == range_cases[_i].in,
	    "%s holds %s: want %d", range_cases[_i].entry, range_cases[_i].addr,
	    range_cases[_i].in);
}
END_TEST

static const struct {
	const char *entry;
	int valid;
} valid_cases[] = {
	{"10.0.0.1", 1},
	{"10.0.0.0/8", 1},
	{"10.0.0.0/32", 1},
	{"::/0", 1},
	{"2001:db8::/128", 1},
	{"10.0.0.0/33", 0},
	{"2001:db8::/129", 0},
	{"10.0.0.0/", 0},
	{"10.0.0.0/8/8", 0},
	{"10.0.0.0/99999999999999999999999", 0},
	{"proxy.example.org", 0},
	{"", 0},
};

START_TEST(test_range_valid)
{
	ck_assert_int_eq(addr_range_valid(valid_cases[_i].entry), valid_cases[_i].valid);
}
END_TEST

START_TEST(test_in_ranges)
{
	static const char list[3][64] = {"10.0.0.1", "2001:db8:1::/48", "192.168.0.0/16"};

	ck_assert(addr_in_ranges("10.0.0.1", list[0], 3, sizeof(list[0])));
	ck_assert(addr_in_ranges("::ffff:192.168.7.7", list[0], 3, sizeof(list[0])));
	ck_assert(addr_in_ranges("2001:db8:1:2::3", list[0], 3, sizeof(list[0])));
	ck_assert(!addr_in_ranges("10.0.0.2", list[0], 3, sizeof(list[0])));
	ck_assert(!addr_in_ranges("/run/x.sock", list[0], 3, sizeof(list[0])));
	ck_assert(!addr_in_ranges(NULL, list[0], 3, sizeof(list[0])));
	ck_assert(!addr_in_ranges("10.0.0.1", list[0], 0, sizeof(list[0])));
}
END_TEST

static Suite *
addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("addresses");

	tcase_add_loop_test(tc, test_parse, 0, NELEM(parse_cases));
	tcase_add_loop_test(tc, test_same, 0, NELEM(same_pairs));
	tcase_add_loop_test(tc, test_in_range, 0, NELEM(range_cases));
	tcase_add_loop_test(tc, test_range_valid, 0, NELEM(valid_cases));
	tcase_add_test(tc, test_in_ranges);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(addr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
