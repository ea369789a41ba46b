/* upstream.h - Ostium as the OAuth 2.0 client of a connection
 * provider: the token endpoint (code exchange, refresh), revocation (RFC
 * 7009) and userinfo, each call through outbound/, and what its answer
 * means */
#ifndef OST_BROKER_UPSTREAM_H
#define OST_BROKER_UPSTREAM_H

#include <jansson.h>
#include "core/app.h"
#include "core/err.h"
#include "outbound/outbound.h"

#define OAUTH_TOKEN_MAX 8192 /* bytes of a token Ostium keeps */

/* A provider's client: its settings and its credentials. */
struct upstream_client {
	struct outbound_rules rules;
	const json_t *settings;  /* the provider's OAuth settings (borrowed) */
	char *client_id;         /* owned */
	char *client_secret;     /* owned, wiped when freed */
};

/* upstream_client_load - the client of the provider of APP_ID with SETTINGS:
 * its credentials read from the two server variables SETTINGS names (the
 * secret one opened with APP's keys). OST_ERR_CONFIG with WHY when either
 * has no value. Free with upstream_client_free. */
enum ost_err upstream_client_load(const struct app *app, long long app_id, const json_t *settings,
    struct upstream_client *oc, char *why, size_t whysz) OST_MUST_CHECK;

/* upstream_client_of - the same from credentials already read (copied). */
enum ost_err upstream_client_of(const struct app *app, const json_t *settings, const char *client_id,
    const char *client_secret, struct upstream_client *oc) OST_MUST_CHECK;

void upstream_client_free(struct upstream_client *oc);

/* What a call to the token endpoint came to. */
enum upstream_outcome {
	UPSTREAM_OK,
	UPSTREAM_AUTH_FAILED, /* the grant is no longer good (invalid_grant): reconnect */
	UPSTREAM_CONFIG,      /* the provider's configuration is at fault (invalid_client,
	                      a redirect, a refused address, an endpoint that is not one) */
	UPSTREAM_TRANSIENT,   /* no answer in time, a 5xx or 429: try again later */
};

/* What the token endpoint granted. */
struct upstream_grant {
	char *access;           /* owned, wiped when freed */
	char *refresh;          /* owned, wiped; NULL when none was returned */
	char token_type[41];
	long long expires_in;   /* seconds; 0 when not said */
	json_t *scopes;         /* the scopes granted (a list), NULL when not said */
	json_t *claims;         /* the id_token's claims, NULL when none */
};

void upstream_grant_free(struct upstream_grant *g);

/* oauth_token - POST to the token endpoint the parameters PARAMS (name,
 * value pairs, NULL-terminated) with the client's authentication, in the
 * provider's content type. UPSTREAM_OK with G filled, or another outcome
 * with WHY (words for a page or the log, never a secret). */
enum upstream_outcome upstream_token(const struct upstream_client *oc, const char *const *params,
    struct upstream_grant *g, char *why, size_t whysz);

/* oauth_revoke - revoke TOKEN (HINT "access_token" or "refresh_token") at
 * the revoke endpoint; OST_OK when the provider said so, else OST_ERR_IO
 * with WHY. OST_ERR_NOT_FOUND when the provider declares no endpoint. */
enum ost_err upstream_revoke(const struct upstream_client *oc, const char *token, const char *hint,
    char *why, size_t whysz) OST_MUST_CHECK;

/* oauth_userinfo - *CLAIMS gets what the userinfo endpoint says of the
 * bearer of ACCESS (NULL when the provider declares none or it failed). */
void upstream_userinfo(const struct upstream_client *oc, const char *access, json_t **claims);

/* oauth_form_escape - append S to B form-urlencoded (RFC 3986 unreserved
 * characters kept, everything else %XX). */
struct buf;
enum ost_err upstream_form_escape(struct buf *b, const char *s) OST_MUST_CHECK;

#endif
