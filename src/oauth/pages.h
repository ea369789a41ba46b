/* pages.h - what the authorization pages share (authorize.c, consent.c,
 * pages.c): the authorization request read and checked, the redirects
 * back to the application, the sign-in remembered by its own cookie, and
 * the pages themselves */
#ifndef OST_OAUTH_PAGES_H
#define OST_OAUTH_PAGES_H

#include "oauth/grant.h"

#define AUTHZ_ORIGIN_MAX 512

/* An authorization request (RFC 6749 section 4.1.1, RFC 7636 section 4.3). */
struct authz {
	struct oauth_client cl;    /* the application (loaded) */
	const char *client_id;
	const char *redirect_uri;  /* as given, or NULL */
	const char *response_type;
	const char *scope;         /* as given, or NULL */
	const char *state;
	const char *challenge;     /* code_challenge, or NULL */
	const char *method;        /* code_challenge_method, or NULL */
	const char *target;        /* where to redirect: redirect_uri, or the one registered */
	char origin[AUTHZ_ORIGIN_MAX]; /* the target's scheme://host[:port] */
	char resolved[OAUTH_SCOPE_MAX]; /* the scope asked for, resolved */
};

/* What became of reading a request. */
enum authz_state {
	AUTHZ_OK,       /* every check passed */
	AUTHZ_PAGE,     /* no trustworthy redirect: the error page says why (never a
	                   redirect to an unknown client or an unregistered URI) */
	AUTHZ_REDIRECT, /* refused, with an error the application gets by redirect */
};

/* authz_read - read the parameters of C (the query of a GET, the form of a
 * POST) into A and check them. AUTHZ_PAGE and AUTHZ_REDIRECT leave the
 * reason in F (its error and description). OST_OK unless something failed
 * underneath (the database). Release A with authz_free. */
enum ost_err authz_read(struct ctx *c, struct authz *a, enum authz_state *state,
    struct oauth_fail *f) OST_MUST_CHECK;

/* authz_free - release what authz_read loaded. */
void authz_free(struct authz *a);

/* authz_error_page - answer C with the error page of F (400). */
enum ost_err authz_error_page(struct ctx *c, const struct oauth_fail *f) OST_MUST_CHECK;

/* authz_redirect_error - 303 to A's target with error (F's), its
 * error_description, state and iss (RFC 6749 section 4.1.2.1, RFC 9207). */
enum ost_err authz_redirect_error(struct ctx *c, const struct authz *a,
    const struct oauth_fail *f) OST_MUST_CHECK;

/* authz_refused - answer the refusal of authz_read: the error page or the
 * error redirect that STATE says. */
enum ost_err authz_refused(struct ctx *c, const struct authz *a, enum authz_state state,
    const struct oauth_fail *f) OST_MUST_CHECK;

/* authz_signed_in - the person signed in on these pages by C's cookie
 * into *USER_ID (0 when none) and the sign-in's hash into HASH. */
enum ost_err authz_signed_in(struct ctx *c, long long *user_id, uint8_t *hash) OST_MUST_CHECK;

/* authz_proceed - USER_ID is signed in (sign-in hash HASH) and may use A's
 * application: the code by redirect when the consent to A's scope was
 * given already and A's redirect URI is https (which assures the client's
 * identity), else the consent page (always for a loopback or other http
 * redirect URI, RFC 8252 section 8.6). */
enum ost_err authz_proceed(struct ctx *c, struct authz *a, long long user_id,
    const uint8_t *hash) OST_MUST_CHECK;

/* authz_issue_code - a code for USER_ID and A, then 303 to A's target with
 * code, state and iss. */
enum ost_err authz_issue_code(struct ctx *c, struct authz *a, long long user_id)
    OST_MUST_CHECK;

/* authz_signin_page - the sign-in page for A with STATUS and MESSAGE (NULL:
 * none), EMAIL typed so far, a fresh CSRF token in its cookie and field. */
enum ost_err authz_signin_page(struct ctx *c, const struct authz *a, int status,
    const char *message, const char *email) OST_MUST_CHECK;

/* authz_consent_csrf - the consent form's CSRF token for the sign-in HASH
 * (HMAC with the pepper: it dies with the sign-in) into OUT. */
enum ost_err authz_consent_csrf(const struct ctx *c, const uint8_t *hash, char *out)
    OST_MUST_CHECK;

#endif
