/* utf8.h - cutting UTF-8 text on a character boundary */
#ifndef OST_UTF8_H
#define OST_UTF8_H

#include <stddef.h>

/* utf8_cut - the length in bytes of the longest prefix of S (NUL-terminated)
 * that is at most MAX bytes and ends on a character boundary: strlen(S) when
 * that fits, else MAX less the bytes of the character MAX would cut through.
 * S[result] is then NUL or the first byte of a character, never a
 * continuation byte. Text that is not well-formed UTF-8 is cut at most 3
 * bytes before MAX (a character is at most 4). Reads at most MAX + 1 bytes
 * of S. */
size_t utf8_cut(const char *s, size_t max);

#endif
