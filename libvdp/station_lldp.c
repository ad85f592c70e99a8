/* SPDX-License-Identifier: ISC */
/* libvdp station: the EVB TLV (802.1Qbg D.2.12) and the LLDPDUs that carry
 * it on the nearest-customer-bridge agent (01:80:C2:00:00:00).
 *
 * In VDP_LLDP_BUILTIN mode the station sends a minimal LLDPDU of its own:
 * Chassis ID (the link's MAC), Port ID (the link's name), TTL, the station
 * EVB TLV and End.  A host that runs an LLDP agent (lldpd) uses
 * VDP_LLDP_EXTERNAL instead and hands the TLVs over with
 * vdp_station_evb_tlv() / vdp_station_evb_input().  Received LLDPDUs are
 * read in both modes: a bridge EVB TLV raises the link's timers to the
 * bridge's values, as the negotiation rule says.  Station-mode TLVs are
 * ignored: through a flooding bridge we hear the other stations too.
 */
#include <errno.h>
#include <string.h>

#include "station_int.h"
#include "wire.h"

#define LLDP_TLV_END     0
#define LLDP_TLV_CHASSIS 1
#define LLDP_TLV_PORT    2
#define LLDP_TLV_TTL     3
#define CHASSIS_MAC      4 /* chassis ID subtype: MAC address */
#define PORT_IFNAME      5 /* port ID subtype: interface name */

static size_t put_tlv(uint8_t *p, unsigned type, const uint8_t *v, size_t len)
{
	p[0] = (uint8_t)(type << 1 | len >> 8);
	p[1] = (uint8_t)len;
	memcpy(p + 2, v, len);
	return 2 + len;
}

void st_lldp_advertise(struct st_link *l, struct vdp_evb_tlv *out)
{
	struct vdp_evb_tlv local = {.mode = VDP_EVB_MODE_STATION, .rrstat = VDP_EVB_RRSTAT_NO};
	st_timers_to_evb(&l->local, &local);
	if (l->bridge_evb)
		vdp_evb_negotiate(&local, &l->bridge, out);
	else
		*out = local;
}

size_t st_lldp_build(const struct st_link *l, unsigned ttl_s, uint8_t *buf, size_t cap)
{
	uint8_t v[1 + VDP_STATION_NAME_LEN];
	struct vdp_evb_tlv evb;
	size_t name_len = strlen(l->name), o = 0;

	if (cap < 64 + name_len)
		return 0;
	memcpy(buf, vdp_ecp_ncb_addr, 6);
	memcpy(buf + 6, l->mac, 6);
	buf[12] = ST_LLDP_ETHERTYPE >> 8;
	buf[13] = ST_LLDP_ETHERTYPE & 0xff;
	o = VDP_ETH_HDR_LEN;
	v[0] = CHASSIS_MAC;
	memcpy(v + 1, l->mac, 6);
	o += put_tlv(buf + o, LLDP_TLV_CHASSIS, v, 7);
	v[0] = PORT_IFNAME;
	memcpy(v + 1, l->name, name_len);
	o += put_tlv(buf + o, LLDP_TLV_PORT, v, 1 + name_len);
	put16(v, (uint16_t)ttl_s);
	o += put_tlv(buf + o, LLDP_TLV_TTL, v, 2);
	st_lldp_advertise((struct st_link *)l, &evb);
	o += (size_t)vdp_evb_tlv_encode(&evb, buf + o, cap - o);
	buf[o++] = 0; /* End */
	buf[o++] = 0;
	while (o < VDP_ECP_MIN_FRAME)
		buf[o++] = 0;
	return o;
}

int st_lldp_find_evb(const uint8_t *p, size_t len, struct vdp_evb_tlv *out)
{
	size_t o = 0;
	while (o + 2 <= len) {
		unsigned type = p[o] >> 1, tlen = (unsigned)(p[o] & 1) << 8 | p[o + 1];
		if (type == LLDP_TLV_END || o + 2 + tlen > len)
			return 0;
		if (type == VDP_LLDP_TLV_ORG &&
		    vdp_evb_tlv_decode(p + o, 2 + tlen, out) == VDP_EVB_TLV_LEN)
			return 1;
		o += 2 + tlen;
	}
	return 0;
}

void st_lldp_evb(struct st_link *l, const struct vdp_evb_tlv *bridge)
{
	struct vdp_station *st = l->st;
	if (bridge->mode != VDP_EVB_MODE_BRIDGE)
		return; /* another station's, flooded to us */
	struct vdp_timers before = l->use;
	bool first = !l->bridge_evb;
	l->bridge_evb = true;
	l->bridge = *bridge;
	st_link_set_use(l);
	if (!first && memcmp(&before, &l->use, sizeof(before)) == 0)
		return;
	/* Tell the bridge the negotiated values soon (ROL bits). */
	if (st->lldp == VDP_LLDP_BUILTIN)
		l->next_lldp = st_now(st);
	struct vdp_station_event ev = {.kind = VDP_EV_EVB,
	                               .link = l->name,
	                               .timers = l->use,
	                               .text = "bridge EVB TLV received: timers negotiated"};
	st_post_event(st, &ev);
}

void st_lldp_input(struct st_link *l, const uint8_t *frame, size_t len)
{
	struct vdp_evb_tlv evb;
	if (memcmp(frame, vdp_ecp_ncb_addr, 6) != 0)
		return; /* EVB lives on the nearest-customer-bridge agent only */
	l->rx_lldp++;
	if (st_lldp_find_evb(frame + VDP_ETH_HDR_LEN, len - VDP_ETH_HDR_LEN, &evb) == 1)
		st_lldp_evb(l, &evb);
}

void st_lldp_tick(struct vdp_station *st, uint64_t now)
{
	if (st->lldp != VDP_LLDP_BUILTIN)
		return;
	unsigned ttl = st->lldp_interval_ms / 1000 * 4;
	if (ttl > 65535)
		ttl = 65535;
	for (unsigned i = 0; i < st->nlinks; i++) {
		struct st_link *l = st->links[i];
		if (l->next_lldp > now)
			continue;
		uint8_t frame[128];
		size_t n = st_lldp_build(l, ttl, frame, sizeof(frame));
		if (n && l->send(l->ctx, frame, n) == 0)
			l->tx_lldp++;
		if (l->lldp_fast) {
			l->lldp_fast--;
			l->next_lldp = now + 1000000000ull;
		} else {
			l->next_lldp = now + (uint64_t)st->lldp_interval_ms * 1000000ull;
		}
	}
}

uint64_t st_lldp_deadline(const struct vdp_station *st)
{
	uint64_t d = UINT64_MAX;
	if (st->lldp != VDP_LLDP_BUILTIN)
		return d;
	for (unsigned i = 0; i < st->nlinks; i++)
		if (st->links[i]->next_lldp < d)
			d = st->links[i]->next_lldp;
	return d;
}

int vdp_station_set_lldp(struct vdp_station *st, enum vdp_lldp_mode mode, unsigned interval_ms)
{
	if (!st)
		return -EINVAL;
	if (mode != VDP_LLDP_BUILTIN && mode != VDP_LLDP_EXTERNAL)
		return st_fail(st, -EINVAL, "LLDP mode %d is neither builtin (0) nor external (1)",
		               (int)mode);
	if (interval_ms && (interval_ms < 1000 || interval_ms > 3600000))
		return st_fail(st, -EINVAL, "LLDP interval %u ms is outside 1000..3600000",
		               interval_ms);
	st_enter(st);
	st->lldp = mode;
	st->lldp_interval_ms = interval_ms ? interval_ms : ST_LLDP_INTERVAL;
	uint64_t now = st_now(st);
	for (unsigned i = 0; i < st->nlinks; i++)
		if (st->links[i]->next_lldp > now + (uint64_t)st->lldp_interval_ms * 1000000ull)
			st->links[i]->next_lldp = now;
	st_leave(st);
	return 0;
}

/* The link an EVB call names, and its buffer (`what`) not NULL: the link,
 * or NULL with *rc (after st_fail when there is a station). */
static struct st_link *evb_link(struct vdp_station *st, const char *link, const void *buf,
                                const char *what, int *rc)
{
	struct st_link *l = st ? st_link_find(st, link) : NULL;
	*rc = 0;
	if (!st)
		*rc = -EINVAL;
	else if (!l)
		*rc = st_fail(st, -ENOENT, "no link named '%s'", link ? link : "(NULL)");
	else if (!buf)
		*rc = st_fail(st, -EINVAL, "%s: NULL", what);
	return *rc ? NULL : l;
}

int vdp_station_evb_tlv(struct vdp_station *st, const char *link, uint8_t tlv[11])
{
	int rc;
	struct st_link *l = evb_link(st, link, tlv, "EVB TLV buffer", &rc);
	if (!l)
		return rc;
	struct vdp_evb_tlv evb;
	st_lldp_advertise(l, &evb);
	return vdp_evb_tlv_encode(&evb, tlv, VDP_EVB_TLV_LEN) == VDP_EVB_TLV_LEN
	           ? 0
	           : st_fail(st, -EINVAL, "link %s: cannot encode the EVB TLV", l->name);
}

int vdp_station_evb_input(struct vdp_station *st, const char *link, const uint8_t info[5])
{
	int rc;
	struct st_link *l = evb_link(st, link, info, "EVB TLV info", &rc);
	if (!l)
		return rc;
	struct vdp_evb_tlv evb;
	rc = vdp_evb_info_decode(info, VDP_EVB_INFO_LEN, &evb);
	if (rc < 0)
		return st_fail(st, -EINVAL, "link %s: malformed EVB TLV: %s", l->name,
		               vdp_strerror(rc));
	st_enter(st);
	st_lldp_evb(l, &evb);
	st_leave(st);
	return 0;
}
