/* test_fields.c - Check suite for valid/: field tables applied to JSON and form input */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "valid/fields.h"
#include "valid/valid.h"

static const char *const colours[] = {"red", "green", NULL};

static const char *
no_x(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	(void)fc;
	if (strchr(json_string_value(v), 'x')) {
		snprintf(msg, msgsz, "entry %s holds an x", json_string_value(v));
		return msg;
	}
	return NULL;
}

static const struct field table[] = {
	{.name = "name", .kind = FIELD_STRING, .min = 1, .max = 5, .flags = FIELD_REQUIRED},
	{.name = "notes", .kind = FIELD_TEXT, .min = 0, .max = 10},
	{.name = "count", .kind = FIELD_INT, .min = 1, .max = 9, .dflt = "3"},
	{.name = "on", .kind = FIELD_BOOL, .dflt = "false"},
	{.name = "email", .kind = FIELD_EMAIL, .flags = FIELD_NULLABLE},
	{.name = "colour", .kind = FIELD_ENUM, .choices = colours, .dflt = "\"red\""},
	{.name = "tags", .kind = FIELD_STRINGS, .min = 0, .max = 3, .item = no_x, .dflt = "[]"},
	{.name = "extra", .kind = FIELD_OBJECT, .dflt = "{}"},
	{.name = "parent", .kind = FIELD_ID, .flags = FIELD_NULLABLE},
	{.name = "secret", .kind = FIELD_STRING, .min = 0, .max = 9, .flags = FIELD_SECRET},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))
static const struct field_ctx fc = {0};
static const char *const ignore[] = {"csrf", NULL};

/* JSON input refused, naming FIELD. */
static const struct {
	const char *json;
	const char *field;
} json_bad[] = {
	{"{}", "name"},
	{"{\"name\": \"\"}", "name"},
	{"{\"name\": \"toolong\"}", "name"},
	{"{\"name\": 5}", "name"},
	{"{\"name\": \"a\\u0001\"}", "name"},
	{"{\"name\": \"a\", \"notes\": \"line\\nbreak\\u0007\"}", "notes"},
	{"{\"name\": \"a\", \"count\": 0}", "count"},
	{"{\"name\": \"a\", \"count\": 1.5}", "count"},
	{"{\"name\": \"a\", \"on\": \"true\"}", "on"},
	{"{\"name\": \"a\", \"email\": \"nobody\"}", "email"},
	{"{\"name\": \"a\", \"colour\": \"blue\"}", "colour"},
	{"{\"name\": \"a\", \"tags\": [\"a\", \"b\", \"c\", \"d\"]}", "tags"},
	{"{\"name\": \"a\", \"tags\": [\"ok\", \"box\"]}", "tags"},
	{"{\"name\": \"a\", \"tags\": [1]}", "tags"},
	{"{\"name\": \"a\", \"tags\": \"a\"}", "tags"},
	{"{\"name\": \"a\", \"extra\": []}", "extra"},
	{"{\"name\": \"a\", \"parent\": 0}", "parent"},
	{"{\"name\": \"a\", \"name2\": 1}", "body"},
	{"{\"name\": null}", "name"},
	/* characters that disguise text on screen, in every text kind */
	{"{\"name\": \"a\u202eb\"}", "name"},
	{"{\"name\": \"a\", \"notes\": \"\u2066x\u2069\"}", "notes"},
	{"{\"name\": \"a\", \"email\": \"a\u200b@example.org\"}", "email"},
	{"{\"name\": \"a\", \"tags\": [\"ok\", \"\ufeffb\"]}", "tags"},
};

START_TEST(test_json_refused)
{
	struct field_error err = {0};
	json_t *in = json_loads(json_bad[_i].json, 0, NULL), *out = (json_t *)1;

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 0, FIELDS_CREATE, ignore, &out, &err),
	    OST_ERR_INVALID);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(err.field, json_bad[_i].field);
	ck_assert(strlen(err.message) > 0);
	json_decref(in);
}
END_TEST

START_TEST(test_create_defaults)
{
	struct field_error err;
	json_t *in = json_pack("{s:s, s:s}", "name", "abc", "csrf", "ignored"), *out = NULL;
	char *dump;

	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 0, FIELDS_CREATE, ignore, &out, &err),
	    OST_OK);
	dump = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_str_eq(dump, "{\"colour\":\"red\",\"count\":3,\"email\":null,\"extra\":{},"
	                       "\"name\":\"abc\",\"notes\":\"\",\"on\":false,\"parent\":null,"
	                       "\"secret\":\"\",\"tags\":[]}");
	free(dump);
	json_decref(out);
	json_decref(in);
}
END_TEST

START_TEST(test_update_only_given)
{
	struct field_error err;
	json_t *in = json_pack("{s:i}", "count", 9), *out = NULL;

	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 0, FIELDS_UPDATE, ignore, &out, &err),
	    OST_OK);
	ck_assert_uint_eq(json_object_size(out), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(out, "count")), 9);
	json_decref(out);
	json_decref(in);
}
END_TEST

START_TEST(test_form_values)
{
	struct field_error err;
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", "ü12", "count", "7",
	    "on", "on", "email", "", "tags", " one \r\ntwo\n\n", "extra", "{\"a\":1}", "parent", "12",
	    "csrf", "x");
	json_t *out = NULL;

	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 1, FIELDS_CREATE, ignore, &out, &err),
	    OST_OK);
	ck_assert_str_eq(json_string_value(json_object_get(out, "name")), "ü12");
	ck_assert_int_eq(json_integer_value(json_object_get(out, "count")), 7);
	ck_assert(json_is_true(json_object_get(out, "on")));
	ck_assert(json_is_null(json_object_get(out, "email")));
	ck_assert_uint_eq(json_array_size(json_object_get(out, "tags")), 2);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(out, "tags"), 0)), "one");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(out, "extra"), "a")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(out, "parent")), 12);
	json_decref(out);
	json_decref(in);
}
END_TEST

/* {"extra": V} with V N levels deep: objects, every third level a list. */
static json_t *
deep_extra(int n)
{
	json_t *top = json_object(), *inner = top, *next;
	int i;

	for (i = 1; i < n; i++) {
		next = i % 3 == 0 ? json_array() : json_object();
		if (json_is_array(inner))
			ck_assert_int_eq(json_array_append_new(inner, next), 0);
		else
			ck_assert_int_eq(json_object_set_new(inner, "k", next), 0);
		inner = next;
	}
	return json_pack("{s:s, s:o}", "name", "a", "extra", top);
}

/* A free-form object nests at most FIELD_DEPTH_MAX levels, from JSON and
 * from a form alike; deeper is refused naming the field. */
START_TEST(test_object_depth)
{
	static const int refused[] = {FIELD_DEPTH_MAX + 1, 70, 2046};
	struct field_error err;
	json_t *in = deep_extra(FIELD_DEPTH_MAX), *out = NULL, *form;
	char *text;
	size_t i;

	ck_assert(!fields_nests_deeper(json_object_get(in, "extra"), FIELD_DEPTH_MAX));
	ck_assert(fields_nests_deeper(json_object_get(in, "extra"), FIELD_DEPTH_MAX - 1));
	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 0, FIELDS_CREATE, ignore, &out, &err),
	    OST_OK);
	json_decref(out);
	json_decref(in);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		in = deep_extra(refused[i]);
		ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 0, FIELDS_UPDATE, ignore, &out,
		                     &err), OST_ERR_INVALID);
		ck_assert_str_eq(err.field, "extra");
		ck_assert_ptr_nonnull(strstr(err.message, "deeper than 16 levels"));
		text = json_dumps(json_object_get(in, "extra"), JSON_COMPACT);
		form = json_pack("{s:s, s:s}", "name", "a", "extra", text);
		ck_assert_int_eq(fields_apply(&fc, table, NTABLE, form, 1, FIELDS_UPDATE, ignore, &out,
		                     &err), OST_ERR_INVALID);
		ck_assert_str_eq(err.field, "extra");
		json_decref(form);
		free(text);
		json_decref(in);
	}
	in = json_pack("{s:s, s:{}}", "scalar", "x", "empty");
	ck_assert(!fields_nests_deeper(json_object_get(in, "scalar"), 0));
	ck_assert(fields_nests_deeper(json_object_get(in, "empty"), 0));
	ck_assert(!fields_nests_deeper(json_object_get(in, "empty"), 1));
	json_decref(in);
}
END_TEST

static const struct {
	const char *key, *value, *field;
} form_bad[] = {
	{"count", "7x", "count"},
	{"count", "", "count"},
	{"on", "maybe", "on"},
	{"extra", "{oops", "extra"},
	{"extra", "[1]", "extra"},
	{"parent", "-1", "parent"},
};

START_TEST(test_form_refused)
{
	struct field_error err = {0};
	json_t *in = json_pack("{s:s, s:s}", "name", "a", form_bad[_i].key, form_bad[_i].value);
	json_t *out = NULL;

	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 1, FIELDS_CREATE, ignore, &out, &err),
	    OST_ERR_INVALID);
	ck_assert_str_eq(err.field, form_bad[_i].field);
	json_decref(in);
}
END_TEST

START_TEST(test_repeated_form_field)
{
	struct field_error err = {0};
	json_t *in = json_loads("{\"name\": [\"a\", \"b\"], \"tags\": [\"t1\", \"t2\"]}", 0, NULL);
	json_t *out = NULL;

	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 1, FIELDS_CREATE, ignore, &out, &err),
	    OST_ERR_INVALID);
	ck_assert_str_eq(err.field, "name");
	json_object_set_new(in, "name", json_string("a"));
	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 1, FIELDS_CREATE, ignore, &out, &err),
	    OST_OK); /* a list field may repeat */
	ck_assert_uint_eq(json_array_size(json_object_get(out, "tags")), 2);
	json_decref(out);
	json_decref(in);
}
END_TEST

static const struct {
	const char *email;
	int ok;
} emails[] = {
	{"a@example.org", 1}, {"first.last+tag@sub.example.co", 1}, {"", 0}, {"a", 0},
	{"@example.org", 0}, {"a@b", 0}, {"a@@b.org", 0}, {"a b@c.org", 0}, {"a@b.", 0},
	{"a@.org", 0}, {"<a>@b.org", 0}, {"caf\xc3\xa9@example.org", 1},
	{"caf\xe9@example.org", 0}, {"\xf0\x9f\x93\xa7@example.org", 1},
	{"\xf0\x9f\x93@example.org", 0},
};

START_TEST(test_valid_email)
{
	ck_assert_int_eq(valid_email(emails[_i].email) == NULL, emails[_i].ok);
}
END_TEST

/* Byte strings and whether they are well-formed UTF-8. */
static const struct {
	const char *s;
	int ok;
} utf8[] = {
	{"", 1}, {"plain", 1}, {"caf\xc3\xa9", 1}, {"\xe2\x82\xac", 1}, {"\xf0\x9f\x94\x91", 1},
	{"\xf4\x8f\xbf\xbf", 1},         /* U+10FFFF */
	{"caf\xe9", 0},                  /* Latin-1 */
	{"\x80", 0}, {"a\xbf", 0},        /* continuation bytes alone */
	{"\xc0\xaf", 0}, {"\xe0\x80\xaf", 0}, {"\xf0\x80\x80\xaf", 0}, /* overlong */
	{"\xed\xa0\x80", 0},             /* a surrogate */
	{"\xf4\x90\x80\x80", 0},         /* past U+10FFFF */
	{"\xf0\x9f\x94", 0}, {"\xe2\x82", 0}, {"\xc3", 0}, /* cut short */
	{"\xff", 0},
};

START_TEST(test_valid_utf8)
{
	ck_assert_msg(valid_utf8(utf8[_i].s) == utf8[_i].ok, "case %d", _i);
	/* valid_text refuses what is not UTF-8, with a sentence that says so */
	if (!utf8[_i].ok)
		ck_assert_str_eq(valid_text(utf8[_i].s, 0, 100), "The value is not valid UTF-8");
	else
		ck_assert_ptr_null(valid_text(utf8[_i].s, 0, 100));
}
END_TEST

/* Each character that disguises text (U+202A-U+202E, U+2066-U+2069, U+200B,
 * U+FEFF) is found; its neighbours and the joiners U+200C, U+200D are not. */
START_TEST(test_disguise)
{
	static const char *const bad[] = {"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac",
	    "\xe2\x80\xad", "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
	    "\xe2\x81\xa9", "\xe2\x80\x8b", "\xef\xbb\xbf"};
	static const char *const good[] = {"\xe2\x80\x8c", "\xe2\x80\x8d", "\xe2\x80\xa9",
	    "\xe2\x80\xaf", "\xe2\x81\xa5", "\xe2\x81\xaa", "\xe2\x80\x8a", "\xef\xbb\xbe",
	    "\xe2\x82\xac", "plain"};
	char text[32];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "Pay%spal", bad[i]);
		ck_assert_msg(valid_disguised(text), "case %zu", i);
		ck_assert_uint_eq(valid_disguise_len(bad[i]), 3);
		ck_assert_ptr_nonnull(valid_name(text, 1, 100));
		ck_assert_ptr_null(valid_text(text, 1, 100)); /* text alone may hold them */
		snprintf(text, sizeof(text), "a%s@example.org", bad[i]);
		ck_assert_ptr_nonnull(valid_email(text));
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "Pay%spal", good[i]);
		ck_assert_msg(!valid_disguised(text), "case %zu", i);
		ck_assert_ptr_null(valid_name(text, 1, 100));
	}
}
END_TEST

/* A secret field is never shown: it may hold them (a password may be any
 * text). */
START_TEST(test_disguise_secret)
{
	struct field_error err = {0};
	json_t *in = json_loads("{\"name\": \"a\", \"secret\": \"p\u202ew\"}", 0, NULL);
	json_t *out = NULL;

	ck_assert_int_eq(fields_apply(&fc, table, NTABLE, in, 0, FIELDS_CREATE, ignore, &out, &err),
	    OST_OK);
	json_decref(out);
	json_decref(in);
}
END_TEST

START_TEST(test_utf8_repair)
{
	char cut[] = "\"\xe2\x82\xac\xe2\x82\" is not\xff a key \xf0\x9f";

	valid_utf8_repair(cut);
	ck_assert_str_eq(cut, "\"\xe2\x82\xac\" is not a key ");
}
END_TEST

static Suite *
fields_suite(void)
{
	Suite *s = suite_create("fields");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_json_refused, 0, sizeof(json_bad) / sizeof(json_bad[0]));
	tcase_add_test(tc, test_create_defaults);
	tcase_add_test(tc, test_update_only_given);
	tcase_add_test(tc, test_form_values);
	tcase_add_test(tc, test_object_depth);
	tcase_add_loop_test(tc, test_form_refused, 0, sizeof(form_bad) / sizeof(form_bad[0]));
	tcase_add_test(tc, test_repeated_form_field);
	tcase_add_loop_test(tc, test_valid_email, 0, sizeof(emails) / sizeof(emails[0]));
	tcase_add_loop_test(tc, test_valid_utf8, 0, sizeof(utf8) / sizeof(utf8[0]));
	tcase_add_test(tc, test_utf8_repair);
	tcase_add_test(tc, test_disguise);
	tcase_add_test(tc, test_disguise_secret);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fields_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
