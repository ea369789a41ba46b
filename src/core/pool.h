/* pool.h - the process pool: a master that forks, watches and replaces workers */
#ifndef OST_POOL_H
#define OST_POOL_H

#include "core/app.h"

/* pool_run - serve FastCGI with APP (loaded from CONFIG_PATH) until told to
 * stop; returns the process exit status.
 * - Spawned by a web server with a listening socket on standard input
 *   (lighttpd bin-path, mod_fcgid): serve on it as a single worker.
 * - Otherwise: listen on cfg.listen, fork cfg.workers workers (and
 *   cfg.events_workers events dispatchers), replace any that dies (and each after cfg.max_requests requests); SIGHUP reloads
 *   CONFIG_PATH and replaces the workers gracefully (a bad file is logged
 *   and the old configuration kept); SIGTERM or SIGINT lets in-flight
 *   requests finish, then stops. */
int pool_run(struct app *app, const char *config_path);

/* pool_run_dispatcher - deliver events without serving FastCGI (ostium
 * --dispatcher: where the web server owns the worker processes): a master
 * that forks cfg.events_workers events dispatchers and watches them as
 * pool_run does its children (SIGHUP reloads, SIGTERM stops). Every
 * master also runs cfg.events_workers dispatchers beside its workers. */
int pool_run_dispatcher(struct app *app, const char *config_path);

#endif
