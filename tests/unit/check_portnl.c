/* SPDX-License-Identifier: ISC */
/* Unit tests of vdp-station's codec of libvirt's 802.1Qbg port-profile
 * netlink messages (tools/vdp-station/portnl.c), on the very bytes libvirt
 * 9.0.0 (Debian 12) sent to lldpad's netlink port for a domain with
 * <virtualport type='802.1Qbg'> (managerid 11, typeid 1193046,
 * typeidversion 0, instanceid 09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f) and
 * MAC 52:54:00:6a:00:01 on lv0: `virsh start` then `virsh destroy`,
 * recorded with `strace -f -e trace=sendmsg -e write=all -p $(pidof
 * libvirtd)`.  libvirt names the interface (IFLA_IFNAME) and gives its index; its
 * status polls give the index only. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "portnl.h"

static const uint8_t associate[152] __attribute__((aligned(4))) = {
    0x98, 0x00, 0x00, 0x00, 0x13, 0x00, 0x05, 0x00, 0xe1, 0x72, 0x11, 0x6b, 0x8a, 0x6a, 0x40, 0x1c,
    0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x08, 0x00, 0x03, 0x00, 0x6c, 0x76, 0x30, 0x00, 0x40, 0x00, 0x16, 0x80, 0x3c, 0x00, 0x01, 0x80,
    0x28, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x6a, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x18, 0x80, 0x2c, 0x00, 0x01, 0x80,
    0x0c, 0x00, 0x03, 0x00, 0x0b, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x04, 0x00,
    0x09, 0xb1, 0x1c, 0x53, 0x8b, 0x5c, 0x4e, 0xeb, 0x8f, 0x00, 0xd8, 0x4e, 0xaa, 0x0a, 0xaa, 0x4f,
    0x05, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00, 0x00,
};

static const uint8_t poll[40] __attribute__((aligned(4))) = {
    0x28, 0x00, 0x00, 0x00, 0x12, 0x00, 0x05, 0x00, 0xe1, 0x72, 0x11, 0x6b, 0x8a, 0x6a,
    0x40, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x1d, 0x00, 0x01, 0x00, 0x00, 0x00,
};

static const uint8_t disassociate[152] __attribute__((aligned(4))) = {
    0x98, 0x00, 0x00, 0x00, 0x13, 0x00, 0x05, 0x00, 0xeb, 0x72, 0x11, 0x6b, 0x8a, 0x6a, 0x40, 0x1c,
    0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x08, 0x00, 0x03, 0x00, 0x6c, 0x76, 0x30, 0x00, 0x40, 0x00, 0x16, 0x80, 0x3c, 0x00, 0x01, 0x80,
    0x28, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x6a, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x18, 0x80, 0x2c, 0x00, 0x01, 0x80,
    0x0c, 0x00, 0x03, 0x00, 0x0b, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x04, 0x00,
    0x09, 0xb1, 0x1c, 0x53, 0x8b, 0x5c, 0x4e, 0xeb, 0x8f, 0x00, 0xd8, 0x4e, 0xaa, 0x0a, 0xaa, 0x4f,
    0x05, 0x00, 0x06, 0x00, 0x03, 0x00, 0x00, 0x00,
};

static const uint8_t uuid[16] = {0x09, 0xb1, 0x1c, 0x53, 0x8b, 0x5c, 0x4e, 0xeb,
                                 0x8f, 0x00, 0xd8, 0x4e, 0xaa, 0x0a, 0xaa, 0x4f};

static const struct nlmsghdr *msg(const uint8_t *b)
{
	return (const struct nlmsghdr *)(const void *)b;
}

START_TEST(libvirt_associate)
{
	struct portnl_req r;
	char err[160] = "";
	ck_assert_msg(
	    portnl_parse_setlink(msg(associate), sizeof(associate), &r, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(r.ifindex, 12); /* lv0's, on the machine it was recorded on */
	ck_assert_str_eq(r.ifname, "lv0");
	ck_assert(r.has_mac && r.has_vlan);
	ck_assert_mem_eq(r.mac, ((uint8_t[]){0x52, 0x54, 0x00, 0x6a, 0x00, 0x01}), 6);
	ck_assert_uint_eq(r.vlan, 0);
	ck_assert_uint_eq(r.mgr_id, 11);
	ck_assert_uint_eq(r.type_id, 1193046);
	ck_assert_uint_eq(r.type_ver, 0);
	ck_assert_mem_eq(r.uuid, uuid, 16);
	ck_assert_uint_eq(r.request, PORTNL_ASSOCIATE);
}
END_TEST

START_TEST(libvirt_disassociate_and_preassociate)
{
	struct portnl_req r;
	char err[160] = "";
	ck_assert_int_eq(
	    portnl_parse_setlink(msg(disassociate), sizeof(disassociate), &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(r.request, PORTNL_DISASSOCIATE);
	ck_assert_mem_eq(r.uuid, uuid, 16);
	/* Migration (MIGRATE_IN_START): the same message with request 0. */
	uint8_t pre[sizeof(associate)];
	memcpy(pre, associate, sizeof(pre));
	pre[sizeof(pre) - 4] = PORTNL_PREASSOCIATE;
	ck_assert_int_eq(portnl_parse_setlink(msg(pre), sizeof(pre), &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(r.request, PORTNL_PREASSOCIATE);
}
END_TEST

START_TEST(libvirt_poll)
{
	int ifindex = -1;
	char ifname[IFNAMSIZ] = "x", err[160] = "";
	ck_assert_int_eq(
	    portnl_parse_getlink(msg(poll), sizeof(poll), &ifindex, ifname, err, sizeof(err)), 0);
	ck_assert_int_eq(ifindex, 12);
	ck_assert_str_eq(ifname, "");
	/* A SETLINK is not a poll, and the other way round. */
	ck_assert_int_eq(portnl_parse_getlink(msg(associate), sizeof(associate), &ifindex, ifname,
	                                      err, sizeof(err)),
	                 -1);
	struct portnl_req r;
	ck_assert_int_eq(portnl_parse_setlink(msg(poll), sizeof(poll), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "message type 18, not RTM_SETLINK");
}
END_TEST

/* Whatever the length is cut to, or a byte changed to, the parser says no
 * or yes without reading past the message (run under ASan too). */
START_TEST(truncated_and_mangled)
{
	struct portnl_req r;
	char err[160];
	/* The last 3 octets are the request attribute's padding. */
	for (size_t n = 0; n < sizeof(associate) - 3; n++) {
		uint8_t *b = malloc(n ? n : 1);
		memcpy(b, associate, n);
		if (n >= 4) /* the header's length says n */
			memcpy(b, &(uint32_t){(uint32_t)n}, 4);
		ck_assert_int_eq(portnl_parse_setlink((const void *)b, n, &r, err, sizeof(err)),
		                 -1);
		free(b);
	}
	uint8_t b[sizeof(associate)] __attribute__((aligned(4)));
	for (size_t i = 16; i < sizeof(b); i++)
		for (unsigned v = 0; v < 256; v += 51) {
			memcpy(b, associate, sizeof(b));
			b[i] = (uint8_t)v;
			(void)portnl_parse_setlink((const void *)b, sizeof(b), &r, err,
			                           sizeof(err));
		}
	/* No instance UUID: refused with the reason. */
	memcpy(b, associate, sizeof(b));
	b[0x7e] = 0x77; /* IFLA_PORT_INSTANCE_UUID's type becomes unknown */
	ck_assert_int_eq(portnl_parse_setlink((const void *)b, sizeof(b), &r, err, sizeof(err)),
	                 -1);
	ck_assert_str_eq(err, "no IFLA_PORT_INSTANCE_UUID");
	/* A request beyond DISASSOCIATE. */
	memcpy(b, associate, sizeof(b));
	b[sizeof(b) - 4] = 9;
	ck_assert_int_eq(portnl_parse_setlink((const void *)b, sizeof(b), &r, err, sizeof(err)),
	                 -1);
	ck_assert_str_eq(err, "IFLA_PORT_REQUEST 9 unknown");
}
END_TEST

/* The answers, read back as libvirt reads them. */
START_TEST(answers)
{
	uint8_t buf[512] __attribute__((aligned(4)));
	size_t n = portnl_build_ack(buf, sizeof(buf), msg(associate), -EBUSY);
	const struct nlmsghdr *h = msg(buf);
	ck_assert_uint_eq(n, h->nlmsg_len);
	ck_assert_uint_eq(h->nlmsg_type, NLMSG_ERROR);
	ck_assert_uint_eq(h->nlmsg_seq, msg(associate)->nlmsg_seq);
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
	ck_assert_int_eq(e->error, -EBUSY);
	ck_assert_uint_eq(portnl_build_ack(buf, 20, msg(associate), 0), 0);

	struct portnl_status st[2] = {{.respond = false}, {.respond = true, .response = 2}};
	memcpy(st[0].uuid, uuid, 16);
	memset(st[1].uuid, 0xee, 16);
	n = portnl_build_status(buf, sizeof(buf), msg(poll), 0, st, 2);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(h->nlmsg_type, RTM_NEWLINK);
	const struct nlattr *a, *port, *pa;
	unsigned ports = 0, responses = 0;
	mnl_attr_for_each(a, h, sizeof(struct ifinfomsg))
	{
		ck_assert_uint_eq(mnl_attr_get_type(a), IFLA_VF_PORTS);
		mnl_attr_for_each_nested(port, a)
		{
			ck_assert_uint_eq(mnl_attr_get_type(port), IFLA_VF_PORT);
			ports++;
			mnl_attr_for_each_nested(pa, port)
			{
				if (mnl_attr_get_type(pa) == IFLA_PORT_VF)
					ck_assert_uint_eq(mnl_attr_get_u32(pa),
					                  (uint32_t)PORT_SELF_VF);
				if (mnl_attr_get_type(pa) == IFLA_PORT_INSTANCE_UUID)
					ck_assert_mem_eq(mnl_attr_get_payload(pa),
					                 ports == 1 ? uuid : st[1].uuid, 16);
				if (mnl_attr_get_type(pa) == IFLA_PORT_RESPONSE) {
					ck_assert_uint_eq(ports, 2); /* none: in progress */
					ck_assert_uint_eq(mnl_attr_get_u16(pa), 2);
					responses++;
				}
			}
		}
	}
	ck_assert_uint_eq(ports, 2);
	ck_assert_uint_eq(responses, 1);
	ck_assert_uint_eq(portnl_build_status(buf, 60, msg(poll), 0, st, 2), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("portnl");
	TCase *t = tcase_create("libvirt");
	tcase_add_test(t, libvirt_associate);
	tcase_add_test(t, libvirt_disassociate_and_preassociate);
	tcase_add_test(t, libvirt_poll);
	tcase_add_test(t, truncated_and_mangled);
	tcase_add_test(t, answers);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
