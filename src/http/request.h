/* request.h - a FastCGI request turned into a bounded, validated request value */
#ifndef OST_REQUEST_H
#define OST_REQUEST_H

#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>
#include "core/config.h"
#include "core/err.h"

#define REQUEST_PATH_MAX 2048    /* the path */
#define REQUEST_QUERY_MAX 8192   /* the raw query string */
#define REQUEST_HEADER_MAX 4096  /* one header value */
#define REQUEST_COOKIE_MAX (64 * 1024) /* the Cookie header: a longer one is left
                                           out whole (one cookie: FORM_COOKIE_MAX) */
#define REQUEST_HEADERS_MAX 64   /* HTTP_* parameters */
#define REQUEST_BODY_MAX (1024 * 1024)
#define REQUEST_PARAMS_MAX 4     /* {name} segments in a route pattern */
#define REQUEST_ID_LEN 32
#define REQUEST_ADDR_MAX 255     /* the client address: a unix socket path is up to 107 */

enum http_method {
	HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OPTIONS,
	HTTP__COUNT
};

/* Reads up to N bytes of the body into BUF; returns bytes read, 0 at the end,
 * -1 on error. */
typedef ssize_t (*request_reader)(void *ctx, char *buf, size_t n);

struct request {
	char **envp;                 /* the FastCGI parameters, NAME=value */
	enum http_method method;
	const char *method_name;     /* as sent, for the log */
	char path[REQUEST_PATH_MAX]; /* as sent (its percent-encoding checked, not decoded),
	                                relative to the base path, starts with / */
	char raw_path[REQUEST_PATH_MAX]; /* as sent, for the log */
	json_t *query;               /* decoded query parameters (object) */
	json_t *cookies;             /* cookies (object) */
	json_t *body;                /* the decoded body (object), NULL when none */
	size_t body_len;             /* the bytes of the body read */
	const char *remote_addr;     /* the client address (after trusted proxies), UTF-8
	                                of at most REQUEST_ADDR_MAX bytes */
	char addr_buf[REQUEST_ADDR_MAX + 1]; /* storage for a forwarded or fitted address */
	int https;                   /* the client used https */
	char id[REQUEST_ID_LEN + 1]; /* request id, hex */
	const char *error_field;     /* set with a parse error: what was wrong */
	const char *error_message;
};

/* request_init - make R ready to parse ENVP; R owns nothing yet. */
void request_init(struct request *r, char **envp);

/* request_parse - validate ENVP into R under CFG's rules and read the body
 * through READ(CTX). On failure R->error_message says what was wrong in
 * words fit for the client, and the result maps to the HTTP status
 * (OST_ERR_MALFORMED 400, OST_ERR_TOO_LARGE 413, OST_ERR_MEDIA_TYPE 415). */
enum ost_err request_parse(struct request *r, const struct config *cfg,
    request_reader read, void *ctx) OST_MUST_CHECK;

/* request_free - release what R owns. */
void request_free(struct request *r);

/* request_param - the FastCGI parameter NAME ("REQUEST_METHOD"), or NULL. */
const char *request_param(const struct request *r, const char *name);

/* request_header - the request header NAME ("Accept", "X-CSRF-Token"), or NULL. */
const char *request_header(const struct request *r, const char *name);

/* request_field - the string field NAME of the body, else of the query, or
 * NULL (also when the value is not a string). */
const char *request_field(const struct request *r, const char *name);

/* request_body_field - the string field NAME of the body only, or NULL:
 * what a form must not take from the URL (a CSRF token, a password). */
const char *request_body_field(const struct request *r, const char *name);

/* request_cookie - the cookie NAME, or NULL. */
const char *request_cookie(const struct request *r, const char *name);

/* request_method_parse - the method for NAME, or HTTP__COUNT when unknown. */
enum http_method request_method_parse(const char *name);

#endif
