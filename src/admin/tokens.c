/* tokens.c - the console page of an administrator's personal API tokens */
#include "admin/handlers.h"

#include <stdlib.h>

#include "api/handlers.h"
#include "store/token.h"

/* The tokens page with STATUS; EXTRA's keys (stolen, may be NULL) are added. */
static enum ost_err
tokens_page(struct ctx *c, int status, json_t *extra)
{
	json_t *rows, *tree;
	enum ost_err err = store_token_list(c->who.user_id, &rows);

	if (err) {
		json_decref(extra);
		return err;
	}
	tree = json_pack("{s:s, s:o}", "title", "API tokens", "tokens", rows);
	if (!tree) {
		json_decref(extra);
		return OST_ERR_NOMEM;
	}
	if (extra)
		json_object_update(tree, extra);
	json_decref(extra);
	response_set(c->res, status, tree, "tokens");
	return OST_OK;
}

enum ost_err
admin_tokens(struct ctx *c)
{
	return tokens_page(c, 200, NULL);
}

enum ost_err
admin_tokens_create(struct ctx *c)
{
	const char *problem = NULL;
	json_t *created;
	enum ost_err err = tokens_create(c->who.user_id, request_field(c->req, "name"), &created,
	    &problem);

	if (err == OST_ERR_INVALID)
		return tokens_page(c, 400,
		    json_pack("{s:{s:s, s:s}}", "error", "message", problem, "field", "name"));
	if (err)
		return err;
	return tokens_page(c, 201, json_pack("{s:o}", "created", created));
}

enum ost_err
admin_tokens_revoke(struct ctx *c)
{
	enum ost_err err = store_token_revoke(c->who.user_id, strtoll(c->params[0], NULL, 10));

	if (err)
		return err;
	return response_redirect(c->res, &c->app->cfg, "/admin/tokens");
}
