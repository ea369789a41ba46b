/* utf8.c - cutting UTF-8 text on a character boundary */
#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

/* A continuation byte (10xxxxxx): the second to fourth byte of a character. */
#define UTF8_CONT(c) (((unsigned char)(c) & 0xC0) == 0x80)

size_t
utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max < SIZE_MAX ? max + 1 : max), i;

	if (n <= max)
		return n;
	/* s[max] is the first byte left out: when it continues a character,
	 * that character's first byte, at most 3 back, is left out too. */
	for (i = max; i > 0 && max - i < 3 && UTF8_CONT(s[i]); i--)
		;
	return UTF8_CONT(s[i]) ? max : i;
}
