/* grant_client.c - the client_credentials grant (RFC 6749 section 4.4):
 * the application acting for itself gets an access token of its own
 * scopes, without a refresh token (section 4.4.3) */
#include "oauth/grant.h"

#include "registry/change.h"

static OST_MUST_CHECK enum ost_err
issue_tx(void *arg)
{
	return oauth_issue_tokens(arg);
}

enum ost_err
oauth_grant_client(struct ctx *c, const struct oauth_client *cl, json_t **out,
    struct oauth_fail *f)
{
	const char *scope = NULL;
	struct oauth_issue is = {0};
	enum ost_err err = oauth_param(c, "scope", &scope, f);

	if (!err)
		err = oauth_scope_resolve(scope, json_object_get(cl->row, "permissions"), is.scope,
		    sizeof(is.scope), f);
	is.app_id = cl->id;
	is.access_ttl = (unsigned)oauth_client_int(cl, "access_token_ttl");
	if (!err)
		err = bookkeeping_run(issue_tx, &is);
	if (!err && !(*out = oauth_issue_answer(&is)))
		err = OST_ERR_NOMEM;
	oauth_issue_wipe(&is);
	return err;
}
