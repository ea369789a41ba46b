/* introspect.c - POST /oauth/introspect (RFC 7662): what a token of the
 * calling client is, or {"active": false} for any other (unknown, another
 * client's, expired, revoked, rotated out, its user disabled) */
#include "oauth/oauth.h"

#include <string.h>

#include "auth/oauth_check.h"

static const char *const sub_types[] = {"user", "client", NULL};
static const struct field answer_fields[] = {
	{.name = "active", .kind = FIELD_BOOL},
	{.name = "scope", .kind = FIELD_STRING, .flags = FIELD_OPTIONAL},
	{.name = "client_id", .kind = FIELD_STRING, .flags = FIELD_OPTIONAL},
	{.name = "username", .kind = FIELD_STRING, .flags = FIELD_OPTIONAL,
	    .help = "The user's email (tokens of a user)"},
	{.name = "token_type", .kind = FIELD_STRING, .flags = FIELD_OPTIONAL,
	    .help = "Bearer (access tokens)"},
	{.name = "exp", .kind = FIELD_INT, .flags = FIELD_OPTIONAL},
	{.name = "iat", .kind = FIELD_INT, .flags = FIELD_OPTIONAL},
	{.name = "sub", .kind = FIELD_STRING, .flags = FIELD_OPTIONAL,
	    .help = "A user's opaque id, or the client_id of a client_credentials token"},
	{.name = "sub_type", .kind = FIELD_ENUM, .choices = sub_types, .flags = FIELD_OPTIONAL,
	    .help = "Whether sub is a user or the client itself (RFC 9700 section 4.15)"},
	{.name = "iss", .kind = FIELD_STRING, .flags = FIELD_OPTIONAL},
};
const struct field_table oauth_introspect_answer =
    FIELD_TABLE("OAuthIntrospection", answer_fields);

/* Is the token ROW active for the client CL? A refresh token rotated out
 * is not, unless still within its application's reuse grace. */
static int
active_for(const json_t *row, const struct oauth_client *cl)
{
	return json_integer_value(json_object_get(row, "app_id")) == cl->id &&
	    json_is_true(json_object_get(row, "valid")) &&
	    (!json_is_true(json_object_get(row, "used")) ||
	        json_is_true(json_object_get(row, "in_grace")));
}

/* What an active token ROW is. */
static OST_MUST_CHECK enum ost_err
describe(const struct ctx *c, const json_t *row, json_t **out)
{
	long long user = json_integer_value(json_object_get(row, "user_id"));
	int access = strcmp(json_string_value(json_object_get(row, "kind")), "access") == 0;
	char sub[OAUTH_SUB_LEN + 1];
	enum ost_err err = user > 0 ? oauth_subject(c->app, user, sub) : OST_OK;

	if (err)
		return err;
	*out = json_pack("{s:b, s:O, s:O, s:O, s:O, s:s, s:s, s:s}", "active", 1, "scope",
	    json_object_get(row, "scope"), "client_id", json_object_get(row, "client_id"), "exp",
	    json_object_get(row, "exp"), "iat", json_object_get(row, "iat"), "sub",
	    user > 0 ? sub : json_string_value(json_object_get(row, "client_id")), "sub_type",
	    user > 0 ? "user" : "client", "iss", oauth_issuer(c));
	if (*out && user > 0)
		json_object_set(*out, "username", json_object_get(row, "email"));
	if (*out && access)
		json_object_set_new(*out, "token_type", json_string("Bearer"));
	return *out ? OST_OK : OST_ERR_NOMEM;
}

enum ost_err
oauth_introspect(struct ctx *c)
{
	struct oauth_fail f = {0};
	struct oauth_client cl = {0};
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *row = NULL, *answer = NULL;
	enum ost_err err;

	oauth_purge_maybe();
	if (!(err = oauth_token_of_client(c, 0, &cl, hash, &f))) {
		err = auth_oauth_token(c->app, hash, &row);
		if (!err && active_for(row, &cl))
			err = describe(c, row, &answer);
		else if (!err || err == OST_ERR_NOT_FOUND)
			err = (answer = json_pack("{s:b}", "active", 0)) ? OST_OK : OST_ERR_NOMEM;
	}
	json_decref(row);
	oauth_client_free(&cl);
	if (err)
		return oauth_reply(c, err, &f);
	return oauth_answer(c, answer);
}
