/* response.h - what a handler answers: a status, a result tree, headers */
#ifndef OST_RESPONSE_H
#define OST_RESPONSE_H

#include <jansson.h>
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"

#define RESPONSE_HEADERS_MAX 8192
#define RESPONSE_FORM_ACTION_MAX 512 /* the origin a page's forms may also lead to */

struct response {
	int status;           /* HTTP status; 0 until a handler sets one */
	json_t *tree;         /* the result tree, owned; NULL for no body */
	json_t *json_text;    /* TREE already rendered as JSON (a string, owned), or NULL */
	const char *page;     /* HTML template for this answer (static) */
	struct buf headers;   /* extra header lines, "Name: value\r\n" each */
	char form_action[RESPONSE_FORM_ACTION_MAX]; /* an origin the Content-Security-Policy's
	                         form-action allows besides 'self', or "" */
};

/* response_init - an empty response (status 0, no tree, no headers). */
void response_init(struct response *res);

/* response_free - release the tree and the headers. */
void response_free(struct response *res);

/* response_set - answer STATUS with TREE (reference stolen, may be NULL)
 * rendered through template PAGE (may be NULL for API-only answers). */
void response_set(struct response *res, int status, json_t *tree, const char *page);

/* response_set_rendered - response_set with no template, and TREE's JSON
 * (render_json's very output) in JSON_TEXT, a string (reference taken):
 * a JSON answer is then that text, not rendered again. TREE may be NULL
 * when the request's format is JSON, never otherwise. */
void response_set_rendered(struct response *res, int status, json_t *tree, json_t *json_text);

/* response_header - add the header NAME: VALUE. OST_ERR_INVALID when either
 * holds a control character (no header injection), OST_ERR_TOO_LARGE when
 * the headers would pass RESPONSE_HEADERS_MAX. */
enum ost_err response_header(struct response *res, const char *name, const char *value)
    OST_MUST_CHECK;

/* response_form_action - let this page's forms lead to ORIGIN
 * (scheme://host[:port]) as well as to Ostium: Chromium applies the
 * policy's form-action to the redirect that answers a form, so a page
 * whose form ends in a redirect to an application (the OAuth sign-in and
 * consent pages) must name it. OST_ERR_INVALID when ORIGIN holds anything
 * but the characters of an origin, OST_ERR_TOO_LARGE when too long. */
enum ost_err response_form_action(struct response *res, const char *origin) OST_MUST_CHECK;

/* response_error - the error shape of DESIGN.md section 4 for ERR, with
 * MESSAGE (NULL: the default one) and FIELD (NULL: none). Replaces any tree. */
void response_error(struct response *res, enum ost_err err, const char *message,
    const char *field);

/* response_fail - response_error of ERR with its default message, unless
 * ERR is OST_OK (then nothing is set); returns ERR. How an _or_reply
 * function answers a failure it passes on: "return response_fail(res, err);". */
enum ost_err response_fail(struct response *res, enum ost_err err) OST_MUST_CHECK;

/* response_location - Location: the one place a public URL is built: CFG's
 * base URL (with its path prefix) + the path made from FMT ("/admin/",
 * "/api/v1/apps/%lld"); OST_ERR_TOO_LARGE when it does not fit. The status
 * is the caller's (201 for a created resource). */
enum ost_err response_location(struct response *res, const struct config *cfg, const char *fmt,
    ...) __attribute__((format(printf, 3, 4))) OST_MUST_CHECK;

/* response_redirect - 303 See Other to CFG's base URL + PATH ("/admin/"). */
enum ost_err response_redirect(struct response *res, const struct config *cfg, const char *path)
    OST_MUST_CHECK;

/* The prefix of a cookie bound to its host (RFC 6265bis): a browser takes
 * such a cookie only from https, with Secure, Path=/ and no Domain, so that
 * no other host (a sibling domain) can set it. */
#define COOKIE_HOST_PREFIX "__Host-"

/* response_cookie - set cookie NAME=VALUE with Path = the base path, HttpOnly,
 * SameSite=Lax, Secure outside development mode; a NAME with the
 * COOKIE_HOST_PREFIX gets Path=/ and Secure whatever the base path and the
 * mode. MAX_AGE < 0 makes a session cookie, 0 deletes it. VALUE must be a
 * cookie-safe token (base64url). */
enum ost_err response_cookie(struct response *res, const struct config *cfg, const char *name,
    const char *value, long max_age) OST_MUST_CHECK;

#endif
