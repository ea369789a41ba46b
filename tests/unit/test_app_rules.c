/* test_app_rules.c - Check suite for valid/app_rules.c and crypto/pem.c: each
 * rule of the identity sheet, in production and in development mode */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/pem.h"
#include "valid/app_rules.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif
#define KEYS TEST_SRCDIR "/tests/unit/fixtures/keys/"

typedef field_check rule;

/* The contexts of production and of development mode. */
static const struct field_ctx prod = {0}, dev = {.development = 1};

/* One string through RULE: 1 when accepted. */
static int
accepts(rule r, const char *s, int development)
{
	char msg[256];
	json_t *v = json_string(s);
	const char *why;

	ck_assert_ptr_nonnull(v);
	why = r(development ? &dev : &prod, v, msg, sizeof(msg));
	if (why)
		ck_assert_ptr_eq(why, msg); /* the sentence is in MSG */
	json_decref(v);
	return why == NULL;
}

static const struct {
	rule r;
	const char *in;
	int ok;
	int development; /* the rule under development mode */
} string_cases[] = {
	/* icon_url: https in every mode */
	{app_check_icon_url, "https://cdn.example.org/i.png", 1, 0},
	{app_check_icon_url, "https://cdn.example.org:8443/a/b.png?x=1#f", 1, 0},
	{app_check_icon_url, "https://[2001:db8::1]/i.png", 1, 0},
	{app_check_icon_url, "http://cdn.example.org/i.png", 0, 0},
	{app_check_icon_url, "https://", 0, 0},
	{app_check_icon_url, "https://user@cdn.example.org/", 0, 0},
	{app_check_icon_url, "https://cdn..example.org/", 0, 0},
	{app_check_icon_url, "https://cdn.example.org:0/", 0, 0},
	{app_check_icon_url, "https://cdn.example.org:65536/", 0, 0},
	{app_check_icon_url, "https://[::g]/", 0, 0},
	{app_check_icon_url, "https://cdn.example.org/a b", 0, 0},
	{app_check_icon_url, "https://cdn.example.org/\xc3\xa9", 0, 0},
	{app_check_icon_url, "//cdn.example.org/i.png", 0, 0},
	/* events_url: https, plain http only in development */
	{app_check_events_url, "https://hooks.example.org/e", 1, 0},
	{app_check_events_url, "http://hooks.example.org/e", 0, 0},
	{app_check_events_url, "http://hooks.example.org/e", 1, 1},
	{app_check_events_url, "ftp://hooks.example.org/e", 0, 1},
	/* domain: an origin */
	{app_check_domain, "https://app.example.org", 1, 0},
	{app_check_domain, "https://app.example.org:8443", 1, 0},
	{app_check_domain, "https://app.example.org/", 0, 0},
	{app_check_domain, "http://app.example.org", 0, 0},
	{app_check_domain, "http://app.example.org", 1, 1},
	/* domain: or a host name, whose origin is https:// that host */
	{app_check_domain, "app.example.org", 1, 0},
	{app_check_domain, "localhost", 1, 0},
	{app_check_domain, "app.example.org:8443", 0, 0},
	{app_check_domain, "app.example.org/path", 0, 0},
	{app_check_domain, "user@app.example.org", 0, 0},
	{app_check_domain, "app..example.org", 0, 1},
	{app_check_domain, "*.example.org", 0, 1},
	{app_check_domain, "app.example.org.", 0, 0},
	/* allowed_origins entries */
	{app_item_origin, "*", 1, 0},
	{app_item_origin, "https://a.example.org", 1, 0},
	{app_item_origin, "http://a.example.org", 0, 0},
	{app_item_origin, "https://a.example.org?x", 0, 0},
	{app_item_origin, "http://a.example.org", 1, 1},
	{app_item_origin, "**", 0, 1},
	/* redirect_uris entries: https, or http for loopback hosts */
	{app_item_redirect_uri, "https://a.example.org/cb?x=1", 1, 0},
	{app_item_redirect_uri, "http://127.0.0.1:8080/cb", 1, 0},
	{app_item_redirect_uri, "http://[::1]/cb", 1, 0},
	{app_item_redirect_uri, "http://localhost/cb", 1, 0},
	{app_item_redirect_uri, "http://a.example.org/cb", 0, 0},
	{app_item_redirect_uri, "http://127.0.0.2/cb", 0, 0},
	{app_item_redirect_uri, "http://localhost.example.org/cb", 0, 0},
	{app_item_redirect_uri, "https://a.example.org/cb#x", 0, 0},
	{app_item_redirect_uri, "/cb", 0, 0},
	{app_item_redirect_uri, "http://a.example.org/cb", 1, 1},
	{app_item_redirect_uri, "http://a.example.org/cb#x", 0, 1},
	/* allowed_ips entries */
	{app_item_ip, "192.0.2.1", 1, 0},
	{app_item_ip, "192.0.2.0/24", 1, 0},
	{app_item_ip, "0.0.0.0/0", 1, 0},
	{app_item_ip, "2001:db8::/32", 1, 0},
	{app_item_ip, "::1", 1, 0},
	{app_item_ip, "::ffff:192.0.2.1/128", 1, 0},
	{app_item_ip, "192.0.2.0/33", 0, 0},
	{app_item_ip, "2001:db8::/129", 0, 0},
	{app_item_ip, "192.0.2.0/", 0, 0},
	{app_item_ip, "192.0.2.0/+8", 0, 0},
	{app_item_ip, "192.0.2.0/0008", 0, 0},
	{app_item_ip, "192.0.2", 0, 0},
	{app_item_ip, "256.0.0.1", 0, 0},
	{app_item_ip, "", 0, 0},
	{app_item_ip, "example.org", 0, 0},
	/* permissions and app group ids */
	{app_item_permission, "SEND_MESSAGES", 1, 0},
	{app_item_permission, "CUSTOM_2", 1, 0},
	{app_item_permission, "custom", 0, 0},
	{app_item_permission, "", 0, 0},
	{app_item_permission, "A-B", 0, 0},
	{app_check_group_id, "grp.1_a-b", 1, 0},
	{app_check_group_id, "", 0, 0},
	{app_check_group_id, "a b", 0, 0},
};

START_TEST(test_strings)
{
	ck_assert_msg(accepts(string_cases[_i].r, string_cases[_i].in, string_cases[_i].development) == string_cases[_i].ok,
	    "case %d \"%s\" should be %s", _i, string_cases[_i].in,
	    string_cases[_i].ok ? "accepted" : "refused");
}
END_TEST

/* One JSON text through RULE: 1 when accepted. */
static int
accepts_json(rule r, const char *text)
{
	char msg[256];
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	const char *why;

	ck_assert_ptr_nonnull(v);
	why = r(&prod, v, msg, sizeof(msg));
	json_decref(v);
	return why == NULL;
}

static const struct {
	rule r;
	const char *json;
	int ok;
} json_cases[] = {
	{app_check_permissions, "[\"A\", \"B\"]", 1},
	{app_check_permissions, "[\"A\", \"B\", \"A\"]", 0},
	{app_check_capabilities, "{\"read\": [\"users\", \"connections\"], \"write\": []}", 1},
	{app_check_capabilities, "{\"read\": [], \"write\": [\"companies\"]}", 1},
	{app_check_capabilities, "{\"read\": []}", 0},
	{app_check_capabilities, "{\"read\": [\"apps\"], \"write\": []}", 0},
	{app_check_capabilities, "{\"read\": [1], \"write\": []}", 0},
	{app_check_capabilities, "{\"read\": \"users\", \"write\": []}", 0},
	{app_check_capabilities, "{\"read\": [], \"write\": [], \"admin\": []}", 0},
	{app_check_capabilities, "{\"read\": [\"users\", \"users\"], \"write\": []}", 0},
	{app_check_display, "{}", 1},
	{app_check_display, "{\"chat_button\": true, \"app_list_entry\": false, "
	                    "\"configuration_entry\": true, \"label\": \"Hi\"}", 1},
	{app_check_display, "{\"chat_button\": 1}", 0},
	{app_check_display, "{\"label\": true}", 0},
	{app_check_display, "{\"label\": \"a\\u0001\"}", 0},
	{app_check_display, "{\"other\": true}", 0},
	{app_check_properties, "{\"a\": [1, 2, {\"b\": null}]}", 1},
};

START_TEST(test_json)
{
	ck_assert_msg(accepts_json(json_cases[_i].r, json_cases[_i].json) == json_cases[_i].ok,
	    "case %d %s should be %s", _i, json_cases[_i].json,
	    json_cases[_i].ok ? "accepted" : "refused");
}
END_TEST

START_TEST(test_properties_size)
{
	char *big = malloc(APP_PROPERTIES_MAX + 1);
	json_t *v;
	char msg[256];

	ck_assert_ptr_nonnull(big);
	memset(big, 'x', APP_PROPERTIES_MAX - 8); /* {"k":"..."} adds 8 bytes */
	big[APP_PROPERTIES_MAX - 8] = '\0';
	v = json_pack("{s:s}", "k", big);
	ck_assert_ptr_null(app_check_properties(&prod, v, msg, sizeof(msg)));
	json_object_set_new(v, "k", json_sprintf("%sy", big));
	ck_assert_ptr_nonnull(app_check_properties(&prod, v, msg, sizeof(msg)));
	json_decref(v);
	free(big);
}
END_TEST

/* The text of fixture NAME, in a new string. */
static char *
fixture(const char *name)
{
	char path[512], *text;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), KEYS "%s", name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

static const struct {
	const char *file;
	enum pem_kind kind;
	enum ost_err err;
	unsigned bits;
	int rule_ok;
} pem_cases[] = {
	{"rsa2048.pub.pem", PEM_PUBLIC_KEY, OST_OK, 2048, 1},
	{"rsa1024.pub.pem", PEM_PUBLIC_KEY, OST_OK, 1024, 0},
	{"rsa2048.cert.pem", PEM_CERTIFICATE, OST_OK, 2048, 1},
	{"rsa1024.cert.pem", PEM_CERTIFICATE, OST_OK, 1024, 0},
	{"rsa2048.cert.pem", PEM_PUBLIC_KEY, OST_ERR_INVALID, 0, 0},
	{"rsa2048.pub.pem", PEM_CERTIFICATE, OST_ERR_INVALID, 0, 1}, /* the field takes either */
	{"ec.pub.pem", PEM_PUBLIC_KEY, OST_ERR_INVALID, 256, 0},
};

START_TEST(test_pem)
{
	char *text = fixture(pem_cases[_i].file), msg[256];
	const char *why = NULL;
	unsigned bits = 0;
	json_t *v = json_string(text);
	rule r = pem_cases[_i].kind == PEM_CERTIFICATE ? app_check_certificate : app_check_public_key;

	ck_assert_int_eq(crypto_pem_rsa(text, strlen(text), pem_cases[_i].kind, &bits, &why),
	    pem_cases[_i].err);
	if (pem_cases[_i].err == OST_OK)
		ck_assert_uint_eq(bits, pem_cases[_i].bits);
	else
		ck_assert_ptr_nonnull(why);
	ck_assert_int_eq(r(&prod, v, msg, sizeof(msg)) == NULL, pem_cases[_i].rule_ok);
	json_decref(v);
	free(text);
}
END_TEST

START_TEST(test_pem_garbage)
{
	static const char *const bad[] = {"", "not pem",
	    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
	    "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"};
	const char *why;
	unsigned bits;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		ck_assert_int_eq(crypto_pem_rsa(bad[i], strlen(bad[i]), PEM_PUBLIC_KEY, &bits, &why),
		    OST_ERR_INVALID);
		ck_assert_ptr_nonnull(why);
		ck_assert_int_eq(crypto_pem_rsa(bad[i], strlen(bad[i]), PEM_CERTIFICATE, &bits, &why),
		    OST_ERR_INVALID);
	}
}
END_TEST

/* The certificate field holds either kind, and says which. */
static const struct {
	const char *file;
	enum ost_err err;
	enum pem_kind kind;
	const char *field_kind; /* app_certificate_kind */
} either_cases[] = {
	{"rsa2048.pub.pem", OST_OK, PEM_PUBLIC_KEY, "public_key"},
	{"rsa2048.cert.pem", OST_OK, PEM_CERTIFICATE, "certificate"},
	{"rsa1024.cert.pem", OST_OK, PEM_CERTIFICATE, "certificate"},
	{"ec.pub.pem", OST_ERR_INVALID, PEM_PUBLIC_KEY, NULL},
};

START_TEST(test_pem_either)
{
	char *text = fixture(either_cases[_i].file);
	const char *why = NULL, *kind;
	enum pem_kind k;
	unsigned bits = 0;
	json_t *v = json_string(text);

	ck_assert_int_eq(crypto_pem_rsa_either(text, strlen(text), &k, &bits, &why),
	    either_cases[_i].err);
	if (either_cases[_i].err == OST_OK)
		ck_assert_int_eq(k, either_cases[_i].kind);
	else
		ck_assert_ptr_nonnull(why);
	kind = app_certificate_kind(v);
	if (either_cases[_i].field_kind)
		ck_assert_str_eq(kind, either_cases[_i].field_kind);
	else
		ck_assert_ptr_null(kind);
	json_decref(v);
	free(text);
	ck_assert_int_eq(crypto_pem_rsa_either("not pem", 7, &k, &bits, &why), OST_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(why, "PUBLIC KEY"));
	ck_assert_ptr_nonnull(strstr(why, "CERTIFICATE"));
}
END_TEST

/* What a domain allows: its origin, or https:// (and in development
 * http://) its host name, whatever the case. */
START_TEST(test_domain_allows)
{
	json_t *host = json_string("app.example.org"), *origin = json_string("https://a.example.org");

	ck_assert_str_eq(app_domain_kind(host), "host");
	ck_assert_str_eq(app_domain_kind(origin), "origin");
	ck_assert_ptr_null(app_domain_kind(json_null()));
	ck_assert(app_domain_allows("app.example.org", "https://app.example.org", 0));
	ck_assert(app_domain_allows("app.example.org", "HTTPS://App.Example.org", 0));
	ck_assert(!app_domain_allows("app.example.org", "http://app.example.org", 0));
	ck_assert(app_domain_allows("app.example.org", "http://app.example.org", 1));
	ck_assert(!app_domain_allows("app.example.org", "https://app.example.org:8443", 1));
	ck_assert(!app_domain_allows("app.example.org", "https://evil.app.example.org", 1));
	ck_assert(!app_domain_allows("app.example.org", "app.example.org", 1));
	ck_assert(!app_domain_allows("app.example.org", "ftp://app.example.org", 1));
	ck_assert(app_domain_allows("https://a.example.org", "https://a.example.org", 0));
	ck_assert(!app_domain_allows("https://a.example.org", "https://a.example.org:1", 0));
	ck_assert(!app_domain_allows("http://a.example.org", "https://a.example.org", 1));
	ck_assert(!app_domain_allows(NULL, "https://a.example.org", 1));
	ck_assert_str_eq(app_origin_host("https://app.example.org", 0), "app.example.org");
	ck_assert_str_eq(app_origin_host("http://app.example.org", 0), "");
	ck_assert_str_eq(app_origin_host("http://app.example.org", 1), "app.example.org");
	ck_assert_str_eq(app_origin_host("https://", 0), "");
	ck_assert_str_eq(app_origin_host("https://a.example.org/x", 0), "");
	ck_assert_str_eq(app_origin_host("null", 1), "");
	json_decref(host);
	json_decref(origin);
}
END_TEST

/* A redirect URI split as a browser reads it: the host it goes to, or
 * nothing when the authority holds anything else than host and port. */
static const struct {
	const char *in;
	const char *host;     /* NULL: refused */
	const char *rest;
	int loopback;
} uri_cases[] = {
	{"http://127.0.0.1:5000/native/cb", "127.0.0.1", "/native/cb", 1},
	{"http://127.0.0.1/native/cb?x=1", "127.0.0.1", "/native/cb?x=1", 1},
	{"http://[::1]:8080/cb", "::1", "/cb", 1},
	{"http://LocalHost:1/cb", "LocalHost", "/cb", 1},
	{"https://app.example.org", "app.example.org", "", 0},
	{"http://127.0.0.1:1@evil.example/native/cb", NULL, NULL, 0},
	{"http://127.0.0.1@evil.example/native/cb", NULL, NULL, 0},
	{"http://127.0.0.1:@evil.example/native/cb", NULL, NULL, 0},
	{"http://127.0.0.1:/native/cb", NULL, NULL, 0},
	{"http://127.0.0.1:50o0/native/cb", NULL, NULL, 0},
	{"http://127.0.0.1:99999/native/cb", NULL, NULL, 0},
	{"http://127.0.0.1:%35%30/native/cb", NULL, NULL, 0},
	{"http://127.0.0.1%2f@evil.example/cb", NULL, NULL, 0},
	{"http://127.0.0.1:5000\\@evil.example/cb", NULL, NULL, 0},
	{"http://127.0.0.1\\evil.example/cb", NULL, NULL, 0},
	{"http://127.0.0.1:5000/cb\\x", NULL, NULL, 0},
	{"http://127.0.0.1:5000/c b", NULL, NULL, 0},
	{"http://127.0.0.1:50\t00/cb", NULL, NULL, 0},
	{"http://[::1]:1@evil.example/cb", NULL, NULL, 0},
	{"http:/127.0.0.1/cb", NULL, NULL, 0},
	{"", NULL, NULL, 0},
};

START_TEST(test_uri_split)
{
	struct app_uri u;
	int ok = app_uri_split(uri_cases[_i].in, &u);

	ck_assert_msg(ok == (uri_cases[_i].host != NULL), "%s", uri_cases[_i].in);
	if (!ok)
		return;
	ck_assert_int_eq((int)u.hostlen, (int)strlen(uri_cases[_i].host));
	ck_assert(strncmp(u.host, uri_cases[_i].host, u.hostlen) == 0);
	ck_assert_str_eq(u.rest, uri_cases[_i].rest);
	ck_assert_int_eq(u.loopback, uri_cases[_i].loopback);
}
END_TEST

static Suite *
app_rules_suite(void)
{
	Suite *s = suite_create("app_rules");
	TCase *tc = tcase_create("rules");

	tcase_add_loop_test(tc, test_strings, 0, sizeof(string_cases) / sizeof(string_cases[0]));
	tcase_add_loop_test(tc, test_json, 0, sizeof(json_cases) / sizeof(json_cases[0]));
	tcase_add_test(tc, test_properties_size);
	tcase_add_loop_test(tc, test_pem, 0, sizeof(pem_cases) / sizeof(pem_cases[0]));
	tcase_add_test(tc, test_pem_garbage);
	tcase_add_loop_test(tc, test_pem_either, 0, sizeof(either_cases) / sizeof(either_cases[0]));
	tcase_add_test(tc, test_domain_allows);
	tcase_add_loop_test(tc, test_uri_split, 0, sizeof(uri_cases) / sizeof(uri_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(app_rules_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
