/* test_app_auth.c - Check suite for auth/app_auth: allowed_ips matching, loopback, API paths */
#include "auth/app_auth.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The list every case is matched against. */
static const char *const list_json =
    "[\"203.0.113.0/24\", \"198.51.100.7\", \"10.0.0.0/8\", \"192.0.2.128/25\", "
    "\"2001:db8:aaaa::/48\", \"2001:db8:1::1\", \"2001:db8:ff00::/41\", "
    "\"not an address\", \"1.2.3.4/33\", \"1.2.3.4/\", \"::/129\", 42]";

static const struct {
	const char *addr;
	int ok;
} ip_cases[] = {
	{"203.0.113.0", 1},
	{"203.0.113.255", 1},
	{"203.0.112.255", 0},
	{"203.0.114.0", 0},
	{"198.51.100.7", 1},
	{"198.51.100.6", 0},
	{"10.255.255.255", 1},
	{"11.0.0.0", 0},
	{"192.0.2.128", 1},
	{"192.0.2.255", 1},
	{"192.0.2.127", 0},
	{"::ffff:203.0.113.10", 1},  /* IPv4-mapped IPv6 counts as IPv4 */
	{"::ffff:198.51.100.8", 0},
	{"2001:db8:aaaa::", 1},
	{"2001:db8:aaaa:ffff:ffff:ffff:ffff:ffff", 1},
	{"2001:db8:aaab::", 0},
	{"2001:db8:1::1", 1},
	{"2001:db8:1::2", 0},
	{"2001:db8:ff00::1", 1},
	{"2001:db8:ff7f:ffff::1", 1}, /* /41: the top bit of the third group's low byte */
	{"2001:db8:ff80::1", 0},
	{"1.2.3.4", 0},               /* only in unreadable entries */
	{"::1", 0},
	{"127.0.0.1", 0},
	{"", 0},
	{"-", 0},
	{"203.0.113.1/24", 0},        /* an address, not a range */
	{"203.0.113", 0},
};

START_TEST(test_ip_allowed)
{
	json_t *list = json_loads(list_json, 0, NULL);

	ck_assert_ptr_nonnull(list);
	ck_assert_msg(app_auth_ip_allowed(list, ip_cases[_i].addr) == ip_cases[_i].ok, "%s",
	    ip_cases[_i].addr);
	json_decref(list);
}
END_TEST

START_TEST(test_ip_any)
{
	json_t *empty = json_array();

	/* an empty or absent list allows every address */
	ck_assert_int_eq(app_auth_ip_allowed(empty, "203.0.113.9"), 1);
	ck_assert_int_eq(app_auth_ip_allowed(NULL, "2001:db8::1"), 1);
	ck_assert_int_eq(app_auth_ip_allowed(empty, "-"), 1);
	json_decref(empty);
}
END_TEST

static const struct {
	const char *addr;
	int loopback;
} loop_cases[] = {
	{"127.0.0.1", 1}, {"127.255.0.9", 1}, {"::1", 1}, {"::ffff:127.0.0.1", 1},
	{"128.0.0.1", 0}, {"126.255.255.255", 0}, {"::2", 0}, {"::", 0}, {"0.0.0.0", 0},
	{"2001:db8::1", 0}, {"-", 0}, {"", 0}, {"localhost", 0},
};

START_TEST(test_loopback)
{
	ck_assert_msg(app_auth_loopback(loop_cases[_i].addr) == loop_cases[_i].loopback, "%s",
	    loop_cases[_i].addr);
}
END_TEST

START_TEST(test_api_path)
{
	ck_assert_int_eq(app_auth_is_api_path("/api/v1/app/me"), 1);
	ck_assert_int_eq(app_auth_is_api_path("/api/v1/app/"), 1);
	ck_assert_int_eq(app_auth_is_api_path("/api/v1/app"), 0);
	ck_assert_int_eq(app_auth_is_api_path("/api/v1/apps/1"), 0);
	ck_assert_int_eq(app_auth_is_api_path("/api/v1/me"), 0);
}
END_TEST

static Suite *
app_auth_suite(void)
{
	Suite *s = suite_create("app_auth");
	TCase *tc = tcase_create("addresses");

	tcase_add_loop_test(tc, test_ip_allowed, 0, NELEM(ip_cases));
	tcase_add_test(tc, test_ip_any);
	tcase_add_loop_test(tc, test_loopback, 0, NELEM(loop_cases));
	tcase_add_test(tc, test_api_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(app_auth_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
