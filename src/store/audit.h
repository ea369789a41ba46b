/* audit.h - the audit log: who changed what, when, from where */
#ifndef OST_STORE_AUDIT_H
#define OST_STORE_AUDIT_H

#include <jansson.h>
#include "core/err.h"

struct audit_entry {
	const char *actor_type;  /* "admin", "app" or "system" */
	long long actor_id;      /* the person's or application's id, 0 for none */
	const char *actor;       /* a label: the email or public id */
	const char *action;      /* "suite.create", "app.rotate_key", ... */
	const char *object_type; /* "suite", "app", ... */
	const char *object_id;   /* the object's id as text */
	const char *address;     /* the client address */
	const char *request_id;  /* the request id */
	const json_t *details;   /* what changed, never a secret (NULL: {}) */
};

/* store_audit_insert - write E; call inside the change's transaction. */
enum ost_err store_audit_insert(const struct audit_entry *e) OST_MUST_CHECK;

/* Filters of store_audit_list; empty strings and 0 mean "any". */
struct audit_filter {
	const char *object_type;
	const char *object_id;
	const char *action;
	long long actor_id;
};

/* store_audit_list - entries with id below BEFORE (0: from the newest),
 * newest first, at most LIMIT, matching F, as rows {id, at, actor_type,
 * actor_id, actor, action, object_type, object_id, address, request_id,
 * details (parsed), shortened (false: a page may cut details short)}. */
enum ost_err store_audit_list(const struct audit_filter *f, long long before, unsigned limit,
    json_t **rows) OST_MUST_CHECK;

#endif
