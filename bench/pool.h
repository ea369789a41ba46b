/* pool.h - the forking FastCGI responder shared by the bench baselines */
#ifndef BENCH_POOL_H
#define BENCH_POOL_H

#include <fcgiapp.h>

/* What a baseline program plugs into the pool. */
struct bench_app {
	const char *name;  /* program name, for usage and messages */
	const char *usage; /* its own options, appended to the usage line */
	const char *optstring; /* its own getopt letters (with ':' as usual) */
	/* Called for each of its own options; returns 0, or -1 for a bad one. */
	int (*option)(int opt, const char *arg);
	/* Called once in each worker before it accepts; returns 0 or -1. */
	int (*worker_init)(void);
	/* Answers one request: writes the whole response to req->out. */
	void (*handle)(FCGX_Request *req);
};

/*
 * bench_pool_main - parses -s SOCKET -n WORKERS [-b BACKLOG] and the app's
 * own options, opens the FastCGI unix socket, forks WORKERS processes that
 * each run FCGX_Accept_r / app->handle / FCGX_Finish_r until killed, and
 * waits. SIGTERM or SIGINT to the parent stops the workers and exits 0;
 * a worker also dies with its parent. Returns the exit status for main().
 */
int bench_pool_main(const struct bench_app *app, int argc, char **argv);

/* bench_reply - writes a whole response with STATUS and a text/plain BODY. */
void bench_reply(FCGX_Request *req, int status, const char *body);

#endif
