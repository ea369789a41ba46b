/* grant.h - the grants of the token endpoint, as a table of rows, and the
 * operations behind them that the console's "Generate access token" runs
 * too (the same code as /oauth/token) */
#ifndef OST_OAUTH_GRANT_H
#define OST_OAUTH_GRANT_H

#include "oauth/oauth.h"
#include "registry/op.h"

/* A grant of the token endpoint: runs for the authenticated client CL and
 * the request C; on success *OUT gets the token response. A refusal is
 * OST_ERR_INVALID with F filled. */
typedef enum ost_err (*oauth_grant_fn)(struct ctx *c, const struct oauth_client *cl,
    json_t **out, struct oauth_fail *f);

/* The authenticator types (enum-like bits) a grant is for. */
enum {
	GRANT_FOR_USER_CREDENTIALS = 1 << 0,
	GRANT_FOR_CODE = 1 << 1,
	GRANT_FOR_PKCE = 1 << 2,
	GRANT_FOR_ANY = 7,
};

struct oauth_grant {
	const char *name;      /* grant_type */
	oauth_grant_fn fn;
	unsigned authenticators; /* GRANT_FOR_* bits: the applications that may use it */
	int public_ok;         /* a public client (client_id only) may use it */
};

/* oauth_grant_find - the grant named NAME, or NULL. */
const struct oauth_grant *oauth_grant_find(const char *name);

/* oauth_grants_supported - a new list of every grant_type. */
json_t *oauth_grants_supported(void);

/* oauth_authenticator_bit - the GRANT_FOR_* bit of an application's
 * authenticator (0 for an unknown one). */
unsigned oauth_authenticator_bit(const char *authenticator);

/* The grants (grant_*.c). */
enum ost_err oauth_grant_code(struct ctx *c, const struct oauth_client *cl, json_t **out,
    struct oauth_fail *f) OST_MUST_CHECK;
enum ost_err oauth_grant_refresh(struct ctx *c, const struct oauth_client *cl, json_t **out,
    struct oauth_fail *f) OST_MUST_CHECK;
enum ost_err oauth_grant_password(struct ctx *c, const struct oauth_client *cl, json_t **out,
    struct oauth_fail *f) OST_MUST_CHECK;
enum ost_err oauth_grant_client(struct ctx *c, const struct oauth_client *cl, json_t **out,
    struct oauth_fail *f) OST_MUST_CHECK;

/* ---- operations shared with the authorization pages and the console ---- */

/* What a code is issued for. */
struct oauth_code_req {
	long long user_id;
	const char *redirect_uri;    /* as the authorization request gave it ("" when it
	                                named none) */
	const char *scope;           /* resolved already */
	const char *code_challenge;  /* S256 challenge, or NULL */
};

/* oauth_code_issue - a new authorization code of CL for R (bookkeeping of
 * the system's own) into TEXT (CRYPTO_TOKEN_TEXT bytes). */
enum ost_err oauth_code_issue(const struct oauth_client *cl, const struct oauth_code_req *r,
    char *text) OST_MUST_CHECK;

/* oauth_code_redeem - the authorization_code grant for CL: CODE, with
 * REDIRECT_URI ("" when the token request names none) and VERIFIER (the
 * PKCE code_verifier, or NULL), into tokens in *IS (the caller wipes it)
 * of a new grant that records whether CL authenticated (its method: a
 * client loaded by the console did not). Single use: the redemption is
 * one conditional UPDATE; a second use revokes what the first issued.
 * invalid_grant in F otherwise. */
enum ost_err oauth_code_redeem(const struct oauth_client *cl, const char *code,
    const char *redirect_uri, const char *verifier, struct oauth_issue *is,
    struct oauth_fail *f) OST_MUST_CHECK;

/* oauth_pkce_challenge_ok - 1 when S is a code challenge (or, the same
 * alphabet, a code verifier) of RFC 7636: 43 to 128 characters of
 * [A-Za-z0-9-._~]. */
int oauth_pkce_well_formed(const char *s);

/* oauth_user_token - tokens for user USER_ID of CL with SCOPE (resolved)
 * in a new grant: the password grant after the password was checked, and
 * an administrator's "Generate access token" (then inside OP's change,
 * audited as that administrator's act: OP non-NULL). *IS gets them. */
enum ost_err oauth_user_token(const struct op *op, const struct oauth_client *cl,
    long long user_id, const char *scope, struct oauth_issue *is, struct oauth_fail *f)
    OST_MUST_CHECK;

#endif
