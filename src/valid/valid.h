/* valid.h - validators shared by the API, the console and ostiumctl */
#ifndef OST_VALID_H
#define OST_VALID_H

#include <stddef.h>

/* valid_email - NULL when S is an acceptable email address (one '@', a
 * non-empty local part, a dotted domain, at most 254 bytes, no spaces or
 * control characters); otherwise a sentence saying what is wrong. */
const char *valid_email(const char *s);

/* valid_text - NULL when S is 1 to MAX characters of UTF-8 without control
 * characters (MIN 0 allows empty); otherwise a sentence. */
const char *valid_text(const char *s, size_t min, size_t max);

#endif
