/* SPDX-License-Identifier: ISC */
/* vdpd: the IEEE 802.1Qbg VDP bridge daemon.  Start-up, signals, the one
 * event loop; what the service manager is told (sd_notify: ready, status,
 * reloading, stopping) and the pidfile. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>

#include "config.h"
#include "core/persist.h"
#include "ctl/ctl.h"
#include "lldp/lldp.h"
#include "log.h"
#include "migration/migration.h"
#include "migration/parser_link.h"
#include "notify.h"
#include "ports/port.h"
#include "privs.h"
#include "sandbox.h"
#include "core/vdpd.h"

/* Keepalive deadlines are checked this often (seconds). */
#define EXPIRE_PERIOD 0.25

static struct vdpd daemon_ctx;
static struct lldp *lldp_ctx; /* EVB over LLDP through lldpd */
static const char *conf_path = CONF_DEFAULT_PATH;
static char conf_abs[PATH_MAX]; /* conf_path made absolute: daemon() goes to / */
static const char *pidfile;
static unsigned status_vsis = UINT_MAX; /* the VSI count last sent as STATUS= */
static const char *user_opt;            /* -u, over vdpd.conf's user */
static struct privs_id run_as;

static void usage(FILE *f)
{
	fprintf(f, "Usage: vdpd [-f FILE] [-d] [-D] [-n] [-p PIDFILE] [-P] [-u USER]\n"
	           "IEEE 802.1Qbg VDP bridge daemon: serves VDP on the ports named in its\n"
	           "configuration and programs VLANs, ACLs and QoS into the kernel.\n\n"
	           "  -f, --config FILE   configuration file (default " CONF_DEFAULT_PATH ")\n"
	           "  -d, --foreground    stay in the foreground and log to stderr\n"
	           "  -D, --debug         log at debug level (implies nothing else)\n"
	           "  -n, --check         check the configuration and exit\n"
	           "  -p, --pidfile FILE  write the daemon's pid to FILE (removed at exit)\n"
	           "  -P, --log-prefix    with -d, start each line with its syslog priority,\n"
	           "                      <3>..., for journald (automatic when stderr is the\n"
	           "                      journal)\n"
	           "  -u, --user USER     started as root, run as USER (default: vdpd.conf's\n"
	           "                      user, else " VDPD_USER ")\n"
	           "  -h, --help          this text\n"
	           "  -V, --version       print the version\n\n"
	           "Signals: SIGHUP reloads the configuration without dropping associations;\n"
	           "SIGTERM and SIGINT remove vdpd's kernel state and stop.\n"
	           "See vdpd(8), vdpd.conf(5), vdpctl(8) and vdp-protocol(7).\n");
}

/* Takes a new configuration on SIGHUP.  Ports cannot change under running
 * associations; everything else (pool, limits, timers, types, ACLs) can. */
static void reload(struct vdpd *d)
{
	static struct conf next;
	char err[512];

	if (conf_load(conf_path, &next, err, sizeof(err)) < 0) {
		log_err("reload refused, running configuration kept: %s", err);
		return;
	}
	if (strcmp(next.bridge, d->conf.bridge) != 0 || next.nports != d->conf.nports) {
		log_err("reload refused: %s changes the bridge or the set of ports; restart "
		        "vdpd for that",
		        conf_path);
		return;
	}
	for (unsigned i = 0; i < next.nports; i++)
		if (strcmp(next.ports[i].name, d->conf.ports[i].name) != 0) {
			log_err("reload refused: port %u is now %s, was %s; restart vdpd for that",
			        i, next.ports[i].name, d->conf.ports[i].name);
			return;
		}
	vdpd_reconfigure(d, &next);
	lldp_reload(lldp_ctx);
	for (unsigned i = 0; i < d->nports; i++)
		port_set_timers(d, i);
	log_set_level(d->conf.log_level);
	log_notice("configuration reloaded from %s", conf_path);
}

/* STATUS= for systemctl status: the VSIs served, sent when it changes. */
static void notify_status(const struct vdpd *d)
{
	unsigned n = 0;
	for (unsigned i = 0; i < d->nports; i++)
		n += d->ports[i].nvsis;
	if (n == status_vsis)
		return;
	status_vsis = n;
	notify("STATUS=%u VSIs on %u ports of %s", n, d->nports, d->conf.bridge);
}

static void on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)revents;
	if (w->signum == SIGHUP) {
		notify("RELOADING=1\nSTATUS=reloading %s", conf_path);
		reload(&daemon_ctx);
		/* Refused or taken, the daemon goes on serving. */
		notify("READY=1");
		status_vsis = UINT_MAX;
		notify_status(&daemon_ctx);
		return;
	}
	log_notice("signal %d: stopping", w->signum);
	ev_break(loop, EVBREAK_ALL);
}

static void on_expire(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	vsi_expire(&daemon_ctx, port_now_ns());
	notify_status(&daemon_ctx);
}

/* The control socket's directory (by default a directory of its own under
 * the run directory, systemd's RuntimeDirectory=) is made if missing, one
 * level, so that vdpd also starts where no service manager made it; made
 * here, it is given to the user vdpd becomes (who removes the socket at
 * exit).  One that was there is left as it is: it may be shared (/run). */
static void make_ctl_dir(const char *ctl_path)
{
	char dir[PATH_MAX], err[512];
	snprintf(dir, sizeof(dir), "%s", ctl_path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = 0;
	if (mkdir(dir, 0755) < 0) {
		if (errno != EEXIST)
			log_warn("control socket directory %s: %s", dir, strerror(errno));
		return;
	}
	if (privs_own_dir(&run_as, dir, NULL, err, sizeof(err)) < 0)
		log_warn("control socket directory %s", err);
}

/* The state directory is vdpd's own: made if missing and, with the
 * bindings file in it, given to the user vdpd becomes. */
static int own_state_dir(const char *dir)
{
	char err[700];
	if (privs_own_dir(&run_as, dir, "bindings", err, sizeof(err)) < 0) {
		log_err("state directory %s", err);
		return -1;
	}
	return 0;
}

/* The tables of the last run, from the state directory (persist.h): loaded
 * and programmed before the ports open, so the first request sees them. */
static int restore_tables(struct vdpd *d, const char *dir)
{
	char err[700];
	struct persist_counts pc;
	if (persist_open(d, dir, port_now_ns(), &pc, err, sizeof(err)) < 0) {
		log_err("state: %s", err);
		return -1;
	}
	log_notice("state: %u VSIs, %u VNIDs (%u synced), %u VLANs restored from %s%s", pc.vsis,
	           pc.vnids, pc.synced, pc.vlans, dir,
	           pc.dropped ? " (records dropped: see above)" : "");
	return 0;
}

/* Written once the daemon serves (after daemon(), so the pid is the
 * daemon's); removed at exit. */
static void write_pidfile(void)
{
	if (!pidfile)
		return;
	FILE *f = fopen(pidfile, "w");
	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0)
		log_err("pidfile %s: %s", pidfile, strerror(errno));
}

static int start(struct vdpd *d, struct ev_loop *loop, const struct conf *c)
{
	char err[512];
	make_ctl_dir(c->ctl_path);
	/* The control socket first: a second vdpd on the same socket must
	 * stop before it touches the running one's kernel state. */
	ctl_set_group(c->ctl_gid);
	if (ctl_open(d, loop, c->ctl_path, c->ctl_mode, err, sizeof(err)) < 0) {
		log_err("control socket: %s", err);
		return -1;
	}
	if (vdpd_init(d, c, &backend_netlink_ops, err, sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	d->send = port_send_pdu;
	d->send_arg = d;
	if (own_state_dir(c->state_dir) < 0 || restore_tables(d, c->state_dir) < 0)
		return -1;
	for (unsigned i = 0; i < d->nports; i++)
		if (port_open(d, i, loop, err, sizeof(err)) < 0) {
			log_err("%s", err);
			return -1;
		}
	if (!(lldp_ctx = lldp_open(d, loop))) {
		log_err("lldp: out of memory");
		return -1;
	}
	if (migration_open(d, loop, err, sizeof(err)) < 0) { /* migration services; binds port 67 */
		log_err("%s", err);
		return -1;
	}
	/* Root's files: the pidfile is written before vdpd stops being root. */
	write_pidfile();
	if (privs_drop(&run_as, c->lldp_group, err, sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	if (sandbox_daemon(err, sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	/* Forked now: the child starts with the daemon's user, capabilities
	 * and filter, and drops the capabilities and adds its own filter. */
	if (parser_link_start(d, loop, sandbox_parser, getenv("VDPD_TEST_PARSER_TRAP") != NULL, err,
	                      sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	if (run_as.change)
		log_info("running as user %s (uid %u, gid %u) with CAP_NET_RAW and CAP_NET_ADMIN",
		         run_as.name, (unsigned)run_as.uid, (unsigned)run_as.gid);
	return 0;
}

static void stop(struct vdpd *d)
{
	lldp_close(lldp_ctx);
	lldp_ctx = NULL;
	ctl_close();
	migration_close(d); /* migration services: saves the bindings */
	/* The tables stay on disk: what vdpd_fini() removes is not journaled. */
	persist_close(d);
	for (unsigned i = 0; i < d->nports; i++)
		port_close(d, i);
	vdpd_fini(d);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, 0, 'f'},  {"foreground", no_argument, 0, 'd'},
	    {"debug", no_argument, 0, 'D'},         {"check", no_argument, 0, 'n'},
	    {"pidfile", required_argument, 0, 'p'}, {"log-prefix", no_argument, 0, 'P'},
	    {"user", required_argument, 0, 'u'},    {"help", no_argument, 0, 'h'},
	    {"version", no_argument, 0, 'V'},       {0, 0, 0, 0},
	};
	bool foreground = false, debug = false, check = false, prefix = false;
	int c;
	while ((c = getopt_long(argc, argv, "f:dDnp:Pu:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			conf_path = optarg;
			break;
		case 'd':
			foreground = true;
			break;
		case 'D':
			debug = true;
			break;
		case 'n':
			check = true;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'P':
			prefix = true;
			break;
		case 'u':
			user_opt = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vdpd %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vdpd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	/* SIGHUP reads the file again, after daemon() changed to /: from
	 * now on the path is absolute.  A file that is not there is left
	 * as named, for conf_load's message. */
	if (realpath(conf_path, conf_abs))
		conf_path = conf_abs;
	static struct conf conf;
	char err[512];
	if (conf_load(conf_path, &conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "vdpd: %s\n", err);
		return 1;
	}
	if (check) {
		printf("vdpd: %s: configuration OK (%u ports)\n", conf_path, conf.nports);
		return 0;
	}
	if (privs_check(err, sizeof(err)) < 0 ||
	    privs_user(user_opt ? user_opt : conf.user, &run_as, err, sizeof(err)) < 0) {
		fprintf(stderr, "vdpd: %s\n", err);
		return 1;
	}
	if (!foreground && daemon(0, 0) < 0) {
		perror("vdpd: daemon");
		return 1;
	}
	log_open("vdpd", foreground, debug ? LOG_DEBUG : conf.log_level);
	if (prefix)
		log_priority_prefix(true);
	log_notice("vdpd %s starting: bridge %s, %u ports, config %s", PACKAGE_VERSION, conf.bridge,
	           conf.nports, conf_path);

	struct ev_loop *loop = ev_default_loop(EVFLAG_AUTO);
	ev_signal sighup, sigterm, sigint;
	ev_timer expire;
	signal(SIGPIPE, SIG_IGN);
	ev_signal_init(&sighup, on_signal, SIGHUP);
	ev_signal_init(&sigterm, on_signal, SIGTERM);
	ev_signal_init(&sigint, on_signal, SIGINT);
	ev_signal_start(loop, &sighup);
	ev_signal_start(loop, &sigterm);
	ev_signal_start(loop, &sigint);
	ev_timer_init(&expire, on_expire, EXPIRE_PERIOD, EXPIRE_PERIOD);
	ev_timer_start(loop, &expire);

	int rc = 0;
	if (start(&daemon_ctx, loop, &conf) == 0) {
		/* The kernel is reconciled (vdpd_init) and the ports are open. */
		log_notice("vdpd ready");
		notify("READY=1");
		notify_status(&daemon_ctx);
		ev_run(loop, 0);
	} else {
		rc = 1;
		notify("STATUS=failed to start, see the log");
	}
	notify("STOPPING=1\nSTATUS=stopping: removing vdpd's kernel state");
	stop(&daemon_ctx);
	if (pidfile && rc == 0)
		unlink(pidfile);
	log_notice("vdpd stopped");
	return rc;
}
