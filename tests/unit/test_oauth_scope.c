/* test_oauth_scope.c - Check suite for oauth/scope: scopes are the
 * application's permissions, a subset, all when none is asked, any other
 * invalid_scope (RFC 6749 section 3.3) */
#include "oauth/oauth.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ALLOWED "[\"SEND_MESSAGES\", \"GET_PRESENCE\", \"CUSTOM_1\"]"

static const struct {
	const char *requested;
	const char *want; /* NULL: invalid_scope */
} resolve_cases[] = {
	{NULL, "SEND_MESSAGES GET_PRESENCE CUSTOM_1"},
	{"", "SEND_MESSAGES GET_PRESENCE CUSTOM_1"},
	{"GET_PRESENCE", "GET_PRESENCE"},
	{"CUSTOM_1 SEND_MESSAGES", "SEND_MESSAGES CUSTOM_1"}, /* the application's order */
	{"GET_PRESENCE GET_PRESENCE", "GET_PRESENCE"},
	{"SEND_MESSAGES GET_PRESENCE CUSTOM_1", "SEND_MESSAGES GET_PRESENCE CUSTOM_1"},
	{"TRUST_APP", NULL},
	{"openid", NULL},
	{"SEND_MESSAGES TRUST_APP", NULL},
	{"send_messages", NULL},
	{"SEND_MESSAGES  GET_PRESENCE", NULL},
	{" SEND_MESSAGES", NULL},
	{"SEND_MESSAGES ", NULL},
	{"SEND\"MESSAGES", NULL},
	{"GET_PRESENCE\tCUSTOM_1", NULL},
	{"SEND_MESSAGE", NULL},
	{"SEND_MESSAGESX", NULL},
};

START_TEST(test_resolve)
{
	json_t *allowed = json_loads(ALLOWED, 0, NULL);
	struct oauth_fail f = {0};
	char out[256];
	enum ost_err err = oauth_scope_resolve(resolve_cases[_i].requested, allowed, out, sizeof(out),
	    &f);

	if (resolve_cases[_i].want) {
		ck_assert_int_eq(err, OST_OK);
		ck_assert_str_eq(out, resolve_cases[_i].want);
	} else {
		ck_assert_int_eq(err, OST_ERR_INVALID);
		ck_assert_str_eq(f.error, "invalid_scope");
		ck_assert_int_eq(f.status, 400);
	}
	json_decref(allowed);
}
END_TEST

START_TEST(test_resolve_none_allowed)
{
	json_t *allowed = json_array();
	struct oauth_fail f = {0};
	char out[16] = "x";

	ck_assert_int_eq(oauth_scope_resolve(NULL, allowed, out, sizeof(out), &f), OST_OK);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(oauth_scope_resolve("A", allowed, out, sizeof(out), &f), OST_ERR_INVALID);
	json_decref(allowed);
}
END_TEST

static const struct {
	const char *have, *want;
	int covers;
} cover_cases[] = {
	{"A B C", "A", 1}, {"A B C", "C A", 1}, {"A B C", "", 1}, {"", "", 1},
	{"A B", "C", 0}, {"AB", "A", 0}, {"A", "AB", 0}, {"", "A", 0}, {"A B", "A B C", 0},
};

START_TEST(test_covers)
{
	ck_assert_int_eq(oauth_scope_covers(cover_cases[_i].have, cover_cases[_i].want),
	    cover_cases[_i].covers);
}
END_TEST

START_TEST(test_words)
{
	json_t *w = oauth_scope_words("SEND_MESSAGES CUSTOM_1");

	ck_assert_uint_eq(json_array_size(w), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(w, 0), "words")),
	    "Send messages for you");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(w, 1), "words")),
	    "CUSTOM_1");
	json_decref(w);
}
END_TEST

static Suite *
scope_suite(void)
{
	Suite *s = suite_create("oauth_scope");
	TCase *tc = tcase_create("scopes");

	tcase_add_loop_test(tc, test_resolve, 0, NELEM(resolve_cases));
	tcase_add_test(tc, test_resolve_none_allowed);
	tcase_add_loop_test(tc, test_covers, 0, NELEM(cover_cases));
	tcase_add_test(tc, test_words);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(scope_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
