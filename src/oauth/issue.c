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
#define PURGE_BATCH 1000  /* rows of each kind one batch (one transaction) removes */
#define PURGE_ROUNDS 20   /* batches one clean-up by a worker runs at most */

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

/* A new token of KIND for IS with SCOPE into TEXT (kept in IS), stored by
 * its hash. */
static OST_MUST_CHECK enum ost_err
one_token(const struct oauth_issue *is, const char *kind, unsigned ttl, const char *scope,
    char *text)
{
	uint8_t hash[CRYPTO_SHA256_LEN];
	struct oauth_token_row t = {
	    .hash = hash,
	    .kind = kind,
	    .app_id = is->app_id,
	    .user_id = is->user_id,
	    .grant_id = is->grant_id,
	    .scope = scope,
	    .ttl = ttl,
	};

	crypto_token_new(text, hash);
	return store_oauth_token_create(&t);
}

enum ost_err
oauth_issue_tokens(struct oauth_issue *is)
{
	enum ost_err err = one_token(is, "access", is->access_ttl, is->scope, is->access);

	is->refresh[0] = '\0';
	if (!err && is->refresh_ttl)
		err = one_token(is, "refresh", is->refresh_ttl,
		    is->refresh_scope ? is->refresh_scope : is->scope, is->refresh);
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

/* One batch of the clean-up: bookkeeping of the system's own. */
struct purge_batch {
	unsigned long long removed;
	int more;          /* a kind had a whole batch: more may be left */
};

static OST_MUST_CHECK enum ost_err
purge(void *arg)
{
	struct purge_batch *b = arg;

	return store_oauth_purge(PURGE_BATCH, &b->removed, &b->more);
}

/* Batch after batch, at most ROUNDS (0: no bound) or until what is
 * expired is gone: *REMOVED gets how many rows went, *MORE 1 when the
 * bound stopped it first. */
static OST_MUST_CHECK enum ost_err
purge_rounds(unsigned rounds, unsigned long long *removed, int *more)
{
	struct purge_batch b = {0, 1};
	enum ost_err err = OST_OK;
	unsigned n;

	*removed = 0;
	for (n = 0; !err && b.more && (!rounds || n < rounds); n++) {
		b.removed = 0;
		err = bookkeeping_run(purge, &b);
		*removed += b.removed;
	}
	*more = !err && b.more;
	return err;
}

enum ost_err
oauth_purge_now(unsigned long long *removed)
{
	int more = 0;

	return purge_rounds(0, removed, &more);
}

void
oauth_purge_maybe(void)
{
	static time_t next;
	time_t now = time(NULL);
	unsigned long long removed = 0;
	int more = 0;
	enum ost_err err;

	if (next && now < next)
		return;
	err = purge_rounds(PURGE_ROUNDS, &removed, &more);
	/* behind (the bound stopped it): on again at this worker's next OAuth
	 * request, until it has caught up */
	next = more ? now : now + PURGE_EVERY;
	if (err)
		log_warn("the clean-up of expired OAuth tokens failed: %s", ost_strerror(err));
	else if (removed)
		log_info("the clean-up removed %llu expired OAuth rows%s", removed,
		    more ? ", more are left" : "");
}
