/* revoke.c - POST /oauth/revoke (RFC 7009): the client revokes one of its
 * tokens; a refresh token takes its whole grant with it (section 2.1), an
 * access token goes alone. An unknown token, or another client's, is
 * answered 200 all the same (section 2.2) and left as it is. */
#include "oauth/oauth.h"

#include <string.h>

#include "registry/change.h"
#include "store/oauth_token.h"

/* Revoke the token ROW: its grant when it is a refresh token. */
static OST_MUST_CHECK enum ost_err
revoke_tx(void *arg)
{
	const json_t *row = arg;
	const char *kind = json_string_value(json_object_get(row, "kind"));
	long long grant = json_integer_value(json_object_get(row, "grant_id"));

	if (kind && strcmp(kind, "refresh") == 0 && grant > 0)
		return store_oauth_grant_revoke(grant);
	return store_oauth_token_revoke(json_integer_value(json_object_get(row, "id")));
}

enum ost_err
oauth_revoke(struct ctx *c)
{
	struct oauth_fail f = {0};
	struct oauth_client cl = {0};
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *row = NULL;
	enum ost_err err;

	oauth_purge_maybe();
	if (!(err = oauth_token_of_client(c, 1, &cl, hash, &f))) {
		err = store_oauth_token_lookup(hash, &row);
		if (!err && json_integer_value(json_object_get(row, "app_id")) == cl.id)
			err = bookkeeping_run_invalidating(GEN_BIT(GEN_OAUTH), revoke_tx, row);
		if (err == OST_ERR_NOT_FOUND)
			err = OST_OK;
	}
	json_decref(row);
	oauth_client_free(&cl);
	if (err)
		return oauth_reply(c, err, &f);
	response_set(c->res, 200, NULL, NULL);
	return OST_OK;
}
