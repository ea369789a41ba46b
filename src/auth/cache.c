/* cache.c - a bounded LRU cache of credential checks */
#include "auth/cache.h"

#include <stdlib.h>
#include <string.h>

struct cache_entry {
	struct cache_entry *hnext;       /* the bucket's chain */
	struct cache_entry *newer, *older;
	unsigned kind;
	uint8_t key[CACHE_KEY_LEN];
	struct cache_gens gens;
	time_t expires;
	json_t *obj;   /* a kept value (cache_put_json), or NULL */
	size_t charge; /* the bytes it counts for beyond the entry */
	size_t len;
	unsigned char val[]; /* LEN bytes */
};

#define ENTRY_SIZE(e) (sizeof(struct cache_entry) + (e)->len + (e)->charge)

enum ost_err
cache_init(struct cache *c, size_t max_entries, size_t max_bytes)
{
	size_t n = 16;

	memset(c, 0, sizeof(*c));
	while (n < max_entries && n < ((size_t)1 << 20))
		n <<= 1;
	if (!(c->buckets = calloc(n, sizeof(*c->buckets))))
		return OST_ERR_NOMEM;
	c->nbuckets = n;
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	return OST_OK;
}

static size_t
bucket(const struct cache *c, unsigned kind, const uint8_t *key)
{
	uint64_t h;

	memcpy(&h, key, sizeof(h)); /* the key is a hash already */
	return (size_t)((h ^ kind) & (c->nbuckets - 1));
}

static void
unlink_lru(struct cache *c, struct cache_entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void
push_newest(struct cache *c, struct cache_entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	c->newest = e;
	if (!c->oldest)
		c->oldest = e;
}

static void
remove_entry(struct cache *c, struct cache_entry *e)
{
	struct cache_entry **p = &c->buckets[bucket(c, e->kind, e->key)];

	while (*p && *p != e)
		p = &(*p)->hnext;
	if (*p)
		*p = e->hnext;
	unlink_lru(c, e);
	c->count--;
	c->bytes -= ENTRY_SIZE(e);
	json_decref(e->obj);
	memset(e, 0, sizeof(*e) + e->len);
	free(e);
}

static struct cache_entry *
find(struct cache *c, unsigned kind, const uint8_t *key)
{
	struct cache_entry *e;

	if (!c->buckets)
		return NULL;
	for (e = c->buckets[bucket(c, kind, key)]; e; e = e->hnext)
		if (e->kind == kind && !memcmp(e->key, key, CACHE_KEY_LEN))
			return e;
	return NULL;
}

void
cache_free(struct cache *c)
{
	while (c->oldest)
		remove_entry(c, c->oldest);
	free(c->buckets);
	memset(c, 0, sizeof(*c));
}

void
cache_gens(struct cache_gens *g, unsigned mask)
{
	unsigned k;

	memset(g, 0, sizeof(*g));
	g->mask = mask & GEN_ALL;
	for (k = 0; k < GEN_KINDS; k++)
		if (g->mask & GEN_BIT(k))
			g->at[k] = gen_read(k);
}

/* 1 when the counters of G's kinds still stand where G read them */
static int
gens_current(const struct cache_gens *g)
{
	unsigned k;

	if (!gen_shared())
		return 0; /* without shared counters no change could be seen */
	for (k = 0; k < GEN_KINDS; k++)
		if ((g->mask & GEN_BIT(k)) && gen_read(k) != g->at[k])
			return 0;
	return 1;
}

/* The live entry of KIND with KEY, made the newest; NULL when absent,
 * expired at NOW or read before a change (then dropped). */
static struct cache_entry *
live(struct cache *c, unsigned kind, const uint8_t *key, time_t now)
{
	struct cache_entry *e = find(c, kind, key);

	if (!e)
		return NULL;
	if (now >= e->expires || !gens_current(&e->gens)) {
		remove_entry(c, e);
		return NULL;
	}
	unlink_lru(c, e);
	push_newest(c, e);
	return e;
}

void *
cache_get(struct cache *c, unsigned kind, const uint8_t *key, time_t now, size_t *len)
{
	struct cache_entry *e = live(c, kind, key, now);

	if (!e || e->obj)
		return NULL;
	if (len)
		*len = e->len;
	return e->val;
}

json_t *
cache_get_json(struct cache *c, unsigned kind, const uint8_t *key, time_t now)
{
	struct cache_entry *e = live(c, kind, key, now);

	return e ? e->obj : NULL;
}

void
cache_drop(struct cache *c, unsigned kind, const uint8_t *key)
{
	struct cache_entry *e = find(c, kind, key);

	if (e)
		remove_entry(c, e);
}

/* Keep LEN bytes of VAL, or OBJ (a reference) counted as CHARGE bytes. */
static enum ost_err
put(struct cache *c, unsigned kind, const uint8_t *key, const struct cache_gens *g,
    time_t expires, const void *val, size_t len, json_t *obj, size_t charge)
{
	struct cache_entry *e;
	size_t size = sizeof(struct cache_entry) + len + charge;

	cache_drop(c, kind, key);
	/* a change committed since the read: what was read may be stale */
	if (!c->buckets || !c->max_entries || size > c->max_bytes || !gens_current(g))
		return OST_OK;
	while (c->oldest && (c->count + 1 > c->max_entries || c->bytes + size > c->max_bytes))
		remove_entry(c, c->oldest);
	if (!(e = malloc(sizeof(struct cache_entry) + len)))
		return OST_ERR_NOMEM;
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	memcpy(e->key, key, CACHE_KEY_LEN);
	e->gens = *g;
	e->expires = expires;
	e->obj = json_incref(obj);
	e->charge = charge;
	e->len = len;
	if (len)
		memcpy(e->val, val, len);
	e->hnext = c->buckets[bucket(c, kind, key)];
	c->buckets[bucket(c, kind, key)] = e;
	push_newest(c, e);
	c->count++;
	c->bytes += size;
	return OST_OK;
}

enum ost_err
cache_put(struct cache *c, unsigned kind, const uint8_t *key, const struct cache_gens *g,
    time_t expires, const void *val, size_t len)
{
	return put(c, kind, key, g, expires, val, len, NULL, 0);
}

enum ost_err
cache_put_json(struct cache *c, unsigned kind, const uint8_t *key, const struct cache_gens *g,
    time_t expires, json_t *obj, size_t charge)
{
	return obj ? put(c, kind, key, g, expires, NULL, 0, obj, charge) : OST_ERR_INTERNAL;
}
