/* userinfo.c - GET (or POST) /oauth/userinfo: who the user of a bearer
 * access token is (sub, email, given_name), for the application that
 * holds it; refusals as RFC 6750 section 3 says */
#include "oauth/oauth.h"

#include <string.h>
#include <strings.h>

#include "auth/oauth_check.h"

static const struct field answer_fields[] = {
	{.name = "sub", .kind = FIELD_STRING, .help = "The user's opaque, stable id"},
	{.name = "email", .kind = FIELD_STRING},
	{.name = "given_name", .kind = FIELD_STRING, .help = "The user's first name"},
};
const struct field_table oauth_userinfo_answer = FIELD_TABLE("OAuthUserInfo", answer_fields);

/* The bearer token of C's Authorization header into *TOKEN (NULL: none). */
static const char *
bearer(const struct ctx *c)
{
	const char *h = request_header(c->req, "Authorization");

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	for (h += 7; *h == ' '; h++)
		;
	return *h ? h : NULL;
}

enum ost_err
oauth_userinfo(struct ctx *c)
{
	struct oauth_fail f = {.bearer = 1};
	const char *token = bearer(c), *kind;
	char sub[OAUTH_SUB_LEN + 1];
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *row = NULL, *answer = NULL;
	enum ost_err err = OST_OK;

	oauth_purge_maybe();
	if (!token)
		err = oauth_refuse(&f, "invalid_token", "Send an access token as a bearer token");
	if (!err) {
		crypto_token_hash(token, strlen(token), hash);
		err = auth_oauth_token(c->app, hash, &row);
		kind = json_string_value(json_object_get(row, "kind"));
		if (err == OST_ERR_NOT_FOUND || (!err && (!kind || strcmp(kind, "access") != 0 ||
		                                      !json_is_true(json_object_get(row, "valid")))))
			err = oauth_refuse(&f, "invalid_token", "The access token is not valid");
		else if (!err && json_integer_value(json_object_get(row, "user_id")) <= 0)
			err = oauth_refuse(&f, "invalid_token", "The access token is not a user's");
	}
	if (!err)
		err = oauth_subject(c->app, json_integer_value(json_object_get(row, "user_id")), sub);
	if (!err && !(answer = json_pack("{s:s, s:O, s:O}", "sub", sub, "email",
	                  json_object_get(row, "email"), "given_name",
	                  json_object_get(row, "first_name"))))
		err = OST_ERR_NOMEM;
	json_decref(row);
	if (err)
		return oauth_reply(c, err, &f);
	return oauth_answer(c, answer);
}
