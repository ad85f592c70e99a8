/* SPDX-License-Identifier: ISC */
/* vdpd: DHCP snooping (migration services): what one captured DHCP frame of a served
 * port does to the binding table.  The captures are migration_io.c's; this
 * is the decision, over the daemon's tables, without I/O.
 *
 * Only VSIs whose VNID's policy has DHCP snooping on (type 0x05) count: a
 * frame is matched to the VSI of the port with a filter for its client MAC
 * and VLAN.
 *   leaving the port, towards the VM:
 *     DHCPACK with an address and a lease  binding (MAC, VLAN) -> address,
 *                                          port, lease end (dhcp-acks); if a
 *                                          Help Request awaited it, help-moved
 *     DHCPNAK                              the port's binding goes (dhcp-naks)
 *   arriving from the VM:
 *     DHCPRELEASE (ciaddr) / DHCPDECLINE (requested address) of the bound
 *     address                              the binding goes (dhcp-releases)
 *     any server reply (BOOTREPLY)         a rogue server: counted and logged
 *                                          (rogue-server-replies); nftables
 *                                          has already dropped it
 * Everything else (DISCOVER, OFFER, REQUEST, INFORM and its ACK) changes
 * nothing. */
#include <stdio.h>
#include <string.h>

#include "migration/dhcp_wire.h"
#include "log.h"
#include "migration/migration.h"
#include "core/vdpd.h"

struct seen {
	struct vdpd *d;
	unsigned port;
	uint16_t vid;
	const struct dhcp_frame *f;
	char mac[18], ip[16];
};

/* The snooping VSI for (mac, vid) on the port, or NULL. */
static struct vsi *snooping_vsi(struct vdpd *d, unsigned port, const uint8_t mac[6], uint16_t vid)
{
	struct vsi *v = mig_vsi_by_mac(d, port, mac, vid);
	const struct vnid *n = v ? vdpd_vnid_find(d, v->vnid) : NULL;
	return n && mig_vnid_dhcp(n) ? v : NULL;
}

static void ack(struct seen *s, const struct vsi *v, int64_t now_s)
{
	struct vdpd *d = s->d;
	const struct dhcp_msg *r = &s->f->msg;
	static const uint8_t none[4];
	if (!memcmp(r->yiaddr, none, 4) || !r->has_lease)
		return; /* the ACK of a DHCPINFORM: no lease */
	struct binding *old = bindings_find(&d->mig->tab, r->chaddr, s->vid);
	bool same = old && old->port == s->port && !memcmp(old->ip, r->yiaddr, 4);
	struct binding b = {.vid = s->vid,
	                    .port = s->port,
	                    .vnid = v->vnid,
	                    .vsiid_fmt = v->vsiid_fmt,
	                    .expires = now_s + r->lease_s,
	                    .updated = now_s,
	                    .src = BIND_SNOOPED,
	                    .state = BIND_BOUND};
	memcpy(b.mac, r->chaddr, 6);
	memcpy(b.ip, r->yiaddr, 4);
	memcpy(b.vsiid, v->vsiid, VDP_VSIID_LEN);
	if (help_on_ack(d, s->port, b.mac, b.vid))
		b.src = BIND_HELP;
	else if (same)
		b.src = old->src; /* a renewal keeps how the binding got here */
	mig_count(d->mig, MIG_DHCP_ACKS);
	if (mig_bind(d, &b) < 0)
		return;
	if (same && b.src != BIND_HELP)
		log_debug("port %s: binding %s for MAC %s VLAN %u renewed, lease %u s",
		          d->ports[s->port].name, s->ip, s->mac, s->vid, r->lease_s);
	else
		log_info("port %s: binding %s for MAC %s VLAN %u (VNID %u)%s, lease %u s",
		         d->ports[s->port].name, s->ip, s->mac, s->vid, v->vnid,
		         b.src == BIND_HELP ? " moved here by the DHCPACK the Help Request brought"
		                            : " from a snooped DHCPACK",
		         r->lease_s);
}

static void unbind(struct seen *s, const uint8_t *ip, enum mig_counter c, const char *why)
{
	struct vdpd *d = s->d;
	struct binding *b = bindings_find(&d->mig->tab, s->f->msg.chaddr, s->vid);
	if (!b || b->port != s->port || (ip && memcmp(b->ip, ip, 4) != 0))
		return;
	snprintf(s->ip, sizeof(s->ip), "%u.%u.%u.%u", b->ip[0], b->ip[1], b->ip[2], b->ip[3]);
	bindings_del(&d->mig->tab, b);
	d->mig->dirty = true;
	mig_count(d->mig, c);
	log_info("port %s: binding %s for MAC %s VLAN %u removed: %s", d->ports[s->port].name,
	         s->ip, s->mac, s->vid, why);
}

static void rogue(struct seen *s, int64_t now_s)
{
	struct vdpd *d = s->d;
	char src[18];
	const uint8_t *m = s->f->eth.src;
	if (!snooping_vsi(d, s->port, m, s->vid))
		return; /* not a snooped VLAN: nothing blocks it, nothing to say */
	mig_count(d->mig, MIG_ROGUE_REPLIES);
	if (!mig_log_ok(d->mig, MIG_ROGUE_REPLIES, now_s))
		return;
	snprintf(src, sizeof(src), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
	         m[5]);
	log_notice("port %s: %s from VM-facing port (MAC %s VLAN %u, IP %u.%u.%u.%u) dropped: "
	           "rogue DHCP server (%llu so far; logged every %d s)",
	           d->ports[s->port].name, dhcp_type_name(s->f->msg.type), src, s->vid,
	           s->f->ip_src[0], s->f->ip_src[1], s->f->ip_src[2], s->f->ip_src[3],
	           (unsigned long long)d->mig->counters[MIG_ROGUE_REPLIES], MIG_LOG_EVERY);
}

static void to_vm(struct seen *s, int64_t now_s)
{
	const struct dhcp_msg *r = &s->f->msg;
	if (r->type != DHCPACK && r->type != DHCPNAK)
		return;
	if (r->htype != 1 || r->hlen != 6)
		return;
	const struct vsi *v = snooping_vsi(s->d, s->port, r->chaddr, s->vid);
	if (!v) {
		/* VLANs without snooping come here too: count only the VSI-less. */
		if (!mig_vsi_by_mac(s->d, s->port, r->chaddr, s->vid)) {
			mig_count(s->d->mig, MIG_SNOOP_NO_VSI);
			log_debug("port %s: %s for MAC %s VLAN %u ignored: no VSI of the port has "
			          "them",
			          s->d->ports[s->port].name, dhcp_type_name(r->type), s->mac,
			          s->vid);
		}
		return;
	}
	if (r->type == DHCPACK)
		ack(s, v, now_s);
	else
		unbind(s, NULL, MIG_DHCP_NAKS, "DHCPNAK from the server");
}

static void from_vm(struct seen *s, int64_t now_s)
{
	const struct dhcp_msg *r = &s->f->msg;
	if (r->op == DHCP_BOOTREPLY)
		return rogue(s, now_s);
	if (r->htype != 1 || r->hlen != 6 || !snooping_vsi(s->d, s->port, r->chaddr, s->vid))
		return;
	if (r->type == DHCPRELEASE)
		unbind(s, r->ciaddr, MIG_DHCP_RELEASES, "DHCPRELEASE from the VM");
	else if (r->type == DHCPDECLINE && r->has_requested_ip)
		unbind(s, r->requested_ip, MIG_DHCP_RELEASES, "DHCPDECLINE from the VM");
}

void dhcp_snoop_malformed(struct vdpd *d, unsigned port, size_t len, int err)
{
	if (!d->mig || port >= d->nports)
		return;
	mig_count(d->mig, MIG_SNOOP_MALFORMED);
	log_debug("port %s: captured DHCP frame (%zu octets) dropped: %s", d->ports[port].name, len,
	          dhcp_strerror(err));
}

void dhcp_snoop_decoded(struct vdpd *d, unsigned port, bool out, const struct dhcp_frame *f,
                        int64_t now_s)
{
	if (!d->mig || port >= d->nports)
		return;
	struct seen s = {.d = d, .port = port, .vid = f->eth.tagged ? f->eth.vid : 0, .f = f};
	const uint8_t *c = f->msg.chaddr, *y = f->msg.yiaddr;
	snprintf(s.mac, sizeof(s.mac), "%02x:%02x:%02x:%02x:%02x:%02x", c[0], c[1], c[2], c[3],
	         c[4], c[5]);
	snprintf(s.ip, sizeof(s.ip), "%u.%u.%u.%u", y[0], y[1], y[2], y[3]);
	if (out && f->msg.op == DHCP_BOOTREPLY)
		to_vm(&s, now_s);
	else if (!out)
		from_vm(&s, now_s);
}

void dhcp_snoop_frame(struct vdpd *d, unsigned port, bool out, const uint8_t *frame, size_t len,
                      int64_t now_s)
{
	static struct dhcp_frame f;
	int rc = dhcp_frame_decode(frame, len, &f);
	if (rc < 0)
		dhcp_snoop_malformed(d, port, len, rc);
	else
		dhcp_snoop_decoded(d, port, out, &f, now_s);
}
