/* valid.c - validators shared by the API, the console and ostiumctl */
#include "valid/valid.h"

#include <string.h>

size_t
valid_utf8_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;

	if (u[0] < 0x80)
		return u[0] ? 1 : 0;
	if (u[0] < 0xC2 || u[0] > 0xF4)
		return 0; /* a continuation byte, an overlong lead, or past U+10FFFF */
	n = u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
	/* the second byte's range excludes overlong forms, surrogates and
	 * code points past U+10FFFF */
	if ((u[0] == 0xE0 && u[1] < 0xA0) || (u[0] == 0xED && u[1] > 0x9F) ||
	    (u[0] == 0xF0 && u[1] < 0x90) || (u[0] == 0xF4 && u[1] > 0x8F))
		return 0;
	for (i = 1; i < n; i++)
		if ((u[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

int
valid_utf8(const char *s)
{
	size_t n;

	while (*s) {
		if (!(n = valid_utf8_len(s)))
			return 0;
		s += n;
	}
	return 1;
}

void
valid_utf8_repair(char *s)
{
	char *out = s;
	size_t n;

	while (*s) {
		if (!(n = valid_utf8_len(s))) {
			s++;
			continue;
		}
		memmove(out, s, n);
		out += n;
		s += n;
	}
	*out = '\0';
}

void
valid_utf8_fit(const char *s, size_t max, char *out, size_t outsz)
{
	size_t o = 0, chars, n;

	for (chars = 0; *s && chars < max; chars++) {
		n = valid_utf8_len(s);
		if (o + (n ? n : 3) >= outsz)
			break;
		memcpy(out + o, n ? s : "\xEF\xBF\xBD", n ? n : 3);
		o += n ? n : 3;
		s += n ? n : 1;
	}
	out[o] = '\0';
}

size_t
valid_disguise_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x8B || (u[2] >= 0xAA && u[2] <= 0xAE)))
		return 3; /* U+200B, U+202A to U+202E */
	if (u[0] == 0xE2 && u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)
		return 3; /* U+2066 to U+2069 */
	if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3; /* U+FEFF */
	return 0;
}

int
valid_disguised(const char *s)
{
	for (; *s; s++)
		if (valid_disguise_len(s))
			return 1;
	return 0;
}

const char *
valid_email(const char *s)
{
	const char *at, *dot;
	size_t i;

	if (!s || !*s)
		return "An email address is required";
	if (strlen(s) > 254)
		return "The email address is longer than 254 bytes (254 characters of ASCII, fewer beyond it)";
	if (!valid_utf8(s))
		return "The email address is not valid UTF-8";
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '<' || s[i] == '>' ||
		    s[i] == '"' || s[i] == ',')
			return "The email address holds a character it cannot hold";
	if (valid_disguised(s))
		return "The email address must not hold " VALID_DISGUISE_WORDS;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return "The email address needs exactly one @ after a name";
	dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return "The email address needs a domain such as example.org";
	return NULL;
}

const char *
valid_text(const char *s, size_t min, size_t max)
{
	size_t i, chars = 0;

	if (!s || strlen(s) < (min ? 1 : 0))
		return "A value is required";
	if (!valid_utf8(s))
		return "The value is not valid UTF-8";
	for (i = 0; s[i]; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "The value must not hold control characters";
		chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	}
	if (chars < min)
		return "The value is too short";
	return chars > max ? "The value is too long" : NULL;
}

const char *
valid_name(const char *s, size_t min, size_t max)
{
	const char *why = valid_text(s, min, max);

	if (!why && valid_disguised(s))
		return "The value must not hold " VALID_DISGUISE_WORDS;
	return why;
}
