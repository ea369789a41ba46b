/* dispatcher.c - the process that delivers the outbox: it claims a batch
 * of due events under a committed, expiring lease (a short transaction),
 * delivers each through src/outbound/ with no transaction open, signed
 * anew for each attempt, then records the outcome (success, a retry after
 * a back-off with jitter, or giving up). Several share one database: what
 * one leases the others skip, and a lease that expires is claimed again,
 * so delivery is at least once. */
#include "events/events.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "core/app.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "outbound/outbound.h"
#include "registry/change.h"
#include "registry/events.h"
#include "store/db.h"
#include "store/event.h"

#define CLAIM_MAX 100          /* events of one claim (events_batch's bound) */
#define CLAIM_APPS 32          /* applications one claim looks at */
#define MAINTAIN_EVERY 60      /* seconds between purges of old attempts */
#define RESPONSE_HEAD 200      /* bytes of an answer kept with its attempt */
#define BUSY_PAUSE_MS 5        /* the wait after finding an application's claims taken */

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* One dispatcher process. */
struct dispatcher {
	const struct app *app;
	struct outbound_rules rules;
	char name[100];               /* "host pid N": who holds a lease */
	char token[33];               /* the lease of the current claim */
	long long ids[CLAIM_MAX];     /* the events it holds */
	long long apps[CLAIM_MAX];    /* their applications */
	size_t n;
	int busy;                     /* the last claim skipped an application another
	                                 dispatcher was claiming for */
	time_t maintained;
};

/* Claim up to WANT of application APP's due events into D, if no other
 * dispatcher is claiming for it and it has fewer than the cap in flight. */
static OST_MUST_CHECK enum ost_err
claim_app(struct dispatcher *d, long long app, size_t want)
{
	const struct config *cfg = &d->app->cfg;
	long long in_flight = 0;
	json_t *rows = NULL, *row;
	size_t i;
	int got = 0;
	enum ost_err err = store_event_endpoint_claim(app, &got);

	if (!err && !got)
		d->busy = 1; /* (or disabled meanwhile: looking again soon costs little) */
	if (err || !got)
		return err;
	if ((err = store_event_in_flight(app, &in_flight)))
		return err;
	if (in_flight >= cfg->events_app_concurrency)
		return OST_OK;
	if (want > cfg->events_app_concurrency - (size_t)in_flight)
		want = cfg->events_app_concurrency - (size_t)in_flight;
	if ((err = store_event_due_of_app(app, (unsigned)want, &rows)))
		return err;
	json_array_foreach(rows, i, row) {
		long long id = json_integer_value(json_object_get(row, "id"));
		if ((err = store_event_lease(id, d->token, d->name, cfg->events_lease)))
			break;
		d->ids[d->n] = id;
		d->apps[d->n++] = app;
	}
	json_decref(rows);
	return err;
}

/* The claim transaction (bookkeeping_run): every application with events
 * due, in turn, until the batch is full. */
static enum ost_err
claim_fn(void *arg)
{
	struct dispatcher *d = arg;
	size_t batch = d->app->cfg.events_batch, i;
	json_t *apps = NULL, *a;
	enum ost_err err = store_event_due_apps(CLAIM_APPS, &apps);

	json_array_foreach(apps, i, a) {
		if (err || d->n >= batch)
			break;
		err = claim_app(d, json_integer_value(json_object_get(a, "app_id")), batch - d->n);
	}
	json_decref(apps);
	return err;
}

/* Claim a batch into D (D->n events); a failed claim holds nothing. */
static OST_MUST_CHECK enum ost_err
claim(struct dispatcher *d)
{
	uint8_t raw[16];
	enum ost_err err;

	d->n = 0;
	d->busy = 0;
	crypto_nonce(raw, sizeof(raw));
	if (crypto_hex_encode(raw, sizeof(raw), d->token, sizeof(d->token)))
		return OST_ERR_INTERNAL;
	/* outside the transaction: it sets how the next one reads */
	if ((err = store_event_read_committed()))
		return err;
	if ((err = bookkeeping_run(claim_fn, d)))
		d->n = 0;
	return err;
}

/* The first bytes of BODY (N bytes) as text that is valid UTF-8, with
 * control characters as spaces, into OUT (OUTSZ bytes). */
static void
response_head(const char *body, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0, k, len;
	unsigned char c;
	json_t *check;

	for (i = 0; i < n && o + 1 < outsz;) {
		c = (unsigned char)body[i];
		len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
		    : (c & 0xf8) == 0xf0 ? 4 : 0;
		for (k = 1; len && k < len; k++)
			if (i + k >= n || ((unsigned char)body[i + k] & 0xc0) != 0x80)
				len = 0;
		if (len == 0 || o + len >= outsz) {
			out[o++] = '?';
			i++;
			continue;
		}
		if (len == 1)
			out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
		else
			for (k = 0; k < len; k++)
				out[o++] = body[i + k];
		i += len;
	}
	out[o] = '\0';
	if (!(check = json_string(out))) /* overlong forms and the like */
		for (i = 0; i < o; i++)
			if ((unsigned char)out[i] >= 0x80)
				out[i] = '?';
	json_decref(check);
}

/* The signature header value of BODY for event ID at TS: the current
 * secret's, and during a rotation's grace the previous one's too. */
static OST_MUST_CHECK enum ost_err
signatures(const struct dispatcher *d, long long app, const char *id, long long ts,
    const char *body, char *out, size_t outsz)
{
	uint8_t key[EVENTS_SECRET_BYTES];
	char sig[EVENTS_SIGNATURE_TEXT], old[EVENTS_SIGNATURE_TEXT] = "";
	json_t *row = NULL;
	enum ost_err err = store_event_endpoint_secrets(app, &row);

	if (!err)
		err = events_secret_open(&d->app->keys, app,
		    (unsigned)json_integer_value(json_object_get(row, "key_id")),
		    json_string_value(json_object_get(row, "secret")), key);
	if (!err)
		err = events_signature(key, sizeof(key), id, ts, body, strlen(body), sig);
	if (!err && json_is_string(json_object_get(row, "previous")) &&
	    !events_secret_open(&d->app->keys, app,
	        (unsigned)json_integer_value(json_object_get(row, "previous_key_id")),
	        json_string_value(json_object_get(row, "previous")), key))
		err = events_signature(key, sizeof(key), id, ts, body, strlen(body), old);
	crypto_wipe(key, sizeof(key));
	json_decref(row);
	if (!err)
		snprintf(out, outsz, "%s%s%s", sig, old[0] ? " " : "", old);
	return err;
}

static long long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* POST the event ROW (its body BODY) to its events URL; fill O. */
static void
post(struct dispatcher *d, const json_t *row, const char *body, struct event_outcome *o,
    char *error, size_t errsz, char *head, size_t headsz)
{
	const char *url = json_string_value(json_object_get(row, "events_url"));
	const char *id = json_string_value(json_object_get(row, "webhook_id"));
	char h_id[64], h_ts[64], h_sig[2 * EVENTS_SIGNATURE_TEXT + 32];
	const char *headers[] = {h_id, h_ts, h_sig, NULL};
	struct outbound_request req = {.method = "POST", .url = url, .content_type =
	    "application/json", .body = body, .body_len = strlen(body), .accept = "*/*", .headers =
	    headers};
	struct outbound_answer ans;
	long long ts = (long long)time(NULL), t0 = now_ms();
	enum ost_err err;

	o->status = 0;
	if (!url) {
		snprintf(error, errsz, "the application has no events URL");
		o->error = error;
		return;
	}
	snprintf(h_id, sizeof(h_id), "webhook-id: %s", id);
	snprintf(h_ts, sizeof(h_ts), "webhook-timestamp: %lld", ts);
	memcpy(h_sig, "webhook-signature: ", 20);
	if (signatures(d, o->app, id, ts, body, h_sig + 19, sizeof(h_sig) - 19)) {
		snprintf(error, errsz, "the events secret could not be read");
		o->error = error;
		return;
	}
	err = outbound_call(&d->rules, &req, &ans);
	o->duration_ms = (unsigned)(now_ms() - t0);
	if (!err) {
		o->status = ans.status;
		response_head(ans.body.p ? ans.body.p : "", ans.body.len, head, headsz);
		o->response = head;
		if (ans.status < 200 || ans.status > 299) {
			snprintf(error, errsz, "HTTP %ld", ans.status);
			o->error = error;
		}
	} else {
		snprintf(error, errsz, "%s", ans.error[0] ? ans.error : ost_strerror(err));
		o->error = error;
	}
	crypto_wipe(h_sig, sizeof(h_sig));
	outbound_answer_free(&ans);
}

/* What a record transaction needs. */
struct record {
	long long id;
	const char *token;
	const struct event_outcome *o;
	int lost;
};

static enum ost_err
record_fn(void *arg)
{
	struct record *r = arg;

	return store_event_record(r->id, r->token, r->o, &r->lost);
}

/* Deliver event I of D's batch; 0 when it failed (its application's other
 * events of the batch are then given back). */
static int
deliver(struct dispatcher *d, size_t i)
{
	const struct config *cfg = &d->app->cfg;
	char error[200] = "", head[RESPONSE_HEAD + 1] = "";
	struct event_outcome o = {.app = d->apps[i], .dispatcher = d->name};
	struct record r = {.id = d->ids[i], .token = d->token, .o = &o};
	json_t *row = NULL;
	char *body = NULL;
	uint16_t jitter;
	enum ost_err err = store_event_leased(d->ids[i], d->token, &row);

	if (err) /* gone, or claimed by another after our lease expired */
		return 1;
	if (!(body = events_body(row))) {
		snprintf(error, sizeof(error), "the event could not be written out");
		o.error = error;
	} else
		post(d, row, body, &o, error, sizeof(error), head, sizeof(head));
	crypto_nonce(&jitter, sizeof(jitter));
	o.what = !o.error ? EVENT_SUCCEEDED : EVENT_RETRY;
	if (o.error && !(o.retry_ms = events_retry_ms(cfg->events_retry, cfg->nevents_retry,
	                     (unsigned)json_integer_value(json_object_get(row, "retries_done")),
	                     jitter)))
		o.what = EVENT_GAVE_UP;
	if ((err = bookkeeping_run(record_fn, &r)))
		log_warn("events: the outcome of event %lld was not recorded (%s); it is delivered "
		    "again when its lease expires", d->ids[i], ost_strerror(err));
	else if (r.lost)
		log_info("events: event %lld was delivered after its lease expired", d->ids[i]);
	if (o.error && !err && reg_events_disable_if_due(d->app, d->apps[i]))
		log_warn("events: the endpoint of application %lld could not be disabled", d->apps[i]);
	free(body);
	json_decref(row);
	return !o.error;
}

/* Give back the events of D's batch after I that belong to APP. */
static void
give_back(struct dispatcher *d, size_t i, long long app)
{
	for (i++; i < d->n; i++)
		if (d->apps[i] == app) {
			if (store_event_release(d->ids[i], d->token))
				log_warn("events: event %lld could not be given back", d->ids[i]);
			d->apps[i] = 0;
		}
}

/* Remove what is older than events_retention, once a minute. */
static void
maintain(struct dispatcher *d)
{
	long long n = 0;
	time_t now = time(NULL);

	if (now - d->maintained < MAINTAIN_EVERY)
		return;
	d->maintained = now;
	if (store_event_purge(d->app->cfg.events_retention, &n))
		log_warn("events: old attempts could not be removed");
	else if (n)
		log_info("events: removed %lld old events and attempts", n);
}

/* Sleep MS milliseconds, or less when a signal comes. */
static void
pause_ms(unsigned ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

static void
signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int
events_dispatcher_run(const struct app *app)
{
	struct dispatcher *d = calloc(1, sizeof(*d));
	char host[64] = "";
	size_t i;

	if (!d)
		return 1;
	signals();
	prctl(PR_SET_NAME, "ostium-events", 0, 0, 0);
	d->app = app;
	outbound_rules_of(&app->cfg, &d->rules);
	d->rules.timeout_ms = app->cfg.events_timeout * 1000;
	if (d->rules.connect_timeout_ms > d->rules.timeout_ms)
		d->rules.connect_timeout_ms = d->rules.timeout_ms;
	d->maintained = time(NULL) - MAINTAIN_EVERY + 5;
	gethostname(host, sizeof(host) - 1);
	snprintf(d->name, sizeof(d->name), "%s pid %ld", host, (long)getpid());
	if (db_init(&app->cfg))
		log_warn("the database password file could not be read");
	while (!stopping) {
		maintain(d);
		if (claim(d)) {
			log_warn("events: claiming failed; trying again");
			pause_ms(app->cfg.events_poll_ms);
			continue;
		}
		if (d->n == 0) { /* events another dispatcher was claiming: look again soon */
			pause_ms(d->busy ? BUSY_PAUSE_MS : app->cfg.events_poll_ms);
			continue;
		}
		for (i = 0; i < d->n; i++) {
			if (!d->apps[i]) /* given back */
				continue;
			if (stopping) { /* not attempted: for another dispatcher now */
				if (store_event_release(d->ids[i], d->token))
					log_warn("events: event %lld could not be given back", d->ids[i]);
				continue;
			}
			if (!deliver(d, i))
				give_back(d, i, d->apps[i]);
		}
	}
	db_close();
	free(d);
	return 0;
}
