/* gen.h - generation counters shared by every process of one host that
 * uses the same database: a change that can affect a credential check
 * bumps its kind's counter after its commit, and a worker's cached
 * credential is used only while the counters it was read at stand. */
#ifndef OST_GEN_H
#define OST_GEN_H

#include <stdint.h>
#include "core/config.h"
#include "core/err.h"

/* What a change can affect. */
enum gen_kind {
	GEN_TOKENS,  /* personal API tokens */
	GEN_PEOPLE,  /* people: enabled, roles, names, passwords */
	GEN_APPS,    /* applications: credentials, keys, identity sheet */
	GEN_OAUTH,   /* OAuth grants and tokens, client credentials */
	GEN_KINDS
};
#define GEN_BIT(k) (1u << (k))
#define GEN_ALL ((1u << GEN_KINDS) - 1)

/* gen_attach - map the counters of CFG's database (a POSIX shared memory
 * object named after the database's socket or host, port and name, made
 * when missing) so that every process on the host reaches the same ones:
 * workers however they were started, and ostiumctl. It is readable and
 * writable by its owner and group only (0660): when root makes or opens
 * it, those of the pepper file, the service's user, so that processes a
 * web server starts as that user (Apache mod_fcgid) reach it too. On
 * failure nothing is mapped and gen_shared() is 0, so nothing may be
 * cached. */
enum ost_err gen_attach(const struct config *cfg) OST_MUST_CHECK;

/* gen_attach_name - the same under the object NAME ("/..."); for tests. */
enum ost_err gen_attach_name(const char *name) OST_MUST_CHECK;

/* gen_detach - unmap the counters. */
void gen_detach(void);

/* gen_shared - 1 when the counters are mapped. */
int gen_shared(void);

/* gen_read - the counter of KIND (one atomic load); 0 when unmapped. */
uint64_t gen_read(enum gen_kind kind);

/* gen_bump - add one to the counter of every kind in MASK (GEN_BIT bits). */
void gen_bump(unsigned mask);

/* gen_kind_name - the name of KIND in the database's generations table. */
const char *gen_kind_name(enum gen_kind kind);

/* gen_poll_due - 1 for the one process of the host whose turn it is to
 * read the database's counters, at most once every INTERVAL seconds. */
int gen_poll_due(unsigned interval);

/* gen_seen - the database's counter of KIND reads VALUE: when it moved
 * since the host last saw it, bump the host's counter of KIND. */
void gen_seen(enum gen_kind kind, uint64_t value);

/* gen_name - the object name gen_attach uses for CFG into OUT. */
void gen_name(const struct config *cfg, char *out, size_t outsz);

#endif
