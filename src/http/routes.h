/* routes.h - the route table: method, path pattern, handler, authentication, formats */
#ifndef OST_ROUTES_H
#define OST_ROUTES_H

#include "auth/auth.h"
#include "core/app.h"
#include "http/request.h"
#include "http/response.h"
#include "render/render.h"
#include "valid/fields.h"

/* What a handler gets: everything about the request, validated. */
struct ctx {
	const struct app *app;
	struct request *req;
	struct response *res;
	struct principal who;                    /* the caller (via NONE on open routes) */
	const char *params[REQUEST_PARAMS_MAX];  /* {…} segments of the path, in order */
	char param_buf[REQUEST_PATH_MAX];        /* their storage */
	enum render_format format;               /* the representation chosen */
	json_t *caller;                          /* ROUTE_APP: the calling application and its
	                                            company (auth/app_auth.h); owned */
	json_t *input;                           /* the route's body fields, validated and
	                                            typed before the handler; owned */
	int input_refused;                       /* a console form failed validation:
	                                            input_error says why, input is NULL */
	struct field_error input_error;
};

/* A handler fills c->res and returns OST_OK, or returns an error for the
 * dispatcher to answer with the error shape. */
typedef enum ost_err (*route_fn)(struct ctx *c);

enum route_auth {
	ROUTE_OPEN,    /* anyone */
	ROUTE_CONSOLE, /* a console session; others are sent to the sign-in page */
	ROUTE_API,     /* a personal API token, or a session with X-CSRF-Token */
	ROUTE_APP,     /* an application: Basic public_id:private_api_key and its group_id
	                  (auth/app_auth.h) */
	ROUTE_OAUTH,   /* an OAuth endpoint: the handler authenticates the client (or the
	                  bearer) itself, and every refusal is RFC 6749 section 5.2 JSON
	                  (oauth/oauth.h) */
};

/* What a route's success answer holds, for the API description
 * (http/openapi.c). */
enum answer_shape {
	ANSWER_NONE,   /* no body (204) */
	ANSWER_ITEM,   /* one row */
	ANSWER_PAGE,   /* {"items": [rows], "next_cursor": text or null} */
	ANSWER_OBJECT, /* an object of no fixed shape (the API description itself) */
};

struct resource;

/* A row holds RESOURCE's fields (less the secret ones) and its out fields,
 * then ROWS' fields; it is named after ROWS when given, else after
 * RESOURCE->out. */
struct route_answer {
	int status;                      /* 200, 201, or 204 with ANSWER_NONE */
	enum answer_shape shape;
	const struct resource *resource; /* rows of this resource, or NULL */
	const struct field_table *rows;  /* rows of this table (with RESOURCE: what it adds) */
	const struct field_table *filters; /* a page's filters (query parameters) when they
	                                      are not RESOURCE's, or NULL */
};

struct route {
	enum http_method method; /* GET routes answer HEAD too */
	const char *pattern;     /* "/api/v1/tokens/{token_id}": a {…} named *id is
	                            1-18 digits, any other {name} is [A-Za-z0-9_.-]{1,64};
	                            each has a name of its own within the pattern */
	route_fn fn;
	enum route_auth auth;
	unsigned roles;          /* enum role bits allowed; 0 for open routes. For ROUTE_APP
	                            rows: the enum app_need bits the call needs (0: none) */
	unsigned formats;        /* RENDER_* the route can answer in, preferred first:
	                            RENDER_HTML first for console pages */
	const struct field_table *body; /* the fields its body holds, validated before the
	                                   handler into ctx.input; NULL: it reads none */
	enum field_mode mode;    /* FIELDS_CREATE: required fields and defaults;
	                            FIELDS_UPDATE: only what is given */
	const struct field_table *params; /* ROUTE_OAUTH rows: the parameters the handler
	                                     reads itself (a form, or a GET's query), for the
	                                     API description only: unknown ones are ignored
	                                     (RFC 6749 section 3.2), never validated here */
	const char *summary;     /* one line for the API description */
	struct route_answer answer; /* JSON routes: what a success answers */
};

/* routes_match - the route for METHOD and PATH into *OUT with its {…}
 * segments copied into C->params. OST_ERR_NOT_FOUND when no pattern
 * matches; OST_ERR_METHOD when one matches with another method, ALLOW
 * (ALLOWSZ bytes) then lists the methods that would do. */
enum ost_err routes_match(enum http_method method, const char *path, const struct route **out,
    struct ctx *c, char *allow, size_t allowsz) OST_MUST_CHECK;

/* routes_table - the whole table (for tests), *N its length. */
const struct route *routes_table(size_t *n);

#endif
