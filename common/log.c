/* SPDX-License-Identifier: ISC */
/* common: logging (see log.h).  One line per event; vdpd's name the port,
 * VSI and VNID concerned and the reason. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static bool use_stderr = true;
static int max_level = LOG_INFO;
static const char *log_ident = "";
static bool tag_ident;
static bool prio_prefix;

/* systemd sets JOURNAL_STREAM to "DEV:INODE" of the stream it connected to
 * stderr; a child whose stderr went elsewhere (a test's log file) inherits
 * the variable but not the stream, hence the comparison. */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_open(const char *ident, bool to_stderr, int level)
{
	log_ident = ident;
	use_stderr = to_stderr;
	max_level = level;
	if (to_stderr && stderr_is_journal())
		prio_prefix = true;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_priority_prefix(bool on)
{
	prio_prefix = on;
}

void log_tag_with_ident(bool on)
{
	tag_ident = on;
}

void log_set_level(int level)
{
	max_level = level;
}

int log_level_parse(const char *name)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {{"err", LOG_ERR},       {"error", LOG_ERR}, {"warning", LOG_WARNING},
	              {"notice", LOG_NOTICE}, {"info", LOG_INFO}, {"debug", LOG_DEBUG}};
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(name, levels[i].name) == 0)
			return levels[i].level;
	return -1;
}

void logmsg(int prio, const char *fmt, ...)
{
	static const char *const names[] = {"emerg",   "alert",  "crit", "err",
	                                    "warning", "notice", "info", "debug"};
	va_list ap;

	if (prio > max_level)
		return;
	va_start(ap, fmt);
	if (use_stderr && prio_prefix) {
		fprintf(stderr, "<%d>", prio & 7);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else if (use_stderr) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		struct tm tm;
		localtime_r(&ts.tv_sec, &tm);
		fprintf(stderr, "%02d:%02d:%02d.%03ld %s: ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		        ts.tv_nsec / 1000000, tag_ident ? log_ident : names[prio & 7]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}
