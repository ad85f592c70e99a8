/* SPDX-License-Identifier: ISC */
/* vdp-station daemon: one libvdp station on the given interfaces, a unix
 * control socket for the commands, and one poll() loop around both.
 *
 * The daemon is what keeps VMs associated: it sends the keepalives, hears
 * the switches' De-Associates and Help Requests, and remembers which
 * networks each switch holds.  It detaches only once its socket listens
 * and its interfaces are open, so "vdp-station daemon ... && vdp-station
 * create-vm ..." works without a sleep; in the foreground under systemd
 * (Type=notify) it says READY=1 at that same point, and keeps STATUS= to
 * the number of VMs it holds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ctlsock.h"
#include "log.h"
#include "notify.h"
#include "vdp-station.h"

#define MAX_CLIENTS 32
#define MAX_RESULTS VDP_STATION_MAX_LINKS

struct client {
	int fd;
	bool used, waiting, running, done;
	char req[REQ_MAX_BYTES + 1];
	size_t len;
	struct cmd_ctx ctx;
	struct vdp_station_result res[MAX_RESULTS];
	size_t nres;
};

static struct client clients[MAX_CLIENTS];
static bool foreground;
static const char *libvirt_pidfile; /* --libvirt: NULL when off */
static volatile sig_atomic_t stopping;

/* --- answers -------------------------------------------------------------------- */

static void client_close(struct client *cl)
{
	if (cl->fd >= 0)
		close(cl->fd);
	sb_free(&cl->ctx.out);
	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
}

static void answer(struct client *cl)
{
	char head[16];
	int n = snprintf(head, sizeof(head), "%d\n", cl->ctx.status);
	if (send(cl->fd, head, (size_t)n, MSG_NOSIGNAL) == n && cl->ctx.out.len)
		(void)!send(cl->fd, cl->ctx.out.buf, cl->ctx.out.len, MSG_NOSIGNAL);
	client_close(cl);
}

static void log_result(const struct vdp_station_result *r)
{
	char id[VDP_VSIID_STRLEN] = "";
	if (r->vsiid_fmt)
		vdp_vsiid_str(r->vsiid_fmt, r->vsiid, id, sizeof(id));
	logmsg(r->status == VDP_RESULT_OK ? LOG_INFO : LOG_WARNING,
	       "op %u %s %s VNID %u on %s: %s at %s: %s (VLAN %u)%s%s", r->op,
	       vdp_op_kind_name(r->kind), *id ? id : "-", r->vnid, *r->link ? r->link : "-",
	       vdp_result_status_name(r->status), tlv_word(r->stage), r->error_text, r->vid,
	       *r->detail ? "; " : "", r->detail);
}

static void on_result(void *arg, const struct vdp_station_result *r)
{
	(void)arg;
	log_result(r);
	libvirt_glue_result(r);
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *cl = &clients[i];
		if (!cl->used || !(cl->waiting || cl->running) || cl->ctx.op != r->op)
			continue;
		if (cl->nres < MAX_RESULTS)
			cl->res[cl->nres++] = *r;
		if (r->links_pending)
			return;
		cmd_format_results(&cl->ctx, cl->res, cl->nres);
		cl->done = true;
		if (cl->waiting)
			answer(cl);
		return;
	}
}

static void on_event(void *arg, const struct vdp_station_event *ev)
{
	char id[VDP_VSIID_STRLEN] = "-";
	(void)arg;
	if (ev->vsiid_fmt)
		vdp_vsiid_str(ev->vsiid_fmt, ev->vsiid, id, sizeof(id));
	if (ev->kind == VDP_EV_EVB)
		logmsg(LOG_NOTICE, "%s: %s (R %u RTE %u RWD %u RKA %u)", ev->link, ev->text,
		       ev->timers.r, ev->timers.rte, ev->timers.rwd, ev->timers.rka);
	else
		logmsg(LOG_NOTICE, "%s: VM %s VNID %u: %s: %s", ev->link, id, ev->vnid,
		       vdp_event_kind_name(ev->kind), ev->text);
	cmd_events_add(ev);
}

/* --- requests ------------------------------------------------------------------------ */

/* "text|json\nWORD\n...\n\n": complete once the empty line is there. */
static int request_words(struct client *cl, char **words, int *nwords, bool *json)
{
	char *end = strstr(cl->req, "\n\n");
	if (!end)
		return 0;
	end[1] = 0;
	char *save, *line = strtok_r(cl->req, "\n", &save);
	if (!line || (strcmp(line, "text") != 0 && strcmp(line, "json") != 0))
		return -1;
	*json = !strcmp(line, "json");
	*nwords = 0;
	while ((line = strtok_r(NULL, "\n", &save)) && *nwords < REQ_MAX_WORDS)
		words[(*nwords)++] = line;
	return 1;
}

/* {"ok":true[,"KEY":N],"FLAG":true}: the daemon's own short answers. */
static void answer_json(struct strbuf *out, const char *key, unsigned n, const char *flag)
{
	struct json j;
	json_init(&j, out);
	json_obj_begin(&j);
	json_kv_bool(&j, "ok", true);
	if (key)
		json_kv_uint(&j, key, n);
	json_kv_bool(&j, flag, true);
	json_obj_end(&j);
	sb_putc(out, '\n');
}

static void run_request(struct vdp_station *st, struct client *cl, char **words, int n)
{
	cl->ctx.st = st;
	if (n && !strcmp(words[0], "nowait")) {
		cl->ctx.nowait = true;
		words++;
		n--;
	}
	cl->running = true;
	cmd_run(&cl->ctx, n, words);
	cl->running = false;
	if (!cl->ctx.op || cl->done) {
		answer(cl);
	} else if (cl->ctx.nowait) {
		if (cl->ctx.json)
			answer_json(&cl->ctx.out, "op", cl->ctx.op, "queued");
		else
			sb_printf(&cl->ctx.out, "operation %u queued; its results go to the log\n",
			          cl->ctx.op);
		answer(cl);
	} else {
		cl->waiting = true;
	}
}

static void client_read(struct vdp_station *st, struct client *cl, bool *stop)
{
	enum ctlsock_rd rd = ctlsock_read(cl->fd, cl->req, sizeof(cl->req), &cl->len, "\n\n");
	if (rd == CTLSOCK_AGAIN)
		return;
	if (rd == CTLSOCK_EOF || rd == CTLSOCK_ERROR || cl->waiting) {
		/* A client that goes away while waiting is simply dropped: the
		 * operation carries on and its results go to the log. */
		client_close(cl);
		return;
	}
	if (rd == CTLSOCK_MORE)
		return;
	char *words[REQ_MAX_WORDS];
	int nwords = 0, rc = request_words(cl, words, &nwords, &cl->ctx.json);
	if (rc <= 0) { /* no empty line within REQ_MAX_BYTES, or no text|json */
		cl->ctx.status = EX_USAGE;
		sb_puts(&cl->ctx.out, "vdp-station: malformed request\n");
		return answer(cl);
	}
	if (nwords == 1 && !strcmp(words[0], "stop")) {
		*stop = true;
		cl->ctx.status = EX_OK;
		if (cl->ctx.json)
			answer_json(&cl->ctx.out, NULL, 0, "stopping");
		else
			sb_puts(&cl->ctx.out, "vdp-station daemon stopping\n");
		return answer(cl);
	}
	run_request(st, cl, words, nwords);
}

static void accept_client(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (!clients[i].used) {
			clients[i].used = true;
			clients[i].fd = fd;
			return;
		}
	const char busy[] = "1\nvdp-station: daemon busy (too many clients)\n";
	(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL);
	close(fd);
}

/* --- setup ------------------------------------------------------------------------------ */

/* The control socket, with vdpd's guards (common/ctlsock.c): only a
 * stale socket is replaced, and it is created 0660 from the start. */
static int listen_on(const char *path)
{
	char err[256], dir[256];
	/* The socket's own directory (the default's, under the run
	 * directory) is made if missing, one level. */
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			fprintf(stderr, "vdp-station: %s: %s\n", dir, strerror(errno));
	}
	int fd = ctlsock_listen(path, 0660, 16, "vdp-station daemon", NULL, err, sizeof(err));
	if (fd < 0)
		fprintf(stderr, "vdp-station: %s\n", err);
	return fd;
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void daemon_usage(FILE *f)
{
	fprintf(f,
	        "Usage: vdp-station daemon -i IFACE [-i IFACE...] [OPTION...]\n"
	        "Runs the station: opens IFACE (the link to a switch; repeat -i for each\n"
	        "switch), listens on SOCKET for commands and keeps the VMs associated.\n"
	        "Returns once it is ready.  Needs root (CAP_NET_RAW).\n"
	        "\n"
	        "  -i, --interface IFACE      a link to a switch (at least one)\n"
	        "  -m, --manager-id NAME      VSI Manager ID sent in every VDPDU (1..16\n"
	        "                             characters; default libvdp)\n"
	        "  -t, --timers R,RTE,RWD,RKA EVB timers to advertise and use (default\n"
	        "                             3,8,20,20); a switch's EVB TLV raises them\n"
	        "  -d, --dhcp-server IPV4     where Help Requests' DHCPREQUESTs go (default\n"
	        "                             255.255.255.255)\n"
	        "  -l, --lldp MODE            how the EVB TLV travels: builtin (our own LLDPDUs,\n"
	        "                             the default), lldpd[:SOCKET] (the host's lldpd\n"
	        "                             carries it), or external (not at all)\n"
	        "  -L, --libvirt[=PIDFILE]    answer libvirt's 802.1Qbg port-profile requests\n"
	        "                             in lldpad's place; PIDFILE is where libvirt looks\n"
	        "                             (default " LIBVIRT_PIDFILE ")\n"
	        "  -s, --socket SOCKET        the control socket (default: $VDP_STATION_SOCKET,\n"
	        "                             else " DEFAULT_SOCKET ")\n"
	        "  -f, --foreground           stay in the foreground, log to stderr\n"
	        "  -h, --help                 this text\n"
	        "\n"
	        "See vdp-station(8).\n");
}

static int parse_timers(const char *s, struct vdp_timers *t)
{
	unsigned v[4];
	char tail;
	if (sscanf(s, "%u,%u,%u,%u%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4 || v[0] > 7 ||
	    v[1] > 31 || v[2] > 31 || v[3] > 31)
		return -1;
	*t = (struct vdp_timers){(uint8_t)v[0], (uint8_t)v[1], (uint8_t)v[2], (uint8_t)v[3]};
	return 0;
}

static struct vdp_station *open_station(int argc, char **argv, const char **sock)
{
	static const struct option opts[] = {
	    {"interface", required_argument, 0, 'i'},
	    {"manager-id", required_argument, 0, 'm'},
	    {"timers", required_argument, 0, 't'},
	    {"dhcp-server", required_argument, 0, 'd'},
	    {"lldp", required_argument, 0, 'l'},
	    {"foreground", no_argument, 0, 'f'},
	    {"libvirt", optional_argument, 0, 'L'},
	    {"socket", required_argument, 0, 's'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	const char *ifs[VDP_STATION_MAX_LINKS], *mgrid = NULL, *dhcp = NULL;
	int nifs = 0, c;
	struct vdp_timers t;
	bool have_timers = false;
	enum vdp_lldp_mode lldp = VDP_LLDP_BUILTIN;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:m:t:d:l:fL::s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (nifs == VDP_STATION_MAX_LINKS) {
				fprintf(stderr, "vdp-station: at most %d interfaces\n",
				        VDP_STATION_MAX_LINKS);
				return NULL;
			}
			ifs[nifs++] = optarg;
			break;
		case 'm':
			mgrid = optarg;
			break;
		case 't':
			if (parse_timers(optarg, &t) < 0) {
				fprintf(stderr,
				        "vdp-station: --timers '%s': expected R,RTE,RWD,RKA with R "
				        "0..7 and the exponents 0..31 (e.g. 3,8,20,20)\n",
				        optarg);
				return NULL;
			}
			have_timers = true;
			break;
		case 'd':
			dhcp = optarg;
			break;
		case 'l': {
			/* Never NULL here; -L makes optarg optional, which the analyzer sees. */
			const char *m = optarg ? optarg : "";
			if (!strcmp(m, "builtin")) {
				lldp = VDP_LLDP_BUILTIN;
			} else if (!strcmp(m, "external")) {
				lldp = VDP_LLDP_EXTERNAL;
			} else if (!strncmp(m, "lldpd", 5) && (!m[5] || m[5] == ':')) {
				lldp = VDP_LLDP_EXTERNAL;
				if (lldpd_glue_init(m[5] ? m + 6 : NULL, logmsg) < 0) {
					fprintf(stderr,
					        "vdp-station: --lldp '%s': socket path too long\n",
					        m);
					return NULL;
				}
			} else {
				fprintf(stderr,
				        "vdp-station: --lldp '%s': builtin, lldpd[:SOCKET] or "
				        "external\n",
				        m);
				return NULL;
			}
			break;
		}
		case 'f':
			foreground = true;
			break;
		case 'L':
			libvirt_pidfile = optarg && *optarg ? optarg : LIBVIRT_PIDFILE;
			break;
		case 's':
			*sock = optarg;
			break;
		case 'h':
			daemon_usage(stdout);
			exit(0);
		default:
			daemon_usage(stderr);
			exit(EX_USAGE);
		}
	}
	if (optind != argc || nifs == 0) {
		fprintf(stderr,
		        optind != argc ? "vdp-station: daemon: unexpected argument '%s'\n"
		                       : "vdp-station: daemon: give at least one -i IFACE%s\n",
		        optind != argc ? argv[optind] : "");
		daemon_usage(stderr);
		exit(EX_USAGE);
	}
	struct vdp_station *st = vdp_station_new(mgrid);
	if (!st) {
		fprintf(stderr, "vdp-station: --manager-id '%s': 1..16 characters\n",
		        mgrid ? mgrid : "");
		return NULL;
	}
	int rc = 0;
	if (have_timers)
		rc = vdp_station_set_timers(st, NULL, &t);
	if (!rc && dhcp)
		rc = vdp_station_set_dhcp_server(st, dhcp);
	if (!rc)
		rc = vdp_station_set_lldp(st, lldp, 0);
	for (int i = 0; !rc && i < nifs; i++)
		rc = vdp_station_add_interface(st, ifs[i]);
	if (rc < 0) {
		fprintf(stderr, "vdp-station: %s\n", vdp_station_error(st));
		vdp_station_free(st);
		return NULL;
	}
	vdp_station_on_result(st, on_result, NULL);
	vdp_station_on_event(st, on_event, NULL);
	return st;
}

/* Opens the --libvirt glue, if asked: in the process that will run, since
 * libvirt is told our pid. */
static int open_libvirt(void)
{
	char err[256];
	if (!libvirt_pidfile)
		return 0;
	if (libvirt_glue_open(libvirt_pidfile, logmsg, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "vdp-station: %s\n", err);
	return -1;
}

static void say_ready(const char *sock, int argc, char **argv)
{
	printf("vdp-station: daemon ready on");
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "--interface"))
			printf(" %s", i + 1 < argc ? argv[i + 1] : "");
	printf("; control socket %s; logging to syslog\n", sock);
	fflush(stdout);
}

/* The parent returns (exits) only once the child is ready: its --libvirt
 * glue is open, or has failed and said why on our stderr. */
static int detach(const char *sock, int argc, char **argv)
{
	int p[2];
	char ok = 0;
	if (pipe(p) < 0) {
		perror("vdp-station: pipe");
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("vdp-station: fork");
		return -1;
	}
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &ok, 1) != 1 || ok != 1)
			_exit(EX_FAILED);
		say_ready(sock, argc, argv);
		_exit(0); /* ready: the socket listens, the interfaces are open */
	}
	close(p[0]);
	setsid();
	if (open_libvirt() < 0)
		_exit(EX_FAILED);
	ok = 1;
	(void)!write(p[1], &ok, 1);
	close(p[1]);
	int fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The station's next timeout, or the lldpd glue's if that comes first. */
static int next_timeout(struct vdp_station *st, uint64_t next_lldpd)
{
	int t = vdp_station_next_timeout(st);
	uint64_t now = mono_ms();
	int l = next_lldpd <= now ? 0 : (int)(next_lldpd - now);
	return t < 0 || l < t ? l : t;
}

/* STATUS= for systemctl status: the VMs held, sent when it changes. */
static void notify_status(const struct vdp_station *st)
{
	static unsigned last = UINT_MAX;
	struct vdp_station_vm_info vm = {.size = sizeof(vm)};
	unsigned n = 0;
	if (!notify_wanted())
		return;
	while (vdp_station_vm_at(st, n, &vm) == 0)
		n++;
	if (n != last)
		notify("STATUS=%u VMs", n);
	last = n;
}

static void loop(struct vdp_station *st, int lfd)
{
	struct pollfd p[3 + MAX_CLIENTS];
	bool stop = false;
	uint64_t next_lldpd = 0;
	while (!stop && !stopping) {
		if (mono_ms() >= next_lldpd) {
			lldpd_glue_tick(st);
			next_lldpd = mono_ms() + LLDPD_PERIOD_MS;
		}
		int n = 0, map[MAX_CLIENTS];
		p[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
		p[n++] = (struct pollfd){.fd = vdp_station_fd(st), .events = POLLIN};
		/* fd -1 when --libvirt is off: poll() skips it. */
		p[n++] = (struct pollfd){.fd = libvirt_glue_fd(), .events = POLLIN};
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (clients[i].used) {
				map[n - 3] = i;
				p[n++] = (struct pollfd){.fd = clients[i].fd, .events = POLLIN};
			}
		if (poll(p, (nfds_t)n, next_timeout(st, next_lldpd)) < 0 && errno != EINTR) {
			logmsg(LOG_ERR, "poll: %s", strerror(errno));
			break;
		}
		if (vdp_station_process(st) < 0)
			logmsg(LOG_WARNING, "%s", vdp_station_error(st));
		if (p[2].revents & POLLIN)
			libvirt_glue_input(st);
		for (int k = 3; k < n; k++)
			if (p[k].revents && clients[map[k - 3]].used &&
			    clients[map[k - 3]].fd == p[k].fd)
				client_read(st, &clients[map[k - 3]], &stop);
		if (p[0].revents & POLLIN)
			accept_client(lfd);
		notify_status(st);
	}
}

int daemon_main(int argc, char **argv, const char *sock)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	struct vdp_station *st = open_station(argc, argv, &sock);
	if (!st)
		return EX_FAILED;
	int lfd = listen_on(sock);
	if (lfd < 0) {
		vdp_station_free(st);
		return EX_FAILED;
	}
	if (foreground ? open_libvirt() < 0 : detach(sock, argc, argv) < 0) {
		close(lfd);
		unlink(sock);
		vdp_station_free(st);
		return EX_FAILED;
	}
	/* Every level: the station logs what it does, not debugging noise. */
	log_open("vdp-station", foreground, LOG_DEBUG);
	log_tag_with_ident(true);
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	logmsg(LOG_NOTICE, "vdp-station %s ready on %s", PACKAGE_VERSION, sock);
	notify("READY=1");
	loop(st, lfd);
	notify("STOPPING=1");
	logmsg(LOG_NOTICE, "stopping (the switches keep the VMs until their keepalive timeout)");
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].used)
			client_close(&clients[i]);
	lldpd_glue_fini(st);
	libvirt_glue_close();
	close(lfd);
	unlink(sock);
	vdp_station_free(st);
	return EX_OK;
}
