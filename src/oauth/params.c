/* params.c - the parameters of an OAuth request: a form body (or a GET's
 * query), each at most once (RFC 6749 section 3.1), bounded; the token a
 * client revokes or introspects; and the issuer identifier */
#include "oauth/oauth.h"

#include <string.h>
#include <strings.h>

#include "http/face.h"
#include "valid/valid.h"

static const struct field token_fields[] = {
	{.name = "token", .kind = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SECRET,
	    .help = "The access or refresh token"},
	{.name = "token_type_hint", .kind = FIELD_STRING,
	    .help = "access_token or refresh_token (a hint only)"},
	OAUTH_CLIENT_PARAMS,
};
const struct field_table oauth_token_of_client_params =
    FIELD_TABLE("OAuthTokenOfClient", token_fields);

const char *
oauth_issuer(const struct ctx *c)
{
	return c->app->cfg.base_url;
}

enum ost_err
oauth_form_or_refuse(const struct ctx *c, struct oauth_fail *f)
{
	if (!c->req->body || ctx_is_form(c))
		return OST_OK;
	return oauth_refuse(f, "invalid_request",
	    "Send the parameters as application/x-www-form-urlencoded");
}

enum ost_err
oauth_param(const struct ctx *c, const char *name, const char **out, struct oauth_fail *f)
{
	const json_t *from = c->req->method == HTTP_GET ? c->req->query : c->req->body;
	const json_t *v = json_object_get(from, name);
	const char *s;

	*out = NULL;
	if (!v)
		return OST_OK;
	if (json_is_array(v))
		return oauth_refuse(f, "invalid_request", "%s is given more than once", name);
	if (!json_is_string(v))
		return oauth_refuse(f, "invalid_request", "%s must be text", name);
	s = json_string_value(v);
	if (json_string_length(v) > OAUTH_PARAM_MAX || valid_text(s, 0, OAUTH_PARAM_MAX))
		return oauth_refuse(f, "invalid_request", "%s is too long or not valid text", name);
	*out = *s ? s : NULL;
	return OST_OK;
}

enum ost_err
oauth_token_of_client(struct ctx *c, int public_ok, struct oauth_client *cl,
    uint8_t hash[CRYPTO_SHA256_LEN], struct oauth_fail *f)
{
	const char *token = NULL, *hint = NULL;
	enum ost_err err = oauth_form_or_refuse(c, f);

	if (!err && !(err = oauth_param(c, "token", &token, f)) &&
	    !(err = oauth_param(c, "token_type_hint", &hint, f)) && !token)
		err = oauth_refuse(f, "invalid_request", "token is required");
	if (!err)
		err = oauth_client_authenticate(c, public_ok, cl, f);
	if (!err)
		crypto_token_hash(token, strlen(token), hash);
	return err;
}
