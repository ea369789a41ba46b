/* tokens.h - administrators' personal API tokens: made (shown once) and
 * revoked, each an audited change */
#ifndef OST_REGISTRY_TOKENS_H
#define OST_REGISTRY_TOKENS_H

#include "registry/op.h"

/* A new token: name (1-100 characters, required). */
extern const struct field_table reg_token_body;
/* What reg_token_create answers: id, name, token. */
extern const struct field_table reg_token_created;

/* reg_token_create - a token named by IN (reg_token_body) for person
 * USER_ID; *TREE gets {id, name, token} (the token shown this once: never
 * logged, audited or stored; only its SHA-256 is). */
enum ost_err reg_token_create(const struct op *op, long long user_id, const json_t *in,
    json_t **tree) OST_MUST_CHECK;

/* reg_token_revoke - revoke token ID of person USER_ID, audited;
 * OST_ERR_NOT_FOUND when it has no such token (or it is revoked). */
enum ost_err reg_token_revoke(const struct op *op, long long user_id, long long id)
    OST_MUST_CHECK;

#endif
