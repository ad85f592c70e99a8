/* vdp-send: a minimal VDP station for the kernel-tier scenarios (the guest
 * has no Python).  Each REQUEST becomes one VDPDU (Manager ID TLV + the
 * request TLV) built with libvdp's encoders and sent by libvdp's ECP engine
 * over an AF_PACKET socket on IF.  vdp-send waits for the ack and for the
 * bridge's VDPDU holding the response, acks it, and prints one line per TLV
 * of every VDPDU the bridge sent meanwhile (an unsolicited De-Associate, say):
 *   assoc status=0x40 error=0 vid=100
 *   sync status=0x40 error=0
 *
 * usage: vdp-send -i IF [-t SECONDS] REQUEST...
 *   assoc|preassoc|preassoc-rr|deassoc VNID UUID MAC VID [m]   (m: M bit)
 *   sync|update|remove VNID [vlan=V] [bw=KBPS] [bw-from=KBPS]
 *                           [acl=permit|deny:PROTO:DPORT]...
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
	[VDP_TLV_PREASSOC] = "preassoc",  [VDP_TLV_PREASSOC_RR] = "preassoc-rr",
	[VDP_TLV_ASSOC] = "assoc",        [VDP_TLV_DEASSOC] = "deassoc",
	[VDP_TLV_POLICY_SYNC] = "sync",   [VDP_TLV_POLICY_UPDATE] = "update",
	[VDP_TLV_POLICY_REMOVE] = "remove"};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static struct vdp_rawsock sock = {.fd = -1};
static int acked;     /* 1 acked, -1 given up after R retransmissions */
static bool answered; /* a VDPDU with a response TLV arrived */

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
	} else if (strncmp(arg, "acl=", 4) == 0 &&
		   sscanf(v, "%7[a-z]:%u:%u", act, &proto, &port) == 3 && proto < 256 && port < 65536) {
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
			die("VSI request: VNID UUID MAC VID [m]");
		vsi = (struct vdp_vsi){.type = (uint8_t)t, .type_id = vnid, .nfilters = 1,
				       .vsiid_fmt = VDP_VSIID_UUID, .filter_fmt = VDP_FILTER_MAC_VID};
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
			       vsi.status & VDP_STATUS_ERR_MASK, vsi.nfilters ? vsi.filters[0].vid : 0);
			resp |= vsi.status & VDP_RESP;
		} else if (name && vdp_policy_decode(tlv, tlen, &pol) >= 0) {
			printf("%s status=0x%02x error=%u\n", name, pol.status,
			       pol.status & VDP_STATUS_ERR_MASK);
			resp |= pol.status & VDP_RESP;
		} else if (h.type != VDP_TLV_MGRID) {
			printf("tlv type=%u len=%u\n", h.type, h.len);
		}
	}
	fflush(stdout);
	return resp;
}

/* Sends one VDPDU and runs the engine until it is acked and answered:
 * 0, or -1 on a timeout. */
static int exchange(struct ecp_engine *e, const uint8_t *pdu, size_t len, double timeout)
{
	uint64_t deadline = now_ns() + (uint64_t)(timeout * 1e9);
	uint8_t frame[ECP_MAX_FRAME + 64], resp[ECP_MAX_ULPDU];
	size_t rlen;
	acked = 0;
	answered = false;
	if (ecp_engine_send(e, pdu, len, NULL, now_ns()) < 0)
		die("ECP send queue full");
	while (!(acked && answered) && acked >= 0) {
		uint64_t now = now_ns(), next = ecp_engine_next_timeout(e);
		if (now >= deadline)
			return -1;
		next = next < deadline ? next : deadline;
		struct pollfd p = {.fd = sock.fd, .events = POLLIN};
		if (poll(&p, 1, next > now ? (int)((next - now) / 1000000 + 1) : 0) > 0) {
			ssize_t n = recv(sock.fd, frame, sizeof(frame), 0);
			if (n > 0) /* a request is acked in there */
				ecp_engine_input(e, frame, (size_t)n, now_ns());
		}
		ecp_engine_timer(e, now_ns());
		while (ecp_engine_recv(e, resp, sizeof(resp), &rlen, NULL) == 1)
			answered |= print_pdu(resp, rlen);
	}
	return acked > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	/* R 7, RTE 14 (164 ms): patient enough for a daemon under qemu TCG. */
	struct ecp_engine_cfg cfg = {.r = 7, .rte = 14, .send = raw_send, .tx_done = tx_done};
	const char *ifname = NULL;
	double timeout = 5;
	int c;
	while ((c = getopt(argc, argv, "i:t:")) != -1) {
		if (c == 'i')
			ifname = optarg;
		else if (c == 't')
			timeout = atof(optarg);
		else
			return 1;
	}
	if (!ifname || optind >= argc)
		die("usage: vdp-send -i IF [-t SECONDS] REQUEST...");
	open_socket(ifname, cfg.local_mac);
	struct ecp_engine *e = ecp_engine_new(&cfg);
	if (!e)
		die("ECP engine");
	for (int i = optind; i < argc;) {
		const char *what = argv[i];
		uint8_t pdu[ECP_MAX_ULPDU];
		size_t len = build(argv, argc, &i, pdu, sizeof(pdu));
		if (exchange(e, pdu, len, timeout) < 0) {
			fprintf(stderr, "vdp-send: %s: no %s within %g s\n", what,
				acked > 0 ? "response" : "ack", timeout);
			return 2;
		}
	}
	ecp_engine_free(e);
	vdp_rawsock_close(&sock);
	return 0;
}
