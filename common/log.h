/* SPDX-License-Identifier: ISC */
/* common: logging to stderr (foreground) or syslog, with a level, for
 * vdpd and the vdp-station daemon. */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* ident names the program in syslog (and on stderr, see below); it must
 * outlive the logging. */
void log_open(const char *ident, bool to_stderr, int level);
/* Foreground lines read "HH:MM:SS.mmm LEVEL: message" (vdpd's); with
 * this, "HH:MM:SS.mmm IDENT: message" (vdp-station's, whose foreground
 * output is read next to its commands' own). */
void log_tag_with_ident(bool on);
/* Lines on stderr start with their syslog priority, "<3>message", and
 * carry no time of their own, so that journald (or any reader of
 * sd-daemon(3)'s convention) keeps the level and adds the time.  log_open()
 * turns this on by itself when stderr is the journal (JOURNAL_STREAM names
 * stderr's device and inode); this turns it on (or off) by request. */
void log_priority_prefix(bool on);
void log_set_level(int level);
int log_level_parse(const char *name); /* -1 if unknown */
void logmsg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)    logmsg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)   logmsg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) logmsg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)   logmsg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)  logmsg(LOG_DEBUG, __VA_ARGS__)

#endif
