/* app_rules.c - the rules of an application's identity sheet: URLs,
 * origins, redirect URIs, addresses, permissions, capabilities, display,
 * properties and keys */
#include "valid/app_rules.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crypto/pem.h"
#include "valid/valid.h"

const char *const app_permissions_known[] = {
	"SEND_MESSAGES", "GET_USER_CONNECTIONS", "REQUEST_USER_CONNECTIONS", "SET_PRESENCE",
	"GET_PRESENCE", "GET_BASIC_USER_INFO", "GET_EXTENDED_USER_INFO", "GET_BASIC_CONTACT_INFO",
	"GET_EXTENDED_CONTACT_INFO", "ACT_AS_USER", "MANAGE_SIGNALS", "MANAGE_USER_FOLLOWING",
	"TRUST_APP", NULL};
const char *const app_capability_resources[] = {"connections", "users", "companies", NULL};
const char *const app_display_keys[] = {"chat_button", "app_list_entry", "configuration_entry",
	"label", NULL};

#define PERMISSION_MAX 64

/* Write a sentence into MSG and return it. */
static const char *
say(char *msg, size_t msgsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static const char *
say(char *msg, size_t msgsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msgsz, fmt, ap);
	va_end(ap);
	valid_utf8_repair(msg); /* a quote ("%.100s") may end inside a character */
	return msg;
}

static int
listed(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* ---------------------------------------------------------------------
 * URLs: scheme://host[:port][path][?query][#fragment], ASCII only */

struct url {
	char scheme[8];   /* lower-case as written; "" when longer */
	const char *host; /* without brackets */
	size_t hostlen;
	const char *rest; /* from the first '/', '?' or '#' on; "" when none */
};

/* Is HOST (N bytes) a DNS name of letters, digits, '-' and '.' labels? */
static int
host_ok(const char *host, size_t n)
{
	size_t i, label = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		if (host[i] == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (is_alpha(host[i]) || is_digit(host[i]) || host[i] == '-') {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return label > 0;
}

/* Is [P, END) a port number 1-65535? */
static int
port_ok(const char *p, const char *end)
{
	long port = 0;

	if (p == end || end - p > 5)
		return 0;
	for (; p < end; p++) {
		if (!is_digit(*p))
			return 0;
		port = port * 10 + (*p - '0');
	}
	return port >= 1 && port <= 65535;
}

/* Is every character of S one a URL may hold unescaped? */
static int
rest_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("\"<>\\^`{|}", *s))
			return 0;
	return 1;
}

/* Split the authority [AUTH, END) into U's host; 0 when it is not one. */
static int
split_authority(const char *auth, const char *end, struct url *u)
{
	const char *close, *colon;
	char addr[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	size_t n;

	if (memchr(auth, '@', (size_t)(end - auth)))
		return 0; /* no user name or password in a URL we keep */
	if (*auth == '[') {
		close = memchr(auth, ']', (size_t)(end - auth));
		n = close ? (size_t)(close - auth - 1) : 0;
		if (!close || n == 0 || n >= sizeof(addr))
			return 0;
		memcpy(addr, auth + 1, n);
		addr[n] = '\0';
		if (inet_pton(AF_INET6, addr, bin) != 1)
			return 0;
		u->host = auth + 1;
		u->hostlen = n;
		return close + 1 == end || (close[1] == ':' && port_ok(close + 2, end));
	}
	colon = memchr(auth, ':', (size_t)(end - auth));
	u->host = auth;
	u->hostlen = (size_t)((colon ? colon : end) - auth);
	return host_ok(auth, u->hostlen) && (!colon || port_ok(colon + 1, end));
}

/* Split S into U; 0 when it is not an absolute URL with a host. */
static int
url_split(const char *s, struct url *u)
{
	const char *p = s, *end;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (!is_alpha(*p))
		return 0;
	while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (strncmp(p, "://", 3) != 0)
		return 0;
	n = (size_t)(p - s);
	if (n < sizeof(u->scheme)) {
		memcpy(u->scheme, s, n);
		u->scheme[n] = '\0';
	}
	p += 3;
	end = p + strcspn(p, "/?#");
	if (!split_authority(p, end, u))
		return 0;
	u->rest = end;
	return rest_ok(end);
}

static int
is_loopback(const struct url *u)
{
	return (u->hostlen == 9 && strncmp(u->host, "127.0.0.1", 9) == 0) ||
	    (u->hostlen == 3 && strncmp(u->host, "::1", 3) == 0) ||
	    (u->hostlen == 9 && strncasecmp(u->host, "localhost", 9) == 0);
}

int
app_uri_split(const char *s, struct app_uri *out)
{
	struct url u;

	memset(out, 0, sizeof(*out));
	if (!s || !url_split(s, &u))
		return 0;
	memcpy(out->scheme, u.scheme, sizeof(out->scheme));
	out->host = u.host;
	out->hostlen = u.hostlen;
	out->rest = u.rest;
	out->loopback = is_loopback(&u);
	return 1;
}

/* Is U's scheme https, or http when HTTP_OK? */
static int
scheme_ok(const struct url *u, int http_ok)
{
	return strcmp(u->scheme, "https") == 0 || (http_ok && strcmp(u->scheme, "http") == 0);
}

/* An http(s) URL rule for the field NAME. */
static const char *
url_rule(const json_t *v, char *msg, size_t msgsz, const char *name, int http_ok)
{
	struct url u;

	if (!url_split(json_string_value(v), &u))
		return say(msg, msgsz, "%s must be an absolute URL such as https://example.org/path",
		    name);
	if (!scheme_ok(&u, http_ok))
		return say(msg, msgsz, "%s must start with %s", name,
		    http_ok ? "https:// or http://" : "https://");
	return NULL;
}

const char *
app_check_icon_url(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	(void)fc;
	return url_rule(v, msg, msgsz, "icon_url", 0);
}

const char *
app_check_events_url(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	return url_rule(v, msg, msgsz, "events_url", fc->development);
}


/* Is S an origin scheme://host[:port] under the scheme rule? */
static int
origin_ok(const char *s, int http_ok)
{
	struct url u;

	return url_split(s, &u) && *u.rest == '\0' && scheme_ok(&u, http_ok);
}

/* Is S a host name (a DNS name, no scheme, port or path)? */
static int
domain_host_ok(const char *s)
{
	return host_ok(s, strlen(s));
}

const char *
app_check_domain(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);

	if (domain_host_ok(s) || origin_ok(s, fc->development))
		return NULL;
	return say(msg, msgsz, "domain must be a host name such as app.example.org, or an origin "
	    "such as %s://app.example.org[:port] without a path",
	    fc->development ? "http(s)" : "https");
}

const char *
app_domain_kind(const json_t *v)
{
	const char *s = json_string_value(v);

	if (!s)
		return NULL;
	return strstr(s, "://") ? "origin" : "host";
}

int
app_domain_allows(const char *domain, const char *origin, int development)
{
	if (!domain || !origin)
		return 0;
	if (strstr(domain, "://"))
		return strcasecmp(origin, domain) == 0;
	return (strncasecmp(origin, "https://", 8) == 0 && strcasecmp(origin + 8, domain) == 0) ||
	    (development && strncasecmp(origin, "http://", 7) == 0 &&
	        strcasecmp(origin + 7, domain) == 0);
}

const char *
app_origin_host(const char *origin, int development)
{
	const char *host = NULL;

	if (strncasecmp(origin, "https://", 8) == 0)
		host = origin + 8;
	else if (development && strncasecmp(origin, "http://", 7) == 0)
		host = origin + 7;
	return host && *host && !strchr(host, '/') ? host : "";
}


static const char *
origin_item(const json_t *v, char *msg, size_t msgsz, int http_ok)
{
	const char *s = json_string_value(v);

	if (strcmp(s, "*") == 0 || origin_ok(s, http_ok))
		return NULL;
	return say(msg, msgsz, "\"%.100s\" is not \"*\" or an origin such as "
	    "%s://app.example.org[:port]", s, http_ok ? "http(s)" : "https");
}

const char *
app_item_origin(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	return origin_item(v, msg, msgsz, fc->development);
}


/* A redirect URI: absolute, no fragment; https, or http on a loopback
 * host (any host when HTTP_OK). */
static const char *
redirect_item(const json_t *v, char *msg, size_t msgsz, int http_ok)
{
	const char *s = json_string_value(v);
	struct url u;

	if (!url_split(s, &u))
		return say(msg, msgsz, "\"%.100s\" is not an absolute URI", s);
	if (strchr(u.rest, '#'))
		return say(msg, msgsz, "\"%.100s\" must not have a fragment (#...)", s);
	if (strcmp(u.scheme, "https") == 0 ||
	    (strcmp(u.scheme, "http") == 0 && (http_ok || is_loopback(&u))))
		return NULL;
	return say(msg, msgsz, "\"%.100s\" must use https (http only for 127.0.0.1, [::1] or "
	    "localhost)", s);
}

const char *
app_item_redirect_uri(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	return redirect_item(v, msg, msgsz, fc->development);
}


/* ---------------------------------------------------------------------
 * Identity, addresses, privileges */

const char *
app_check_group_id(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);
	size_t i, n = strlen(s);

	(void)fc;
	for (i = 0; i < n; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && !strchr("_.-", s[i]))
			break;
	if (n >= 1 && n <= 64 && i == n)
		return NULL;
	return say(msg, msgsz, "app_group_id must be 1 to 64 letters, digits, '_', '.' or '-'");
}

const char *
app_item_ip(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v), *slash = strchr(s, '/');
	char addr[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int v6 = memchr(s, ':', n) != NULL, max = v6 ? 128 : 32;
	long prefix = 0;
	const char *p;

	(void)fc;
	if (n == 0 || n >= sizeof(addr))
		goto bad;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, bin) != 1)
		goto bad;
	if (!slash)
		return NULL;
	for (p = slash + 1; is_digit(*p) && p - slash <= 3; p++)
		prefix = prefix * 10 + (*p - '0');
	if (p == slash + 1 || *p)
		goto bad;
	if (prefix > max)
		return say(msg, msgsz, "\"%.100s\" has a prefix length over %d", s, max);
	return NULL;
bad:
	return say(msg, msgsz, "\"%.100s\" is not an IPv4 or IPv6 address or CIDR range", s);
}

const char *
app_item_permission(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);
	size_t i, n = strlen(s);

	(void)fc;
	for (i = 0; i < n; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z') && !is_digit(s[i]) && s[i] != '_')
			break;
	if (n >= 1 && n <= PERMISSION_MAX && i == n)
		return NULL;
	return say(msg, msgsz, "\"%.100s\" is not a permission: use a known one or a custom one "
	    "of 1 to 64 upper-case letters, digits and '_'", s);
}

/* The first string of the array A listed twice, or NULL. */
static const char *
duplicate_in(const json_t *a)
{
	size_t i, j;

	for (i = 0; i < json_array_size(a); i++)
		for (j = 0; j < i; j++)
			if (json_equal(json_array_get(a, i), json_array_get(a, j)))
				return json_string_value(json_array_get(a, i));
	return NULL;
}

const char *
app_check_permissions(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *twice = duplicate_in(v);

	(void)fc;
	return twice ? say(msg, msgsz, "permissions: \"%.100s\" is listed twice", twice) : NULL;
}

/* One list of the capabilities object, KEY being "read" or "write". */
static const char *
capability_list(const char *key, const json_t *list, char *msg, size_t msgsz)
{
	const json_t *e;
	const char *twice;
	size_t i;

	if (!json_is_array(list))
		return say(msg, msgsz, "capabilities: %s must be a list of resources", key);
	json_array_foreach(list, i, e) {
		if (!json_is_string(e) || !listed(app_capability_resources, json_string_value(e)))
			return say(msg, msgsz, "capabilities: %s entry \"%.64s\" is not a resource "
			    "(connections, users, companies)", key,
			    json_is_string(e) ? json_string_value(e) : "(not a string)");
	}
	if ((twice = duplicate_in(list)))
		return say(msg, msgsz, "capabilities: %s lists \"%.64s\" twice", key, twice);
	return NULL;
}

const char *
app_check_capabilities(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	(void)fc;
	static const char *const keys[] = {"read", "write", NULL};
	const char *key, *why;
	const json_t *list;

	json_object_foreach((json_t *)v, key, list) {
		if (!listed(keys, key))
			return say(msg, msgsz, "capabilities: \"%.64s\" is not a key (use read and write)",
			    key);
		if ((why = capability_list(key, list, msg, msgsz)))
			return why;
	}
	if (!json_object_get(v, "read") || !json_object_get(v, "write"))
		return say(msg, msgsz, "capabilities needs both a read and a write list");
	return NULL;
}

const char *
app_check_display(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	const char *key;
	const json_t *e;

	(void)fc;
	json_object_foreach((json_t *)v, key, e) {
		if (!listed(app_display_keys, key))
			return say(msg, msgsz, "display: \"%.64s\" is not a known key (chat_button, "
			    "app_list_entry, configuration_entry, label)", key);
		if (strcmp(key, "label") == 0) {
			if (!json_is_string(e) ||
			    valid_name(json_string_value(e), 0, APP_DISPLAY_LABEL_MAX))
				return say(msg, msgsz, "display: label must be text of at most %d "
				    "characters", APP_DISPLAY_LABEL_MAX);
		} else if (!json_is_boolean(e))
			return say(msg, msgsz, "display: %s must be true or false", key);
	}
	return NULL;
}

const char *
app_check_properties(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT);

	(void)fc;
	if (n == 0 || n > APP_PROPERTIES_MAX)
		return say(msg, msgsz, "properties must be at most %d bytes as JSON",
		    APP_PROPERTIES_MAX);
	return NULL;
}

/* ---------------------------------------------------------------------
 * Keys */

/* A PEM rule: KIND's, or either kind (EITHER); WHAT names the value. */
static const char *
pem_rule(const json_t *v, char *msg, size_t msgsz, enum pem_kind kind, int either,
    const char *what)
{
	const char *why;
	unsigned bits = 0;
	enum ost_err e = either
	    ? crypto_pem_rsa_either(json_string_value(v), json_string_length(v), &kind, &bits, &why)
	    : crypto_pem_rsa(json_string_value(v), json_string_length(v), kind, &bits, &why);

	if (e)
		return say(msg, msgsz, "%s %s", what, why);
	if (bits < PEM_RSA_MIN_BITS)
		return say(msg, msgsz, "%s holds a %u-bit RSA key: at least %d bits are needed", what,
		    bits, PEM_RSA_MIN_BITS);
	return NULL;
}

const char *
app_check_public_key(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	(void)fc;
	return pem_rule(v, msg, msgsz, PEM_PUBLIC_KEY, 0, "The public key");
}

const char *
app_check_certificate(const struct field_ctx *fc, const json_t *v, char *msg, size_t msgsz)
{
	(void)fc;
	return pem_rule(v, msg, msgsz, PEM_CERTIFICATE, 1, "The certificate");
}

const char *
app_certificate_kind(const json_t *v)
{
	enum pem_kind kind;
	const char *why;
	unsigned bits;

	if (!json_is_string(v) || crypto_pem_rsa_either(json_string_value(v),
	        json_string_length(v), &kind, &bits, &why))
		return NULL;
	return kind == PEM_CERTIFICATE ? "certificate" : "public_key";
}
