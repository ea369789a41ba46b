/* tokens.c - administrators' personal API tokens: list, create (shown once), revoke */
#include "api/handlers.h"

#include "http/face.h"
#include "registry/tokens.h"
#include "store/token.h"

enum ost_err
api_tokens_list(struct ctx *c)
{
	json_t *rows;
	enum ost_err err = store_token_list(c->who.user_id, &rows);

	if (err)
		return err;
	response_set(c->res, 200, json_pack("{s:o}", "tokens", rows), NULL);
	return OST_OK;
}

enum ost_err
api_tokens_create(struct ctx *c)
{
	struct op op;
	json_t *tree;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_token_create(&op, c->who.user_id, c->input, &tree)))
		return err;
	response_set(c->res, 201, tree, NULL);
	return OST_OK;
}

enum ost_err
api_tokens_revoke(struct ctx *c)
{
	struct op op;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_token_revoke(&op, c->who.user_id, ctx_param_id(c, 0))))
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
