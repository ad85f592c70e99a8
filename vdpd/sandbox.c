/* SPDX-License-Identifier: ISC */
/* vdpd: seccomp allow-lists (libseccomp).  The daemon's list is what it was
 * seen to use under strace over the integration tests once it serves (its
 * set-up, before the filter, is not restricted): libev (epoll, signals
 * through a pipe or eventfd), netlink and AF_PACKET I/O, libpcap's ring,
 * liblldpctl's and the control socket's unix sockets, sd_notify and
 * syslog, the leasequery UDP socket, the configuration read again on
 * SIGHUP, the bindings file saved (fsync, rename), and what starting the
 * parser child takes (fork, socketpair, and in the child, whose filter
 * stacks on this one, dropping its capabilities and its own filter).
 * Outside it a call fails with EPERM, logged by the kernel: the daemon
 * reports the failed operation and goes on serving.  The parser child's
 * list is its socket and exit; anything else kills it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cap-ng.h>
#include <seccomp.h>

#include "sandbox.h"

static const char *const daemon_calls[] = {
    /* memory, threads of libraries, time */
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "futex", "getrandom", "clock_gettime",
    "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep", "sched_yield",
    "restart_syscall",
    /* the event loop and signals */
    "epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl", "epoll_create", "epoll_create1",
    "poll", "ppoll", "select", "pselect6", "eventfd2", "pipe", "pipe2", "rt_sigaction",
    "rt_sigprocmask", "rt_sigreturn", "signalfd4", "getpid", "gettid", "getppid", "getuid",
    "geteuid", "getgid", "getegid", "tgkill", "uname",
    /* files: configuration, bindings store, control socket, pidfile */
    "read", "readv", "pread64", "write", "writev", "pwrite64", "openat", "open", "close",
    "close_range", "fstat", "newfstatat", "stat", "lstat", "statx", "lseek", "fcntl", "dup", "dup2",
    "dup3", "fsync", "fdatasync", "rename", "renameat", "renameat2", "unlink", "unlinkat", "access",
    "faccessat", "faccessat2", "readlink", "readlinkat", "getdents64", "umask", "fchmod",
    "ftruncate", "mkdir", "mkdirat",
    /* sockets: netlink, AF_PACKET, unix, UDP */
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4", "getsockname",
    "getpeername", "getsockopt", "setsockopt", "shutdown", "sendto", "sendmsg", "sendmmsg",
    "recvfrom", "recvmsg", "recvmmsg", "ioctl",
    /* the parser child: start, reap, and its own set-up */
    "clone", "clone3", "fork", "vfork", "wait4", "waitid", "kill", "exit", "exit_group", "prctl",
    "capget", "capset", "seccomp", "set_robust_list", "rseq"};

static const char *const parser_calls[] = {"read",   "recvmsg",        "write",        "sendmsg",
                                           "exit",   "exit_group",     "rt_sigreturn", "brk",
                                           "munmap", "restart_syscall"};

static int load(uint32_t deflt, const char *const *calls, size_t n, const char *who, char *err,
                size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(deflt);
	int rc = ctx ? 0 : -ENOMEM;
	/* The kernel logs refusals, not only kills. */
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int nr = seccomp_syscall_resolve_name(calls[i]);
		/* A name this architecture does not have (open on arm64...). */
		if (nr != __NR_SCMP_ERROR)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
	if (rc == 0)
		rc = seccomp_load(ctx);
	if (ctx)
		seccomp_release(ctx);
	if (rc < 0) {
		snprintf(err, errlen, "%s seccomp filter: %s", who, strerror(-rc));
		return -1;
	}
	return 0;
}

int sandbox_daemon(char *err, size_t errlen)
{
	return load(SCMP_ACT_ERRNO(EPERM), daemon_calls,
	            sizeof(daemon_calls) / sizeof(*daemon_calls), "daemon", err, errlen);
}

int sandbox_parser(char *err, size_t errlen)
{
	/* Not even the daemon's two: the child reads and writes a socket. */
	capng_clear(CAPNG_SELECT_CAPS);
	if (capng_apply(CAPNG_SELECT_CAPS) < 0) {
		snprintf(err, errlen, "parser: dropping capabilities failed");
		return -1;
	}
	return load(SCMP_ACT_KILL_PROCESS, parser_calls,
	            sizeof(parser_calls) / sizeof(*parser_calls), "parser", err, errlen);
}
