/* test_err.c - Check suite for core/err: every error's HTTP status, API code, OAuth error */
#include "core/err.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The HTTP status of each value; any value not listed answers 500. */
static const struct {
	enum ost_err err;
	int status;
} status_cases[] = {
	{OST_OK, 200},
	{OST_ERR_INVALID, 400},
	{OST_ERR_MALFORMED, 400},
	{OST_ERR_TOO_LARGE, 413},
	{OST_ERR_UNAUTHORIZED, 401},
	{OST_ERR_FORBIDDEN, 403},
	{OST_ERR_CSRF, 403},
	{OST_ERR_NOT_FOUND, 404},
	{OST_ERR_METHOD, 405},
	{OST_ERR_NOT_ACCEPTABLE, 406},
	{OST_ERR_CONFLICT, 409},
	{OST_ERR_PRECONDITION, 412},
	{OST_ERR_MEDIA_TYPE, 415},
	{OST_ERR_THROTTLED, 429},
	{OST_ERR_DB_UNAVAILABLE, 503},
};

static int
expected_status(enum ost_err err)
{
	size_t i;

	for (i = 0; i < NELEM(status_cases); i++)
		if (status_cases[i].err == err)
			return status_cases[i].status;
	return 500;
}

START_TEST(test_status)
{
	enum ost_err err = (enum ost_err)_i;

	ck_assert_msg(ost_err_info(err)->status == expected_status(err),
	    "error %d: status %d, want %d", _i, ost_err_info(err)->status,
	    expected_status(err));
}
END_TEST

/* The errors RFC 6749 sections 4.1.2.1 and 5.2 and RFC 8628 section 3.5
 * define: an OAuth client understands nothing else. */
static const char *const oauth_errors[] = {
	"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
	"unsupported_grant_type", "invalid_scope", "access_denied", "server_error",
	"temporarily_unavailable", "slow_down", "unsupported_response_type",
};

static int
oauth_known(const char *s)
{
	size_t i;

	for (i = 0; i < NELEM(oauth_errors); i++)
		if (strcmp(s, oauth_errors[i]) == 0)
			return 1;
	return 0;
}

/* API codes are snake_case words. */
static int
code_ok(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz_") == strlen(s);
}

START_TEST(test_every_value_mapped)
{
	enum ost_err err = (enum ost_err)_i;
	const struct ost_err_info *info = ost_err_info(err);

	ck_assert_ptr_nonnull(info);
	ck_assert_ptr_nonnull(info->code);
	ck_assert_msg(code_ok(info->code), "error %d: code \"%s\"", _i, info->code);
	ck_assert_ptr_nonnull(info->message);
	ck_assert_uint_gt(strlen(info->message), 1);
	ck_assert_ptr_eq(ost_strerror(err), info->message);
	if (err == OST_OK) /* not an error: nothing to tell an OAuth client */
		return;
	ck_assert_msg(info->oauth != NULL, "error %d has no OAuth error", _i);
	ck_assert_msg(oauth_known(info->oauth), "error %d: OAuth error \"%s\"", _i,
	    info->oauth);
	ck_assert_int_ge(info->status, 400);
	ck_assert_int_le(info->status, 599);
	ck_assert_str_ne(info->code, "ok");
}
END_TEST

/* Each status class gets an OAuth error of the same meaning. */
START_TEST(test_oauth_by_class)
{
	const struct ost_err_info *info = ost_err_info((enum ost_err)_i);

	if (_i == OST_OK)
		return;
	if (info->status >= 500)
		ck_assert(strcmp(info->oauth, "server_error") == 0 ||
		    strcmp(info->oauth, "temporarily_unavailable") == 0);
	else
		ck_assert_str_ne(info->oauth, "server_error");
}
END_TEST

START_TEST(test_specific)
{
	ck_assert_str_eq(ost_err_info(OST_OK)->code, "ok");
	ck_assert_str_eq(ost_err_info(OST_ERR_UNAUTHORIZED)->oauth, "invalid_client");
	ck_assert_str_eq(ost_err_info(OST_ERR_THROTTLED)->oauth, "slow_down");
	ck_assert_str_eq(ost_err_info(OST_ERR_DB_UNAVAILABLE)->oauth,
	    "temporarily_unavailable");
	ck_assert_str_eq(ost_err_info(OST_ERR_FORBIDDEN)->oauth, "access_denied");
	ck_assert_str_eq(ost_err_info(OST_ERR_INTERNAL)->code, "server_error");
	/* 400s are told apart by their code. */
	ck_assert_str_ne(ost_err_info(OST_ERR_INVALID)->code,
	    ost_err_info(OST_ERR_MALFORMED)->code);
	ck_assert_str_ne(ost_err_info(OST_ERR_FORBIDDEN)->code,
	    ost_err_info(OST_ERR_CSRF)->code);
}
END_TEST

static const int out_of_range[] = {OST_ERR__COUNT, OST_ERR__COUNT + 1, 1000, -1,
	-1000};

START_TEST(test_out_of_range)
{
	enum ost_err err = (enum ost_err)out_of_range[_i];

	ck_assert_ptr_eq(ost_err_info(err), ost_err_info(OST_ERR_INTERNAL));
	ck_assert_int_eq(ost_err_info(err)->status, 500);
	ck_assert_ptr_eq(ost_strerror(err), ost_strerror(OST_ERR_INTERNAL));
}
END_TEST

static Suite *
err_suite(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("table");

	tcase_add_loop_test(tc, test_status, 0, OST_ERR__COUNT);
	tcase_add_loop_test(tc, test_every_value_mapped, 0, OST_ERR__COUNT);
	tcase_add_loop_test(tc, test_oauth_by_class, 0, OST_ERR__COUNT);
	tcase_add_test(tc, test_specific);
	tcase_add_loop_test(tc, test_out_of_range, 0, NELEM(out_of_range));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(err_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
