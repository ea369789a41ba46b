/* oauth.h - the OAuth 2.0 authorization server: its endpoints (one file
 * each), the refusals of RFC 6749 section 5.2, the parameters of a request,
 * client authentication, scopes and the issuing of tokens that the grants
 * (grant.h) share */
#ifndef OST_OAUTH_H
#define OST_OAUTH_H

#include <stdint.h>
#include <jansson.h>
#include "core/err.h"
#include "crypto/crypto.h"
#include "http/routes.h"

#define OAUTH_CODE_TTL 60          /* seconds an authorization code lives */
#define OAUTH_SIGNIN_TTL 600       /* seconds a sign-in on the pages is remembered */
#define OAUTH_SIGNIN_COOKIE "ostium_oauth"
#define OAUTH_LOGIN_COOKIE "ostium_oauth_login" /* the sign-in form's CSRF token */
#define OAUTH_PARAM_MAX 4096       /* characters of one parameter */
#define OAUTH_SCOPE_MAX 8192       /* bytes of a scope list as stored */
#define OAUTH_SUB_LEN 32           /* hex characters of a user's sub */
#define OAUTH_ASSERTION_TYPE "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

/* ---- the endpoints (routes in http/routes.c) ---- */

enum ost_err oauth_metadata(struct ctx *c) OST_MUST_CHECK;    /* GET /.well-known/oauth-authorization-server */
enum ost_err oauth_token(struct ctx *c) OST_MUST_CHECK;       /* POST /oauth/token */
enum ost_err oauth_revoke(struct ctx *c) OST_MUST_CHECK;      /* POST /oauth/revoke */
enum ost_err oauth_introspect(struct ctx *c) OST_MUST_CHECK;  /* POST /oauth/introspect */
enum ost_err oauth_userinfo(struct ctx *c) OST_MUST_CHECK;    /* GET and POST /oauth/userinfo */
enum ost_err oauth_authorize(struct ctx *c) OST_MUST_CHECK;   /* GET /oauth/authorize */
enum ost_err oauth_signin(struct ctx *c) OST_MUST_CHECK;      /* POST /oauth/authorize */
enum ost_err oauth_consent(struct ctx *c) OST_MUST_CHECK;     /* POST /oauth/consent */

/* The parameters of client authentication in a form (client_secret_post,
 * private_key_jwt, public clients), for the API description. */
#define OAUTH_CLIENT_PARAMS \
	{.name = "client_id", .kind = FIELD_STRING, \
	    .help = "client_secret_post, public clients: the application's public id"}, \
	{.name = "client_secret", .kind = FIELD_STRING, .flags = FIELD_SECRET, \
	    .help = "client_secret_post: the application's private API key"}, \
	{.name = "client_assertion_type", .kind = FIELD_STRING, \
	    .help = "private_key_jwt: " OAUTH_ASSERTION_TYPE}, \
	{.name = "client_assertion", .kind = FIELD_STRING, \
	    .help = "private_key_jwt: a JWT signed RS256 with the application's key"}

/* What the endpoints read and answer, for the API description. */
extern const struct field_table oauth_metadata_answer;
extern const struct field_table oauth_token_params;
extern const struct field_table oauth_token_answer;
extern const struct field_table oauth_token_of_client_params; /* revoke, introspect */
extern const struct field_table oauth_introspect_answer;
extern const struct field_table oauth_userinfo_answer;
/* The refusal of RFC 6749 section 5.2: {error, error_description}. */
extern const struct field_table oauth_error_answer;

/* oauth_is_json_path - 1 for the paths whose every refusal, even one made
 * before a route was chosen, is RFC 6749 JSON (the token, revocation,
 * introspection and userinfo endpoints). */
int oauth_is_json_path(const char *path);

/* oauth_is_path - 1 for the paths of the authorization server (/oauth/...
 * and its metadata), which answer in their one format whatever Accept
 * asks: JSON (OAuth clients speak nothing else), or the HTML pages; never
 * a 406, never XML. */
int oauth_is_path(const char *path);

/* oauth_is_cors_path - 1 for the endpoints a browser application calls
 * directly, which answer CORS preflights (the token and revocation
 * endpoints). */
int oauth_is_cors_path(const char *path);

/* oauth_error_reshape - replace RES's answer (the error shape of ERR, set
 * by the dispatcher) by the RFC 6749 one, keeping its status. */
void oauth_error_reshape(struct response *res, enum ost_err err);

/* ---- refusals (error.c) ---- */

/* Why a request is refused, in RFC 6749's words. */
struct oauth_fail {
	const char *error;         /* "invalid_request", "invalid_client", ... */
	char description[256];     /* error_description: never a secret */
	int status;                /* 400; 401 for invalid_client, 429 when throttled */
	unsigned retry_after;      /* seconds, with 429 */
	int basic;                 /* Basic was tried: WWW-Authenticate: Basic with 401 */
	int bearer;                /* a bearer token was (or should be) sent: WWW-Authenticate:
	                              Bearer (RFC 6750) */
};

/* oauth_refuse - fill F with ERROR (its status: 401 for invalid_client
 * and invalid_token, else 400) and the description made from FMT; returns
 * OST_ERR_INVALID, how a refusal travels back to the endpoint. */
enum ost_err oauth_refuse(struct oauth_fail *f, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4))) OST_MUST_CHECK;

/* oauth_reply - answer C: when ERR is OST_ERR_INVALID, the refusal F; else
 * when ERR is an error, that error (as the dispatcher would, in RFC 6749's
 * shape); else nothing. Returns OST_OK when the answer is set, else ERR
 * (for the dispatcher). */
enum ost_err oauth_reply(struct ctx *c, enum ost_err err, const struct oauth_fail *f)
    OST_MUST_CHECK;

/* oauth_answer - answer C with 200 and TREE (stolen), Pragma: no-cache
 * (Cache-Control: no-store comes with every answer). */
enum ost_err oauth_answer(struct ctx *c, json_t *tree) OST_MUST_CHECK;

/* ---- parameters (params.c) ---- */

/* oauth_param - the parameter NAME of C's form body (or query for a GET)
 * into *OUT (NULL when absent or empty). OST_ERR_INVALID with F filled
 * (invalid_request) when it is given more than once (RFC 6749 section
 * 3.1), is longer than OAUTH_PARAM_MAX or is not text. */
enum ost_err oauth_param(const struct ctx *c, const char *name, const char **out,
    struct oauth_fail *f) OST_MUST_CHECK;

/* oauth_form_or_refuse - OST_OK when C's parameters came as
 * application/x-www-form-urlencoded (or there are none); else
 * invalid_request in F. */
enum ost_err oauth_form_or_refuse(const struct ctx *c, struct oauth_fail *f) OST_MUST_CHECK;

struct oauth_client;

/* oauth_token_of_client - what revocation and introspection read: a form
 * with a token (required) and a token_type_hint (a hint only: both kinds
 * are looked up alike), from a client authenticated as
 * oauth_client_authenticate does (PUBLIC_OK) into CL; *HASH gets the
 * token's SHA-256. A refusal in F (OST_ERR_INVALID). */
enum ost_err oauth_token_of_client(struct ctx *c, int public_ok, struct oauth_client *cl,
    uint8_t hash[CRYPTO_SHA256_LEN], struct oauth_fail *f) OST_MUST_CHECK;

/* oauth_issuer - the issuer identifier: the base URL, path prefix included. */
const char *oauth_issuer(const struct ctx *c);

/* ---- clients (client.c) ---- */

enum oauth_auth_method {
	OAUTH_AUTH_NONE,   /* a public client: client_id only (Authorization PKCE Flow) */
	OAUTH_AUTH_BASIC,  /* client_secret_basic */
	OAUTH_AUTH_POST,   /* client_secret_post */
	OAUTH_AUTH_JWT,    /* private_key_jwt */
};

/* An application as a client. */
struct oauth_client {
	json_t *row;       /* store_oauth_client's row, JSON columns parsed, key hashes
	                      removed; owned */
	long long id;      /* the application's id */
	const char *public_id; /* its client_id (into row) */
	const char *authenticator; /* "user_credentials", "authorization_code",
	                              "authorization_code_pkce" (into row) */
	enum oauth_auth_method method; /* how it authenticated */
};

/* oauth_client_authenticate - the client of C's request into CL: Basic
 * (client id and secret each form-decoded after base64, RFC 6749 section
 * 2.3.1), client_id and client_secret in the body, a client_assertion
 * (private_key_jwt: RS256 by the application's current or previous key or
 * its certificate, aud the issuer, exp near, jti never twice), or
 * client_id alone for an Authorization PKCE Flow application when
 * PUBLIC_OK. One method only. Answers CORS for the application's origins
 * once it is known. A failure is invalid_client (401; 429 with
 * retry_after once the client id or the address failed too often, as on
 * the application API) or invalid_request in F: OST_ERR_INVALID. Release
 * CL with oauth_client_free. */
enum ost_err oauth_client_authenticate(struct ctx *c, int public_ok, struct oauth_client *cl,
    struct oauth_fail *f) OST_MUST_CHECK;

/* oauth_client_load - the application PUBLIC_ID (or ID when PUBLIC_ID is
 * NULL) into CL, without authenticating it (the authorization pages, the
 * console). OST_ERR_NOT_FOUND when there is none. */
enum ost_err oauth_client_load(const char *public_id, long long id, struct oauth_client *cl)
    OST_MUST_CHECK;

/* oauth_client_free - release CL's row. */
void oauth_client_free(struct oauth_client *cl);

/* oauth_client_int - the integer column KEY of CL's row. */
long long oauth_client_int(const struct oauth_client *cl, const char *key);

/* ---- scopes (scope.c) ---- */

/* oauth_scope_resolve - the scope REQUESTED (space-separated, NULL or ""
 * for all) among ALLOWED (a JSON list of the permissions it may name) into
 * OUT (OUTSZ bytes), each once, in ALLOWED's order. invalid_scope in F
 * (OST_ERR_INVALID) when REQUESTED names anything else or is malformed. */
enum ost_err oauth_scope_resolve(const char *requested, const json_t *allowed, char *out,
    size_t outsz, struct oauth_fail *f) OST_MUST_CHECK;

/* oauth_scope_list - a new JSON list of the space-separated SCOPE. */
json_t *oauth_scope_list(const char *scope);

/* oauth_scope_covers - 1 when every scope of WANT is in HAVE (both
 * space-separated). */
int oauth_scope_covers(const char *have, const char *want);

/* oauth_scope_words - a new list of {name, words}: what each scope of SCOPE
 * lets the application do, in words, for the consent page. */
json_t *oauth_scope_words(const char *scope);

/* ---- users and tokens (issue.c) ---- */

/* oauth_user_eligible - OST_OK when person USER_ID may get tokens from
 * application APP_ID: enabled, an enabled user of the application, no
 * console role; invalid_grant in F (OST_ERR_INVALID) otherwise. *EMAIL
 * (may be NULL) gets the person's row (caller decrefs). */
enum ost_err oauth_user_eligible(long long app_id, long long user_id, json_t **row,
    struct oauth_fail *f) OST_MUST_CHECK;

/* oauth_subject - a user's sub: an opaque, stable id made from the person's
 * id with the pepper, OAUTH_SUB_LEN hex digits (never a client's 26), into
 * OUT (OAUTH_SUB_LEN + 1 bytes). */
enum ost_err oauth_subject(const struct app *app, long long user_id, char *out) OST_MUST_CHECK;

/* What one issuing makes. */
struct oauth_issue {
	long long app_id;
	long long user_id;        /* 0: the application itself */
	long long grant_id;       /* the family; 0 for client_credentials */
	int client_authenticated; /* the client authenticated when the grant began: a
	                             refresh must authenticate too (RFC 6749 section 6) */
	char scope[OAUTH_SCOPE_MAX]; /* space-separated: the access token's */
	const char *refresh_scope; /* the refresh token's, when it differs (a refresh
	                              narrowing the access token only); NULL: scope */
	unsigned access_ttl;      /* the application's lifespans, seconds */
	unsigned refresh_ttl;     /* 0: no refresh token */
	char access[CRYPTO_TOKEN_TEXT];  /* out: the tokens, shown once */
	char refresh[CRYPTO_TOKEN_TEXT]; /* out: "" without one */
};

/* oauth_issue_tokens - store a new access token (and a refresh token when
 * refresh_ttl) as IS says, inside the caller's transaction. */
enum ost_err oauth_issue_tokens(struct oauth_issue *is) OST_MUST_CHECK;

/* oauth_issue_answer - a new token response (RFC 6749 section 5.1) of IS:
 * access_token, token_type, expires_in, refresh_token (when there is one),
 * scope. */
json_t *oauth_issue_answer(const struct oauth_issue *is);

/* oauth_issue_wipe - forget the token texts of IS. */
void oauth_issue_wipe(struct oauth_issue *is);

/* oauth_purge_now - the clean-up below, at once and to the end (batch
 * after batch); *REMOVED gets how many rows went. */
enum ost_err oauth_purge_now(unsigned long long *removed) OST_MUST_CHECK;

/* oauth_purge_maybe - the periodic clean-up of expired codes, tokens, jti
 * records and sign-ins, which every OAuth endpoint runs: once every few
 * minutes per worker, batch after batch until what is expired is gone, at
 * most a bounded number of batches per call (and when that bound stopped
 * it, again at the worker's next OAuth request until it has caught up). */
void oauth_purge_maybe(void);

#endif
