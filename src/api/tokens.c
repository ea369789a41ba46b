/* tokens.c - administrators' personal API tokens: list, create (shown once), revoke */
#include "api/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "valid/valid.h"
#include "store/token.h"

#define TOKEN_NAME_MAX 100

enum ost_err
tokens_create(long long user_id, const char *name, json_t **tree, const char **field_msg)
{
	char text[CRYPTO_TOKEN_TEXT];
	uint8_t hash[CRYPTO_SHA256_LEN];
	long long id = 0;
	enum ost_err err;

	*tree = NULL;
	if ((*field_msg = valid_text(name, 1, TOKEN_NAME_MAX)))
		return OST_ERR_INVALID;
	crypto_token_new(text, hash);
	if (!(err = store_token_create(user_id, name, hash, &id)))
		*tree = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", name, "token", text);
	crypto_wipe(text, sizeof(text));
	return err ? err : *tree ? OST_OK : OST_ERR_NOMEM;
}

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
	const char *problem = NULL;
	json_t *tree;
	enum ost_err err = tokens_create(c->who.user_id, request_field(c->req, "name"), &tree,
	    &problem);

	if (err == OST_ERR_INVALID) {
		response_error(c->res, err, problem, "name");
		return OST_OK;
	}
	if (err)
		return err;
	response_set(c->res, 201, tree, NULL);
	return OST_OK;
}

enum ost_err
api_tokens_revoke(struct ctx *c)
{
	enum ost_err err = store_token_revoke(c->who.user_id, strtoll(c->params[0], NULL, 10));

	if (err)
		return err;
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
