/* test_config.c - Check suite for core/config: every key, refusals by line, files */
#include "core/config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DIR "/srv/ostium"

/* Every key, none at its default; relative paths on purpose. */
static const char good[] =
    "# a comment, then a blank line\n"
    "\n"
    "listen = 127.0.0.1:9000\n"
    "socket_mode = 0600\n"
    "  workers=8  \n"
    "max_requests = 0\n"
    "pid_file = run/ostium.pid\n"
    "db_socket =\n"
    "db_host = db.example.org\n"
    "db_port = 3307\n"
    "db_name = ostium_test\n"
    "db_user = Ostium_2\n"
    "db_password_file = /etc/ostium/db.pw\n"
    "base_url = http://localhost:8080/ostium\n"
    "development = yes\r\n"
    "trusted_proxies = 10.0.0.1 ::1,192.168.1.2\t2001:db8::7\n"
    "pepper_file = secrets/pepper\n"
    "key_file = keys\n"
    "argon2_t = 2\n"
    "argon2_m = 1024\n"
    "argon2_p = 4\n"
    "session_ttl = 3600\n"
    "throttle_account = 7\n"
    "throttle_address = 70\n"
    "throttle_window = 600\n"
    "data_dir = /usr/local/share/ostium\n"
    "outbound_timeout = 7\n"
    "outbound_allow = 10.1.0.0/16 fd00::/8\n"
    "outbound_proxy = http://proxy.example.org:3128\n"
    "log_level = debug"; /* no final newline */

START_TEST(test_good_file)
{
	struct config c;
	char err[256] = "";

	ck_assert_int_eq(config_load_string("test.conf", DIR, good, &c, err, sizeof(err)),
	    OST_OK);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(c.path, "test.conf");
	ck_assert_str_eq(c.listen, "127.0.0.1:9000");
	ck_assert_uint_eq(c.socket_mode, 0600);
	ck_assert_uint_eq(c.workers, 8);
	ck_assert_uint_eq(c.max_requests, 0);
	ck_assert_str_eq(c.pid_file, DIR "/run/ostium.pid");
	ck_assert_str_eq(c.db_socket, "");
	ck_assert_str_eq(c.db_host, "db.example.org");
	ck_assert_uint_eq(c.db_port, 3307);
	ck_assert_str_eq(c.db_name, "ostium_test");
	ck_assert_str_eq(c.db_user, "Ostium_2");
	ck_assert_str_eq(c.db_password_file, "/etc/ostium/db.pw");
	ck_assert_str_eq(c.base_url, "http://localhost:8080/ostium");
	ck_assert_str_eq(c.base_path, "/ostium");
	ck_assert_int_eq(c.base_https, 0);
	ck_assert_int_eq(c.development, 1);
	ck_assert_uint_eq(c.ntrusted_proxies, 4);
	ck_assert_str_eq(c.trusted_proxies[0], "10.0.0.1");
	ck_assert_str_eq(c.trusted_proxies[1], "::1");
	ck_assert_str_eq(c.trusted_proxies[2], "192.168.1.2");
	ck_assert_str_eq(c.trusted_proxies[3], "2001:db8::7");
	ck_assert_str_eq(c.pepper_file, DIR "/secrets/pepper");
	ck_assert_str_eq(c.key_file, DIR "/keys");
	ck_assert_uint_eq(c.argon2_t, 2);
	ck_assert_uint_eq(c.argon2_m, 1024);
	ck_assert_uint_eq(c.argon2_p, 4);
	ck_assert_uint_eq(c.session_ttl, 3600);
	ck_assert_uint_eq(c.throttle_account, 7);
	ck_assert_uint_eq(c.throttle_address, 70);
	ck_assert_uint_eq(c.throttle_window, 600);
	ck_assert_str_eq(c.data_dir, "/usr/local/share/ostium");
	ck_assert_int_eq(c.log_level, LOG_LEVEL_DEBUG);
	ck_assert_uint_eq(c.outbound_timeout, 7);
	ck_assert_uint_eq(c.noutbound_allow, 2);
	ck_assert_str_eq(c.outbound_allow[0], "10.1.0.0/16");
	ck_assert_str_eq(c.outbound_allow[1], "fd00::/8");
	ck_assert_uint_eq(c.ntrusted_proxies, 4); /* the two lists kept apart */
	ck_assert_str_eq(c.outbound_proxy, "http://proxy.example.org:3128");
}
END_TEST

START_TEST(test_empty_file)
{
	struct config c, d;
	char err[256] = "";

	/* Nothing set: the defaults, which are themselves valid. */
	ck_assert_int_eq(config_load_string("empty.conf", DIR, "", &c, err, sizeof(err)),
	    OST_OK);
	config_defaults(&d);
	ck_assert_str_eq(c.listen, d.listen);
	ck_assert_str_eq(c.base_url, "https://localhost");
	ck_assert_str_eq(c.base_path, "");
	ck_assert_int_eq(c.base_https, 1);
	ck_assert_int_eq(c.development, 0);
	ck_assert_uint_eq(c.workers, d.workers);
	ck_assert_uint_eq(c.argon2_m, d.argon2_m);
	ck_assert_uint_eq(c.ntrusted_proxies, 0);
	ck_assert_int_eq(c.log_level, LOG_LEVEL_INFO);
	ck_assert_str_eq(c.db_socket, "/run/mysqld/mysqld.sock");
	ck_assert_uint_eq(c.outbound_timeout, 10);
	ck_assert_uint_eq(c.noutbound_allow, 0);
	ck_assert_str_eq(c.outbound_proxy, "");
}
END_TEST

/* Values that are accepted, one key at a time, and what they become. */
static const struct {
	const char *text;
	const char *base_path; /* NULL: not checked */
	unsigned workers;      /* 0: not checked */
} ok_cases[] = {
	{"base_url = https://x/ostium", "/ostium", 0},
	{"base_url = https://x", "", 0},
	{"base_url = https://x:8443/a/b", "/a/b", 0},
	{"base_url = https://ostium.example.org", "", 0},
	{"workers = 1", NULL, 1},
	{"workers = 256", NULL, 256},
	{"# workers = 0\nworkers = 2", NULL, 2},
	{"   # indented comment\n\t\nworkers = 3\n\n", NULL, 3},
	{"workers = 5\r\n", NULL, 5},
	{"development = on\nbase_url = http://x", "", 0},
	{"base_url = http://x\ndevelopment = true", "", 0},
	{"listen = unix:/run/o.sock", NULL, 0},
	{"listen = [::1]:9000", NULL, 0},
	{"listen = localhost:65535", NULL, 0},
	{"argon2_m = 128\nargon2_p = 16", NULL, 0},
	{"trusted_proxies =", NULL, 0},
	{"db_socket =\ndb_host = localhost", NULL, 0},
	{"log_level = error", NULL, 0},
};

START_TEST(test_ok)
{
	struct config c;
	char err[256] = "";

	ck_assert_msg(config_load_string("ok.conf", DIR, ok_cases[_i].text, &c, err,
			  sizeof(err)) == OST_OK,
	    "%s: %s", ok_cases[_i].text, err);
	if (ok_cases[_i].base_path)
		ck_assert_str_eq(c.base_path, ok_cases[_i].base_path);
	if (ok_cases[_i].workers)
		ck_assert_uint_eq(c.workers, ok_cases[_i].workers);
}
END_TEST

/* Files that are refused, with the whole message expected. */
static const struct {
	const char *text;
	const char *msg;
} bad_cases[] = {
	{"workers = 2\ncolour = blue\n", "bad.conf:2: colour: unknown key"},
	{"Workers = 2", "bad.conf:1: Workers: unknown key"},
	{"workers = 2\n\nworkers = 3\n", "bad.conf:3: workers: this key is set twice"},
	{"# x\nworkers 4\n", "bad.conf:2: expected \"key = value\""},
	{"workers = 0", "bad.conf:1: workers: must be a whole number from 1 to 256"},
	{"\n\nworkers = 300\n", "bad.conf:3: workers: must be a whole number from 1 to 256"},
	{"workers = -1", "bad.conf:1: workers: must be a whole number from 1 to 256"},
	{"workers = 4x", "bad.conf:1: workers: must be a whole number from 1 to 256"},
	{"workers = 4 # four", "bad.conf:1: workers: must be a whole number from 1 to 256"},
	{"workers =", "bad.conf:1: workers: must be a whole number from 1 to 256"},
	{"workers = 99999999999999999999999", "bad.conf:1: workers: must be a whole number from 1 to 256"},
	{"socket_mode = 0800", "bad.conf:1: socket_mode: must be an octal mode"},
	{"socket_mode = 01000", "bad.conf:1: socket_mode: must be an octal mode"},
	{"listen = 127.0.0.1:99999", "bad.conf:1: listen: has a bad port"},
	{"listen = 127.0.0.1:0", "bad.conf:1: listen: has a bad port"},
	{"listen = 127.0.0.1:http", "bad.conf:1: listen: has a bad port"},
	{"listen = 127.0.0.1", "bad.conf:1: listen: must be unix:PATH or ADDRESS:PORT"},
	{"listen = :9000", "bad.conf:1: listen: must be unix:PATH or ADDRESS:PORT"},
	{"listen = unix:run/ostium.sock", "bad.conf:1: listen: a unix socket needs an absolute path"},
	{"base_url = ostium.example.org", "bad.conf:1: base_url: must start with http:// or https://"},
	{"base_url = ftp://x", "bad.conf:1: base_url: must start with http:// or https://"},
	{"base_url = https://x/", "bad.conf:1: base_url: must not end with a slash"},
	{"base_url = https://x/ostium/", "bad.conf:1: base_url: must not end with a slash"},
	{"base_url = https://", "bad.conf:1: base_url: has no host"},
	{"base_url = https:///ostium", "bad.conf:1: base_url: has no host"},
	{"base_url = https://x/a?b=1",
	    "bad.conf:1: base_url: must not contain a query, a fragment, quotes or spaces"},
	{"base_url = https://x/<a>",
	    "bad.conf:1: base_url: must not contain a query, a fragment, quotes or spaces"},
	/* Checks across keys name the line of the later key involved. */
	{"base_url = http://x\nworkers = 2\n# end\n",
	    "bad.conf:1: base_url must be https:// outside development mode"},
	{"development = no\nworkers = 2\nbase_url = http://x\n# end\n",
	    "bad.conf:3: base_url must be https:// outside development mode"},
	{"argon2_p = 16\nargon2_m = 64\nworkers = 2\n\n# end\n",
	    "bad.conf:2: argon2_m must be at least 8 KiB per lane (argon2_p)"},
	{"argon2_m = 64\nargon2_t = 1\nargon2_p = 9\nworkers = 2\n",
	    "bad.conf:3: argon2_m must be at least 8 KiB per lane (argon2_p)"},
	{"argon2_m = 63", "bad.conf:1: argon2_m: must be a whole number from 64 to 4194304"},
	{"db_socket =\n# no host\n", "bad.conf:1: either db_socket or db_host must be set"},
	{"log_level = bogus", "bad.conf:1: log_level: must be error, warn, info or debug"},
	{"log_level = INFO", "bad.conf:1: log_level: must be error, warn, info or debug"},
	{"development = maybe", "bad.conf:1: development: must be yes or no"},
	{"development =", "bad.conf:1: development: must be yes or no"},
	{"trusted_proxies = 10.0.0.1 proxy.example.org",
	    "bad.conf:1: trusted_proxies: holds something that is not an IP address or a range ADDRESS/BITS"},
	{"trusted_proxies = 10.0.0.0/33",
	    "bad.conf:1: trusted_proxies: holds something that is not an IP address or a range ADDRESS/BITS"},
	{"trusted_proxies = 2001:db8::/129",
	    "bad.conf:1: trusted_proxies: holds something that is not an IP address or a range ADDRESS/BITS"},
	{"trusted_proxies = 10.0.0.0/",
	    "bad.conf:1: trusted_proxies: holds something that is not an IP address or a range ADDRESS/BITS"},
	{"trusted_proxies = 10.0.0.0/-1",
	    "bad.conf:1: trusted_proxies: holds something that is not an IP address or a range ADDRESS/BITS"},
	{"trusted_proxies = ::1 ::2 ::3 ::4 ::5 ::6 ::7 ::8 ::9 ::a ::b ::c ::d ::e ::f "
	 "::10 ::11",
	    "bad.conf:1: trusted_proxies: lists too many addresses"},
	{"db_name = my-db", "bad.conf:1: db_name: may hold only letters, digits and _"},
	{"db_name =", "bad.conf:1: db_name: must not be empty"},
	{"db_user = o'brien", "bad.conf:1: db_user: may hold only letters, digits and _"},
	{"db_name = a1234567890123456789012345678901234567890123456789012345678901234",
	    "bad.conf:1: db_name: is too long"},
	{"session_ttl = 59", "bad.conf:1: session_ttl: must be a whole number from 60 to 2678400"},
	{"db_port = 0", "bad.conf:1: db_port: must be a whole number from 1 to 65535"},
};

START_TEST(test_bad)
{
	struct config c;
	char err[256] = "";

	ck_assert_int_eq(config_load_string("bad.conf", DIR, bad_cases[_i].text, &c, err,
			     sizeof(err)),
	    OST_ERR_CONFIG);
	ck_assert_str_eq(err, bad_cases[_i].msg);
}
END_TEST

START_TEST(test_long_line)
{
	struct config c;
	char err[256] = "", *text = malloc(5000);

	ck_assert_ptr_nonnull(text);
	memcpy(text, "workers = 2\ndb_host = ", 22);
	memset(text + 22, 'h', 4000);
	text[4022] = '\0';
	ck_assert_int_eq(config_load_string("bad.conf", DIR, text, &c, err, sizeof(err)),
	    OST_ERR_CONFIG);
	ck_assert_str_eq(err, "bad.conf:2: the line is too long");
	/* Too long for its field, not for a line. */
	text[22 + 300] = '\0';
	ck_assert_int_eq(config_load_string("bad.conf", DIR, text, &c, err, sizeof(err)),
	    OST_ERR_CONFIG);
	ck_assert_str_eq(err, "bad.conf:2: db_host: is too long");
	free(text);
}
END_TEST

START_TEST(test_small_errbuf)
{
	struct config c;
	char err[8];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(config_load_string("bad.conf", DIR, "nope", &c, err, sizeof(err)),
	    OST_ERR_CONFIG);
	ck_assert_str_eq(err, "bad.con"); /* truncated, still terminated */
}
END_TEST

/* Relative paths are resolved against DIR; absolute and empty ones are not. */
static const struct {
	const char *dir;
	const char *value;
	const char *path;
} path_cases[] = {
	{"/etc/ostium", "pepper", "/etc/ostium/pepper"},
	{"/etc/ostium", "../keys/pepper", "/etc/ostium/../keys/pepper"},
	{"/etc/ostium", "/var/lib/pepper", "/var/lib/pepper"},
	{"/etc/ostium", "", ""},
	{".", "pepper", "./pepper"},
	{"", "pepper", "pepper"},
	{NULL, "pepper", "pepper"},
};

START_TEST(test_paths)
{
	struct config c;
	char text[256], err[256] = "";

	snprintf(text, sizeof(text), "pepper_file = %s\n", path_cases[_i].value);
	ck_assert_int_eq(config_load_string("p.conf", path_cases[_i].dir, text, &c, err,
			     sizeof(err)),
	    OST_OK);
	ck_assert_str_eq(c.pepper_file, path_cases[_i].path);
}
END_TEST

static const struct {
	const char *addr;
	int trusted;
} proxy_cases[] = {
	{"10.0.0.1", 1},
	{"::1", 1},
	{"192.168.1.2", 1},
	{"10.0.0.2", 0},
	{"10.0.0.10", 0},
	{"10.0.0.", 0},
	{"", 0},
	{"-", 0},
	{"127.0.0.1", 0},
	/* the same addresses spelt otherwise */
	{"0:0:0:0:0:0:0:1", 1},
	{"::ffff:10.0.0.1", 1},
	{"::ffff:192.168.1.2", 1},
	/* in the ranges */
	{"172.16.0.1", 1},
	{"172.31.255.255", 1},
	{"172.32.0.0", 0},
	{"2001:db8:1::9", 1},
	{"2001:DB8:1:0::10", 1},
	{"2001:db8:2::1", 0},
};

START_TEST(test_trusted_proxy)
{
	struct config c;
	char err[256] = "";

	ck_assert_int_eq(config_load_string("t.conf", DIR,
			     "trusted_proxies = 10.0.0.1 ::1 192.168.1.2 172.16.0.0/12 2001:db8:1::/48",
			     &c, err,
			     sizeof(err)),
	    OST_OK);
	ck_assert_int_eq(config_is_trusted_proxy(&c, proxy_cases[_i].addr),
	    proxy_cases[_i].trusted);
	/* Without the key nothing is trusted. */
	config_defaults(&c);
	ck_assert_int_eq(config_is_trusted_proxy(&c, proxy_cases[_i].addr), 0);
}
END_TEST

START_TEST(test_load_missing)
{
	struct config c;
	char err[512] = "";

	ck_assert_int_eq(config_load("/nonexistent/ostium-test/ostium.conf", &c, err,
			     sizeof(err)),
	    OST_ERR_IO);
	ck_assert_msg(strncmp(err, "/nonexistent/ostium-test/ostium.conf:", 37) == 0, "%s",
	    err);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
}
END_TEST

/* A scratch directory holding one file, removed by the test. */
static char conf_dir[64];
static char conf_path[128];

static void
write_conf(const void *text, size_t n)
{
	FILE *f;

	snprintf(conf_dir, sizeof(conf_dir), "/tmp/ostium-config-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(conf_dir));
	snprintf(conf_path, sizeof(conf_path), "%s/ostium.conf", conf_dir);
	f = fopen(conf_path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static void
remove_conf(void)
{
	unlink(conf_path);
	rmdir(conf_dir);
}

START_TEST(test_load_file)
{
	static const char text[] = "workers = 3\npepper_file = pepper\n"
	                           "key_file = /etc/ostium/keys\n";
	struct config c;
	char err[512] = "", want[256];
	enum ost_err r;

	write_conf(text, sizeof(text) - 1);
	r = config_load(conf_path, &c, err, sizeof(err));
	remove_conf();
	ck_assert_msg(r == OST_OK, "%s", err);
	ck_assert_str_eq(c.path, conf_path);
	ck_assert_uint_eq(c.workers, 3);
	snprintf(want, sizeof(want), "%s/pepper", conf_dir);
	ck_assert_str_eq(c.pepper_file, want);
	ck_assert_str_eq(c.key_file, "/etc/ostium/keys");
}
END_TEST

START_TEST(test_load_file_bad)
{
	static const char text[] = "workers = 3\nworkers = 4\n";
	struct config c;
	char err[512] = "", want[256];
	enum ost_err r;

	write_conf(text, sizeof(text) - 1);
	r = config_load(conf_path, &c, err, sizeof(err));
	remove_conf();
	ck_assert_int_eq(r, OST_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s:2: workers: this key is set twice", conf_path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_load_file_nul)
{
	static const char text[] = "workers = 3\0\nworkers = 4\n";
	struct config c;
	char err[512] = "", want[256];
	enum ost_err r;

	write_conf(text, sizeof(text) - 1);
	r = config_load(conf_path, &c, err, sizeof(err));
	remove_conf();
	ck_assert_int_eq(r, OST_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s:0: the file holds a NUL byte", conf_path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_load_file_huge)
{
	size_t n = 64 * 1024 + 1;
	char *text = malloc(n), err[512] = "", want[256];
	struct config c;
	enum ost_err r;

	ck_assert_ptr_nonnull(text);
	memset(text, '\n', n);
	write_conf(text, n);
	free(text);
	r = config_load(conf_path, &c, err, sizeof(err));
	remove_conf();
	ck_assert_int_eq(r, OST_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s:0: the file is larger than 64 KiB", conf_path);
	ck_assert_str_eq(err, want);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("string");
	tcase_add_test(tc, test_good_file);
	tcase_add_test(tc, test_empty_file);
	tcase_add_loop_test(tc, test_ok, 0, NELEM(ok_cases));
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad_cases));
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_small_errbuf);
	tcase_add_loop_test(tc, test_paths, 0, NELEM(path_cases));
	tcase_add_loop_test(tc, test_trusted_proxy, 0, NELEM(proxy_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_test(tc, test_load_missing);
	tcase_add_test(tc, test_load_file);
	tcase_add_test(tc, test_load_file_bad);
	tcase_add_test(tc, test_load_file_nul);
	tcase_add_test(tc, test_load_file_huge);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
