/* SPDX-License-Identifier: ISC */
/* vdpd: one received VDPDU in, one response VDPDU out.  Each request TLV
 * gets a response TLV, in order, behind the VSI Manager ID the station
 * sent (lldpad puts it first in every VDPDU and expects it back); so does
 * a malformed request whose fixed part names its VSI or VNID, with the
 * error.  Only what cannot be named is dropped, counted (undecodable). */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "core/vdpd.h"

struct pdu_out {
	uint8_t *buf;
	size_t cap, len;
	bool any; /* at least one response TLV */
};

static void out_put(struct vdpd *d, unsigned port, struct pdu_out *o, int n)
{
	if (n < 0) {
		log_err("port %s: response does not fit the VDPDU: %s", d->ports[port].name,
		        vdp_strerror(n));
		return;
	}
	o->len += (size_t)n;
}

static void dropped(struct vdpd *d, unsigned port, const char *what, int err);

static void tlv_dropped(struct vdpd *d, unsigned port, const uint8_t *tlv, int err)
{
	char what[48];
	snprintf(what, sizeof(what), "%s TLV", vdp_tlv_type_name(tlv[0] >> 1));
	dropped(d, port, what, err);
}

static void dropped(struct vdpd *d, unsigned port, const char *what, int err)
{
	d->ports[port].rx_err[-err]++;
	vdpd_count(d, port, REASON_UNDECODABLE);
	if (fair_log_ok(d, port))
		log_notice("port %s: %s dropped: %s", d->ports[port].name, what, vdp_strerror(err));
}

/* A VSI TLV the decoder refused: answered with the error when its fixed
 * part names the VSI and it is a request (vdp-protocol(7)), else dropped.
 * The answer echoes the fixed part, with no entries. */
static void vsi_malformed(struct vdpd *d, unsigned port, const uint8_t *tlv, size_t len, int err,
                          struct pdu_out *o)
{
	static struct vdp_vsi head;
	if (vdp_vsi_head_decode(tlv, len, &head) < 0 || (head.status & VDP_RESP))
		return tlv_dropped(d, port, tlv, err);
	d->ports[port].rx_err[-err]++;
	vsi_refuse_malformed(d, port, err, &head);
	out_put(d, port, o, vdp_vsi_head_encode(&head, o->buf + o->len, o->cap - o->len));
	o->any = true;
}

static void vsi_tlv(struct vdpd *d, unsigned port, const uint8_t *tlv, size_t len,
                    const uint8_t *mgrid, uint64_t now, struct pdu_out *o)
{
	/* 4 KiB each: static, the daemon is single-threaded. */
	static struct vdp_vsi req, resp;
	int rc = vdp_vsi_decode(tlv, len, &req);
	if (rc < 0)
		return vsi_malformed(d, port, tlv, len, rc, o);
	if (req.status & VDP_RESP) {
		/* The station's answer to our unsolicited De-Associate. */
		vdpd_count(d, port, REASON_NOT_REQUEST);
		return;
	}
	vsi_handle(d, port, &req, mgrid, now, &resp);
	out_put(d, port, o, vdp_vsi_encode(&resp, o->buf + o->len, o->cap - o->len));
	o->any = true;
}

/* The policy lists judge the entries' values themselves, naming the entry
 * (policy_check.c): the TLV is decoded without libvdp's range checks. */
static void policy_tlv(struct vdpd *d, unsigned port, const uint8_t *tlv, size_t len,
                       struct pdu_out *o)
{
	static struct vdp_policy req, resp;
	int rc = vdp_policy_decode_unchecked(tlv, len, &req);
	if (rc < 0) {
		if (vdp_policy_head_decode(tlv, len, &resp) < 0 || (resp.status & VDP_RESP))
			return tlv_dropped(d, port, tlv, rc);
		d->ports[port].rx_err[-rc]++;
		resp.vnid = vdpd_vnid_of(d, resp.vnid & 0xffffff, (uint8_t)(resp.vnid >> 24));
		policy_refuse_malformed(d, port, rc, &resp);
	} else if (req.status & VDP_RESP) {
		vdpd_count(d, port, REASON_NOT_REQUEST);
		return;
	} else {
		req.vnid = vdpd_vnid_of(d, req.vnid & 0xffffff, (uint8_t)(req.vnid >> 24));
		policy_handle(d, port, &req, &resp);
	}
	out_put(d, port, o, vdp_policy_encode(&resp, o->buf + o->len, o->cap - o->len));
	o->any = true;
}

/* A Help TLV (the migration extension): stations answer bridges' Help
 * Requests, never ask; the answer goes to the migration services, if any. */
static void help_tlv(struct vdpd *d, unsigned port, const uint8_t *tlv, size_t len, uint64_t now_ns)
{
	struct vdp_help h;
	int rc = vdp_help_decode(tlv, len, &h);
	if (rc < 0)
		return tlv_dropped(d, port, tlv, rc);
	if (!(h.status & VDP_RESP) || !d->hooks) {
		vdpd_count(d, port, REASON_NOT_REQUEST); /* stations do not ask bridges */
		return;
	}
	d->hooks->help_answer(d, port, &h, now_ns);
}

size_t vdpd_handle_pdu(struct vdpd *d, unsigned port, const uint8_t *pdu, size_t len,
                       uint64_t now_ns, uint8_t *resp, size_t cap)
{
	struct pdu_out o = {resp, cap, 0, false};
	uint8_t mgrid[VDP_MGRID_LEN] = {0};
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;
	int rc;

	d->ports[port].rx_pdus++;
	d->now_ns = now_ns; /* for the refusal log quota (fair_log_ok) */
	vdp_pdu_iter_init(&it, pdu, len);
	while ((rc = vdp_pdu_next(&it, &h, &tlv, &tlen)) == 1) {
		if (h.type == VDP_TLV_MGRID) {
			struct vdp_mgrid m;
			int r = vdp_mgrid_decode(tlv, tlen, &m);
			if (r < 0) {
				dropped(d, port, "manager-id TLV", r);
				continue;
			}
			memcpy(mgrid, m.id, VDP_MGRID_LEN);
			out_put(d, port, &o, vdp_mgrid_encode(&m, o.buf + o.len, o.cap - o.len));
		} else if (vdp_is_vsi_type(h.type)) {
			vsi_tlv(d, port, tlv, tlen, mgrid, now_ns, &o);
		} else if (h.type >= VDP_TLV_POLICY_SYNC && h.type <= VDP_TLV_POLICY_REMOVE) {
			policy_tlv(d, port, tlv, tlen, &o);
		} else if (h.type == VDP_TLV_HELP) {
			help_tlv(d, port, tlv, tlen, now_ns);
		} else {
			vdpd_count(d, port, REASON_UNKNOWN_TLV);
		}
	}
	if (rc < 0)
		dropped(d, port, "rest of the VDPDU", rc);
	if (!o.any)
		return 0;
	d->ports[port].tx_responses++;
	return o.len;
}
