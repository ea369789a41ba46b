/* test_app_fields.c - Check suite showing that an application's fields are
 * named once (valid/app_fields.h): the INSERT and UPDATE column lists and
 * bind order, the field table, and the identity sheet's columns all come
 * from APP_FIELDS (and the derived columns from APP_DERIVED), so none can
 * drift from another */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/apps.h"
#include "store/stmt.h"
#include "valid/app_fields.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The names APP_FIELDS lists, in its order, and which are on the sheet. */
#define NAME_(NAME, SHEET, ...) #NAME,
#define SHEET_(NAME, SHEET, ...) SHEET,
static const char *const names[] = {APP_FIELDS(NAME_)};
static const int sheet[] = {APP_FIELDS(SHEET_)};
/* The derived columns, stored after the fields. */
#define DNAME_(NAME) #NAME,
static const char *const derived[] = {APP_DERIVED(DNAME_)};

/* The comma-separated identifiers of TEXT between OPEN and CLOSE, one a
 * slot of OUT (at most MAX, each up to 63 bytes); returns how many. */
static size_t
split_list(const char *text, char out[][64], size_t max)
{
	size_t n = 0, len;
	const char *p = text;

	while (*p && *p != ')' && n < max) {
		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, ",) ");
		ck_assert_uint_lt(len, 64);
		memcpy(out[n], p, len);
		out[n++][len] = '\0';
		p += len;
		while (*p == ' ')
			p++;
	}
	return n;
}

START_TEST(test_table_is_the_list)
{
	size_t i;

	ck_assert_uint_eq(reg_apps.nfields, NELEM(names));
	ck_assert_ptr_eq(reg_app_body.fields, reg_apps.fields);
	for (i = 0; i < NELEM(names); i++) {
		ck_assert_str_eq(reg_apps.fields[i].name, names[i]);
		ck_assert_int_eq(reg_apps.fields[i].published, sheet[i]);
		ck_assert_ptr_nonnull(reg_apps.fields[i].label);
	}
}
END_TEST

/* INSERT INTO apps (public_id, key_hash, <every field>, <every derived
 * column>) VALUES (one ? each), bound in the order of reg_apps.insert_cols. */
START_TEST(test_insert)
{
	const char *sql = stmt_sql(STMT_APP_INSERT), *open = strchr(sql, '(');
	char cols[64][64];
	size_t n = split_list(open + 1, cols, 64), i, marks = 0;
	const char *p;

	ck_assert_uint_eq(n, NELEM(names) + NELEM(derived) + 2);
	ck_assert_str_eq(cols[0], "public_id");
	ck_assert_str_eq(cols[1], "key_hash");
	for (i = 0; i < NELEM(names); i++)
		ck_assert_str_eq(cols[i + 2], names[i]);
	for (i = 0; i < NELEM(derived); i++)
		ck_assert_str_eq(cols[i + 2 + NELEM(names)], derived[i]);
	for (i = 0; reg_apps.insert_cols[i]; i++)
		ck_assert_str_eq(reg_apps.insert_cols[i], cols[i]);
	ck_assert_uint_eq(i, n);
	for (p = strstr(sql, "VALUES"); *p; p++)
		marks += *p == '?';
	ck_assert_uint_eq(marks, n);
}
END_TEST

/* UPDATE apps SET <field> = ?, ..., <derived> = ?, ... in the order of
 * reg_apps.update_cols. */
START_TEST(test_update)
{
	const char *p = stmt_sql(STMT_APP_UPDATE) + strlen("UPDATE apps SET ");
	char want[80];
	size_t i;

	for (i = 0; i < NELEM(names); i++) {
		ck_assert_str_eq(reg_apps.update_cols[i], names[i]);
		snprintf(want, sizeof(want), "%s = ?, ", names[i]);
		ck_assert_msg(strncmp(p, want, strlen(want)) == 0, "UPDATE binds %s at %zu", names[i],
		    i);
		p += strlen(want);
	}
	for (i = 0; i < NELEM(derived); i++) {
		ck_assert_str_eq(reg_apps.update_cols[NELEM(names) + i], derived[i]);
		snprintf(want, sizeof(want), "%s = ?, ", derived[i]);
		ck_assert_msg(strncmp(p, want, strlen(want)) == 0, "UPDATE binds %s", derived[i]);
		p += strlen(want);
	}
	ck_assert_ptr_null(reg_apps.update_cols[NELEM(names) + i]);
	ck_assert(strncmp(p, "version = version + 1", 21) == 0);
}
END_TEST

/* The credential lookup selects exactly the sheet's fields, in order. */
START_TEST(test_sheet_columns)
{
	const char *sql = stmt_sql(STMT_APP_AUTH_LOOKUP);
	char want[80];
	const char *p = strstr(sql, "a.id");
	size_t i;

	ck_assert_ptr_nonnull(p);
	p += strlen("a.id");
	for (i = 0; i < NELEM(names); i++) {
		if (!sheet[i])
			continue;
		snprintf(want, sizeof(want), ", a.%s", names[i]);
		ck_assert_msg(strncmp(p, want, strlen(want)) == 0, "lookup lacks %s", names[i]);
		p += strlen(want);
	}
	ck_assert(strncmp(p, ", a.public_id", 13) == 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("app_fields");
	TCase *tc = tcase_create("named_once");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_table_is_the_list);
	tcase_add_test(tc, test_insert);
	tcase_add_test(tc, test_update);
	tcase_add_test(tc, test_sheet_columns);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
