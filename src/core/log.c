/* log.c - one-line log records on standard error */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "core/utf8.h"

static enum log_level current = LOG_LEVEL_INFO;

void
log_set_level(enum log_level level)
{
	current = level;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	char line[2048], stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t i;
	int n;

	if (level > current)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) /* a path or a name may run past the line */
		line[utf8_cut(line, sizeof(line) - 1)] = '\0';
	for (i = 0; line[i]; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	fprintf(stderr, "%s.%03ldZ %s [%ld] %s\n", stamp, ts.tv_nsec / 1000000, names[level],
	    (long)getpid(), line);
}
