/* auth.h - who is calling: console sessions, personal API tokens, CSRF, roles */
#ifndef OST_AUTH_H
#define OST_AUTH_H

#include <stdint.h>
#include <jansson.h>
#include "core/app.h"
#include "core/err.h"
#include "crypto/crypto.h"
#include "http/request.h"
#include "http/response.h"

enum role {
	ROLE_SUPER_ADMINISTRATOR = 1 << 0,
	ROLE_USER_PROVISIONING = 1 << 1,
	ROLE_AUDITOR = 1 << 2,
};
#define ROLES_ANY (ROLE_SUPER_ADMINISTRATOR | ROLE_USER_PROVISIONING | ROLE_AUDITOR)
/* Not a console role: every signed-in person holds it, a member of a
 * company without a role too (the routes of the member's view ask for it). */
#define ROLE_PERSON (1 << 3)

/* The names of the session cookie and of the sign-in form's CSRF cookie
 * under CFG. Outside development mode they carry COOKIE_HOST_PREFIX, so
 * that a site on a sibling domain cannot set a session (or a sign-in
 * token) here: such a cookie is then Path=/ even under a path prefix
 * (README, "Cookies"). Plain http (development mode) cannot hold one. */
#define AUTH_SESSION_COOKIE(cfg) \
	((cfg)->development ? "ostium_session" : COOKIE_HOST_PREFIX "ostium_session")
#define AUTH_LOGIN_COOKIE(cfg) \
	((cfg)->development ? "ostium_login" : COOKIE_HOST_PREFIX "ostium_login")

enum auth_via { AUTH_VIA_NONE, AUTH_VIA_SESSION, AUTH_VIA_TOKEN };

/* The authenticated caller. */
#define AUTH_ME_JSON_MAX 2048 /* a longer rendering is not kept */

struct principal {
	enum auth_via via;
	long long user_id;
	char email[255];                     /* 254 bytes, as valid_email measures */
	char first_name[4 * 100 + 1];        /* 100 characters of up to 4 bytes each */
	char last_name[4 * 100 + 1];         /* the same */
	unsigned roles;                      /* enum role bits */
	long long token_id;                  /* AUTH_VIA_TOKEN */
	uint8_t session_hash[CRYPTO_SHA256_LEN]; /* AUTH_VIA_SESSION */
	char csrf[CRYPTO_TOKEN_TEXT];        /* AUTH_VIA_SESSION: the session's CSRF token */
	size_t me_len;                       /* AUTH_VIA_TOKEN: the bytes of ME_JSON, 0 none */
	char me_json[AUTH_ME_JSON_MAX];      /* auth_me_json rendered, as the token's check
	                                        keeps it (GET /api/v1/me answers it) */
};

/* The kinds of entries of the worker's cache of credential checks. */
enum auth_cache_kind {
	AUTH_CACHE_TOKEN = 1, AUTH_CACHE_APP_KEY, AUTH_CACHE_APP_SHEET,
	AUTH_CACHE_OAUTH_CLIENT, /* a client secret checked at the OAuth endpoints */
	AUTH_CACHE_OAUTH_TOKEN,  /* an OAuth access token looked up (auth/oauth_check.h) */
	AUTH_CACHE_OAUTH_APP,    /* the application of a checked access token, for a company */
};

struct cache;
/* auth_cache - the worker's cache of credential checks (auth/cache.h),
 * made on first use; NULL when it cannot be. */
struct cache *auth_cache(void);

/* auth_generations_poll - when it is this process's turn (at most once per
 * generation_poll seconds on the host), read the database's generation
 * counters, so that the changes other hosts made drop what is cached. */
void auth_generations_poll(const struct app *app);

/* auth_roles_parse - role bits of "A,B" as stored (NULL: none). */
unsigned auth_roles_parse(const char *csv);

/* auth_roles_json - a new array of the role names in ROLES. */
json_t *auth_roles_json(unsigned roles);

/* auth_session - the caller of R by its session cookie into WHO.
 * OST_ERR_UNAUTHORIZED when there is no valid session; *EXPIRED (may be
 * NULL) is then set when the cookie named a session that has expired. */
enum ost_err auth_session(const struct app *app, const struct request *r,
    struct principal *who, int *expired) OST_MUST_CHECK;

/* auth_bearer - the caller of R by "Authorization: Bearer TOKEN" into WHO.
 * OST_ERR_NOT_FOUND when R has no bearer credentials at all,
 * OST_ERR_UNAUTHORIZED when the token is unknown, revoked, expired or its
 * owner disabled. */
enum ost_err auth_bearer(const struct app *app, const struct request *r, struct principal *who)
    OST_MUST_CHECK;

/* auth_csrf_valid - 1 when GIVEN is WHO's CSRF token (constant time). */
int auth_csrf_valid(const struct principal *who, const char *given);

/* auth_principal_json - a new object {id, email, first_name, last_name,
 * roles} describing WHO. */
json_t *auth_principal_json(const struct principal *who);

/* auth_me_json - a new object: auth_principal_json(WHO) and how WHO came
 * in (auth: token or session), what GET /api/v1/me answers. */
json_t *auth_me_json(const struct principal *who);

#endif
