/* test_routes.c - Check suite for http/routes (the route table) and dispatch_negotiate */
#include "http/dispatch.h"
#include "http/routes.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ALLOW_MAX 128

static struct ctx ctx;

static void
ctx_setup(void)
{
	memset(&ctx, 0, sizeof(ctx));
}

/* PATTERN with every {…} segment replaced by VALUE, into OUT. */
static void
fill_pattern(const char *pattern, const char *value, char *out, size_t outsz)
{
	size_t o = 0, vlen = strlen(value);
	const char *p;

	for (p = pattern; *p; p++) {
		if (*p == '{') {
			p = strchr(p, '}');
			ck_assert_ptr_nonnull(p);
			ck_assert_uint_lt(o + vlen, outsz);
			memcpy(out + o, value, vlen);
			o += vlen;
			continue;
		}
		ck_assert_uint_lt(o + 1, outsz);
		out[o++] = *p;
	}
	out[o] = '\0';
}

/* ---- the table ---- */

START_TEST(test_every_row)
{
	size_t n;
	const struct route *table = routes_table(&n), *row = &table[_i], *out = NULL;
	char path[256], allow[ALLOW_MAX];

	ck_assert_uint_lt(_i, n);
	fill_pattern(row->pattern, "42", path, sizeof(path));
	ck_assert_msg(routes_match(row->method, path, &out, &ctx, allow, sizeof(allow)) == OST_OK,
	    "%s", path);
	ck_assert_ptr_eq(out, row);
	if (strchr(row->pattern, '{'))
		ck_assert_str_eq(ctx.params[0], "42");
	else
		ck_assert_ptr_null(ctx.params[0]);
	/* GET routes answer HEAD with the same row. */
	if (row->method == HTTP_GET) {
		out = NULL;
		ck_assert_int_eq(routes_match(HTTP_HEAD, path, &out, &ctx, allow, sizeof(allow)),
		    OST_OK);
		ck_assert_ptr_eq(out, row);
	}
}
END_TEST

/* What every row must be, whatever its purpose. */
START_TEST(test_row_shape)
{
	size_t n, i;
	const struct route *table = routes_table(&n), *row = &table[_i];
	const unsigned all = RENDER_JSON | RENDER_XML | RENDER_HTML;

	ck_assert_int_eq(row->pattern[0], '/');
	ck_assert_ptr_nonnull(row->fn);
	ck_assert_int_lt(row->method, HTTP__COUNT);
	ck_assert_int_ne(row->method, HTTP_HEAD); /* HEAD comes with GET */
	ck_assert_uint_ne(row->formats, 0);
	ck_assert_uint_eq(row->formats & ~all, 0);
	if (row->auth == ROUTE_OPEN)
		ck_assert_uint_eq(row->roles, 0);
	else if (row->auth != ROUTE_APP && row->auth != ROUTE_OAUTH)
		/* for ROUTE_APP, roles are its needs (0: none); an OAuth endpoint
		 * authenticates its client itself */
		ck_assert_uint_ne(row->roles, 0);
	for (i = 0; i < n; i++)
		if (i != (size_t)_i)
			ck_assert_msg(row->method != table[i].method ||
			        strcmp(row->pattern, table[i].pattern) != 0,
			    "%s twice", row->pattern);
	ck_assert_msg(row->summary && *row->summary, "%s has no summary", row->pattern);
	/* a body is validated only where one can be sent */
	if (row->body)
		ck_assert_int_ne(row->method, HTTP_GET);
}
END_TEST

/* Each path parameter has a name of its own: the API description names
 * them, and /companies/{id}/members/{id} would name two alike. */
START_TEST(test_param_names)
{
	size_t n;
	const struct route *row = &routes_table(&n)[_i];
	const char *p = row->pattern, *open, *close, *seen[8];
	size_t nseen = 0, k, len;

	while ((open = strchr(p, '{')) && (close = strchr(open, '}'))) {
		len = (size_t)(close - open);
		for (k = 0; k < nseen; k++)
			ck_assert_msg(strncmp(seen[k], open, len + 1) != 0, "%s names %.*s twice",
			    row->pattern, (int)len + 1, open);
		ck_assert_msg(len > 3 || strncmp(open, "{id}", 4) != 0,
		    "%s: name the parameter after what it is ({app_id}, not {id})", row->pattern);
		ck_assert_uint_lt(nseen, 8);
		seen[nseen++] = open;
		p = close + 1;
	}
}
END_TEST

/* {id} takes 1 to 18 ASCII digits and nothing else. */
static const struct {
	const char *seg;
	int ok;
} id_cases[] = {
	{"0", 1},
	{"7", 1},
	{"42", 1},
	{"007", 1},
	{"123456789012345678", 1},
	{"999999999999999999", 1},
	{"1234567890123456789", 0},
	{"", 0},
	{"12a", 0},
	{"a12", 0},
	{"-1", 0},
	{"+1", 0},
	{"0x1f", 0},
	{"1.0", 0},
	{"1e3", 0},
	{" 1", 0},
	{"%2531", 0}, /* "%31" once decoded */
	{"%", 0},
	{"\xd9\xa1", 0}, /* ARABIC-INDIC DIGIT ONE */
	{"{id}", 0},
};

START_TEST(test_id_segment)
{
	const struct route *out = NULL;
	char path[128], allow[ALLOW_MAX];
	enum ost_err want = id_cases[_i].ok ? OST_OK : OST_ERR_NOT_FOUND;

	snprintf(path, sizeof(path), "/api/v1/tokens/%s", id_cases[_i].seg);
	ck_assert_int_eq(routes_match(HTTP_DELETE, path, &out, &ctx, allow, sizeof(allow)), want);
	if (want == OST_OK) {
		ck_assert_str_eq(out->pattern, "/api/v1/tokens/{token_id}");
		ck_assert_str_eq(ctx.params[0], id_cases[_i].seg);
	}
	/* The same inside a path. */
	snprintf(path, sizeof(path), "/admin/tokens/%s/revoke", id_cases[_i].seg);
	ck_assert_int_eq(routes_match(HTTP_POST, path, &out, &ctx, allow, sizeof(allow)), want);
	if (want == OST_OK) {
		ck_assert_str_eq(out->pattern, "/admin/tokens/{token_id}/revoke");
		ck_assert_str_eq(ctx.params[0], id_cases[_i].seg);
	}
}
END_TEST

static const char *const unknown_paths[] = {
	"",
	"//",
	"/nope",
	"/api",
	"/api/v1",
	"/api/v1/",
	"/api/v1/me/",
	"/API/v1/me",
	"/healthz/",
	"/healthzz",
	"/admin/login/",
	"/admin/tokens/",
	"/admin/tokens/42",
	"/admin/tokens/42/revoke/",
	"/admin/tokens/42/revokes",
	"/api/v1/tokens/42/",
	"/api/v1/tokens/42/x",
	"/api/v1/tokens//",
	/* routed as sent: an escape never stands for the pattern's own text */
	"/%61pi/v1/me",
	"/api/v1/m%65",
	"/api%2Fv1/me",
	"/api/v1/tokens%2F42",
	"/api/v1/tokens/42%2F",
	"/api/v1/tokens/4%2F2",
	"/admin/tokens/42%2Frevoke",
	"/%68ealthz",
};

START_TEST(test_not_found)
{
	const struct route *out = NULL;
	char allow[ALLOW_MAX] = "x";
	enum ost_err err;
	int m;

	for (m = 0; m < HTTP__COUNT; m++) {
		err = routes_match((enum http_method)m, unknown_paths[_i], &out, &ctx, allow,
		    sizeof(allow));
		ck_assert_msg(err == OST_ERR_NOT_FOUND, "%d %s: %d", m, unknown_paths[_i], err);
		ck_assert_ptr_null(out);
		ck_assert_str_eq(allow, "");
	}
}
END_TEST

/* A known path with another method: 405 and the methods that would do. */
static const struct {
	enum http_method method;
	const char *path;
	const char *allow;
} method_cases[] = {
	{HTTP_POST, "/", "GET, HEAD"},
	{HTTP_OPTIONS, "/", "GET, HEAD"},
	{HTTP_POST, "/healthz", "GET, HEAD"},
	{HTTP_PATCH, "/api/v1/me", "GET, HEAD"},
	{HTTP_PUT, "/api/v1/tokens", "GET, HEAD, POST"},
	{HTTP_DELETE, "/api/v1/tokens", "GET, HEAD, POST"},
	{HTTP_GET, "/api/v1/tokens/42", "DELETE"},
	{HTTP_HEAD, "/api/v1/tokens/42", "DELETE"},
	{HTTP_POST, "/api/v1/tokens/42", "DELETE"},
	{HTTP_DELETE, "/admin/login", "GET, HEAD, POST"},
	{HTTP_GET, "/admin/logout", "POST"},
	{HTTP_HEAD, "/admin/logout", "POST"},
	{HTTP_PUT, "/admin/tokens", "GET, HEAD, POST"},
	{HTTP_GET, "/admin/tokens/5/revoke", "POST"},
	{HTTP_POST, "/admin/", "GET, HEAD"},
	{HTTP_POST, "/admin", "GET, HEAD"},
};

START_TEST(test_wrong_method)
{
	const struct route *out = NULL;
	char allow[ALLOW_MAX];

	ck_assert_int_eq(routes_match(method_cases[_i].method, method_cases[_i].path, &out, &ctx,
			     allow, sizeof(allow)),
	    OST_ERR_METHOD);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(allow, method_cases[_i].allow);
}
END_TEST

/* A short ALLOW buffer is never overrun and holds a prefix of the list. */
START_TEST(test_allow_small)
{
	static const char full[] = "GET, HEAD, POST";
	const struct route *out = NULL;
	size_t sz = (size_t)_i + 1, want = sz - 1 < strlen(full) ? sz - 1 : strlen(full);
	char *allow = malloc(sz);

	ck_assert_ptr_nonnull(allow);
	ck_assert_int_eq(routes_match(HTTP_PUT, "/api/v1/tokens", &out, &ctx, allow, sz),
	    OST_ERR_METHOD);
	ck_assert_uint_eq(strlen(allow), want);
	ck_assert(strncmp(allow, full, want) == 0);
	free(allow);
}
END_TEST

/* A {…} segment is decoded once matched, then checked. */
START_TEST(test_params_decoded)
{
	const struct route *out = NULL;
	char allow[ALLOW_MAX];

	ck_assert_int_eq(routes_match(HTTP_DELETE, "/api/v1/tokens/%34%32", &out, &ctx, allow,
	    sizeof(allow)), OST_OK);
	ck_assert_str_eq(ctx.params[0], "42");
	ck_assert_int_eq(routes_match(HTTP_DELETE, "/api/v1/tokens/%3442", &out, &ctx, allow,
	    sizeof(allow)), OST_OK);
	ck_assert_str_eq(ctx.params[0], "442");
	ck_assert_int_eq(routes_match(HTTP_DELETE, "/api/v1/tokens/%2542", &out, &ctx, allow,
	    sizeof(allow)), OST_ERR_NOT_FOUND);
	ck_assert_int_eq(routes_match(HTTP_DELETE, "/api/v1/tokens/%00", &out, &ctx, allow,
	    sizeof(allow)), OST_ERR_NOT_FOUND);
}
END_TEST

START_TEST(test_params)
{
	const struct route *out = NULL;
	char allow[ALLOW_MAX];

	ck_assert_int_eq(routes_match(HTTP_POST, "/admin/tokens/123456/revoke", &out, &ctx, allow,
			     sizeof(allow)),
	    OST_OK);
	ck_assert_str_eq(ctx.params[0], "123456");
	ck_assert_ptr_null(ctx.params[1]);
	/* The parameter is a copy, not a pointer into the path. */
	ck_assert(ctx.params[0] >= ctx.param_buf &&
	    ctx.params[0] < ctx.param_buf + sizeof(ctx.param_buf));
	/* A 404 for another path leaves the earlier match alone. */
	ck_assert_int_eq(routes_match(HTTP_POST, "/admin/tokens/x/revoke", &out, &ctx, allow,
			     sizeof(allow)),
	    OST_ERR_NOT_FOUND);
}
END_TEST

/* ---- dispatch_negotiate ---- */

#define H RENDER_HTML
#define J RENDER_JSON
#define X RENDER_XML
#define NONE 0 /* OST_ERR_NOT_ACCEPTABLE */
#define BROWSER "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

static const struct {
	const char *accept;   /* NULL: no Accept header */
	const char *override; /* ?format=; NULL: none */
	unsigned formats;
	unsigned want; /* the format, or NONE */
} nego_cases[] = {
	/* No preference: the route's first, HTML before JSON before XML. */
	{NULL, NULL, H | J | X, H},
	{"", NULL, H | J | X, H},
	{NULL, NULL, J | X, J},
	{NULL, NULL, H, H},
	{NULL, NULL, X, X},
	{"*/*", NULL, H | J | X, H},
	{"*/*", NULL, J | X, J},
	{"*/*", NULL, H, H},
	/* A browser. */
	{BROWSER, NULL, H | J, H},
	{BROWSER, NULL, H | J | X, H},
	{BROWSER, NULL, H, H},
	{BROWSER, NULL, J | X, X}, /* application/xml;q=0.9 beats the 0.8 of any type */
	{BROWSER, NULL, J, J},
	/* Named types. */
	{"application/xml", NULL, H | J | X, X},
	{"application/xml", NULL, J | X, X},
	{"text/xml", NULL, J | X, X},
	{"application/json", NULL, H | J | X, J},
	{"APPLICATION/JSON", NULL, J | X, J},
	{"application/xhtml+xml", NULL, H | J, H},
	{"text/html", NULL, J | X, NONE},
	{"image/png", NULL, J | X, NONE},
	{"application/json", NULL, H, NONE},
	/* Ranges match the type that is sent (XML goes out as application/xml). */
	{"text/*", NULL, J | X, NONE},
	{"text/*", NULL, H | J | X, H},
	{"application/*", NULL, J | X, J},
	{"application/*", NULL, H, NONE},
	{"application/*", NULL, X, X},
	/* q values. */
	{"application/json;q=0", NULL, J | X, NONE},
	{"application/json;q=0, */*", NULL, J | X, X},
	{"*/*;q=0", NULL, J | X, NONE},
	{"application/json;q=0.5, application/xml", NULL, J | X, X},
	{"application/json, application/xml;q=0.9", NULL, J | X, J},
	{"application/xml;q=0.5, application/json;q=0.5", NULL, J | X, J},
	{"text/html;q=0.1, application/json;q=0.2", NULL, H | J, J},
	{"application/json ; q=0.5 , application/xml ; q=0.4", NULL, J | X, J},
	{"application/json;level=1;q=0", NULL, J | X, NONE},
	{"*/*;q=0.1, application/xml;q=0", NULL, J | X, J},
	{"application/json;q=0.5, application/xml;q=1e9", NULL, J | X, X},
	{"application/json;q=0.5, application/xml;q=inf", NULL, J | X, X},
	{"application/json;q=nan", NULL, J | X, NONE},
	{"application/json;q=-1", NULL, J | X, NONE},
	/* ?format= wins over Accept, but only for a format the route has. */
	{NULL, "json", H | J | X, J},
	{NULL, "xml", H | J | X, X},
	{NULL, "html", H | J | X, H},
	{NULL, "html", H, H},
	{"application/json", "xml", J | X, X},
	{"image/png", "json", J | X, J},
	{NULL, "html", J | X, NONE},
	{NULL, "xml", H, NONE},
	{NULL, "yaml", H | J | X, NONE},
	{NULL, "", J | X, NONE},
	{NULL, "JSON", J | X, NONE},
};

START_TEST(test_negotiate)
{
	enum render_format out = (enum render_format)0;
	enum ost_err err;

	err = dispatch_negotiate(nego_cases[_i].accept, nego_cases[_i].override,
	    nego_cases[_i].formats, &out);
	if (nego_cases[_i].want == NONE)
		ck_assert_msg(err == OST_ERR_NOT_ACCEPTABLE, "%s / %s: %d",
		    nego_cases[_i].accept ? nego_cases[_i].accept : "(none)",
		    nego_cases[_i].override ? nego_cases[_i].override : "(none)", out);
	else {
		ck_assert_msg(err == OST_OK, "%s / %s: %d",
		    nego_cases[_i].accept ? nego_cases[_i].accept : "(none)",
		    nego_cases[_i].override ? nego_cases[_i].override : "(none)", err);
		ck_assert_int_eq(out, nego_cases[_i].want);
	}
}
END_TEST

static Suite *
routes_suite(void)
{
	Suite *s = suite_create("routes");
	TCase *tc;
	size_t n;

	routes_table(&n);
	tc = tcase_create("match");
	tcase_add_checked_fixture(tc, ctx_setup, NULL);
	tcase_add_loop_test(tc, test_every_row, 0, (int)n);
	tcase_add_loop_test(tc, test_row_shape, 0, (int)n);
	tcase_add_loop_test(tc, test_param_names, 0, (int)n);
	tcase_add_loop_test(tc, test_id_segment, 0, NELEM(id_cases));
	tcase_add_loop_test(tc, test_not_found, 0, NELEM(unknown_paths));
	tcase_add_loop_test(tc, test_wrong_method, 0, NELEM(method_cases));
	tcase_add_loop_test(tc, test_allow_small, 0, 20);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_params_decoded);
	suite_add_tcase(s, tc);

	tc = tcase_create("negotiate");
	tcase_add_loop_test(tc, test_negotiate, 0, NELEM(nego_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(routes_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
