/* outbound.c - every HTTP call Ostium makes to the outside world, through
 * libcurl, under the rules of outbound.h */
#include "outbound/outbound.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/addr.h"
#include "crypto/crypto.h"
#include "version.h"

/* Ranges no call reaches outside development mode, unless allowed. IPv4
 * ranges also cover their IPv4-mapped IPv6 form (addr_parse maps both to
 * the same bytes). */
static const struct {
	const char *range;
	const char *why;
} refused[] = {
	{"0.0.0.0/8", "an unspecified (0.0.0.0/8) address"},
	{"10.0.0.0/8", "a private (10.0.0.0/8) address"},
	{"100.64.0.0/10", "a shared (100.64.0.0/10) address"},
	{"127.0.0.0/8", "a loopback (127.0.0.0/8) address"},
	{"169.254.0.0/16", "a link-local (169.254.0.0/16) address"},
	{"172.16.0.0/12", "a private (172.16.0.0/12) address"},
	{"192.0.0.0/24", "a reserved (192.0.0.0/24) address"},
	{"192.0.2.0/24", "a documentation (192.0.2.0/24) address"},
	{"192.88.99.0/24", "a relay (192.88.99.0/24) address"},
	{"192.168.0.0/16", "a private (192.168.0.0/16) address"},
	{"198.18.0.0/15", "a benchmarking (198.18.0.0/15) address"},
	{"198.51.100.0/24", "a documentation (198.51.100.0/24) address"},
	{"203.0.113.0/24", "a documentation (203.0.113.0/24) address"},
	{"224.0.0.0/4", "a multicast (224.0.0.0/4) address"},
	{"240.0.0.0/4", "a reserved (240.0.0.0/4) address"},
	{"::/128", "the unspecified address ::"},
	{"::1/128", "the loopback address ::1"},
	{"::/96", "an IPv4-compatible (::/96) address"},
	{"64:ff9b:1::/48", "a local NAT64 (64:ff9b:1::/48) address"},
	{"100::/64", "a discard (100::/64) address"},
	{"2001::/23", "an IETF protocol (2001::/23) address"},
	{"2001:db8::/32", "a documentation (2001:db8::/32) address"},
	{"fc00::/7", "a unique local (fc00::/7) address"},
	{"fe80::/10", "a link-local (fe80::/10) address"},
	{"fec0::/10", "a site-local (fec0::/10) address"},
	{"ff00::/8", "a multicast (ff00::/8) address"},
};
#define NREFUSED (sizeof(refused) / sizeof(refused[0]))

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

void
outbound_rules_of(const struct config *cfg, struct outbound_rules *rules)
{
	unsigned total = cfg->outbound_timeout * 1000;

	*rules = (struct outbound_rules){
	    .development = cfg->development,
	    .allow = (const char (*)[CONFIG_RANGE_MAX])cfg->outbound_allow,
	    .nallow = cfg->noutbound_allow,
	    .proxy = cfg->outbound_proxy,
	    .connect_timeout_ms = total < OUTBOUND_CONNECT_MAX_MS ? total : OUTBOUND_CONNECT_MAX_MS,
	    .timeout_ms = total,
	    .max_bytes = OUTBOUND_BODY_MAX,
	};
}

/* Is IP in one of the refused ranges? *WHY names it. */
static int
in_refused(const uint8_t ip[16], const char **why)
{
	size_t i;

	for (i = 0; i < NREFUSED; i++)
		if (addr_in_range(refused[i].range, ip)) {
			*why = refused[i].why;
			return 1;
		}
	return 0;
}

/* The IPv4 address an IPv6 address carries in a translated form (NAT64
 * 64:ff9b::/96, 6to4 2002::/16) into V4 as IPv4-mapped; 0 when none. */
static int
embedded_v4(const uint8_t ip[16], uint8_t v4[16])
{
	memcpy(v4, v4_mapped, sizeof(v4_mapped));
	if (addr_in_range("64:ff9b::/96", ip)) {
		memcpy(v4 + 12, ip + 12, 4);
		return 1;
	}
	if (addr_in_range("2002::/16", ip)) {
		memcpy(v4 + 12, ip + 2, 4);
		return 1;
	}
	return 0;
}

int
outbound_address_allowed(const struct outbound_rules *rules, const uint8_t ip[16], int plain,
    const char **why)
{
	uint8_t inner[16];
	size_t i;

	*why = NULL;
	if (plain) {
		if (rules->development && (addr_in_range("127.0.0.0/8", ip) || addr_in_range("::1", ip)))
			return 1;
		*why = "plain http, which goes only to a loopback address in development mode";
		return 0;
	}
	if (rules->development)
		return 1;
	for (i = 0; i < rules->nallow; i++)
		if (addr_in_range(rules->allow[i], ip))
			return 1;
	if (in_refused(ip, why))
		return 0;
	if (embedded_v4(ip, inner) && in_refused(inner, why))
		return 0;
	return 1;
}

/* The 16 bytes of the socket address SA (IPv4 as IPv4-mapped); 0 when it
 * is neither IPv4 nor IPv6. */
static int
sockaddr_bytes(const struct sockaddr *sa, uint8_t ip[16])
{
	if (sa->sa_family == AF_INET) {
		memcpy(ip, v4_mapped, sizeof(v4_mapped));
		memcpy(ip + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return 1;
	}
	if (sa->sa_family == AF_INET6) {
		memcpy(ip, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		return 1;
	}
	return 0;
}

/* Is HOST (as libcurl's URL parser gives it: an IPv6 address in brackets)
 * a loopback name? */
static int
loopback_host(const char *host)
{
	uint8_t ip[16];
	char text[64];
	size_t n = strlen(host);
	int v4;

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof(text)) {
		memcpy(text, host + 1, n - 2);
		text[n - 2] = '\0';
		host = text;
	}
	return addr_parse(host, ip, &v4) &&
	    (addr_in_range("127.0.0.0/8", ip) || addr_in_range("::1", ip));
}

static const char *
say(char *msg, size_t msgsz, const char *text)
{
	snprintf(msg, msgsz, "%s", text);
	return msg;
}

/* Has the parsed URL H the part PART? */
static int
has_part(CURLU *h, CURLUPart part)
{
	char *v = NULL;
	int has = curl_url_get(h, part, &v, 0) == CURLUE_OK && v && *v;

	curl_free(v);
	return has;
}

/* The check of outbound_url_check on the parsed URL H; *PLAIN set for http. */
static const char *
url_rules(int development, CURLU *h, int *plain, char *msg, size_t msgsz)
{
	char *scheme = NULL, *host = NULL;
	const char *why = NULL;

	*plain = 0;
	if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) || !host || !*host)
		why = "must be an absolute URL with a host, such as https://example.org/path";
	else if (has_part(h, CURLUPART_USER) || has_part(h, CURLUPART_PASSWORD))
		why = "must not hold a user name or a password";
	else if (has_part(h, CURLUPART_FRAGMENT))
		why = "must not have a fragment (#...)";
	else if (strcasecmp(scheme, "http") == 0) {
		*plain = 1;
		if (!development || !loopback_host(host))
			why = development ? "must use https (plain http only to 127.0.0.1, [::1] or "
			                    "localhost)"
			                  : "must use https";
	} else if (strcasecmp(scheme, "https") != 0)
		why = "must use https";
	curl_free(scheme);
	curl_free(host);
	return why ? say(msg, msgsz, why) : NULL;
}

/* Parse URL into *H (curl_url_cleanup it) and check it. */
static const char *
url_parse_check(int development, const char *url, CURLU **h, int *plain, char *msg,
    size_t msgsz)
{
	size_t i, n = strlen(url);

	*h = NULL;
	*plain = 0;
	if (n == 0 || n > OUTBOUND_URL_MAX)
		return say(msg, msgsz, "must be a URL of at most 2048 characters");
	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f)
			return say(msg, msgsz, "must not hold spaces, control or non-ASCII characters");
	/* libcurl reads "https:///x" as the host x: a URL we keep says its host */
	if (!((strncasecmp(url, "https://", 8) == 0 && url[8] && url[8] != '/') ||
	        (strncasecmp(url, "http://", 7) == 0 && url[7] && url[7] != '/')))
		return say(msg, msgsz, "must be an absolute URL such as https://example.org/path");
	if (!(*h = curl_url()))
		return say(msg, msgsz, "could not be read (no memory)");
	if (curl_url_set(*h, CURLUPART_URL, url, 0) != CURLUE_OK)
		return say(msg, msgsz, "must be an absolute URL such as https://example.org/path");
	return url_rules(development, *h, plain, msg, msgsz);
}

const char *
outbound_url_check(int development, const char *url, char *msg, size_t msgsz)
{
	CURLU *h = NULL;
	int plain;
	const char *why = url_parse_check(development, url, &h, &plain, msg, msgsz);

	curl_url_cleanup(h);
	return why;
}

/* What one call's callbacks share. */
struct call {
	const struct outbound_rules *rules;
	struct outbound_answer *ans;
	int plain;              /* over plain http */
	int refused;            /* an address was refused */
	const char *refused_why;
	int too_large;          /* the answer passed a bound */
	size_t header_bytes;
};

/* CURLOPT_OPENSOCKETFUNCTION: check the address libcurl is about to
 * connect to, and open the socket only when it is allowed; the
 * connection then goes to that very address. */
static curl_socket_t
open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct call *c = clientp;
	uint8_t ip[16];
	const char *why = "an address that is not IPv4 or IPv6";

	(void)purpose;
	if (c->rules->proxy[0]) /* the target was checked before; this is the proxy */
		return socket(a->family, a->socktype, a->protocol);
	if (sockaddr_bytes(&a->addr, ip) && outbound_address_allowed(c->rules, ip, c->plain, &why))
		return socket(a->family, a->socktype, a->protocol);
	c->refused = 1;
	c->refused_why = why;
	return CURL_SOCKET_BAD;
}

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	struct call *c = ud;
	size_t len = size * n;

	if (c->ans->body.len + len > c->rules->max_bytes || buf_add(&c->ans->body, p, len)) {
		c->too_large = 1;
		return 0; /* stops the transfer */
	}
	return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct call *c = ud;
	size_t len = size * n;

	(void)p;
	c->header_bytes += len;
	if (c->header_bytes > OUTBOUND_HEADERS_MAX) {
		c->too_large = 1;
		return 0;
	}
	return len;
}

/* Through a proxy: resolve the target's HOST and refuse the call when any
 * of its addresses is refused. */
static int
precheck_host(struct call *c, CURLU *h)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL, *ai;
	char *host = NULL, name[256];
	uint8_t ip[16];
	size_t n;
	int ok = 1;

	if (curl_url_get(h, CURLUPART_HOST, &host, 0) || !host)
		return 0;
	n = strlen(host);
	if (host[0] == '[' && n > 2)
		snprintf(name, sizeof(name), "%.*s", (int)(n - 2), host + 1);
	else
		snprintf(name, sizeof(name), "%s", host);
	curl_free(host);
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return 1; /* the proxy says whether the name exists */
	for (ai = res; ai && ok; ai = ai->ai_next)
		if (!sockaddr_bytes(ai->ai_addr, ip) ||
		    !outbound_address_allowed(c->rules, ip, c->plain, &c->refused_why))
			ok = 0;
	freeaddrinfo(res);
	c->refused = !ok;
	return ok;
}

/* Libcurl is initialised once per process, at its first call. */
static OST_MUST_CHECK enum ost_err
global_init(void)
{
	static int done;

	if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return OST_ERR_INTERNAL;
	done = 1;
	return OST_OK;
}

/* The header list of REQ; NULL on no memory. */
static struct curl_slist *
headers_of(const struct outbound_request *req)
{
	char line[OUTBOUND_URL_MAX + 64];
	struct curl_slist *l = NULL, *next;
	const char *names[3] = {"Content-Type", "Accept", "Authorization"};
	const char *values[3] = {req->content_type, req->accept, req->authorization};
	size_t i;

	if (!(l = curl_slist_append(NULL, "Expect:")))
		return NULL;
	for (i = 0; i < 3; i++) {
		if (!values[i])
			continue;
		snprintf(line, sizeof(line), "%s: %s", names[i], values[i]);
		next = curl_slist_append(l, line);
		crypto_wipe(line, sizeof(line));
		if (!next) {
			curl_slist_free_all(l);
			return NULL;
		}
		l = next;
	}
	for (i = 0; req->headers && req->headers[i]; i++) {
		if (!(next = curl_slist_append(l, req->headers[i]))) {
			curl_slist_free_all(l);
			return NULL;
		}
		l = next;
	}
	return l;
}

/* Free header list L, wiping its values first (an Authorization header). */
static void
headers_free(struct curl_slist *l)
{
	struct curl_slist *p;

	for (p = l; p; p = p->next)
		crypto_wipe(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

/* Set every option of a call on handle E; nonzero when one is refused. */
static int
setup(CURL *e, struct call *c, CURLU *url, const struct outbound_request *req,
    struct curl_slist *headers, char *errbuf)
{
	const struct outbound_rules *r = c->rules;
	int bad = 0;

	bad |= curl_easy_setopt(e, CURLOPT_CURLU, url) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, r->development ? "http,https" : "https");
	bad |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	bad |= curl_easy_setopt(e, CURLOPT_MAXREDIRS, 0L);
	bad |= curl_easy_setopt(e, CURLOPT_PROXY, r->proxy); /* "": none, not the environment's */
	bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)r->connect_timeout_ms);
	bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)r->timeout_ms);
	bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max_bytes);
	bad |= curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	bad |= curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, c);
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
	bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, "Ostium/" OST_VERSION);
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
	if (strcmp(req->method, "POST") == 0) {
		bad |= curl_easy_setopt(e, CURLOPT_POST, 1L);
		bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	} else if (strcmp(req->method, "GET") != 0)
		bad = 1;
	return bad;
}

/* Fill ANS from the result RC of the transfer on E. */
static OST_MUST_CHECK enum ost_err
result(CURL *e, struct call *c, CURLcode rc, const char *errbuf)
{
	struct outbound_answer *ans = c->ans;
	char *type = NULL;

	if (rc == CURLE_OK) {
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &ans->status);
		if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
			snprintf(ans->content_type, sizeof(ans->content_type), "%s", type);
		ans->redirect = ans->status >= 300 && ans->status < 400;
		return OST_OK;
	}
	if (c->refused) {
		ans->fail = OUTBOUND_REFUSED_ADDRESS;
		snprintf(ans->error, sizeof(ans->error), "the host's address is %s, which Ostium does "
		    "not call%s", c->refused_why, c->rules->development ? "" : " outside development mode");
	} else if (c->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		ans->fail = OUTBOUND_TOO_LARGE;
		snprintf(ans->error, sizeof(ans->error), "the answer is larger than %zu bytes",
		    c->rules->max_bytes);
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		ans->fail = OUTBOUND_TIMEOUT;
		snprintf(ans->error, sizeof(ans->error), "no answer within %u ms", c->rules->timeout_ms);
	} else {
		ans->fail = rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT ||
		        rc == CURLE_COULDNT_RESOLVE_PROXY ? OUTBOUND_CONNECT
		    : rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION ||
		        rc == CURLE_SSL_CACERT_BADFILE ? OUTBOUND_TLS
		    : rc == CURLE_UNSUPPORTED_PROTOCOL ? OUTBOUND_BAD_URL : OUTBOUND_ERROR;
		snprintf(ans->error, sizeof(ans->error), "%.60s%s%.130s", curl_easy_strerror(rc),
		    *errbuf ? ": " : "", errbuf);
	}
	return OST_ERR_IO;
}

/* The transfer of REQ, its URL parsed into H, under C's rules. */
static OST_MUST_CHECK enum ost_err
perform(struct call *c, CURLU *h, const struct outbound_request *req)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = headers_of(req);
	CURL *e = headers ? curl_easy_init() : NULL;
	enum ost_err err = OST_ERR_NOMEM;

	if (e && setup(e, c, h, req, headers, errbuf)) {
		c->ans->fail = OUTBOUND_ERROR;
		snprintf(c->ans->error, sizeof(c->ans->error), "libcurl refused an option");
		err = OST_ERR_INTERNAL;
	} else if (e)
		err = result(e, c, curl_easy_perform(e), errbuf);
	if (e)
		curl_easy_cleanup(e);
	headers_free(headers);
	return err;
}

enum ost_err
outbound_call(const struct outbound_rules *rules, const struct outbound_request *req,
    struct outbound_answer *ans)
{
	struct call c = {.rules = rules, .ans = ans};
	const char *why;
	CURLU *h = NULL;
	enum ost_err err;

	memset(ans, 0, sizeof(*ans));
	buf_init(&ans->body, rules->max_bytes + 1);
	if ((err = global_init()))
		return err;
	why = url_parse_check(rules->development, req->url, &h, &c.plain, ans->error,
	    sizeof(ans->error));
	if (why) {
		ans->fail = OUTBOUND_BAD_URL;
		curl_url_cleanup(h);
		return OST_ERR_IO;
	}
	if (rules->proxy[0] && !precheck_host(&c, h)) {
		ans->fail = OUTBOUND_REFUSED_ADDRESS;
		snprintf(ans->error, sizeof(ans->error), "the host's address is %s, which Ostium does "
		    "not call", c.refused_why ? c.refused_why : "not readable");
		curl_url_cleanup(h);
		return OST_ERR_IO;
	}
	err = perform(&c, h, req);
	curl_url_cleanup(h);
	if (!err && !ans->body.p && (err = buf_add(&ans->body, "", 0)))
		return err;
	return err;
}

void
outbound_answer_free(struct outbound_answer *ans)
{
	if (ans->body.p)
		crypto_wipe(ans->body.p, ans->body.len);
	buf_free(&ans->body);
}
