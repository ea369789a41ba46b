/* openapi.c - the API description (OpenAPI 3.1), made from the route table:
 * paths and parameters from the patterns, request bodies from the routes'
 * field tables, answers from each route's struct route_answer and the
 * tables it names, refusals in the one error shape */
#include "http/openapi.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "http/face.h"
#include "http/routes.h"
#include "oauth/oauth.h"
#include "store/resource.h"
#include "version.h"

#define REF_SCHEMAS "#/components/schemas/"
#define REF_RESPONSES "#/components/responses/"
#define ID_PARAM_MAX 999999999999999999LL /* an {…id} segment is 1-18 digits */
#define NAME_PARAM_PATTERN "^[A-Za-z0-9_.-]{1,64}$" /* any other {name} (http/routes.h) */

/* The document being made. */
struct doc {
	json_t *schemas; /* components.schemas (borrowed from the document) */
	int bad;         /* something could not be made: no document */
};

/* A run of fields that a schema gathers with others. */
struct part {
	const struct field *fields;
	size_t n;
};

enum { AS_INPUT = 1, WITH_DEFAULT = 2 }; /* how a field is described */

static const char *const verbs[HTTP__COUNT] = {"get", "head", "post", "put", "patch", "delete",
    "options"};

/* The refusals, in the error shape: the statuses operations may answer
 * besides their success (refusal_applies says which). */
static const struct refusal {
	int status;
	const char *name;        /* in components.responses */
	const char *description;
} refusals[] = {
	{400, "BadRequest", "The request, a parameter or a field is not valid (error.field names it)"},
	{401, "Unauthorized", "Credentials are missing or not valid"},
	{403, "Forbidden", "Not allowed: a role, the CSRF token, https, the address or the "
	                   "installation is missing"},
	{404, "NotFound", "No such object"},
	{406, "NotAcceptable", "None of the representations the request accepts"},
	{409, "Conflict", "The change conflicts with the current state: a duplicate, a reference, "
	                  "or a newer version than the body's"},
	{412, "PreconditionFailed", "If-Match names a version that is no longer the current one"},
	{413, "ContentTooLarge", "The body is too large"},
	{415, "UnsupportedMediaType", "The body is neither JSON, XML nor a form"},
	{429, "TooManyRequests", "Too many failed attempts: try again later"},
	{500, "ServerError", "Something went wrong on the server"},
	{503, "Unavailable", "The database is unavailable"},
};
#define NREFUSALS (sizeof(refusals) / sizeof(refusals[0]))

/* The refusals of the OAuth endpoints (ROUTE_OAUTH), in RFC 6749's shape. */
static const struct refusal oauth_refusals[] = {
	{400, "OAuthBadRequest", "invalid_request, invalid_grant, unauthorized_client, "
	                         "unsupported_grant_type or invalid_scope (RFC 6749 section 5.2)"},
	{401, "OAuthUnauthorized", "invalid_client (WWW-Authenticate: Basic when Basic was "
	                           "tried), or invalid_token (RFC 6750)"},
	{403, "OAuthForbidden", "Not over https"},
	{413, "OAuthContentTooLarge", "The body is too large"},
	{415, "OAuthUnsupportedMediaType", "The body is not a form"},
	{429, "OAuthTooManyRequests", "Too many failed authentications: try again later "
	                              "(Retry-After)"},
	{500, "OAuthServerError", "server_error"},
	{503, "OAuthUnavailable", "temporarily_unavailable: the database is unavailable"},
};
#define NOAUTH_REFUSALS (sizeof(oauth_refusals) / sizeof(oauth_refusals[0]))

/* Set KEY of OBJ to V (stolen); any failure, V NULL included, marks D bad. */
static void
put(struct doc *d, json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v))
		d->bad = 1;
}

/* Append V (stolen) to ARR; any failure marks D bad. */
static void
add(struct doc *d, json_t *arr, json_t *v)
{
	if (!v || json_array_append_new(arr, v))
		d->bad = 1;
}

/* {"type": TYPE}, or {"type": [TYPE, "null"]} when NULLABLE. */
static json_t *
typed(const char *type, int nullable)
{
	return nullable ? json_pack("{s:[s,s]}", "type", type, "null")
	                : json_pack("{s:s}", "type", type);
}

/* The NULL-terminated CHOICES as a JSON array, with null when NULLABLE. */
static json_t *
choice_list(struct doc *d, const char *const *choices, int nullable)
{
	json_t *a = json_array();

	for (; choices && *choices; choices++)
		add(d, a, json_string(*choices));
	if (nullable)
		add(d, a, json_null());
	return a;
}

static json_t *table_ref(struct doc *d, const struct field_table *t);
static json_t *object_schema(struct doc *d, const struct part *parts, size_t n, unsigned how,
    int require);

/* A FIELD_STRINGS list; its entries one of the choices when it has some. */
static json_t *
strings_schema(struct doc *d, const struct field *f, int in)
{
	json_t *s = typed("array", (f->flags & FIELD_NULLABLE) != 0), *item = typed("string", 0);

	if (f->choices)
		put(d, item, "enum", choice_list(d, f->choices, 0));
	put(d, s, "items", item);
	if (in && f->min > 0)
		put(d, s, "minItems", json_integer(f->min));
	if (in && f->max > 0)
		put(d, s, "maxItems", json_integer(f->max));
	return s;
}

/* A nested record of the fields of T: as an input, any of them (the
 * operation says which are required); as an answer, all of them. */
static json_t *
nested_schema(struct doc *d, const struct field_table *t, int in)
{
	struct part part = {t->fields, t->n};

	return object_schema(d, &part, 1, in ? AS_INPUT : 0, 0);
}

/* The schema of a value of F's kind. An input (AS_INPUT) states the
 * field's limits; an answer only the type, since what is stored always
 * fits it. */
static json_t *
kind_schema(struct doc *d, const struct field *f, int in)
{
	int null = (f->flags & FIELD_NULLABLE) != 0;
	json_t *s = NULL;

	switch (f->kind) {
	case FIELD_STRING:
	case FIELD_TEXT:
		s = typed("string", null);
		if (in && f->min > 0)
			put(d, s, "minLength", json_integer(f->min));
		if (in && f->max > 0)
			put(d, s, "maxLength", json_integer(f->max));
		break;
	case FIELD_EMAIL:
		s = typed("string", null);
		if (in)
			put(d, s, "format", json_string("email"));
		break;
	case FIELD_INT:
	case FIELD_ID:
		s = typed("integer", null);
		if (in)
			put(d, s, "minimum", json_integer(f->kind == FIELD_ID ? 1 : f->min));
		if (in && f->kind == FIELD_INT)
			put(d, s, "maximum", json_integer(f->max));
		break;
	case FIELD_BOOL:
		s = typed("boolean", null);
		break;
	case FIELD_ENUM:
		s = typed("string", null);
		put(d, s, "enum", choice_list(d, f->choices, null));
		break;
	case FIELD_STRINGS:
		return strings_schema(d, f, in);
	case FIELD_OBJECT: /* its rules are the field's check: any member, any value */
		if (f->rows) /* a nested record of the fields of rows */
			return nested_schema(d, f->rows, in);
		s = typed("object", null);
		put(d, s, "additionalProperties", json_pack("{s:s}", "description", "Any JSON value"));
		break;
	case FIELD_TIME:
		s = typed("string", null);
		put(d, s, "format", json_string("date-time"));
		break;
	case FIELD_ROWS:
		s = typed("array", null);
		put(d, s, "items", table_ref(d, f->rows));
		break;
	}
	return s;
}

/* F's schema: its kind's, with its label, help, default (WITH_DEFAULT) and
 * write-only secrecy. */
static json_t *
field_schema(struct doc *d, const struct field *f, unsigned how)
{
	json_t *s = kind_schema(d, f, how & AS_INPUT);

	if (!s)
		return NULL;
	if ((how & AS_INPUT) && f->label)
		put(d, s, "title", json_string(f->label));
	if (f->help)
		put(d, s, "description", json_string(f->help));
	if ((how & WITH_DEFAULT) && f->dflt)
		put(d, s, "default", json_loads(f->dflt, JSON_DECODE_ANY, NULL));
	if ((how & AS_INPUT) && (f->flags & FIELD_SECRET))
		put(d, s, "writeOnly", json_true());
	return s;
}

/* A closed object of the fields of the N PARTS. An answer leaves the
 * secret fields out and always holds every other one; an input requires
 * its FIELD_REQUIRED fields when REQUIRE. */
static json_t *
object_schema(struct doc *d, const struct part *parts, size_t n, unsigned how, int require)
{
	json_t *s = json_pack("{s:s, s:{}, s:[], s:b}", "type", "object", "properties", "required",
	    "additionalProperties", 0);
	json_t *props = json_object_get(s, "properties"), *req = json_object_get(s, "required");
	const struct field *f;
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < parts[i].n; k++) {
			f = &parts[i].fields[k];
			if (json_object_get(props, f->name) ||
			    (!(how & AS_INPUT) && (f->flags & FIELD_SECRET)))
				continue;
			put(d, props, f->name, field_schema(d, f, how));
			if ((!(how & AS_INPUT) && !(f->flags & FIELD_OPTIONAL)) ||
			    ((how & AS_INPUT) && require && (f->flags & FIELD_REQUIRED)))
				add(d, req, json_string(f->name));
		}
	if (!s)
		d->bad = 1;
	else if (json_array_size(req) == 0)
		json_object_del(s, "required");
	return s;
}

/* {"$ref"} to the schema NAME, which becomes SCHEMA (stolen) unless it is
 * one already: then it must be the same. */
static json_t *
component(struct doc *d, const char *name, json_t *schema)
{
	json_t *had = json_object_get(d->schemas, name);

	if (!schema || !name) {
		d->bad = 1;
		json_decref(schema);
		return NULL;
	}
	if (!had)
		put(d, d->schemas, name, schema);
	else {
		if (!json_equal(had, schema)) {
			log_error("the API description has two different schemas named %s", name);
			d->bad = 1;
		}
		json_decref(schema);
	}
	return json_pack("{s:s+}", "$ref", REF_SCHEMAS, name);
}

/* A reference to the rows of table T. */
static json_t *
table_ref(struct doc *d, const struct field_table *t)
{
	struct part part = {t ? t->fields : NULL, t ? t->n : 0};

	return component(d, t ? t->name : NULL, object_schema(d, &part, 1, 0, 0));
}

/* A reference to the row answer A holds: its resource's fields and out
 * fields, then its table's. */
static json_t *
row_ref(struct doc *d, const struct route_answer *a)
{
	const struct resource *r = a->resource;
	struct part parts[3];
	size_t n = 0;

	if (r) {
		parts[n++] = (struct part){r->fields, r->nfields};
		if (r->out)
			parts[n++] = (struct part){r->out->fields, r->out->n};
	}
	if (a->rows)
		parts[n++] = (struct part){a->rows->fields, a->rows->n};
	return component(d, a->rows ? a->rows->name : r && r->out ? r->out->name : NULL,
	    object_schema(d, parts, n, 0, 0));
}

/* A page of the rows ROW (stolen) refers to. */
static json_t *
page_schema(struct doc *d, json_t *row)
{
	json_t *s = json_pack("{s:s, s:{s:{s:s}, s:{s:[s,s], s:s}}, s:[s,s], s:b}", "type", "object",
	    "properties", "items", "type", "array", "next_cursor", "type", "string", "null",
	    "description", "The cursor of the next page; null on the last one", "required", "items",
	    "next_cursor", "additionalProperties", 0);

	put(d, json_object_get(json_object_get(s, "properties"), "items"), "items", row);
	return s;
}

/* The schema of what a success of A holds; NULL for none. */
static json_t *
answer_schema(struct doc *d, const struct route_answer *a)
{
	switch (a->shape) {
	case ANSWER_ITEM:
		return row_ref(d, a);
	case ANSWER_PAGE:
		return page_schema(d, row_ref(d, a));
	case ANSWER_OBJECT:
		return json_pack("{s:s}", "type", "object");
	default:
		return NULL;
	}
}

/* Append the parameter NAME (IN: path, query or header) with SCHEMA
 * (stolen) and DESCRIPTION (may be NULL) to LIST. */
static void
add_param(struct doc *d, json_t *list, const char *name, const char *in, int required,
    json_t *schema, const char *description)
{
	json_t *p = json_pack("{s:s, s:s, s:b}", "name", name, "in", in, "required", required);

	put(d, p, "schema", schema);
	if (description)
		put(d, p, "description", json_string(description));
	add(d, list, p);
}

/* The {…} segments of PATTERN: a name ending in "id" is an id, any other a name. */
static void
path_params(struct doc *d, const char *pattern, json_t *list)
{
	const char *p = pattern, *close;
	char name[64];
	size_t n;

	while ((p = strchr(p, '{')) && (close = strchr(p, '}'))) {
		n = (size_t)(close - p - 1);
		if (n >= sizeof(name)) {
			d->bad = 1;
			return;
		}
		memcpy(name, p + 1, n);
		name[n] = '\0';
		add_param(d, list, name, "path", 1,
		    n >= 2 && strcmp(name + n - 2, "id") == 0
		        ? json_pack("{s:s, s:i, s:I}", "type", "integer", "minimum", 1, "maximum",
		              (json_int_t)ID_PARAM_MAX)
		        : json_pack("{s:s, s:s}", "type", "string", "pattern", NAME_PARAM_PATTERN),
		    NULL);
		p = close + 1;
	}
}

/* The filters of resource R as query parameters; a nested list's first
 * one is its parent, from the path (http/face.c). */
static void
resource_filters(struct doc *d, const struct resource *r, int nested, json_t *list)
{
	char text[160];
	size_t i;

	for (i = nested ? 1 : 0; i < r->nfilters; i++) {
		const char *name = r->filters[i].name;
		switch (r->filters[i].kind) {
		case FILTER_CONTAINS:
			snprintf(text, sizeof(text), "Only rows whose %s holds this text", name);
			add_param(d, list, name, "query", 0, json_pack("{s:s, s:i}", "type", "string",
			    "maxLength", RESOURCE_FILTER_MAX), text);
			break;
		case FILTER_ID:
			snprintf(text, sizeof(text), "Only rows with this %s", name);
			add_param(d, list, name, "query", 0,
			    json_pack("{s:s, s:i}", "type", "integer", "minimum", 1), text);
			break;
		case FILTER_BOOL:
			snprintf(text, sizeof(text), "Only rows with this %s", name);
			add_param(d, list, name, "query", 0, json_pack("{s:s}", "type", "boolean"), text);
			break;
		}
	}
}

/* ?limit=, ?cursor= and the filters of a page of A. */
static void
page_params(struct doc *d, const struct route *r, json_t *list)
{
	const struct route_answer *a = &r->answer;
	size_t i;

	add_param(d, list, "limit", "query", 0,
	    json_pack("{s:s, s:i, s:i, s:i}", "type", "integer", "minimum", 1, "maximum",
	        PAGE_LIMIT_MAX, "default", PAGE_LIMIT_DEFAULT),
	    "Rows per page");
	add_param(d, list, "cursor", "query", 0, json_pack("{s:s}", "type", "string"),
	    "The next_cursor of the previous page");
	for (i = 0; a->filters && i < a->filters->n; i++)
		add_param(d, list, a->filters->fields[i].name, "query", 0,
		    field_schema(d, &a->filters->fields[i], AS_INPUT), a->filters->fields[i].help);
	if (!a->filters && a->resource)
		resource_filters(d, a->resource, strchr(r->pattern, '{') != NULL, list);
}

/* Is R a change made against the version last read (If-Match or the
 * body's version): any PUT or PATCH, and a POST that changes an existing
 * object (its body in update mode, such as a key rotation)? */
static int
versioned(const struct route *r)
{
	return r->method == HTTP_PUT || r->method == HTTP_PATCH ||
	    (r->body && r->mode == FIELDS_UPDATE);
}

/* Does R's body prove a password (current_password), throttled like a
 * sign-in? */
static int
proves_password(const struct route *r)
{
	return r->body && fields_find(r->body->fields, r->body->n, "current_password");
}

/* Every parameter of R: its path's, ?format=, a page's, an application's
 * company, the version a change is made against. */
static json_t *
parameters(struct doc *d, const struct route *r)
{
	static const struct {
		unsigned format;
		const char *name;
	} formats[] = {{RENDER_JSON, "json"}, {RENDER_XML, "xml"}, {RENDER_HTML, "html"}};
	json_t *list = json_array(), *names = json_array();
	size_t i;

	path_params(d, r->pattern, list);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (r->formats & formats[i].format)
			add(d, names, json_string(formats[i].name));
	add_param(d, list, "format", "query", 0, json_pack("{s:s, s:o}", "type", "string", "enum",
	    names), "The representation, instead of the Accept header");
	if (r->answer.shape == ANSWER_PAGE)
		page_params(d, r, list);
	if (r->auth == ROUTE_APP) {
		add_param(d, list, "group_id", "query", 0, json_pack("{s:s, s:i}", "type", "integer",
		    "minimum", 1), "The company the call acts for (or X-Group-Id)");
		add_param(d, list, "X-Group-Id", "header", 0, json_pack("{s:s, s:i}", "type",
		    "integer", "minimum", 1), "The company the call acts for (or group_id)");
	}
	if (r->auth == ROUTE_APP && strncmp(r->pattern, "/api/v1/app/connections", 23) == 0)
		add_param(d, list, "X-On-Behalf-Of", "header", 0, json_pack("{s:s, s:i}", "type",
		    "integer", "minimum", 1), "The user workspace id of the member the call acts for "
		    "(needs the permission ACT_AS_USER): their own connections too, each read audited");
	if (versioned(r))
		add_param(d, list, "If-Match", "header", 0, json_pack("{s:s}", "type", "string"),
		    "The ETag last read (or the body's version)");
	return list;
}

/* R's body: a JSON object of its field table's fields, or the same fields
 * as XML (http/xml_body.h). A change (an update, or any PUT or PATCH) also
 * carries the version it was made against. */
static json_t *
request_body(struct doc *d, const struct route *r)
{
	const struct field_table *t = r->body;
	struct part part = {t->fields, t->n};
	int create = r->mode == FIELDS_CREATE, needed = 0;
	json_t *s = object_schema(d, &part, 1, AS_INPUT | (create ? WITH_DEFAULT : 0), create);
	json_t *body;
	size_t i;

	put(d, s, "title", json_string(t->name));
	if (versioned(r))
		put(d, json_object_get(s, "properties"), "version",
		    json_pack("{s:s, s:i, s:s}", "type", "integer", "minimum", 1, "description",
		        "The version last read, unless If-Match says it"));
	for (i = 0; i < t->n; i++)
		needed |= create && (t->fields[i].flags & FIELD_REQUIRED);
	body = json_pack("{s:b, s:s, s:{s:{}, s:{}}}", "required", needed, "description",
	    "A JSON object, or the same fields in XML written as the answers are: any document "
	    "element, a child element per field (<entry key=\"K\"> for a key that is no XML "
	    "name), type=\"array\" with <item> children, type=\"number\", \"boolean\", "
	    "\"null\" or \"object\" where text alone would not say; no DOCTYPE",
	    "content", "application/json", "application/xml");
	put(d, json_object_get(json_object_get(body, "content"), "application/xml"), "schema",
	    json_incref(s));
	put(d, json_object_get(json_object_get(body, "content"), "application/json"), "schema", s);
	return body;
}

/* An OAuth endpoint's form (R's params table), as RFC 6749 sends it. */
static json_t *
form_body(struct doc *d, const struct route *r)
{
	const struct field_table *t = r->params;
	struct part part = {t->fields, t->n};
	json_t *s = object_schema(d, &part, 1, AS_INPUT, 1);
	json_t *body = json_pack("{s:b, s:{s:{}}}", "required", 1, "content",
	    "application/x-www-form-urlencoded");

	put(d, s, "title", json_string(t->name));
	put(d, json_object_get(json_object_get(body, "content"), "application/x-www-form-urlencoded"),
	    "schema", s);
	return body;
}

/* May R answer STATUS? */
static int
refusal_applies(const struct route *r, int status)
{
	switch (status) {
	case 401:
		return r->auth != ROUTE_OPEN;
	case 404:
		return strchr(r->pattern, '{') != NULL;
	case 406:
		return !oauth_is_path(r->pattern); /* one format, whatever Accept asks */
	case 409:
		return r->method != HTTP_GET;
	case 412:
		return versioned(r);
	case 429:
		return r->auth == ROUTE_APP || proves_password(r);
	default:
		return 1;
	}
}

/* R's answers: its success, then the refusals it may give. */
static json_t *
responses(struct doc *d, const struct route *r)
{
	json_t *out = json_object(), *ok = json_pack("{s:s}", "description", r->summary), *media;
	char code[16];
	size_t i;

	if (r->answer.status < 200 || r->answer.status > 299) {
		log_error("the API description: %s %s says no success answer", verbs[r->method],
		    r->pattern);
		d->bad = 1;
	}
	if (r->answer.shape != ANSWER_NONE) {
		put(d, ok, "content", json_pack("{s:{}}", "application/json"));
		media = json_object_get(json_object_get(ok, "content"), "application/json");
		put(d, media, "schema", answer_schema(d, &r->answer));
	}
	snprintf(code, sizeof(code), "%d", r->answer.status);
	put(d, out, code, ok);
	for (i = 0; r->auth == ROUTE_OAUTH && i < NOAUTH_REFUSALS; i++) {
		snprintf(code, sizeof(code), "%d", oauth_refusals[i].status);
		put(d, out, code, json_pack("{s:s+}", "$ref", REF_RESPONSES, oauth_refusals[i].name));
	}
	for (i = 0; r->auth != ROUTE_OAUTH && i < NREFUSALS; i++) {
		if (!refusal_applies(r, refusals[i].status))
			continue;
		snprintf(code, sizeof(code), "%d", refusals[i].status);
		put(d, out, code, json_pack("{s:s+}", "$ref", REF_RESPONSES, refusals[i].name));
	}
	return out;
}

/* "getApiV1AppsByAppIdUsers": the method, then each word of the path. */
static void
operation_id(const struct route *r, char *out, size_t size)
{
	size_t o = (size_t)snprintf(out, size, "%s", verbs[r->method]);
	int upper = 1;
	const char *p;

	for (p = r->pattern; *p && o + 3 < size; p++) {
		if (*p == '{') {
			memcpy(out + o, "By", 2);
			o += 2;
			upper = 1;
		} else if (!isalnum((unsigned char)*p))
			upper = 1;
		else {
			out[o++] = upper ? (char)toupper((unsigned char)*p) : *p;
			upper = 0;
		}
	}
	out[o] = '\0';
}

/* How R's caller is authenticated. */
static json_t *
security(const struct route *r)
{
	switch (r->auth) {
	case ROUTE_API:
		return json_pack("[{s:[]}, {s:[], s:[]}]", "bearerToken", "sessionCookie", "csrfToken");
	case ROUTE_APP: /* Basic, or its own client_credentials access token */
		return json_pack("[{s:[]}, {s:[]}]", "appCredentials", "oauthAccessToken");
	case ROUTE_OAUTH: /* a client (Basic, or in the form), or a bearer access token */
		return r->params ? json_pack("[{s:[]}, {}]", "oauthClient")
		                 : json_pack("[{s:[]}]", "oauthAccessToken");
	default:
		return json_array();
	}
}

static json_t *
operation(struct doc *d, const struct route *r)
{
	json_t *op = json_object();
	char id[160];

	operation_id(r, id, sizeof(id));
	put(d, op, "operationId", json_string(id));
	put(d, op, "summary", json_string(r->summary));
	put(d, op, "security", security(r));
	put(d, op, "parameters", parameters(d, r));
	if (r->body)
		put(d, op, "requestBody", request_body(d, r));
	else if (r->params && r->method != HTTP_GET)
		put(d, op, "requestBody", form_body(d, r));
	put(d, op, "responses", responses(d, r));
	return op;
}

/* The error shape, and a response of it for each refusal. */
static void
refusal_components(struct doc *d, json_t *components)
{
	json_t *responses = json_object_get(components, "responses");
	size_t i;

	put(d, d->schemas, "Error",
	    json_pack("{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s, s:s}}, s:[s,s], s:b}}, "
	              "s:[s], s:b}",
	        "type", "object", "properties", "error", "type", "object", "properties", "code",
	        "type", "string", "message", "type", "string", "field", "type", "string",
	        "description", "The field or parameter at fault, when there is one", "required",
	        "code", "message", "additionalProperties", 0, "required", "error",
	        "additionalProperties", 0));
	for (i = 0; i < NREFUSALS; i++)
		put(d, responses, refusals[i].name,
		    json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", refusals[i].description,
		        "content", "application/json", "schema", "$ref", REF_SCHEMAS "Error"));
	json_decref(table_ref(d, &oauth_error_answer)); /* the schema OAuthError */
	for (i = 0; i < NOAUTH_REFUSALS; i++)
		put(d, responses, oauth_refusals[i].name,
		    json_pack("{s:s, s:{s:{s:{s:s+}}}}", "description", oauth_refusals[i].description,
		        "content", "application/json", "schema", "$ref", REF_SCHEMAS,
		        oauth_error_answer.name));
}

/* The ways a caller is authenticated under CFG (security). */
static json_t *
security_schemes(const struct config *cfg)
{
	return json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, "
	                 "s:{s:s, s:s, s:s}}",
	    "bearerToken", "type", "http", "scheme", "bearer", "description",
	    "A personal API token (POST /api/v1/tokens, or the console)",
	    "sessionCookie", "type", "apiKey", "in", "cookie", "name", AUTH_SESSION_COOKIE(cfg),
	    "description", "The console's session; with its CSRF token (csrfToken)",
	    "csrfToken", "type", "apiKey", "in", "header", "name", "X-CSRF-Token", "description",
	    "The CSRF token of the console's session",
	    "appCredentials", "type", "http", "scheme", "basic", "description",
	    "An application: its public_id and private_api_key");
}

/* The ways an OAuth endpoint's caller is authenticated, added to SCHEMES. */
static void
oauth_security_schemes(struct doc *d, json_t *schemes)
{
	put(d, schemes, "oauthClient", json_pack("{s:s, s:s, s:s}", "type", "http", "scheme",
	    "basic", "description", "client_secret_basic: the client_id and client_secret, each "
	    "form-encoded (RFC 6749 section 2.3.1); or, in the form, client_secret_post, "
	    "private_key_jwt (RFC 7523) or a public client's client_id"));
	put(d, schemes, "oauthAccessToken", json_pack("{s:s, s:s, s:s}", "type", "http", "scheme",
	    "bearer", "description", "An access token of the token endpoint: a user's (userinfo), "
	    "or the application's own from client_credentials (the application API)"));
}

/* Everything but the paths. */
static json_t *
skeleton(struct doc *d, const struct config *cfg)
{
	json_t *doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:{}, s:{s:{}, s:{}}}",
	    "openapi", "3.1.0", "info", "title", "Ostium API", "version", OST_VERSION, "description",
	    "The application registry of Ostium: JSON (or XML with Accept or ?format=xml). Lists "
	    "are pages of {items, next_cursor}; a change sends back the version it read; every "
	    "refusal is {\"error\": {\"code\", \"message\", \"field\"}}.",
	    "servers", "url", cfg->base_url, "paths", "components", "schemas", "responses");
	json_t *components = json_object_get(doc, "components");

	if (!doc)
		d->bad = 1;
	d->schemas = json_object_get(components, "schemas");
	put(d, components, "securitySchemes", security_schemes(cfg));
	oauth_security_schemes(d, json_object_get(components, "securitySchemes"));
	refusal_components(d, components);
	return doc;
}

/* Is R part of the API description? */
static int
described(const struct route *r)
{
	return (strncmp(r->pattern, "/api/", 5) == 0 || strcmp(r->pattern, "/healthz") == 0 ||
	           strncmp(r->pattern, "/oauth/", 7) == 0 ||
	           strncmp(r->pattern, "/.well-known/", 13) == 0) &&
	       (r->formats & RENDER_JSON);
}

json_t *
openapi_build(const struct config *cfg)
{
	struct doc d = {0};
	size_t n, i;
	const struct route *table = routes_table(&n), *r;
	json_t *doc = skeleton(&d, cfg), *paths = json_object_get(doc, "paths"), *item;

	for (i = 0; i < n && !d.bad; i++) {
		r = &table[i];
		if (!described(r))
			continue;
		if (!json_object_get(paths, r->pattern))
			put(&d, paths, r->pattern, json_object());
		if ((item = json_object_get(paths, r->pattern)))
			put(&d, item, verbs[r->method], operation(&d, r));
	}
	if (d.bad) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

json_t *
openapi_document(const struct config *cfg)
{
	static json_t *doc;
	static char url[sizeof(cfg->base_url)];

	if (doc && strcmp(url, cfg->base_url) == 0)
		return doc;
	json_decref(doc);
	doc = openapi_build(cfg);
	snprintf(url, sizeof(url), "%s", cfg->base_url);
	return doc;
}
