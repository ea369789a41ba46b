/* valid.h - validators shared by the API, the console and ostiumctl */
#ifndef OST_VALID_H
#define OST_VALID_H

#include <stddef.h>

/* valid_utf8_len - bytes (1 to 4) of the well-formed UTF-8 sequence S
 * starts with (RFC 3629: no overlong form, surrogate or code point past
 * U+10FFFF); 0 when it starts with none, or is empty. */
size_t valid_utf8_len(const char *s);

/* valid_utf8 - 1 when the whole of S is well-formed UTF-8, what a utf8mb4
 * column takes; 0 otherwise. */
int valid_utf8(const char *s);

/* valid_utf8_repair - drop from S, in place, every byte that starts no
 * well-formed sequence: what is left of a character a byte-counted quote
 * ("%.64s") or a full buffer cut, so that the text can go into JSON. */
void valid_utf8_repair(char *s);

/* valid_utf8_fit - S (any bytes, such as a request header) as well-formed
 * UTF-8 in OUT (OUTSZ bytes, at least 1): a byte that starts no sequence
 * becomes U+FFFD, and the copy stops, never inside a character, before it
 * passes MAX characters or OUTSZ - 1 bytes. */
void valid_utf8_fit(const char *s, size_t max, char *out, size_t outsz);

/* valid_disguise_len - bytes (3) of the character S starts with when it is
 * one that can disguise text on screen: a bidirectional embedding, override
 * or isolate (U+202A to U+202E, U+2066 to U+2069), the zero width space
 * U+200B or U+FEFF; 0 otherwise. The joiners U+200C and U+200D are not:
 * Persian, Indic scripts and emoji need them. */
size_t valid_disguise_len(const char *s);

/* valid_disguised - 1 when UTF-8 text S holds such a character anywhere. */
int valid_disguised(const char *s);

#define VALID_DISGUISE_WORDS "bidirectional controls or invisible characters " \
	"(U+202A to U+202E, U+2066 to U+2069, U+200B, U+FEFF)"

/* valid_email - NULL when S is an acceptable email address (UTF-8, one
 * '@', a non-empty local part, a dotted domain, at most 254 bytes, no
 * spaces, control characters or valid_disguised characters); otherwise a
 * sentence saying what is wrong. */
const char *valid_email(const char *s);

/* valid_text - NULL when S is 1 to MAX characters of well-formed UTF-8
 * without control characters (MIN 0 allows empty); otherwise a sentence.
 * (Input from HTTP is UTF-8 already; ostiumctl's arguments may not be.) */
const char *valid_text(const char *s, size_t min, size_t max);

/* valid_name - valid_text, and no valid_disguised character: text shown to
 * people (names, labels). */
const char *valid_name(const char *s, size_t min, size_t max);

#endif
