/* issue.c - who may get tokens, a user's opaque sub, the issuing of access
 * and refresh tokens (256 random bits each, only their SHA-256 stored) and
 * the periodic clean-up of what has expired */
#include "oauth/oauth.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "core/log.h"
#include "registry/change.h"
#include "store/oauth_client.h"
#include "store/oauth_token.h"

#define PURGE_EVERY 300   /* seconds between two clean-ups of one worker */
#define PURGE_BATCH 1000  /* rows of each kind one clean-up removes at most */

/* A flag MariaDB may hand back as a boolean or a number. */
static int
flag(const json_t *row, const char *key)
{
	const json_t *v = json_object_get(row, key);

	return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0);
}

enum ost_err
oauth_user_eligible(long long app_id, long long user_id, json_t **out, struct oauth_fail *f)
{
	json_t *row = NULL;
	enum ost_err err = store_oauth_user(app_id, user_id, &row);

	if (out)
		*out = NULL;
	if (err == OST_ERR_NOT_FOUND)
		return oauth_refuse(f, "invalid_grant", "The user no longer exists");
	if (err)
		return err;
	if (!flag(row, "enabled") || !flag(row, "app_user_enabled"))
		err = oauth_refuse(f, "invalid_grant",
		    "The user is disabled, or not an enabled user of this application");
	else if (auth_roles_parse(json_string_value(json_object_get(row, "roles"))) != 0)
		err = oauth_refuse(f, "invalid_grant",
		    "A person with a console role is never given tokens for an application");
	if (!err && out)
		*out = row;
	else
		json_decref(row);
	return err;
}

enum ost_err
oauth_subject(const struct app *app, long long user_id, char *out)
{
	uint8_t mac[CRYPTO_SHA256_LEN];
	char msg[48];
	enum ost_err err;
	int n = snprintf(msg, sizeof(msg), "oauth-sub:%lld", user_id);

	if ((err = crypto_hmac_sha256(app->pepper, APP_PEPPER_LEN, msg, (size_t)n, mac)))
		return err;
	return crypto_hex_encode(mac, OAUTH_SUB_LEN / 2, out, OAUTH_SUB_LEN + 1);
}

/* A new token of KIND for IS into TEXT (kept in IS), stored by its hash. */
static OST_MUST_CHECK enum ost_err
one_token(const struct oauth_issue *is, const char *kind, unsigned ttl, char *text)
{
	uint8_t hash[CRYPTO_SHA256_LEN];
	struct oauth_token_row t = {
	    .hash = hash,
	    .kind = kind,
	    .app_id = is->app_id,
	    .user_id = is->user_id,
	    .grant_id = is->grant_id,
	    .scope = is->scope,
	    .ttl = ttl,
	};

	crypto_token_new(text, hash);
	return store_oauth_token_create(&t);
}

enum ost_err
oauth_issue_tokens(struct oauth_issue *is)
{
	enum ost_err err = one_token(is, "access", is->access_ttl, is->access);

	is->refresh[0] = '\0';
	if (!err && is->refresh_ttl)
		err = one_token(is, "refresh", is->refresh_ttl, is->refresh);
	return err;
}

json_t *
oauth_issue_answer(const struct oauth_issue *is)
{
	json_t *tree = json_pack("{s:s, s:s, s:I, s:s}", "access_token", is->access, "token_type",
	    "Bearer", "expires_in", (json_int_t)is->access_ttl, "scope", is->scope);

	if (tree && is->refresh[0] &&
	    json_object_set_new(tree, "refresh_token", json_string(is->refresh))) {
		json_decref(tree);
		return NULL;
	}
	return tree;
}

void
oauth_issue_wipe(struct oauth_issue *is)
{
	crypto_wipe(is->access, sizeof(is->access));
	crypto_wipe(is->refresh, sizeof(is->refresh));
}

/* The clean-up itself: bookkeeping of the system's own. */
static OST_MUST_CHECK enum ost_err
purge(void *arg)
{
	return store_oauth_purge(PURGE_BATCH, arg);
}

enum ost_err
oauth_purge_now(unsigned long long *removed)
{
	unsigned long long batch;
	enum ost_err err;

	*removed = 0;
	do {
		batch = 0;
		err = bookkeeping_run(purge, &batch);
		*removed += batch;
	} while (!err && batch > 0);
	return err;
}

void
oauth_purge_maybe(void)
{
	static time_t last;
	time_t now = time(NULL);
	unsigned long long removed = 0;
	enum ost_err err;

	if (last && now - last < PURGE_EVERY)
		return;
	last = now;
	if ((err = bookkeeping_run(purge, &removed)))
		log_warn("the clean-up of expired OAuth tokens failed: %s", ost_strerror(err));
	else if (removed)
		log_info("the clean-up removed %llu expired OAuth rows", removed);
}
