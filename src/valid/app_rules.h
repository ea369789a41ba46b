/* app_rules.h - the rules of an application's identity sheet: URLs,
 * origins, redirect URIs, addresses, permissions, capabilities, display,
 * properties and keys. Each is a field_check (see valid/fields.h): NULL
 * when the value is fine, else a sentence in MSG naming the bad entry. */
#ifndef OST_APP_RULES_H
#define OST_APP_RULES_H

#include <stddef.h>
#include <jansson.h>
#include "valid/fields.h"

#define APP_PROPERTIES_MAX 16384 /* bytes of the compact JSON text */
#define APP_DISPLAY_LABEL_MAX 64 /* characters */

/* The known permissions and capability resources, NULL-terminated (for
 * the console's forms). Any [A-Z0-9_]{1,64} is a valid custom permission. */
extern const char *const app_permissions_known[];
extern const char *const app_capability_resources[];
/* The keys of the display object, NULL-terminated; "label" is a string,
 * every other key a boolean. */
extern const char *const app_display_keys[];

/* Whole-value checks (field_check). Under a context in development mode,
 * plain http is allowed for events_url, domain, allowed_origins and
 * redirect_uris. A domain is a host name or an origin; a certificate is an
 * X.509 certificate or an RSA public key, in PEM. */
const char *app_check_group_id(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_icon_url(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_events_url(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_domain(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_permissions(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_capabilities(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_display(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_properties(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_public_key(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_check_certificate(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);

/* app_domain_kind - what a valid domain V holds: "host" (a host name, the
 * origin https:// that host) or "origin" (scheme://host[:port]); NULL for
 * none. */
const char *app_domain_kind(const json_t *v);

/* app_domain_allows - 1 when the browser origin ORIGIN is the one of the
 * application's DOMAIN (NULL: none): an origin domain is that origin; a
 * host name allows https:// that host, and http:// too when DEVELOPMENT.
 * Compared without regard to case. */
int app_domain_allows(const char *domain, const char *origin, int development);

/* app_origin_host - the host a host-name domain must be for ORIGIN to be
 * allowed by it (ORIGIN less "https://", or "http://" when DEVELOPMENT),
 * pointing into ORIGIN; "" when no host-name domain allows ORIGIN. */
const char *app_origin_host(const char *origin, int development);

/* app_certificate_kind - what a valid certificate V holds: "certificate"
 * (X.509) or "public_key" (an RSA public key); NULL for none. */
const char *app_certificate_kind(const json_t *v);

/* A redirect URI split as the rule of redirect_uris reads it. */
struct app_uri {
	char scheme[8];    /* as written; "" when longer */
	const char *host;  /* into the URI, without the brackets of an IPv6 literal */
	size_t hostlen;
	const char *rest;  /* from the first '/', '?' or '#' on; "" when none */
	int loopback;      /* the host is 127.0.0.1, ::1 or localhost */
};

/* app_uri_split - split S into U: 1 when S is scheme://host[:port][rest]
 * as a redirect URI must be, without user information, the host a DNS name
 * or an IP literal, the port 1 to 65535 in digits, and not one character
 * a URL must escape (no space, control character or backslash, no '%' in
 * the authority): nothing a browser would read as another host. */
int app_uri_split(const char *s, struct app_uri *u);

/* Checks of one list entry (field_check on a string). */
const char *app_item_ip(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_item_permission(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_item_origin(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);
const char *app_item_redirect_uri(const struct field_ctx *fc, const json_t *v, char *msg,
    size_t msgsz);

#endif
