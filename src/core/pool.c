/* pool.c - the process pool: a master that forks, watches and replaces workers */
#include "core/pool.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "events/events.h"
#include "http/dispatch.h"
#include "store/db.h"

#define POOL_MAX 256
#define STOP_GRACE_MS 10000  /* how long in-flight requests may take at stop */
#define ACCEPT_FAILURES_MAX 100
#define RETIRE_REPEAT_MS 200 /* how often a worker told to go is told again */

static volatile sig_atomic_t got_term, got_hup, got_chld, got_alrm;

/* What a child of the master does. */
enum kind {
	KIND_WORKER, /* serves FastCGI requests */
	KIND_EVENTS, /* delivers events (events/dispatcher.c) */
};

struct worker {
	pid_t pid;        /* 0: free slot */
	unsigned gen;     /* configuration generation it serves */
	time_t started;
	enum kind kind;
};

static struct worker workers[POOL_MAX];

static void
on_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT) {
		got_term = 1;
		FCGX_ShutdownPending();
	} else if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGCHLD)
		got_chld = 1;
	else if (sig == SIGALRM)
		got_alrm = 1;
}

static void
handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL); /* no SA_RESTART: accept() must see EINTR */
}

/* Give back to the system what a large request left free in the heap, so
 * that a worker's footprint does not stay at the largest answer it ever
 * gave: after a request of SIZE bytes (its body and answer) past
 * TRIM_LARGE_IO, or one that moved the heap's end more than TRIM_GROWTH
 * past where it stood after the last look (sbrk(0) reads a variable: no
 * system call), when more than TRIM_FREE_BYTES of the heap is free,
 * malloc_trim. Blocks above glibc's mmap threshold are mapped and unmapped
 * on their own. */
#define TRIM_LARGE_IO (256u << 10)
#define TRIM_GROWTH (1u << 20)
#define TRIM_FREE_BYTES (2u << 20)

static void
trim_heap(size_t size)
{
#ifdef __GLIBC__
	static uintptr_t mark;
	uintptr_t top = (uintptr_t)sbrk(0);

	if (size <= TRIM_LARGE_IO && top <= mark + TRIM_GROWTH) {
		if (top < mark)
			mark = top; /* glibc gave the heap's top back itself */
		return;
	}
	if (mallinfo2().fordblks > TRIM_FREE_BYTES)
		malloc_trim(0);
	mark = (uintptr_t)sbrk(0);
#else
	(void)size;
#endif
}

/* The worker loop: accept and serve until stopped or worn out. SIGTERM
 * is let through only while the worker waits for a connection (ppoll), and
 * is held back from accept() to the end of the request: libfcgi drops a
 * connection whose first read (or its wait for the web server's first
 * record) a signal interrupts, so a request is never lost once accepted.
 * The socket is non-blocking because another worker may win the accept.
 * The master repeats SIGTERM until the worker is gone (see retire()). */
static int
worker_main(const struct app *app, int sock)
{
	FCGX_Request req;
	unsigned served = 0, failures = 0;
	size_t size;
	sigset_t term, waiting;
	struct pollfd pfd = {.fd = sock, .events = POLLIN};
	int rc, flags;

	handle(SIGTERM, on_signal);
	handle(SIGINT, on_signal);
	handle(SIGHUP, SIG_IGN);
	handle(SIGCHLD, SIG_DFL);
	handle(SIGALRM, SIG_IGN);
	handle(SIGPIPE, SIG_IGN);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigprocmask(SIG_SETMASK, &term, NULL);
	sigemptyset(&waiting);
	if ((flags = fcntl(sock, F_GETFL)) < 0 || fcntl(sock, F_SETFL, flags | O_NONBLOCK) < 0)
		return 1;
	if (db_init(&app->cfg))
		log_warn("the database password file could not be read");
	if (FCGX_InitRequest(&req, sock, FCGI_FAIL_ACCEPT_ON_INTR))
		return 1;
	while (!app->cfg.max_requests || served < app->cfg.max_requests) {
		if (!got_term && ppoll(&pfd, 1, NULL, &waiting) < 0 && errno != EINTR) {
			failures = ACCEPT_FAILURES_MAX + 1; /* cannot wait for a connection */
			break;
		}
		if (got_term)
			break;
		rc = FCGX_Accept_r(&req);
		if (rc == -EAGAIN || rc == -EWOULDBLOCK)
			continue; /* another worker took it */
		if (rc < 0) {
			if (++failures > ACCEPT_FAILURES_MAX)
				break;
			continue;
		}
		failures = 0;
		size = dispatch_request(app, &req);
		FCGX_Finish_r(&req);
		trim_heap(size);
		served++;
	}
	FCGX_Free(&req, 0);
	db_close();
	return failures > ACCEPT_FAILURES_MAX ? 1 : 0;
}

/* Open the listening socket named by "unix:PATH" or "HOST:PORT". */
static int
open_listen(const struct config *cfg)
{
	const char *path = cfg->listen;
	struct stat st;
	int fd;

	if (strncmp(path, "unix:", 5) == 0) {
		path += 5;
		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(path); /* left by a process that is gone */
	}
	fd = FCGX_OpenSocket(path, 128);
	if (fd < 0) {
		log_error("cannot listen on %s: %s", cfg->listen, strerror(errno));
		return -1;
	}
	if (path != cfg->listen && chmod(path, cfg->socket_mode))
		log_warn("cannot set the mode of %s: %s", path, strerror(errno));
	return fd;
}

/* Fork one child of KIND and generation GEN; -1 when that is not possible now. */
static int
spawn(const struct app *app, int sock, unsigned gen, enum kind kind)
{
	size_t i;
	pid_t pid;

	for (i = 0; i < POOL_MAX && workers[i].pid; i++)
		;
	if (i == POOL_MAX)
		return -1;
	pid = fork();
	if (pid < 0) {
		log_error("fork failed: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (kind == KIND_EVENTS) {
			if (sock >= 0)
				close(sock);
			_exit(events_dispatcher_run(app));
		}
		_exit(worker_main(app, sock));
	}
	workers[i] = (struct worker){.pid = pid, .gen = gen, .started = time(NULL), .kind = kind};
	return 0;
}

/* How many live children of KIND serve generation GEN. */
static unsigned
count_gen(unsigned gen, enum kind kind)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < POOL_MAX; i++)
		n += workers[i].pid && workers[i].gen == gen && workers[i].kind == kind;
	return n;
}

/* Reap dead workers; 1 when one died within a second of its start. */
static int
reap(void)
{
	int status, quick = 0;
	pid_t pid;
	size_t i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < POOL_MAX; i++) {
			if (workers[i].pid != pid)
				continue;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				log_warn("%s %ld ended (%s %d)",
				    workers[i].kind == KIND_EVENTS ? "events dispatcher" : "worker", (long)pid,
				    WIFSIGNALED(status) ? "signal" : "status",
				    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
				quick |= time(NULL) - workers[i].started < 1;
			}
			workers[i].pid = 0;
		}
	}
	return quick;
}

static void
signal_gen(unsigned gen, int sig, int all)
{
	size_t i;

	for (i = 0; i < POOL_MAX; i++)
		if (workers[i].pid && (all || workers[i].gen == gen))
			kill(workers[i].pid, sig);
}

/* SIGTERM every worker, wait for in-flight requests, then SIGKILL stragglers. */
static void
stop_all(void)
{
	struct timespec tick = {0, 50 * 1000 * 1000};
	unsigned waited;
	size_t i;
	int left;

	for (waited = 0; waited < STOP_GRACE_MS; waited += 50) {
		if (waited % RETIRE_REPEAT_MS == 0) /* see worker_main */
			signal_gen(0, SIGTERM, 1);
		reap();
		for (left = 0, i = 0; i < POOL_MAX; i++)
			left += workers[i].pid != 0;
		if (!left)
			return;
		nanosleep(&tick, NULL);
	}
	signal_gen(0, SIGKILL, 1);
	while (waitpid(-1, NULL, 0) > 0)
		;
}

/* Reload CONFIG_PATH into APP; on success the old generation is told to go. */
static void
reload(struct app *app, const char *config_path, unsigned *gen)
{
	struct app fresh;
	char errbuf[1200];

	if (app_load(&fresh, config_path, errbuf, sizeof(errbuf))) {
		log_error("reload refused, keeping the running configuration: %s", errbuf);
		return;
	}
	if (strcmp(fresh.cfg.listen, app->cfg.listen) != 0)
		log_warn("listen changed: it takes effect at the next start, not on reload");
	app_free(app);
	*app = fresh;
	log_set_level(app->cfg.log_level);
	(*gen)++; /* the old generation is retired by the caller */
	log_info("configuration reloaded; workers replaced");
}

static void
write_pid(const char *path)
{
	FILE *f;

	if (!*path)
		return;
	if (!(f = fopen(path, "w"))) {
		log_warn("cannot write %s: %s", path, strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

/* Tell the workers of generations before GEN to go, again: a worker that
 * was between its check and accept() when told first has not heard it.
 * While any is left, a timer brings the master back here. */
static void
retire(unsigned gen)
{
	struct itimerval again = {.it_value = {0, RETIRE_REPEAT_MS * 1000}};
	unsigned left = 0;
	size_t i;

	for (i = 0; i < POOL_MAX; i++)
		if (workers[i].pid && workers[i].gen != gen) {
			kill(workers[i].pid, SIGTERM);
			left++;
		}
	if (left)
		setitimer(ITIMER_REAL, &again, NULL);
}

/* Keep the children of generation GEN: cfg.workers workers when the
 * master SERVEs, and cfg.events_workers events dispatchers; 0 when one
 * could not be forked now. */
static int
fill(const struct app *app, int sock, unsigned gen, int serve)
{
	while (serve && count_gen(gen, KIND_WORKER) < app->cfg.workers && !got_term)
		if (spawn(app, sock, gen, KIND_WORKER))
			return 0;
	while (count_gen(gen, KIND_EVENTS) < app->cfg.events_workers && !got_term)
		if (spawn(app, sock, gen, KIND_EVENTS))
			return 0;
	return 1;
}

/* The master's loop: keep the children of the current generation; SOCK
 * is -1 for a master of events dispatchers alone. */
static void
supervise(struct app *app, const char *config_path, int sock)
{
	sigset_t block, old;
	unsigned gen = 1;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!got_term) {
		(void)fill(app, sock, gen, sock >= 0); /* else tried again at the next signal */
		sigsuspend(&old);
		if (got_chld) {
			got_chld = 0;
			if (reap() && !got_term)
				sleep(1); /* a worker that dies at once: do not fork in a storm */
		}
		if (got_hup) {
			got_hup = 0;
			reload(app, config_path, &gen);
			retire(gen);
		}
		if (got_alrm) {
			got_alrm = 0;
			retire(gen);
		}
	}
	stop_all();
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Set the master's signal handlers. */
static void
master_signals(void)
{
	handle(SIGTERM, on_signal);
	handle(SIGINT, on_signal);
	handle(SIGHUP, on_signal);
	handle(SIGCHLD, on_signal);
	handle(SIGALRM, on_signal);
	handle(SIGPIPE, SIG_IGN);
}

int
pool_run_dispatcher(struct app *app, const char *config_path)
{
	if (app->cfg.events_workers == 0) {
		log_error("events_workers is 0: there is no events dispatcher to run");
		return 1;
	}
	master_signals();
	log_info("delivering events with %u dispatchers", app->cfg.events_workers);
	supervise(app, config_path, -1);
	log_info("stopped");
	return 0;
}

int
pool_run(struct app *app, const char *config_path)
{
	int sock;

	if (FCGX_Init())
		return 1;
	master_signals();
	if (!FCGX_IsCGI()) {
		log_info("serving on the socket the web server passed");
		return worker_main(app, 0);
	}
	if ((sock = open_listen(&app->cfg)) < 0)
		return 1;
	write_pid(app->cfg.pid_file);
	log_info("listening on %s with %u workers and %u events dispatchers", app->cfg.listen,
	    app->cfg.workers, app->cfg.events_workers);
	supervise(app, config_path, sock);
	close(sock);
	if (strncmp(app->cfg.listen, "unix:", 5) == 0)
		unlink(app->cfg.listen + 5);
	if (app->cfg.pid_file[0])
		unlink(app->cfg.pid_file);
	log_info("stopped");
	return 0;
}
