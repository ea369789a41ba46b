/* metadata.c - GET /.well-known/oauth-authorization-server (RFC 8414):
 * the issuer (the base URL, path prefix included), the endpoints and what
 * they support. Under a path prefix the document is also served where
 * section 3.1 puts it, /.well-known/oauth-authorization-server/PREFIX.
 * No openid scope, no JWKS: OpenID Connect comes later, and adds its keys
 * and claims here without reshaping the rest. */
#include "oauth/grant.h"

#include <stdio.h>
#include <string.h>

#include "valid/app_rules.h"

static const struct field answer_fields[] = {
	{.name = "issuer", .kind = FIELD_STRING},
	{.name = "authorization_endpoint", .kind = FIELD_STRING},
	{.name = "token_endpoint", .kind = FIELD_STRING},
	{.name = "revocation_endpoint", .kind = FIELD_STRING},
	{.name = "introspection_endpoint", .kind = FIELD_STRING},
	{.name = "userinfo_endpoint", .kind = FIELD_STRING},
	{.name = "grant_types_supported", .kind = FIELD_STRINGS},
	{.name = "response_types_supported", .kind = FIELD_STRINGS},
	{.name = "response_modes_supported", .kind = FIELD_STRINGS},
	{.name = "code_challenge_methods_supported", .kind = FIELD_STRINGS},
	{.name = "token_endpoint_auth_methods_supported", .kind = FIELD_STRINGS},
	{.name = "token_endpoint_auth_signing_alg_values_supported", .kind = FIELD_STRINGS},
	{.name = "revocation_endpoint_auth_methods_supported", .kind = FIELD_STRINGS},
	{.name = "revocation_endpoint_auth_signing_alg_values_supported", .kind = FIELD_STRINGS},
	{.name = "introspection_endpoint_auth_methods_supported", .kind = FIELD_STRINGS},
	{.name = "introspection_endpoint_auth_signing_alg_values_supported",
	    .kind = FIELD_STRINGS},
	{.name = "scopes_supported", .kind = FIELD_STRINGS,
	    .help = "The known permissions; an application may have custom ones too"},
	{.name = "authorization_response_iss_parameter_supported", .kind = FIELD_BOOL},
};
const struct field_table oauth_metadata_answer = FIELD_TABLE("OAuthServerMetadata", answer_fields);

/* ISSUER + PATH as a new string. */
static json_t *
endpoint(const char *issuer, const char *path)
{
	return json_sprintf("%s%s", issuer, path);
}

/* A new list of the NULL-terminated ITEMS. */
static json_t *
list(const char *const *items)
{
	json_t *a = json_array();

	for (; a && *items; items++)
		json_array_append_new(a, json_string(*items));
	return a;
}

enum ost_err
oauth_metadata(struct ctx *c)
{
	static const char *const auth_all[] = {"client_secret_basic", "client_secret_post",
	    "private_key_jwt", "none", NULL};
	static const char *const auth_confidential[] = {"client_secret_basic",
	    "client_secret_post", "private_key_jwt", NULL};
	static const char *const rs256[] = {"RS256", NULL};
	static const char *const code[] = {"code", NULL};
	static const char *const query[] = {"query", NULL};
	static const char *const s256[] = {"S256", NULL};
	const char *issuer = oauth_issuer(c), *prefix = c->params[0];
	json_t *doc;

	/* under /.well-known/oauth-authorization-server/PREFIX: only this issuer's */
	if (prefix && strcmp(prefix, c->app->cfg.base_path[0] ? c->app->cfg.base_path + 1 : "") != 0)
		return OST_ERR_NOT_FOUND;
	doc = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	                "s:o, s:o, s:o, s:b}",
	    "issuer", issuer, "authorization_endpoint", endpoint(issuer, "/oauth/authorize"),
	    "token_endpoint", endpoint(issuer, "/oauth/token"), "revocation_endpoint",
	    endpoint(issuer, "/oauth/revoke"), "introspection_endpoint",
	    endpoint(issuer, "/oauth/introspect"), "userinfo_endpoint",
	    endpoint(issuer, "/oauth/userinfo"), "grant_types_supported", oauth_grants_supported(),
	    "response_types_supported", list(code), "response_modes_supported", list(query),
	    "code_challenge_methods_supported", list(s256),
	    "token_endpoint_auth_methods_supported", list(auth_all),
	    "token_endpoint_auth_signing_alg_values_supported", list(rs256),
	    "revocation_endpoint_auth_methods_supported", list(auth_all),
	    "revocation_endpoint_auth_signing_alg_values_supported", list(rs256),
	    "introspection_endpoint_auth_methods_supported", list(auth_confidential),
	    "introspection_endpoint_auth_signing_alg_values_supported", list(rs256),
	    "scopes_supported", list(app_permissions_known),
	    "authorization_response_iss_parameter_supported", 1);
	if (!doc)
		return OST_ERR_NOMEM;
	response_set(c->res, 200, doc, NULL);
	return OST_OK;
}
