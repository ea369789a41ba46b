/* oauth_check.c - the access tokens of the authorization server as the
 * endpoints and the application API check them, kept in the worker's
 * cache of credential checks while valid */
#include "auth/oauth_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/cache.h"
#include "core/gen.h"
#include "core/log.h"
#include "store/app_auth.h"
#include "store/oauth_token.h"

#define OAUTH_CHECK_KEEP_MAX 3600 /* seconds an entry lives at most without a change */
#define PUBLIC_ID_MAX 64          /* bytes of a public id in a cache key */

/* Until when the looked-up ROW may be kept: a valid access token until it
 * expires (by the database's clock: the seconds it had left then, rounded
 * down), at most OAUTH_CHECK_KEEP_MAX; anything else not at all (NOW). */
static time_t
keep_until(const json_t *row, time_t now)
{
	const char *kind = json_string_value(json_object_get(row, "kind"));
	const json_t *ttl = json_object_get(row, "ttl");

	if (!kind || strcmp(kind, "access") != 0 || !json_is_true(json_object_get(row, "valid")) ||
	    !json_is_integer(ttl) || json_integer_value(ttl) <= 0)
		return now;
	if (json_integer_value(ttl) >= OAUTH_CHECK_KEEP_MAX)
		return now + OAUTH_CHECK_KEEP_MAX;
	return now + (time_t)json_integer_value(ttl);
}

/* Keep TEXT (a JSON row, may be NULL) of KIND under KEY, read at G, until UNTIL. */
static void
keep(struct cache *c, unsigned kind, const uint8_t *key, const struct cache_gens *g,
    time_t until, const char *text)
{
	if (!text || cache_put(c, kind, key, g, until, text, strlen(text)))
		log_warn("an OAuth check could not be cached");
}

enum ost_err
auth_oauth_token(const struct app *app, const uint8_t hash[CRYPTO_SHA256_LEN], json_t **row)
{
	struct cache *c = auth_cache();
	struct cache_gens gens;
	time_t now = time(NULL), until;
	const char *hit;
	char *text;
	size_t len = 0;
	enum ost_err err;

	*row = NULL;
	auth_generations_poll(app);
	if (c && (hit = cache_get(c, AUTH_CACHE_OAUTH_TOKEN, hash, now, &len)) &&
	    (*row = json_loadb(hit, len, 0, NULL)))
		return OST_OK;
	/* the counters BEFORE the read: a change committed meanwhile is seen */
	cache_gens(&gens, OAUTH_CHECK_GENS);
	if ((err = store_oauth_token_lookup(hash, row)))
		return err;
	until = keep_until(*row, now);
	json_object_del(*row, "ttl"); /* true only now */
	if (!c || until <= now)
		return OST_OK;
	text = json_dumps(*row, JSON_COMPACT);
	keep(c, AUTH_CACHE_OAUTH_TOKEN, hash, &gens, until, text);
	free(text);
	return OST_OK;
}

enum ost_err
auth_oauth_app(const struct app *app, const char *public_id, long long group_id, json_t **row)
{
	struct cache *c = auth_cache();
	struct cache_gens gens;
	uint8_t key[CRYPTO_SHA256_LEN];
	char buf[sizeof("oauth-app::") + PUBLIC_ID_MAX + 24];
	time_t now = time(NULL);
	const char *hit;
	char *text;
	size_t len = 0;
	int n;
	enum ost_err err;

	*row = NULL;
	auth_generations_poll(app);
	n = snprintf(buf, sizeof(buf), "oauth-app:%.*s:%lld", PUBLIC_ID_MAX,
	    public_id ? public_id : "", group_id);
	crypto_token_hash(buf, (size_t)n, key);
	if (c && (hit = cache_get(c, AUTH_CACHE_OAUTH_APP, key, now, &len)) &&
	    (*row = json_loadb(hit, len, 0, NULL)))
		return OST_OK;
	/* the counters BEFORE the read: a change committed meanwhile is seen */
	cache_gens(&gens, GEN_BIT(GEN_APPS));
	if ((err = store_app_auth_lookup(public_id, group_id, row)))
		return err;
	json_object_del(*row, "key_hash");
	json_object_del(*row, "previous_key_hash");
	json_object_del(*row, "previous_key_ttl");
	/* only an installation is kept: installing moves no counter, so a
	 * kept "not installed" would outlive it */
	if (c && json_is_integer(json_object_get(*row, "company_id"))) {
		text = json_dumps(*row, JSON_COMPACT);
		keep(c, AUTH_CACHE_OAUTH_APP, key, &gens, now + OAUTH_CHECK_KEEP_MAX, text);
		free(text);
	}
	return OST_OK;
}
