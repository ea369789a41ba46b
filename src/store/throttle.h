/* throttle.h - failure counters per account or address, over a time window */
#ifndef OST_STORE_THROTTLE_H
#define OST_STORE_THROTTLE_H

#include "core/err.h"

/* store_throttle_count - *FAILURES gets the failures noted for BUCKET within
 * the last WINDOW seconds (0 when none) and *RETRY_AFTER the seconds until
 * that window ends. */
enum ost_err store_throttle_count(const char *bucket, unsigned window, unsigned *failures,
    unsigned *retry_after) OST_MUST_CHECK;

/* store_throttle_fail - note one more failure for BUCKET (a new window
 * starts when the last one is over WINDOW seconds old). */
enum ost_err store_throttle_fail(const char *bucket, unsigned window) OST_MUST_CHECK;

/* store_throttle_take - count one failure for BUCKET before the attempt is
 * checked, unless it holds LIMIT failures within the last WINDOW seconds
 * already: *TAKEN 1 when counted, 0 when refused (throttled). One
 * statement, so that parallel attempts can never all pass. */
enum ost_err store_throttle_take(const char *bucket, unsigned window, unsigned limit,
    int *taken) OST_MUST_CHECK;

/* store_throttle_give_back - uncount one failure of BUCKET taken for an
 * attempt that did not fail after all. */
enum ost_err store_throttle_give_back(const char *bucket) OST_MUST_CHECK;

/* store_throttle_clear - forget BUCKET's failures. */
enum ost_err store_throttle_clear(const char *bucket) OST_MUST_CHECK;

#endif
