/* SPDX-License-Identifier: ISC */
/* vdpd: migration services in help mode: the Help Request (TLV 0x09, vdp-protocol(7))
 * for a VM that migrated in.
 *
 * vdpd sends the station, behind the VSI Manager ID the station used, a
 * Help Request naming the VSI, the VM's MAC and VLAN and its last known
 * address, with flag 0x01 (send a DHCPREQUEST for the VM).  The station
 * answers with the same TLV and the response bit; the DHCPACK its request
 * brings is snooped on the VM's new port (dhcp_snoop.c), which moves the
 * binding there (help-moved).  Within dhcp.help_timeout ms each: the
 * answer (else help-timeout), then the DHCPACK (else help-no-ack).  The ACK
 * may overtake the answer; both are then awaited before the task ends. */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "migration/migration.h"
#include "core/vdpd.h"

#define MS 1000000ull

static const char *macstr(const uint8_t m[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static int encode(const struct mig_task *t, uint8_t *pdu, size_t cap)
{
	struct vdp_mgrid mg;
	struct vdp_help h = {.flags = VDP_HELP_DHCP,
	                     .vsiid_fmt = t->vsiid_fmt,
	                     .ps = t->ps,
	                     .pcp = t->pcp,
	                     .vid = t->vid};
	memcpy(mg.id, t->mgrid, VDP_MGRID_LEN);
	memcpy(h.vsiid, t->vsiid, VDP_VSIID_LEN);
	memcpy(h.mac, t->mac, 6);
	memcpy(h.ipv4, t->ip, 4);
	int a = vdp_mgrid_encode(&mg, pdu, cap);
	int b = a < 0 ? a : vdp_help_encode(&h, pdu + a, cap - (size_t)a);
	return b < 0 ? b : a + b;
}

static void finish(struct vdpd *d, struct mig_task *t, bool failed)
{
	struct mig_task done = *t;
	t->kind = MT_NONE;
	if (failed)
		mig_unverified(d, &done);
}

void help_step(struct vdpd *d, struct mig_task *t, uint64_t now_ns)
{
	struct mig *m = d->mig;
	uint8_t pdu[VDP_TLV_HDR_LEN * 2 + VDP_MGRID_LEN + VDP_HELP_LEN];
	char mac[18];
	const char *port = d->ports[t->port].name;
	if (t->state == MS_WAIT_REPLY || t->state == MS_WAIT_ACK) {
		bool answer = t->state == MS_WAIT_REPLY;
		mig_count(m, answer ? MIG_HELP_TIMEOUT : MIG_HELP_NO_ACK);
		log_warn("port %s: Help Request for MAC %s VLAN %u (VNID %u): %s within %u ms%s",
		         port, macstr(t->mac, mac), t->vid, t->vnid,
		         answer ? "the station did not answer" : "no DHCPACK seen",
		         d->conf.dhcp_help_timeout_ms,
		         t->acked ? " (the binding did move)" : "; binding left as it was");
		return finish(d, t, !t->acked);
	}
	int len = encode(t, pdu, sizeof(pdu));
	if (len < 0 || !d->send) {
		log_err("port %s: Help Request for MAC %s not sent: %s", port, macstr(t->mac, mac),
		        len < 0 ? vdp_strerror(len) : "no way to send");
		return finish(d, t, true);
	}
	d->send(d->send_arg, t->port, pdu, (size_t)len);
	mig_count(m, MIG_HELP_SENT);
	log_info("port %s: Help Request (DHCP re-request) sent for MAC %s VLAN %u (VNID %u), last "
	         "known address %u.%u.%u.%u",
	         port, macstr(t->mac, mac), t->vid, t->vnid, t->ip[0], t->ip[1], t->ip[2],
	         t->ip[3]);
	t->state = MS_WAIT_REPLY;
	t->due = now_ns + d->conf.dhcp_help_timeout_ms * MS;
}

static struct mig_task *find(struct mig *m, unsigned port, const struct vdp_help *h)
{
	for (unsigned i = 0; i < MIG_MAX_TASKS; i++) {
		struct mig_task *t = &m->tasks[i];
		if (t->kind == MT_HELP && t->port == port && t->state == MS_WAIT_REPLY &&
		    t->vsiid_fmt == h->vsiid_fmt && !memcmp(t->vsiid, h->vsiid, VDP_VSIID_LEN) &&
		    !memcmp(t->mac, h->mac, 6))
			return t;
	}
	return NULL;
}

void migration_help_answer(struct vdpd *d, unsigned port, const struct vdp_help *hp,
                           uint64_t now_ns)
{
	const struct vdp_help h = *hp;
	char mac[18];
	struct mig_task *t = find(d->mig, port, &h);
	if (!t) {
		mig_count(d->mig, MIG_HELP_STRAY);
		if (mig_log_ok(d->mig, MIG_HELP_STRAY, (int64_t)(now_ns / 1000000000ull)))
			log_notice("port %s: Help answer for MAC %s matches no Help Request in "
			           "flight (logged every %d s)",
			           d->ports[port].name, macstr(h.mac, mac), MIG_LOG_EVERY);
		return;
	}
	unsigned err = h.status & VDP_STATUS_ERR_MASK;
	if (err) {
		mig_count(d->mig, MIG_HELP_REFUSED);
		log_notice("port %s: station refused the Help Request for MAC %s VLAN %u: error %u "
		           "(%s)%s",
		           d->ports[port].name, macstr(h.mac, mac), t->vid, err,
		           vdp_status_err_name(err), t->acked ? "" : "; binding left as it was");
		return finish(d, t, !t->acked);
	}
	mig_count(d->mig, MIG_HELP_ANSWERED);
	log_info("port %s: station answered the Help Request for MAC %s VLAN %u%s",
	         d->ports[port].name, macstr(h.mac, mac), t->vid,
	         t->acked ? "; its DHCPACK was already seen" : "; waiting for its DHCPACK");
	if (t->acked)
		return finish(d, t, false);
	t->state = MS_WAIT_ACK;
	t->due = now_ns + d->conf.dhcp_help_timeout_ms * MS;
}

bool help_on_ack(struct vdpd *d, unsigned port, const uint8_t mac[6], uint16_t vid)
{
	struct mig *m = d->mig;
	for (unsigned i = 0; i < MIG_MAX_TASKS; i++) {
		struct mig_task *t = &m->tasks[i];
		if (t->kind != MT_HELP || t->port != port || t->vid != vid ||
		    memcmp(t->mac, mac, 6) != 0 || t->acked ||
		    (t->state != MS_WAIT_REPLY && t->state != MS_WAIT_ACK))
			continue;
		mig_count(m, MIG_HELP_MOVED);
		if (t->state == MS_WAIT_ACK)
			finish(d, t, false);
		else
			t->acked = true;
		return true;
	}
	return false;
}
