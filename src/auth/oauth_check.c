/* oauth_check.c - the access tokens of the authorization server as the
 * endpoints and the application API check them, kept in the worker's
 * cache of credential checks while valid */
#include "auth/oauth_check.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/cache.h"
#include "core/gen.h"
#include "core/log.h"
#include "store/oauth_token.h"

#define OAUTH_CHECK_KEEP_MAX 3600 /* seconds an entry lives at most without a change */

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
	if (!text || cache_put(c, AUTH_CACHE_OAUTH_TOKEN, hash, &gens, until, text, strlen(text)))
		log_warn("an access token check could not be cached");
	free(text);
	return OST_OK;
}
