/* SPDX-License-Identifier: ISC */
/* Unit tests of the migration services' DHCP codec (vdpd/migration/dhcp_wire.c,
 * vdpd/migration/pkt.c):
 *   - real captures (pcaps/regen-migration.sh): busybox udhcpc against ISC
 *     dhcpd (DISCOVER, OFFER, REQUEST, ACK, a NAK, a RELEASE) and RFC 4388
 *     leasequeries written by scapy with ISC dhcpd's answers; every frame
 *     decodes to the values tcpdump -v prints for it, untagged and with an
 *     802.1Q tag inserted;
 *   - our leasequery against scapy's, field by field;
 *   - round trips and hand-written layouts;
 *   - every malformation class, and every prefix of real frames. */
#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "migration/dhcp_wire.h"

#ifndef VDP_PCAP_DIR
#define VDP_PCAP_DIR "pcaps"
#endif

#define MAX_FRAMES 32

static const uint8_t vm_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x6a};
static const uint8_t srv[4] = {10, 100, 0, 1}, lease_ip[4] = {10, 100, 0, 50};

struct capture {
	size_t n;
	size_t len[MAX_FRAMES];
	uint8_t frame[MAX_FRAMES][1600];
};

static void load(const char *name, struct capture *c)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	const char *dir = getenv("VDP_PCAP_DIR");
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : VDP_PCAP_DIR, name);
	pcap_t *p = pcap_open_offline(path, err);
	ck_assert_msg(p, "%s: %s", path, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	memset(c, 0, sizeof(*c));
	while (pcap_next_ex(p, &h, &data) == 1 && c->n < MAX_FRAMES) {
		ck_assert_uint_le(h->caplen, sizeof(c->frame[0]));
		memcpy(c->frame[c->n], data, h->caplen);
		c->len[c->n++] = h->caplen;
	}
	pcap_close(p);
}

/* The frame with an 802.1Q tag (PCP 3, VID 100) inserted after the MACs. */
static size_t tagged(const uint8_t *f, size_t n, uint8_t *out)
{
	memcpy(out, f, 12);
	memcpy(out + 12, (uint8_t[]){0x81, 0x00, 0x60, 0x64}, 4);
	memcpy(out + 16, f + 12, n - 12);
	return n + 4;
}

static struct dhcp_frame decode_ok(const uint8_t *f, size_t n)
{
	struct dhcp_frame d;
	int rc = dhcp_frame_decode(f, n, &d);
	ck_assert_msg(rc == (int)n, "decode: %d (%s)", rc, dhcp_strerror(rc));
	return d;
}

static void both(const struct capture *c, size_t i, struct dhcp_frame *plain,
                 struct dhcp_frame *tag)
{
	uint8_t t[1700];
	*plain = decode_ok(c->frame[i], c->len[i]);
	*tag = decode_ok(t, tagged(c->frame[i], c->len[i], t));
	ck_assert(!plain->eth.tagged);
	ck_assert(tag->eth.tagged);
	ck_assert_uint_eq(tag->eth.vid, 100);
	ck_assert_uint_eq(tag->eth.pcp, 3);
	ck_assert_mem_eq(&plain->msg, &tag->msg, sizeof(plain->msg));
}

/* --- udhcpc <-> ISC dhcpd -------------------------------------------------- */

START_TEST(udhcpc_dhcpd_exchange)
{
	static struct capture c;
	struct dhcp_frame f, t;
	load("dhcp-udhcpc-isc-dhcpd.pcap", &c);
	ck_assert_uint_eq(c.n, 7);

	both(&c, 0, &f, &t); /* DISCOVER, broadcast from the client */
	ck_assert_uint_eq(f.msg.op, DHCP_BOOTREQUEST);
	ck_assert_uint_eq(f.msg.type, DHCPDISCOVER);
	ck_assert_uint_eq(f.sport, 68);
	ck_assert_uint_eq(f.dport, 67);
	ck_assert_mem_eq(f.eth.src, vm_mac, 6);
	ck_assert_mem_eq(f.msg.chaddr, vm_mac, 6);
	ck_assert_uint_eq(f.msg.htype, 1);
	ck_assert_uint_eq(f.msg.hlen, 6);

	both(&c, 1, &f, &t); /* OFFER */
	ck_assert_uint_eq(f.msg.op, DHCP_BOOTREPLY);
	ck_assert_uint_eq(f.msg.type, DHCPOFFER);
	ck_assert_mem_eq(f.msg.yiaddr, lease_ip, 4);
	ck_assert(f.msg.has_lease);
	ck_assert_uint_eq(f.msg.lease_s, 600);
	ck_assert(f.msg.has_server_id);
	ck_assert_mem_eq(f.msg.server_id, srv, 4);
	ck_assert_mem_eq(f.ip_src, srv, 4);

	both(&c, 2, &f, &t); /* REQUEST (selecting) */
	ck_assert_uint_eq(f.msg.type, DHCPREQUEST);
	ck_assert(f.msg.has_requested_ip);
	ck_assert_mem_eq(f.msg.requested_ip, lease_ip, 4);

	both(&c, 3, &f, &t); /* ACK: what a binding is made of */
	ck_assert_uint_eq(f.msg.type, DHCPACK);
	ck_assert_uint_eq(f.sport, 67);
	ck_assert_uint_eq(f.dport, 68);
	ck_assert_mem_eq(f.eth.dst, vm_mac, 6);
	ck_assert_mem_eq(f.msg.chaddr, vm_mac, 6);
	ck_assert_mem_eq(f.msg.yiaddr, lease_ip, 4);
	ck_assert_uint_eq(f.msg.lease_s, 600);

	both(&c, 4, &f, &t); /* REQUEST for 10.9.9.9 */
	ck_assert_uint_eq(f.msg.type, DHCPREQUEST);
	ck_assert_mem_eq(f.msg.requested_ip, ((uint8_t[]){10, 9, 9, 9}), 4);
	both(&c, 5, &f, &t); /* ... NAKed */
	ck_assert_uint_eq(f.msg.type, DHCPNAK);
	ck_assert(!f.msg.has_lease);
	ck_assert_mem_eq(f.msg.chaddr, vm_mac, 6);

	both(&c, 6, &f, &t); /* RELEASE */
	ck_assert_uint_eq(f.msg.type, DHCPRELEASE);
	ck_assert_mem_eq(f.msg.ciaddr, lease_ip, 4);
}
END_TEST

/* --- RFC 4388 against ISC dhcpd ---------------------------------------- */

START_TEST(leasequery_answers_of_isc_dhcpd)
{
	static struct capture c;
	struct dhcp_frame f, t;
	const uint8_t gi[4] = {10, 100, 0, 9};
	load("dhcp-leasequery-isc-dhcpd.pcap", &c);
	ck_assert_uint_eq(c.n, 8);
	for (size_t i = 0; i < 8; i += 2) {
		both(&c, i, &f, &t);
		ck_assert_uint_eq(f.msg.type, DHCPLEASEQUERY);
		ck_assert_uint_eq(f.msg.xid, 0x6c710001u + i / 2);
		ck_assert_mem_eq(f.msg.giaddr, gi, 4);
		ck_assert_uint_eq(f.sport, 67);
		ck_assert_uint_eq(f.dport, 67);
		ck_assert_uint_eq(f.msg.nprl, 3);
		both(&c, i + 1, &f, &t);
		ck_assert_uint_eq(f.msg.op, DHCP_BOOTREPLY);
		ck_assert_uint_eq(f.msg.xid, 0x6c710001u + i / 2);
		ck_assert_mem_eq(f.ip_dst, gi, 4); /* answered to giaddr, port 67 */
		ck_assert_uint_eq(f.dport, 67);
	}
	for (size_t i = 1; i < 4; i += 2) { /* by MAC, by IP: the same active lease */
		f = decode_ok(c.frame[i], c.len[i]);
		ck_assert_uint_eq(f.msg.type, DHCPLEASEACTIVE);
		ck_assert_mem_eq(f.msg.ciaddr, lease_ip, 4);
		ck_assert_mem_eq(f.msg.chaddr, vm_mac, 6);
		ck_assert_uint_eq(f.msg.hlen, 6);
		ck_assert(f.msg.has_lease);
		/* what is left of the 600 s lease when the query came */
		ck_assert_uint_le(f.msg.lease_s, 600);
		ck_assert_uint_ge(f.msg.lease_s, 580);
		ck_assert(f.msg.has_cltt);
		ck_assert_uint_le(f.msg.cltt_s, 20);
		ck_assert_mem_eq(f.msg.server_id, srv, 4);
	}
	f = decode_ok(c.frame[5], c.len[5]);
	ck_assert_uint_eq(f.msg.type, DHCPLEASEUNKNOWN);
	ck_assert(!f.msg.has_lease);
	f = decode_ok(c.frame[7], c.len[7]);
	ck_assert_uint_eq(f.msg.type, DHCPLEASEUNASSIGNED);
	ck_assert(!f.msg.has_lease);
}
END_TEST

/* Our DHCPLEASEQUERY carries what scapy's (which dhcpd answered) carries. */
START_TEST(our_leasequery_matches_scapys)
{
	static struct capture c;
	struct dhcp_msg q, ours;
	uint8_t buf[600];
	const uint8_t gi[4] = {10, 100, 0, 9};
	load("dhcp-leasequery-isc-dhcpd.pcap", &c);
	for (int by_ip = 0; by_ip < 2; by_ip++) {
		struct dhcp_frame f = decode_ok(c.frame[2 * by_ip], c.len[2 * by_ip]);
		dhcp_leasequery(f.msg.xid, gi, vm_mac, by_ip ? lease_ip : NULL, &q);
		int n = dhcp_encode(&q, buf, sizeof(buf));
		ck_assert_int_eq(n, DHCP_MIN_LEN);
		ck_assert_int_eq(dhcp_decode(buf, (size_t)n, &ours), n);
		ck_assert_uint_eq(ours.op, f.msg.op);
		ck_assert_uint_eq(ours.xid, f.msg.xid);
		ck_assert_uint_eq(ours.type, f.msg.type);
		ck_assert_mem_eq(ours.giaddr, f.msg.giaddr, 4);
		ck_assert_mem_eq(ours.ciaddr, f.msg.ciaddr, 4);
		ck_assert_mem_eq(ours.chaddr, f.msg.chaddr, 16);
		ck_assert_uint_eq(ours.nprl, f.msg.nprl);
		ck_assert_mem_eq(ours.prl, f.msg.prl, f.msg.nprl);
		if (!by_ip) { /* scapy leaves htype/hlen at Ethernet defaults */
			ck_assert_uint_eq(ours.htype, 1);
			ck_assert_uint_eq(ours.hlen, 6);
		}
	}
}
END_TEST

/* --- layouts and round trips -------------------------------------------------- */

START_TEST(encode_layout_by_hand)
{
	struct dhcp_msg m = {.op = DHCP_BOOTREPLY,
	                     .htype = 1,
	                     .hlen = 6,
	                     .xid = 0x01020304,
	                     .type = DHCPLEASEACTIVE,
	                     .has_lease = true,
	                     .lease_s = 0x258,
	                     .has_cltt = true,
	                     .cltt_s = 7,
	                     .nassoc = 1};
	uint8_t buf[400];
	memcpy(m.ciaddr, lease_ip, 4);
	memcpy(m.chaddr, vm_mac, 6);
	memcpy(m.assoc[0], (uint8_t[]){10, 100, 0, 51}, 4);
	ck_assert_int_eq(dhcp_encode(&m, buf, sizeof(buf)), DHCP_MIN_LEN);
	ck_assert_mem_eq(buf, ((uint8_t[]){2, 1, 6, 0, 1, 2, 3, 4}), 8);
	ck_assert_mem_eq(buf + 12, lease_ip, 4);
	ck_assert_mem_eq(buf + 28, vm_mac, 6);
	ck_assert_mem_eq(buf + 236, ((uint8_t[]){0x63, 0x82, 0x53, 0x63}), 4);
	static const uint8_t opts[] = {53, 1, 13, 51, 4, 0,  0,   2, 0x58, 91,  4, 0,
	                               0,  0, 7,  92, 4, 10, 100, 0, 51,   255, 0};
	ck_assert_mem_eq(buf + 240, opts, sizeof(opts));
	ck_assert_int_eq(dhcp_encode(&m, buf, DHCP_MIN_LEN - 1), DHCP_E_NOSPACE);
	m.hlen = 17;
	ck_assert_int_eq(dhcp_encode(&m, buf, sizeof(buf)), DHCP_E_INVAL);
}
END_TEST

START_TEST(frame_round_trip_tagged_and_not)
{
	struct dhcp_frame in = {.sport = 67, .dport = 68}, out;
	uint8_t buf[700];
	memcpy(in.eth.src, ((uint8_t[]){0x02, 0, 0, 0, 0, 1}), 6);
	memcpy(in.eth.dst, vm_mac, 6);
	memcpy(in.ip_src, srv, 4);
	memcpy(in.ip_dst, lease_ip, 4);
	in.msg = (struct dhcp_msg){.op = DHCP_BOOTREPLY,
	                           .htype = 1,
	                           .hlen = 6,
	                           .xid = 77,
	                           .type = DHCPACK,
	                           .has_lease = true,
	                           .lease_s = 3600,
	                           .has_server_id = true};
	memcpy(in.msg.server_id, srv, 4);
	memcpy(in.msg.yiaddr, lease_ip, 4);
	memcpy(in.msg.chaddr, vm_mac, 6);
	for (int tag = 0; tag < 2; tag++) {
		in.eth.tagged = tag;
		in.eth.vid = tag ? 4094 : 0;
		in.eth.pcp = tag ? 7 : 0;
		int n = dhcp_frame_encode(&in, buf, sizeof(buf));
		ck_assert_int_eq(n, 14 + 4 * tag + 20 + 8 + DHCP_MIN_LEN);
		ck_assert_int_eq(dhcp_frame_decode(buf, (size_t)n, &out), n);
		ck_assert_uint_eq(out.eth.tagged, in.eth.tagged);
		ck_assert_uint_eq(out.eth.vid, in.eth.vid);
		ck_assert_uint_eq(out.eth.pcp, in.eth.pcp);
		ck_assert_uint_eq(out.sport, 67);
		ck_assert_uint_eq(out.dport, 68);
		ck_assert_mem_eq(out.ip_src, srv, 4);
		ck_assert_mem_eq(&out.msg, &in.msg, sizeof(in.msg));
		/* The UDP checksum we wrote verifies (RFC 1071 over the pseudo header). */
		uint8_t *ip = buf + 14 + 4 * tag, pseudo[12] = {0};
		memcpy(pseudo, ip + 12, 8);
		pseudo[9] = 17;
		pseudo[10] = (uint8_t)((n - 14 - 4 * tag - 20) >> 8);
		pseudo[11] = (uint8_t)(n - 14 - 4 * tag - 20);
		uint16_t s = (uint16_t)~pkt_csum(pseudo, 12, 0);
		ck_assert_uint_eq(pkt_csum(ip + 20, (size_t)n - 14 - 4 * tag - 20, s), 0);
	}
}
END_TEST

/* --- hostile input ---------------------------------------------------------- */

static uint8_t good[600];
static size_t good_len;

static void good_frame(void)
{
	static struct capture c;
	load("dhcp-udhcpc-isc-dhcpd.pcap", &c);
	memcpy(good, c.frame[3], c.len[3]); /* the ACK */
	good_len = c.len[3];
}

START_TEST(every_prefix_is_an_error)
{
	good_frame();
	for (size_t k = 0; k < good_len; k++) {
		struct dhcp_frame f;
		uint8_t *p = malloc(k ? k : 1); /* exact size: ASan sees an overread */
		memcpy(p, good, k);
		int rc = dhcp_frame_decode(p, k, &f);
		free(p);
		ck_assert_msg(rc < 0, "prefix %zu of %zu decoded (%d)", k, good_len, rc);
	}
}
END_TEST

START_TEST(malformations_named)
{
	struct dhcp_frame f;
	uint8_t b[600];
	good_frame();
	const size_t ip = 14, udp = 34, msg = 42;
#define MUT(stmt, want)                                                                            \
	do {                                                                                       \
		memcpy(b, good, good_len);                                                         \
		stmt;                                                                              \
		ck_assert_int_eq(dhcp_frame_decode(b, good_len, &f), want);                        \
	} while (0)
	MUT(b[12] = 0x86, PKT_E_NOT_IPV4);                   /* EtherType */
	MUT(b[ip] = 0x46, PKT_E_IP_HEADER);                  /* IHL without options: checksum */
	MUT(b[ip + 10] ^= 1, PKT_E_IP_HEADER);               /* header checksum */
	MUT((b[ip + 6] |= 0x20, b[ip + 10] = b[ip + 11] = 0, /* MF, checksum refreshed */
	     put_be16(b + ip + 10, pkt_csum(b + ip, 20, 0))),
	    PKT_E_FRAGMENT);
	MUT((b[ip + 9] = 6, b[ip + 10] = b[ip + 11] = 0, /* TCP */
	     put_be16(b + ip + 10, pkt_csum(b + ip, 20, 0))),
	    DHCP_E_NOT_DHCP);
	MUT(put_be16(b + udp, 53), DHCP_E_NOT_DHCP);       /* DNS */
	MUT(put_be16(b + udp + 4, 7), PKT_E_TRUNCATED);    /* UDP length < 8 */
	MUT(put_be16(b + udp + 4, 2000), PKT_E_TRUNCATED); /* UDP length > IP's */
	MUT(b[msg + 236] = 0, DHCP_E_MAGIC);
	MUT(b[msg + 2] = 17, DHCP_E_HLEN);
	MUT(b[msg + 241] = 2, DHCP_E_OPTION);                        /* message type of length 2 */
	MUT((b[msg + 243] = 51, b[msg + 244] = 200), DHCP_E_OPTION); /* overruns the message */
#undef MUT
	/* Unknown options are skipped by their length; a missing End is tolerated. */
	memcpy(b, good, good_len);
	ck_assert_int_eq(dhcp_decode(b + msg, good_len - msg, &f.msg), (int)(good_len - msg));
	ck_assert_str_eq(dhcp_type_name(DHCPLEASEUNASSIGNED), "DHCPLEASEUNASSIGNED");
	ck_assert_str_eq(dhcp_strerror(DHCP_E_MAGIC), "no DHCP magic cookie");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dhcp");
	TCase *t = tcase_create("captures");
	tcase_add_test(t, udhcpc_dhcpd_exchange);
	tcase_add_test(t, leasequery_answers_of_isc_dhcpd);
	tcase_add_test(t, our_leasequery_matches_scapys);
	suite_add_tcase(s, t);
	t = tcase_create("layout");
	tcase_add_test(t, encode_layout_by_hand);
	tcase_add_test(t, frame_round_trip_tagged_and_not);
	suite_add_tcase(s, t);
	t = tcase_create("hostile");
	tcase_add_test(t, every_prefix_is_an_error);
	tcase_add_test(t, malformations_named);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
