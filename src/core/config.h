/* config.h - the configuration file: its keys, their defaults and their validation */
#ifndef OST_CONFIG_H
#define OST_CONFIG_H

#include <stddef.h>
#include "core/err.h"

#define CONFIG_PATH_MAX 1024
#define CONFIG_LIST_MAX 16
#define CONFIG_RANGE_MAX 64 /* an address or ADDR/BITS, with its NUL */
#define CONFIG_RETRY_MAX 16 /* retries an event may have */

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

struct config {
	char path[CONFIG_PATH_MAX];       /* the file this came from */
	char listen[CONFIG_PATH_MAX];     /* "unix:PATH" or "HOST:PORT" */
	unsigned socket_mode;             /* mode of a unix socket */
	unsigned workers;                 /* worker processes */
	unsigned max_requests;            /* requests before a worker is replaced; 0 never */
	char pid_file[CONFIG_PATH_MAX];   /* master pid file, "" for none */
	char db_socket[CONFIG_PATH_MAX];  /* MariaDB unix socket, "" to use host/port */
	char db_host[256];                /* MariaDB host when no socket */
	unsigned db_port;                 /* MariaDB port */
	char db_name[65];                 /* database */
	char db_user[81];                 /* user */
	char db_password_file[CONFIG_PATH_MAX]; /* file with the password, "" none */
	char base_url[512];               /* public URL, no trailing slash */
	char base_path[512];              /* the path part of base_url: "" or "/x" */
	int base_https;                   /* base_url starts with https:// */
	int development;                  /* development mode */
	char trusted_proxies[CONFIG_LIST_MAX][CONFIG_RANGE_MAX]; /* believed X-Forwarded-* senders: addresses or ranges */
	size_t ntrusted_proxies;
	char pepper_file[CONFIG_PATH_MAX];
	char key_file[CONFIG_PATH_MAX];
	unsigned argon2_t, argon2_m, argon2_p; /* Argon2id passes, KiB, lanes */
	unsigned session_ttl;             /* console session lifetime, seconds */
	unsigned throttle_account;        /* sign-in failures allowed per account from
	                                     one address */
	unsigned throttle_address;        /* sign-in failures allowed per address */
	unsigned throttle_window;         /* the window of both, seconds */
	unsigned throttle_account_total;  /* sign-in failures allowed per account from
	                                     every address together */
	unsigned throttle_total_window;   /* its window, seconds */
	char data_dir[CONFIG_PATH_MAX];   /* holds sql/ and www/ */
	unsigned outbound_timeout;        /* seconds an outbound HTTP call may take in all */
	char outbound_allow[CONFIG_LIST_MAX][CONFIG_RANGE_MAX]; /* ranges outbound calls may
	                                     reach besides public addresses */
	size_t noutbound_allow;
	char outbound_proxy[512];         /* proxy for outbound calls, "" for none (the
	                                     environment's proxy variables are never read) */
	enum log_level log_level;
	unsigned generation_poll;         /* seconds between reads of the database's
	                                     generation counters (other hosts' changes) */
	/* events to applications (src/events/) */
	unsigned events_workers;          /* delivery processes a master runs; 0 none */
	unsigned events_timeout;          /* seconds one delivery may take */
	unsigned events_retry[CONFIG_RETRY_MAX]; /* seconds before each retry */
	size_t nevents_retry;
	unsigned events_lease;            /* seconds a claimed batch is its dispatcher's */
	unsigned events_batch;            /* events claimed at once */
	unsigned events_app_concurrency;  /* deliveries to one application at once */
	unsigned events_poll_ms;          /* an idle dispatcher looks again after this */
	unsigned events_retention;        /* seconds finished events and attempts are kept */
	unsigned events_disable_after;    /* seconds an endpoint may keep failing */
};

/* config_defaults - fill C with the built-in defaults (those of ostium.conf(5)). */
void config_defaults(struct config *c);

/* config_load - read the file PATH into C (defaults first). On failure the
 * message "FILE:LINE: REASON" is written into ERRBUF (ERRSZ bytes) and
 * OST_ERR_CONFIG or OST_ERR_IO returned; C is then unspecified. */
enum ost_err config_load(const char *path, struct config *c, char *errbuf, size_t errsz)
    OST_MUST_CHECK;

/* config_load_string - the same, from TEXT, naming the source NAME in errors;
 * relative paths are resolved against DIR. For tests and for config_load. */
enum ost_err config_load_string(const char *name, const char *dir, const char *text,
    struct config *c, char *errbuf, size_t errsz) OST_MUST_CHECK;

/* config_duration - parse V, a number of seconds with an optional unit (s,
 * m, h, d: "90", "5m", "2h"), into *OUT; 0 on success, -1 when it is not
 * one or is over MAX seconds. */
int config_duration(const char *v, unsigned max, unsigned *out);

/* config_is_trusted_proxy - 1 when ADDR is one of C's trusted proxies, or in
 * one of their ranges, however either is spelt (::1, 0:0:0:0:0:0:0:1). */
int config_is_trusted_proxy(const struct config *c, const char *addr);

#endif
