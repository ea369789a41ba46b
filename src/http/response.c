/* response.c - what a handler answers: a status, a result tree, headers */
#include "http/response.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
response_init(struct response *res)
{
	memset(res, 0, sizeof(*res));
	buf_init(&res->headers, RESPONSE_HEADERS_MAX);
}

void
response_free(struct response *res)
{
	json_decref(res->tree);
	res->tree = NULL;
	json_decref(res->json_text);
	res->json_text = NULL;
	buf_free(&res->headers);
}

void
response_set(struct response *res, int status, json_t *tree, const char *page)
{
	json_decref(res->tree);
	json_decref(res->json_text);
	res->json_text = NULL;
	res->status = status;
	res->tree = tree;
	res->page = page;
}

void
response_set_rendered(struct response *res, int status, json_t *tree, json_t *json_text)
{
	response_set(res, status, tree, NULL);
	if (json_is_string(json_text))
		res->json_text = json_incref(json_text);
}

static int
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

enum ost_err
response_header(struct response *res, const char *name, const char *value)
{
	if (has_control(name) || has_control(value) || strchr(name, ':'))
		return OST_ERR_INVALID;
	return buf_addf(&res->headers, "%s: %s\r\n", name, value);
}

enum ost_err
response_form_action(struct response *res, const char *origin)
{
	size_t i, n = strlen(origin);

	if (n >= sizeof(res->form_action))
		return OST_ERR_TOO_LARGE;
	for (i = 0; i < n; i++)
		if (!((origin[i] >= 'a' && origin[i] <= 'z') || (origin[i] >= 'A' && origin[i] <= 'Z') ||
		        (origin[i] >= '0' && origin[i] <= '9') || strchr(":/.-[]", origin[i])))
			return OST_ERR_INVALID;
	memcpy(res->form_action, origin, n + 1);
	return OST_OK;
}

void
response_error(struct response *res, enum ost_err err, const char *message, const char *field)
{
	const struct ost_err_info *info = ost_err_info(err);
	json_t *tree;

	tree = json_pack("{s:{s:s, s:s}}", "error", "code", info->code, "message",
	    message ? message : info->message);
	if (tree && field)
		json_object_set_new(json_object_get(tree, "error"), "field", json_string(field));
	response_set(res, info->status, tree, "error");
}

enum ost_err
response_fail(struct response *res, enum ost_err err)
{
	if (err)
		response_error(res, err, NULL, NULL);
	return err;
}

/* CFG's base URL + the path made from FMT and AP, into OUT of SIZE bytes. */
static enum ost_err vurl(const struct config *cfg, char *out, size_t size, const char *fmt,
    va_list ap) __attribute__((format(printf, 4, 0))) OST_MUST_CHECK;

static enum ost_err
vurl(const struct config *cfg, char *out, size_t size, const char *fmt, va_list ap)
{
	int n = snprintf(out, size, "%s", cfg->base_url), m;

	if (n < 0 || (size_t)n >= size)
		return OST_ERR_TOO_LARGE;
	m = vsnprintf(out + n, size - (size_t)n, fmt, ap);
	if (m < 0 || (size_t)m >= size - (size_t)n)
		return OST_ERR_TOO_LARGE;
	return OST_OK;
}

enum ost_err
response_location(struct response *res, const struct config *cfg, const char *fmt, ...)
{
	char url[2048];
	va_list ap;
	enum ost_err err;

	va_start(ap, fmt);
	err = vurl(cfg, url, sizeof(url), fmt, ap);
	va_end(ap);
	return err ? err : response_header(res, "Location", url);
}

enum ost_err
response_redirect(struct response *res, const struct config *cfg, const char *path)
{
	response_set(res, 303, NULL, NULL);
	return response_location(res, cfg, "%s", path);
}

enum ost_err
response_cookie(struct response *res, const struct config *cfg, const char *name,
    const char *value, long max_age)
{
	char line[1024], age[48] = "";
	int host = strncmp(name, COOKIE_HOST_PREFIX, strlen(COOKIE_HOST_PREFIX)) == 0;
	int n;

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	n = snprintf(line, sizeof(line), "%s=%s; Path=%s%s; HttpOnly; SameSite=Lax%s", name,
	    max_age == 0 ? "" : value, host || !cfg->base_path[0] ? "/" : cfg->base_path, age,
	    host || !cfg->development ? "; Secure" : "");
	if (n < 0 || (size_t)n >= sizeof(line))
		return OST_ERR_TOO_LARGE;
	return response_header(res, "Set-Cookie", line);
}
