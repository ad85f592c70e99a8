/* SPDX-License-Identifier: ISC */
/* vdp-station --libvirt: answers libvirt's 802.1Qbg port-profile requests
 * in lldpad's place, so that a domain with <virtualport type='802.1Qbg'>
 * associates through this station unchanged.
 *
 * libvirt finds "lldpad" by the number in its pid file and sends its
 * netlink requests (portnl.h) to that netlink port; this file binds a
 * NETLINK_ROUTE socket to our pid, writes the pid file, and turns each
 * request into a libvdp operation:
 *   PREASSOCIATE[_RR]  migrate-in start: Pre-Associate with the M bit
 *   ASSOCIATE          an unknown VM: create-vm; one pre-associated or
 *                      associated before: associate (M bit kept)
 *   DISASSOCIATE       remove-vm
 * The VSI type id and version name the VNID (type id = its low 24 bits,
 * version = its high 8, as our VSI TLVs carry it); a VNID that vdp-station
 * has no network for is declared plain (no policy TLVs) on the request's
 * link, one with a network definition gets its policy synced first.  The
 * operation's outcome is what the GETLINK polls answer: no response while
 * it runs, then 0 or the switch's VDP error code (PORT_VDP_RESPONSE_* has
 * the same numbers), or OUT_OF_SYNC when the switch never answered.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/netlink.h>

#include "portnl.h"
#include "vdp-station.h"

#define LV_MAX_VMS 1024 /* VMs whose last outcome libvirt may still poll */
#define LV_BUF     65536

enum lv_state { LV_NONE, LV_PREASSOC, LV_ASSOC };

struct lv_vm {
	bool used;
	uint8_t uuid[16];
	int ifindex;
	enum lv_state state; /* what the switch granted last */
	enum lv_state want;  /* what the operation in flight asks */
	uint32_t op;         /* in flight, 0 if none */
	uint16_t fail;       /* first failure of the op in flight */
	struct portnl_status status;
	uint64_t used_at; /* for reuse of the oldest settled entry */
};

static struct {
	int fd;
	char pidfile[256];
	void (*log)(int prio, const char *fmt, ...);
	struct lv_vm vms[LV_MAX_VMS];
	uint64_t clock;
	struct lv_vm *calling; /* the entry whose operation is being started */
} lv = {.fd = -1};

static struct lv_vm *vm_find(const uint8_t uuid[16])
{
	for (int i = 0; i < LV_MAX_VMS; i++)
		if (lv.vms[i].used && !memcmp(lv.vms[i].uuid, uuid, 16))
			return &lv.vms[i];
	return NULL;
}

/* A free entry, else the oldest one with nothing in flight. */
static struct lv_vm *vm_new(const uint8_t uuid[16])
{
	struct lv_vm *best = NULL;
	for (int i = 0; i < LV_MAX_VMS; i++) {
		struct lv_vm *v = &lv.vms[i];
		if (!v->used) {
			best = v;
			break;
		}
		if (!v->op && (!best || v->used_at < best->used_at))
			best = v;
	}
	if (!best)
		return NULL;
	memset(best, 0, sizeof(*best));
	best->used = true;
	memcpy(best->uuid, uuid, 16);
	memcpy(best->status.uuid, uuid, 16);
	return best;
}

/* --- the pid file ---------------------------------------------------------- */

/* The live process the pid file names, other than us: its pid, 0 if none. */
static pid_t pidfile_holder(const char *path, char comm[32])
{
	FILE *f = fopen(path, "r");
	long pid = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 0 || pid == getpid() || (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
		return 0;
	char p[64];
	snprintf(p, sizeof(p), "/proc/%ld/comm", pid);
	snprintf(comm, 32, "?");
	if ((f = fopen(p, "r"))) {
		if (fgets(comm, 32, f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	return (pid_t)pid;
}

static int pidfile_write(const char *path, char *err, size_t errlen)
{
	char tmp[300];
	snprintf(tmp, sizeof(tmp), "%s.vdp-station", path);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	chmod(tmp, 0644);
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int libvirt_glue_open(const char *pidfile, void (*log)(int prio, const char *fmt, ...), char *err,
                      size_t errlen)
{
	char comm[32];
	if (strlen(pidfile) >= sizeof(lv.pidfile) - 16) {
		snprintf(err, errlen, "--libvirt: pid file path too long");
		return -1;
	}
	pid_t holder = pidfile_holder(pidfile, comm);
	if (holder) {
		snprintf(err, errlen,
		         "--libvirt: %s names a running %s (pid %d): libvirt talks to one daemon "
		         "only; stop it first",
		         pidfile, comm, (int)holder);
		return -1;
	}
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = (uint32_t)getpid()};
	int one = 1;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		snprintf(err, errlen, "--libvirt: netlink socket with port %d: %s", (int)getpid(),
		         strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (pidfile_write(pidfile, err, errlen) < 0) {
		close(fd);
		return -1;
	}
	lv.fd = fd;
	lv.log = log;
	snprintf(lv.pidfile, sizeof(lv.pidfile), "%s", pidfile);
	log(LOG_NOTICE, "answering libvirt's 802.1Qbg requests (pid file %s, netlink port %d)",
	    pidfile, (int)getpid());
	return 0;
}

int libvirt_glue_fd(void)
{
	return lv.fd;
}

void libvirt_glue_close(void)
{
	char comm[32];
	if (lv.fd < 0)
		return;
	close(lv.fd);
	lv.fd = -1;
	/* Only our own: another daemon may have taken the file over. */
	FILE *f = fopen(lv.pidfile, "r");
	long pid = 0;
	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	if (pid == getpid() && !pidfile_holder(lv.pidfile, comm))
		unlink(lv.pidfile);
}

/* --- requests -------------------------------------------------------------- */

/* The station link that is the request's interface (libvirt gives its name
 * and index; the name wins), and its index in *ifindex. */
static const char *link_of(struct vdp_station *st, int *ifindex, const char *ifname)
{
	char name[IFNAMSIZ];
	if (*ifname)
		*ifindex = (int)if_nametoindex(ifname);
	else if (*ifindex <= 0 || !if_indextoname((unsigned)*ifindex, name))
		return NULL;
	const char *want = *ifname ? ifname : name;
	for (unsigned i = 0;; i++) {
		struct vdp_station_link_info li = {.size = sizeof(li)};
		if (vdp_station_link_at(st, i, &li) < 0)
			return NULL;
		if (!strcmp(li.name, want))
			return li.name;
	}
}

/* The VNID's network, declared plain on this link if vdp-station has none. */
static int ensure_network(struct vdp_station *st, uint32_t vnid, const char *link)
{
	const char *links[] = {link, NULL};
	int rc = vdp_station_create_network(st, vnid, NULL, links);
	if (rc == 0)
		lv.log(LOG_NOTICE,
		       "libvirt: VNID %u has no network definition: declared plain on %s", vnid,
		       link);
	return rc == -EEXIST ? 0 : rc;
}

static int start_op(struct vdp_station *st, struct lv_vm *v, const struct portnl_req *r,
                    const char *link, uint32_t *op)
{
	uint32_t vnid = r->type_id | (uint32_t)r->type_ver << 24;
	struct vdp_vm vm = {.vnid = vnid, .vsiid_fmt = VDP_VSIID_UUID, .vid = r->vlan};
	memcpy(vm.vsiid, r->uuid, 16);
	memcpy(vm.mac, r->mac, 6);
	int rc;
	switch (r->request) {
	case PORTNL_PREASSOCIATE:
	case PORTNL_PREASSOCIATE_RR:
		v->want = LV_PREASSOC;
		if (v->state != LV_NONE) {
			v->want = v->state; /* reserved or associated already */
			return 0;
		}
		vm.preassoc = true;
		if ((rc = ensure_network(st, vnid, link)) < 0)
			return rc;
		return vdp_station_migrate_in(st, &vm, op);
	case PORTNL_ASSOCIATE:
		v->want = LV_ASSOC;
		rc = vdp_station_associate(st, VDP_VSIID_UUID, r->uuid, op);
		if (rc != -ENOENT)
			return rc;
		if ((rc = ensure_network(st, vnid, link)) < 0)
			return rc;
		return vdp_station_create_vm(st, &vm, op);
	default:
		v->want = LV_NONE;
		rc = vdp_station_remove_vm(st, VDP_VSIID_UUID, r->uuid, op);
		return rc == -ENOENT ? 0 : rc;
	}
}

static int setlink(struct vdp_station *st, const struct portnl_req *r)
{
	static const char *const names[] = {"pre-associate", "pre-associate-rr", "associate",
	                                    "disassociate"};
	char id[VDP_VSIID_STRLEN];
	vdp_vsiid_str(VDP_VSIID_UUID, r->uuid, id, sizeof(id));
	int ifindex = r->ifindex;
	const char *link = link_of(st, &ifindex, r->ifname);
	if (!link) {
		lv.log(LOG_WARNING,
		       "libvirt: %s of %s on interface %s (index %d): not a link of "
		       "this station",
		       names[r->request], id, *r->ifname ? r->ifname : "?", r->ifindex);
		return -ENODEV;
	}
	struct lv_vm *v = vm_find(r->uuid);
	if (v && v->op) {
		lv.log(LOG_WARNING, "libvirt: %s of %s while its last request runs: busy",
		       names[r->request], id);
		return -EBUSY;
	}
	if (!v && !(v = vm_new(r->uuid)))
		return -ENOSPC;
	v->ifindex = ifindex;
	v->used_at = ++lv.clock;
	v->fail = 0;
	v->status.respond = false;
	uint32_t op = 0;
	lv.calling = v;
	int rc = start_op(st, v, r, link, &op);
	lv.calling = NULL;
	if (rc < 0) {
		lv.log(LOG_WARNING, "libvirt: %s of %s (VNID %u) on %s: %s", names[r->request], id,
		       r->type_id | (uint32_t)r->type_ver << 24, link, vdp_station_error(st));
		v->status.respond = true;
		v->status.response = PORT_VDP_RESPONSE_INVALID_FORMAT;
		return rc;
	}
	lv.log(LOG_INFO, "libvirt: %s of %s (VNID %u, MAC %02x:%02x:%02x:%02x:%02x:%02x) on %s%s",
	       names[r->request], id, r->type_id | (uint32_t)r->type_ver << 24, r->mac[0],
	       r->mac[1], r->mac[2], r->mac[3], r->mac[4], r->mac[5], link,
	       op ? "" : ": nothing to send");
	if (!op) { /* nothing had to be sent */
		v->state = v->want;
		v->status.respond = true;
		v->status.response = PORT_VDP_RESPONSE_SUCCESS;
	} else if (!v->status.respond) { /* else it ended within the call */
		v->op = op;
	}
	return 0;
}

/* The switch's error code as libvirt reads it (PORT_VDP_RESPONSE_* has
 * the VDP error codes' numbers). */
static uint16_t response_of(const struct vdp_station_result *r)
{
	switch (r->status) {
	case VDP_RESULT_OK:
		return PORT_VDP_RESPONSE_SUCCESS;
	case VDP_RESULT_REFUSED:
		return r->error && r->error <= PORT_VDP_RESPONSE_OUT_OF_SYNC
		           ? r->error
		           : PORT_VDP_RESPONSE_VTID_VIOLATION;
	case VDP_RESULT_NO_ACK:
	case VDP_RESULT_TIMEOUT:
		return PORT_VDP_RESPONSE_OUT_OF_SYNC;
	default:
		return PORT_VDP_RESPONSE_VTID_VIOLATION;
	}
}

void libvirt_glue_result(const struct vdp_station_result *r)
{
	struct lv_vm *v = NULL;
	for (int i = 0; i < LV_MAX_VMS && !v; i++)
		if (lv.vms[i].used && lv.vms[i].op && lv.vms[i].op == r->op)
			v = &lv.vms[i];
	/* Results of an operation that ended inside the call that started it
	 * come before its op number is known. */
	if (!v && lv.calling && !lv.calling->op)
		v = lv.calling;
	if (!v)
		return;
	if (r->status != VDP_RESULT_OK && !v->fail)
		v->fail = response_of(r) ? response_of(r) : PORT_VDP_RESPONSE_VTID_VIOLATION;
	if (r->links_pending)
		return;
	v->op = 0;
	v->status.respond = true;
	v->status.response = v->fail;
	if (!v->fail)
		v->state = v->want;
	else if (v->want == LV_NONE)
		v->state = LV_NONE; /* the station forgets a removed VM whatever */
}

/* The VMs of an interface; of every interface when the poll names none
 * (libvirt looks for its instance UUID among them). */
static void getlink(int ifindex, struct portnl_status *out, size_t *n, size_t cap)
{
	*n = 0;
	for (int i = 0; i < LV_MAX_VMS && *n < cap; i++)
		if (lv.vms[i].used && (ifindex <= 0 || lv.vms[i].ifindex == ifindex))
			out[(*n)++] = lv.vms[i].status;
}

/* The sender's credentials: only root may drive the station. */
static bool from_root(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred u;
			memcpy(&u, CMSG_DATA(c), sizeof(u));
			return u.uid == 0;
		}
	return false;
}

static void answer(const struct sockaddr_nl *to, const uint8_t *buf, size_t len)
{
	if (len && sendto(lv.fd, buf, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		lv.log(LOG_WARNING, "libvirt: answer to netlink port %u: %s", to->nl_pid,
		       strerror(errno));
}

static void one_message(struct vdp_station *st, const struct nlmsghdr *nlh, size_t len,
                        const struct sockaddr_nl *from)
{
	static uint8_t out[LV_BUF];
	static struct portnl_status sts[LV_MAX_VMS];
	char err[160];
	if (nlh->nlmsg_type == RTM_SETLINK) {
		struct portnl_req r;
		int rc = portnl_parse_setlink(nlh, len, &r, err, sizeof(err));
		if (rc < 0) {
			lv.log(LOG_WARNING, "libvirt: request refused: %s", err);
			rc = -EINVAL;
		} else {
			rc = setlink(st, &r);
		}
		answer(from, out, portnl_build_ack(out, sizeof(out), nlh, rc));
	} else if (nlh->nlmsg_type == RTM_GETLINK) {
		int ifindex;
		char ifname[IFNAMSIZ];
		size_t n;
		if (portnl_parse_getlink(nlh, len, &ifindex, ifname, err, sizeof(err)) < 0) {
			lv.log(LOG_WARNING, "libvirt: status request refused: %s", err);
			return answer(from, out, portnl_build_ack(out, sizeof(out), nlh, -EINVAL));
		}
		if (ifindex <= 0 && *ifname)
			ifindex = (int)if_nametoindex(ifname);
		getlink(ifindex, sts, &n, sizeof(sts) / sizeof(sts[0]));
		size_t l = portnl_build_status(out, sizeof(out), nlh, ifindex, sts, n);
		answer(from, out, l ? l : portnl_build_ack(out, sizeof(out), nlh, -EMSGSIZE));
	} else {
		answer(from, out, portnl_build_ack(out, sizeof(out), nlh, -EOPNOTSUPP));
	}
}

void libvirt_glue_input(struct vdp_station *st)
{
	static uint8_t buf[LV_BUF + 4]; /* + the padding of the last message */
	for (;;) {
		struct sockaddr_nl from;
		char cbuf[CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = {buf, LV_BUF};
		struct msghdr mh = {.msg_name = &from,
		                    .msg_namelen = sizeof(from),
		                    .msg_iov = &iov,
		                    .msg_iovlen = 1,
		                    .msg_control = cbuf,
		                    .msg_controllen = sizeof(cbuf)};
		ssize_t n = recvmsg(lv.fd, &mh, 0);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				lv.log(LOG_WARNING, "libvirt: netlink receive: %s",
				       strerror(errno));
			return;
		}
		if (from.nl_pid == 0 || (mh.msg_flags & MSG_TRUNC))
			continue; /* the kernel's, or too big to be libvirt's */
		if (!from_root(&mh)) {
			lv.log(LOG_WARNING,
			       "libvirt: request from netlink port %u ignored: not root",
			       from.nl_pid);
			continue;
		}
		memset(buf + n, 0, 4);
		size_t left = (size_t)n;
		for (const struct nlmsghdr *nlh = (const void *)buf; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left))
			one_message(st, nlh, left + 3 - (left + 3) % 4, &from);
	}
}
