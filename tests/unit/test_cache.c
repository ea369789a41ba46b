/* test_cache.c - Check suite for auth/cache: the bounds (entries, bytes)
 * with least-recently-used eviction, expiry, and generations: a fill
 * racing a change is never used, a change drops what was read before it */
#include "auth/cache.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char shm_name[64];

static void
setup(void)
{
	snprintf(shm_name, sizeof(shm_name), "/ostium-test-cache-%ld", (long)getpid());
	ck_assert_int_eq(gen_attach_name(shm_name), OST_OK);
}

static void
teardown(void)
{
	gen_detach();
	shm_unlink(shm_name);
}

static void
key_of(uint8_t key[CACHE_KEY_LEN], unsigned n)
{
	memset(key, 0, CACHE_KEY_LEN);
	memcpy(key, &n, sizeof(n));
	key[31] = (uint8_t)n;
}

static void
put_n(struct cache *c, unsigned n, size_t len, time_t expires)
{
	uint8_t key[CACHE_KEY_LEN], val[256];
	struct cache_gens g;

	key_of(key, n);
	memset(val, (int)n, sizeof(val));
	cache_gens(&g, GEN_BIT(GEN_TOKENS));
	ck_assert_int_eq(cache_put(c, 1, key, &g, expires, val, len), OST_OK);
}

static int
has(struct cache *c, unsigned n, time_t now)
{
	uint8_t key[CACHE_KEY_LEN];
	size_t len = 0;
	unsigned char *v;

	key_of(key, n);
	if (!(v = cache_get(c, 1, key, now, &len)))
		return 0;
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(v[0], (unsigned char)n);
	return 1;
}

START_TEST(test_entries_capped_lru_first)
{
	struct cache c;
	unsigned i;

	ck_assert_int_eq(cache_init(&c, 4, 1 << 20), OST_OK);
	for (i = 1; i <= 4; i++)
		put_n(&c, i, 16, 1000);
	ck_assert_uint_eq(c.count, 4);
	ck_assert(has(&c, 1, 10)); /* 1 is now the most recently used: 2 goes first */
	put_n(&c, 5, 16, 1000);
	put_n(&c, 6, 16, 1000);
	ck_assert_uint_eq(c.count, 4);
	ck_assert(!has(&c, 2, 10));
	ck_assert(!has(&c, 3, 10));
	ck_assert(has(&c, 1, 10));
	ck_assert(has(&c, 4, 10));
	ck_assert(has(&c, 5, 10));
	ck_assert(has(&c, 6, 10));
	cache_free(&c);
}
END_TEST

START_TEST(test_bytes_capped)
{
	struct cache c;
	unsigned i;
	size_t cap = 3 * (256 + 128); /* room for about three values of 256 bytes */

	ck_assert_int_eq(cache_init(&c, 1000, cap), OST_OK);
	for (i = 1; i <= 20; i++) {
		put_n(&c, i, 256, 1000);
		ck_assert_uint_le(c.bytes, cap);
	}
	ck_assert_uint_lt(c.count, 4);
	ck_assert_uint_gt(c.count, 0);
	ck_assert(has(&c, 20, 10)); /* the newest stays */
	ck_assert(!has(&c, 1, 10));
	/* a value larger than the whole cache is not kept, and evicts nothing */
	{
		uint8_t key[CACHE_KEY_LEN], *big = calloc(1, cap + 1);
		struct cache_gens g;
		size_t before = c.count;

		ck_assert_ptr_nonnull(big);
		key_of(key, 99);
		cache_gens(&g, GEN_BIT(GEN_TOKENS));
		ck_assert_int_eq(cache_put(&c, 1, key, &g, 1000, big, cap + 1), OST_OK);
		ck_assert_uint_eq(c.count, before);
		ck_assert_ptr_null(cache_get(&c, 1, key, 10, NULL));
		free(big);
	}
	cache_free(&c);
}
END_TEST

START_TEST(test_refused_past_expiry)
{
	struct cache c;

	ck_assert_int_eq(cache_init(&c, 8, 1 << 20), OST_OK);
	put_n(&c, 1, 16, 100);
	ck_assert(has(&c, 1, 99));
	ck_assert(!has(&c, 1, 100));
	ck_assert_uint_eq(c.count, 0); /* dropped, not kept */
	cache_free(&c);
}
END_TEST

START_TEST(test_change_drops_entries_of_its_kind_only)
{
	struct cache c;
	uint8_t key[CACHE_KEY_LEN];
	struct cache_gens g;
	char v = 'a';

	ck_assert_int_eq(cache_init(&c, 8, 1 << 20), OST_OK);
	put_n(&c, 1, 16, 1000); /* reads GEN_TOKENS */
	key_of(key, 2);
	cache_gens(&g, GEN_BIT(GEN_APPS));
	ck_assert_int_eq(cache_put(&c, 2, key, &g, 1000, &v, 1), OST_OK);
	gen_bump(GEN_BIT(GEN_APPS));
	ck_assert(has(&c, 1, 10));
	ck_assert_ptr_null(cache_get(&c, 2, key, 10, NULL));
	gen_bump(GEN_BIT(GEN_TOKENS));
	ck_assert(!has(&c, 1, 10));
	cache_free(&c);
}
END_TEST

START_TEST(test_fill_racing_a_change_is_never_used)
{
	struct cache c;
	uint8_t key[CACHE_KEY_LEN];
	struct cache_gens g;
	char v = 's';

	ck_assert_int_eq(cache_init(&c, 8, 1 << 20), OST_OK);
	key_of(key, 7);
	/* the counters are read, then the database (the stale value) ... */
	cache_gens(&g, GEN_BIT(GEN_TOKENS) | GEN_BIT(GEN_PEOPLE));
	/* ... meanwhile another process commits a change and bumps ... */
	gen_bump(GEN_BIT(GEN_PEOPLE));
	/* ... and the fill comes after: it must never be used */
	ck_assert_int_eq(cache_put(&c, 1, key, &g, 1000, &v, 1), OST_OK);
	ck_assert_ptr_null(cache_get(&c, 1, key, 10, NULL));
	ck_assert_uint_eq(c.count, 0);
	cache_free(&c);
}
END_TEST

START_TEST(test_nothing_used_without_shared_counters)
{
	struct cache c;
	uint8_t key[CACHE_KEY_LEN];
	struct cache_gens g;
	char v = 'x';

	gen_detach();
	ck_assert_int_eq(cache_init(&c, 8, 1 << 20), OST_OK);
	key_of(key, 3);
	cache_gens(&g, GEN_BIT(GEN_TOKENS));
	ck_assert_int_eq(cache_put(&c, 1, key, &g, 1000, &v, 1), OST_OK);
	ck_assert_ptr_null(cache_get(&c, 1, key, 10, NULL));
	cache_free(&c);
}
END_TEST

START_TEST(test_counters_shared_between_mappings)
{
	uint64_t before = gen_read(GEN_OAUTH);

	/* a second attach (as ostiumctl or another worker does) sees the same counters */
	ck_assert_int_eq(gen_attach_name(shm_name), OST_OK);
	ck_assert_uint_eq(gen_read(GEN_OAUTH), before);
	gen_bump(GEN_BIT(GEN_OAUTH));
	ck_assert_int_eq(gen_attach_name(shm_name), OST_OK);
	ck_assert_uint_eq(gen_read(GEN_OAUTH), before + 1);
}
END_TEST

/* A kept object (an application check, parsed, with its caller): the cache
 * holds a reference while it keeps it and gives it back when it evicts or
 * drops it, its charge counts against the bytes, and a fill racing a
 * change is never used, as with bytes. */
START_TEST(test_kept_objects_referenced_charged_and_released)
{
	struct cache c;
	struct cache_gens g, before;
	uint8_t k1[CACHE_KEY_LEN], k2[CACHE_KEY_LEN];
	json_t *a = json_pack("{s:s}", "name", "a"), *b = json_pack("{s:s}", "name", "b");
	time_t now = time(NULL);

	ck_assert_int_eq(cache_init(&c, 8, 4096), OST_OK);
	key_of(k1, 1);
	key_of(k2, 2);
	cache_gens(&g, GEN_BIT(GEN_APPS));
	ck_assert_int_eq(cache_put_json(&c, 1, k1, &g, now + 60, a, 1500), OST_OK);
	ck_assert_int_eq(a->refcount, 2);
	ck_assert_ptr_eq(cache_get_json(&c, 1, k1, now), a);
	ck_assert_ptr_null(cache_get(&c, 1, k1, now, NULL)); /* not a byte value */
	ck_assert_uint_ge(c.bytes, 1500);

	/* b's charge does not fit beside a's: a, the older, goes and is released */
	ck_assert_int_eq(cache_put_json(&c, 1, k2, &g, now + 60, b, 3000), OST_OK);
	ck_assert_ptr_null(cache_get_json(&c, 1, k1, now));
	ck_assert_int_eq(a->refcount, 1);
	ck_assert_ptr_eq(cache_get_json(&c, 1, k2, now), b);

	/* a change of its kind: dropped at the next look, released */
	gen_bump(GEN_BIT(GEN_APPS));
	ck_assert_ptr_null(cache_get_json(&c, 1, k2, now));
	ck_assert_int_eq(b->refcount, 1);
	ck_assert_uint_eq(c.count, 0);

	/* read before a change that commits before the fill: never kept */
	cache_gens(&before, GEN_BIT(GEN_APPS));
	gen_bump(GEN_BIT(GEN_APPS));
	ck_assert_int_eq(cache_put_json(&c, 1, k1, &before, now + 60, a, 100), OST_OK);
	ck_assert_ptr_null(cache_get_json(&c, 1, k1, now));
	ck_assert_int_eq(a->refcount, 1);

	/* past its expiry: refused and released */
	cache_gens(&g, GEN_BIT(GEN_APPS));
	ck_assert_int_eq(cache_put_json(&c, 1, k1, &g, now + 5, a, 100), OST_OK);
	ck_assert_ptr_null(cache_get_json(&c, 1, k1, now + 5));
	ck_assert_int_eq(a->refcount, 1);

	/* cache_free gives back what it still keeps */
	ck_assert_int_eq(cache_put_json(&c, 1, k1, &g, now + 60, a, 100), OST_OK);
	ck_assert_int_eq(a->refcount, 2);
	cache_free(&c);
	ck_assert_int_eq(a->refcount, 1);
	json_decref(a);
	json_decref(b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("cache");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_entries_capped_lru_first);
	tcase_add_test(tc, test_bytes_capped);
	tcase_add_test(tc, test_refused_past_expiry);
	tcase_add_test(tc, test_change_drops_entries_of_its_kind_only);
	tcase_add_test(tc, test_fill_racing_a_change_is_never_used);
	tcase_add_test(tc, test_nothing_used_without_shared_counters);
	tcase_add_test(tc, test_counters_shared_between_mappings);
	tcase_add_test(tc, test_kept_objects_referenced_charged_and_released);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
