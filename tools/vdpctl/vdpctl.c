/* vdpctl: ask a running vdpd about its tables, or tell it to de-associate
 * a VSI.  A thin client: it joins its arguments into one request line,
 * sends it to vdpd's control socket and prints the answer (the protocol is
 * in vdpd/ctl.h, the commands in vdpctl(8)). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/vdpd.sock"
#define REQ_MAX	       1024 /* the daemon's CTL_REQ_MAX */
#define IO_TIMEOUT_S   30   /* the daemon answers in well under a second */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vdpctl [-s SOCKET] [-j] COMMAND...\n"
		"Query or control a running vdpd.\n"
		"\n"
		"Commands:\n"
		"  show ports           ports, VSI counts, counter summary, EVB timers\n"
		"  show vsis            VSIs: VSIID, port, VNID, state, VLAN, MACs\n"
		"  show vnids           VNID policy lists and their members\n"
		"  show vlans           VLANs in use and the pool's free count\n"
		"  show counters        every non-zero counter, per port and in total\n"
		"  show bindings        DHCP-snooping bindings and migration counters\n"
		"  deassoc VSIID        de-associate a VSI (the station is told)\n"
		"  impact port PORT     VSIs and VNIDs a failure of PORT affects\n"
		"\n"
		"Options:\n"
		"  -s, --socket SOCKET  vdpd's control socket (default: $VDPD_SOCKET,\n"
		"                       else " DEFAULT_SOCKET ")\n"
		"  -j, --json           JSON output\n"
		"  -h, --help           this text\n"
		"  -V, --version        the version\n"
		"\n"
		"See vdpctl(8).\n");
}

/* The request line: the words, a trailing "json" for -j, a newline. */
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
			fprintf(stderr, "vdpctl: command longer than %d characters\n", REQ_MAX);
			return -1;
		}
		off += (size_t)n;
	}
	int n = snprintf(buf + off, cap - off, "%s\n", json ? " json" : "");
	if (n < 0 || (size_t)n >= cap - off || off + (size_t)n - 1 > REQ_MAX) {
		fprintf(stderr, "vdpctl: command longer than %d characters\n", REQ_MAX);
		return -1;
	}
	return 0;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = IO_TIMEOUT_S};

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vdpctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "vdpctl: socket: %s\n", strerror(errno));
		return -1;
	}
	/* A daemon that stopped answering must not hang scripts forever. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		fprintf(stderr, "vdpctl: cannot connect to %s: %s%s\n", path, strerror(e),
			e == ENOENT || e == ECONNREFUSED ? " (is vdpd running?)" : "");
		close(fd);
		return -1;
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

/* Reads the whole answer; the daemon closes the connection after it. */
static char *read_all(int fd, size_t *len)
{
	size_t cap = 65536;
	char *buf = malloc(cap);
	*len = 0;
	while (buf) {
		if (*len + 1 == cap) {
			char *p = realloc(buf, cap * 2);
			if (!p)
				break;
			buf = p;
			cap *= 2;
		}
		ssize_t n = recv(fd, buf + *len, cap - 1 - *len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "vdpctl: reading the answer: %s\n",
				errno == EAGAIN ? "timed out" : strerror(errno));
			break;
		}
		if (n == 0) {
			buf[*len] = '\0';
			return buf;
		}
		*len += (size_t)n;
	}
	free(buf);
	return NULL;
}

/* Error answers: "error: ..." in text, {"error":...} in JSON. */
static bool is_error(const char *ans)
{
	return strncmp(ans, "error:", 6) == 0 || strncmp(ans, "{\"error\":", 9) == 0;
}

static int run(const char *path, const char *req, bool json)
{
	size_t len;
	int fd = connect_to(path);
	if (fd < 0)
		return 1;
	if (send_all(fd, req, strlen(req)) < 0) {
		fprintf(stderr, "vdpctl: sending to %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	char *ans = read_all(fd, &len);
	close(fd);
	if (!ans)
		return 1;
	if (len == 0) {
		fprintf(stderr, "vdpctl: %s closed the connection without an answer\n", path);
		free(ans);
		return 1;
	}
	bool err = is_error(ans);
	/* Text errors go to stderr like any tool's; a JSON error stays on
	 * stdout, where the script parsing it is reading. */
	fwrite(ans, 1, len, err && !json ? stderr : stdout);
	free(ans);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "vdpctl: writing the answer: %s\n", strerror(errno));
		return 1;
	}
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"socket", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},	  {"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *path = getenv("VDPD_SOCKET");
	bool json = false;
	char req[REQ_MAX + 2];
	int c;

	if (!path || !*path)
		path = DEFAULT_SOCKET;
	/* '+': stop at the first command word, so a VSIID such as
	 * "-1" would not be taken for an option. */
	while ((c = getopt_long(argc, argv, "+s:jhV", opts, NULL)) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("vdpctl %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
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
