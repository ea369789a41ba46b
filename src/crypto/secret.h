/* secret.h - server secrets kept in files: the pepper and the encryption keys */
#ifndef OST_SECRET_H
#define OST_SECRET_H

#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

/* crypto_secret_write - write N fresh random bytes as one line of hex
 * (PREFIX first, e.g. "1 " for a key id; "" for none) to the new file PATH
 * with mode 0600. OST_ERR_CONFLICT when PATH exists (never overwritten). */
enum ost_err crypto_secret_write(const char *path, const char *prefix, size_t n) OST_MUST_CHECK;

/* crypto_secret_load - read the hex line of PATH (the last line, after an
 * optional "ID " prefix) into a new buffer of exactly N bytes in secure
 * memory, *OUT (free with crypto_secret_free). OST_ERR_IO when unreadable,
 * OST_ERR_CONFIG when the content is not N bytes of hex or the file can be
 * read by others than its owner. */
enum ost_err crypto_secret_load(const char *path, size_t n, uint8_t **out) OST_MUST_CHECK;

/* crypto_secret_free - wipe and release a buffer from crypto_secret_load. */
void crypto_secret_free(uint8_t *p, size_t n);

#endif
