/* app_auth.h - applications calling the application API: Basic credentials,
 * their company, allowed addresses, capabilities and permissions, CORS */
#ifndef OST_APP_AUTH_H
#define OST_APP_AUTH_H

#include <jansson.h>
#include "core/err.h"
#include "http/routes.h"

/* Every route of the application API is under this path (ROUTE_APP rows). */
#define APP_API_PREFIX "/api/v1/app/"

/* Failed authentications allowed per public id within throttle_window
 * (from the caller's address: throttle_address, counted apart from
 * sign-ins). Past either, failures are answered 429. A right key is never
 * refused: keys are 256 random bits, so the throttle bounds what failures
 * cost rather than slowing a guess, and whoever knows a public id (it is
 * not secret) cannot lock its application out. */
#define APP_AUTH_ID_FAILURES 20

/* How long a browser may keep a preflight answer, seconds. */
#define APP_CORS_MAX_AGE "600"

/* What a ROUTE_APP row may need (its roles column holds these bits): a
 * capability ("read:companies": "companies" in the application's
 * capabilities.read) or a permission (in its permissions list). */
enum app_need {
	APP_NEED_READ_CONNECTIONS = 1u << 0,
	APP_NEED_WRITE_CONNECTIONS = 1u << 1,
	APP_NEED_READ_USERS = 1u << 2,
	APP_NEED_WRITE_USERS = 1u << 3,
	APP_NEED_READ_COMPANIES = 1u << 4,
	APP_NEED_WRITE_COMPANIES = 1u << 5,
	APP_NEED_SEND_MESSAGES = 1u << 6,
	APP_NEED_GET_USER_CONNECTIONS = 1u << 7,
	APP_NEED_REQUEST_USER_CONNECTIONS = 1u << 8,
	APP_NEED_SET_PRESENCE = 1u << 9,
	APP_NEED_GET_PRESENCE = 1u << 10,
	APP_NEED_GET_BASIC_USER_INFO = 1u << 11,
	APP_NEED_GET_EXTENDED_USER_INFO = 1u << 12,
	APP_NEED_GET_BASIC_CONTACT_INFO = 1u << 13,
	APP_NEED_GET_EXTENDED_CONTACT_INFO = 1u << 14,
	APP_NEED_ACT_AS_USER = 1u << 15,
	APP_NEED_MANAGE_SIGNALS = 1u << 16,
	APP_NEED_MANAGE_USER_FOLLOWING = 1u << 17,
	APP_NEED_TRUST_APP = 1u << 18,
	/* not a need: the route also takes an access token a person granted the
	 * application ("Authorization: Bearer"), and the call then acts for
	 * them (C->caller's "user_id") */
	APP_TAKES_USER_TOKEN = 1u << 30,
};

/* app_auth_or_reply - authenticate the application calling C and admit it
 * to a route needing NEEDS (enum app_need bits). Instead of Basic, an
 * "Authorization: Bearer" access token the application got for itself
 * (client_credentials) may be sent: active, not a user's unless NEEDS has
 * APP_TAKES_USER_TOKEN (then C->caller's "user_id" names the person who
 * granted it); a permission NEEDS names must then also be in its scope. The rules, in order:
 *  - https, except in development mode for a loopback client (so a request
 *    forwarded for another address by a trusted proxy must say https):
 *    403 otherwise;
 *  - "Authorization: Basic base64(public_id:private_api_key)": one indexed
 *    lookup reads the application and its installation in the company,
 *    then the key's HMAC-SHA256 with the pepper is compared with the stored
 *    one, and with the previous one within its grace period. An unknown
 *    public id costs the same lookup and HMAC. Any failure: 401 with
 *    WWW-Authenticate: Basic, one answer for all; 429 with Retry-After
 *    instead once the public id (APP_AUTH_ID_FAILURES) or the address
 *    (throttle_address) has failed too often in throttle_window;
 *  - group_id (query parameter or X-Group-Id header, a company id): 400
 *    naming group_id when missing or malformed;
 *  - the caller's address within allowed_ips (empty: any): 403 otherwise;
 *  - installed in that company: 403 otherwise;
 *  - NEEDS among its capabilities and permissions: 403 naming the first
 *    one missing.
 * Once the credentials are good, a request whose Origin is the
 * application's domain (a host-name domain: https:// that host, and
 * http:// too in development mode) or one of its allowed_origins ("*": any) gets
 * Access-Control-Allow-Origin, whatever follows. On success C->caller
 * holds {"app": the identity sheet with group_id, "company": {id, name,
 * slug}, "permissions": those the call holds (the application's, narrowed
 * by a token's scope)}; on failure the answer is set and the error
 * returned. */
enum ost_err app_auth_or_reply(struct ctx *c, unsigned needs) OST_MUST_CHECK;

/* app_auth_caller_holds - 1 when the call admitted by app_auth_or_reply
 * holds PERMISSION: its application has it and, called with a token, the
 * token's scope names it (a need decided by the handler, which the route
 * cannot declare). */
int app_auth_caller_holds(const struct ctx *c, const char *permission);

/* app_auth_key_matches - 1 when KEY (KEYLEN bytes) is the private API key
 * of the application ROW (its key_hash, or its previous_key_hash when the
 * row holds it: the lookups leave it null past its grace period), in hex.
 * The same work whether ROW is an application or NULL (an unknown public
 * id): one HMAC, two constant-time comparisons. Also the client_secret of
 * the OAuth endpoints (oauth/client.c). */
int app_auth_key_matches(const struct app *app, const json_t *row, const char *key,
    size_t keylen);

/* app_auth_failure - a failed authentication of PUBLIC_ID ("" when it is
 * not one) from ADDR: when the public id (APP_AUTH_ID_FAILURES) or the
 * address (throttle_address) has failed too often within throttle_window,
 * *RETRY_AFTER gets the seconds to wait (nothing more is noted); else the
 * failure is noted for both and *RETRY_AFTER is 0. Shared by the
 * application API and the OAuth endpoints: one credential, one count. */
enum ost_err app_auth_failure(const struct app *app, const char *public_id, const char *addr,
    unsigned *retry_after) OST_MUST_CHECK;

/* app_auth_cors - Access-Control-Allow-Origin (and Vary: Origin) on C's
 * answer when its Origin is the application APP's domain or one of its
 * allowed_origins (a JSON list, "*" for any); nothing otherwise. */
enum ost_err app_auth_cors(struct ctx *c, const json_t *app) OST_MUST_CHECK;

/* app_auth_is_api_path - 1 when PATH is under APP_API_PREFIX. */
int app_auth_is_api_path(const char *path);

/* app_auth_preflight - answer a CORS preflight (OPTIONS) to the
 * application API with 204. A preflight carries no credentials, so the
 * CORS headers (the methods ALLOW of the path, the headers Authorization,
 * X-Group-Id, Content-Type and Accept, Max-Age) go to an Origin that is
 * some application's domain or allowed origin (or to any origin once one
 * application allows "*"); the real request is then checked against the
 * calling application's own origins. Other origins get a bare 204. */
enum ost_err app_auth_preflight(struct ctx *c, const char *allow) OST_MUST_CHECK;

/* app_auth_ip_allowed - 1 when ADDR (IPv4 or IPv6 text) is one of LIST's
 * entries: addresses or CIDR ranges, IPv4 or IPv6 (an IPv4-mapped IPv6
 * address counts as its IPv4 address). An empty or absent LIST allows
 * every address; an entry that cannot be read matches nothing. */
int app_auth_ip_allowed(const json_t *list, const char *addr);

/* app_auth_loopback - 1 when ADDR is a loopback address (127.0.0.0/8, ::1). */
int app_auth_loopback(const char *addr);

#endif
