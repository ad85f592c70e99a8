/* vdpd: logging to stderr (foreground) or syslog, with a level. */
#ifndef VDPD_LOG_H
#define VDPD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void log_open(const char *ident, bool to_stderr, int level);
void log_set_level(int level);
int log_level_parse(const char *name); /* -1 if unknown */
void logmsg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)	logmsg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	logmsg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) logmsg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	logmsg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	logmsg(LOG_DEBUG, __VA_ARGS__)

#endif
