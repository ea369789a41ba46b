/* app.c - loading what a worker holds for its whole life */
#include "core/app.h"

#include <stdio.h>
#include <string.h>

#include "crypto/secret.h"
#include "render/render.h"

enum ost_err
app_load(struct app *app, const char *path, char *errbuf, size_t errsz)
{
	char dir[CONFIG_PATH_MAX + 16];
	const char *what = NULL;
	enum ost_err err;

	memset(app, 0, sizeof(*app));
	if ((err = config_load(path, &app->cfg, errbuf, errsz)))
		return err;
	err = crypto_secret_load(app->cfg.pepper_file, APP_PEPPER_LEN, &app->pepper);
	if (err) {
		snprintf(errbuf, errsz, "%s: %s", app->cfg.pepper_file,
		    err == OST_ERR_IO ? "cannot read the pepper file (ostiumctl gen-keys writes it)"
		                      : "the pepper file must hold 64 hex digits and be mode 0600");
		return err;
	}
	err = crypto_keyring_load(app->cfg.key_file, &app->keys);
	if (err) {
		snprintf(errbuf, errsz, "%s: %s", app->cfg.key_file,
		    err == OST_ERR_IO ? "cannot read the key file (ostiumctl gen-keys writes it)"
		                      : "the key file must hold \"ID HEX\" lines and be mode 0600");
		app_free(app);
		return err;
	}
	snprintf(dir, sizeof(dir), "%s/www/templates", app->cfg.data_dir);
	if ((err = render_html_load(dir, &app->templates, &what))) {
		snprintf(errbuf, errsz, "%s: cannot load the templates (%s)", dir, what ? what : "?");
		app_free(app);
		return err;
	}
	return OST_OK;
}

void
app_free(struct app *app)
{
	crypto_secret_free(app->pepper, APP_PEPPER_LEN);
	app->pepper = NULL;
	crypto_keyring_free(&app->keys);
	if (app->templates)
		render_html_free(app->templates);
	app->templates = NULL;
}
