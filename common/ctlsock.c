/* SPDX-License-Identifier: ISC */
/* common: the loop-agnostic half of a control socket server (see
 * ctlsock.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlsock.h"

/* Whether something accepts connections on the socket: a live server must
 * not have its socket pulled from under it. */
static bool socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	/* EAGAIN: a listener whose backlog is full, alive all the same. */
	bool alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
	             errno == EAGAIN || errno == EINPROGRESS;
	close(fd);
	return alive;
}

/* Clears the way for bind(): nothing there, or a dead server's socket. */
static int clear_stale(const struct sockaddr_un *sa, const char *who, bool *replaced, char *err,
                       size_t errlen)
{
	struct stat st;
	if (lstat(sa->sun_path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", sa->sun_path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket; not replacing it",
		         sa->sun_path);
		return -1;
	}
	if (socket_alive(sa)) {
		snprintf(err, errlen, "%s: another process (%s already running?) answers on it",
		         sa->sun_path, who);
		return -1;
	}
	if (unlink(sa->sun_path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "removing the stale socket %s: %s", sa->sun_path,
		         strerror(errno));
		return -1;
	}
	*replaced = true;
	return 0;
}

/* bind() creates the socket file with the socket's mode (0777) less the
 * umask: a umask of exactly ~mode gives it its final permissions at once,
 * where a chmod() afterwards would leave a window with wider ones.  The
 * programs are single-threaded, so nothing else sees the umask change. */
static int bind_listen(int fd, const struct sockaddr_un *sa, unsigned mode, int backlog, char *err,
                       size_t errlen)
{
	mode_t old = umask((mode_t)(~mode & 0777));
	int rc = bind(fd, (const struct sockaddr *)sa, sizeof(*sa));
	umask(old);
	if (rc < 0) {
		snprintf(err, errlen, "bind %s: %s", sa->sun_path, strerror(errno));
		return -1;
	}
	if (listen(fd, backlog) < 0) {
		snprintf(err, errlen, "listen %s: %s", sa->sun_path, strerror(errno));
		unlink(sa->sun_path);
		return -1;
	}
	return 0;
}

int ctlsock_listen(const char *path, unsigned mode, int backlog, const char *who, bool *replaced,
                   char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	bool stale = false;

	if (replaced)
		*replaced = false;
	if (!path || !*path || strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "control socket path \"%s\": empty or longer than %zu",
		         path ? path : "", sizeof(sa.sun_path) - 1);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (clear_stale(&sa, who, &stale, err, errlen) < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind_listen(fd, &sa, mode, backlog, err, errlen) < 0) {
		close(fd);
		return -1;
	}
	if (replaced)
		*replaced = stale;
	return fd;
}

int ctlsock_connect(const char *path, int timeout_s)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = timeout_s};

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* Set before connect: a full backlog makes connect() wait too. */
	if (timeout_s > 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

enum ctlsock_rd ctlsock_read(int fd, char *buf, size_t cap, size_t *len, const char *end)
{
	size_t elen = strlen(end);
	if (*len + 1 >= cap)
		return CTLSOCK_FULL;
	ssize_t n = recv(fd, buf + *len, cap - 1 - *len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return CTLSOCK_AGAIN;
	if (n < 0)
		return CTLSOCK_ERROR;
	if (n == 0)
		return CTLSOCK_EOF;
	/* The marker may have begun in the previous read. */
	size_t from = *len >= elen - 1 ? *len - (elen - 1) : 0;
	*len += (size_t)n;
	buf[*len] = '\0';
	if (memmem(buf + from, *len - from, end, elen))
		return CTLSOCK_DONE;
	return *len + 1 >= cap ? CTLSOCK_FULL : CTLSOCK_MORE;
}
