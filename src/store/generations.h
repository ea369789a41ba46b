/* generations.h - the database's generation counters, one row per kind of
 * credential check (core/gen.h) */
#ifndef OST_STORE_GENERATIONS_H
#define OST_STORE_GENERATIONS_H

#include "core/err.h"

/* store_generations_bump - add one to the rows of the kinds in MASK
 * (GEN_BIT bits), in the transaction open. */
enum ost_err store_generations_bump(unsigned mask) OST_MUST_CHECK;

/* store_generations_poll - read every row and hand each to gen_seen. */
enum ost_err store_generations_poll(void) OST_MUST_CHECK;

#endif
