/* log.h - one-line log records on standard error */
#ifndef OST_LOG_H
#define OST_LOG_H

#include "core/config.h"

/* log_set_level - records above LEVEL are dropped. */
void log_set_level(enum log_level level);

/* log_msg - write one record "TIME LEVEL [pid] message" on stderr. The
 * message must never hold a secret; newlines in it are replaced. */
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
