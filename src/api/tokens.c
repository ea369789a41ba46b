/* tokens.c - administrators' personal API tokens: list, create (shown once), revoke */
#include "api/handlers.h"

#include "http/face.h"
#include "registry/tokens.h"
#include "store/token.h"

static const char *const token_states[] = {"active", "expired", "revoked", NULL};

/* A token as rows hold it (STMT_TOKEN_LIST): never the token itself. */
static const struct field token_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "name", .kind = FIELD_STRING},
	{.name = "created_at", .kind = FIELD_TIME},
	{.name = "expires_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE,
	    .help = "When it stops working; null: never"},
	{.name = "last_used_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE},
	{.name = "revoked_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE},
	{.name = "state", .kind = FIELD_ENUM, .choices = token_states,
	    .help = "Whether it still works"},
};
static const struct field_table token_row = FIELD_TABLE("Token", token_fields);
static const struct field list_fields[] = {
	{.name = "tokens", .kind = FIELD_ROWS, .rows = &token_row,
	    .help = "The caller's tokens, newest first (at most 200)"},
};
const struct field_table api_tokens_answer = FIELD_TABLE("TokenList", list_fields);

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
	struct field_error why = {0};
	struct op op;
	json_t *tree;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_token_create(&op, c->who.user_id, c->input, &tree, &why);
	if (err == OST_ERR_INVALID)
		return reply_refusal(c, err, &why);
	if (err)
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
