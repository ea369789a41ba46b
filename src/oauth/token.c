/* token.c - POST /oauth/token (RFC 6749 section 3.2): client
 * authentication, then the grant named by grant_type, from the table of
 * grants below */
#include "oauth/grant.h"

#include <string.h>

static const struct oauth_grant grants[] = {
	{"authorization_code", oauth_grant_code, GRANT_FOR_CODE | GRANT_FOR_PKCE, 1},
	{"refresh_token", oauth_grant_refresh, GRANT_FOR_ANY, 1},
	{"password", oauth_grant_password, GRANT_FOR_USER_CREDENTIALS, 0},
	{"client_credentials", oauth_grant_client, GRANT_FOR_ANY, 0},
};
#define NGRANTS (sizeof(grants) / sizeof(grants[0]))

static const char *const grant_names[] = {"authorization_code", "refresh_token", "password",
    "client_credentials", NULL};

static const struct field param_fields[] = {
	{.name = "grant_type", .kind = FIELD_ENUM, .choices = grant_names, .flags = FIELD_REQUIRED},
	{.name = "code", .kind = FIELD_STRING, .help = "authorization_code: the code"},
	{.name = "redirect_uri", .kind = FIELD_STRING,
	    .help = "authorization_code: the redirect URI of the authorization request"},
	{.name = "code_verifier", .kind = FIELD_STRING, .min = 43, .max = 128,
	    .help = "authorization_code: the PKCE code verifier (RFC 7636)"},
	{.name = "refresh_token", .kind = FIELD_STRING, .help = "refresh_token: the refresh token"},
	{.name = "username", .kind = FIELD_STRING, .help = "password: the user's email"},
	{.name = "password", .kind = FIELD_STRING, .flags = FIELD_SECRET,
	    .help = "password: the user's password"},
	{.name = "scope", .kind = FIELD_STRING,
	    .help = "Space-separated permissions of the application; none asks for all"},
	OAUTH_CLIENT_PARAMS,
};
const struct field_table oauth_token_params = FIELD_TABLE("OAuthTokenRequest", param_fields);

static const struct field answer_fields[] = {
	{.name = "access_token", .kind = FIELD_STRING},
	{.name = "token_type", .kind = FIELD_STRING, .help = "Bearer"},
	{.name = "expires_in", .kind = FIELD_INT, .help = "The application's access token lifespan"},
	{.name = "refresh_token", .kind = FIELD_STRING, .flags = FIELD_OPTIONAL,
	    .help = "Not for client_credentials; rotated on every use"},
	{.name = "scope", .kind = FIELD_STRING, .help = "The scopes granted, space-separated"},
};
const struct field_table oauth_token_answer = FIELD_TABLE("OAuthToken", answer_fields);

const struct oauth_grant *
oauth_grant_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NGRANTS; i++)
		if (strcmp(grants[i].name, name) == 0)
			return &grants[i];
	return NULL;
}

json_t *
oauth_grants_supported(void)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < NGRANTS; i++)
		json_array_append_new(list, json_string(grants[i].name));
	return list;
}

unsigned
oauth_authenticator_bit(const char *authenticator)
{
	if (!authenticator)
		return 0;
	if (strcmp(authenticator, "user_credentials") == 0)
		return GRANT_FOR_USER_CREDENTIALS;
	if (strcmp(authenticator, "authorization_code") == 0)
		return GRANT_FOR_CODE;
	if (strcmp(authenticator, "authorization_code_pkce") == 0)
		return GRANT_FOR_PKCE;
	return 0;
}

/* The grant C names, for the client CL; NULL with F filled when there is
 * none or CL may not use it. */
static const struct oauth_grant *
grant_for(const char *name, const struct oauth_client *cl, struct oauth_fail *f)
{
	const struct oauth_grant *g = oauth_grant_find(name);

	if (!g) {
		ost_ignore(oauth_refuse(f, "unsupported_grant_type", "grant_type %.40s is not "
		    "supported", name));
		return NULL;
	}
	if (!(g->authenticators & oauth_authenticator_bit(cl->authenticator))) {
		ost_ignore(oauth_refuse(f, "unauthorized_client", "This application's authenticator "
		    "does not allow the %s grant", g->name));
		return NULL;
	}
	if (cl->method == OAUTH_AUTH_NONE && !g->public_ok) {
		ost_ignore(oauth_refuse(f, "invalid_client", "The %s grant needs client "
		    "authentication", g->name));
		return NULL;
	}
	return g;
}

enum ost_err
oauth_token(struct ctx *c)
{
	struct oauth_fail f = {0};
	struct oauth_client cl = {0};
	const struct oauth_grant *g = NULL;
	const char *type = NULL;
	json_t *answer = NULL;
	enum ost_err err = oauth_form_or_refuse(c, &f);

	oauth_purge_maybe();
	if (!err && !(err = oauth_param(c, "grant_type", &type, &f)) && !type)
		err = oauth_refuse(&f, "invalid_request", "grant_type is required");
	if (!err)
		err = oauth_client_authenticate(c, 1, &cl, &f);
	if (!err && !(g = grant_for(type, &cl, &f)))
		err = OST_ERR_INVALID; /* F says why */
	if (!err)
		err = g->fn(c, &cl, &answer, &f);
	oauth_client_free(&cl);
	if (!err)
		return oauth_answer(c, answer);
	return oauth_reply(c, err, &f);
}
