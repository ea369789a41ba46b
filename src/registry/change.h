/* change.h - the one path of every change to the database: begin, the
 * change, its audit entries, commit (or roll back on any error); and a
 * plain transaction for the system's own bookkeeping */
#ifndef OST_REGISTRY_CHANGE_H
#define OST_REGISTRY_CHANGE_H

#include <jansson.h>
#include "core/err.h"
#include "core/gen.h"
#include "registry/op.h"

/* A change in progress: an administrator's or an application's act. */
struct change {
	const struct op *op; /* who acts */
	unsigned audited;    /* audit entries written so far */
	int open;            /* a transaction is open */
	unsigned invalidates; /* GEN_BIT kinds of credential checks it may affect */
	json_t *events;      /* the events it causes, written at its end: [{app, type,
	                        company, data}], or NULL */
	long long event_id;  /* after change_end: the id of the last event written, 0 none */
};

/* change_invalidates - say that CH affects the credential checks of the
 * kinds in MASK (GEN_BIT bits of core/gen.h), besides those it already
 * said. A change affects none unless it says so (issuing a credential, a
 * sign-in, a note of use: the generation rows are no hot spot), so every
 * operation that can change what a credential check reads says it here;
 * tests/http/credential_cache.test.js tries each one. change_end bumps
 * their generation counters in the transaction and after the commit. */
void change_invalidates(struct change *ch, unsigned mask);

/* change_begin - open the transaction of a change by OP's actor into CH.
 * Every change_begin that returns OST_OK is ended by change_end. */
enum ost_err change_begin(struct change *ch, const struct op *op)
    OST_MUST_CHECK;

/* change_audit - write the audit entry of CH: ACTION on object TYPE with id
 * ID, DETAILS (borrowed, NULL for none; never a secret). A change may
 * write several (a person created with their membership). */
enum ost_err change_audit(struct change *ch, const char *action, const char *type, long long id,
    const json_t *details) OST_MUST_CHECK;

/* change_event - the change CH causes the event TYPE for application APP
 * (about company COMPANY, 0 for none), DATA (borrowed) holding the state
 * after the change. It is written to the outbox by change_end, in the
 * change's transaction, when the application has somewhere to receive it
 * (events/events.h events_outbox_add). */
enum ost_err change_event(struct change *ch, long long app, const char *type, long long company,
    const json_t *data) OST_MUST_CHECK;

/* change_end - end CH: when ERR is OST_OK and at least one audit entry was
 * written, write its events to the outbox and commit, all in the one
 * transaction; otherwise roll back. A change with no audit entry never
 * commits (OST_ERR_INTERNAL). Returns ERR, or the outbox's or the commit's
 * own error. */
enum ost_err change_end(struct change *ch, enum ost_err err) OST_MUST_CHECK;

/* bookkeeping_run - run FN(ARG) in a transaction of its own: commit when
 * it returns OST_OK, else roll back. For what the system records on its
 * own account (a code redeemed, a lease taken, a counter bumped), which is
 * nobody's act and has no audit entry. Returns FN's result or the
 * commit's error. */
enum ost_err bookkeeping_run(enum ost_err (*fn)(void *arg), void *arg)
    OST_MUST_CHECK;

/* bookkeeping_run_invalidating - bookkeeping_run for what the system does
 * on its own account that can affect a credential check (a token revoked
 * by its client, a grant's family revoked on a reuse): the database's
 * counters of the kinds in MASK (GEN_BIT bits) move in the transaction and
 * the host's after the commit, as change_end does for a change. */
enum ost_err bookkeeping_run_invalidating(unsigned mask, enum ost_err (*fn)(void *arg), void *arg)
    OST_MUST_CHECK;

#endif
