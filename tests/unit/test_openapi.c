/* test_openapi.c - Check suite for http/openapi (the API description): every
 * JSON route is described with its path parameters, every object schema is
 * closed and requires only what it has, and what the row tables say a row
 * holds is what the store's SELECT statements select */
#include "http/openapi.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "http/routes.h"
#include "registry/app_users.h"
#include "registry/apps.h"
#include "registry/companies.h"
#include "registry/people.h"
#include "registry/server_vars.h"
#include "registry/suites.h"
#include "store/resource.h"
#include "store/stmt.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define BASE_URL "https://registry.example.org/ostium"

static const char *const verbs[HTTP__COUNT] = {"get", "head", "post", "put", "patch", "delete",
    "options"};

static json_t *doc;

static void
doc_setup(void)
{
	struct config cfg;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.base_url, sizeof(cfg.base_url), "%s", BASE_URL);
	doc = openapi_build(&cfg);
	ck_assert_ptr_nonnull(doc);
}

static void
doc_teardown(void)
{
	json_decref(doc);
	doc = NULL;
}

static int
described(const struct route *r)
{
	return (strncmp(r->pattern, "/api/", 5) == 0 || strcmp(r->pattern, "/healthz") == 0 ||
	           strncmp(r->pattern, "/oauth/", 7) == 0 ||
	           strncmp(r->pattern, "/.well-known/", 13) == 0) &&
	       (r->formats & RENDER_JSON);
}

/* The operation of route R in the document, or NULL. */
static json_t *
operation_of(const struct route *r)
{
	return json_object_get(json_object_get(json_object_get(doc, "paths"), r->pattern),
	    verbs[r->method]);
}

/* The schema a {"$ref": "#/components/schemas/X"} names, else S itself. */
static json_t *
deref(json_t *s)
{
	const char *ref = json_string_value(json_object_get(s, "$ref"));
	const char *prefix = "#/components/schemas/";

	if (!ref || strncmp(ref, prefix, strlen(prefix)) != 0)
		return s;
	return json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"),
	    ref + strlen(prefix));
}

START_TEST(test_document)
{
	const json_t *server = json_array_get(json_object_get(doc, "servers"), 0);

	ck_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	ck_assert_str_eq(json_string_value(json_object_get(server, "url")), BASE_URL);
	ck_assert_ptr_nonnull(json_string_value(json_object_get(json_object_get(doc, "info"),
	    "version")));
	ck_assert_ptr_nonnull(json_object_get(json_object_get(json_object_get(doc, "paths"),
	    "/api/v1/openapi.json"), "get"));
}
END_TEST

/* Built once per worker, again when the base URL changes. */
START_TEST(test_document_cached)
{
	struct config cfg;
	json_t *a, *b;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.base_url, sizeof(cfg.base_url), "http://127.0.0.1:8080");
	a = openapi_document(&cfg);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(openapi_document(&cfg), a);
	snprintf(cfg.base_url, sizeof(cfg.base_url), "%s", BASE_URL);
	b = openapi_document(&cfg);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(json_string_value(json_object_get(
	    json_array_get(json_object_get(b, "servers"), 0), "url")), BASE_URL);
}
END_TEST

/* Every JSON route of the API is an operation with a success answer, its
 * own operationId, its security stated and refusals documented. */
START_TEST(test_every_route)
{
	size_t n, i;
	const struct route *table = routes_table(&n), *r = &table[_i];
	const json_t *op, *other, *responses;
	char code[8];

	if (!described(r)) {
		ck_assert_ptr_null(operation_of(r));
		return;
	}
	op = operation_of(r);
	ck_assert_msg(op != NULL, "%s %s is not described", verbs[r->method], r->pattern);
	ck_assert_msg(r->answer.status >= 200 && r->answer.status < 300, "%s %s: no answer",
	    verbs[r->method], r->pattern);
	/* RFC 7009: a revocation answers 200 without a body */
	if (r->auth != ROUTE_OAUTH)
		ck_assert_int_eq(r->answer.status == 204, r->answer.shape == ANSWER_NONE);
	responses = json_object_get(op, "responses");
	snprintf(code, sizeof(code), "%d", r->answer.status);
	ck_assert_ptr_nonnull(json_object_get(responses, code));
	ck_assert_ptr_nonnull(json_object_get(responses, "400"));
	ck_assert_ptr_nonnull(json_object_get(responses, "500"));
	ck_assert_int_eq(json_object_get(responses, "401") != NULL, r->auth != ROUTE_OPEN);
	ck_assert_int_eq(json_array_size(json_object_get(op, "security")) == 0,
	    r->auth == ROUTE_OPEN);
	for (i = 0; i < n; i++)
		if (i != (size_t)_i && described(&table[i]) && (other = operation_of(&table[i])))
			ck_assert_str_ne(json_string_value(json_object_get(op, "operationId")),
			    json_string_value(json_object_get(other, "operationId")));
}
END_TEST

/* Is NAME a parameter IN of LIST? */
static const json_t *
param_of(const json_t *list, const char *name, const char *in)
{
	const json_t *p;
	size_t i;

	json_array_foreach(list, i, p)
		if (strcmp(json_string_value(json_object_get(p, "name")), name) == 0 &&
		    strcmp(json_string_value(json_object_get(p, "in")), in) == 0)
			return p;
	return NULL;
}

/* Every {…} of the pattern is a required path parameter, ids as integers;
 * a page takes limit and cursor. */
START_TEST(test_path_params)
{
	size_t n, k, count = 0;
	const struct route *r = &routes_table(&n)[_i];
	const json_t *params, *p, *e;
	const char *open, *close;
	char name[64];

	if (!described(r))
		return;
	params = json_object_get(operation_of(r), "parameters");
	for (open = r->pattern; (open = strchr(open, '{')) && (close = strchr(open, '}'));
	     open = close) {
		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 1), open + 1);
		p = param_of(params, name, "path");
		ck_assert_msg(p != NULL, "%s: {%s} is not declared", r->pattern, name);
		ck_assert(json_is_true(json_object_get(p, "required")));
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "schema"),
		                     "type")),
		    strcmp(name + strlen(name) - 2, "id") == 0 ? "integer" : "string");
		count++;
	}
	json_array_foreach(params, k, e)
		count -= strcmp(json_string_value(json_object_get(e, "in")), "path") == 0;
	ck_assert_uint_eq(count, 0); /* no path parameter that is not in the path */
	ck_assert_int_eq(param_of(params, "limit", "query") != NULL,
	    r->answer.shape == ANSWER_PAGE);
	ck_assert_int_eq(param_of(params, "cursor", "query") != NULL,
	    r->answer.shape == ANSWER_PAGE);
	ck_assert_int_eq(param_of(params, "X-Group-Id", "header") != NULL, r->auth == ROUTE_APP);
}
END_TEST

/* Walk every schema under S (WHERE names it): an object schema with
 * properties is closed and requires only what it has; one without is a
 * map of described values. OPEN is the one schema left open. */
static void
check_schemas(const json_t *s, const char *where, const json_t *open)
{
	const char *key, *name;
	const json_t *v, *sub, *props = json_object_get(s, "properties"), *extra, *req;
	size_t i;

	if (json_is_array(s)) {
		json_array_foreach(s, i, v)
			check_schemas(v, where, open);
		return;
	}
	if (!json_is_object(s))
		return;
	extra = json_object_get(s, "additionalProperties");
	if (props && s != open)
		ck_assert_msg(json_is_false(extra), "%s: an object open to any field", where);
	json_array_foreach(json_object_get(s, "required"), i, req)
		ck_assert_msg(json_object_get(props, json_string_value(req)) != NULL,
		    "%s: requires %s, which it does not have", where, json_string_value(req));
	if (!props && json_is_string(json_object_get(s, "type")) && s != open &&
	    strcmp(json_string_value(json_object_get(s, "type")), "object") == 0)
		ck_assert_msg(json_object_size(extra) > 0, "%s: an object of anything", where);
	json_object_foreach((json_t *)s, key, v) {
		if (strcmp(key, "properties") != 0 || !json_is_object(v)) {
			check_schemas(v, key, open);
			continue;
		}
		json_object_foreach((json_t *)v, name, sub) /* a map of schemas */
			check_schemas(sub, name, open);
	}
}

START_TEST(test_schemas_closed)
{
	const json_t *own = json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(json_object_get(json_object_get(doc, "paths"),
	    "/api/v1/openapi.json"), "get"), "responses"), "200"), "content"), "application/json"),
	    "schema");

	ck_assert_ptr_nonnull(own);
	check_schemas(doc, "the document", own);
}
END_TEST

/* The columns SQL selects, ", "-separated in OUT: each item's alias (AS)
 * or its last name (u.email -> email). */
static void
select_columns(const char *sql, char *out, size_t outsz)
{
	const char *p = sql + strlen("SELECT "), *item = p, *as, *dot;
	int depth = 0, quoted = 0;
	size_t o = 0, len;

	ck_assert_int_eq(strncmp(sql, "SELECT ", 7), 0);
	out[0] = '\0';
	for (;; p++) {
		if (*p == '\'')
			quoted = !quoted;
		else if (!quoted && *p == '(')
			depth++;
		else if (!quoted && *p == ')')
			depth--;
		if (quoted || depth || (*p != ',' && strncmp(p, " FROM ", 6) != 0))
			continue;
		len = (size_t)(p - item);
		for (as = item + len; as > item && strncmp(as, " AS ", 4) != 0; as--)
			;
		if (as > item)
			item = as + 4;
		else if ((dot = memchr(item, '.', len)))
			item = dot + 1;
		o += (size_t)snprintf(out + o, outsz - o, "%s%.*s", o ? ", " : "",
		    (int)(p - item), item);
		ck_assert_uint_lt(o, outsz);
		if (*p != ',')
			return;
		item = p + 2;
	}
}

/* The field names of the N PARTS (secret ones left out), ", "-separated. */
static void
row_names(const struct field *const *parts, const size_t *counts, size_t n, char *out,
    size_t outsz)
{
	size_t o = 0, i, k;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		for (k = 0; k < counts[i]; k++)
			if (!(parts[i][k].flags & FIELD_SECRET))
				o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? ", " : "",
				    parts[i][k].name);
	ck_assert_uint_lt(o, outsz);
}

/* Is every name of the list A in the list B, and B as long? */
static int
same_names(const char *a, const char *b)
{
	char copy[2048], *save = NULL, *name;
	size_t na = 0, nb = 1;
	const char *p;

	snprintf(copy, sizeof(copy), "%s", a);
	for (name = strtok_r(copy, ", ", &save); name; name = strtok_r(NULL, ", ", &save), na++) {
		for (p = strstr(b, name); p; p = strstr(p + 1, name))
			if ((p == b || p[-1] == ' ') && (p[strlen(name)] == ',' || !p[strlen(name)]))
				break;
		if (!p)
			return 0;
	}
	for (p = b; (p = strchr(p, ',')); p++)
		nb++;
	return na == nb;
}

/* A resource's rows hold its fields (less the secret ones) and its out
 * fields: what its get statement selects. */
static const struct resource *const resources[] = {&reg_suites, &reg_projects, &reg_companies,
    &reg_people, &reg_apps};

START_TEST(test_resource_rows)
{
	const struct resource *r = resources[_i];
	const struct field *parts[2] = {r->fields, r->out->fields};
	size_t counts[2] = {r->nfields, r->out->n};
	char want[2048], got[2048];

	row_names(parts, counts, 2, want, sizeof(want));
	select_columns(stmt_sql(r->get), got, sizeof(got));
	ck_assert_msg(same_names(want, got), "%s: rows hold %s, the table says %s", r->type, got,
	    want);
	select_columns(stmt_sql(r->list), got, sizeof(got));
	ck_assert_msg(same_names(want, got), "%s list: rows hold %s, the table says %s", r->type,
	    got, want);
}
END_TEST

/* The row tables of what is not a resource, and the statements that make
 * their rows. */
static const struct {
	const struct field_table *table;
	enum stmt stmt;
} row_tables[] = {
	{&reg_member_row, STMT_MEMBER_GET},
	{&reg_member_row, STMT_MEMBER_LIST},
	{&reg_install_row, STMT_INSTALL_LIST},
	{&reg_app_user_row, STMT_APP_USER_GET},
	{&reg_app_user_row, STMT_APP_USER_LIST},
	{&reg_svar_row, STMT_SVAR_GET},
	{&reg_svar_row, STMT_SVAR_LIST},
	{&api_audit_row, STMT_AUDIT_LIST},
};

START_TEST(test_table_rows)
{
	const struct field_table *t = row_tables[_i].table;
	char want[2048], got[2048];

	row_names(&t->fields, &t->n, 1, want, sizeof(want));
	select_columns(stmt_sql(row_tables[_i].stmt), got, sizeof(got));
	ck_assert_msg(same_names(want, got), "%s: rows hold %s, the table says %s", t->name, got,
	    want);
}
END_TEST

/* The token list holds rows of what STMT_TOKEN_LIST selects. */
START_TEST(test_token_rows)
{
	const struct field_table *t = api_tokens_answer.fields[0].rows;
	char want[512], got[512];

	ck_assert_int_eq(api_tokens_answer.fields[0].kind, FIELD_ROWS);
	row_names(&t->fields, &t->n, 1, want, sizeof(want));
	select_columns(stmt_sql(STMT_TOKEN_LIST), got, sizeof(got));
	ck_assert_msg(same_names(want, got), "tokens: rows hold %s, the table says %s", got, want);
}
END_TEST

/* The identity sheet: the application fields marked published, its id,
 * public id and group id. */
START_TEST(test_sheet)
{
	char want[2048] = "id, public_id, group_id", got[2048];
	size_t i, o = strlen(want);

	for (i = 0; i < reg_apps.nfields; i++)
		if (reg_apps.fields[i].published)
			o += (size_t)snprintf(want + o, sizeof(want) - o, ", %s", reg_apps.fields[i].name);
	row_names(&api_app_sheet.fields, &api_app_sheet.n, 1, got, sizeof(got));
	ck_assert_msg(same_names(want, got), "the sheet holds %s, want %s", got, want);
}
END_TEST

/* A row never shows a secret field of its resource; a body describes it
 * write-only. */
START_TEST(test_no_secret_in_answers)
{
	size_t n, k;
	const struct route *r = &routes_table(&n)[_i];
	const struct resource *res = r->answer.resource;
	const json_t *op, *ok, *row, *body;
	char code[8];

	if (!described(r))
		return;
	op = operation_of(r);
	snprintf(code, sizeof(code), "%d", r->answer.status);
	ok = json_object_get(json_object_get(json_object_get(json_object_get(op, "responses"),
	    code), "content"), "application/json");
	row = deref(json_object_get(ok, "schema"));
	if (r->answer.shape == ANSWER_PAGE)
		row = deref(json_object_get(json_object_get(json_object_get(row, "properties"),
		    "items"), "items"));
	body = json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(
	    op, "requestBody"), "content"), "application/json"), "schema"), "properties");
	for (k = 0; res && k < res->nfields; k++)
		if (res->fields[k].flags & FIELD_SECRET)
			ck_assert_ptr_null(json_object_get(json_object_get(row, "properties"),
			    res->fields[k].name));
	for (k = 0; r->body && k < r->body->n; k++)
		if (r->body->fields[k].flags & FIELD_SECRET)
			ck_assert(json_is_true(json_object_get(json_object_get(body,
			    r->body->fields[k].name), "writeOnly")));
}
END_TEST

/* Create bodies require the required fields; changes carry a version. */
START_TEST(test_bodies)
{
	size_t n, k;
	const struct route *r = &routes_table(&n)[_i];
	const json_t *schema, *required, *e;
	int found;

	if (!described(r) || !r->body)
		return;
	schema = json_object_get(json_object_get(json_object_get(json_object_get(operation_of(r),
	    "requestBody"), "content"), "application/json"), "schema");
	ck_assert(json_is_false(json_object_get(schema, "additionalProperties")));
	ck_assert_uint_eq(json_object_size(json_object_get(schema, "properties")),
	    r->body->n + (r->mode == FIELDS_UPDATE || r->method == HTTP_PUT ||
	                     r->method == HTTP_PATCH));
	required = json_object_get(schema, "required");
	for (k = 0; k < r->body->n; k++) {
		size_t i;
		found = 0;
		json_array_foreach(required, i, e)
			found |= strcmp(json_string_value(e), r->body->fields[k].name) == 0;
		ck_assert_int_eq(found,
		    r->mode == FIELDS_CREATE && (r->body->fields[k].flags & FIELD_REQUIRED) != 0);
	}
}
END_TEST

static Suite *
openapi_suite(void)
{
	Suite *s = suite_create("openapi");
	TCase *tc;
	size_t n;

	routes_table(&n);
	tc = tcase_create("document");
	tcase_add_checked_fixture(tc, doc_setup, doc_teardown);
	tcase_add_test(tc, test_document);
	tcase_add_test(tc, test_document_cached);
	tcase_add_loop_test(tc, test_every_route, 0, (int)n);
	tcase_add_loop_test(tc, test_path_params, 0, (int)n);
	tcase_add_test(tc, test_schemas_closed);
	tcase_add_loop_test(tc, test_no_secret_in_answers, 0, (int)n);
	tcase_add_loop_test(tc, test_bodies, 0, (int)n);
	suite_add_tcase(s, tc);

	tc = tcase_create("rows");
	tcase_add_loop_test(tc, test_resource_rows, 0, NELEM(resources));
	tcase_add_loop_test(tc, test_table_rows, 0, NELEM(row_tables));
	tcase_add_test(tc, test_token_rows);
	tcase_add_test(tc, test_sheet);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(openapi_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
