/* form.c - percent-decoding, application/x-www-form-urlencoded and cookies */
#include "http/form.h"

#include <stdlib.h>
#include <string.h>

#include "valid/valid.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

enum ost_err
form_unescape(const char *s, size_t n, int plus_space, char *out, size_t *outlen)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3)
				return OST_ERR_MALFORMED;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return OST_ERR_MALFORMED;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus_space)
			out[o++] = ' ';
		else if (s[i] == '\0')
			return OST_ERR_MALFORMED;
		else
			out[o++] = s[i];
	}
	out[o] = '\0';
	*outlen = o;
	return valid_utf8(out) ? OST_OK : OST_ERR_MALFORMED; /* no NUL is let through */
}

/* Add NAME=VALUE to INTO, turning a repeated name into an array. */
static OST_MUST_CHECK enum ost_err
form_put(json_t *into, const char *name, const char *value, size_t vlen)
{
	json_t *v = json_stringn(value, vlen), *old, *arr;

	if (!v)
		return OST_ERR_MALFORMED;
	old = json_object_get(into, name);
	if (!old)
		return json_object_set_new(into, name, v) ? OST_ERR_NOMEM : OST_OK;
	if (json_is_array(old))
		return json_array_append_new(old, v) ? OST_ERR_NOMEM : OST_OK;
	arr = json_array();
	if (!arr || json_array_append(arr, old) || json_array_append_new(arr, v) ||
	    json_object_set_new(into, name, arr)) {
		json_decref(v);
		return OST_ERR_NOMEM;
	}
	return OST_OK;
}

enum ost_err
form_decode(const char *s, size_t n, json_t *into)
{
	const char *p = s, *end = s + n, *amp, *eq;
	char *name = NULL, *value = NULL;
	size_t nlen, vlen, fields = 0;
	enum ost_err err = OST_OK;

	if (!(name = malloc(n + 1)) || !(value = malloc(n + 1))) {
		free(name);
		return OST_ERR_NOMEM;
	}
	while (p < end && !err) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (!amp)
			amp = end;
		if (amp == p) { /* tolerate "a=1&&b=2" and a trailing '&' */
			p++;
			continue;
		}
		if (++fields > FORM_FIELDS_MAX) {
			err = OST_ERR_MALFORMED;
			break;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (!eq)
			eq = amp;
		if (eq == p)
			err = OST_ERR_MALFORMED;
		else if (!(err = form_unescape(p, (size_t)(eq - p), 1, name, &nlen)) &&
		    !(err = form_unescape(eq + (eq < amp), (size_t)(amp - eq - (eq < amp)), 1,
		          value, &vlen))) {
			if (nlen != strlen(name))
				err = OST_ERR_MALFORMED;
			else
				err = form_put(into, name, value, vlen);
		}
		p = amp + 1;
	}
	free(name);
	free(value);
	return err;
}

enum ost_err
form_cookies(const char *header, json_t *into, size_t *ignored)
{
	const char *p = header, *semi, *eq, *ns, *ne, *vs, *ve;
	char name[FORM_COOKIE_MAX + 1];
	json_t *v;
	size_t kept = 0;

	*ignored = 0;
	for (; *p; p = *semi ? semi + 1 : semi) {
		semi = strchr(p, ';');
		if (!semi)
			semi = p + strlen(p);
		for (ns = p; ns < semi && (*ns == ' ' || *ns == '\t'); ns++)
			;
		if (ns == semi) /* an empty pair, "a=1;;b=2" */
			continue;
		eq = memchr(ns, '=', (size_t)(semi - ns));
		for (ne = eq; ne && ne > ns && (ne[-1] == ' ' || ne[-1] == '\t'); ne--)
			;
		if (!eq || ne == ns || (size_t)(semi - ns) > FORM_COOKIE_MAX ||
		    kept == FORM_COOKIES_MAX) {
			(*ignored)++; /* no name, too long, or one too many */
			continue;
		}
		for (vs = eq + 1; vs < semi && (*vs == ' ' || *vs == '\t'); vs++)
			;
		for (ve = semi; ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
			;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		memcpy(name, ns, (size_t)(ne - ns));
		name[ne - ns] = '\0';
		/* jansson takes only UTF-8, for names and values alike */
		if (!valid_utf8(name) || !(v = json_stringn(vs, (size_t)(ve - vs)))) {
			(*ignored)++;
			continue;
		}
		kept++;
		if (json_object_get(into, name))
			json_decref(v); /* the first of a repeated name wins */
		else if (json_object_set_new(into, name, v))
			return OST_ERR_NOMEM;
	}
	return OST_OK;
}
