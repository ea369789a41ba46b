/* form.h - percent-decoding, application/x-www-form-urlencoded and cookies */
#ifndef OST_FORM_H
#define OST_FORM_H

#include <stddef.h>
#include <jansson.h>
#include "core/err.h"

#define FORM_FIELDS_MAX 256 /* the most fields one query string or form may hold */
#define FORM_COOKIE_MAX 4096 /* bytes of one cookie, name=value: a longer one is left out */
#define FORM_COOKIES_MAX 256 /* cookies read from one header: later ones are left out */

/* form_unescape - percent-decode S[0..N) into OUT (at least N+1 bytes),
 * NUL-terminated; *OUTLEN gets the decoded length. PLUS_SPACE turns '+' into
 * ' ' (forms and query strings). OST_ERR_MALFORMED on a bad %XY escape, a
 * decoded NUL byte, or a result that is not valid UTF-8. */
enum ost_err form_unescape(const char *s, size_t n, int plus_space, char *out, size_t *outlen)
    OST_MUST_CHECK;

/* form_decode - decode "a=1&b=2" (N bytes at S) into the object INTO: each
 * name maps to its value as a string; a name given more than once maps to an
 * array of its values in order. OST_ERR_MALFORMED on bad encoding, an empty
 * name, or more than FORM_FIELDS_MAX fields. */
enum ost_err form_decode(const char *s, size_t n, json_t *into) OST_MUST_CHECK;

/* form_cookies - parse a Cookie header ("a=1; b=2") into INTO (name ->
 * value; the first of a repeated name wins). A pair that cannot be read
 * (no '=', an empty name, more than FORM_COOKIE_MAX bytes, a name or value
 * that is not UTF-8), and any after the first FORM_COOKIES_MAX, is left out
 * and counted in *IGNORED: a cookie some other site set must not refuse the
 * request. Values are taken as sent (no decoding). OST_ERR_NOMEM is the
 * only failure. */
enum ost_err form_cookies(const char *header, json_t *into, size_t *ignored) OST_MUST_CHECK;

#endif
