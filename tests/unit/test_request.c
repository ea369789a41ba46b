/* test_request.c - Check suite for http/form and http/request: decoding, limits, proxies */
#include "auth/auth.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ENVP_MAX 16

static json_t *
parse_json(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	ck_assert_msg(v != NULL, "bad test JSON %s: %s", text, e.text);
	return v;
}

/* Assert that GOT holds exactly the JSON WANT. */
static void
assert_json(json_t *got, const char *want)
{
	json_t *w = parse_json(want);
	char *dump = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);

	ck_assert_msg(json_equal(got, w), "got %s, want %s", dump ? dump : "(null)", want);
	free(dump);
	json_decref(w);
}

/* ---- form_unescape ---- */

static const struct {
	const char *in;
	size_t n; /* bytes of IN; 0: strlen */
	int plus;
	enum ost_err err;
	const char *out;
} unescape_cases[] = {
	{"", 0, 1, OST_OK, ""},
	{"abc", 0, 1, OST_OK, "abc"},
	{"a%20b", 0, 0, OST_OK, "a b"},
	{"%41%62%7e", 0, 0, OST_OK, "Ab~"},
	{"%c3%A9t%C3%a9", 0, 0, OST_OK, "\xc3\xa9t\xc3\xa9"},
	{"a+b", 0, 1, OST_OK, "a b"},
	{"a+b", 0, 0, OST_OK, "a+b"},
	{"%2B+", 0, 1, OST_OK, "+ "},
	{"%25zz", 0, 0, OST_OK, "%zz"},
	{"\xe2\x82\xac", 0, 0, OST_OK, "\xe2\x82\xac"},
	{"%zz", 0, 0, OST_ERR_MALFORMED, NULL},
	{"%4g", 0, 0, OST_ERR_MALFORMED, NULL},
	{"%g4", 0, 0, OST_ERR_MALFORMED, NULL},
	{"%4", 0, 0, OST_ERR_MALFORMED, NULL},
	{"ab%", 0, 0, OST_ERR_MALFORMED, NULL},
	{"%", 0, 0, OST_ERR_MALFORMED, NULL},
	{"%+1", 0, 1, OST_ERR_MALFORMED, NULL},
	{"%00", 0, 0, OST_ERR_MALFORMED, NULL},
	{"a%00b", 0, 1, OST_ERR_MALFORMED, NULL},
	{"a\0b", 3, 0, OST_ERR_MALFORMED, NULL},       /* a raw NUL */
	{"%41%4", 4, 0, OST_ERR_MALFORMED, NULL},      /* N cuts the escape */
	{"%ff", 0, 0, OST_ERR_MALFORMED, NULL},        /* not UTF-8 */
	{"%c3", 0, 0, OST_ERR_MALFORMED, NULL},        /* truncated sequence */
	{"%c3%28", 0, 0, OST_ERR_MALFORMED, NULL},     /* bad continuation */
	{"%c0%af", 0, 0, OST_ERR_MALFORMED, NULL},     /* overlong '/' */
	{"%ed%a0%80", 0, 0, OST_ERR_MALFORMED, NULL},  /* a surrogate */
	{"\xff", 0, 0, OST_ERR_MALFORMED, NULL},       /* raw, not decoded */
};

START_TEST(test_unescape)
{
	const char *in = unescape_cases[_i].in;
	size_t n = unescape_cases[_i].n ? unescape_cases[_i].n : strlen(in), len = 99;
	char *out = malloc(n + 1); /* exactly what the contract asks for */

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(form_unescape(in, n, unescape_cases[_i].plus, out, &len),
	    unescape_cases[_i].err);
	if (unescape_cases[_i].out) {
		ck_assert_str_eq(out, unescape_cases[_i].out);
		ck_assert_uint_eq(len, strlen(unescape_cases[_i].out));
	}
	free(out);
}
END_TEST

/* ---- form_decode ---- */

static const struct {
	const char *in;
	const char *json; /* NULL: OST_ERR_MALFORMED */
} decode_cases[] = {
	{"", "{}"},
	{"a=1&b=2", "{\"a\":\"1\",\"b\":\"2\"}"},
	{"a=1&a=2", "{\"a\":[\"1\",\"2\"]}"},
	{"a=1&b=2&a=3&a=4", "{\"a\":[\"1\",\"3\",\"4\"],\"b\":\"2\"}"},
	{"a=1&&b=2", "{\"a\":\"1\",\"b\":\"2\"}"},
	{"&a=1&", "{\"a\":\"1\"}"},
	{"&&&", "{}"},
	{"a", "{\"a\":\"\"}"},
	{"a=", "{\"a\":\"\"}"},
	{"a==b", "{\"a\":\"=b\"}"},
	{"a%20b=c+d%2B", "{\"a b\":\"c d+\"}"},
	{"%C3%A9=%E2%82%AC", "{\"\xc3\xa9\":\"\xe2\x82\xac\"}"},
	{"a=%26&b=%3D", "{\"a\":\"&\",\"b\":\"=\"}"},
	{"=1", NULL},
	{"a=1&=2", NULL},
	{"=", NULL},
	{"a=%zz", NULL},
	{"a%=1", NULL},
	{"%00=1", NULL},
	{"a=%00", NULL},
	{"a=%ff", NULL},
	{"%ff=1", NULL},
};

START_TEST(test_decode)
{
	json_t *into = json_object();
	const char *in = decode_cases[_i].in;

	ck_assert_int_eq(form_decode(in, strlen(in), into),
	    decode_cases[_i].json ? OST_OK : OST_ERR_MALFORMED);
	if (decode_cases[_i].json)
		assert_json(into, decode_cases[_i].json);
	json_decref(into);
}
END_TEST

START_TEST(test_decode_length)
{
	json_t *into = json_object();

	/* Only N bytes count, not the NUL. */
	ck_assert_int_eq(form_decode("a=1&b=2", 3, into), OST_OK);
	assert_json(into, "{\"a\":\"1\"}");
	json_decref(into);
}
END_TEST

/* FORM_FIELDS_MAX fields are fine, one more is refused; empty pairs do
 * not count. */
static const struct {
	size_t fields;
	int empties; /* "&&" between fields */
	enum ost_err err;
} count_cases[] = {
	{FORM_FIELDS_MAX - 1, 0, OST_OK},
	{FORM_FIELDS_MAX, 0, OST_OK},
	{FORM_FIELDS_MAX, 1, OST_OK},
	{FORM_FIELDS_MAX + 1, 0, OST_ERR_MALFORMED},
	{10 * FORM_FIELDS_MAX, 0, OST_ERR_MALFORMED},
};

START_TEST(test_decode_count)
{
	size_t i, n = count_cases[_i].fields, len = 0, cap = n * 16 + 1;
	char *s = malloc(cap);
	json_t *into = json_object();

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%sf%zu=%zu",
		    i ? (count_cases[_i].empties ? "&&" : "&") : "", i, i);
	ck_assert_int_eq(form_decode(s, len, into), count_cases[_i].err);
	if (count_cases[_i].err == OST_OK) {
		ck_assert_uint_eq(json_object_size(into), n);
		ck_assert_str_eq(json_string_value(json_object_get(into, "f7")), "7");
	}
	free(s);
	json_decref(into);
}
END_TEST

/* ---- form_cookies ---- */

static const struct {
	const char *header;
	const char *json; /* the cookies read */
	size_t ignored;   /* pairs left out */
} cookie_cases[] = {
	{"", "{}", 0},
	{"a=1", "{\"a\":\"1\"}", 0},
	{"a=1; b=2", "{\"a\":\"1\",\"b\":\"2\"}", 0},
	{"a=1;b=2", "{\"a\":\"1\",\"b\":\"2\"}", 0},
	{"  a = 1 ;\tb=2  ", "{\"a\":\"1\",\"b\":\"2\"}", 0},
	{"a=1;; ;b=2;", "{\"a\":\"1\",\"b\":\"2\"}", 0},
	{"a=\"x y\"", "{\"a\":\"x y\"}", 0},
	{"a=\"\"", "{\"a\":\"\"}", 0},
	{"a=\"", "{\"a\":\"\\\"\"}", 0},
	{"a=", "{\"a\":\"\"}", 0},
	{"a=b=c", "{\"a\":\"b=c\"}", 0},
	{"a=%41", "{\"a\":\"%41\"}", 0}, /* taken as sent */
	{"a=1; a=2", "{\"a\":\"1\"}", 0}, /* the first wins */
	{"sid=x; sid=y; b=2", "{\"sid\":\"x\",\"b\":\"2\"}", 0},
	/* what cannot be read is left out, the rest kept */
	{"a", "{}", 1},
	{"a=1; b", "{\"a\":\"1\"}", 1},
	{"=1", "{}", 1},
	{" =1", "{}", 1},
	{"a=1; =2; c=3", "{\"a\":\"1\",\"c\":\"3\"}", 1},
	{"a=\xff", "{}", 1},
	{"\xff=1", "{}", 1},
	{"a=\xff; a=2; \xc3=x; b=\xe2\x82\xac", "{\"a\":\"2\",\"b\":\"\xe2\x82\xac\"}", 2},
};

START_TEST(test_cookies)
{
	json_t *into = json_object();
	size_t ignored = 99;

	ck_assert_int_eq(form_cookies(cookie_cases[_i].header, into, &ignored), OST_OK);
	assert_json(into, cookie_cases[_i].json);
	ck_assert_uint_eq(ignored, cookie_cases[_i].ignored);
	json_decref(into);
}
END_TEST

START_TEST(test_cookie_long)
{
	char header[2 * FORM_COOKIE_MAX];
	json_t *into = json_object();
	size_t ignored;

	/* a cookie of FORM_COOKIE_MAX bytes, name=value, is read */
	memset(header, 'n', sizeof(header));
	memcpy(header + 1000, "=", 1);
	header[FORM_COOKIE_MAX] = '\0';
	ck_assert_int_eq(form_cookies(header, into, &ignored), OST_OK);
	ck_assert_uint_eq(json_object_size(into), 1);
	ck_assert_uint_eq(ignored, 0);
	json_decref(into);
	/* one byte more: left out, never overflows; the next one is read */
	into = json_object();
	memset(header, 'n', sizeof(header));
	memcpy(header + 1000, "=", 1);
	memcpy(header + FORM_COOKIE_MAX + 1, "; a=1", 6);
	ck_assert_int_eq(form_cookies(header, into, &ignored), OST_OK);
	assert_json(into, "{\"a\":\"1\"}");
	ck_assert_uint_eq(ignored, 1);
	json_decref(into);
}
END_TEST

START_TEST(test_cookie_count)
{
	char header[(FORM_COOKIES_MAX + 2) * 8];
	json_t *into = json_object();
	size_t ignored, i, n = 0;

	for (i = 0; i < FORM_COOKIES_MAX + 2; i++)
		n += (size_t)snprintf(header + n, sizeof(header) - n, "c%zu=1;", i);
	ck_assert_int_eq(form_cookies(header, into, &ignored), OST_OK);
	ck_assert_uint_eq(json_object_size(into), FORM_COOKIES_MAX);
	ck_assert_uint_eq(ignored, 2);
	json_decref(into);
}
END_TEST

/* ---- request_parse ---- */

static struct config cfg;

/* The body as the FastCGI library would hand it over. */
static struct {
	const char *data;
	size_t len, pos;
	size_t chunk; /* the most one call returns; 0: all */
	int fail;     /* return -1 once the data is gone */
	int calls;
} body;

static ssize_t
fake_read(void *ctx, char *buf, size_t n)
{
	size_t left = body.len - body.pos;

	ck_assert_ptr_eq(ctx, &body);
	body.calls++;
	if (left == 0)
		return body.fail ? -1 : 0;
	if (n > left)
		n = left;
	if (body.chunk && n > body.chunk)
		n = body.chunk;
	memcpy(buf, body.data + body.pos, n);
	body.pos += n;
	return (ssize_t)n;
}

static void
setup(void)
{
	config_defaults(&cfg);
	snprintf(cfg.base_path, sizeof(cfg.base_path), "/ostium");
	snprintf(cfg.trusted_proxies[0], 46, "10.0.0.1");
	snprintf(cfg.trusted_proxies[1], 46, "10.0.0.2");
	snprintf(cfg.trusted_proxies[2], 46, "::1");
	cfg.ntrusted_proxies = 3;
	memset(&body, 0, sizeof(body));
}

/* Parse ENVP with DATA as the body (NULL: none). */
static enum ost_err
parse(struct request *r, char **envp, const char *data)
{
	body.data = data ? data : "";
	body.len = strlen(body.data);
	body.pos = 0;
	request_init(r, envp);
	return request_parse(r, &cfg, fake_read, &body);
}

static const struct {
	const char *method;
	enum http_method want; /* HTTP__COUNT: OST_ERR_METHOD */
} method_cases[] = {
	{"GET", HTTP_GET},
	{"HEAD", HTTP_HEAD},
	{"POST", HTTP_POST},
	{"PUT", HTTP_PUT},
	{"PATCH", HTTP_PATCH},
	{"DELETE", HTTP_DELETE},
	{"OPTIONS", HTTP_OPTIONS},
	{"get", HTTP__COUNT},
	{"BREW", HTTP__COUNT},
	{"GETX", HTTP__COUNT},
	{"", HTTP__COUNT},
	{NULL, HTTP__COUNT}, /* no REQUEST_METHOD at all */
};

START_TEST(test_method)
{
	char m[64];
	char *envp[] = {m, "REQUEST_URI=/x", "REMOTE_ADDR=192.0.2.1", NULL};
	struct request r;
	enum http_method want = method_cases[_i].want;

	if (method_cases[_i].method)
		snprintf(m, sizeof(m), "REQUEST_METHOD=%s", method_cases[_i].method);
	else
		snprintf(m, sizeof(m), "SERVER_NAME=x");
	ck_assert_int_eq(request_method_parse(method_cases[_i].method), want);
	ck_assert_int_eq(parse(&r, envp, NULL), want == HTTP__COUNT ? OST_ERR_METHOD : OST_OK);
	if (want != HTTP__COUNT) {
		ck_assert_int_eq(r.method, want);
		ck_assert_str_eq(r.method_name, method_cases[_i].method);
	} else {
		ck_assert_ptr_nonnull(r.error_message);
		ck_assert_ptr_nonnull(r.method_name); /* "-" or as sent, for the log */
	}
	request_free(&r);
}
END_TEST

/* Paths under cfg.base_path "/ostium". */
static const struct {
	const char *uri; /* NULL: no REQUEST_URI */
	enum ost_err err;
	const char *path;
	const char *raw;
} path_cases[] = {
	{"/ostium/admin/", OST_OK, "/admin/", "/ostium/admin/"},
	{"/ostium/admin/tokens?x=1", OST_OK, "/admin/tokens", "/ostium/admin/tokens"},
	{"/ostium", OST_OK, "/", "/ostium"},
	{"/ostium/", OST_OK, "/", "/ostium/"},
	{"/ostium?a=1", OST_OK, "/", "/ostium"},
	{"/ostiumx", OST_OK, "/ostiumx", "/ostiumx"},
	{"/ostiumx/admin", OST_OK, "/ostiumx/admin", "/ostiumx/admin"},
	{"/admin/", OST_OK, "/admin/", "/admin/"},
	{"/", OST_OK, "/", "/"},
	{"/ostium/a%20b/%C3%A9", OST_OK, "/a%20b/%C3%A9", "/ostium/a%20b/%C3%A9"}, /* routed as sent */
	{"/ostium/a+b", OST_OK, "/a+b", "/ostium/a+b"}, /* '+' is no space in a path */
	{"/x/ostium/y", OST_OK, "/x/ostium/y", "/x/ostium/y"},
	{"/ostium/a%00b", OST_ERR_MALFORMED, NULL, NULL},
	{"/ostium/a%zz", OST_ERR_MALFORMED, NULL, NULL},
	{"/ostium/a%", OST_ERR_MALFORMED, NULL, NULL},
	{"/ostium/%ff", OST_ERR_MALFORMED, NULL, NULL},
	{"ostium/admin", OST_ERR_MALFORMED, NULL, NULL},
	{"", OST_ERR_MALFORMED, NULL, NULL},
	{"*", OST_ERR_MALFORMED, NULL, NULL},
	{NULL, OST_ERR_MALFORMED, NULL, NULL},
	{"/x?a=%zz", OST_ERR_MALFORMED, NULL, NULL},
	{"/x?=1", OST_ERR_MALFORMED, NULL, NULL},
};

START_TEST(test_path)
{
	char uri[256];
	char *envp[] = {"REQUEST_METHOD=GET", uri, NULL};
	struct request r;

	if (path_cases[_i].uri)
		snprintf(uri, sizeof(uri), "REQUEST_URI=%s", path_cases[_i].uri);
	else
		snprintf(uri, sizeof(uri), "SCRIPT_NAME=/x");
	ck_assert_int_eq(parse(&r, envp, NULL), path_cases[_i].err);
	if (path_cases[_i].path) {
		ck_assert_str_eq(r.path, path_cases[_i].path);
		ck_assert_str_eq(r.raw_path, path_cases[_i].raw);
	} else
		ck_assert_ptr_nonnull(r.error_message);
	request_free(&r);
}
END_TEST

START_TEST(test_no_base_path)
{
	char *envp[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/ostium/admin/", NULL};
	struct request r;

	cfg.base_path[0] = '\0';
	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	ck_assert_str_eq(r.path, "/ostium/admin/");
	request_free(&r);
}
END_TEST

START_TEST(test_query)
{
	char *envp[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x?a=1&b=two+words&a=%C3%A9&c",
		NULL};
	char *empty[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x?", NULL};
	struct request r;

	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	ck_assert_str_eq(r.path, "/x");
	assert_json(r.query, "{\"a\":[\"1\",\"\xc3\xa9\"],\"b\":\"two words\",\"c\":\"\"}");
	ck_assert_str_eq(request_field(&r, "b"), "two words");
	ck_assert_ptr_null(request_field(&r, "a")); /* an array, not a string */
	ck_assert_ptr_null(request_field(&r, "zz"));
	ck_assert_ptr_null(r.body);
	request_free(&r);
	ck_assert_int_eq(parse(&r, empty, NULL), OST_OK);
	assert_json(r.query, "{}");
	request_free(&r);
}
END_TEST

/* An envp entry NAME=VALUE with VALUE LEN copies of FILL after PREFIX. */
static char *
long_entry(const char *name, const char *prefix, char fill, size_t len)
{
	size_t nn = strlen(name), pn = strlen(prefix);
	char *s = malloc(nn + 1 + pn + len + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, name, nn);
	s[nn] = '=';
	memcpy(s + nn + 1, prefix, pn);
	memset(s + nn + 1 + pn, fill, len);
	s[nn + 1 + pn + len] = '\0';
	return s;
}

/* Lengths around each limit. */
static const struct {
	const char *name;
	const char *prefix;
	size_t len; /* of the value, prefix included */
	enum ost_err err;
} limit_cases[] = {
	{"HTTP_USER_AGENT", "", REQUEST_HEADER_MAX, OST_OK},
	{"HTTP_USER_AGENT", "", REQUEST_HEADER_MAX + 1, OST_ERR_MALFORMED},
	{"HTTP_X_ANYTHING", "", 100000, OST_ERR_MALFORMED},
	/* a Cookie header past its limit is left out, never refused (test_cookie_header) */
	{"HTTP_COOKIE", "a=", REQUEST_COOKIE_MAX, OST_OK},
	{"HTTP_COOKIE", "a=", REQUEST_COOKIE_MAX + 1, OST_OK},
	{"REQUEST_URI", "/x?q=", REQUEST_QUERY_MAX + 3, OST_OK}, /* "/x?" not counted */
	{"REQUEST_URI", "/x?q=", REQUEST_QUERY_MAX + 4, OST_ERR_MALFORMED},
	{"REQUEST_URI", "/", REQUEST_PATH_MAX - 1, OST_OK},
	{"REQUEST_URI", "/", REQUEST_PATH_MAX, OST_ERR_MALFORMED},
};

START_TEST(test_limits)
{
	size_t plen = strlen(limit_cases[_i].prefix);
	char *entry = long_entry(limit_cases[_i].name, limit_cases[_i].prefix, 'a',
	    limit_cases[_i].len - plen);
	int uri = strcmp(limit_cases[_i].name, "REQUEST_URI") == 0;
	char *envp[] = {"REQUEST_METHOD=GET", uri ? entry : "REQUEST_URI=/x", entry, NULL};
	struct request r;

	if (uri)
		envp[2] = NULL;
	ck_assert_int_eq(parse(&r, envp, NULL), limit_cases[_i].err);
	if (limit_cases[_i].err)
		ck_assert_ptr_nonnull(r.error_message);
	request_free(&r);
	free(entry);
}
END_TEST

START_TEST(test_too_many_headers)
{
	char *envp[REQUEST_HEADERS_MAX + 4], names[REQUEST_HEADERS_MAX + 1][32];
	struct request r;
	size_t i;

	envp[0] = "REQUEST_METHOD=GET";
	envp[1] = "REQUEST_URI=/x";
	for (i = 0; i < REQUEST_HEADERS_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "HTTP_X_%zu=v", i);
		envp[2 + i] = names[i];
	}
	envp[2 + i] = NULL;
	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	request_free(&r);
	snprintf(names[i], sizeof(names[i]), "HTTP_X_%zu=v", i);
	envp[2 + i] = names[i];
	envp[3 + i] = NULL;
	ck_assert_int_eq(parse(&r, envp, NULL), OST_ERR_MALFORMED);
	request_free(&r);
}
END_TEST

START_TEST(test_cookie_header)
{
	char *envp[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x",
		"HTTP_COOKIE=ostium_session=abc; theme=\"dark\"; ostium_session=evil", NULL};
	char *bad[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x",
		"HTTP_COOKIE=novalue; =x; k=\xff; ostium_session=abc", NULL};
	static char long_cookie[sizeof("HTTP_COOKIE=") + REQUEST_COOKIE_MAX + 1];
	char *toolong[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x", long_cookie, NULL};
	struct request r;
	size_t n, i;

	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	ck_assert_str_eq(request_cookie(&r, "ostium_session"), "abc");
	ck_assert_str_eq(request_cookie(&r, "theme"), "dark");
	ck_assert_ptr_null(request_cookie(&r, "other"));
	request_free(&r);
	/* cookies Ostium cannot read are left out; the request goes on */
	ck_assert_int_eq(parse(&r, bad, NULL), OST_OK);
	ck_assert_str_eq(request_cookie(&r, "ostium_session"), "abc");
	ck_assert_uint_eq(json_object_size(r.cookies), 1);
	request_free(&r);
	/* a header of REQUEST_COOKIE_MAX bytes (long cookies left out) is read */
	n = (size_t)snprintf(long_cookie, sizeof(long_cookie), "HTTP_COOKIE=ostium_session=abc");
	for (i = n; i < sizeof(long_cookie) - 2; i++)
		long_cookie[i] = (i - n) % 2000 == 0 ? ';' : (i - n) % 2000 == 2 ? '=' : 'y';
	long_cookie[sizeof(long_cookie) - 2] = '\0';
	ck_assert_uint_eq(strlen(long_cookie + 12), REQUEST_COOKIE_MAX);
	ck_assert_int_eq(parse(&r, toolong, NULL), OST_OK);
	ck_assert_str_eq(request_cookie(&r, "ostium_session"), "abc");
	request_free(&r);
	/* one byte more: the header is left out whole */
	long_cookie[sizeof(long_cookie) - 2] = 'y';
	ck_assert_int_eq(parse(&r, toolong, NULL), OST_OK);
	ck_assert_uint_eq(json_object_size(r.cookies), 0);
	request_free(&r);
}
END_TEST

/* The cookies' names and attributes: __Host- outside development mode,
 * whatever the path prefix (Path=/, Secure); plain names with the prefix as
 * their path in development mode (plain http cannot hold __Host-). */
START_TEST(test_cookie_names)
{
	struct config c;
	struct response res;

	config_defaults(&c);
	snprintf(c.base_path, sizeof(c.base_path), "/ostium");
	c.development = 0;
	ck_assert_str_eq(AUTH_SESSION_COOKIE(&c), "__Host-ostium_session");
	ck_assert_str_eq(AUTH_LOGIN_COOKIE(&c), "__Host-ostium_login");
	response_init(&res);
	ck_assert_int_eq(response_cookie(&res, &c, AUTH_SESSION_COOKIE(&c), "v", -1), OST_OK);
	ck_assert_int_eq(response_cookie(&res, &c, AUTH_LOGIN_COOKIE(&c), "", 0), OST_OK);
	ck_assert_str_eq(res.headers.p,
	    "Set-Cookie: __Host-ostium_session=v; Path=/; HttpOnly; SameSite=Lax; Secure\r\n"
	    "Set-Cookie: __Host-ostium_login=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; "
	    "Secure\r\n");
	response_free(&res);

	c.development = 1;
	ck_assert_str_eq(AUTH_SESSION_COOKIE(&c), "ostium_session");
	ck_assert_str_eq(AUTH_LOGIN_COOKIE(&c), "ostium_login");
	response_init(&res);
	ck_assert_int_eq(response_cookie(&res, &c, AUTH_SESSION_COOKIE(&c), "v", -1), OST_OK);
	c.base_path[0] = '\0';
	ck_assert_int_eq(response_cookie(&res, &c, AUTH_LOGIN_COOKIE(&c), "w", 3600), OST_OK);
	ck_assert_str_eq(res.headers.p,
	    "Set-Cookie: ostium_session=v; Path=/ostium; HttpOnly; SameSite=Lax\r\n"
	    "Set-Cookie: ostium_login=w; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax\r\n");
	response_free(&res);
}
END_TEST

/* ---- bodies ---- */

static const struct {
	const char *type;   /* CONTENT_TYPE; NULL: none */
	const char *length; /* CONTENT_LENGTH; NULL: strlen(data) */
	const char *data;
	enum ost_err err;
	const char *json; /* the body when OST_OK; NULL: no body */
} body_cases[] = {
	{"application/json", NULL, "{\"name\":\"x\",\"n\":1}", OST_OK,
	    "{\"name\":\"x\",\"n\":1}"},
	{"application/json; charset=utf-8", NULL, "{}", OST_OK, "{}"},
	{"Application/JSON", NULL, " {\"a\":[1,2]} \n", OST_OK, "{\"a\":[1,2]}"},
	{"application/json", NULL, "[1,2]", OST_ERR_MALFORMED, NULL},
	{"application/json", NULL, "\"text\"", OST_ERR_MALFORMED, NULL},
	{"application/json", NULL, "{\"a\":", OST_ERR_MALFORMED, NULL},
	{"application/json", NULL, "{} {}", OST_ERR_MALFORMED, NULL},
	{"application/json", NULL, "{\"a\":1,\"a\":2}", OST_ERR_MALFORMED, NULL},
	{"application/json", NULL, "{\"a\":\"\\u0000\"}", OST_ERR_MALFORMED, NULL},
	{"application/json", NULL, "{\"a\":\"\xff\"}", OST_ERR_MALFORMED, NULL},
	{"application/x-www-form-urlencoded", NULL, "name=x&n=1", OST_OK,
	    "{\"name\":\"x\",\"n\":\"1\"}"},
	{"application/x-www-form-urlencoded; charset=UTF-8", NULL, "a=b+c", OST_OK,
	    "{\"a\":\"b c\"}"},
	{"application/x-www-form-urlencoded", NULL, "=x", OST_ERR_MALFORMED, NULL},
	{"application/x-www-form-urlencoded", NULL, "a=%zz", OST_ERR_MALFORMED, NULL},
	{"application/xml", NULL, "<app><name>x</name><n type=\"number\">1</n></app>", OST_OK,
	    "{\"name\":\"x\",\"n\":1}"},
	{"text/xml; charset=utf-8", NULL, "<app/>", OST_OK, "{}"},
	{"Application/XML", NULL, "<app><a type=\"array\"><item>1</item></a></app>", OST_OK,
	    "{\"a\":[\"1\"]}"},
	{"application/xml", NULL, "<!DOCTYPE a><a/>", OST_ERR_MALFORMED, NULL},
	{"application/xml", NULL, "<a><b>1</b><b>2</b></a>", OST_ERR_MALFORMED, NULL},
	{"application/xml", NULL, "{\"name\":\"x\"}", OST_ERR_MALFORMED, NULL},
	{"application/xmlx", NULL, "<a/>", OST_ERR_MEDIA_TYPE, NULL},
	{"text/plain", NULL, "hello", OST_ERR_MEDIA_TYPE, NULL},
	{"multipart/form-data; boundary=x", NULL, "--x--", OST_ERR_MEDIA_TYPE, NULL},
	{"application/jsonx", NULL, "{}", OST_ERR_MEDIA_TYPE, NULL},
	{"application/js", NULL, "{}", OST_ERR_MEDIA_TYPE, NULL},
	{"", NULL, "{}", OST_ERR_MEDIA_TYPE, NULL},
	{NULL, NULL, "{}", OST_ERR_MEDIA_TYPE, NULL},
	{"application/json", "1048577", "{}", OST_ERR_TOO_LARGE, NULL},
	{"application/json", "99999999999999999999999", "{}", OST_ERR_TOO_LARGE, NULL},
	{"application/json", "10", "{}", OST_ERR_MALFORMED, NULL}, /* short body */
	{"application/json", "1", "{}", OST_ERR_MALFORMED, NULL},  /* reads only "{" */
	{"application/json", "-1", "{}", OST_ERR_MALFORMED, NULL},
	{"application/json", "2x", "{}", OST_ERR_MALFORMED, NULL},
	{"application/json", " 2", "{}", OST_ERR_MALFORMED, NULL},
	{"application/json", "0", "{}", OST_OK, NULL},
	{"application/json", "", "{}", OST_OK, NULL},
	{NULL, "0", "", OST_OK, NULL},
	{"text/plain", "0", "", OST_OK, NULL}, /* no body, no type needed */
};

START_TEST(test_body)
{
	char type[128], length[64];
	char *envp[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x?q=1", type, length, NULL};
	struct request r;

	if (body_cases[_i].type)
		snprintf(type, sizeof(type), "CONTENT_TYPE=%s", body_cases[_i].type);
	else
		snprintf(type, sizeof(type), "SERVER_NAME=x");
	snprintf(length, sizeof(length), "CONTENT_LENGTH=%s",
	    body_cases[_i].length ? body_cases[_i].length : "");
	if (!body_cases[_i].length)
		snprintf(length, sizeof(length), "CONTENT_LENGTH=%zu", strlen(body_cases[_i].data));
	ck_assert_int_eq(parse(&r, envp, body_cases[_i].data), body_cases[_i].err);
	if (body_cases[_i].err)
		ck_assert_ptr_nonnull(r.error_message);
	else if (body_cases[_i].json)
		assert_json(r.body, body_cases[_i].json);
	else
		ck_assert_ptr_null(r.body);
	if (body_cases[_i].err == OST_ERR_TOO_LARGE)
		ck_assert_int_eq(body.calls, 0); /* refused before reading */
	request_free(&r);
}
END_TEST

START_TEST(test_body_no_length)
{
	char *envp[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x", "CONTENT_TYPE=application/json",
		NULL};
	struct request r;

	/* Without CONTENT_LENGTH the body is not read. */
	ck_assert_int_eq(parse(&r, envp, "{\"a\":1}"), OST_OK);
	ck_assert_ptr_null(r.body);
	ck_assert_int_eq(body.calls, 0);
	request_free(&r);
}
END_TEST

START_TEST(test_body_chunks)
{
	char *envp[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x?name=query&q=1",
		"CONTENT_TYPE=application/json", "CONTENT_LENGTH=31", NULL};
	static const char data[] = "{\"name\":\"body\",\"n\":12345678901}";
	struct request r;

	ck_assert_uint_eq(strlen(data), 31);
	body.chunk = 1;
	ck_assert_int_eq(parse(&r, envp, data), OST_OK);
	ck_assert_int_ge(body.calls, 31);
	assert_json(r.body, data);
	/* A body field hides the query field of the same name. */
	ck_assert_str_eq(request_field(&r, "name"), "body");
	ck_assert_str_eq(request_field(&r, "q"), "1");
	ck_assert_ptr_null(request_field(&r, "n")); /* not a string */
	request_free(&r);
}
END_TEST

START_TEST(test_body_read_error)
{
	char *envp[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x",
		"CONTENT_TYPE=application/json", "CONTENT_LENGTH=100", NULL};
	struct request r;

	body.fail = 1;
	ck_assert_int_eq(parse(&r, envp, "{\"a\":1}"), OST_ERR_MALFORMED);
	ck_assert_str_eq(r.error_field, "body");
	request_free(&r);
}
END_TEST

START_TEST(test_body_max)
{
	char length[64];
	char *envp[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x",
		"CONTENT_TYPE=application/x-www-form-urlencoded", length, NULL};
	char *data = malloc(REQUEST_BODY_MAX + 1);
	struct request r;

	/* Exactly 1 MiB is accepted. */
	ck_assert_ptr_nonnull(data);
	memcpy(data, "v=", 2);
	memset(data + 2, 'x', REQUEST_BODY_MAX - 2);
	data[REQUEST_BODY_MAX] = '\0';
	snprintf(length, sizeof(length), "CONTENT_LENGTH=%d", REQUEST_BODY_MAX);
	body.chunk = 65536;
	ck_assert_int_eq(parse(&r, envp, data), OST_OK);
	ck_assert_uint_eq(json_string_length(json_object_get(r.body, "v")),
	    REQUEST_BODY_MAX - 2);
	request_free(&r);
	free(data);
}
END_TEST

/* ---- client address and scheme ---- */

/* cfg trusts 10.0.0.1, 10.0.0.2 and ::1. */
static const struct {
	const char *remote; /* REMOTE_ADDR; NULL: none */
	const char *xff;    /* X-Forwarded-For; NULL: none */
	const char *xfp;    /* X-Forwarded-Proto; NULL: none */
	const char *https;  /* HTTPS; NULL: none */
	const char *addr;   /* the client address believed */
	int is_https;
} client_cases[] = {
	{"192.0.2.7", NULL, NULL, NULL, "192.0.2.7", 0},
	{NULL, NULL, NULL, NULL, "-", 0},
	{"192.0.2.7", "1.2.3.4", NULL, NULL, "192.0.2.7", 0}, /* not a proxy */
	{"10.0.0.1", NULL, NULL, NULL, "10.0.0.1", 0},
	{"10.0.0.1", "1.2.3.4", NULL, NULL, "1.2.3.4", 0},
	{"::1", "1.2.3.4", NULL, NULL, "1.2.3.4", 0},
	{"10.0.0.1", "2001:db8::1", NULL, NULL, "2001:db8::1", 0},
	{"10.0.0.1", "1.2.3.4,5.6.7.8", NULL, NULL, "5.6.7.8", 0},
	{"10.0.0.1", "1.2.3.4, 5.6.7.8", NULL, NULL, "5.6.7.8", 0},
	{"10.0.0.1", "1.2.3.4,10.0.0.2", NULL, NULL, "1.2.3.4", 0},
	{"10.0.0.1", "1.2.3.4, 10.0.0.2", NULL, NULL, "1.2.3.4", 0},
	{"10.0.0.1", " 1.2.3.4 ,  10.0.0.2 ", NULL, NULL, "1.2.3.4", 0},
	{"10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2", NULL, NULL, "1.2.3.4", 0},
	{"10.0.0.1", "10.0.0.2, 10.0.0.1", NULL, NULL, "10.0.0.2", 0}, /* all proxies */
	{"10.0.0.1", "not-an-address", NULL, NULL, "10.0.0.1", 0},
	{"10.0.0.1", "1.2.3.4, junk", NULL, NULL, "10.0.0.1", 0},
	{"10.0.0.1", "junk, 10.0.0.2", NULL, NULL, "10.0.0.2", 0},
	{"10.0.0.1", "", NULL, NULL, "10.0.0.1", 0},
	{"10.0.0.1", "1.2.3.4,", NULL, NULL, "10.0.0.1", 0},
	{"10.0.0.1", "1111:2222:3333:4444:5555:6666:777.888.999.000", NULL, NULL, "10.0.0.1",
	    0},
	{"192.0.2.7", NULL, NULL, "on", "192.0.2.7", 1},
	{"192.0.2.7", NULL, NULL, "ON", "192.0.2.7", 1},
	{"192.0.2.7", NULL, NULL, "1", "192.0.2.7", 1},
	{"192.0.2.7", NULL, NULL, "off", "192.0.2.7", 0},
	{"192.0.2.7", NULL, NULL, "", "192.0.2.7", 0},
	{"192.0.2.7", NULL, "https", NULL, "192.0.2.7", 0}, /* not a proxy */
	{"10.0.0.1", NULL, "https", NULL, "10.0.0.1", 1},
	{"10.0.0.1", NULL, "HTTPS", NULL, "10.0.0.1", 1},
	{"10.0.0.1", NULL, "http", "on", "10.0.0.1", 0}, /* the proxy knows better */
	{"10.0.0.1", "1.2.3.4", "https", NULL, "1.2.3.4", 1},
};

START_TEST(test_client)
{
	char remote[64], xff[128], xfp[64], https[64];
	char *envp[ENVP_MAX] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x"};
	size_t n = 2;
	struct request r;

	if (client_cases[_i].remote) {
		snprintf(remote, sizeof(remote), "REMOTE_ADDR=%s", client_cases[_i].remote);
		envp[n++] = remote;
	}
	if (client_cases[_i].xff) {
		snprintf(xff, sizeof(xff), "HTTP_X_FORWARDED_FOR=%s", client_cases[_i].xff);
		envp[n++] = xff;
	}
	if (client_cases[_i].xfp) {
		snprintf(xfp, sizeof(xfp), "HTTP_X_FORWARDED_PROTO=%s", client_cases[_i].xfp);
		envp[n++] = xfp;
	}
	if (client_cases[_i].https) {
		snprintf(https, sizeof(https), "HTTPS=%s", client_cases[_i].https);
		envp[n++] = https;
	}
	envp[n] = NULL;
	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	ck_assert_str_eq(r.remote_addr, client_cases[_i].addr);
	ck_assert_int_eq(r.https, client_cases[_i].is_https);
	request_free(&r);
}
END_TEST

/* A REMOTE_ADDR that is not an IP address (lighttpd on a unix socket gives
 * its path) is kept as UTF-8 of at most REQUEST_ADDR_MAX bytes. */
START_TEST(test_client_not_ip)
{
	char remote[400] = "REMOTE_ADDR=";
	char *envp[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x", remote, NULL};
	struct request r;
	size_t n = strlen(remote);

	memset(remote + n, 's', 107);
	remote[n + 107] = '\0';
	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	ck_assert_str_eq(r.remote_addr, remote + n); /* a socket path, whole */
	request_free(&r);

	memset(remote + n, 's', 300);
	remote[n + 300] = '\0';
	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	ck_assert_uint_eq(strlen(r.remote_addr), REQUEST_ADDR_MAX);
	request_free(&r);

	snprintf(remote + n, sizeof(remote) - n, "/run/caf\xe9.sock");
	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	ck_assert_str_eq(r.remote_addr, "/run/caf\xef\xbf\xbd.sock");
	request_free(&r);
}
END_TEST

/* ---- id and lookups ---- */

START_TEST(test_request_id)
{
	char *envp[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x", NULL};
	char *bad[] = {"REQUEST_METHOD=BREW", "REQUEST_URI=/x", NULL};
	struct request r;
	char first[REQUEST_ID_LEN + 1];

	ck_assert_int_eq(parse(&r, envp, NULL), OST_OK);
	ck_assert_uint_eq(strlen(r.id), REQUEST_ID_LEN);
	ck_assert_uint_eq(strspn(r.id, "0123456789abcdef"), REQUEST_ID_LEN);
	memcpy(first, r.id, sizeof(first));
	request_free(&r);
	/* A failed parse has an id too, for the log; a fresh one each time. */
	ck_assert_int_eq(parse(&r, bad, NULL), OST_ERR_METHOD);
	ck_assert_uint_eq(strspn(r.id, "0123456789abcdef"), REQUEST_ID_LEN);
	ck_assert_str_ne(r.id, first);
	request_free(&r);
}
END_TEST

static const struct {
	const char *name;
	const char *value; /* NULL: not found */
} header_cases[] = {
	{"X-CSRF-Token", "csrf"},
	{"x-csrf-token", "csrf"},
	{"Content-Type", "application/json"},
	{"content-type", "application/json"},
	{"Accept", "text/html"},
	{"User-Agent", "test"},
	{"Cookie", "a=1"},
	{"X-Missing", NULL},
	{"CSRF-Token", NULL},
	{"X-CSRF-Token-Extra", NULL},
	{"", NULL},
	{"X-Very-Long-Header-Name-That-Goes-On-And-On-And-On-And-On-And-On-And-On-"
	 "And-On-And-On-And-On-And-On-And-On-And-On-And-On",
	    NULL},
};

START_TEST(test_header)
{
	char *envp[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x", "HTTP_X_CSRF_TOKEN=csrf",
		"CONTENT_TYPE=application/json", "HTTP_ACCEPT=text/html", "HTTP_USER_AGENT=test",
		"HTTP_COOKIE=a=1", NULL};
	struct request r;
	const char *got;

	request_init(&r, envp);
	got = request_header(&r, header_cases[_i].name);
	if (header_cases[_i].value)
		ck_assert_str_eq(got, header_cases[_i].value);
	else
		ck_assert_msg(got == NULL, "%s: %s", header_cases[_i].name, got);
	request_free(&r);
}
END_TEST

START_TEST(test_param)
{
	char *envp[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x", "EMPTY=", "NOEQUALS", NULL};
	struct request r;

	request_init(&r, envp);
	ck_assert_str_eq(request_param(&r, "REQUEST_METHOD"), "GET");
	ck_assert_str_eq(request_param(&r, "EMPTY"), "");
	ck_assert_ptr_null(request_param(&r, "REQUEST"));     /* a prefix only */
	ck_assert_ptr_null(request_param(&r, "REQUEST_URIX"));
	ck_assert_ptr_null(request_param(&r, "NOEQUALS"));
	ck_assert_ptr_null(request_param(&r, "request_method"));
	request_init(&r, NULL);
	ck_assert_ptr_null(request_param(&r, "REQUEST_METHOD"));
	request_free(&r);
}
END_TEST

static Suite *
request_suite(void)
{
	Suite *s = suite_create("request");
	TCase *tc;

	tc = tcase_create("form");
	tcase_add_loop_test(tc, test_unescape, 0, NELEM(unescape_cases));
	tcase_add_loop_test(tc, test_decode, 0, NELEM(decode_cases));
	tcase_add_test(tc, test_decode_length);
	tcase_add_loop_test(tc, test_decode_count, 0, NELEM(count_cases));
	tcase_add_loop_test(tc, test_cookies, 0, NELEM(cookie_cases));
	tcase_add_test(tc, test_cookie_long);
	tcase_add_test(tc, test_cookie_count);
	suite_add_tcase(s, tc);

	tc = tcase_create("target");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_method, 0, NELEM(method_cases));
	tcase_add_loop_test(tc, test_path, 0, NELEM(path_cases));
	tcase_add_test(tc, test_no_base_path);
	tcase_add_test(tc, test_query);
	tcase_add_loop_test(tc, test_limits, 0, NELEM(limit_cases));
	tcase_add_test(tc, test_too_many_headers);
	tcase_add_test(tc, test_cookie_header);
	tcase_add_test(tc, test_cookie_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("body");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_body, 0, NELEM(body_cases));
	tcase_add_test(tc, test_body_no_length);
	tcase_add_test(tc, test_body_chunks);
	tcase_add_test(tc, test_body_read_error);
	tcase_add_test(tc, test_body_max);
	suite_add_tcase(s, tc);

	tc = tcase_create("client");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_client_not_ip);
	tcase_add_loop_test(tc, test_client, 0, NELEM(client_cases));
	tcase_add_test(tc, test_request_id);
	tcase_add_loop_test(tc, test_header, 0, NELEM(header_cases));
	tcase_add_test(tc, test_param);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (crypto_init(64) != OST_OK) /* request ids are nonces */
		return EXIT_FAILURE;
	sr = srunner_create(request_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
