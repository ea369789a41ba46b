/* cache.h - a worker's bounded cache of what credential checks read,
 * keyed by the hashes the database holds (never a secret). Entries and
 * bytes are capped, the least recently used goes first; an entry is used
 * only before the expiry of what it holds and while the generation
 * counters (core/gen.h) of its kinds stand where they were read before
 * the database was. */
#ifndef OST_AUTH_CACHE_H
#define OST_AUTH_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <jansson.h>
#include "core/err.h"
#include "core/gen.h"

#define CACHE_KEY_LEN 32 /* a SHA-256 */

/* The counters read before a database read, for the kinds in MASK. */
struct cache_gens {
	unsigned mask;
	uint64_t at[GEN_KINDS];
};

struct cache_entry;

struct cache {
	struct cache_entry **buckets;
	size_t nbuckets;
	struct cache_entry *newest, *oldest; /* the LRU order */
	size_t count, bytes;                 /* held now */
	size_t max_entries, max_bytes;       /* the caps */
};

/* cache_init - an empty cache C of at most MAX_ENTRIES entries and
 * MAX_BYTES bytes (values and bookkeeping). */
enum ost_err cache_init(struct cache *c, size_t max_entries, size_t max_bytes) OST_MUST_CHECK;

/* cache_free - drop every entry of C and its table. */
void cache_free(struct cache *c);

/* cache_gens - the counters of the kinds in MASK now: read them BEFORE the
 * database read whose result is put. */
void cache_gens(struct cache_gens *g, unsigned mask);

/* cache_get - the value of KIND with KEY, or NULL when absent, past its
 * expiry at NOW, or read before a change of its kinds (then dropped);
 * *LEN its size. The value stays C's, valid until the next call on C. */
void *cache_get(struct cache *c, unsigned kind, const uint8_t *key, time_t now, size_t *len);

/* cache_put - keep a copy of VAL (LEN bytes) for KIND and KEY, read at
 * generations G, until EXPIRES. Nothing is kept when a change of G's kinds
 * has committed since G was read, or when it cannot fit; older entries go
 * to make room. */
enum ost_err cache_put(struct cache *c, unsigned kind, const uint8_t *key,
    const struct cache_gens *g, time_t expires, const void *val, size_t len) OST_MUST_CHECK;

/* cache_put_json - keep OBJ (a reference: it must not change from now on)
 * for KIND and KEY as cache_put does, counted as CHARGE bytes (what it
 * holds, roughly): for a value that is costly to parse or build again. */
enum ost_err cache_put_json(struct cache *c, unsigned kind, const uint8_t *key,
    const struct cache_gens *g, time_t expires, json_t *obj, size_t charge) OST_MUST_CHECK;

/* cache_get_json - the object kept for KIND and KEY (borrowed, not to be
 * changed, valid until the next call on C), or NULL as cache_get. */
json_t *cache_get_json(struct cache *c, unsigned kind, const uint8_t *key, time_t now);

/* cache_drop - forget KIND's entry for KEY, if any. */
void cache_drop(struct cache *c, unsigned kind, const uint8_t *key);

#endif
