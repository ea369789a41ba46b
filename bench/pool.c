/* pool.c - the forking FastCGI responder shared by the bench baselines */
#include "pool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS 256

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static int parse_count(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static void usage(const struct bench_app *app)
{
	fprintf(stderr, "usage: %s -s SOCKET [-n WORKERS] [-b BACKLOG]%s\n",
		app->name, app->usage ? app->usage : "");
}

/* Runs in a worker: accepts and answers until killed. */
static void worker_run(const struct bench_app *app, int fd)
{
	FCGX_Request req;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	if (getppid() == 1)
		_exit(0);
	if (app->worker_init && app->worker_init() != 0)
		_exit(1);
	if (FCGX_InitRequest(&req, fd, 0) != 0)
		_exit(1);
	while (FCGX_Accept_r(&req) >= 0) {
		app->handle(&req);
		FCGX_Finish_r(&req);
	}
	_exit(0);
}

static pid_t spawn(const struct bench_app *app, int fd)
{
	pid_t pid = fork();

	if (pid == 0)
		worker_run(app, fd);
	if (pid < 0)
		perror("fork");
	return pid;
}

/* Waits for the workers, replacing any that dies, until told to stop. */
static void supervise(const struct bench_app *app, int fd, pid_t *pids, int n)
{
	int status, i;
	pid_t pid;

	while (!stopping) {
		pid = wait(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (i = 0; i < n && !stopping; i++)
			if (pids[i] == pid) {
				fprintf(stderr, "%s: worker %d died, respawning\n",
					app->name, (int)pid);
				sleep(1);
				pids[i] = spawn(app, fd);
			}
	}
}

int bench_pool_main(const struct bench_app *app, int argc, char **argv)
{
	char opts[64];
	const char *path = NULL;
	int workers = 2, backlog = 1024, fd, opt, i;
	pid_t pids[MAX_WORKERS];
	struct sigaction sa;

	snprintf(opts, sizeof opts, "s:n:b:%s", app->optstring ? app->optstring : "");
	while ((opt = getopt(argc, argv, opts)) != -1) {
		if (opt == 's')
			path = optarg;
		else if (opt == 'n' && parse_count(optarg, 1, MAX_WORKERS, &workers) == 0)
			continue;
		else if (opt == 'b' && parse_count(optarg, 1, 65535, &backlog) == 0)
			continue;
		else if (opt == 'n' || opt == 'b' || opt == '?' || !app->option ||
			 app->option(opt, optarg) != 0) {
			usage(app);
			return 2;
		}
	}
	if (!path || optind != argc) {
		usage(app);
		return 2;
	}
	if (FCGX_Init() != 0)
		return 1;
	fd = FCGX_OpenSocket(path, backlog);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot listen on %s\n", app->name, path);
		return 1;
	}
	chmod(path, 0660);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (i = 0; i < workers; i++)
		pids[i] = spawn(app, fd);
	supervise(app, fd, pids, workers);
	for (i = 0; i < workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	unlink(path);
	return 0;
}

void bench_reply(FCGX_Request *req, int status, const char *body)
{
	char head[128];
	size_t len = strlen(body);
	int n;

	/* libfcgi's own FCGX_FPrintF knows no %zu: format here. */
	n = snprintf(head, sizeof head,
		     "Status: %d\r\nContent-Type: text/plain\r\n"
		     "Content-Length: %zu\r\n\r\n",
		     status, len);
	FCGX_PutStr(head, n, req->out);
	FCGX_PutStr(body, (int)len, req->out);
}
