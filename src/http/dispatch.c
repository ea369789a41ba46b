/* dispatch.c - one request end to end: parse, route, authenticate, handle, render, log */
#include "http/dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "crypto/crypto.h"
#include "auth/app_auth.h"
#include "http/face.h"
#include "http/routes.h"
#include "oauth/oauth.h"
#include "version.h"

#define BODY_MAX (8 * 1024 * 1024)
/* on every answer, then the form-action sources and CRLF */
#define SECURITY_HEADERS \
	"X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n" \
	"Referrer-Policy: no-referrer\r\nCache-Control: no-store\r\n" \
	"Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self' data: https:; " \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

static const struct {
	enum render_format fmt;
	const char *types[2]; /* media types that name it */
} media[] = {
	{RENDER_HTML, {"text/html", "application/xhtml+xml"}},
	{RENDER_JSON, {"application/json", NULL}},
	{RENDER_XML, {"application/xml", "text/xml"}},
};
#define NMEDIA (sizeof(media) / sizeof(media[0]))

/* The q value (0-1000) ACCEPT gives to media entry M; -1 when unmentioned.
 * A media range names only types[0], the type M is sent as. */
static int
accept_q(const char *accept, size_t m)
{
	const char *p = accept, *end, *semi, *q;
	int best = -1, best_spec = -1, spec, val;
	double d;
	size_t n, t;

	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		semi = memchr(p, ';', (size_t)(end - p));
		n = (size_t)((semi ? semi : end) - p);
		while (n && p[n - 1] == ' ')
			n--;
		spec = -1;
		if (n == 3 && strncmp(p, "*/*", 3) == 0)
			spec = 0;
		for (t = 0; t < 2 && media[m].types[t]; t++) {
			const char *ty = media[m].types[t], *slash = strchr(ty, '/');
			if (strlen(ty) == n && strncasecmp(p, ty, n) == 0)
				spec = 2;
			else if (t == 0 && spec < 1 && n == (size_t)(slash - ty) + 2 &&
			    strncasecmp(p, ty, (size_t)(slash - ty) + 1) == 0 && p[n - 1] == '*')
				spec = 1;
		}
		val = 1000;
		q = semi ? strstr(semi, "q=") : NULL;
		if (q && q < end) { /* clamped to 0-1: inf and 1e9 must not overflow an int */
			d = strtod(q + 2, NULL);
			val = d >= 1 ? 1000 : d > 0 ? (int)(d * 1000) : 0;
		}
		if (spec > best_spec) {
			best_spec = spec;
			best = val;
		}
		p = end;
	}
	return best;
}

enum ost_err
dispatch_negotiate(const char *accept, const char *override, unsigned formats,
    enum render_format *out)
{
	static const char *names[] = {"html", "json", "xml"};
	int q, best_q = 0;
	size_t m;

	for (m = 0; override && m < NMEDIA; m++)
		if (strcmp(override, names[m]) == 0) {
			*out = media[m].fmt;
			return (formats & media[m].fmt) ? OST_OK : OST_ERR_NOT_ACCEPTABLE;
		}
	if (override)
		return OST_ERR_NOT_ACCEPTABLE;
	for (m = 0; m < NMEDIA; m++) {
		if (!(formats & media[m].fmt))
			continue;
		q = (!accept || !*accept) ? 1000 : accept_q(accept, m);
		if (q > best_q) {
			best_q = q;
			*out = media[m].fmt;
		}
	}
	return best_q > 0 ? OST_OK : OST_ERR_NOT_ACCEPTABLE;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

static ssize_t
fcgi_read(void *ctx, char *buf, size_t n)
{
	return FCGX_GetStr(buf, n > 65536 ? 65536 : (int)n, (FCGX_Stream *)ctx);
}

/* Add what every HTML page binds: the caller, its CSRF token, the version. */
static void
page_context(const struct ctx *c, json_t *tree)
{
	if (!json_is_object(tree))
		return;
	if (c->who.via == AUTH_VIA_SESSION) {
		json_object_set_new(tree, "me", auth_principal_json(&c->who));
		json_object_set_new(tree, "csrf", json_string(c->who.csrf));
	}
	if (!json_object_get(tree, "title"))
		json_object_set_new(tree, "title", json_string("Error"));
	json_object_set_new(tree, "server_version", json_string(OST_VERSION));
}

/* Render c->res into BODY; *TYPE gets its content type. */
static OST_MUST_CHECK enum ost_err
render_body(struct ctx *c, struct buf *body, const char **type)
{
	struct response *res = c->res;

	switch (c->format) {
	case RENDER_HTML:
		*type = "text/html; charset=utf-8";
		page_context(c, res->tree);
		return render_html(c->app->templates, res->page ? res->page : "error", res->tree,
		    c->app->cfg.base_path, body);
	case RENDER_XML:
		*type = "application/xml; charset=utf-8";
		return render_xml(res->tree, body);
	default:
		*type = "application/json";
		if (res->json_text)
			return buf_add(body, json_string_value(res->json_text),
			    json_string_length(res->json_text));
		return render_json(res->tree, body);
	}
}

/* This process's id, read once (a worker serves its whole life as one
 * process). */
static long
worker_pid(void)
{
	static long pid;

	if (!pid)
		pid = (long)getpid();
	return pid;
}

/* Write c->res to the client; a bare 500 when the answer cannot be made.
 * Returns the size of the body rendered. */
static size_t
write_response(struct ctx *c, FCGX_Stream *out)
{
	struct response *res = c->res;
	struct buf body, head;
	const char *type = NULL;
	size_t written;
	int has_body = (res->tree || res->json_text) && res->status != 204 && res->status != 304;
	enum ost_err err = OST_OK;

	buf_init(&body, BODY_MAX);
	if (has_body && render_body(c, &body, &type)) {
		log_error("rendering failed for %s (request %s)", c->req->path, c->req->id);
		buf_reset(&body);
		response_error(res, OST_ERR_INTERNAL, NULL, NULL);
		err = buf_adds(&body, "{\"error\":{\"code\":\"server_error\",\"message\":\"Internal error\"}}");
		type = "application/json";
	}
	buf_init(&head, RESPONSE_HEADERS_MAX * 2);
	if (!err)
		err = buf_addf(&head, "Status: %d %s\r\nX-Request-Id: %s\r\n", res->status,
		    reason(res->status), c->req->id);
	if (!err)
		err = buf_adds(&head, SECURITY_HEADERS);
	if (!err && res->form_action[0])
		err = buf_addf(&head, " %s", res->form_action);
	if (!err)
		err = buf_adds(&head, "\r\n");
	if (!err && !c->app->cfg.development)
		err = buf_adds(&head, "Strict-Transport-Security: max-age=31536000\r\n");
	/* in development mode the answer names the worker that gave it, so
	 * that tests can reach every worker of a pool */
	if (!err && c->app->cfg.development)
		err = buf_addf(&head, "X-Ostium-Worker: %ld\r\n", worker_pid());
	if (!err && type)
		err = buf_addf(&head, "Content-Type: %s\r\nContent-Length: %zu\r\n", type, body.len);
	if (!err)
		err = buf_add(&head, res->headers.p, res->headers.len);
	if (!err)
		err = buf_adds(&head, "\r\n");
	if (err) {
		log_error("writing the answer failed for %s (request %s): %s", c->req->path,
		    c->req->id, ost_strerror(err));
		FCGX_PutS("Status: 500 Internal Server Error\r\n\r\n", out);
	} else {
		FCGX_PutStr(head.p, (int)head.len, out);
		if (type && c->req->method != HTTP_HEAD)
			FCGX_PutStr(body.p, (int)body.len, out);
	}
	buf_free(&head);
	written = body.len;
	buf_free(&body);
	return written;
}

/* Authenticate a console page; on failure the answer is set: the sign-in
 * page for a missing or ended session, else the error. */
static OST_MUST_CHECK enum ost_err
auth_console_or_reply(struct ctx *c)
{
	int expired = 0;
	enum ost_err err = auth_session(c->app, c->req, &c->who, &expired), redirect;

	if (err == OST_ERR_UNAUTHORIZED) {
		if ((redirect = response_redirect(c->res, &c->app->cfg,
		         expired ? "/admin/login?expired=1" : "/admin/login")))
			return response_fail(c->res, redirect);
		return err;
	}
	if (err)
		return response_fail(c->res, err);
	if (c->req->method != HTTP_GET && c->req->method != HTTP_HEAD &&
	    !auth_csrf_valid(&c->who, request_body_field(c->req, "csrf")))
		return response_fail(c->res, OST_ERR_CSRF);
	return OST_OK;
}

/* Answer 401 with MESSAGE and the WWW-Authenticate CHALLENGE; returns
 * OST_ERR_UNAUTHORIZED, or the error answered when the header cannot be
 * added. */
static OST_MUST_CHECK enum ost_err
challenge_or_reply(struct ctx *c, const char *message, const char *challenge)
{
	enum ost_err err;

	response_error(c->res, OST_ERR_UNAUTHORIZED, message, NULL);
	if ((err = response_header(c->res, "WWW-Authenticate", challenge)))
		return response_fail(c->res, err);
	return OST_ERR_UNAUTHORIZED;
}

/* Authenticate an API call: a bearer token, or a session with X-CSRF-Token;
 * on failure the answer is set. */
static OST_MUST_CHECK enum ost_err
auth_api_or_reply(struct ctx *c)
{
	enum ost_err err = auth_bearer(c->app, c->req, &c->who);

	if (err == OST_ERR_NOT_FOUND) {
		err = auth_session(c->app, c->req, &c->who, NULL);
		if (!err && !auth_csrf_valid(&c->who, request_header(c->req, "X-CSRF-Token")))
			return response_fail(c->res, OST_ERR_CSRF);
		if (err == OST_ERR_UNAUTHORIZED)
			return challenge_or_reply(c, "Send a personal API token as a bearer token",
			    "Bearer realm=\"ostium\"");
		return response_fail(c->res, err);
	}
	if (err == OST_ERR_UNAUTHORIZED)
		return challenge_or_reply(c, "The token is not valid",
		    "Bearer realm=\"ostium\", error=\"invalid_token\"");
	return response_fail(c->res, err);
}

/* Make a console form's BODY whole for T: an unchecked box (an absent
 * FIELD_BOOL) is false, no box checked of a list with choices is an empty
 * list, and on an update an empty secret field is left as it is. */
static OST_MUST_CHECK enum ost_err
form_complete(json_t *body, const struct field_table *t, enum field_mode mode)
{
	const json_t *v;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		v = json_object_get(body, f->name);
		if (!v && f->kind == FIELD_BOOL) {
			if (json_object_set_new(body, f->name, json_string("false")))
				return OST_ERR_NOMEM;
		} else if (!v && f->kind == FIELD_STRINGS && f->choices) {
			if (json_object_set_new(body, f->name, json_array()))
				return OST_ERR_NOMEM;
		} else if (mode == FIELDS_UPDATE && (f->flags & FIELD_SECRET) && json_is_string(v) &&
		    !*json_string_value(v))
			json_object_del(body, f->name);
	}
	return OST_OK;
}

/* Validate the body of ROUTE into c->input before its handler runs. A
 * refused API body is answered 400 naming the field; a refused console
 * form goes to its handler with c->input_refused set, to show the form
 * again with the message by its field; any other failure is answered with
 * its error. */
static OST_MUST_CHECK enum ost_err
input_or_reply(struct ctx *c, const struct route *route)
{
	const struct field_table *t = route->body;
	struct field_ctx fc = ctx_field_ctx(c);
	enum ost_err err;

	if (!t)
		return OST_OK;
	if (route->auth == ROUTE_CONSOLE) {
		if (!c->req->body && !(c->req->body = json_object()))
			return response_fail(c->res, OST_ERR_NOMEM);
		if ((err = form_complete(c->req->body, t, route->mode)))
			return response_fail(c->res, err);
	}
	err = fields_apply(&fc, t->fields, t->n, c->req->body, ctx_is_form(c), route->mode,
	    fields_ignored, &c->input, &c->input_error);
	if (err != OST_ERR_INVALID)
		return response_fail(c->res, err);
	if (route->auth == ROUTE_CONSOLE) {
		c->input_refused = 1;
		return OST_OK;
	}
	response_error(c->res, err, c->input_error.message, c->input_error.field);
	return err;
}

/* Wipe the secret fields (passwords, secret values) of ROUTE's body from
 * the validated input and the raw body once the handler is done with them. */
static void
input_wipe(struct ctx *c, const struct route *route)
{
	const json_t *trees[2] = {c->input, c->req->body}, *v;
	size_t i, k;

	for (i = 0; route->body && i < route->body->n; i++) {
		if (!(route->body->fields[i].flags & FIELD_SECRET))
			continue;
		for (k = 0; k < 2; k++)
			if (json_is_string(v = json_object_get(trees[k], route->body->fields[i].name)))
				crypto_wipe((char *)json_string_value(v), json_string_length(v));
	}
}

/* Route, negotiate, authenticate and run the handler for a parsed request.
 * Like a handler, returns OST_OK with the answer set, or an error for the
 * caller to answer (an _or_reply failure has set the answer: OST_OK). */
static OST_MUST_CHECK enum ost_err
serve(struct ctx *c)
{
	const struct route *route = NULL;
	char allow[128];
	enum ost_err err, allow_err;

	err = routes_match(c->req->method, c->req->path, &route, c, allow, sizeof(allow));
	if (err == OST_ERR_METHOD && (allow_err = response_header(c->res, "Allow", allow)))
		return allow_err;
	if (err == OST_ERR_METHOD && c->req->method == HTTP_OPTIONS &&
	    (app_auth_is_api_path(c->req->path) || oauth_is_cors_path(c->req->path)))
		return app_auth_preflight(c, allow);
	if (err)
		return err;
	if (oauth_is_path(c->req->path)) /* one format, whatever Accept asks */
		c->format = (route->formats & RENDER_HTML) ? RENDER_HTML : RENDER_JSON;
	else if (dispatch_negotiate(request_header(c->req, "Accept"),
	             json_string_value(json_object_get(c->req->query, "format")), route->formats,
	             &c->format))
		return OST_ERR_NOT_ACCEPTABLE;
	if (!c->app->cfg.development && !c->req->https)
		return OST_ERR_FORBIDDEN;
	if (route->auth == ROUTE_CONSOLE)
		err = auth_console_or_reply(c);
	else if (route->auth == ROUTE_API)
		err = auth_api_or_reply(c);
	else if (route->auth == ROUTE_APP)
		err = app_auth_or_reply(c, route->roles); /* roles: what the call needs */
	if (err)
		return OST_OK; /* answered */
	if (route->auth != ROUTE_APP && route->roles && !(c->who.roles & route->roles))
		return OST_ERR_FORBIDDEN;
	if (input_or_reply(c, route))
		return OST_OK; /* answered */
	err = route->fn(c);
	input_wipe(c, route);
	return err;
}

/* The format for an error found before a route was chosen: console paths
 * may answer in HTML, the authorization server's only in JSON, everything
 * else in JSON or XML. */
static enum render_format
fallback_format(const struct request *r)
{
	unsigned formats = RENDER_JSON | RENDER_XML;
	enum render_format f = RENDER_JSON;

	if (oauth_is_path(r->path))
		return RENDER_JSON;
	if (strncmp(r->path, "/admin", 6) == 0)
		formats |= RENDER_HTML;
	if (dispatch_negotiate(request_header(r, "Accept"), NULL, formats, &f))
		f = RENDER_JSON;
	return f;
}

size_t
dispatch_request(const struct app *app, FCGX_Request *fr)
{
	struct request req;
	struct response res;
	struct ctx *c = calloc(1, sizeof(*c));
	struct timespec t0, t1;
	size_t size;
	enum ost_err err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	request_init(&req, fr->envp);
	response_init(&res);
	if (!c) {
		FCGX_PutS("Status: 500 Internal Server Error\r\n\r\n", fr->out);
		return 0;
	}
	c->app = app;
	c->req = &req;
	c->res = &res;
	err = request_parse(&req, &app->cfg, fcgi_read, fr->in);
	c->format = fallback_format(&req);
	if (err)
		response_error(&res, err, req.error_message, req.error_field);
	else if ((err = serve(c))) {
		if (err == OST_ERR_NOT_ACCEPTABLE)
			c->format = fallback_format(&req);
		response_error(&res, err, NULL, NULL);
	}
	/* the OAuth endpoints refuse in RFC 6749's shape, whoever refuses
	 * (but a path or method they do not have) */
	if (err && err != OST_ERR_NOT_FOUND && err != OST_ERR_METHOD &&
	    oauth_is_json_path(req.path))
		oauth_error_reshape(&res, err);
	if (res.status == 0)
		response_error(&res, OST_ERR_INTERNAL, NULL, NULL);
	size = write_response(c, fr->out) + req.body_len;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_info("%s %s %d %.2fms %s %s", req.method_name, req.raw_path[0] ? req.raw_path : "-",
	    res.status, (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	    req.remote_addr, req.id);
	response_free(&res);
	request_free(&req);
	json_decref(c->caller);
	json_decref(c->input);
	free(c);
	return size;
}
