/* tokens.h - administrators' personal API tokens: made (shown once, with
 * an optional expiry) and revoked, each an audited change */
#ifndef OST_REGISTRY_TOKENS_H
#define OST_REGISTRY_TOKENS_H

#include "registry/op.h"

/* A new token: name (1-100 characters, required) and, at most one of
 * them, expires_in_days (1-3650) or expires_at (a UTC time,
 * YYYY-MM-DDTHH:MM:SSZ, in the future, at most 3650 days ahead); neither:
 * it never expires. */
extern const struct field_table reg_token_body;
/* What reg_token_create answers: id, name, expires_at, token. */
extern const struct field_table reg_token_created;

/* reg_token_create - a token named by IN (reg_token_body) for person
 * USER_ID, expiring as IN says; *TREE gets {id, name, expires_at, token}
 * (the token shown this once: never logged, audited or stored; only its
 * SHA-256 is). OST_ERR_INVALID with WHY when IN gives both expiries. */
enum ost_err reg_token_create(const struct op *op, long long user_id, const json_t *in,
    json_t **tree, struct field_error *why) OST_MUST_CHECK;

/* reg_token_revoke - revoke token ID of person USER_ID, audited;
 * OST_ERR_NOT_FOUND when it has no such token (or it is revoked). */
enum ost_err reg_token_revoke(const struct op *op, long long user_id, long long id)
    OST_MUST_CHECK;

#endif
