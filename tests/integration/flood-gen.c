/* SPDX-License-Identifier: ISC */
/* flood-gen: a hostile station for test_flood.py.  Sends, as fast as one
 * AF_PACKET socket and sendmmsg(2) allow, ECP frames alternating between
 * VDP Associates for made-up VSIs in random VNIDs (VLAN on demand: each
 * would take a VLAN) and garbage (random octets behind the ECP EtherType),
 * each with the next ECP sequence number, until SIGTERM or SIGINT once at
 * least MIN_ASSOC Associates and MIN_GARBAGE garbage frames are out; then
 * prints "assoc N garbage M at-signal A G" (A and G: how many of each
 * were out when the signal came) and exits.  On the way it prints
 * "sent N" every PROGRESS frames, so that a test can pace its own work by
 * the flood's.
 *
 * SIGUSR1 turns the flood into a decoy: the same frames at the same rate,
 * with EtherType 0x88b5 (local experimental) in place of ECP's, so that
 * the host's CPUs and the bridge carry the same load while vdpd's socket
 * filter drops every frame; SIGUSR2 turns it back.  Decoy frames are
 * counted apart ("decoy N" at the end) and not in "sent".  A test measures
 * its quiet figures under the decoy: on one host the flooding hypervisor's
 * CPU is the switch's too, and only vdpd's share of the work should differ.
 *
 *   flood-gen IFACE MIN_ASSOC MIN_GARBAGE
 *
 * The frames are built once with libvdp's encoders (BATCH of each kind);
 * per send only the sequence number, the VNID and the VSIID are patched in
 * place, at offsets found by encoding markers. */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vdp/ecp.h>
#include <vdp/tlv.h>

#define BATCH           64
#define MAXLEN          256
#define TYPE_ID         0xabcdefu
#define PROGRESS        4096
#define DECOY_ETHERTYPE 0x88b5u

static volatile sig_atomic_t stop, decoy;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
	decoy = 0; /* what is still owed goes to vdpd */
}

static void on_decoy(int sig)
{
	decoy = sig == SIGUSR1;
}

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t find(const uint8_t *buf, size_t len, const uint8_t *pat, size_t plen)
{
	for (size_t i = 0; i + plen <= len; i++)
		if (memcmp(buf + i, pat, plen) == 0)
			return i;
	fprintf(stderr, "flood-gen: marker not found\n");
	exit(1);
}

/* An Associate for VSI 0xee.. in VNID TYPE_ID; *vnid_off and *id_off say
 * where the VNID (3 octets) and the VSIID (16) sit in the frame. */
static int assoc_frame(const uint8_t src[6], uint8_t *buf, size_t *vnid_off, size_t *id_off)
{
	static struct vdp_vsi v;
	uint8_t pdu[MAXLEN];
	struct vdp_mgrid m = {.id = "flood"};
	memset(&v, 0, sizeof(v));
	v.type = VDP_TLV_ASSOC;
	v.type_id = TYPE_ID;
	v.vsiid_fmt = VDP_VSIID_UUID;
	memset(v.vsiid, 0xee, sizeof(v.vsiid));
	v.filter_fmt = VDP_FILTER_MAC_VID;
	v.nfilters = 1;
	memcpy(v.filters[0].mac, (uint8_t[]){0x52, 0x54, 0x00, 0xf1, 0x00, 0x01}, 6);
	int a = vdp_mgrid_encode(&m, pdu, sizeof(pdu));
	int b = vdp_vsi_encode(&v, pdu + a, sizeof(pdu) - (size_t)a);
	if (a < 0 || b < 0)
		return -1;
	struct vdp_ecp_frame f = {.hdr = {.version = VDP_ECP_VERSION,
	                                  .op = VDP_ECP_OP_REQUEST,
	                                  .subtype = VDP_ECP_SUBTYPE_VDP},
	                          .ulpdu = pdu,
	                          .ulpdu_len = (size_t)(a + b)};
	memcpy(f.dst, vdp_ecp_ncb_addr, 6);
	memcpy(f.src, src, 6);
	int n = vdp_ecp_frame_encode(&f, 1, buf, MAXLEN);
	if (n < 0)
		return -1;
	*vnid_off = find(buf, (size_t)n, (const uint8_t[]){0xab, 0xcd, 0xef}, 3);
	*id_off = find(buf, (size_t)n, v.vsiid, sizeof(v.vsiid));
	return n;
}

static int garbage_frame(const uint8_t src[6], uint8_t *buf)
{
	memcpy(buf, vdp_ecp_ncb_addr, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = VDP_ECP_ETHERTYPE >> 8;
	buf[13] = VDP_ECP_ETHERTYPE & 0xff;
	int n = 60 + (int)(next_rand() % 140);
	for (int i = 14; i < n; i++)
		buf[i] = (uint8_t)next_rand();
	/* Half keep a valid ECP header, so their garbage reaches VDP. */
	if (next_rand() & 1) {
		buf[14] = VDP_ECP_VERSION << 4;
		buf[15] = VDP_ECP_SUBTYPE_VDP;
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: flood-gen IFACE MIN_ASSOC MIN_GARBAGE\n");
		return 2;
	}
	unsigned long long min_a = strtoull(argv[2], NULL, 10), min_g = strtoull(argv[3], NULL, 10);
	int fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: receives nothing */
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
	                          .sll_ifindex = (int)if_nametoindex(argv[1])};
	if (fd < 0 || !sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("flood-gen: socket");
		return 1;
	}
	uint8_t src[6] = {0x02, 0xf1, 0x00, 0x00, 0x00, 0x01};
	static uint8_t frames[2 * BATCH][MAXLEN];
	static struct iovec iov[2 * BATCH];
	static struct mmsghdr msgs[2 * BATCH];
	size_t vnid_off = 0, id_off = 0;
	for (unsigned i = 0; i < 2 * BATCH; i++) {
		int n = i % 2 ? garbage_frame(src, frames[i])
		              : assoc_frame(src, frames[i], &vnid_off, &id_off);
		if (n < 0) {
			fprintf(stderr, "flood-gen: cannot encode\n");
			return 1;
		}
		iov[i] = (struct iovec){frames[i], (size_t)n};
		msgs[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i], .msg_iovlen = 1};
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGUSR1, on_decoy);
	signal(SIGUSR2, on_decoy);
	unsigned long long na = 0, ng = 0, sa = 0, sg = 0, nd = 0;
	uint16_t seq = 0;
	while (!stop || na < min_a || ng < min_g) {
		if (stop && !sa) {
			sa = na;
			sg = ng;
		}
		bool fake = decoy;
		for (unsigned i = 0; i < 2 * BATCH; i++) {
			uint8_t *f = frames[i];
			f[12] = fake ? DECOY_ETHERTYPE >> 8 : VDP_ECP_ETHERTYPE >> 8;
			f[13] = fake ? DECOY_ETHERTYPE & 0xff : VDP_ECP_ETHERTYPE & 0xff;
			f[16] = (uint8_t)(seq >> 8);
			f[17] = (uint8_t)seq++;
			if (i % 2)
				continue;
			uint64_t r = next_rand();
			f[vnid_off] = (uint8_t)(r >> 16);
			f[vnid_off + 1] = (uint8_t)(r >> 8);
			f[vnid_off + 2] = (uint8_t)r;
			memcpy(f + id_off, &r, sizeof(r));
			r = next_rand();
			memcpy(f + id_off + 8, &r, sizeof(r));
		}
		int n = sendmmsg(fd, msgs, 2 * BATCH, 0);
		if (n < 0) {
			perror("flood-gen: sendmmsg");
			return 1;
		}
		if (fake) {
			nd += (unsigned)n;
			continue;
		}
		if ((na + ng) / PROGRESS != (na + ng + (unsigned)n) / PROGRESS) {
			printf("sent %llu\n", na + ng + (unsigned)n);
			fflush(stdout);
		}
		na += (unsigned)(n + 1) / 2;
		ng += (unsigned)n / 2;
	}
	if (!sa) {
		sa = na;
		sg = ng;
	}
	printf("assoc %llu garbage %llu at-signal %llu %llu decoy %llu\n", na, ng, sa, sg, nd);
	return 0;
}
