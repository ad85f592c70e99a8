/* SPDX-License-Identifier: ISC */
/* vdp-send: a minimal VDP station for the kernel-tier scenarios (the guest
 * has no Python).  Each REQUEST becomes one VDPDU (Manager ID TLV + the
 * request TLV) built with libvdp's encoders and sent by libvdp's ECP engine
 * over an AF_PACKET socket on IF.  vdp-send waits for the ack and for the
 * bridge's VDPDU holding the response, acks it, and prints one line per TLV
 * of every VDPDU the bridge sent meanwhile (an unsolicited De-Associate, say):
 *   assoc status=0x40 error=0 vid=100
 *   sync status=0x40 error=0
 *
 * usage: vdp-send -i IF [-t SECONDS] [-w SECONDS [-H COMMAND]] REQUEST...
 *   assoc|preassoc|preassoc-rr|deassoc VNID UUID MAC VID [m] [s]   (M bit, S bit)
 *   sync|update|remove VNID [vlan=V] [bw=KBPS] [bw-from=KBPS]
 *                           [acl=permit|deny:PROTO:DPORT]... [dhcp=0|1] [igmp=0|1]
 * -w: after the requests, go on serving the bridge for SECONDS: ack its
 * VDPDUs, print their TLVs, and answer each Help Request (migration services) with the
 * response bit, after running COMMAND (with VDP_HELP_MAC, VDP_HELP_VID and
 * VDP_HELP_IP in its environment; error 4 in the answer if it fails):
 *   help status=0x00 flags=0x01 mac=02:00:00:00:00:6a vid=100 ip=10.100.0.50
 * Exit status: 0 when every request got a response (refusals included),
 * 1 on a usage or socket error, 2 on a timeout.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <vdp/ecp_engine.h>
#include <vdp/rawsock.h>
#include <vdp/tlv.h>

static const char *const names[] = {
    [VDP_TLV_PREASSOC] = "preassoc",   [VDP_TLV_PREASSOC_RR] = "preassoc-rr",
    [VDP_TLV_ASSOC] = "assoc",         [VDP_TLV_DEASSOC] = "deassoc",
    [VDP_TLV_POLICY_SYNC] = "sync",    [VDP_TLV_POLICY_UPDATE] = "update",
    [VDP_TLV_POLICY_REMOVE] = "remove"};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static struct vdp_rawsock sock = {.fd = -1};
static const char *help_cmd; /* -H */
static int acked;            /* 1 acked, -1 given up after R retransmissions */
static bool answered;        /* a VDPDU with a response TLV arrived */

static void die(const char *what)
{
	fprintf(stderr, "vdp-send: %s\n", what);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int raw_send(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	return vdp_rawsock_send(&sock, frame, len);
}

static void tx_done(void *ctx, void *cookie, bool ok)
{
	(void)ctx;
	(void)cookie;
	acked = ok ? 1 : -1;
}

static void open_socket(const char *ifname, uint8_t mac[6])
{
	char err[160];
	if (vdp_rawsock_open(&sock, ifname, VDP_RAWSOCK_ECP, err, sizeof(err)) < 0)
		die(err);
	memcpy(mac, sock.mac, 6);
}

static unsigned long num(const char *s, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "vdp-send: bad number '%s'\n", s);
		exit(1);
	}
	return v;
}

/* One policy argument KEY=VALUE as the next entry of p. */
static void policy_arg(struct vdp_policy *p, const char *arg)
{
	struct vdp_policy_entry *e = &p->entries[p->nentries++];
	const char *v = strchr(arg, '=') + 1;
	char act[8];
	unsigned proto, port;
	if (strncmp(arg, "vlan=", 5) == 0) {
		e->type = VDP_POL_VLAN;
		e->u.vid = (uint16_t)num(v, VDP_VID_MAX);
	} else if (strncmp(arg, "bw=", 3) == 0 || strncmp(arg, "bw-from=", 8) == 0) {
		e->type = VDP_POL_BANDWIDTH;
		e->u.bw.dir = arg[2] == '-' ? VDP_DIR_FROM_VM : VDP_DIR_TO_VM;
		e->u.bw.rate_kbps = (uint32_t)num(v, UINT32_MAX);
	} else if (strncmp(arg, "dhcp=", 5) == 0 || strncmp(arg, "igmp=", 5) == 0) {
		e->type = arg[0] == 'd' ? VDP_POL_DHCP_SNOOP : VDP_POL_IGMP_SNOOP;
		e->u.enable = num(v, 1);
	} else if (strncmp(arg, "acl=", 4) == 0 &&
	           sscanf(v, "%7[a-z]:%u:%u", act, &proto, &port) == 3 && proto < 256 &&
	           port < 65536) {
		e->type = VDP_POL_ACL;
		e->u.acl.action = strcmp(act, "permit") == 0 ? VDP_ACL_PERMIT : VDP_ACL_DENY;
		e->u.acl.dir = VDP_DIR_BOTH;
		e->u.acl.ip_proto = (uint8_t)proto;
		e->u.acl.dport_lo = e->u.acl.dport_hi = (uint16_t)port;
	} else {
		fprintf(stderr, "vdp-send: bad policy entry '%s'\n", arg);
		exit(1);
	}
}

/* Parses the request at argv[*i] (advancing *i) into a VDPDU; its length. */
static size_t build(char **argv, int argc, int *i, uint8_t *pdu, size_t cap)
{
	static struct vdp_vsi vsi;
	static struct vdp_policy pol;
	struct vdp_mgrid mg = {.id = "vdp-send"};
	unsigned t = 1;
	while (t < NNAMES && !(names[t] && strcmp(names[t], argv[*i]) == 0))
		t++;
	if (t == NNAMES || *i + 1 >= argc)
		die("expected assoc|preassoc|preassoc-rr|deassoc|sync|update|remove VNID ...");
	uint32_t vnid = (uint32_t)num(argv[*i + 1], 0xffffff);
	int n = vdp_mgrid_encode(&mg, pdu, cap), m;
	*i += 2;
	if (vdp_is_vsi_type(t)) {
		struct vdp_filter *f = &vsi.filters[0];
		if (*i + 3 > argc)
			die("VSI request: VNID UUID MAC VID [m] [s]");
		vsi = (struct vdp_vsi){.type = (uint8_t)t,
		                       .type_id = vnid,
		                       .nfilters = 1,
		                       .vsiid_fmt = VDP_VSIID_UUID,
		                       .filter_fmt = VDP_FILTER_MAC_VID};
		if (vdp_vsiid_parse(VDP_VSIID_UUID, argv[*i], vsi.vsiid) < 0)
			die("bad UUID");
		if (sscanf(argv[*i + 1], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &f->mac[0], &f->mac[1],
		           &f->mac[2], &f->mac[3], &f->mac[4], &f->mac[5]) != 6)
			die("bad MAC");
		f->vid = (uint16_t)num(argv[*i + 2], VDP_VID_MAX);
		*i += 3;
		if (*i < argc && strcmp(argv[*i], "m") == 0) {
			vsi.status |= VDP_REQ_M;
			++*i;
		}
		if (*i < argc && strcmp(argv[*i], "s") == 0) {
			vsi.status |= VDP_REQ_S;
			++*i;
		}
		m = n < 0 ? n : vdp_vsi_encode(&vsi, pdu + n, cap - (size_t)n);
	} else {
		pol = (struct vdp_policy){.type = (uint8_t)t, .vnid = vnid};
		for (; *i < argc && strchr(argv[*i], '=') && pol.nentries < VDP_MAX_POLICIES; ++*i)
			policy_arg(&pol, argv[*i]);
		m = n < 0 ? n : vdp_policy_encode(&pol, pdu + n, cap - (size_t)n);
	}
	if (m < 0)
		die("cannot encode the request");
	return (size_t)(n + m);
}

/* Prints the TLVs of one VDPDU from the bridge; true if it holds a response. */
static bool print_pdu(const uint8_t *pdu, size_t len)
{
	static struct vdp_vsi vsi;
	static struct vdp_policy pol;
	struct vdp_help help;
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;
	bool resp = false;
	vdp_pdu_iter_init(&it, pdu, len);
	while (vdp_pdu_next(&it, &h, &tlv, &tlen) == 1) {
		const char *name = h.type < NNAMES ? names[h.type] : NULL;
		if (vdp_is_vsi_type(h.type) && vdp_vsi_decode(tlv, tlen, &vsi) >= 0) {
			printf("%s status=0x%02x error=%u vid=%u\n", name, vsi.status,
			       vsi.status & VDP_STATUS_ERR_MASK,
			       vsi.nfilters ? vsi.filters[0].vid : 0);
			resp |= vsi.status & VDP_RESP;
		} else if (name && vdp_policy_decode(tlv, tlen, &pol) >= 0) {
			printf("%s status=0x%02x error=%u\n", name, pol.status,
			       pol.status & VDP_STATUS_ERR_MASK);
			resp |= pol.status & VDP_RESP;
		} else if (h.type == VDP_TLV_HELP && vdp_help_decode(tlv, tlen, &help) >= 0) {
			printf("help status=0x%02x flags=0x%02x mac=%02x:%02x:%02x:%02x:%02x:%02x "
			       "vid=%u ip=%u.%u.%u.%u\n",
			       help.status, help.flags, help.mac[0], help.mac[1], help.mac[2],
			       help.mac[3], help.mac[4], help.mac[5], help.vid, help.ipv4[0],
			       help.ipv4[1], help.ipv4[2], help.ipv4[3]);
		} else if (h.type != VDP_TLV_MGRID) {
			printf("tlv type=%u len=%u\n", h.type, h.len);
		}
	}
	fflush(stdout);
	return resp;
}

/* Migration services: answers the Help Requests of a bridge VDPDU, after running
 * help_cmd on the VM's behalf; the answers are queued on the engine. */
static void answer_help(struct vdp_ecp_engine *e, const uint8_t *pdu, size_t len)
{
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv, *mgrid = NULL;
	size_t tlen, mlen = 0;
	struct vdp_help help;
	vdp_pdu_iter_init(&it, pdu, len);
	while (vdp_pdu_next(&it, &h, &tlv, &tlen) == 1) {
		if (h.type == VDP_TLV_MGRID) {
			mgrid = tlv;
			mlen = tlen;
		}
		if (h.type != VDP_TLV_HELP || vdp_help_decode(tlv, tlen, &help) < 0 ||
		    (help.status & VDP_RESP))
			continue;
		char mac[18], vid[8], ip[16];
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", help.mac[0],
		         help.mac[1], help.mac[2], help.mac[3], help.mac[4], help.mac[5]);
		snprintf(vid, sizeof(vid), "%u", help.vid);
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", help.ipv4[0], help.ipv4[1], help.ipv4[2],
		         help.ipv4[3]);
		setenv("VDP_HELP_MAC", mac, 1);
		setenv("VDP_HELP_VID", vid, 1);
		setenv("VDP_HELP_IP", ip, 1);
		int rc = help_cmd ? system(help_cmd) : 0;
		help.status = (uint8_t)(VDP_RESP | (rc == 0 ? 0 : VDP_ST_OTHER_FAILURE));
		uint8_t out[VDP_ECP_MAX_ULPDU];
		size_t n = 0;
		if (mgrid && mlen <= sizeof(out)) {
			memcpy(out, mgrid, mlen);
			n = mlen;
		}
		int m = vdp_help_encode(&help, out + n, sizeof(out) - n);
		if (m < 0 || vdp_ecp_engine_send(e, out, n + (size_t)m, NULL, now_ns()) < 0)
			die("cannot answer the Help Request");
		printf("help answered status=0x%02x\n", help.status);
		fflush(stdout);
	}
}

/* Sends one VDPDU and runs the engine until it is acked and answered:
 * 0, or -1 on a timeout. */
static int exchange(struct vdp_ecp_engine *e, const uint8_t *pdu, size_t len, double timeout)
{
	uint64_t deadline = now_ns() + (uint64_t)(timeout * 1e9);
	uint8_t frame[VDP_ECP_MAX_FRAME + 64], resp[VDP_ECP_MAX_ULPDU];
	size_t rlen;
	acked = 0;
	answered = false;
	if (vdp_ecp_engine_send(e, pdu, len, NULL, now_ns()) < 0)
		die("ECP send queue full");
	while (!(acked && answered) && acked >= 0) {
		uint64_t now = now_ns(), next = vdp_ecp_engine_next_timeout(e);
		if (now >= deadline)
			return -1;
		next = next < deadline ? next : deadline;
		struct pollfd p = {.fd = sock.fd, .events = POLLIN};
		if (poll(&p, 1, next > now ? (int)((next - now) / 1000000 + 1) : 0) > 0) {
			ssize_t n = recv(sock.fd, frame, sizeof(frame), 0);
			if (n > 0) /* a request is acked in there */
				vdp_ecp_engine_input(e, frame, (size_t)n, now_ns());
		}
		vdp_ecp_engine_timer(e, now_ns());
		while (vdp_ecp_engine_recv(e, resp, sizeof(resp), &rlen, NULL) == 1) {
			answered |= print_pdu(resp, rlen);
			answer_help(e, resp, rlen);
		}
	}
	return acked > 0 ? 0 : -1;
}

/* -w: serves the bridge until the deadline (acks, Help Request answers). */
static void serve(struct vdp_ecp_engine *e, double secs)
{
	uint64_t deadline = now_ns() + (uint64_t)(secs * 1e9);
	uint8_t frame[VDP_ECP_MAX_FRAME + 64], pdu[VDP_ECP_MAX_ULPDU];
	size_t len;
	for (uint64_t now = now_ns(); now < deadline; now = now_ns()) {
		uint64_t next = vdp_ecp_engine_next_timeout(e);
		next = next < deadline ? next : deadline;
		struct pollfd p = {.fd = sock.fd, .events = POLLIN};
		if (poll(&p, 1, next > now ? (int)((next - now) / 1000000 + 1) : 0) > 0) {
			ssize_t n = recv(sock.fd, frame, sizeof(frame), 0);
			if (n > 0)
				vdp_ecp_engine_input(e, frame, (size_t)n, now_ns());
		}
		vdp_ecp_engine_timer(e, now_ns());
		while (vdp_ecp_engine_recv(e, pdu, sizeof(pdu), &len, NULL) == 1) {
			print_pdu(pdu, len);
			answer_help(e, pdu, len);
		}
	}
}

int main(int argc, char **argv)
{
	/* R 7, RTE 14 (164 ms): patient enough for a daemon under qemu TCG. */
	struct vdp_ecp_engine_cfg cfg = {
	    .size = sizeof(cfg), .r = 7, .rte = 14, .send = raw_send, .tx_done = tx_done};
	const char *ifname = NULL;
	double timeout = 5, wait = 0;
	int c;
	while ((c = getopt(argc, argv, "i:t:w:H:")) != -1) {
		if (c == 'i')
			ifname = optarg;
		else if (c == 't')
			timeout = atof(optarg);
		else if (c == 'w')
			wait = atof(optarg);
		else if (c == 'H')
			help_cmd = optarg;
		else
			return 1;
	}
	if (!ifname || optind >= argc)
		die("usage: vdp-send -i IF [-t SECONDS] [-w SECONDS [-H COMMAND]] REQUEST...");
	open_socket(ifname, cfg.local_mac);
	struct vdp_ecp_engine *e = vdp_ecp_engine_new(&cfg);
	if (!e)
		die("ECP engine");
	for (int i = optind; i < argc;) {
		const char *what = argv[i];
		uint8_t pdu[VDP_ECP_MAX_ULPDU];
		size_t len = build(argv, argc, &i, pdu, sizeof(pdu));
		if (exchange(e, pdu, len, timeout) < 0) {
			fprintf(stderr, "vdp-send: %s: no %s within %g s\n", what,
			        acked > 0 ? "response" : "ack", timeout);
			return 2;
		}
	}
	if (wait > 0)
		serve(e, wait);
	vdp_ecp_engine_free(e);
	vdp_rawsock_close(&sock);
	return 0;
}
