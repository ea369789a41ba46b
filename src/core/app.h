/* app.h - what a worker holds for its whole life: configuration, templates, secrets */
#ifndef OST_APP_H
#define OST_APP_H

#include <stdint.h>
#include <stddef.h>
#include "core/config.h"
#include "core/err.h"
#include "crypto/aead.h"

struct render_templates;

#define APP_PEPPER_LEN 32

struct app {
	struct config cfg;                  /* the configuration in force */
	struct render_templates *templates; /* parsed once per worker */
	uint8_t *pepper;                    /* HMAC key, in libgcrypt secure memory */
	struct keyring keys;                /* AES-256-GCM keys of key_file */
};

/* app_load - read the configuration file PATH, then the pepper and the
 * HTML templates it names, into APP (zeroed by the caller). On failure
 * ERRBUF says what and where, and APP holds nothing to free. */
enum ost_err app_load(struct app *app, const char *path, char *errbuf, size_t errsz) OST_MUST_CHECK;

/* app_free - release what app_load made. */
void app_free(struct app *app);

#endif
