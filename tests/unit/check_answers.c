/* SPDX-License-Identifier: ISC */
/* Unit tests of "every decodable request gets an answer" (vdp-protocol(7)):
 * malformed VSI and Policy TLVs answered with the error, policy values and
 * unprogrammable policies refused at sync with their reason, and the one
 * programmability check the backend and the policy lists share.  Raw
 * VDPDUs in (libvdp's encoders refuse to write most of them), response
 * bytes, counters and recorded kernel ops out. */
#include <errno.h>

#include "core/vdpd.h"
#include "testutil.h"

static struct vdpd d;
static const uint64_t now_ns = 1000000000ull;

static void setup(void)
{
	struct conf c;
	char err[256];
	conf_defaults(&c);
	snprintf(c.bridge, sizeof(c.bridge), "br0");
	c.nports = 1;
	snprintf(c.ports[0].name, IFNAMSIZ, "p0");
	c.nranges = 1;
	c.pool[0] = (struct conf_range){100, 103};
	ck_assert_msg(vdpd_init(&d, &c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
}

static void teardown(void)
{
	vdpd_fini(&d);
}

/* The hex of a Manager ID TLV and of what follows it, sent on port 0; the
 * response's octets after the Manager ID in hex ("" when none). */
static const char *exchange(const char *tlvs_hex)
{
	static char out_hex[3000];
	uint8_t pdu[1024], out[1500];
	size_t n = tu_hex("0a10 6d677200000000000000000000000000", pdu, sizeof(pdu));
	n += tu_hex(tlvs_hex, pdu + n, sizeof(pdu) - n);
	size_t r = vdpd_handle_pdu(&d, 0, pdu, n, now_ns, out, sizeof(out));
	out_hex[0] = 0;
	if (r == 0)
		return out_hex;
	ck_assert_uint_gt(r, 18);
	for (size_t i = 18, o = 0; i < r; i++)
		o += (size_t)snprintf(out_hex + o, sizeof(out_hex) - o, "%02x", out[i]);
	return out_hex;
}

/* Hex without spaces, for comparing with exchange(). */
static const char *packed(const char *hex)
{
	static char buf[3000];
	size_t o = 0;
	for (; *hex; hex++)
		if (*hex != ' ')
			buf[o++] = *hex;
	buf[o] = 0;
	return buf;
}

static uint64_t count(enum reason r)
{
	return d.ports[0].counters[r];
}

static size_t kernel_ops(void)
{
	size_t n;
	backend_record_ops_log(&d.be, &n);
	return n;
}

/* --- VSI TLVs ---------------------------------------------------------- */

/* The fixed part of an Associate for VNID 10, VSI ...01 (UUID). */
#define VSI_HEAD(status, vfmt) status " 00000a 00 " vfmt " 00000000000000000000000000000001 "

static const struct {
	const char *name, *req, *resp;
	enum reason reason;
	int err;
} vsi_cases[] = {
    {"bad entry count", "0621" VSI_HEAD("00", "05") "02 0002 525400000001 0000",
     "0619" VSI_HEAD("51", "05") "02 0000", REASON_MALFORMED, VDP_E_COUNT},
    {"unknown filter format", "0621" VSI_HEAD("00", "05") "09 0001 525400000001 0000",
     "0619" VSI_HEAD("51", "05") "09 0000", REASON_MALFORMED, VDP_E_FILTER_FORMAT},
    {"unknown VSIID format", "0621" VSI_HEAD("00", "07") "02 0001 525400000001 0000",
     "0619" VSI_HEAD("51", "07") "02 0000", REASON_MALFORMED, VDP_E_VSIID_FORMAT},
    {"VID 4095", "0621" VSI_HEAD("00", "05") "02 0001 525400000001 0fff",
     "0619" VSI_HEAD("55", "05") "02 0000", REASON_VID_OUTSIDE_POOL, VDP_E_VID},
    {"reserved status bit", "0621" VSI_HEAD("80", "05") "02 0001 525400000001 0000",
     "0619" VSI_HEAD("51", "05") "02 0000", REASON_MALFORMED, VDP_E_STATUS},
};

START_TEST(malformed_vsi_answered)
{
	const char *got = exchange(vsi_cases[_i].req);
	ck_assert_msg(!strcmp(got, packed(vsi_cases[_i].resp)), "%s: got %s", vsi_cases[_i].name,
	              got);
	ck_assert_uint_eq(count(vsi_cases[_i].reason), 1);
	ck_assert_uint_eq(d.ports[0].rx_err[-vsi_cases[_i].err], 1);
	ck_assert_uint_eq(count(REASON_UNDECODABLE), 0);
	ck_assert_ptr_null(TAILQ_FIRST(&d.vsis));
	ck_assert_uint_eq(kernel_ops(), 0);
}
END_TEST

/* A malformed request for a VSI vdpd has: refused with KEEP, the VSI and
 * the kernel as they were. */
START_TEST(malformed_vsi_keeps_known_vsi)
{
	ck_assert_str_eq(exchange("0621" VSI_HEAD("00", "05") "02 0001 525400000001 0000"),
	                 packed("0621" VSI_HEAD("40", "05") "02 0001 525400000001 0064"));
	size_t ops = kernel_ops();
	ck_assert_str_eq(exchange("0621" VSI_HEAD("00", "05") "02 0002 525400000001 0000"),
	                 packed("0619" VSI_HEAD("71", "05") "02 0000"));
	struct vsi *v = TAILQ_FIRST(&d.vsis);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(v->state, VSI_ASSOC);
	ck_assert_uint_eq(v->filters[0].vid, 100);
	ck_assert_uint_eq(kernel_ops(), ops);
}
END_TEST

/* What cannot name its VSI, or is a response, is dropped and counted. */
START_TEST(unnameable_vsi_dropped)
{
	/* 24 octets of value: one short of the fixed part. */
	ck_assert_str_eq(exchange("0618" VSI_HEAD("00", "05") "02 00"), "");
	ck_assert_uint_eq(d.ports[0].rx_err[-VDP_E_TLV_LENGTH], 1);
	/* A malformed response (the station answering us). */
	ck_assert_str_eq(exchange("0621" VSI_HEAD("40", "05") "02 0002 525400000001 0000"), "");
	ck_assert_uint_eq(d.ports[0].rx_err[-VDP_E_COUNT], 1);
	ck_assert_uint_eq(count(REASON_UNDECODABLE), 2);
	ck_assert_uint_eq(count(REASON_MALFORMED), 0);
}
END_TEST

/* --- Policy TLVs: malformed --------------------------------------------- */

START_TEST(malformed_policy_answered)
{
	/* Reserved status bit, count past the entries, entry past the TLV. */
	ck_assert_str_eq(exchange("0c0c 80 00000a 00 0001 03 0002 05 2e"),
	                 packed("0c07 51 00000a 00 0000"));
	ck_assert_str_eq(exchange("0c0c 00 00000a 00 0002 03 0002 05 2e"),
	                 packed("0c07 51 00000a 00 0000"));
	ck_assert_str_eq(exchange("0e0c 00 00000a 00 0001 03 0003 05 2e"),
	                 packed("0e07 51 00000a 00 0000"));
	ck_assert_str_eq(exchange("100b 00 00000a 00 0001 00 0001 00"),
	                 packed("1007 51 00000a 00 0000"));
	ck_assert_uint_eq(count(REASON_MALFORMED), 4);
	ck_assert_uint_eq(d.ports[0].rx_err[-VDP_E_STATUS], 1);
	ck_assert_uint_eq(d.ports[0].rx_err[-VDP_E_COUNT], 1);
	ck_assert_uint_eq(d.ports[0].rx_err[-VDP_E_NESTED_OVERRUN], 1);
	ck_assert_uint_eq(d.ports[0].rx_err[-VDP_E_POLICY_INFO], 1);
	ck_assert_ptr_null(TAILQ_FIRST(&d.vnids));
	/* Too short to name the VNID: dropped. */
	ck_assert_str_eq(exchange("0c06 00 00000a 00 00"), "");
	ck_assert_uint_eq(count(REASON_UNDECODABLE), 1);
}
END_TEST

/* --- Policy TLVs: values, and what the kernel cannot program -------------- */

/* An ACL entry's 49 octets of info, written field by field. */
static const char *acl(unsigned proto, unsigned et, const char *src, const char *dst,
                       const char *ports)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "02 0031 01 02 %04x %02x %s %s %s", et, proto, src, dst, ports);
	return buf;
}

#define ANY    "00 00 00000000000000000000000000000000"
#define V4(x)  "04 " x "000000000000000000000000"
#define V6(x)  "06 " x
#define NOPORT "0000 0000 0000 0000"

static const struct {
	const char *name, *entries, *why;
	unsigned n;
	enum reason reason;
	uint8_t status;
} pol_cases[] = {
    {"rate 0", "01 0009 00 00000000 00000000", "rate 0", 1, REASON_POLICY_VALUE, 0x51},
    {"PCP 8", "03 0002 08 ff", "PCP 8 above 7", 1, REASON_POLICY_VALUE, 0x51},
    {"DSCP 64", "03 0002 ff 40", "DSCP 64 above 63", 1, REASON_POLICY_VALUE, 0x51},
    {"VLAN 4095", "07 0002 0fff", "VLAN 4095", 1, REASON_POLICY_VALUE, 0x51},
    {"duplicate bandwidth", "01 0009 00 00002710 00000000 01 0009 00 00004e20 00000000",
     "a second to-vm bandwidth entry (the first is entry 0)", 2, REASON_POLICY_VALUE, 0x51},
    {"duplicate QoS", "03 0002 ff 0a 03 0002 ff 0c", "a second qos entry", 2, REASON_POLICY_VALUE,
     0x51},
    /* Shown and not done would be worse: refused, the reason named. */
    {"PCP marking", "03 0002 03 0a", "PCP marking (pcp 3) is not supported", 1,
     REASON_POLICY_UNSUPPORTED, 0x54},
    {"unicast VN group", "04 0009 0000000a 04 0a000001", "10.0.0.1 is not a multicast", 1,
     REASON_POLICY_VALUE, 0x51},
    /* Bursts the kernel would change: htb's u32 of 64 ns ticks ("burst
     * 0b"), less than its 1 us, nftables limit's 64-bit arithmetic. */
    {"to-VM burst beyond htb", "01 0009 00 00002710 ffffffff",
     "burst 4294967295 octets lasts more than the 274 s htb holds at 10000 kbit/s (at most "
     "343597382)",
     1, REASON_POLICY_VALUE, 0x51},
    {"to-VM burst under 1 us", "01 0009 00 00989680 00000001", "lasts less than the 1 us", 1,
     REASON_POLICY_VALUE, 0x51},
    {"from-VM rate beyond nftables", "01 0009 01 ffffffff 00000000",
     "is more than nftables' limit holds", 1, REASON_POLICY_VALUE, 0x51},
};

/* Sends a Policy Sync for VNID 10 with entries; returns the answer. */
static const char *sync_with(const char *entries, unsigned n, const char *type)
{
	static char tlv[1024];
	uint8_t tmp[600];
	size_t len = 7 + tu_hex(entries, tmp, sizeof(tmp));
	snprintf(tlv, sizeof(tlv), "%04x 00 00000a 00 %04x %s",
	         (unsigned)(strtoul(type, NULL, 16) << 9 | len), n, entries);
	return exchange(tlv);
}

START_TEST(policy_values_refused)
{
	const char *got = sync_with(pol_cases[_i].entries, pol_cases[_i].n, "6");
	char want[32];
	snprintf(want, sizeof(want), "0c07%02x00000a000000", pol_cases[_i].status);
	ck_assert_msg(!strcmp(got, want), "%s: got %s", pol_cases[_i].name, got);
	ck_assert_uint_eq(count(pol_cases[_i].reason), 1);
	ck_assert_ptr_null(TAILQ_FIRST(&d.vnids));
	ck_assert_uint_eq(kernel_ops(), 0);
	/* The check says which entry and why. */
	static uint8_t buf[600];
	static struct vdp_policy p;
	size_t n = tu_hex(pol_cases[_i].entries, buf, sizeof(buf));
	char tlv[1024];
	snprintf(tlv, sizeof(tlv), "0c%02zx 00 00000a 00 %04x %s", 7 + n, pol_cases[_i].n,
	         pol_cases[_i].entries);
	n = tu_hex(tlv, buf, sizeof(buf));
	ck_assert_int_eq(vdp_policy_decode_unchecked(buf, n, &p), (int)n);
	char why[256];
	ck_assert_int_eq(policy_check(&p, why, sizeof(why)), pol_cases[_i].reason);
	ck_assert_msg(strstr(why, pol_cases[_i].why), "%s: %s", pol_cases[_i].name, why);
}
END_TEST

static const struct {
	const char *name, *why;
	unsigned proto, et;
	const char *src, *dst, *ports;
	enum reason reason;
	uint8_t status;
} acl_cases[] = {
    {"IPv4 prefix with host bits", "source prefix 10.1.2.3/8 has bits set", 6, 0, V4("08 0a010203"),
     ANY, "0000 0000 0050 0050", REASON_POLICY_VALUE, 0x51},
    {"IPv4 prefix length 33", "length 33 above 32", 6, 0, ANY, V4("21 0a000000"), NOPORT,
     REASON_POLICY_VALUE, 0x51},
    {"IPv6 prefix length 129", "length 129 above 128", 0, 0,
     V6("81 20010db8000000000000000000000000"), ANY, NOPORT, REASON_POLICY_VALUE, 0x51},
    {"ports backwards", "destination ports 443-80 backwards", 6, 0, ANY, ANY, "0000 0000 01bb 0050",
     REASON_POLICY_VALUE, 0x51},
    {"ports without a protocol", "ports need proto tcp, udp, sctp or dccp, not 0", 0, 0, ANY, ANY,
     "0000 0000 0050 0050", REASON_POLICY_UNSUPPORTED, 0x54},
    {"ICMP with ports", "ports need proto tcp, udp, sctp or dccp, not 1", 1, 0, ANY, ANY,
     "0000 0000 0050 0050", REASON_POLICY_UNSUPPORTED, 0x54},
    {"IPv4 ethertype, IPv6 prefix", "ethertype 0x0800 with an IPv6 prefix", 0, 0x0800,
     V6("20 20010db8000000000000000000000000"), ANY, NOPORT, REASON_POLICY_UNSUPPORTED, 0x54},
    {"IPv6 ethertype, IPv4 prefix", "ethertype 0x86dd with an IPv4 prefix", 0, 0x86dd, ANY,
     V4("18 0a000000"), NOPORT, REASON_POLICY_UNSUPPORTED, 0x54},
    {"IPv4 source, IPv6 destination", "source prefix IPv4, destination IPv6", 0, 0,
     V4("18 0a000000"), V6("20 20010db8000000000000000000000000"), NOPORT,
     REASON_POLICY_UNSUPPORTED, 0x54},
};

START_TEST(acl_refused)
{
	const char *e = acl(acl_cases[_i].proto, acl_cases[_i].et, acl_cases[_i].src,
	                    acl_cases[_i].dst, acl_cases[_i].ports);
	char entry[256];
	snprintf(entry, sizeof(entry), "%s", e);
	const char *got = sync_with(entry, 1, "6");
	char want[32];
	snprintf(want, sizeof(want), "0c07%02x00000a000000", acl_cases[_i].status);
	ck_assert_msg(!strcmp(got, want), "%s: got %s", acl_cases[_i].name, got);
	ck_assert_uint_eq(count(acl_cases[_i].reason), 1);
	ck_assert_ptr_null(TAILQ_FIRST(&d.vnids));
	/* The same entry through policy_check(), for its words. */
	static uint8_t buf[600];
	static struct vdp_policy p;
	char tlv[512];
	snprintf(tlv, sizeof(tlv), "0c3b 00 00000a 00 0001 %s", entry);
	size_t n = tu_hex(tlv, buf, sizeof(buf));
	ck_assert_int_eq(vdp_policy_decode_unchecked(buf, n, &p), (int)n);
	char why[256];
	ck_assert_int_eq(policy_check(&p, why, sizeof(why)), acl_cases[_i].reason);
	ck_assert_msg(strstr(why, acl_cases[_i].why), "%s: %s", acl_cases[_i].name, why);
	ck_assert_msg(strstr(why, "entry 0 (acl)"), "%s", why);
}
END_TEST

/* What the backend can program passes, and is programmed on Associate. */
START_TEST(programmable_policy_taken)
{
	char entries[512], want[600];
	snprintf(entries, sizeof(entries), "%s 01 0009 00 00002710 00000000 03 0002 ff 0a",
	         acl(17, 0, ANY, V4("18 0a000000"), "0000 0000 0035 0035"));
	snprintf(want, sizeof(want), "0c4c 40 00000a 00 0003 %s", entries);
	ck_assert_str_eq(sync_with(entries, 3, "6"), packed(want));
	exchange("0621" VSI_HEAD("00", "05") "02 0001 525400000001 0000");
	ck_assert_ptr_nonnull(TAILQ_FIRST(&d.vsis));
	ck_assert_uint_ge(kernel_ops(), 4); /* VLAN, guard, ACL, rate, QoS */
	ck_assert_uint_eq(count(REASON_KERNEL), 0);
}
END_TEST

/* An Update with a bad value leaves the synced list as it was (KEEP). */
START_TEST(bad_update_keeps_list)
{
	ck_assert_str_eq(sync_with("03 0002 ff 0a", 1, "6"),
	                 packed("0c0c 40 00000a 00 0001 03 0002 ff 0a"));
	ck_assert_str_eq(sync_with("03 0002 ff 40", 1, "7"), packed("0e07 71 00000a 00 0000"));
	const struct vnid *n = vdpd_vnid_find(&d, 10);
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(n->policy.entries[0].u.qos.dscp, 10);
	ck_assert_uint_eq(count(REASON_POLICY_VALUE), 1);
}
END_TEST

/* --- one check for the backend and the policy lists ----------------------- */

/* For every ACL case, the backend refuses the op the entry would make iff
 * the policy lists refuse the entry as unprogrammable: they cannot drift. */
START_TEST(backend_and_policy_agree)
{
	static uint8_t buf[600];
	static struct vdp_policy p;
	char tlv[512], why[160];
	snprintf(tlv, sizeof(tlv), "0c3b 00 00000a 00 0001 %s",
	         acl(acl_cases[_i].proto, acl_cases[_i].et, acl_cases[_i].src, acl_cases[_i].dst,
	             acl_cases[_i].ports));
	size_t n = tu_hex(tlv, buf, sizeof(buf));
	ck_assert_int_eq(vdp_policy_decode_unchecked(buf, n, &p), (int)n);
	struct kop op;
	memset(&op, 0, sizeof(op));
	op.kind = KOP_ACL_ADD;
	snprintf(op.port, sizeof(op.port), "p0");
	op.u.acl = p.entries[0].u.acl;
	struct backend_err err;
	int rc = backend_apply(&d.be, &op, 1, &err);
	bool unsupported = acl_cases[_i].reason == REASON_POLICY_UNSUPPORTED;
	ck_assert_int_eq(rc, unsupported ? -EINVAL : 0);
	ck_assert_int_eq(kprog_entry_check(&p.entries[0], why, sizeof(why)),
	                 unsupported ? -EINVAL : 0);
	if (unsupported)
		ck_assert_msg(strstr(err.msg, why), "%s / %s", err.msg, why);
}
END_TEST

START_TEST(backend_refuses_other_values)
{
	struct kop op;
	struct backend_err err;
	memset(&op, 0, sizeof(op));
	snprintf(op.port, sizeof(op.port), "p0");
	op.kind = KOP_RATE_SET;
	op.u.bw.dir = VDP_DIR_TO_VM;
	ck_assert_int_eq(backend_apply(&d.be, &op, 1, &err), -EINVAL); /* rate 0 */
	ck_assert_ptr_nonnull(strstr(err.msg, "rate 0"));
	op.u.bw.rate_kbps = 1000;
	op.u.bw.dir = VDP_DIR_BOTH;
	ck_assert_int_eq(backend_apply(&d.be, &op, 1, &err), -EINVAL);
	op.kind = KOP_QOS_SET;
	op.u.qos = (struct vdp_pol_qos){VDP_QOS_UNSET, 64};
	ck_assert_int_eq(backend_apply(&d.be, &op, 1, &err), -EINVAL);
	op.kind = KOP_VLAN_ADD;
	op.vid = 0;
	ck_assert_int_eq(backend_apply(&d.be, &op, 1, &err), -EINVAL);
	op.vid = 4095;
	ck_assert_int_eq(backend_apply(&d.be, &op, 1, &err), -EINVAL);
	op.vid = 100;
	ck_assert_int_eq(backend_apply(&d.be, &op, 1, &err), 0);
	ck_assert_uint_eq(kernel_ops(), 1); /* only the good one */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("answers");
	TCase *t = tcase_create("vsi");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, malformed_vsi_answered, 0, sizeof(vsi_cases) / sizeof(vsi_cases[0]));
	tcase_add_test(t, malformed_vsi_keeps_known_vsi);
	tcase_add_test(t, unnameable_vsi_dropped);
	suite_add_tcase(s, t);

	t = tcase_create("policy");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, malformed_policy_answered);
	tcase_add_loop_test(t, policy_values_refused, 0, sizeof(pol_cases) / sizeof(pol_cases[0]));
	tcase_add_loop_test(t, acl_refused, 0, sizeof(acl_cases) / sizeof(acl_cases[0]));
	tcase_add_test(t, programmable_policy_taken);
	tcase_add_test(t, bad_update_keeps_list);
	suite_add_tcase(s, t);

	t = tcase_create("one_check");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, backend_and_policy_agree, 0,
	                    sizeof(acl_cases) / sizeof(acl_cases[0]));
	tcase_add_test(t, backend_refuses_other_values);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
