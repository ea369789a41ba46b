/* outbound.h - every HTTP call Ostium makes to the outside world (token,
 * refresh, revoke and userinfo calls to connection providers; events
 * later): the only caller of libcurl, and the rules each call follows */
#ifndef OST_OUTBOUND_H
#define OST_OUTBOUND_H

#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"

#define OUTBOUND_URL_MAX 2048            /* characters of a URL Ostium calls */
#define OUTBOUND_BODY_MAX (256 * 1024)   /* bytes of an answer kept */
#define OUTBOUND_HEADERS_MAX (32 * 1024) /* bytes of an answer's header lines */
#define OUTBOUND_CONNECT_MAX_MS 5000     /* a connection is given at most this */

/* The rules of every call, from the configuration:
 *  - https only; plain http only in development mode, and only to a
 *    loopback address;
 *  - no redirect is ever followed (a 307 would send a client secret on);
 *  - the address is checked when the connection is made, and the socket is
 *    opened to the address checked (so DNS rebinding cannot slip past):
 *    outside development mode loopback, private, link-local, shared,
 *    unspecified, multicast, reserved and documentation ranges are
 *    refused, however spelt (IPv4-mapped, NAT64 and 6to4 forms carrying
 *    such an IPv4 address), unless one of ALLOW holds the address;
 *  - a connect and a total time-out, and bounded answers;
 *  - the proxy variables of the environment are never read: PROXY when
 *    configured, else none. Through a proxy the connection goes to the
 *    proxy, so the target's name is resolved and checked before the call
 *    instead (the proxy must not be one that can be pointed elsewhere). */
struct outbound_rules {
	int development;
	const char (*allow)[CONFIG_RANGE_MAX]; /* ranges allowed besides public ones */
	size_t nallow;
	const char *proxy;            /* "" for none */
	unsigned connect_timeout_ms;
	unsigned timeout_ms;          /* the whole call */
	size_t max_bytes;             /* of the answer's body */
};

/* outbound_rules_of - RULES from CFG (borrowed: CFG must outlive RULES). */
void outbound_rules_of(const struct config *cfg, struct outbound_rules *rules);

/* One call. */
struct outbound_request {
	const char *method;        /* "GET" or "POST" */
	const char *url;
	const char *content_type;  /* of BODY; NULL when there is no body */
	const char *body;          /* borrowed; may hold secrets (wiped by the caller) */
	size_t body_len;
	const char *accept;        /* the Accept header, or NULL */
	const char *authorization; /* the Authorization header's value, or NULL; wiped from
	                              libcurl's copy after the call */
	const char *const *headers; /* more header lines "Name: value", NULL-terminated, or
	                               NULL (the signature of an event) */
};

/* Why a call got no answer. */
enum outbound_fail {
	OUTBOUND_OK,              /* an answer came (any status) */
	OUTBOUND_BAD_URL,         /* not a URL the rules allow */
	OUTBOUND_REFUSED_ADDRESS, /* the host's address is not one the rules allow */
	OUTBOUND_CONNECT,         /* no connection: name unknown, refused, unreachable */
	OUTBOUND_TIMEOUT,
	OUTBOUND_TOO_LARGE,       /* the answer is over max_bytes (or its headers over
	                             OUTBOUND_HEADERS_MAX) */
	OUTBOUND_TLS,             /* the TLS handshake or the certificate failed */
	OUTBOUND_ERROR,           /* any other failure of the transfer */
};

struct outbound_answer {
	enum outbound_fail fail;
	long status;              /* the HTTP status; 0 without an answer */
	int redirect;             /* a 3xx answer: never followed */
	char content_type[128];   /* "" when none */
	struct buf body;          /* the answer's body, NUL-terminated */
	char error[200];          /* why, in words for a log or a page; never a secret */
};

/* outbound_call - make REQ under RULES. OST_OK with ANS->status set when
 * an answer came, whatever its status (a 3xx sets ANS->redirect and is
 * not followed); OST_ERR_IO with ANS->fail and ANS->error saying why when
 * none did; OST_ERR_NOMEM. ANS is always to be released with
 * outbound_answer_free. */
enum ost_err outbound_call(const struct outbound_rules *rules, const struct outbound_request *req,
    struct outbound_answer *ans) OST_MUST_CHECK;

/* outbound_answer_free - release what ANS holds (its body is wiped: it may
 * hold tokens). */
void outbound_answer_free(struct outbound_answer *ans);

/* outbound_url_check - NULL when URL is one the rules allow calling (an
 * absolute https URL with a host and no user name, password or fragment;
 * http only in DEVELOPMENT mode and only to 127.0.0.1, [::1] or
 * localhost), else a sentence in MSG (MSGSZ bytes), which it returns. The
 * same parser (libcurl's) reads it here as when the call is made. */
const char *outbound_url_check(int development, const char *url, char *msg, size_t msgsz);

/* outbound_address_allowed - 1 when the address IP (16 bytes, IPv4 as
 * IPv4-mapped, as addr_parse gives it) may be connected to under RULES
 * for a call over plain http (PLAIN) or https; else 0 with *WHY (static)
 * saying which range refused it. */
int outbound_address_allowed(const struct outbound_rules *rules, const uint8_t ip[16], int plain,
    const char **why);

#endif
