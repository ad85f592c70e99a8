/* SPDX-License-Identifier: ISC */
/* vdpd: the DHCP parser child.  The frames DHCP snooping captures come from
 * VMs and from whatever a VM's network lets through: this process, without
 * any capability and under its own seccomp filter (its socket, exit),
 * parses them (dhcp_frame_decode) and answers each with the few facts
 * snooping needs, in parser_msg.h's fixed format.  A parser bug a frame
 * triggers can then, at worst, lie about frames or die; the daemon
 * (parser_link.c) checks every answer and restarts it.
 *
 * Test hook: when the daemon was started with VDPD_TEST_PARSER_TRAP=1 in
 * its environment (the integration tier's test_privs only), SIGUSR2 makes
 * the child call socket(2), outside its allow-list, to show that such a
 * call kills only the child.  Neither a station nor a VM can send a signal;
 * root and vdpd's own user can already kill it. */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "migration/parser_child.h"
#include "migration/parser_msg.h"

static void on_trap(int sig)
{
	(void)sig;
	/* Outside the allow-list on purpose: the kernel kills the child. */
	(void)socket(AF_INET, SOCK_DGRAM, 0);
}

/* Nothing of the daemon's but the socket: no descriptor, no signal
 * handler (libev's write to descriptors the child does not have). */
static void detach(int fd, bool trap)
{
	static const int sigs[] = {SIGHUP, SIGINT, SIGTERM, SIGCHLD, SIGPIPE, SIGUSR1, SIGUSR2};
	sigset_t all;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (trap)
		signal(SIGUSR2, on_trap);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (fd > 0)
		close_range(0, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0u, 0);
	prctl(PR_SET_NAME, "vdpd-parser", 0, 0, 0);
}

/* One frame message in, one answer out. */
static int answer(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	static struct pmsg m;
	static struct dhcp_frame f;
	if (pmsg_decode(in, len, &m) < 0 || m.type != PMSG_FRAME)
		return -1; /* not the daemon speaking: stop */
	int rc = dhcp_frame_decode(m.frame, m.frame_len, &f);
	if (rc < 0)
		return pmsg_encode_reject(m.seq, rc < -PMSG_MAX_ERR ? -PMSG_MAX_ERR : rc, out, cap);
	return pmsg_encode_dhcp(m.seq, &f, out, cap);
}

void parser_child_main(int fd, int (*confine)(char *err, size_t errlen), bool trap)
{
	static uint8_t in[PMSG_MAX_LEN + 1], out[PMSG_HDR_LEN + PMSG_DHCP_LEN];
	char err[256];
	detach(fd, trap);
	if (confine && confine(err, sizeof(err)) < 0) {
		/* No log here: the daemon sees the exit status. */
		_exit(PARSER_EXIT_CONFINE);
	}
	for (;;) {
		ssize_t n = read(fd, in, sizeof(in));
		if (n <= 0)
			_exit(0); /* the daemon closed the socket, or is gone */
		int k = answer(in, (size_t)n, out, sizeof(out));
		if (k < 0)
			_exit(PARSER_EXIT_PROTOCOL);
		if (write(fd, out, (size_t)k) != k)
			_exit(0);
	}
}
