/* SPDX-License-Identifier: ISC */
/* vdpctl: ask a running vdpd about its tables, or tell it to de-associate
 * a VSI.  A thin client: it joins its arguments into one request line,
 * sends it to vdpd's control socket and prints the answer.  The protocol's
 * constants come from vdpd/ctl/ctl_proto.h and the list of commands in
 * --help from vdpd/ctl/ctl_commands.h, the daemon's own; vdpctl(8)
 * documents both. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl/ctl_commands.h"
#include "ctl/ctl_proto.h"
#include "ctlsock.h"
#include "strbuf.h"

#define IO_TIMEOUT_S 30 /* the daemon answers in well under a second */

static void usage(FILE *f)
{
	char cmd[64];
	fprintf(f, "Usage: vdpctl [-s SOCKET] [-j] COMMAND...\n"
	           "Query or control a running vdpd.\n"
	           "\n"
	           "Commands:\n");
#define CTL_USAGE_LINE(id, name, args, help)                                                       \
	snprintf(cmd, sizeof(cmd), "%s%s%s", name, *args ? " " : "", args);                        \
	fprintf(f, "  %-20s %s\n", cmd, help);
	CTL_COMMANDS(CTL_USAGE_LINE)
#undef CTL_USAGE_LINE
	fprintf(f, "\n"
	           "Options:\n"
	           "  -s, --socket SOCKET  vdpd's control socket (default: $" CTL_SOCKET_ENV ",\n"
	           "                       else " CTL_SOCKET_DEFAULT ")\n"
	           "  -j, --json           JSON output\n"
	           "  -h, --help           this text\n"
	           "  -V, --version        the version\n"
	           "\n"
	           "See vdpctl(8).\n");
}

/* The request line: the words, a trailing CTL_JSON_WORD for -j, a
 * newline. */
static int build_request(int argc, char **argv, bool json, char *buf, size_t cap)
{
	size_t off = 0;
	for (int i = 0; i < argc; i++) {
		if (strpbrk(argv[i], "\n\r")) {
			fprintf(stderr, "vdpctl: a command word contains a line break\n");
			return -1;
		}
		int n = snprintf(buf + off, cap - off, "%s%s", i ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= cap - off) {
			fprintf(stderr, "vdpctl: command longer than %d characters\n", CTL_REQ_MAX);
			return -1;
		}
		off += (size_t)n;
	}
	int n = snprintf(buf + off, cap - off, "%s\n", json ? " " CTL_JSON_WORD : "");
	if (n < 0 || (size_t)n >= cap - off || off + (size_t)n - 1 > CTL_REQ_MAX) {
		fprintf(stderr, "vdpctl: command longer than %d characters\n", CTL_REQ_MAX);
		return -1;
	}
	return 0;
}

static int connect_to(const char *path)
{
	int fd = ctlsock_connect(path, IO_TIMEOUT_S);
	if (fd < 0 && errno == ENAMETOOLONG) {
		fprintf(stderr, "vdpctl: socket path too long: %s\n", path);
	} else if (fd < 0) {
		int e = errno;
		fprintf(stderr, "vdpctl: cannot connect to %s: %s%s\n", path, strerror(e),
		        e == ENOENT || e == ECONNREFUSED ? " (is vdpd running?)" : "");
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Reads the whole answer; the daemon closes the connection after it.
 * 0, or -1 after saying why. */
static int read_all(int fd, struct strbuf *ans)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "vdpctl: reading the answer: %s\n",
			        errno == EAGAIN ? "timed out" : strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		sb_write(ans, chunk, (size_t)n);
	}
	if (ans->overflow) {
		fprintf(stderr, "vdpctl: reading the answer: out of memory\n");
		return -1;
	}
	return 0;
}

/* Error answers: "error: ..." in text, {"error":...} in JSON. */
static bool is_error(const char *ans)
{
	return strncmp(ans, CTL_ERROR_PREFIX, strlen(CTL_ERROR_PREFIX)) == 0 ||
	       strncmp(ans, CTL_JSON_ERROR_PREFIX, strlen(CTL_JSON_ERROR_PREFIX)) == 0;
}

static int run(const char *path, const char *req, bool json)
{
	struct strbuf ans = STRBUF_INIT;
	int fd = connect_to(path);
	if (fd < 0)
		return 1;
	if (send_all(fd, req, strlen(req)) < 0) {
		fprintf(stderr, "vdpctl: sending to %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	int rc = read_all(fd, &ans);
	close(fd);
	if (rc < 0) {
		sb_free(&ans);
		return 1;
	}
	if (ans.len == 0) {
		fprintf(stderr, "vdpctl: %s closed the connection without an answer\n", path);
		sb_free(&ans);
		return 1;
	}
	bool err = is_error(sb_str(&ans));
	/* Text errors go to stderr like any tool's; a JSON error stays on
	 * stdout, where the script parsing it is reading. */
	fwrite(ans.buf, 1, ans.len, err && !json ? stderr : stdout);
	sb_free(&ans);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "vdpctl: writing the answer: %s\n", strerror(errno));
		return 1;
	}
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = getenv(CTL_SOCKET_ENV);
	bool json = false;
	char req[CTL_REQ_MAX + 2];
	int c;

	if (!path || !*path)
		path = CTL_SOCKET_DEFAULT;
	/* '+': stop at the first command word, so a VSIID such as
	 * "-1" would not be taken for an option. */
	while ((c = getopt_long(argc, argv, "+s:jhV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vdpctl %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	if (build_request(argc - optind, argv + optind, json, req, sizeof(req)) < 0)
		return 2;
	return run(path, req, json);
}
