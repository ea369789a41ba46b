/* test_broker.c - Check suite for the broker's pure parts: form encoding
 * of token requests, and the provider's field rules under production and
 * development mode (endpoints, names, nested OAuth settings) */
#include "broker/upstream.h"
#include "broker/providers.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *in, *out;
} escape_cases[] = {
	{"abcXYZ019-._~", "abcXYZ019-._~"},
	{"a b", "a%20b"},
	{"a+b=c&d", "a%2Bb%3Dc%26d"},
	{"http://x/y?z", "http%3A%2F%2Fx%2Fy%3Fz"},
	{"\xc3\xa9", "%C3%A9"},
	{"", ""},
};

START_TEST(test_escape)
{
	struct buf b;

	buf_init(&b, 1024);
	ck_assert_int_eq(upstream_form_escape(&b, escape_cases[_i].in), OST_OK);
	ck_assert_str_eq(b.p ? b.p : "", escape_cases[_i].out);
	buf_free(&b);
}
END_TEST

/* A provider body: JSON text, development mode, accepted or not. */
static const struct {
	const char *json;
	int dev, ok;
} body_cases[] = {
	{"{\"name\":\"linear\",\"display_name\":\"L\",\"oauth\":{\"token_endpoint\":\"https://x.example/t\"}}", 0, 1},
	{"{\"name\":\"linear\",\"display_name\":\"L\",\"oauth\":{\"token_endpoint\":\"http://x.example/t\"}}", 0, 0},
	{"{\"name\":\"linear\",\"display_name\":\"L\",\"oauth\":{\"token_endpoint\":\"http://127.0.0.1:9/t\"}}", 0, 0},
	{"{\"name\":\"linear\",\"display_name\":\"L\",\"oauth\":{\"token_endpoint\":\"http://127.0.0.1:9/t\"}}", 1, 1},
	{"{\"name\":\"linear\",\"display_name\":\"L\",\"oauth\":{\"token_endpoint\":\"http://x.example/t\"}}", 1, 0},
	{"{\"name\":\"Linear\",\"display_name\":\"L\",\"oauth\":{}}", 1, 0},
	{"{\"name\":\"l-1\",\"display_name\":\"L\",\"oauth\":{\"scopes\":[\"a b\"]}}", 1, 0},
	{"{\"name\":\"l-1\",\"display_name\":\"L\",\"oauth\":{\"authorization_params\":{\"state\":\"x\"}}}", 1, 0},
	{"{\"name\":\"l-1\",\"display_name\":\"L\",\"oauth\":{\"authorization_params\":{\"prompt\":\"consent\"}}}", 1, 1},
	{"{\"name\":\"l-1\",\"display_name\":\"L\",\"oauth\":{\"unknown\":1}}", 1, 0},
	{"{\"name\":\"l-1\",\"display_name\":\"L\",\"type\":\"api_key\",\"oauth\":{}}", 1, 0},
};

START_TEST(test_body)
{
	struct field_ctx fc = {.development = body_cases[_i].dev};
	struct field_error e = {0};
	json_t *in = json_loads(body_cases[_i].json, 0, NULL), *out = NULL;
	enum ost_err err;

	ck_assert_ptr_nonnull(in);
	err = fields_apply(&fc, reg_provider_body.fields, reg_provider_body.n, in, 0, FIELDS_CREATE,
	    NULL, &out, &e);
	ck_assert_msg((err == OST_OK) == body_cases[_i].ok, "%s: %s", body_cases[_i].json,
	    err ? e.message : "accepted");
	json_decref(out);
	json_decref(in);
}
END_TEST

START_TEST(test_unflatten)
{
	json_t *form = json_pack("{s:s, s:s, s:s, s:b}", "name", "linear", "display_name", "L",
	    "token_endpoint", "https://x.example/t", "use_pkce", 0);
	json_t *out = broker_provider_unflatten(form);

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(json_string_value(json_object_get(out, "name")), "linear");
	ck_assert_ptr_null(json_object_get(out, "token_endpoint"));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "oauth"),
	    "token_endpoint")), "https://x.example/t");
	ck_assert(json_is_false(json_object_get(json_object_get(out, "oauth"), "use_pkce")));
	json_decref(out);
	json_decref(form);
}
END_TEST

static Suite *
broker_suite(void)
{
	Suite *s = suite_create("broker");
	TCase *tc = tcase_create("pure");

	tcase_add_loop_test(tc, test_escape, 0, NELEM(escape_cases));
	tcase_add_loop_test(tc, test_body, 0, NELEM(body_cases));
	tcase_add_test(tc, test_unflatten);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(broker_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
