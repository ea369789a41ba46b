/* error.c - the refusals of the OAuth endpoints, exactly RFC 6749 section
 * 5.2 ({"error", "error_description"}, never the API error shape), and
 * their success answers */
#include "oauth/oauth.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "valid/valid.h"

static const struct field error_fields[] = {
	{.name = "error", .kind = FIELD_STRING, .help = "The RFC 6749 (or RFC 6750) error code"},
	{.name = "error_description", .kind = FIELD_STRING,
	    .help = "What was wrong, in words for a developer"},
};
const struct field_table oauth_error_answer = FIELD_TABLE("OAuthError", error_fields);

int
oauth_is_json_path(const char *path)
{
	static const char *const paths[] = {"/oauth/token", "/oauth/revoke", "/oauth/introspect",
	    "/oauth/userinfo"};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (strcmp(path, paths[i]) == 0)
			return 1;
	return 0;
}

int
oauth_is_path(const char *path)
{
	static const char metadata[] = "/.well-known/oauth-authorization-server";

	return strncmp(path, "/oauth/", 7) == 0 ||
	    (strncmp(path, metadata, sizeof(metadata) - 1) == 0 &&
	        (!path[sizeof(metadata) - 1] || path[sizeof(metadata) - 1] == '/'));
}

int
oauth_is_cors_path(const char *path)
{
	return strcmp(path, "/oauth/token") == 0 || strcmp(path, "/oauth/revoke") == 0;
}

enum ost_err
oauth_refuse(struct oauth_fail *f, const char *error, const char *fmt, ...)
{
	va_list ap;

	f->error = error;
	f->status = strcmp(error, "invalid_client") == 0 || strcmp(error, "invalid_token") == 0
	    ? 401 : 400;
	va_start(ap, fmt);
	vsnprintf(f->description, sizeof(f->description), fmt, ap);
	va_end(ap);
	valid_utf8_repair(f->description);
	return OST_ERR_INVALID;
}

/* The RFC 6749 answer: STATUS with ERROR and DESCRIPTION. */
static void
set_error(struct response *res, int status, const char *error, const char *description)
{
	response_set(res, status, json_pack("{s:s, s:s}", "error", error, "error_description",
	    description), NULL);
}

void
oauth_error_reshape(struct response *res, enum ost_err err)
{
	const struct ost_err_info *info = ost_err_info(err);
	const char *message = json_string_value(json_object_get(json_object_get(res->tree,
	    "error"), "message"));
	char text[256];
	int status = res->status ? res->status : info->status;

	snprintf(text, sizeof(text), "%s", message ? message : info->message);
	set_error(res, status, err == OST_ERR_FORBIDDEN ? "invalid_request" : info->oauth, text);
}

/* The WWW-Authenticate challenge of F, or NULL for none. */
static const char *
challenge(const struct oauth_fail *f)
{
	if (f->status != 401)
		return NULL;
	if (f->bearer)
		return strcmp(f->error, "invalid_token") == 0
		    ? "Bearer realm=\"ostium\", error=\"invalid_token\""
		    : "Bearer realm=\"ostium\"";
	return f->basic ? "Basic realm=\"ostium\", charset=\"UTF-8\"" : NULL;
}

enum ost_err
oauth_reply(struct ctx *c, enum ost_err err, const struct oauth_fail *f)
{
	char retry[24];
	const char *ch;
	enum ost_err e;

	if (err != OST_ERR_INVALID || !f->error)
		return err;
	set_error(c->res, f->status ? f->status : 400, f->error, f->description);
	if ((ch = challenge(f)) && (e = response_header(c->res, "WWW-Authenticate", ch)))
		return e;
	if (f->retry_after) {
		snprintf(retry, sizeof(retry), "%u", f->retry_after);
		if ((e = response_header(c->res, "Retry-After", retry)))
			return e;
	}
	return response_header(c->res, "Pragma", "no-cache");
}

enum ost_err
oauth_answer(struct ctx *c, json_t *tree)
{
	if (!tree)
		return OST_ERR_NOMEM;
	response_set(c->res, 200, tree, NULL);
	return response_header(c->res, "Pragma", "no-cache");
}
