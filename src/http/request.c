/* request.c - a FastCGI request turned into a bounded, validated request value */
#include "http/request.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "crypto/crypto.h"
#include "http/form.h"
#include "http/xml_body.h"
#include "valid/valid.h"

static const char *method_names[HTTP__COUNT] = {
	[HTTP_GET] = "GET", [HTTP_HEAD] = "HEAD", [HTTP_POST] = "POST", [HTTP_PUT] = "PUT",
	[HTTP_PATCH] = "PATCH", [HTTP_DELETE] = "DELETE", [HTTP_OPTIONS] = "OPTIONS",
};

enum http_method
request_method_parse(const char *name)
{
	int m;

	for (m = 0; m < HTTP__COUNT; m++)
		if (name && strcmp(name, method_names[m]) == 0)
			return (enum http_method)m;
	return HTTP__COUNT;
}

void
request_init(struct request *r, char **envp)
{
	memset(r, 0, sizeof(*r));
	r->envp = envp;
	r->method_name = "-";
	r->remote_addr = "-";
	r->path[0] = '/';
}

void
request_free(struct request *r)
{
	json_decref(r->query);
	json_decref(r->cookies);
	json_decref(r->body);
	r->query = r->cookies = r->body = NULL;
}

const char *
request_param(const struct request *r, const char *name)
{
	size_t n = strlen(name);
	char **e;

	for (e = r->envp; e && *e; e++)
		if (**e == *name && strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

const char *
request_header(const struct request *r, const char *name)
{
	char param[128] = "HTTP_";
	size_t i;

	if (strlen(name) + 6 > sizeof(param))
		return NULL;
	for (i = 0; name[i]; i++)
		param[5 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	param[5 + i] = '\0';
	if (strcasecmp(name, "Content-Type") == 0)
		return request_param(r, "CONTENT_TYPE");
	return request_param(r, param);
}

const char *
request_field(const struct request *r, const char *name)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;

	if (!v)
		v = json_object_get(r->query, name);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *
request_body_field(const struct request *r, const char *name)
{
	return json_string_value(r->body ? json_object_get(r->body, name) : NULL);
}

const char *
request_cookie(const struct request *r, const char *name)
{
	return json_string_value(json_object_get(r->cookies, name));
}

static OST_MUST_CHECK enum ost_err
fail(struct request *r, enum ost_err err, const char *field, const char *message)
{
	r->error_field = field;
	r->error_message = message;
	return err;
}

/* The cookies of R's Cookie header into r->cookies. Any site of a sibling
 * domain can set a cookie the browser then sends here: one Ostium cannot
 * read (form_cookies: no name, not UTF-8, too long, one too many; or a
 * whole header past REQUEST_COOKIE_MAX) is left out and logged, without
 * its value, never a refusal of the request. */
static OST_MUST_CHECK enum ost_err
parse_cookies(struct request *r)
{
	const char *cookie = request_param(r, "HTTP_COOKIE");
	size_t ignored = 0;
	enum ost_err err;

	if (!(r->cookies = json_object()))
		return OST_ERR_NOMEM;
	if (!cookie)
		return OST_OK;
	if (strlen(cookie) > REQUEST_COOKIE_MAX) {
		log_warn("request %s: ignored a Cookie header of %zu bytes (more than %d)", r->id,
		    strlen(cookie), REQUEST_COOKIE_MAX);
		return OST_OK;
	}
	if ((err = form_cookies(cookie, r->cookies, &ignored)))
		return err;
	if (ignored)
		log_warn("request %s: ignored %zu cookie%s it cannot read (no name, not UTF-8, "
		    "longer than %d bytes or past the first %d)", r->id, ignored,
		    ignored == 1 ? "" : "s", FORM_COOKIE_MAX, FORM_COOKIES_MAX);
	return OST_OK;
}

/* Every HTTP_* parameter within bounds (the Cookie header is
 * parse_cookies'); the Cookie header parsed. */
static OST_MUST_CHECK enum ost_err
parse_headers(struct request *r)
{
	size_t count = 0, len;
	char **e;

	for (e = r->envp; e && *e; e++) {
		if (strncmp(*e, "HTTP_", 5) != 0)
			continue;
		if (++count > REQUEST_HEADERS_MAX)
			return fail(r, OST_ERR_MALFORMED, "headers", "Too many request headers");
		len = strlen(strchr(*e, '=') ? strchr(*e, '=') + 1 : "");
		if (strncmp(*e, "HTTP_COOKIE=", 12) != 0 && len > REQUEST_HEADER_MAX)
			return fail(r, OST_ERR_MALFORMED, "headers", "A request header is too long");
	}
	return parse_cookies(r);
}

/* The client's address and scheme, believing X-Forwarded-* only from a
 * trusted proxy: the rightmost forwarded address that is not a proxy. */
static void
parse_client(struct request *r, const struct config *cfg)
{
	const char *addr = request_param(r, "REMOTE_ADDR"), *https = request_param(r, "HTTPS");
	const char *fwd, *proto, *p, *start, *end;
	unsigned char bin[16];
	char tmp[sizeof(r->addr_buf)]; /* a candidate, kept out of addr_buf until valid */
	size_t n;

	r->remote_addr = addr ? addr : "-";
	if (addr && (strlen(addr) > REQUEST_ADDR_MAX || !valid_utf8(addr))) {
		/* not an IP address (lighttpd on a unix socket gives its path): kept
		 * as what the address columns and throttle buckets can hold */
		valid_utf8_fit(addr, REQUEST_ADDR_MAX, r->addr_buf, sizeof(r->addr_buf));
		r->remote_addr = r->addr_buf;
	}
	r->https = https && (strcasecmp(https, "on") == 0 || strcmp(https, "1") == 0);
	if (!addr || !config_is_trusted_proxy(cfg, addr))
		return;
	if ((proto = request_header(r, "X-Forwarded-Proto")))
		r->https = strcasecmp(proto, "https") == 0;
	if (!(fwd = request_header(r, "X-Forwarded-For")))
		return;
	end = fwd + strlen(fwd);
	while (end > fwd) {
		for (start = end; start > fwd && start[-1] != ','; start--)
			;
		p = start;
		while (p < end && *p == ' ')
			p++;
		n = (size_t)(end - p);
		while (n && p[n - 1] == ' ')
			n--;
		if (n == 0 || n >= sizeof(tmp))
			return;
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET, tmp, bin) != 1 && inet_pton(AF_INET6, tmp, bin) != 1)
			return;
		memcpy(r->addr_buf, tmp, n + 1);
		r->remote_addr = r->addr_buf;
		if (!config_is_trusted_proxy(cfg, r->addr_buf))
			return;
		end = start > fwd ? start - 1 : fwd; /* before the comma, not the blanks */
	}
}

/* Path and query from REQUEST_URI, the base path removed. The path is kept
 * as sent: routes match it raw, and only a route's parameters are decoded,
 * once matched (http/routes.c), so that "/%61pi/..." or ".../apps%2F14"
 * names no route; a bad percent-encoding is still refused here. The query
 * is decoded. */
static OST_MUST_CHECK enum ost_err
parse_target(struct request *r, const struct config *cfg)
{
	const char *uri = request_param(r, "REQUEST_URI"), *q, *path;
	size_t plen, blen = strlen(cfg->base_path), n;
	char tmp[REQUEST_PATH_MAX];

	if (!uri || *uri != '/')
		return fail(r, OST_ERR_MALFORMED, "path", "The request has no path");
	q = strchr(uri, '?');
	plen = q ? (size_t)(q - uri) : strlen(uri);
	if (plen >= sizeof(r->raw_path))
		return fail(r, OST_ERR_MALFORMED, "path", "The path is too long");
	memcpy(r->raw_path, uri, plen);
	r->raw_path[plen] = '\0';
	path = r->raw_path;
	if (blen && strncmp(path, cfg->base_path, blen) == 0 &&
	    (path[blen] == '/' || path[blen] == '\0'))
		path += blen;
	if (form_unescape(path, strlen(path), 0, tmp, &n) || n != strlen(tmp))
		return fail(r, OST_ERR_MALFORMED, "path", "The path has a bad percent-encoding");
	snprintf(r->path, sizeof(r->path), "%s", *path ? path : "/");
	if (!(r->query = json_object()))
		return OST_ERR_NOMEM;
	if (q && strlen(q + 1) > REQUEST_QUERY_MAX)
		return fail(r, OST_ERR_MALFORMED, "query", "The query string is too long");
	if (q && form_decode(q + 1, strlen(q + 1), r->query))
		return fail(r, OST_ERR_MALFORMED, "query", "The query string is malformed");
	return OST_OK;
}

/* Read exactly LEN bytes of body into a new buffer *OUT. */
static OST_MUST_CHECK enum ost_err
read_body(struct request *r, size_t len, request_reader read, void *ctx, char **out)
{
	char *body = malloc(len + 1);
	size_t got = 0;
	ssize_t n;

	if (!body)
		return OST_ERR_NOMEM;
	while (got < len && (n = read(ctx, body + got, len - got)) > 0)
		got += (size_t)n;
	if (got < len) {
		free(body);
		return fail(r, OST_ERR_MALFORMED, "body", "The body is shorter than its Content-Length");
	}
	body[len] = '\0';
	*out = body;
	return OST_OK;
}

/* Is TYPE (TLEN bytes, parameters cut) an XML media type? */
static int
is_xml_type(const char *type, size_t tlen)
{
	return (tlen == 15 && strncasecmp(type, "application/xml", 15) == 0) ||
	    (tlen == 8 && strncasecmp(type, "text/xml", 8) == 0);
}

/* Decode BODY of LEN bytes by its content type TYPE into r->body. */
static OST_MUST_CHECK enum ost_err
decode_body(struct request *r, const char *type, const char *body, size_t len)
{
	json_error_t jerr;
	size_t tlen = strcspn(type, "; ");
	const char *why;
	enum ost_err err;

	if (tlen == 33 && strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0) {
		if (!(r->body = json_object()))
			return OST_ERR_NOMEM;
		if (form_decode(body, len, r->body))
			return fail(r, OST_ERR_MALFORMED, "body", "The form body is malformed");
		return OST_OK;
	}
	if (tlen == 16 && strncasecmp(type, "application/json", 16) == 0) {
		r->body = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
		if (!r->body)
			return fail(r, OST_ERR_MALFORMED, "body", "The JSON body is malformed");
		if (!json_is_object(r->body))
			return fail(r, OST_ERR_MALFORMED, "body", "The JSON body must be an object");
		return OST_OK;
	}
	if (is_xml_type(type, tlen)) {
		if ((err = xml_body_parse(body, len, &r->body, &why)))
			return err == OST_ERR_MALFORMED ? fail(r, err, "body", why) : err;
		return OST_OK;
	}
	return fail(r, OST_ERR_MEDIA_TYPE, "Content-Type",
	    "Send application/json, application/xml or application/x-www-form-urlencoded");
}

static OST_MUST_CHECK enum ost_err
parse_body(struct request *r, request_reader read, void *ctx)
{
	const char *cl = request_param(r, "CONTENT_LENGTH");
	const char *type = request_param(r, "CONTENT_TYPE");
	unsigned long long len = 0;
	char *end, *body = NULL;
	enum ost_err err;

	if (cl && *cl) {
		if (*cl < '0' || *cl > '9' || (len = strtoull(cl, &end, 10), *end))
			return fail(r, OST_ERR_MALFORMED, "Content-Length", "Bad Content-Length");
	}
	if (len == 0)
		return OST_OK;
	if (len > REQUEST_BODY_MAX)
		return fail(r, OST_ERR_TOO_LARGE, "body", "The body is larger than 1 MiB");
	if (!type || !*type)
		return fail(r, OST_ERR_MEDIA_TYPE, "Content-Type", "A body needs a Content-Type");
	if ((err = read_body(r, (size_t)len, read, ctx, &body)))
		return err;
	r->body_len = (size_t)len;
	err = decode_body(r, type, body, (size_t)len);
	free(body);
	return err;
}

/* The next request id of this process into ID: a random half drawn at its
 * first request, then a count, so that ids are unique without drawing
 * random bytes for each request (an id names a request in logs and audit
 * entries; it is no secret). */
static void
request_id_next(unsigned char id[REQUEST_ID_LEN / 2])
{
	static unsigned char base[REQUEST_ID_LEN / 4];
	static uint64_t count;
	int i;

	if (count++ == 0)
		crypto_nonce(base, sizeof(base));
	memcpy(id, base, sizeof(base));
	for (i = 0; i < REQUEST_ID_LEN / 4; i++)
		id[REQUEST_ID_LEN / 2 - 1 - i] = (unsigned char)(count >> (8 * i));
}

enum ost_err
request_parse(struct request *r, const struct config *cfg, request_reader read, void *ctx)
{
	unsigned char id[REQUEST_ID_LEN / 2];
	enum ost_err err;

	request_id_next(id);
	if ((err = crypto_hex_encode(id, sizeof(id), r->id, sizeof(r->id))) ||
	    (err = parse_headers(r)))
		return err;
	parse_client(r, cfg);
	if ((err = parse_target(r, cfg)))
		return err;
	r->method_name = request_param(r, "REQUEST_METHOD");
	r->method = request_method_parse(r->method_name);
	if (!r->method_name)
		r->method_name = "-";
	if (r->method == HTTP__COUNT)
		return fail(r, OST_ERR_METHOD, "method", "Unknown method");
	return parse_body(r, read, ctx);
}
