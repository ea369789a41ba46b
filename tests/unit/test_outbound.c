/* test_outbound.c - Check suite for outbound: which addresses and URLs a
 * call may reach, and calls to small loopback servers forked here: a
 * redirect is not followed, a silent server is bounded by the time-out, a
 * large answer by the size limit, a refused address is never connected to */
#include "outbound/outbound.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/addr.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char allow_ten[1][CONFIG_RANGE_MAX] = {"10.0.0.0/8"};

/* Rules for the tests: DEV for development mode, the 10/8 range allowed
 * when ALLOW. */
static struct outbound_rules
rules(int dev, int allow)
{
	return (struct outbound_rules){.development = dev, .allow = allow_ten,
	    .nallow = allow ? 1 : 0, .proxy = "", .connect_timeout_ms = 2000, .timeout_ms = 1500,
	    .max_bytes = 64 * 1024};
}

/* Whether ADDR may be reached under (DEV, ALLOW) over https or plain http. */
static const struct {
	const char *addr;
	int dev, allow, plain, ok;
} address_cases[] = {
	{"8.8.8.8", 0, 0, 0, 1},
	{"172.32.0.1", 0, 0, 0, 1},
	{"2001:4860:4860::8888", 0, 0, 0, 1},
	{"::ffff:8.8.8.8", 0, 0, 0, 1},
	{"64:ff9b::8.8.8.8", 0, 0, 0, 1},
	{"2002:808:808::1", 0, 0, 0, 1},
	{"127.0.0.1", 0, 0, 0, 0},
	{"127.1.2.3", 0, 0, 0, 0},
	{"10.1.2.3", 0, 0, 0, 0},
	{"172.16.5.4", 0, 0, 0, 0},
	{"192.168.1.1", 0, 0, 0, 0},
	{"169.254.169.254", 0, 0, 0, 0},
	{"100.64.0.1", 0, 0, 0, 0},
	{"0.0.0.0", 0, 0, 0, 0},
	{"224.0.0.1", 0, 0, 0, 0},
	{"255.255.255.255", 0, 0, 0, 0},
	{"::1", 0, 0, 0, 0},
	{"::", 0, 0, 0, 0},
	{"::ffff:127.0.0.1", 0, 0, 0, 0},    /* IPv4-mapped */
	{"::ffff:a9fe:a9fe", 0, 0, 0, 0},    /* 169.254.169.254, mapped, in hex */
	{"::127.0.0.1", 0, 0, 0, 0},         /* IPv4-compatible */
	{"64:ff9b::10.0.0.1", 0, 0, 0, 0},   /* NAT64 of a private address */
	{"2002:a00:1::1", 0, 0, 0, 0},       /* 6to4 of 10.0.0.1 */
	{"2001:0::1", 0, 0, 0, 0},           /* Teredo */
	{"fe80::1", 0, 0, 0, 0},
	{"fc00::1", 0, 0, 0, 0},
	{"fd12:3456::1", 0, 0, 0, 0},
	{"ff02::1", 0, 0, 0, 0},
	{"10.1.2.3", 0, 1, 0, 1},            /* an allowed range */
	{"::ffff:10.1.2.3", 0, 1, 0, 1},
	{"192.168.1.1", 0, 1, 0, 0},
	{"10.1.2.3", 1, 0, 0, 1},            /* development mode */
	{"127.0.0.1", 1, 0, 0, 1},
	{"127.0.0.1", 1, 0, 1, 1},           /* plain http: loopback only */
	{"::1", 1, 0, 1, 1},
	{"10.1.2.3", 1, 0, 1, 0},
	{"8.8.8.8", 1, 0, 1, 0},
	{"127.0.0.1", 0, 0, 1, 0},           /* never outside development mode */
};

START_TEST(test_address)
{
	struct outbound_rules r = rules(address_cases[_i].dev, address_cases[_i].allow);
	const char *why = NULL;
	uint8_t ip[16];
	int v4, ok;

	ck_assert_msg(addr_parse(address_cases[_i].addr, ip, &v4), "%s", address_cases[_i].addr);
	ok = outbound_address_allowed(&r, ip, address_cases[_i].plain, &why);
	ck_assert_msg(ok == address_cases[_i].ok, "%s (dev %d, allow %d, plain %d): %d",
	    address_cases[_i].addr, address_cases[_i].dev, address_cases[_i].allow,
	    address_cases[_i].plain, ok);
	ck_assert(ok || (why && *why));
}
END_TEST

/* Whether URL may be called in development mode (DEV) or not. */
static const struct {
	const char *url;
	int dev, ok;
} url_cases[] = {
	{"https://example.org/token", 0, 1},
	{"https://example.org:8443/oauth/token?x=1", 0, 1},
	{"https://[2001:db8::1]/token", 0, 1},
	{"http://example.org/token", 0, 0},
	{"http://127.0.0.1:8080/token", 0, 0},
	{"https://user:pw@example.org/token", 0, 0},
	{"https://example.org/token#part", 0, 0},
	{"ftp://example.org/token", 0, 0},
	{"example.org/token", 0, 0},
	{"https:///token", 0, 0},
	{"", 0, 0},
	{"https://exa mple.org/", 0, 0},
	{"https://example.org/\xc3\xa9", 0, 0},
	{"http://127.0.0.1:9/token", 1, 1},
	{"http://localhost/token", 1, 1},
	{"http://[::1]:80/token", 1, 1},
	{"https://10.0.0.1/token", 1, 1},
	{"http://10.0.0.1/token", 1, 0},
	{"http://example.org/token", 1, 0},
};

START_TEST(test_url)
{
	char msg[128];
	const char *why = outbound_url_check(url_cases[_i].dev, url_cases[_i].url, msg, sizeof(msg));

	ck_assert_msg((why == NULL) == url_cases[_i].ok, "%s: %s", url_cases[_i].url,
	    why ? why : "accepted");
}
END_TEST

START_TEST(test_url_too_long)
{
	char url[OUTBOUND_URL_MAX + 32], msg[128];

	snprintf(url, sizeof(url), "https://example.org/");
	memset(url + strlen(url), 'a', OUTBOUND_URL_MAX);
	url[OUTBOUND_URL_MAX + 1] = '\0';
	ck_assert_ptr_nonnull(outbound_url_check(0, url, msg, sizeof(msg)));
}
END_TEST

/* ---- loopback servers ---- */

/* A listening socket on 127.0.0.1 (any port); *PORT gets its port. */
static int
listener(int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t n = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &n), 0);
	*port = ntohs(a.sin_port);
	return s;
}

/* Was a connection made to the listening socket S (without waiting)? */
static int
connected(int s)
{
	int c, flags = fcntl(s, F_GETFL);

	fcntl(s, F_SETFL, flags | O_NONBLOCK);
	c = accept(s, NULL, NULL);
	if (c >= 0)
		close(c);
	return c >= 0;
}

/* Read one request (headers and a Content-Length body) from C into BUF. */
static size_t
read_request(int c, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t got;
	char *end, *cl;

	while (len + 1 < size && (got = read(c, buf + len, size - 1 - len)) > 0) {
		len += (size_t)got;
		buf[len] = '\0';
		if (!(end = strstr(buf, "\r\n\r\n")))
			continue;
		cl = strcasestr(buf, "Content-Length:");
		if (!cl || len >= (size_t)(end + 4 - buf) + strtoul(cl + 15, NULL, 10))
			break;
	}
	return len;
}

enum mode { ECHO, REDIRECT, SILENT, LARGE, LARGE_UNSIZED };

/* Serve one connection of S in a child process, by MODE; REDIRECT sends
 * the client to port TO. Returns the child's pid. */
static pid_t
serve(int s, enum mode mode, int to)
{
	static char req[8192], chunk[4096], head[256];
	pid_t pid = fork();
	size_t i, n;
	int c;

	ck_assert_int_ge(pid, 0);
	if (pid)
		return pid;
	c = accept(s, NULL, NULL);
	n = c < 0 ? 0 : read_request(c, req, sizeof(req));
	memset(chunk, 'x', sizeof(chunk));
	switch (mode) {
	case ECHO:
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n", n);
		if (write(c, head, strlen(head)) < 0 || write(c, req, n) < 0)
			_exit(1);
		break;
	case REDIRECT:
		snprintf(head, sizeof(head), "HTTP/1.1 307 Temporary Redirect\r\nLocation: "
		    "http://127.0.0.1:%d/next\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", to);
		if (write(c, head, strlen(head)) < 0)
			_exit(1);
		break;
	case SILENT:
		pause(); /* until killed */
		break;
	case LARGE:
	case LARGE_UNSIZED:
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n%s"
		    "Connection: close\r\n\r\n", mode == LARGE ? "Content-Length: 1048576\r\n" : "");
		if (write(c, head, strlen(head)) < 0)
			_exit(1);
		for (i = 0; i < 256; i++)
			if (write(c, chunk, sizeof(chunk)) < 0)
				_exit(0); /* the client hung up: as expected */
		break;
	}
	_exit(0);
}

static void
stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Call URL (printf format with one port) under R; returns the result. */
static enum ost_err
call(const struct outbound_rules *r, const char *method, const char *url,
    struct outbound_answer *ans)
{
	struct outbound_request req = {.method = method, .url = url,
	    .content_type = "application/x-www-form-urlencoded", .body = "grant_type=x&code=y",
	    .body_len = 19, .accept = "application/json", .authorization = "Basic c2VjcmV0"};

	return outbound_call(r, &req, ans);
}

START_TEST(test_call_echo)
{
	struct outbound_rules r = rules(1, 0);
	struct outbound_answer ans;
	char url[64];
	int port, s = listener(&port);
	pid_t pid = serve(s, ECHO, 0);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/token", port);
	ck_assert_int_eq(call(&r, "POST", url, &ans), OST_OK);
	ck_assert_int_eq(ans.status, 200);
	ck_assert_int_eq(ans.redirect, 0);
	ck_assert_str_eq(ans.content_type, "text/plain");
	ck_assert_ptr_nonnull(strstr(ans.body.p, "POST /token HTTP/1.1\r\n"));
	ck_assert_ptr_nonnull(strstr(ans.body.p, "\r\nAuthorization: Basic c2VjcmV0\r\n"));
	ck_assert_ptr_nonnull(strstr(ans.body.p, "\r\nAccept: application/json\r\n"));
	ck_assert_ptr_null(strcasestr(ans.body.p, "Expect:"));
	ck_assert_ptr_nonnull(strstr(ans.body.p, "\r\n\r\ngrant_type=x&code=y"));
	outbound_answer_free(&ans);
	stop(pid);
	close(s);
}
END_TEST

START_TEST(test_call_redirect_not_followed)
{
	struct outbound_rules r = rules(1, 0);
	struct outbound_answer ans;
	char url[64];
	int port, next_port, s = listener(&port), next = listener(&next_port);
	pid_t pid = serve(s, REDIRECT, next_port);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/token", port);
	ck_assert_int_eq(call(&r, "POST", url, &ans), OST_OK);
	ck_assert_int_eq(ans.status, 307);
	ck_assert_int_eq(ans.redirect, 1);
	outbound_answer_free(&ans);
	stop(pid);
	ck_assert_msg(!connected(next), "the redirect was followed");
	close(s);
	close(next);
}
END_TEST

START_TEST(test_call_silent_times_out)
{
	struct outbound_rules r = rules(1, 0);
	struct outbound_answer ans;
	char url[64];
	int port, s = listener(&port);
	pid_t pid = serve(s, SILENT, 0);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/token", port);
	ck_assert_int_eq(call(&r, "POST", url, &ans), OST_ERR_IO);
	ck_assert_int_eq(ans.fail, OUTBOUND_TIMEOUT);
	ck_assert_int_eq(ans.status, 0);
	outbound_answer_free(&ans);
	stop(pid);
	close(s);
}
END_TEST

START_TEST(test_call_large_bounded)
{
	struct outbound_rules r = rules(1, 0);
	struct outbound_answer ans;
	char url[64];
	int port, s = listener(&port);
	pid_t pid = serve(s, _i ? LARGE_UNSIZED : LARGE, 0);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/token", port);
	ck_assert_int_eq(call(&r, "GET", url, &ans), OST_ERR_IO);
	ck_assert_int_eq(ans.fail, OUTBOUND_TOO_LARGE);
	ck_assert_uint_le(ans.body.len, r.max_bytes);
	outbound_answer_free(&ans);
	stop(pid);
	close(s);
}
END_TEST

/* Spellings of loopback, each refused outside development mode before any
 * connection is made (the port follows). */
static const char *const refused_hosts[] = {
	"127.0.0.1",
	"localhost",
	"[::ffff:127.0.0.1]",
	"0x7f.0.0.1",
	"2130706433",
	"017700000001",
	"127.1",
};

START_TEST(test_call_refused_address)
{
	struct outbound_rules r = rules(0, 0);
	struct outbound_answer ans;
	char url[96];
	int port, s = listener(&port);
	enum ost_err err;

	snprintf(url, sizeof(url), "https://%s:%d/token", refused_hosts[_i], port);
	err = call(&r, "POST", url, &ans);
	ck_assert_int_eq(err, OST_ERR_IO);
	ck_assert_msg(ans.fail == OUTBOUND_REFUSED_ADDRESS || ans.fail == OUTBOUND_BAD_URL,
	    "%s: %d %s", url, ans.fail, ans.error);
	outbound_answer_free(&ans);
	ck_assert_msg(!connected(s), "%s: a connection was made", url);
	close(s);
}
END_TEST

/* An operator's range lets the call connect (the TLS handshake then fails
 * or times out against a server that says nothing). */
START_TEST(test_call_allowed_range)
{
	static const char allow[1][CONFIG_RANGE_MAX] = {"127.0.0.0/8"};
	struct outbound_rules r = rules(0, 0);
	struct outbound_answer ans;
	char url[64];
	int port, s = listener(&port);

	r.allow = allow;
	r.nallow = 1;
	r.timeout_ms = 500;
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/token", port);
	ck_assert_int_eq(call(&r, "POST", url, &ans), OST_ERR_IO);
	ck_assert_int_ne(ans.fail, OUTBOUND_REFUSED_ADDRESS);
	outbound_answer_free(&ans);
	ck_assert(connected(s));
	close(s);
}
END_TEST

START_TEST(test_call_bad_url)
{
	struct outbound_rules r = rules(0, 0);
	struct outbound_answer ans;

	ck_assert_int_eq(call(&r, "POST", "http://example.org/token", &ans), OST_ERR_IO);
	ck_assert_int_eq(ans.fail, OUTBOUND_BAD_URL);
	ck_assert_str_ne(ans.error, "");
	outbound_answer_free(&ans);
}
END_TEST

static Suite *
outbound_suite(void)
{
	Suite *s = suite_create("outbound");
	TCase *rules_tc = tcase_create("rules"), *calls = tcase_create("calls");

	tcase_add_loop_test(rules_tc, test_address, 0, NELEM(address_cases));
	tcase_add_loop_test(rules_tc, test_url, 0, NELEM(url_cases));
	tcase_add_test(rules_tc, test_url_too_long);
	tcase_add_test(calls, test_call_echo);
	tcase_add_test(calls, test_call_redirect_not_followed);
	tcase_add_test(calls, test_call_silent_times_out);
	tcase_add_loop_test(calls, test_call_large_bounded, 0, 2);
	tcase_add_loop_test(calls, test_call_refused_address, 0, NELEM(refused_hosts));
	tcase_add_test(calls, test_call_allowed_range);
	tcase_add_test(calls, test_call_bad_url);
	suite_add_tcase(s, rules_tc);
	suite_add_tcase(s, calls);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(outbound_suite());
	int failed;

	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
