/* tokens.c - the console page of an administrator's personal API tokens */
#include "admin/handlers.h"

#include "http/face.h"
#include "registry/tokens.h"
#include "store/token.h"

/* The tokens page with STATUS; EXTRA's keys (stolen, may be NULL) are added. */
static OST_MUST_CHECK enum ost_err
tokens_page(struct ctx *c, int status, json_t *extra)
{
	json_t *rows, *tree;
	enum ost_err err = store_token_list(c->who.user_id, &rows);

	if (err) {
		json_decref(extra);
		return err;
	}
	tree = json_pack("{s:s, s:o}", "title", "API tokens", "tokens", rows);
	if (!tree || (extra && json_object_update(tree, extra))) {
		json_decref(tree);
		json_decref(extra);
		return OST_ERR_NOMEM;
	}
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
	struct field_error why = c->input_error;
	struct op op;
	json_t *created = NULL;
	enum ost_err err = OST_ERR_INVALID;

	ctx_op(c, &op);
	if (!c->input_refused)
		err = reg_token_create(&op, c->who.user_id, c->input, &created, &why);
	if (err == OST_ERR_INVALID)
		return tokens_page(c, 400, json_pack("{s:{s:s, s:s?}}", "error", "message",
		    why.message, "field", why.field));
	if (err)
		return err;
	return tokens_page(c, 201, json_pack("{s:o}", "created", created));
}

enum ost_err
admin_tokens_revoke(struct ctx *c)
{
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_token_revoke(&op, c->who.user_id, ctx_param_id(c, 0))))
		return err;
	return response_redirect(c->res, &c->app->cfg, "/admin/tokens");
}
