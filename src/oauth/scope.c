/* scope.c - scopes are the application's permissions: a request names a
 * subset (space-separated, RFC 6749 section 3.3), none means all of them,
 * any other is invalid_scope; and what each means in words */
#include "oauth/oauth.h"

#include <stdio.h>
#include <string.h>


/* What the known permissions let an application do, for the consent page. */
static const struct {
	const char *name;
	const char *words;
} words[] = {
	{"SEND_MESSAGES", "Send messages for you"},
	{"GET_USER_CONNECTIONS", "See your connections to other services"},
	{"REQUEST_USER_CONNECTIONS", "Ask you to connect other services"},
	{"SET_PRESENCE", "Set your presence"},
	{"GET_PRESENCE", "See your presence"},
	{"GET_BASIC_USER_INFO", "See your name"},
	{"GET_EXTENDED_USER_INFO", "See your profile"},
	{"GET_BASIC_CONTACT_INFO", "See your email address"},
	{"GET_EXTENDED_CONTACT_INFO", "See your contact details"},
	{"ACT_AS_USER", "Act on your behalf"},
	{"MANAGE_SIGNALS", "Manage your signals"},
	{"MANAGE_USER_FOLLOWING", "Manage whom you follow"},
	{"TRUST_APP", "Be trusted by your other applications"},
};

/* Is the N bytes at TOKEN the string S? */
static int
token_is(const char *token, size_t n, const char *s)
{
	return s && strlen(s) == n && memcmp(token, s, n) == 0;
}

/* Is the N bytes at TOKEN one of the space-separated LIST? */
static int
in_list(const char *list, const char *token, size_t n)
{
	const char *p = list;
	size_t len;

	while (p && *p) {
		len = strcspn(p, " ");
		if (len == n && memcmp(p, token, n) == 0)
			return 1;
		p += len + (p[len] == ' ');
	}
	return 0;
}

/* Is every byte of [P, P+N) a scope-token character (RFC 6749 section 3.3)? */
static int
token_chars_ok(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch < 0x21 || ch > 0x7e || ch == '"' || ch == '\\')
			return 0;
	}
	return n > 0;
}

enum ost_err
oauth_scope_resolve(const char *requested, const json_t *allowed, char *out, size_t outsz,
    struct oauth_fail *f)
{
	const char *p = requested, *name;
	const json_t *v;
	size_t len, i, o = 0;
	int found;

	while (p && *p) {
		len = strcspn(p, " ");
		if (!token_chars_ok(p, len) || (p[len] == ' ' && !p[len + 1]))
			return oauth_refuse(f, "invalid_scope",
			    "scope must be scope names separated by single spaces");
		found = 0;
		json_array_foreach(allowed, i, v)
			found |= token_is(p, len, json_string_value(v));
		if (!found)
			return oauth_refuse(f, "invalid_scope",
			    "%.*s is not one of the application's permissions", (int)(len > 64 ? 64 : len),
			    p);
		p += len + (p[len] == ' ');
	}
	out[0] = '\0';
	json_array_foreach(allowed, i, v) {
		name = json_string_value(v);
		if (!name || (requested && *requested && !in_list(requested, name, strlen(name))))
			continue;
		if (o + strlen(name) + 2 > outsz)
			return OST_ERR_TOO_LARGE;
		o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? " " : "", name);
	}
	return OST_OK;
}

json_t *
oauth_scope_list(const char *scope)
{
	json_t *list = json_array();
	const char *p = scope;
	size_t len;

	while (list && p && *p) {
		len = strcspn(p, " ");
		if (len && json_array_append_new(list, json_stringn(p, len))) {
			json_decref(list);
			return NULL;
		}
		p += len + (p[len] == ' ');
	}
	return list;
}

int
oauth_scope_covers(const char *have, const char *want)
{
	const char *p = want;
	size_t len;

	while (p && *p) {
		len = strcspn(p, " ");
		if (len && !in_list(have, p, len))
			return 0;
		p += len + (p[len] == ' ');
	}
	return 1;
}

json_t *
oauth_scope_words(const char *scope)
{
	json_t *list = oauth_scope_list(scope), *out = json_array(), *v;
	const char *name, *text;
	size_t i, k;

	json_array_foreach(list, i, v) {
		name = json_string_value(v);
		text = NULL;
		for (k = 0; k < sizeof(words) / sizeof(words[0]) && !text; k++)
			if (strcmp(words[k].name, name) == 0)
				text = words[k].words;
		json_array_append_new(out, json_pack("{s:s, s:s}", "name", name, "words",
		    text ? text : name));
	}
	json_decref(list);
	return out;
}
