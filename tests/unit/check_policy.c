/* SPDX-License-Identifier: ISC */
/* Unit tests: the Policy Sync / Update / Remove TLVs (types 6, 7, 8; our
 * VNID-policy extension) and every policy entry type. */
#include "testutil.h"

/* --- entries used throughout, with their wire form by hand ------------- */

static struct vdp_policy_entry e_none(void)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = VDP_POL_NONE;
	return e;
}
#define HEX_NONE "00 0000"

static struct vdp_policy_entry e_bw(void)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = VDP_POL_BANDWIDTH;
	e.u.bw.dir = VDP_DIR_FROM_VM;
	e.u.bw.rate_kbps = 100000;
	e.u.bw.burst = 65536;
	return e;
}
#define HEX_BW "01 0009 01 000186a0 00010000"

/* permit from the VM, IPv4 TCP, 10.0.0.0/24 to any, dport 80-443 */
static struct vdp_policy_entry e_acl4(void)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = VDP_POL_ACL;
	e.u.acl.action = VDP_ACL_PERMIT;
	e.u.acl.dir = VDP_DIR_FROM_VM;
	e.u.acl.ethertype = 0x0800;
	e.u.acl.ip_proto = 6;
	e.u.acl.src.family = 4;
	e.u.acl.src.plen = 24;
	e.u.acl.src.addr[0] = 10;
	e.u.acl.dst.family = 0;
	e.u.acl.dport_lo = 80;
	e.u.acl.dport_hi = 443;
	return e;
}
#define HEX_ACL4                                                                                   \
	"02 0031 01 01 0800 06"                                                                    \
	" 04 18 0a000000000000000000000000000000"                                                  \
	" 00 00 00000000000000000000000000000000"                                                  \
	" 0000 0000 0050 01bb"

/* deny both ways, IPv6 UDP, 2001:db8:1::/64 port 53 to ::1/128 ports 1024-65535 */
static struct vdp_policy_entry e_acl6(void)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = VDP_POL_ACL;
	e.u.acl.action = VDP_ACL_DENY;
	e.u.acl.dir = VDP_DIR_BOTH;
	e.u.acl.ethertype = 0x86dd;
	e.u.acl.ip_proto = 17;
	e.u.acl.src.family = 6;
	e.u.acl.src.plen = 64;
	tu_hex("20010db8000100000000000000000000", e.u.acl.src.addr, 16);
	e.u.acl.dst.family = 6;
	e.u.acl.dst.plen = 128;
	e.u.acl.dst.addr[15] = 1;
	e.u.acl.sport_lo = 53;
	e.u.acl.sport_hi = 53;
	e.u.acl.dport_lo = 1024;
	e.u.acl.dport_hi = 65535;
	return e;
}
#define HEX_ACL6                                                                                   \
	"02 0031 00 02 86dd 11"                                                                    \
	" 06 40 20010db8000100000000000000000000"                                                  \
	" 06 80 00000000000000000000000000000001"                                                  \
	" 0035 0035 0400 ffff"

static struct vdp_policy_entry e_qos(uint8_t pcp, uint8_t dscp)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = VDP_POL_QOS;
	e.u.qos.pcp = pcp;
	e.u.qos.dscp = dscp;
	return e;
}
#define HEX_QOS       "03 0002 05 2e" /* PCP 5, DSCP 46 (EF) */
#define HEX_QOS_UNSET "03 0002 ff ff"

static struct vdp_policy_entry e_vn4(void)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = VDP_POL_VN;
	e.u.vn.vnid = 0x00123456;
	e.u.vn.family = 4;
	tu_hex("ef010101", e.u.vn.mcast, 4); /* 239.1.1.1 */
	return e;
}
#define HEX_VN4 "04 0009 00123456 04 ef010101"

static struct vdp_policy_entry e_vn6(void)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = VDP_POL_VN;
	e.u.vn.vnid = 0xfedcba98;
	e.u.vn.family = 6;
	tu_hex("ff0e0000000000000000000000000001", e.u.vn.mcast, 16); /* ff0e::1 */
	return e;
}
#define HEX_VN6 "04 0015 fedcba98 06 ff0e0000000000000000000000000001"

static struct vdp_policy_entry e_snoop(uint8_t type, bool on)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = type;
	e.u.enable = on;
	return e;
}
#define HEX_DHCP_ON  "05 0001 01"
#define HEX_IGMP_OFF "06 0001 00"

static struct vdp_policy_entry e_vlan(uint16_t vid)
{
	struct vdp_policy_entry e;
	memset(&e, 0, sizeof(e));
	e.type = VDP_POL_VLAN;
	e.u.vid = vid;
	return e;
}
#define HEX_VLAN_100 "07 0002 0064"
#define HEX_VLAN_ANY "07 0002 0000" /* 0: the switch chooses */

static void make_policy(struct vdp_policy *p, uint8_t type, uint8_t status, uint32_t vnid)
{
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->status = status;
	p->vnid = vnid;
}

static void add(struct vdp_policy *p, struct vdp_policy_entry e)
{
	p->entries[p->nentries++] = e;
}

/* Encode, decode from an exact-size copy, compare, re-encode identically.
 * Returns the encoded length; the encoding is left in *out if given. */
static int roundtrip(const struct vdp_policy *p, uint8_t *out)
{
	static uint8_t buf[2 + VDP_TLV_MAX_LEN + 16], again[sizeof(buf)];
	static struct vdp_policy d;

	int r = vdp_policy_encode(p, buf, sizeof(buf));
	ck_assert_msg(r > 0, "encode: %d (%s)", r, vdp_err_name(r));
	ck_assert_uint_eq(tu_be16(buf) >> 9, p->type);
	ck_assert_uint_eq(tu_be16(buf) & 0x1ff, (unsigned)r - 2);
	ck_assert_uint_eq(buf[2], p->status);
	ck_assert_uint_eq((uint32_t)buf[6] << 24 | (uint32_t)buf[3] << 16 | (uint32_t)buf[4] << 8 |
	                      buf[5],
	                  p->vnid);
	ck_assert_uint_eq(tu_be16(buf + 7), p->nentries);

	uint8_t *c = tu_dup(buf, (size_t)r);
	memset(&d, 0x5A, sizeof(d));
	int rd = vdp_policy_decode(c, (size_t)r, &d);
	free(c);
	ck_assert_msg(rd == r, "decode %d (%s), want %d", rd, vdp_err_name(rd), r);
	tu_assert_policy_eq(&d, p);
	ck_assert_int_eq(vdp_policy_encode(&d, again, sizeof(again)), r);
	tu_assert_bytes(again, (size_t)r, buf, (size_t)r);
	if (out)
		memcpy(out, buf, (size_t)r);
	return r;
}

/* --- each entry type alone, in each TLV type, with its exact bytes -------- */

static const uint8_t pol_types[] = {VDP_TLV_POLICY_SYNC, VDP_TLV_POLICY_UPDATE,
                                    VDP_TLV_POLICY_REMOVE};

static const struct {
	const char *name;
	const char *hex;
} entry_hex[] = {
    {"none", HEX_NONE},           {"bandwidth", HEX_BW},      {"acl-v4", HEX_ACL4},
    {"acl-v6", HEX_ACL6},         {"qos", HEX_QOS},           {"qos-unset", HEX_QOS_UNSET},
    {"vn-v4", HEX_VN4},           {"vn-v6", HEX_VN6},         {"dhcp-snoop", HEX_DHCP_ON},
    {"igmp-snoop", HEX_IGMP_OFF}, {"vlan-100", HEX_VLAN_100}, {"vlan-any", HEX_VLAN_ANY},
};

static struct vdp_policy_entry entry_n(size_t i)
{
	switch (i) {
	case 0:
		return e_none();
	case 1:
		return e_bw();
	case 2:
		return e_acl4();
	case 3:
		return e_acl6();
	case 4:
		return e_qos(5, 46);
	case 5:
		return e_qos(VDP_QOS_UNSET, VDP_QOS_UNSET);
	case 6:
		return e_vn4();
	case 7:
		return e_vn6();
	case 8:
		return e_snoop(VDP_POL_DHCP_SNOOP, true);
	case 9:
		return e_snoop(VDP_POL_IGMP_SNOOP, false);
	case 10:
		return e_vlan(100);
	default:
		return e_vlan(0);
	}
}
#define NENTRY_KINDS (sizeof(entry_hex) / sizeof(entry_hex[0]))

/* _i enumerates TLV type x entry kind. */
START_TEST(test_entry_layout)
{
	static struct vdp_policy p;
	uint8_t enc[600], want[600], hdr[16];
	char fixed[64];
	uint8_t type = pol_types[_i / NENTRY_KINDS];
	size_t k = _i % NENTRY_KINDS;

	make_policy(&p, type, 0, 0x01abcdef);
	add(&p, entry_n(k));
	int r = roundtrip(&p, enc);

	/* header + fixed part: status 0, Type ID abcdef, version 01, count 1 */
	size_t elen = tu_hex(entry_hex[k].hex, want + 9, sizeof(want) - 9);
	snprintf(fixed, sizeof(fixed), "%04x 00 abcdef 01 0001",
	         (unsigned)(type << 9 | (7 + elen)));
	ck_assert_uint_eq(tu_hex(fixed, hdr, sizeof(hdr)), 9);
	memcpy(want, hdr, 9);
	ck_assert_msg(r == (int)(9 + elen), "%s: length %d, want %zu", entry_hex[k].name, r,
	              9 + elen);
	tu_assert_bytes(enc, (size_t)r, want, 9 + elen);
}
END_TEST

START_TEST(test_sync_layout)
{
	/* A whole Policy Sync written out by hand. */
	static struct vdp_policy p;
	uint8_t enc[64];
	make_policy(&p, VDP_TLV_POLICY_SYNC, 0, 0x01abcdef);
	add(&p, e_qos(5, 46));
	int r = vdp_policy_encode(&p, enc, sizeof(enc));
	tu_assert_hex(r, enc, "0c0c 00 abcdef 01 0001 03 0002 05 2e");

	/* Remove response, failure, no entries */
	make_policy(&p, VDP_TLV_POLICY_REMOVE, VDP_RESP | VDP_RESP_HARD | VDP_ST_OTHER_FAILURE,
	            0x00000005);
	r = vdp_policy_encode(&p, enc, sizeof(enc));
	tu_assert_hex(r, enc, "1007 54 000005 00 0000");
	roundtrip(&p, NULL);

	/* Update with a 32-bit VNID */
	make_policy(&p, VDP_TLV_POLICY_UPDATE, 0, 0xffffffff);
	add(&p, e_snoop(VDP_POL_DHCP_SNOOP, true));
	r = vdp_policy_encode(&p, enc, sizeof(enc));
	tu_assert_hex(r, enc, "0e0b 00 ffffff ff 0001 05 0001 01");
}
END_TEST

START_TEST(test_all_kinds_together)
{
	static struct vdp_policy p;
	for (size_t t = 0; t < 3; t++) {
		for (unsigned st = 0; st < 3; st++) {
			static const uint8_t statuses[] = {
			    0, VDP_RESP, VDP_RESP | VDP_RESP_KEEP | VDP_ST_INSUFFICIENT_RESOURCES};
			make_policy(&p, pol_types[t], statuses[st], 0x00c0ffee);
			for (size_t k = 0; k < NENTRY_KINDS; k++)
				add(&p, entry_n(k));
			int r = roundtrip(&p, NULL);
			ck_assert_int_eq(r, 2 + 7 + 3 + 12 + 52 + 52 + 5 + 5 + 12 + 24 + 4 + 4 + 5 +
			                        5);
		}
	}
}
END_TEST

START_TEST(test_field_extremes)
{
	static struct vdp_policy p;
	struct vdp_policy_entry e;

	make_policy(&p, VDP_TLV_POLICY_SYNC, 0, 0);
	e = e_bw();
	e.u.bw.dir = VDP_DIR_TO_VM;
	e.u.bw.rate_kbps = 1;
	e.u.bw.burst = 0;
	add(&p, e);
	e.u.bw.rate_kbps = 0xffffffff;
	e.u.bw.burst = 0xffffffff;
	add(&p, e);
	add(&p, e_qos(0, 0));
	add(&p, e_qos(7, 63));
	add(&p, e_qos(VDP_QOS_UNSET, 10));
	add(&p, e_qos(3, VDP_QOS_UNSET));
	e = e_acl4();
	e.u.acl.src.plen = 32;
	e.u.acl.dst.family = 4;
	e.u.acl.dst.plen = 0;
	e.u.acl.sport_lo = 0;
	e.u.acl.sport_hi = 65535;
	add(&p, e);
	e = e_acl6();
	e.u.acl.src.plen = 0;
	e.u.acl.ethertype = 0;
	e.u.acl.ip_proto = 0;
	e.u.acl.dir = VDP_DIR_TO_VM;
	add(&p, e);
	e = e_vn4();
	e.u.vn.vnid = 0;
	add(&p, e);
	add(&p, e_snoop(VDP_POL_IGMP_SNOOP, true));
	add(&p, e_snoop(VDP_POL_DHCP_SNOOP, false));
	add(&p, e_vlan(VDP_VID_MAX));
	add(&p, e_vlan(1));
	roundtrip(&p, NULL);
}
END_TEST

START_TEST(test_max_entries)
{
	static struct vdp_policy p;
	make_policy(&p, VDP_TLV_POLICY_SYNC, 0, 42);
	for (unsigned i = 0; i < VDP_MAX_POLICIES; i++)
		add(&p, e_qos((uint8_t)(i % 8), (uint8_t)i));
	ck_assert_int_eq(roundtrip(&p, NULL), 2 + 7 + 5 * VDP_MAX_POLICIES);
}
END_TEST

/* --- unknown types are skipped ------------------------------------------- */

static int decode_hex(const char *hex, struct vdp_policy *d)
{
	static uint8_t buf[1024];
	size_t n = tu_hex(hex, buf, sizeof(buf));
	uint8_t *c = tu_dup(buf, n);
	memset(d, 0x77, sizeof(*d));
	int r = vdp_policy_decode(c, n, d);
	free(c);
	return r;
}

START_TEST(test_unknown_type_skipped)
{
	static struct vdp_policy d;
	struct vdp_policy_entry q = e_qos(5, 46);

	/* type 0x42 with 5 octets of info, then a QoS entry */
	ck_assert_int_eq(
	    decode_hex("0c14 00 abcdef 01 0002 | 42 0005 0102030405 | 03 0002 05 2e", &d), 22);
	ck_assert_uint_eq(d.type, VDP_TLV_POLICY_SYNC);
	ck_assert_uint_eq(d.vnid, 0x01abcdef);
	ck_assert_uint_eq(d.nentries, 1);
	ck_assert_uint_eq(d.nskipped, 1);
	tu_assert_policy_entry_eq(&d.entries[0], &q);

	/* unknown first with no info, unknown last */
	ck_assert_int_eq(decode_hex("0e15 40 000001 00 0003 | 7f 0000 | 03 0002 05 2e |"
	                            " ff 0003 aabbcc",
	                            &d),
	                 23);
	ck_assert_uint_eq(d.status, VDP_RESP);
	ck_assert_uint_eq(d.nentries, 1);
	ck_assert_uint_eq(d.nskipped, 2);
	tu_assert_policy_entry_eq(&d.entries[0], &q);

	/* 32 known entries and one unknown: the limit is on kept entries */
	{
		char hex[1024];
		size_t o = 0;
		o += (size_t)snprintf(hex + o, sizeof(hex) - o, "%04x 00 000001 00 %04x 42 0001 ee",
		                      VDP_TLV_POLICY_SYNC << 9 | (7 + 4 + 3 * VDP_MAX_POLICIES),
		                      VDP_MAX_POLICIES + 1);
		for (int i = 0; i < VDP_MAX_POLICIES; i++)
			o += (size_t)snprintf(hex + o, sizeof(hex) - o, " 00 0000");
		ck_assert_int_eq(decode_hex(hex, &d), 2 + 7 + 4 + 3 * VDP_MAX_POLICIES);
		ck_assert_uint_eq(d.nentries, VDP_MAX_POLICIES);
		ck_assert_uint_eq(d.nskipped, 1);
	}
}
END_TEST

/* --- malformed input ------------------------------------------------------ */

START_TEST(test_decode_errors)
{
	static struct vdp_policy d;
	static uint8_t buf[600];

	/* every proper prefix of a TLV with all entry kinds */
	{
		static struct vdp_policy p;
		make_policy(&p, VDP_TLV_POLICY_SYNC, 0, 0x00c0ffee);
		for (size_t k = 0; k < NENTRY_KINDS; k++)
			add(&p, entry_n(k));
		int r = vdp_policy_encode(&p, buf, sizeof(buf));
		ck_assert_int_gt(r, 0);
		TU_CHECK_PREFIXES(vdp_policy_decode, struct vdp_policy, buf, (size_t)r,
		                  tu_vdp_prefix_err);
	}

	/* fixed part shorter than 7 */
	ck_assert_int_eq(decode_hex("0c06 00 abcdef 01 00", &d), VDP_E_TLV_LENGTH);
	ck_assert_int_eq(decode_hex("0c00", &d), VDP_E_TLV_LENGTH);
	/* not a policy TLV */
	ck_assert_int_eq(decode_hex("060c 00 abcdef 01 0001 03 0002 05 2e", &d), VDP_E_TLV_TYPE);
	ck_assert_int_eq(decode_hex("120c 00 abcdef 01 0001 03 0002 05 2e", &d), VDP_E_TLV_TYPE);
	/* reserved status bit */
	ck_assert_int_eq(decode_hex("0c0c 80 abcdef 01 0001 03 0002 05 2e", &d), VDP_E_STATUS);

	/* entry info length past the TLV (known and unknown types), and an
	 * entry header cut by the TLV's end */
	ck_assert_int_eq(decode_hex("0c0c 00 abcdef 01 0001 03 0003 05 2e", &d),
	                 VDP_E_NESTED_OVERRUN);
	ck_assert_int_eq(decode_hex("0c0c 00 abcdef 01 0001 42 00ff 05 2e", &d),
	                 VDP_E_NESTED_OVERRUN);
	ck_assert_int_eq(decode_hex("0c11 00 abcdef 01 0002 03 0002 05 2e 42 0003 05 2e", &d),
	                 VDP_E_NESTED_OVERRUN);
	/* an entry header cut by the TLV's end: the count promises an entry
	 * the length has no room for */
	ck_assert_int_eq(decode_hex("0c09 00 abcdef 01 0001 03 00", &d), VDP_E_COUNT);

	/* count inconsistent with the length: too many, too few */
	ck_assert_int_eq(decode_hex("0c0c 00 abcdef 01 0002 03 0002 05 2e", &d), VDP_E_COUNT);
	ck_assert_int_eq(decode_hex("0c0c 00 abcdef 01 0000 03 0002 05 2e", &d), VDP_E_COUNT);
	ck_assert_int_eq(decode_hex("0c11 00 abcdef 01 0001 03 0002 05 2e 03 0002 05 2e", &d),
	                 VDP_E_COUNT);

	/* known type, wrong info length */
	ck_assert_int_eq(decode_hex("0c0d 00 abcdef 01 0001 03 0003 05 2e 00", &d),
	                 VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c0b 00 abcdef 01 0001 03 0001 05", &d), VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c12 00 abcdef 01 0001 01 0008 01 000186a0 000100", &d),
	                 VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c0b 00 abcdef 01 0001 00 0001 00", &d), VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c0c 00 abcdef 01 0001 05 0002 01 00", &d), VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c0a 00 abcdef 01 0001 06 0000", &d), VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c14 00 abcdef 01 0001 04 000a 00123456 04 ef010101 00", &d),
	                 VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c13 00 abcdef 01 0001 04 0009 00123456 06 ef010101", &d),
	                 VDP_E_POLICY_INFO); /* family 6 needs 21 octets */
	ck_assert_int_eq(decode_hex("0c0b 00 abcdef 01 0001 07 0001 64", &d), VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c0d 00 abcdef 01 0001 07 0003 000064", &d),
	                 VDP_E_POLICY_INFO);
	ck_assert_int_eq(decode_hex("0c3a 00 abcdef 01 0001 02 0030 01 01 0800 06"
	                            " 04 18 0a000000000000000000000000000000"
	                            " 00 00 00000000000000000000000000000000 0000 0000 0050 01",
	                            &d),
	                 VDP_E_POLICY_INFO);

	/* out-of-range values */
	ck_assert_int_eq(decode_hex("0c0c 00 abcdef 01 0001 03 0002 08 2e", &d),
	                 VDP_E_POLICY_VALUE); /* PCP 8 */
	ck_assert_int_eq(decode_hex("0c0c 00 abcdef 01 0001 03 0002 05 40", &d),
	                 VDP_E_POLICY_VALUE); /* DSCP 64 */
	ck_assert_int_eq(decode_hex("0c13 00 abcdef 01 0001 01 0009 02 000186a0 00010000", &d),
	                 VDP_E_POLICY_VALUE); /* bandwidth direction 2 */
	ck_assert_int_eq(decode_hex("0c13 00 abcdef 01 0001 01 0009 01 00000000 00010000", &d),
	                 VDP_E_POLICY_VALUE); /* bandwidth rate 0 */
	ck_assert_int_eq(decode_hex("0c3b 00 abcdef 01 0001 02 0031 01 01 0800 06"
	                            " 04 21 0a000000000000000000000000000000"
	                            " 00 00 00000000000000000000000000000000 0000 0000 0050 01bb",
	                            &d),
	                 VDP_E_POLICY_VALUE); /* IPv4 prefix length 33 */
	ck_assert_int_eq(decode_hex("0c3b 00 abcdef 01 0001 02 0031 00 02 86dd 11"
	                            " 06 81 20010db8000100000000000000000000"
	                            " 06 80 00000000000000000000000000000001 0035 0035 0400 ffff",
	                            &d),
	                 VDP_E_POLICY_VALUE); /* IPv6 prefix length 129 */
	ck_assert_int_eq(decode_hex("0c3b 00 abcdef 01 0001 02 0031 01 01 0800 06"
	                            " 05 18 0a000000000000000000000000000000"
	                            " 00 00 00000000000000000000000000000000 0000 0000 0050 01bb",
	                            &d),
	                 VDP_E_POLICY_VALUE); /* address family 5 */
	ck_assert_int_eq(decode_hex("0c3b 00 abcdef 01 0001 02 0031 01 03 0800 06"
	                            " 04 18 0a000000000000000000000000000000"
	                            " 00 00 00000000000000000000000000000000 0000 0000 0050 01bb",
	                            &d),
	                 VDP_E_POLICY_VALUE); /* direction 3 */
	ck_assert_int_eq(decode_hex("0c3b 00 abcdef 01 0001 02 0031 02 01 0800 06"
	                            " 04 18 0a000000000000000000000000000000"
	                            " 00 00 00000000000000000000000000000000 0000 0000 0050 01bb",
	                            &d),
	                 VDP_E_POLICY_VALUE); /* action 2 */
	ck_assert_int_eq(decode_hex("0c13 00 abcdef 01 0001 04 0009 00123456 05 ef010101", &d),
	                 VDP_E_POLICY_VALUE); /* VN family 5 */
	ck_assert_int_eq(decode_hex("0c0c 00 abcdef 01 0001 07 0002 0fff", &d),
	                 VDP_E_POLICY_VALUE); /* VLAN 4095 */
	ck_assert_int_eq(decode_hex("0c0b 00 abcdef 01 0001 05 0001 02", &d),
	                 VDP_E_POLICY_VALUE); /* snooping enable 2 */
	ck_assert_int_eq(decode_hex("0c3b 00 abcdef 01 0001 02 0031 01 01 0800 06"
	                            " 04 18 0a000000000000000000000000000000"
	                            " 00 00 00000000000000000000000000000000 0000 0000 01bb 0050",
	                            &d),
	                 VDP_E_POLICY_VALUE); /* port range 443-80 */

	/* more entries than VDP_MAX_POLICIES */
	{
		char hex[1024];
		size_t o = 0;
		o += (size_t)snprintf(hex + o, sizeof(hex) - o, "%04x 00 000001 00 %04x",
		                      VDP_TLV_POLICY_SYNC << 9 | (7 + 3 * (VDP_MAX_POLICIES + 1)),
		                      VDP_MAX_POLICIES + 1);
		for (int i = 0; i <= VDP_MAX_POLICIES; i++)
			o += (size_t)snprintf(hex + o, sizeof(hex) - o, " 00 0000");
		ck_assert_int_eq(decode_hex(hex, &d), VDP_E_TOO_MANY);
	}
}
END_TEST

/* Each out-of-range value: the strict decoder refuses the TLV, the
 * unchecked one reads it, and vdp_policy_entry_check() names the field. */
START_TEST(test_unchecked_and_entry_check)
{
	static const struct {
		const char *hex, *why;
	} cases[] = {
	    {"0c13 00 abcdef 01 0001 01 0009 01 00000000 00010000", "rate 0 kbit/s"},
	    {"0c13 00 abcdef 01 0001 01 0009 02 000186a0 00010000", "direction 2"},
	    {"0c0c 00 abcdef 01 0001 03 0002 08 2e", "PCP 8 above 7"},
	    {"0c0c 00 abcdef 01 0001 03 0002 05 40", "DSCP 64 above 63"},
	    {"0c0c 00 abcdef 01 0001 07 0002 0fff", "VLAN 4095 above 4094"},
	    {"0c3b 00 abcdef 01 0001 02 0031 01 01 0800 06"
	     " 04 21 0a000000000000000000000000000000"
	     " 00 00 00000000000000000000000000000000 0000 0000 0050 01bb",
	     "source prefix: length 33 above 32 for IPv4"},
	    {"0c3b 00 abcdef 01 0001 02 0031 00 02 86dd 11"
	     " 06 80 20010db8000100000000000000000000"
	     " 06 81 00000000000000000000000000000001 0035 0035 0400 ffff",
	     "destination prefix: length 129 above 128 for IPv6"},
	    {"0c3b 00 abcdef 01 0001 02 0031 01 01 0800 06"
	     " 04 18 0a000000000000000000000000000000"
	     " 00 00 00000000000000000000000000000000 0000 0000 01bb 0050",
	     "destination ports 443-80 backwards"},
	    {"0c3b 00 abcdef 01 0001 02 0031 01 01 0800 06"
	     " 00 08 00000000000000000000000000000000"
	     " 00 00 00000000000000000000000000000000 0000 0000 0050 0050",
	     "source prefix: length 8 with family 0 (any)"},
	    {"0c3b 00 abcdef 01 0001 02 0031 02 01 0800 06"
	     " 04 18 0a000000000000000000000000000000"
	     " 00 00 00000000000000000000000000000000 0000 0000 0050 01bb",
	     "action 2"},
	};
	static uint8_t buf[128];
	static struct vdp_policy d;
	char why[96];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(decode_hex(cases[i].hex, &d), VDP_E_POLICY_VALUE);
		size_t n = tu_hex(cases[i].hex, buf, sizeof(buf));
		ck_assert_int_eq(vdp_policy_decode_unchecked(buf, n, &d), (int)n);
		ck_assert_uint_eq(d.nentries, 1);
		ck_assert_uint_eq(d.vnid, 0x01abcdef);
		why[0] = 0;
		ck_assert_int_eq(vdp_policy_entry_check(&d.entries[0], why, sizeof(why)),
		                 VDP_E_POLICY_VALUE);
		ck_assert_msg(strstr(why, cases[i].why), "case %zu: \"%s\"", i, why);
		/* NULL why: the same verdict, nothing written. */
		ck_assert_int_eq(vdp_policy_entry_check(&d.entries[0], NULL, 0),
		                 VDP_E_POLICY_VALUE);
	}
	/* Structure is still checked: a wrong info length, a count past the
	 * entries, an unknown VN family (which decides the length). */
	const char *structural[] = {"0c0d 00 abcdef 01 0001 03 0003 05 2e 00",
	                            "0c0c 00 abcdef 01 0002 03 0002 05 2e",
	                            "0c13 00 abcdef 01 0001 04 0009 00123456 05 ef010101"};
	for (size_t i = 0; i < 3; i++) {
		size_t n = tu_hex(structural[i], buf, sizeof(buf));
		ck_assert_int_eq(vdp_policy_decode_unchecked(buf, n, &d),
		                 decode_hex(structural[i], &d));
		ck_assert_int_lt(vdp_policy_decode_unchecked(buf, n, &d), 0);
	}
	/* Every valid kind passes the check. */
	for (size_t k = 0; k < NENTRY_KINDS; k++) {
		struct vdp_policy_entry e = entry_n(k);
		ck_assert_int_eq(vdp_policy_entry_check(&e, why, sizeof(why)), 0);
	}
}
END_TEST

START_TEST(test_head_decode)
{
	static uint8_t buf[128];
	static struct vdp_policy d;
	/* Refused by the decoders, yet the VNID can be named. */
	const char *named[] = {
	    "0c0c 80 abcdef 01 0001 03 0002 05 2e", /* reserved status bit */
	    "0c0c 00 abcdef 01 0002 03 0002 05 2e", /* count past the entries */
	    "0c0c 00 abcdef 01 0001 03 0003 05 2e", /* entry past the TLV */
	};
	for (size_t i = 0; i < 3; i++) {
		size_t n = tu_hex(named[i], buf, sizeof(buf));
		ck_assert_int_lt(vdp_policy_decode_unchecked(buf, n, &d), 0);
		memset(&d, 0x77, sizeof(d));
		ck_assert_int_eq(vdp_policy_head_decode(buf, n, &d), (int)n);
		ck_assert_uint_eq(d.type, VDP_TLV_POLICY_SYNC);
		ck_assert_uint_eq(d.status, i == 0 ? 0x80 : 0);
		ck_assert_uint_eq(d.vnid, 0x01abcdef);
		ck_assert_uint_eq(d.nentries, 0);
		ck_assert_uint_eq(d.nskipped, 0);
	}
	size_t n = tu_hex("0c06 00 abcdef 01 00", buf, sizeof(buf));
	ck_assert_int_eq(vdp_policy_head_decode(buf, n, &d), VDP_E_TLV_LENGTH);
	n = tu_hex("060c 00 abcdef 01 0001 03 0002 05 2e", buf, sizeof(buf));
	ck_assert_int_eq(vdp_policy_head_decode(buf, n, &d), VDP_E_TLV_TYPE);
	n = tu_hex("0e07 00 abcdef 01 0000", buf, sizeof(buf));
	TU_CHECK_PREFIXES(vdp_policy_head_decode, struct vdp_policy, buf, n, tu_vdp_prefix_err);
	/* The answer vdpd writes for a Policy Remove: the head, no entries. */
	ck_assert_int_eq(vdp_policy_head_decode(buf, n, &d), (int)n);
	d.status = VDP_RESP | VDP_RESP_HARD | VDP_ST_INVALID_FORMAT;
	tu_assert_hex(vdp_policy_encode(&d, buf, sizeof(buf)), buf, "0e07 51 abcdef 01 0000");
}
END_TEST

START_TEST(test_encode_errors)
{
	static struct vdp_policy p;
	static uint8_t buf[600];

	/* no room: every cap below the length */
	make_policy(&p, VDP_TLV_POLICY_SYNC, 0, 7);
	add(&p, e_acl6());
	add(&p, e_vn6());
	int n = vdp_policy_encode(&p, buf, sizeof(buf));
	ck_assert_int_eq(n, 2 + 7 + 52 + 24);
	for (int cap = 0; cap < n; cap++)
		ck_assert_msg(vdp_policy_encode(&p, buf, (size_t)cap) == VDP_E_NOSPACE, "cap %d",
		              cap);

#define BAD(stmt)                                                                                  \
	do {                                                                                       \
		make_policy(&p, VDP_TLV_POLICY_SYNC, 0, 7);                                        \
		for (size_t k_ = 0; k_ < NENTRY_KINDS; k_++)                                       \
			add(&p, entry_n(k_));                                                      \
		stmt;                                                                              \
		int r_ = vdp_policy_encode(&p, buf, sizeof(buf));                                  \
		ck_assert_msg(r_ == VDP_E_INVAL, "%s: got %d (%s)", #stmt, r_, vdp_err_name(r_));  \
	} while (0)
	/* entries: 0 none, 1 bw, 2 acl4, 3 acl6, 4 qos, 5 qos unset, 6 vn4, 7 vn6, 8 dhcp, 9 igmp,
	 * 10 vlan 100, 11 vlan 0 */
	BAD(p.entries[4].u.qos.pcp = 8);
	BAD(p.entries[4].u.qos.dscp = 64);
	BAD(p.entries[1].u.bw.dir = VDP_DIR_BOTH);
	BAD(p.entries[1].u.bw.rate_kbps = 0);
	BAD(p.entries[2].u.acl.src.plen = 33);
	BAD(p.entries[3].u.acl.dst.plen = 129);
	BAD(p.entries[2].u.acl.src.family = 5);
	BAD(p.entries[2].u.acl.action = 2);
	BAD(p.entries[2].u.acl.dir = 3);
	BAD(p.entries[6].u.vn.family = 5);
	BAD(p.entries[0].type = 0x42); /* unknown types are skipped on decode, never sent */
	BAD(p.entries[10].u.vid = 4095);
	BAD(p.entries[2].u.acl.sport_lo = 2);
	BAD(p.type = VDP_TLV_ASSOC);
	BAD(p.type = VDP_TLV_HELP);
	BAD(p.status = 0x80);
	BAD((p.nentries = VDP_MAX_POLICIES + 1, p.entries[12] = e_none()));
#undef BAD
	/* 32 ACL entries do not fit 511 octets */
	make_policy(&p, VDP_TLV_POLICY_SYNC, 0, 7);
	for (int i = 0; i < VDP_MAX_POLICIES; i++)
		add(&p, e_acl4());
	ck_assert_int_eq(vdp_policy_encode(&p, buf, sizeof(buf)), VDP_E_INVAL);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("roundtrip");
	tcase_add_loop_test(tc, test_entry_layout, 0, 3 * NENTRY_KINDS);
	tcase_add_test(tc, test_sync_layout);
	tcase_add_test(tc, test_all_kinds_together);
	tcase_add_test(tc, test_field_extremes);
	tcase_add_test(tc, test_max_entries);
	tcase_add_test(tc, test_unknown_type_skipped);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_decode_errors);
	tcase_add_test(tc, test_encode_errors);
	tcase_add_test(tc, test_unchecked_and_entry_check);
	tcase_add_test(tc, test_head_decode);
	/* Every prefix decoded from an exact-size heap copy: slow under ASan
	 * and valgrind on a busy machine. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(policy_suite());
}
