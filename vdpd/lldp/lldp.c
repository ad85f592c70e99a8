/* SPDX-License-Identifier: ISC */
/* vdpd: the connection to lldpd, through liblldpctl.
 *
 * Two connections to lldpd's control socket, both non-blocking under the
 * daemon's one libev loop:
 *   - the watch connection subscribes to neighbour changes; lldp_evb.c
 *     turns them into negotiated timers or, when a station's entry goes
 *     (TTL expiry, link down, LLDP shutdown), into de-associations;
 *   - the command connection runs small jobs: set lldpd's agent type to
 *     nearest customer bridge, read a port's neighbours (after connecting),
 *     and have lldpd advertise the port's EVB TLV as a custom TLV (OUI
 *     00-80-C2, subtype 0x0D, replacing any earlier one), or withdraw it
 *     when vdpd stops.
 * liblldpctl does no I/O of its own: its callbacks below read and write the
 * sockets and answer "would block" when lldpd's answer is not there yet.
 * The library keeps the request's state in the connection, so the same call
 * is made again, with the same arguments, once the socket is readable.  A
 * job is therefore a few stages, each one such call, and keeps the atoms
 * the earlier stages returned.
 *
 * lldpd absent, gone or hung (no answer in ANSWER_TIMEOUT): one warning per
 * outage, reconnection with a backoff of RETRY_MIN doubling to RETRY_MAX,
 * and VDP goes on: ports keep the timers they run (configured, or
 * negotiated: their stations still use those).  Once lldpd is back every
 * port is read and advertised again.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <lldp-const.h>
#include <lldpctl.h>

#include "lldp/lldp.h"
#include "lldp/lldp_evb.h"
#include "log.h"
#include "core/vdpd.h"

#define RETRY_MIN        0.5  /* s: first reconnection delay, doubling up to */
#define RETRY_MAX        10.0 /* s */
#define STABLE_AFTER     10.0 /* s connected before the delay starts from RETRY_MIN again */
#define ANSWER_TIMEOUT   2.0  /* s: lldpd answers a request within this, or is deemed hung */
#define CLOSE_TIMEOUT_MS 1000 /* withdrawing the TLVs when vdpd stops */

enum lstate {
	L_OFF,         /* lldp.enabled = false */
	L_WAIT,        /* not connected; the retry timer runs */
	L_SUBSCRIBING, /* connected, asking for neighbour notifications */
	L_UP,          /* notifications flow, jobs run */
};

enum job_kind { JOB_NONE, JOB_AGENT, JOB_ADVERTISE, JOB_WITHDRAW };
enum step { STEP_DONE, STEP_AGAIN, STEP_FAIL };

struct lconn {
	struct lldp *l;
	int fd;
	lldpctl_conn_t *conn;
	ev_io io;
};

/* A command in progress and the atoms its finished stages returned. */
struct job {
	enum job_kind kind;
	unsigned port;
	int stage;
	char was[48];                   /* JOB_AGENT: lldpd's agent type before */
	uint8_t info[VDP_EVB_INFO_LEN]; /* JOB_ADVERTISE: the TLV being sent */
	lldpctl_atom_t *config, *ifaces, *iface, *lport, *list, *tlv;
};

struct lldp {
	struct vdpd *d;
	struct ev_loop *loop;
	enum lstate state;
	char path[108]; /* lldpd's socket, as connected to */
	char group[32]; /* lldp.group as joined at start */
	struct lconn watch, cmd;
	struct job job;
	bool agent_pending;
	bool withdraw[CONF_MAX_PORTS];
	bool resync[CONF_MAX_PORTS];  /* read the port's neighbours from lldpd */
	bool missing[CONF_MAX_PORTS]; /* lldpd does not run on the port (said once) */
	struct lldp_evb evb[CONF_MAX_PORTS];
	ev_timer retry, answer;
	double backoff;
	ev_tstamp up_since, down_since;
	bool outage_logged; /* the one warning of the current outage is out */
	char why[192];
};

/* --- the sockets, as liblldpctl's I/O callbacks ----------------------------- */

static ssize_t io_send(lldpctl_conn_t *conn, const uint8_t *data, size_t len, void *arg)
{
	struct lconn *c = arg;
	ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n >= 0)
		return n;
	return errno == EAGAIN || errno == EINTR ? LLDPCTL_ERR_WOULDBLOCK
	                                         : LLDPCTL_ERR_CALLBACK_FAILURE;
}

static ssize_t io_recv(lldpctl_conn_t *conn, const uint8_t *data, size_t len, void *arg)
{
	struct lconn *c = arg;
	ssize_t n = recv(c->fd, (void *)data, len, MSG_DONTWAIT);
	if (n > 0)
		return n;
	if (n == 0)
		return LLDPCTL_ERR_EOF;
	return errno == EAGAIN || errno == EINTR ? LLDPCTL_ERR_WOULDBLOCK
	                                         : LLDPCTL_ERR_CALLBACK_FAILURE;
}

static int lconn_open(struct lldp *l, struct lconn *c, char *err, size_t errlen)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	_Static_assert(sizeof(l->path) == sizeof(sun.sun_path), "lldp.socket fits sun_path");
	memcpy(sun.sun_path, l->path, sizeof(sun.sun_path));
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(err, errlen, "cannot connect: %s%s", strerror(errno),
		         errno == EACCES ? " (is vdpd in lldpd's group? see lldp.group)" : "");
		return -1;
	}
	c->conn = lldpctl_new_name(l->path, io_send, io_recv, c);
	if (!c->conn) {
		snprintf(err, errlen, "liblldpctl: out of memory");
		return -1;
	}
	ev_io_set(&c->io, c->fd, EV_READ);
	return 0;
}

static void lconn_close(struct lldp *l, struct lconn *c)
{
	ev_io_stop(l->loop, &c->io);
	if (c->conn)
		lldpctl_release(c->conn);
	if (c->fd >= 0)
		close(c->fd);
	c->conn = NULL;
	c->fd = -1;
}

/* --- connection state ----------------------------------------------------------- */

static void cmd_run(struct lldp *l);

static void job_end(struct lldp *l)
{
	struct job *j = &l->job;
	/* The custom TLV lives in the list's memory: the TLV goes first. */
	lldpctl_atom_t *atoms[] = {j->tlv, j->list, j->lport, j->iface, j->ifaces, j->config};
	for (size_t i = 0; i < sizeof(atoms) / sizeof(atoms[0]); i++)
		lldpctl_atom_dec_ref(atoms[i]);
	memset(j, 0, sizeof(*j));
}

static void disconnect(struct lldp *l)
{
	job_end(l); /* atoms before their connection */
	ev_timer_stop(l->loop, &l->answer);
	lconn_close(l, &l->cmd);
	lconn_close(l, &l->watch);
	l->state = L_WAIT;
}

static void arm(struct lldp *l, ev_timer *t, double secs)
{
	ev_timer_stop(l->loop, t);
	ev_timer_set(t, secs, 0.);
	ev_timer_start(l->loop, t);
}

/* lldpd is not (or no longer) there: say so once per outage, try again. */
static void lost(struct lldp *l, const char *why)
{
	ev_tstamp now = ev_now(l->loop);
	if (l->state == L_UP && now - l->up_since >= STABLE_AFTER)
		l->backoff = RETRY_MIN;
	disconnect(l);
	if (!l->outage_logged) {
		log_warn("lldpd (%s): %s; retrying in the background.  VDP goes on with the "
		         "timers in use (configured, or negotiated on ports that have a station); "
		         "EVB TLVs are advertised again once lldpd is back",
		         l->path, why);
		l->outage_logged = true;
		l->down_since = now;
	} else {
		log_debug("lldpd (%s): %s; next attempt in %.1f s", l->path, why, l->backoff);
	}
	arm(l, &l->retry, l->backoff);
	l->backoff = l->backoff * 2 > RETRY_MAX ? RETRY_MAX : l->backoff * 2;
}

static void on_change(lldpctl_change_t type, lldpctl_atom_t *iface, lldpctl_atom_t *nb, void *arg)
{
	struct lldp *l = arg;
	const char *name = lldpctl_atom_get_str(iface, lldpctl_k_interface_name);
	int i = name ? vdpd_port_find(l->d, name) : -1;
	if (i < 0)
		return;
	if (type == lldpctl_c_deleted)
		lldp_evb_neighbour_gone(l->d, l->evb, (unsigned)i, nb);
	else
		lldp_evb_neighbour(l->d, l->evb, (unsigned)i, nb);
}

static void up(struct lldp *l)
{
	ev_timer_stop(l->loop, &l->answer);
	l->state = L_UP;
	l->up_since = ev_now(l->loop);
	if (l->outage_logged)
		log_notice("lldpd (%s): connected again after %.0f s", l->path,
		           l->up_since - l->down_since);
	else
		log_notice("lldpd (%s): connected", l->path);
	l->outage_logged = false;
	l->agent_pending = true;
	for (unsigned i = 0; i < l->d->nports; i++) {
		l->resync[i] = true;
		l->missing[i] = false;
		l->evb[i].dirty = true;
	}
	/* Notifications that came with the subscription's answer. */
	while (lldpctl_process_conn_buffer(l->watch.conn) == 0)
		;
	cmd_run(l);
}

/* Commands start only once the subscription stands: no change can fall
 * between the neighbour table vdpd reads and the notifications. */
static void subscribe(struct lldp *l)
{
	if (lldpctl_watch_callback2(l->watch.conn, on_change, l) == 0) {
		up(l);
		return;
	}
	lldpctl_error_t e = lldpctl_last_error(l->watch.conn);
	if (e == LLDPCTL_ERR_WOULDBLOCK)
		return;
	snprintf(l->why, sizeof(l->why), "subscribing to neighbour changes: %s",
	         lldpctl_strerror(e));
	lost(l, l->why);
}

static void on_retry(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct lldp *l = w->data;
	char err[128];
	if (lconn_open(l, &l->watch, err, sizeof(err)) < 0 ||
	    lconn_open(l, &l->cmd, err, sizeof(err)) < 0) {
		lost(l, err);
		return;
	}
	ev_io_start(l->loop, &l->watch.io);
	l->state = L_SUBSCRIBING;
	arm(l, &l->answer, ANSWER_TIMEOUT);
	subscribe(l);
}

static void on_answer_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct lldp *l = w->data;
	lost(l, "no answer within 2 s");
}

static void on_watch_io(struct ev_loop *loop, ev_io *w, int revents)
{
	struct lldp *l = ((struct lconn *)w->data)->l;
	uint8_t buf[4096];

	if (l->state == L_SUBSCRIBING) {
		subscribe(l);
		return;
	}
	for (int i = 0; i < 16; i++) { /* bounded: a flood cannot hold the loop */
		ssize_t n = recv(l->watch.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0) {
			lost(l, "lldpd closed the connection");
			return;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0 || lldpctl_recv(l->watch.conn, buf, (size_t)n) < 0) {
			snprintf(l->why, sizeof(l->why), "reading notifications: %s",
			         n < 0 ? strerror(errno) : lldpctl_last_strerror(l->watch.conn));
			lost(l, l->why);
			return;
		}
		while (lldpctl_process_conn_buffer(l->watch.conn) == 0)
			;
	}
	cmd_run(l);
}

static void on_cmd_io(struct ev_loop *loop, ev_io *w, int revents)
{
	cmd_run(((struct lconn *)w->data)->l);
}

/* --- jobs ------------------------------------------------------------------- */

static enum step wait_or_fail(struct lldp *l, const char *what)
{
	lldpctl_error_t e = lldpctl_last_error(l->cmd.conn);
	if (e == LLDPCTL_ERR_WOULDBLOCK)
		return STEP_AGAIN;
	snprintf(l->why, sizeof(l->why), "%s: %s", what, lldpctl_strerror(e));
	return STEP_FAIL;
}

static const char *ncb_name(void)
{
	for (lldpctl_map_t *m = lldpctl_key_get_map(lldpctl_k_config_lldp_agent_type);
	     m && m->string; m++)
		if (m->value == LLDP_AGENT_TYPE_NEAREST_CUSTOMER_BRIDGE)
			return m->string;
	return "nearest customer bridge";
}

/* EVB lives on the nearest-customer-bridge agent (01:80:C2:00:00:00).
 * lldpd has one agent type for all its ports. */
static enum step step_agent(struct lldp *l, struct job *j)
{
	if (j->stage == 0) {
		if (!(j->config = lldpctl_get_configuration(l->cmd.conn)))
			return wait_or_fail(l, "reading lldpd's configuration");
		const char *now = lldpctl_atom_get_str(j->config, lldpctl_k_config_lldp_agent_type);
		if (now && strcmp(now, ncb_name()) == 0)
			return STEP_DONE;
		snprintf(j->was, sizeof(j->was), "%s", now ? now : "unknown");
		j->stage = 1;
	}
	if (!lldpctl_atom_set_int(j->config, lldpctl_k_config_lldp_agent_type,
	                          LLDP_AGENT_TYPE_NEAREST_CUSTOMER_BRIDGE))
		return wait_or_fail(l, "setting lldpd's agent type");
	log_notice("lldpd (%s): LLDP agent type set to %s (was %s): EVB is exchanged on that "
	           "agent; lldpd applies it to all its ports",
	           l->path, ncb_name(), j->was);
	return STEP_DONE;
}

static lldpctl_atom_t *find_iface(lldpctl_atom_t *ifaces, const char *name)
{
	for (lldpctl_atom_iter_t *it = lldpctl_atom_iter(ifaces); it;
	     it = lldpctl_atom_iter_next(ifaces, it)) {
		lldpctl_atom_t *i = lldpctl_atom_iter_value(ifaces, it);
		const char *n = lldpctl_atom_get_str(i, lldpctl_k_interface_name);
		if (n && strcmp(n, name) == 0)
			return i;
		lldpctl_atom_dec_ref(i);
	}
	return NULL;
}

static void read_neighbours(struct lldp *l, unsigned port, lldpctl_atom_t *lport)
{
	lldpctl_atom_t *nbs = lldpctl_atom_get(lport, lldpctl_k_port_neighbors);
	for (lldpctl_atom_iter_t *it = lldpctl_atom_iter(nbs); it;
	     it = lldpctl_atom_iter_next(nbs, it)) {
		lldpctl_atom_t *nb = lldpctl_atom_iter_value(nbs, it);
		lldp_evb_neighbour(l->d, l->evb, port, nb);
		lldpctl_atom_dec_ref(nb);
	}
	lldpctl_atom_dec_ref(nbs);
}

/* Builds the custom TLV atom to set on the port: the port's EVB TLV
 * (replacing any earlier one), or a removal.  1: set it; 0: lldpd has it
 * that way already; -1: error (l->why). */
static int prepare_tlv(struct lldp *l, struct job *j, const uint8_t info[VDP_EVB_INFO_LEN])
{
	static const uint8_t oui[3] = {VDP_EVB_OUI_0, VDP_EVB_OUI_1, VDP_EVB_OUI_2};
	bool withdraw = j->kind == JOB_WITHDRAW, same = false;
	unsigned ours = 0;

	j->list = lldpctl_atom_get(j->lport, lldpctl_k_custom_tlvs);
	for (lldpctl_atom_iter_t *it = lldpctl_atom_iter(j->list); it;
	     it = lldpctl_atom_iter_next(j->list, it)) {
		lldpctl_atom_t *t = lldpctl_atom_iter_value(j->list, it);
		size_t n = 0;
		const uint8_t *b =
		    lldpctl_atom_get_buffer(t, lldpctl_k_custom_tlv_oui_info_string, &n);
		if (lldp_evb_is_evb(t)) {
			ours++;
			same = b && n == VDP_EVB_INFO_LEN && memcmp(b, info, n) == 0;
		}
		lldpctl_atom_dec_ref(t);
	}
	if (withdraw ? ours == 0 : ours == 1 && same)
		return 0;
	j->tlv = lldpctl_atom_create(j->list);
	if (j->tlv && lldpctl_atom_set_buffer(j->tlv, lldpctl_k_custom_tlv_oui, oui, sizeof(oui)) &&
	    lldpctl_atom_set_int(j->tlv, lldpctl_k_custom_tlv_oui_subtype, VDP_EVB_SUBTYPE) &&
	    (withdraw || lldpctl_atom_set_buffer(j->tlv, lldpctl_k_custom_tlv_oui_info_string, info,
	                                         VDP_EVB_INFO_LEN)) &&
	    lldpctl_atom_set_str(j->tlv, lldpctl_k_custom_tlv_op, withdraw ? "remove" : "replace"))
		return 1;
	snprintf(l->why, sizeof(l->why), "building the EVB TLV for port %s: %s",
	         l->d->ports[j->port].name, lldpctl_last_strerror(l->cmd.conn));
	return -1;
}

/* Advertise or withdraw port j->port's EVB TLV: list lldpd's interfaces,
 * get the port, read its neighbours (first time after connecting), set
 * the custom TLV. */
static enum step step_port(struct lldp *l, struct job *j)
{
	const char *name = l->d->ports[j->port].name;

	if (j->stage == 0) {
		if (!(j->ifaces = lldpctl_get_interfaces(l->cmd.conn)))
			return wait_or_fail(l, "listing lldpd's interfaces");
		if (!(j->iface = find_iface(j->ifaces, name))) {
			if (j->kind == JOB_ADVERTISE && !l->missing[j->port])
				log_warn("port %s: lldpd does not run LLDP on it, so no EVB TLV is "
				         "exchanged there (lldpd -I, or lldpcli configure system "
				         "interface pattern)",
				         name);
			l->missing[j->port] = true;
			return STEP_DONE;
		}
		j->stage = 1;
	}
	if (j->stage == 1) {
		if (!(j->lport = lldpctl_get_port(j->iface)))
			return wait_or_fail(l, "reading a port from lldpd");
		if (j->kind == JOB_ADVERTISE && l->resync[j->port]) {
			l->resync[j->port] = false;
			read_neighbours(l, j->port, j->lport);
		}
		if (j->kind == JOB_ADVERTISE)
			l->evb[j->port].dirty = false; /* what follows sends the latest */
		if (vdp_evb_info_encode(&l->evb[j->port].cur, j->info, sizeof(j->info)) !=
		    VDP_EVB_INFO_LEN) {
			snprintf(l->why, sizeof(l->why), "port %s: EVB TLV out of range", name);
			return STEP_FAIL;
		}
		int rc = prepare_tlv(l, j, j->info);
		if (rc <= 0)
			return rc == 0 ? STEP_DONE : STEP_FAIL;
		j->stage = 2;
	}
	if (!lldpctl_atom_set(j->lport, lldpctl_k_custom_tlv, j->tlv))
		return wait_or_fail(l, "setting a custom TLV in lldpd");
	if (j->kind == JOB_WITHDRAW) {
		log_debug("port %s: EVB TLV withdrawn from lldpd", name);
		return STEP_DONE;
	}
	struct vdp_evb_tlv t;
	const uint8_t *b = j->info;
	(void)vdp_evb_info_decode(b, sizeof(j->info), &t);
	log_info("port %s: lldpd advertises the EVB TLV %02x %02x %02x %02x %02x (R %u RTE %u "
	         "RWD %u RKA %u%s)",
	         name, b[0], b[1], b[2], b[3], b[4], t.r, t.rte, t.rwd, t.rka,
	         l->evb[j->port].station ? ", negotiated" : ", configured");
	return STEP_DONE;
}

/* The next job: lldpd's agent type, withdrawals, advertisements. */
static bool job_next(struct lldp *l)
{
	struct job *j = &l->job;
	memset(j, 0, sizeof(*j));
	if (l->agent_pending) {
		l->agent_pending = false;
		j->kind = JOB_AGENT;
	}
	for (unsigned i = 0; !j->kind && i < l->d->nports; i++)
		if (l->withdraw[i]) {
			l->withdraw[i] = false;
			j->kind = JOB_WITHDRAW;
			j->port = i;
		}
	for (unsigned i = 0; !j->kind && i < l->d->nports; i++)
		if (l->evb[i].dirty) {
			l->evb[i].dirty = false;
			j->kind = JOB_ADVERTISE;
			j->port = i;
		}
	if (j->kind)
		arm(l, &l->answer, ANSWER_TIMEOUT);
	return j->kind != JOB_NONE;
}

static enum step job_step(struct lldp *l)
{
	return l->job.kind == JOB_AGENT ? step_agent(l, &l->job) : step_port(l, &l->job);
}

static void cmd_run(struct lldp *l)
{
	while (l->state == L_UP) {
		if (l->job.kind == JOB_NONE && !job_next(l)) {
			ev_timer_stop(l->loop, &l->answer);
			ev_io_stop(l->loop, &l->cmd.io);
			return;
		}
		enum step rc = job_step(l);
		if (rc == STEP_AGAIN) {
			ev_io_start(l->loop, &l->cmd.io);
			return;
		}
		job_end(l);
		if (rc == STEP_FAIL)
			lost(l, l->why);
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Outside the loop (vdpd stopping): finishes the job in progress, then
 * withdraws every port's TLV, waiting at most CLOSE_TIMEOUT_MS for lldpd. */
static void withdraw_all(struct lldp *l)
{
	int64_t deadline = now_ms() + CLOSE_TIMEOUT_MS;
	unsigned n = 0;

	if (l->state != L_UP)
		return;
	l->agent_pending = false;
	for (unsigned i = 0; i < l->d->nports; i++) {
		l->evb[i].dirty = false;
		l->withdraw[i] = true;
	}
	while (l->job.kind != JOB_NONE || job_next(l)) {
		enum step rc = job_step(l);
		if (rc == STEP_AGAIN) {
			struct pollfd p = {.fd = l->cmd.fd, .events = POLLIN};
			int64_t left = deadline - now_ms();
			if (left <= 0 || poll(&p, 1, (int)left) <= 0)
				break;
			continue;
		}
		n += rc == STEP_DONE && l->job.kind == JOB_WITHDRAW;
		job_end(l);
		if (rc == STEP_FAIL)
			break;
	}
	log_info("lldpd (%s): EVB TLV withdrawn from %u of %u ports", l->path, n, l->d->nports);
}

/* --- the API ------------------------------------------------------------------ */

/* lldpd's socket is rw for root and lldpd's group only; vdpd keeps no
 * capability that would override that once it runs. */
static void join_group(const char *name, bool enabled)
{
	struct group *g = getgrnam(name);
	gid_t groups[256];
	int n;

	if (!g) {
		/* Only a problem when vdpd is to talk to lldpd now. */
		logmsg(enabled ? LOG_WARNING : LOG_DEBUG,
		       "lldpd: no group \"%s\" (lldp.group): lldpd's socket may refuse vdpd", name);
		return;
	}
	n = getgroups(sizeof(groups) / sizeof(groups[0]) - 1, groups);
	if (n < 0)
		n = 0;
	for (int i = 0; i < n; i++)
		if (groups[i] == g->gr_gid)
			return;
	groups[n++] = g->gr_gid;
	if (setgroups((size_t)n, groups) < 0)
		log_warn("lldpd: cannot join group %s: %s; lldpd's socket may refuse vdpd", name,
		         strerror(errno));
}

/* liblldpctl narrates every message at debug level; its warnings only. */
static void on_lldpctl_log(int severity, const char *msg)
{
	if (severity <= LOG_WARNING)
		log_info("liblldpctl: %s", msg);
}

static void start(struct lldp *l)
{
	const struct conf *c = &l->d->conf;
	if (!c->lldp_enabled) {
		l->state = L_OFF;
		log_notice("lldpd: not used (lldp.enabled is false): ports run their configured "
		           "EVB timers");
		return;
	}
	snprintf(l->path, sizeof(l->path), "%s", c->lldp_socket);
	l->state = L_WAIT;
	l->backoff = RETRY_MIN;
	l->outage_logged = false;
	/* From the loop, once privileges are dropped: the first attempt runs
	 * as every later one will. */
	arm(l, &l->retry, 0.);
}

/* Leaves lldpd (withdrawing the TLVs if connected), back to L_OFF. */
static void stop(struct lldp *l)
{
	withdraw_all(l);
	disconnect(l);
	ev_timer_stop(l->loop, &l->retry);
	l->state = L_OFF;
}

struct lldp *lldp_open(struct vdpd *d, struct ev_loop *loop)
{
	struct lldp *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->d = d;
	l->loop = loop;
	l->watch = (struct lconn){.l = l, .fd = -1};
	l->cmd = (struct lconn){.l = l, .fd = -1};
	ev_init(&l->watch.io, on_watch_io);
	ev_init(&l->cmd.io, on_cmd_io);
	l->watch.io.data = &l->watch;
	l->cmd.io.data = &l->cmd;
	ev_init(&l->retry, on_retry);
	ev_init(&l->answer, on_answer_timeout);
	l->retry.data = l->answer.data = l;
	lldpctl_log_callback(on_lldpctl_log);
	lldp_evb_init(d, l->evb);
	/* Now, even if lldp.enabled is false (a reload may enable it): once
	 * privileges are dropped vdpd cannot join a group. */
	snprintf(l->group, sizeof(l->group), "%s", d->conf.lldp_group);
	if (l->group[0])
		join_group(l->group, d->conf.lldp_enabled);
	start(l);
	return l;
}

void lldp_reload(struct lldp *l)
{
	if (!l)
		return;
	const struct conf *c = &l->d->conf;
	for (unsigned i = 0; i < l->d->nports; i++)
		lldp_evb_negotiate(l->d, l->evb, i, "configuration reloaded");
	if (strcmp(c->lldp_group, l->group) != 0)
		log_warn("lldpd: lldp.group is now \"%s\"; vdpd joins a group only when it starts "
		         "(restart it for that)",
		         c->lldp_group);
	if (!c->lldp_enabled && l->state != L_OFF) {
		stop(l);
		log_notice("lldpd: no longer used (lldp.enabled is false)");
	} else if (c->lldp_enabled && l->state == L_OFF) {
		start(l);
	} else if (c->lldp_enabled && strcmp(c->lldp_socket, l->path) != 0) {
		log_notice("lldpd: socket changed from %s to %s; reconnecting", l->path,
		           c->lldp_socket);
		stop(l);
		start(l);
	} else {
		cmd_run(l);
	}
}

void lldp_close(struct lldp *l)
{
	if (!l)
		return;
	stop(l);
	free(l);
}
