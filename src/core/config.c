/* config.c - reading and validating the configuration file, table-driven */
#include "core/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/addr.h"

#define CONFIG_FILE_MAX (64 * 1024)
#define CONFIG_LINE_MAX 2048

enum ctype {
	CT_STRING,   /* any printable text */
	CT_PATH,     /* a file name, resolved against the config's directory */
	CT_UINT,     /* a decimal number within [min, max] */
	CT_OCTAL,    /* an octal number within [min, max] */
	CT_BOOL,     /* yes/no, true/false, on/off, 1/0 */
	CT_NAME,     /* [A-Za-z0-9_] identifier (database, user) */
	CT_LISTEN,   /* unix:/PATH or HOST:PORT */
	CT_URL,      /* http(s)://host[:port][/path] */
	CT_LOGLEVEL, /* error, warn, info, debug */
	CT_ADDRS,    /* space-separated IP addresses */
	CT_DURATION, /* seconds, with an optional unit (config_duration) within [min, max] */
	CT_SCHEDULE, /* space-separated durations: the events' retries */
};

struct ckey {
	const char *name;
	enum ctype type;
	size_t off;     /* offset of the field in struct config */
	size_t size;    /* size of a string field */
	unsigned min, max;
};

#define S(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define U(f) offsetof(struct config, f), sizeof(unsigned)

static const struct ckey keys[] = {
	{"listen", CT_LISTEN, S(listen), 0, 0},
	{"socket_mode", CT_OCTAL, U(socket_mode), 0, 0777},
	{"workers", CT_UINT, U(workers), 1, 256},
	{"max_requests", CT_UINT, U(max_requests), 0, 100000000},
	{"pid_file", CT_PATH, S(pid_file), 0, 0},
	{"db_socket", CT_PATH, S(db_socket), 0, 0},
	{"db_host", CT_STRING, S(db_host), 0, 0},
	{"db_port", CT_UINT, U(db_port), 1, 65535},
	{"db_name", CT_NAME, S(db_name), 0, 0},
	{"db_user", CT_NAME, S(db_user), 0, 0},
	{"db_password_file", CT_PATH, S(db_password_file), 0, 0},
	{"base_url", CT_URL, S(base_url), 0, 0},
	{"development", CT_BOOL, offsetof(struct config, development), sizeof(int), 0, 0},
	{"trusted_proxies", CT_ADDRS, offsetof(struct config, trusted_proxies), 0, 0, 0},
	{"pepper_file", CT_PATH, S(pepper_file), 0, 0},
	{"key_file", CT_PATH, S(key_file), 0, 0},
	{"argon2_t", CT_UINT, U(argon2_t), 1, 16},
	{"argon2_m", CT_UINT, U(argon2_m), 64, 4194304},
	{"argon2_p", CT_UINT, U(argon2_p), 1, 16},
	{"session_ttl", CT_UINT, U(session_ttl), 60, 31 * 86400},
	{"throttle_account", CT_UINT, U(throttle_account), 1, 100000},
	{"throttle_address", CT_UINT, U(throttle_address), 1, 100000},
	{"throttle_window", CT_UINT, U(throttle_window), 1, 86400},
	{"throttle_account_total", CT_UINT, U(throttle_account_total), 1, 1000000},
	{"throttle_total_window", CT_UINT, U(throttle_total_window), 1, 7 * 86400},
	{"data_dir", CT_PATH, S(data_dir), 0, 0},
	{"log_level", CT_LOGLEVEL, offsetof(struct config, log_level), 0, 0, 0},
	{"outbound_timeout", CT_UINT, U(outbound_timeout), 1, 300},
	{"outbound_allow", CT_ADDRS, offsetof(struct config, outbound_allow), 0, 0, 0},
	{"outbound_proxy", CT_STRING, S(outbound_proxy), 0, 0},
	{"generation_poll", CT_UINT, U(generation_poll), 1, 3600},
	{"events_workers", CT_UINT, U(events_workers), 0, 64},
	{"events_timeout", CT_DURATION, U(events_timeout), 1, 300},
	{"events_retry_schedule", CT_SCHEDULE, offsetof(struct config, events_retry), 0, 0, 0},
	{"events_lease", CT_DURATION, U(events_lease), 2, 86400},
	{"events_batch", CT_UINT, U(events_batch), 1, 100},
	{"events_app_concurrency", CT_UINT, U(events_app_concurrency), 1, 64},
	{"events_poll_ms", CT_UINT, U(events_poll_ms), 10, 60000},
	{"events_retention", CT_DURATION, U(events_retention), 60, 3650 * 86400},
	{"events_disable_after", CT_DURATION, U(events_disable_after), 60, 365 * 86400},
};

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "unix:/run/ostium/ostium.sock");
	c->socket_mode = 0660;
	c->workers = 4;
	c->max_requests = 10000;
	snprintf(c->db_socket, sizeof(c->db_socket), "/run/mysqld/mysqld.sock");
	c->db_port = 3306;
	snprintf(c->db_name, sizeof(c->db_name), "ostium");
	snprintf(c->db_user, sizeof(c->db_user), "ostium");
	snprintf(c->base_url, sizeof(c->base_url), "https://localhost");
	c->base_https = 1;
	snprintf(c->pepper_file, sizeof(c->pepper_file), "%s/ostium/pepper", OST_SYSCONFDIR);
	snprintf(c->key_file, sizeof(c->key_file), "%s/ostium/keys", OST_SYSCONFDIR);
	c->argon2_t = 3;
	c->argon2_m = 65536;
	c->argon2_p = 1;
	c->session_ttl = 28800;
	c->throttle_account = 5;
	c->throttle_address = 30;
	c->throttle_window = 900;
	c->throttle_account_total = 50;
	c->throttle_total_window = 3600;
	snprintf(c->data_dir, sizeof(c->data_dir), "%s", OST_DATADIR);
	c->log_level = LOG_LEVEL_INFO;
	c->outbound_timeout = 10;
	c->generation_poll = 1;
	c->events_workers = 2;
	c->events_timeout = 10;
	{
		static const unsigned retry[] = {5, 300, 1800, 7200, 18000, 36000};
		memcpy(c->events_retry, retry, sizeof(retry));
		c->nevents_retry = sizeof(retry) / sizeof(retry[0]);
	}
	c->events_lease = 60;
	c->events_batch = 1;
	c->events_app_concurrency = 2;
	c->events_poll_ms = 1000;
	c->events_retention = 30 * 86400;
	c->events_disable_after = 5 * 86400;
}

int
config_duration(const char *v, unsigned max, unsigned *out)
{
	static const struct {
		char unit;
		unsigned long seconds;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	char digits[16], *end;
	unsigned long n, mult = 1;
	size_t len = strlen(v), i;

	if (len == 0 || len >= sizeof(digits))
		return -1;
	memcpy(digits, v, len + 1);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (digits[len - 1] == units[i].unit) {
			mult = units[i].seconds;
			digits[--len] = '\0';
			break;
		}
	if (len == 0 || digits[0] < '0' || digits[0] > '9')
		return -1;
	errno = 0;
	n = strtoul(digits, &end, 10);
	if (errno || *end || n > max / mult)
		return -1;
	*out = (unsigned)(n * mult);
	return 0;
}

/* The retry schedule V (durations of up to 30 days) into C. */
static const char *
set_schedule(struct config *c, const char *v)
{
	char tmp[CONFIG_LINE_MAX], *p, *save = NULL;

	snprintf(tmp, sizeof(tmp), "%s", v);
	c->nevents_retry = 0;
	for (p = strtok_r(tmp, " \t,", &save); p; p = strtok_r(NULL, " \t,", &save)) {
		if (c->nevents_retry == CONFIG_RETRY_MAX)
			return "lists more than 16 retries";
		if (config_duration(p, 30 * 86400, &c->events_retry[c->nevents_retry]) ||
		    c->events_retry[c->nevents_retry] == 0)
			return "must be durations such as 5s 5m 30m 2h (each 1 s to 30 d)";
		c->nevents_retry++;
	}
	return NULL;
}

/* Parse a whole unsigned number in BASE; 0 on success. */
static int
parse_uint(const char *v, int base, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoul(v, &end, base);
	if (errno || *end || n > max)
		return -1;
	*out = n;
	return 0;
}

static const char *
set_url(struct config *c, const char *v)
{
	const char *host, *slash;
	size_t n = strlen(v);

	if (strncmp(v, "https://", 8) == 0)
		host = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		host = v + 7;
	else
		return "must start with http:// or https://";
	if (n >= sizeof(c->base_url))
		return "is too long";
	if (*host == '\0' || *host == '/')
		return "has no host";
	if (v[n - 1] == '/')
		return "must not end with a slash";
	if (strpbrk(v, "?#\"'<> \t"))
		return "must not contain a query, a fragment, quotes or spaces";
	memcpy(c->base_url, v, n + 1);
	c->base_https = host == v + 8;
	slash = strchr(host, '/');
	snprintf(c->base_path, sizeof(c->base_path), "%s", slash ? slash : "");
	return NULL;
}

static const char *
set_listen(struct config *c, const char *v)
{
	const char *colon;
	unsigned long port;

	if (strlen(v) >= sizeof(c->listen))
		return "is too long";
	if (strncmp(v, "unix:", 5) == 0) {
		if (v[5] != '/')
			return "a unix socket needs an absolute path";
		if (strlen(v + 5) >= 108)
			return "the socket path is longer than a unix socket allows";
	} else {
		colon = strrchr(v, ':');
		if (!colon || colon == v)
			return "must be unix:PATH or ADDRESS:PORT";
		if (parse_uint(colon + 1, 10, 65535, &port) || port == 0)
			return "has a bad port";
	}
	snprintf(c->listen, sizeof(c->listen), "%s", v);
	return NULL;
}

/* A list of addresses and ranges into LIST (CONFIG_LIST_MAX entries), *N
 * its length. */
static const char *
set_addrs(char (*list)[CONFIG_RANGE_MAX], size_t *n, const char *v)
{
	char tmp[CONFIG_LINE_MAX], *p, *save = NULL;
	snprintf(tmp, sizeof(tmp), "%s", v);
	*n = 0;
	for (p = strtok_r(tmp, " \t,", &save); p; p = strtok_r(NULL, " \t,", &save)) {
		if (*n == CONFIG_LIST_MAX)
			return "lists too many addresses";
		if (strlen(p) >= CONFIG_RANGE_MAX || !addr_range_valid(p))
			return "holds something that is not an IP address or a range ADDRESS/BITS";
		snprintf(list[(*n)++], CONFIG_RANGE_MAX, "%s", p);
	}
	return NULL;
}

static const char *
set_path(const struct ckey *k, char *field, const char *dir, const char *v)
{
	int n;

	if (*v == '\0' || *v == '/' || !dir || !*dir)
		n = snprintf(field, k->size, "%s", v);
	else
		n = snprintf(field, k->size, "%s/%s", dir, v);
	return (n < 0 || (size_t)n >= k->size) ? "is too long" : NULL;
}

static const char *
set_bool(int *field, const char *v)
{
	static const char *yes[] = {"yes", "true", "on", "1"};
	static const char *no[] = {"no", "false", "off", "0"};
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*field = 1;
			return NULL;
		}
		if (strcmp(v, no[i]) == 0) {
			*field = 0;
			return NULL;
		}
	}
	return "must be yes or no";
}

static const char *
set_loglevel(enum log_level *field, const char *v)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(v, names[i]) == 0) {
			*field = (enum log_level)i;
			return NULL;
		}
	return "must be error, warn, info or debug";
}

/* Apply value V of key K to C; a reason (static) on failure. */
static const char *
config_set(struct config *c, const struct ckey *k, const char *dir, const char *v)
{
	static char range[96]; /* the reason for a number out of range */
	char *field = (char *)c + k->off;
	unsigned long n;
	size_t i;

	switch (k->type) {
	case CT_UINT:
	case CT_OCTAL:
		if (parse_uint(v, k->type == CT_OCTAL ? 8 : 10, k->max, &n) || n < k->min) {
			if (k->type == CT_OCTAL)
				return "must be an octal mode";
			snprintf(range, sizeof(range), "must be a whole number from %u to %u", k->min,
			    k->max);
			return range;
		}
		*(unsigned *)(void *)field = (unsigned)n;
		return NULL;
	case CT_BOOL:
		return set_bool((int *)(void *)field, v);
	case CT_LOGLEVEL:
		return set_loglevel((enum log_level *)(void *)field, v);
	case CT_DURATION:
		if (config_duration(v, k->max, (unsigned *)(void *)field) ||
		    *(unsigned *)(void *)field < k->min) {
			snprintf(range, sizeof(range), "must be a duration from %us to %us (such as "
			    "30s, 5m, 2h, 1d)", k->min, k->max);
			return range;
		}
		return NULL;
	case CT_SCHEDULE:
		return set_schedule(c, v);
	case CT_LISTEN:
		return set_listen(c, v);
	case CT_URL:
		return set_url(c, v);
	case CT_ADDRS:
		return set_addrs((char (*)[CONFIG_RANGE_MAX])(void *)field,
		    k->off == offsetof(struct config, trusted_proxies) ? &c->ntrusted_proxies
		                                                       : &c->noutbound_allow, v);
	case CT_PATH:
		return set_path(k, field, dir, v);
	case CT_NAME:
		if (!*v)
			return "must not be empty";
		for (i = 0; v[i]; i++)
			if (!(v[i] == '_' || (v[i] >= '0' && v[i] <= '9') ||
			        ((v[i] | 0x20) >= 'a' && (v[i] | 0x20) <= 'z')))
				return "may hold only letters, digits and _";
		/* fall through */
	case CT_STRING:
		if (strlen(v) >= k->size)
			return "is too long";
		snprintf(field, k->size, "%s", v);
		return NULL;
	}
	return "has an unknown type";
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Parse line LINENO; a static reason on failure, NULL when fine. SEEN gets
 * the line on which each key is set. */
static const char *
config_line(struct config *c, const char *dir, char *line, unsigned lineno, unsigned *seen,
    const char **keyout)
{
	char *eq, *key, *val;
	size_t i;

	*keyout = NULL;
	line = trim(line);
	if (*line == '\0' || *line == '#')
		return NULL;
	if (!(eq = strchr(line, '=')))
		return "expected \"key = value\"";
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	*keyout = key;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].name, key) != 0)
			continue;
		if (seen[i])
			return "this key is set twice";
		seen[i] = lineno;
		return config_set(c, &keys[i], dir, val);
	}
	return "unknown key";
}

/* The later of the lines (in SEEN) that set keys A and B; 0 when neither. */
static unsigned
later_line(const unsigned *seen, const char *a, const char *b)
{
	unsigned line = 0;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((strcmp(keys[i].name, a) == 0 || strcmp(keys[i].name, b) == 0) &&
		    seen[i] > line)
			line = seen[i];
	return line;
}

/* Checks that span keys, after the whole file is read; *LINE gets the line
 * of the later key involved. */
static const char *
config_check(const struct config *c, const unsigned *seen, unsigned *line)
{
	if (c->argon2_m < 8 * c->argon2_p) {
		*line = later_line(seen, "argon2_m", "argon2_p");
		return "argon2_m must be at least 8 KiB per lane (argon2_p)";
	}
	if (!c->development && !c->base_https) {
		*line = later_line(seen, "base_url", "development");
		return "base_url must be https:// outside development mode";
	}
	if (c->events_lease <= c->events_timeout * c->events_batch) {
		*line = later_line(seen, "events_lease", "events_timeout");
		return "events_lease must be longer than events_timeout times events_batch";
	}
	if (!c->db_socket[0] && !c->db_host[0]) {
		*line = later_line(seen, "db_socket", "db_host");
		return "either db_socket or db_host must be set";
	}
	return NULL;
}

enum ost_err
config_load_string(const char *name, const char *dir, const char *text, struct config *c,
    char *errbuf, size_t errsz)
{
	unsigned seen[sizeof(keys) / sizeof(keys[0])] = {0};
	char line[CONFIG_LINE_MAX];
	const char *p = text, *nl, *why, *key;
	unsigned lineno = 0;
	size_t n;

	config_defaults(c);
	snprintf(c->path, sizeof(c->path), "%s", name);
	while (*p) {
		lineno++;
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof(line)) {
			snprintf(errbuf, errsz, "%s:%u: the line is too long", name, lineno);
			return OST_ERR_CONFIG;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if ((why = config_line(c, dir, line, lineno, seen, &key))) {
			snprintf(errbuf, errsz, "%s:%u: %s%s%s", name, lineno, key ? key : "",
			    key ? ": " : "", why);
			return OST_ERR_CONFIG;
		}
		p += n + (nl != NULL);
	}
	if ((why = config_check(c, seen, &lineno))) {
		snprintf(errbuf, errsz, "%s:%u: %s", name, lineno, why);
		return OST_ERR_CONFIG;
	}
	return OST_OK;
}

enum ost_err
config_load(const char *path, struct config *c, char *errbuf, size_t errsz)
{
	char dir[CONFIG_PATH_MAX], *slash, *text;
	FILE *f;
	size_t n;
	enum ost_err err;

	if (!(f = fopen(path, "r"))) {
		snprintf(errbuf, errsz, "%s:0: cannot open: %s", path, strerror(errno));
		return OST_ERR_IO;
	}
	if (!(text = malloc(CONFIG_FILE_MAX + 1))) {
		fclose(f);
		return OST_ERR_NOMEM;
	}
	n = fread(text, 1, CONFIG_FILE_MAX + 1, f);
	fclose(f);
	if (n > CONFIG_FILE_MAX) {
		snprintf(errbuf, errsz, "%s:0: the file is larger than 64 KiB", path);
		free(text);
		return OST_ERR_CONFIG;
	}
	text[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	if (strlen(text) != n) {
		snprintf(errbuf, errsz, "%s:0: the file holds a NUL byte", path);
		err = OST_ERR_CONFIG;
	} else
		err = config_load_string(path, dir, text, c, errbuf, errsz);
	free(text);
	return err;
}

int
config_is_trusted_proxy(const struct config *c, const char *addr)
{
	return addr_in_ranges(addr, c->trusted_proxies[0], c->ntrusted_proxies,
	    sizeof(c->trusted_proxies[0]));
}
