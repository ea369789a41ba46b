/* op.h - what every operation of the registry is given: the worker's
 * settings and secrets, who acts and from where. The faces (API, console,
 * ostiumctl) fill it; no operation sees a request or a response. */
#ifndef OST_REGISTRY_OP_H
#define OST_REGISTRY_OP_H

#include <jansson.h>
#include "core/app.h"
#include "core/err.h"
#include "valid/fields.h"

/* Who acts: what the audit entry records and the role rules read. */
struct op {
	const struct app *app;     /* configuration, pepper, keys */
	struct field_ctx fields;   /* development mode and the caller, for checks */
	const char *actor_type;    /* "admin" (a person) or "system" */
	long long actor_id;        /* the person's id, 0 for none */
	const char *actor;         /* the person's email, or a label; NULL for none */
	const char *address;       /* the client address, or "" */
	const char *request_id;    /* the request's id, or "" */
	const unsigned char *session_hash; /* the console session the person acts
	                                      in (CRYPTO_SHA256_LEN bytes), or
	                                      NULL (a token, ostiumctl) */
};

/* op_is_super - the acting person holds SUPER_ADMINISTRATOR. */
int op_is_super(const struct op *op);

/* op_refuse - fill WHY (FIELD may be NULL) and return ERR: the one way an
 * operation says why it refused a change. */
enum ost_err op_refuse(struct field_error *why, enum ost_err err, const char *field,
    const char *message) OST_MUST_CHECK;

/* op_without_secrets - a copy of VALUES without the secret fields of
 * FIELDS (N); NULL on no memory. */
json_t *op_without_secrets(const struct field *fields, size_t n, const json_t *values);

#endif
