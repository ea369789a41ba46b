/* valid.c - validators shared by the API, the console and ostiumctl */
#include "valid/valid.h"

#include <string.h>

const char *
valid_email(const char *s)
{
	const char *at, *dot;
	size_t i;

	if (!s || !*s)
		return "An email address is required";
	if (strlen(s) > 254)
		return "The email address is longer than 254 characters";
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '<' || s[i] == '>' ||
		    s[i] == '"' || s[i] == ',')
			return "The email address holds a character it cannot hold";
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
	for (i = 0; s[i]; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "The value must not hold control characters";
		chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	}
	if (chars < min)
		return "The value is too short";
	return chars > max ? "The value is too long" : NULL;
}
