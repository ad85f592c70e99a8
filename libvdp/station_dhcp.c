/* SPDX-License-Identifier: ISC */
/* libvdp station: Help Requests (type 9, migration services) and the built-in
 * handler's DHCPREQUEST.
 *
 * A switch that moved a migrated VM's port asks the station to make the
 * VM's DHCP state visible to it again: the station sends a DHCPREQUEST as
 * the VM would when renewing its lease (RFC 2131 4.3.2, RENEWING: ciaddr =
 * the VM's address, no server identifier or requested address options),
 * from the VM's MAC and address and on the VM's VLAN; the switch snoops the
 * server's DHCPACK and rebinds the lease to the new port.  The station then
 * answers the Help Request with its response bit set.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "sized.h"
#include "station_int.h"
#include "wire.h"

#define BOOTP_LEN   236 /* fixed BOOTP header, before the magic cookie */
#define BOOTP_MIN   300 /* RFC 1542: the smallest BOOTP message to send */
#define DHCP_MAGIC  0x63825363u
#define DHCPREQUEST 3

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The DHCP message proper: BOOTP header, magic cookie, options. */
static size_t dhcp_body(const uint8_t mac[6], const uint8_t ip[4], uint32_t xid, uint8_t *p)
{
	memset(p, 0, BOOTP_MIN);
	p[0] = 1; /* BOOTREQUEST */
	p[1] = 1; /* Ethernet */
	p[2] = 6;
	put32(p + 4, xid);
	memcpy(p + 12, ip, 4);  /* ciaddr */
	memcpy(p + 28, mac, 6); /* chaddr */
	size_t o = BOOTP_LEN;
	put32(p + o, DHCP_MAGIC);
	o += 4;
	static const uint8_t type[] = {53, 1, DHCPREQUEST};
	memcpy(p + o, type, sizeof(type));
	o += sizeof(type);
	p[o++] = 61; /* client identifier: hardware type 1 + MAC, as dhclient */
	p[o++] = 7;
	p[o++] = 1;
	memcpy(p + o, mac, 6);
	o += 6;
	static const uint8_t params[] = {55, 4, 1, 3, 6, 51}; /* mask, router, DNS, lease */
	memcpy(p + o, params, sizeof(params));
	o += sizeof(params);
	p[o++] = 255;
	return o < BOOTP_MIN ? BOOTP_MIN : o;
}

size_t st_dhcp_request(const uint8_t mac[6], const uint8_t ip[4], const uint8_t server[4],
                       uint16_t vid, uint8_t pcp, uint32_t xid, uint8_t *buf, size_t cap)
{
	size_t eth = vid ? 18 : 14;
	if (cap < eth + 20 + 8 + BOOTP_MIN + 32)
		return 0;
	memset(buf, 0xff, 6);
	memcpy(buf + 6, mac, 6);
	if (vid) {
		put16(buf + 12, 0x8100);
		put16(buf + 14, (unsigned)(pcp & 7) << 13 | (vid & 0xfff));
	}
	put16(buf + eth - 2, 0x0800);
	uint8_t *iph = buf + eth, *udp = iph + 20, *dhcp = udp + 8;
	size_t dlen = dhcp_body(mac, ip, xid, dhcp);
	size_t ulen = 8 + dlen, tlen = 20 + ulen;

	memset(iph, 0, 20);
	iph[0] = 0x45;
	put16(iph + 2, (unsigned)tlen);
	iph[8] = 64; /* TTL */
	iph[9] = 17; /* UDP */
	memcpy(iph + 12, ip, 4);
	memcpy(iph + 16, server, 4);
	put16(iph + 10, csum_fold(csum_add(0, iph, 20)));

	put16(udp, 68);
	put16(udp + 2, 67);
	put16(udp + 4, (unsigned)ulen);
	put16(udp + 6, 0);
	uint8_t pseudo[12];
	memcpy(pseudo, ip, 4);
	memcpy(pseudo + 4, server, 4);
	pseudo[8] = 0;
	pseudo[9] = 17;
	put16(pseudo + 10, (unsigned)ulen);
	uint16_t c = csum_fold(csum_add(csum_add(0, pseudo, 12), udp, ulen));
	put16(udp + 6, c ? c : 0xffff); /* 0 would mean "no checksum" */
	return eth + tlen;
}

int vdp_station_set_dhcp_server(struct vdp_station *st, const char *ipv4)
{
	if (!st)
		return -EINVAL;
	uint8_t a[4];
	if (!ipv4 || inet_pton(AF_INET, ipv4, a) != 1)
		return st_fail(st, -EINVAL, "DHCP server '%s' is not an IPv4 address",
		               ipv4 ? ipv4 : "(NULL)");
	memcpy(st->dhcp_server, a, 4);
	return 0;
}

static uint32_t new_xid(const struct vdp_station *st)
{
	uint32_t x;
	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) == (ssize_t)sizeof(x))
		return x;
	return (uint32_t)(st_now(st) ^ (st_now(st) >> 32));
}

int vdp_station_help_default(struct vdp_station *st, const struct vdp_station_help *caller_h)
{
	static const uint8_t zero[4];
	struct vdp_station_help hv; /* the caller's, in this libvdp's layout */
	const struct vdp_station_help *h = &hv;
	if (!st || !caller_h || !sized_in(&hv, sizeof(hv), caller_h))
		return VDP_ST_OTHER_FAILURE;
	struct st_link *l = st_link_find(st, h->link);
	if (!l || !h->known || !(h->flags & VDP_HELP_DHCP) || memcmp(h->ipv4, zero, 4) == 0)
		return VDP_ST_OTHER_FAILURE;
	uint8_t frame[ST_DHCP_FRAME_MAX];
	size_t n = st_dhcp_request(h->mac, h->ipv4, st->dhcp_server, h->vid, h->pcp, new_xid(st),
	                           frame, sizeof(frame));
	if (!n || l->send(l->ctx, frame, n) < 0)
		return VDP_ST_OTHER_FAILURE;
	return VDP_ST_SUCCESS;
}

static void answer(struct st_link *l, const struct vdp_help *req, int code)
{
	struct vdp_station *st = l->st;
	struct vdp_help a = *req;
	uint8_t pdu[VDP_ECP_MAX_ULPDU];
	a.status = (uint8_t)(VDP_RESP | (code & VDP_STATUS_ERR_MASK));
	int n = st_pdu_help(&st->mgrid, &a, pdu, sizeof(pdu));
	/* Cookie 0 names no exchange: nothing waits for the ack. */
	if (n > 0)
		st_ecp_send(st, l, pdu, (size_t)n, 0);
}

void st_help_input(struct st_link *l, const struct vdp_help *h)
{
	static const uint8_t zero[4];
	struct vdp_station *st = l->st;
	struct st_vm *vm = st_vm_find(st, h->vsiid_fmt, h->vsiid);
	struct vdp_station_help hv = {.size = sizeof(hv),
	                              .link = l->name,
	                              .flags = h->flags,
	                              .vsiid_fmt = h->vsiid_fmt,
	                              .pcp = h->pcp,
	                              .ps = h->ps,
	                              .known = vm != NULL};
	memcpy(hv.vsiid, h->vsiid, VDP_VSIID_LEN);
	/* What we know of our VM wins over the switch's view of it. */
	memcpy(hv.mac, vm ? vm->vm.mac : h->mac, 6);
	bool our_ip = vm && memcmp(vm->vm.ipv4, zero, 4) != 0;
	memcpy(hv.ipv4, our_ip ? vm->vm.ipv4 : h->ipv4, 4);
	hv.vid = vm && vm->l[l->idx].vid ? vm->l[l->idx].vid : h->vid;

	int code = st->on_help ? st->on_help(st->help_arg, st, &hv) : VDP_HELP_DEFAULT;
	if (code == VDP_HELP_DEFAULT)
		code = vdp_station_help_default(st, &hv);
	if (code < 0 || code > VDP_STATUS_ERR_MASK)
		code = VDP_ST_OTHER_FAILURE;
	answer(l, h, code);

	char text[128];
	snprintf(text, sizeof(text), "Help Request answered: %s",
	         code          ? vdp_status_err_name((unsigned)code)
	         : st->on_help ? "done"
	                       : "DHCPREQUEST sent for the VM");
	struct vdp_station_event ev = {.kind = VDP_EV_HELP,
	                               .link = l->name,
	                               .vnid = vm ? vm->vm.vnid : 0,
	                               .vsiid_fmt = h->vsiid_fmt,
	                               .error = (uint8_t)code,
	                               .text = text};
	memcpy(ev.vsiid, h->vsiid, VDP_VSIID_LEN);
	st_post_event(st, &ev);
}
