/* auth.c - who is calling: console sessions, personal API tokens, CSRF, roles */
#include "auth/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/cache.h"
#include "core/buf.h"
#include "core/log.h"
#include "render/render.h"
#include "store/generations.h"
#include "store/session.h"
#include "store/token.h"

static const char *const role_names[] = {"SUPER_ADMINISTRATOR", "USER_PROVISIONING", "AUDITOR"};
#define NROLES (sizeof(role_names) / sizeof(role_names[0]))

unsigned
auth_roles_parse(const char *csv)
{
	unsigned roles = 0;
	size_t i, n;
	const char *p = csv;

	while (p && *p) {
		n = strcspn(p, ",");
		for (i = 0; i < NROLES; i++)
			if (strlen(role_names[i]) == n && strncmp(p, role_names[i], n) == 0)
				roles |= 1u << i;
		p += n + (p[n] == ',');
	}
	return roles;
}

json_t *
auth_roles_json(unsigned roles)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < NROLES; i++)
		if (roles & (1u << i))
			json_array_append_new(a, json_string(role_names[i]));
	return a;
}

/* The string at KEY of ROW, or "". */
static const char *
row_str(const json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));

	return s ? s : "";
}

/* Copy a stored person ROW into WHO. */
static void
principal_fill(struct principal *who, const json_t *row)
{
	snprintf(who->email, sizeof(who->email), "%s",
	    row_str(row, "email"));
	snprintf(who->first_name, sizeof(who->first_name), "%s",
	    row_str(row, "first_name"));
	snprintf(who->last_name, sizeof(who->last_name), "%s",
	    row_str(row, "last_name"));
	who->user_id = json_integer_value(json_object_get(row, "id"));
	who->roles = auth_roles_parse(json_string_value(json_object_get(row, "roles"))) | ROLE_PERSON;
}

/* A stored flag that MariaDB may hand back as a boolean or a number. */
static int
row_flag(const json_t *row, const char *key)
{
	const json_t *v = json_object_get(row, key);

	return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0);
}

/* The session's CSRF token: HMAC(pepper, "csrf" || session hash), so
 * nothing more is stored and it dies with the session. */
static OST_MUST_CHECK enum ost_err
csrf_token(const struct app *app, const uint8_t *hash, char out[CRYPTO_TOKEN_TEXT])
{
	uint8_t msg[4 + CRYPTO_SHA256_LEN], mac[CRYPTO_SHA256_LEN];
	enum ost_err err;

	memcpy(msg, "csrf", 4);
	memcpy(msg + 4, hash, CRYPTO_SHA256_LEN);
	if ((err = crypto_hmac_sha256(app->pepper, APP_PEPPER_LEN, msg, sizeof(msg), mac)))
		return err;
	return crypto_b64url_encode(mac, sizeof(mac), out, CRYPTO_TOKEN_TEXT);
}

enum ost_err
auth_session(const struct app *app, const struct request *r, struct principal *who, int *expired)
{
	const char *cookie = request_cookie(r, AUTH_SESSION_COOKIE(&app->cfg));
	json_t *row = NULL;
	enum ost_err err;

	memset(who, 0, sizeof(*who));
	if (expired)
		*expired = 0;
	if (!cookie || strlen(cookie) != CRYPTO_TOKEN_TEXT - 1)
		return OST_ERR_UNAUTHORIZED;
	crypto_token_hash(cookie, strlen(cookie), who->session_hash);
	err = store_session_lookup(who->session_hash, &row);
	if (err == OST_ERR_NOT_FOUND)
		return OST_ERR_UNAUTHORIZED;
	if (err)
		return err;
	if (row_flag(row, "expired") || !row_flag(row, "enabled")) {
		if (expired)
			*expired = row_flag(row, "expired");
		json_decref(row);
		return OST_ERR_UNAUTHORIZED;
	}
	principal_fill(who, row);
	who->via = AUTH_VIA_SESSION;
	if ((err = csrf_token(app, who->session_hash, who->csrf)))
		memset(who, 0, sizeof(*who));
	json_decref(row);
	return err;
}

json_t *
auth_principal_json(const struct principal *who)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)who->user_id, "email",
	    who->email, "first_name", who->first_name, "last_name", who->last_name, "roles",
	    auth_roles_json(who->roles));
}

json_t *
auth_me_json(const struct principal *who)
{
	json_t *me = auth_principal_json(who);

	if (me && json_object_set_new(me, "auth",
	              json_string(who->via == AUTH_VIA_TOKEN ? "token" : "session"))) {
		json_decref(me);
		return NULL;
	}
	return me;
}

/* WHO's auth_me_json rendered into its me_json, for the token's check to
 * keep: none (me_len 0) when it cannot be made or is too long. */
static void
keep_me_json(struct principal *who)
{
	json_t *me = auth_me_json(who);
	struct buf out;

	who->me_len = 0;
	buf_init(&out, AUTH_ME_JSON_MAX - 1);
	if (me && !render_json(me, &out) && out.len < AUTH_ME_JSON_MAX) {
		memcpy(who->me_json, out.p, out.len);
		who->me_len = out.len;
	}
	buf_free(&out);
	json_decref(me);
}

/* What a personal token's check keeps in the worker's cache. */
struct token_hit {
	struct principal who;
	time_t touched; /* when its last use was last noted */
};

/* The worker's cache of credential checks, made on first use. */
static struct cache checks;
static int checks_ready;

#define CHECKS_ENTRIES 4096
#define CHECKS_BYTES (8u << 20)
#define CHECK_KEEP_MAX 3600 /* seconds an entry lives at most without a change */
#define TOKEN_TOUCH_EVERY 60

struct cache *
auth_cache(void)
{
	if (!checks_ready && !cache_init(&checks, CHECKS_ENTRIES, CHECKS_BYTES))
		checks_ready = 1;
	return checks_ready ? &checks : NULL;
}

void
auth_generations_poll(const struct app *app)
{
	/* one process of the host reads them, at most once per interval */
	if (gen_shared() && gen_poll_due(app->cfg.generation_poll) && store_generations_poll())
		log_warn("the database's generation counters could not be read");
}

/* Note the use of the token of HIT at most once a minute. */
static void
token_touch(struct token_hit *hit, time_t now)
{
	if (now - hit->touched < TOKEN_TOUCH_EVERY)
		return;
	hit->touched = now;
	if (store_token_touch(hit->who.token_id))
		log_warn("could not note the use of token %lld", hit->who.token_id);
}

enum ost_err
auth_bearer(const struct app *app, const struct request *r, struct principal *who)
{
	const char *h = request_header(r, "Authorization");
	uint8_t hash[CRYPTO_SHA256_LEN];
	struct cache *c = auth_cache();
	struct cache_gens gens;
	struct token_hit *hit, fresh;
	time_t now = time(NULL), until;
	json_t *row = NULL, *ttl;
	size_t len = 0;
	enum ost_err err;

	memset(who, 0, sizeof(*who));
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return OST_ERR_NOT_FOUND;
	h += 7;
	while (*h == ' ')
		h++;
	if (strlen(h) != CRYPTO_TOKEN_TEXT - 1)
		return OST_ERR_UNAUTHORIZED;
	crypto_token_hash(h, strlen(h), hash);
	auth_generations_poll(app);
	if (c && (hit = cache_get(c, AUTH_CACHE_TOKEN, hash, now, &len)) && len == sizeof(*hit)) {
		*who = hit->who;
		token_touch(hit, now);
		return OST_OK;
	}
	/* the counters BEFORE the read: a change committed meanwhile is seen */
	cache_gens(&gens, GEN_BIT(GEN_TOKENS) | GEN_BIT(GEN_PEOPLE));
	err = store_token_lookup(hash, &row);
	if (err == OST_ERR_NOT_FOUND)
		return OST_ERR_UNAUTHORIZED;
	if (err)
		return err;
	if (row_flag(row, "revoked") || row_flag(row, "expired") || !row_flag(row, "enabled")) {
		json_decref(row);
		return OST_ERR_UNAUTHORIZED;
	}
	principal_fill(who, row);
	who->via = AUTH_VIA_TOKEN;
	who->token_id = json_integer_value(json_object_get(row, "token_id"));
	/* last use is noted at most once a minute, to keep reads free of writes */
	if (row_flag(row, "stale") && store_token_touch(who->token_id))
		log_warn("could not note the use of token %lld", who->token_id);
	/* kept until the token expires (the seconds left, rounded down) */
	ttl = json_object_get(row, "ttl");
	until = now + CHECK_KEEP_MAX;
	if (json_is_integer(ttl) && json_integer_value(ttl) < CHECK_KEEP_MAX)
		until = now + (time_t)json_integer_value(ttl);
	keep_me_json(who);
	memset(&fresh, 0, sizeof(fresh));
	fresh.who = *who;
	fresh.touched = row_flag(row, "stale") ? now : now - TOKEN_TOUCH_EVERY / 2;
	if (c && until > now && cache_put(c, AUTH_CACHE_TOKEN, hash, &gens, until, &fresh,
	                            sizeof(fresh)))
		log_warn("a credential check could not be cached");
	crypto_wipe(&fresh, sizeof(fresh));
	json_decref(row);
	return OST_OK;
}

int
auth_csrf_valid(const struct principal *who, const char *given)
{
	if (who->via != AUTH_VIA_SESSION || !given || strlen(given) != CRYPTO_TOKEN_TEXT - 1)
		return 0;
	return crypto_equal(who->csrf, given, CRYPTO_TOKEN_TEXT - 1);
}
