/* tokens.c - administrators' personal API tokens: made (shown once) and
 * revoked, each an audited change */
#include "registry/tokens.h"

#include "crypto/crypto.h"
#include "registry/change.h"
#include "store/token.h"

static const struct field token_fields[] = {
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100,
	    .flags = FIELD_REQUIRED},
};
const struct field_table reg_token_body = FIELD_TABLE("TokenNew", token_fields);

/* What reg_token_create answers. */
static const struct field created_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "name", .kind = FIELD_STRING},
	{.name = "token", .kind = FIELD_STRING,
	    .help = "The bearer token, shown this once"},
};
const struct field_table reg_token_created = FIELD_TABLE("TokenCreated", created_fields);

enum ost_err
reg_token_create(const struct op *op, long long user_id, const json_t *in, json_t **tree)
{
	const char *name = json_string_value(json_object_get(in, "name"));
	char text[CRYPTO_TOKEN_TEXT];
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *details = json_pack("{s:s, s:I}", "name", name ? name : "", "user_id",
	    (json_int_t)user_id);
	long long id = 0;
	struct change ch;
	enum ost_err err = details && name ? change_begin(&ch, op) : OST_ERR_INVALID;

	*tree = NULL;
	if (err) {
		json_decref(details);
		return err;
	}
	crypto_token_new(text, hash);
	err = store_token_create(user_id, name, hash, &id);
	if (!err)
		err = change_audit(&ch, "token.create", "token", id, details);
	if (!(err = change_end(&ch, err)) &&
	    !(*tree = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", name, "token",
	          text)))
		err = OST_ERR_NOMEM;
	crypto_wipe(text, sizeof(text));
	crypto_wipe(hash, sizeof(hash));
	json_decref(details);
	return err;
}

enum ost_err
reg_token_revoke(const struct op *op, long long user_id, long long id)
{
	json_t *details = json_pack("{s:I}", "user_id", (json_int_t)user_id);
	struct change ch;
	enum ost_err err = details ? change_begin(&ch, op) : OST_ERR_NOMEM;

	if (err) {
		json_decref(details);
		return err;
	}
	err = store_token_revoke(user_id, id);
	if (!err)
		err = change_audit(&ch, "token.revoke", "token", id, details);
	json_decref(details);
	return change_end(&ch, err);
}
