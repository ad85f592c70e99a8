/* SPDX-License-Identifier: ISC */
/* Unit tests for libvdp's vdp/format.h: the names of VDP values, a policy
 * entry as an operator's text, as a command-line word (parsed and written
 * back: every word the formatter writes parses to the same entry), and as
 * fields for a JSON writer; truncation follows snprintf. */
#include <vdp/format.h>

#include "testutil.h"

START_TEST(format_names)
{
	static const char *const vsiid[] = {NULL, "ipv4", "ipv6", "mac", "local", "uuid", NULL};
	for (unsigned f = 0; f < sizeof(vsiid) / sizeof(vsiid[0]); f++) {
		const char *n = vdp_vsiid_format_name(f);
		ck_assert_msg(vsiid[f] ? n && !strcmp(n, vsiid[f]) : !n, "format %u: %s", f,
		              n ? n : "NULL");
		if (vsiid[f])
			ck_assert_int_eq(vdp_vsiid_format_parse(vsiid[f]), (int)f);
	}
	ck_assert_ptr_null(vdp_vsiid_format_name(255));
	ck_assert_int_eq(vdp_vsiid_format_parse("UUID"), -1);
	ck_assert_int_eq(vdp_vsiid_format_parse(""), -1);
	ck_assert_int_eq(vdp_vsiid_format_parse("uuidx"), -1);

	ck_assert_str_eq(vdp_filter_format_name(VDP_FILTER_VID), "vid");
	ck_assert_str_eq(vdp_filter_format_name(VDP_FILTER_GROUP_MAC_VID), "group-mac-vid");
	ck_assert_ptr_null(vdp_filter_format_name(0));
	ck_assert_ptr_null(vdp_filter_format_name(5));
	ck_assert_str_eq(vdp_dir_name(VDP_DIR_TO_VM), "to-vm");
	ck_assert_str_eq(vdp_dir_name(VDP_DIR_BOTH), "both");
	ck_assert_ptr_null(vdp_dir_name(3));
	ck_assert_str_eq(vdp_acl_action_name(VDP_ACL_PERMIT), "permit");
	ck_assert_str_eq(vdp_acl_action_name(VDP_ACL_DENY), "deny");
	ck_assert_ptr_null(vdp_acl_action_name(2));
}
END_TEST

START_TEST(format_vsiid_prefix)
{
	const char *rest;
	ck_assert_int_eq(vdp_vsiid_format_prefix("uuid:00112233", &rest), VDP_VSIID_UUID);
	ck_assert_str_eq(rest, "00112233");
	ck_assert_int_eq(vdp_vsiid_format_prefix("local:ab", &rest), VDP_VSIID_LOCAL);
	ck_assert_str_eq(rest, "ab");
	ck_assert_int_eq(vdp_vsiid_format_prefix("ipv6:2001:db8::1", &rest), VDP_VSIID_IPV6);
	ck_assert_str_eq(rest, "2001:db8::1");
	/* A MAC's and an IPv6 address's own colons name no format. */
	ck_assert_int_eq(vdp_vsiid_format_prefix("52:54:00:aa:bb:02", &rest), 0);
	ck_assert_str_eq(rest, "52:54:00:aa:bb:02");
	ck_assert_int_eq(vdp_vsiid_format_prefix("fe80::1", &rest), 0);
	ck_assert_int_eq(vdp_vsiid_format_prefix("00112233-4455", &rest), 0);
	ck_assert_int_eq(vdp_vsiid_format_prefix("mac", &rest), 0);
	ck_assert_str_eq(rest, "mac");
}
END_TEST

static const char *text_of(const struct vdp_policy_entry *e)
{
	static char buf[256];
	ck_assert_uint_eq(vdp_policy_entry_text(e, buf, sizeof(buf)), strlen(buf));
	return buf;
}

START_TEST(format_policy_text)
{
	struct vdp_policy_entry e = {.type = VDP_POL_ACL};
	e.u.acl = (struct vdp_pol_acl){.action = VDP_ACL_PERMIT,
	                               .dir = VDP_DIR_BOTH,
	                               .ethertype = 0x0800,
	                               .ip_proto = 6,
	                               .dst = {4, 8, {10}},
	                               .dport_lo = 22,
	                               .dport_hi = 22};
	ck_assert_str_eq(text_of(&e), "acl permit tcp dst 10.0.0.0/8 dport 22");
	e.u.acl.dir = 7; /* not a direction: said so */
	ck_assert_str_eq(text_of(&e), "acl permit bad-dir tcp dst 10.0.0.0/8 dport 22");
	e = (struct vdp_policy_entry){.type = VDP_POL_BANDWIDTH, .u.bw = {VDP_DIR_TO_VM, 10000, 0}};
	ck_assert_str_eq(text_of(&e), "bandwidth 10000kbit to-vm");
	e = (struct vdp_policy_entry){.type = VDP_POL_QOS, .u.qos = {3, 10}};
	ck_assert_str_eq(text_of(&e), "qos pcp 3 dscp 10");
	e = (struct vdp_policy_entry){.type = VDP_POL_DHCP_SNOOP, .u.enable = true};
	ck_assert_str_eq(text_of(&e), "dhcp-snooping on");
	e = (struct vdp_policy_entry){.type = VDP_POL_IGMP_SNOOP};
	ck_assert_str_eq(text_of(&e), "igmp-snooping off");
	e = (struct vdp_policy_entry){.type = VDP_POL_VLAN};
	ck_assert_str_eq(text_of(&e), "vlan auto");
	e = (struct vdp_policy_entry){.type = VDP_POL_VN, .u.vn = {5001, 4, {239, 1, 1, 1}}};
	ck_assert_str_eq(text_of(&e), "vn vnid 5001 mcast 239.1.1.1");
	e = (struct vdp_policy_entry){.type = 42};
	ck_assert_str_eq(text_of(&e), "unknown 42");
}
END_TEST

START_TEST(format_truncation)
{
	struct vdp_policy_entry e = {.type = VDP_POL_BANDWIDTH,
	                             .u.bw = {VDP_DIR_FROM_VM, 5000, 15000}};
	char buf[12];
	size_t n = vdp_policy_entry_text(&e, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen("bandwidth 5000kbit from-vm burst 15000"));
	ck_assert_str_eq(buf, "bandwidth 5");
	ck_assert_uint_eq(vdp_policy_entry_text(&e, NULL, 0), n);
	n = vdp_policy_entry_word(&e, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen("bandwidth=5000,from-vm,burst=15000"));
	ck_assert_str_eq(buf, "bandwidth=5");
}
END_TEST

/* Each word parses, is written back as `back`, and that parses to the
 * same entry again. */
START_TEST(format_policy_words)
{
	static const char *const words[][2] = {
	    {"vlan=100", "vlan=100"},
	    {"bandwidth=50M,from-vm,burst=3000", "bandwidth=50000,from-vm,burst=3000"},
	    {"bandwidth=700", "bandwidth=700,to-vm"},
	    {"acl=permit,tcp,dport=22-80,src=10.0.0.0/8",
	     "acl=permit,proto=6,both,src=10.0.0.0/8,dport=22-80"},
	    {"acl=deny,udp,to-vm,dst=2001:db8::/32,sport=53,ethertype=0x86dd",
	     "acl=deny,proto=17,to-vm,ethertype=0x86dd,dst=2001:db8::/32,sport=53"},
	    {"acl=permit,proto=47", "acl=permit,proto=47,both"},
	    {"qos=pcp=3,dscp=10", "qos=pcp=3,dscp=10"},
	    {"qos=dscp=5", "qos=dscp=5"},
	    {"vn=239.1.1.1", "vn=239.1.1.1"},
	    {"vn=ff0e::1", "vn=ff0e::1"},
	    {"dhcp-snooping=yes", "dhcp-snooping=on"},
	    {"igmp-snooping=0", "igmp-snooping=off"},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct vdp_policy_entry e, again;
		char err[512], buf[256];
		ck_assert_msg(vdp_policy_entry_parse_word(words[i][0], 77, &e, err, sizeof(err)) ==
		                  0,
		              "%s: %s", words[i][0], err);
		vdp_policy_entry_word(&e, buf, sizeof(buf));
		ck_assert_str_eq(buf, words[i][1]);
		ck_assert_int_eq(vdp_policy_entry_parse_word(buf, 77, &again, err, sizeof(err)), 0);
		ck_assert_msg(memcmp(&e, &again, sizeof(e)) == 0, "%s: not the same entry", buf);
	}
	struct vdp_policy_entry e;
	char err[512];
	ck_assert_int_eq(vdp_policy_entry_parse_word("vn=239.1.1.1", 5001, &e, err, sizeof(err)),
	                 0);
	ck_assert_uint_eq(e.u.vn.vnid, 5001);
}
END_TEST

START_TEST(format_policy_word_errors)
{
	struct vdp_policy_entry e;
	char err[512];
	ck_assert_int_eq(vdp_policy_entry_parse_word("bogus=1", 1, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "policy 'bogus=1': unknown kind; use vlan, bandwidth, acl, qos, vn, "
	                      "dhcp-snooping or igmp-snooping");
	ck_assert_int_eq(vdp_policy_entry_parse_word("vlan", 1, &e, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "expected KIND=VALUE"), "%s", err);
	ck_assert_int_eq(vdp_policy_entry_parse_word("vlan=4095", 1, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err,
	                 "policy 'vlan=4095': expected vlan=VID (0..4094, 0: the switch chooses)");
	/* Ports need TCP or UDP. */
	ck_assert_int_eq(vdp_policy_entry_parse_word("acl=permit,sport=5", 1, &e, err, sizeof(err)),
	                 -1);
	ck_assert_int_eq(vdp_policy_entry_parse_word("bandwidth=0", 1, &e, err, sizeof(err)), -1);
	ck_assert_int_eq(vdp_policy_entry_parse_word("qos=pcp=8", 1, &e, err, sizeof(err)), -1);
	ck_assert_int_eq(
	    vdp_policy_entry_parse_word("dhcp-snooping=maybe", 1, &e, err, sizeof(err)), -1);
}
END_TEST

/* The fields as a compact "key=value" list, to compare in one string. */
static void collect(void *ctx, const struct vdp_field *f)
{
	char *out = ctx;
	size_t n = strlen(out);
	switch (f->kind) {
	case VDP_FIELD_NULL:
		snprintf(out + n, 1024 - n, "%s=null;", f->key);
		break;
	case VDP_FIELD_UINT:
		snprintf(out + n, 1024 - n, "%s=%llu;", f->key, (unsigned long long)f->u);
		break;
	case VDP_FIELD_BOOL:
		snprintf(out + n, 1024 - n, "%s=%s;", f->key, f->b ? "true" : "false");
		break;
	case VDP_FIELD_STR:
		snprintf(out + n, 1024 - n, "%s='%s';", f->key, f->s);
		break;
	}
}

static const char *fields_of(const struct vdp_policy_entry *e)
{
	static char out[1024];
	out[0] = '\0';
	vdp_policy_entry_fields(e, collect, out);
	return out;
}

START_TEST(format_policy_fields)
{
	struct vdp_policy_entry e = {.type = VDP_POL_ACL};
	e.u.acl = (struct vdp_pol_acl){.action = VDP_ACL_PERMIT,
	                               .dir = VDP_DIR_BOTH,
	                               .ethertype = 0x0800,
	                               .ip_proto = 6,
	                               .dst = {4, 8, {10}},
	                               .dport_lo = 22,
	                               .dport_hi = 22};
	ck_assert_str_eq(fields_of(&e), "type='acl';text='acl permit tcp dst 10.0.0.0/8 dport 22';"
	                                "action='permit';dir='both';ethertype=2048;ip_proto=6;"
	                                "src=null;dst='10.0.0.0/8';sport_lo=0;sport_hi=0;"
	                                "dport_lo=22;dport_hi=22;");
	e = (struct vdp_policy_entry){.type = VDP_POL_QOS, .u.qos = {3, VDP_QOS_UNSET}};
	ck_assert_str_eq(fields_of(&e), "type='qos';text='qos pcp 3';pcp=3;dscp=null;");
	e = (struct vdp_policy_entry){.type = VDP_POL_BANDWIDTH, .u.bw = {VDP_DIR_TO_VM, 10000, 0}};
	ck_assert_str_eq(fields_of(&e), "type='bandwidth';text='bandwidth 10000kbit to-vm';"
	                                "dir='to-vm';rate_kbps=10000;burst=0;");
	e = (struct vdp_policy_entry){.type = VDP_POL_VN, .u.vn = {7, 6, {0xff, 0x0e, [15] = 1}}};
	ck_assert_str_eq(fields_of(&e), "type='vn';text='vn vnid 7 mcast ff0e::1';vnid=7;"
	                                "mcast='ff0e::1';");
	e = (struct vdp_policy_entry){.type = VDP_POL_IGMP_SNOOP, .u.enable = true};
	ck_assert_str_eq(fields_of(&e),
	                 "type='igmp-snooping';text='igmp-snooping on';enable=true;");
	e = (struct vdp_policy_entry){.type = VDP_POL_VLAN, .u.vid = 130};
	ck_assert_str_eq(fields_of(&e), "type='vlan';text='vlan 130';vlan=130;");
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");
	tcase_add_test(tc, format_names);
	tcase_add_test(tc, format_vsiid_prefix);
	tcase_add_test(tc, format_policy_text);
	tcase_add_test(tc, format_truncation);
	tcase_add_test(tc, format_policy_words);
	tcase_add_test(tc, format_policy_word_errors);
	tcase_add_test(tc, format_policy_fields);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(format_suite());
}
