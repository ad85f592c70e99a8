/* SPDX-License-Identifier: ISC */
/* vdp-pcap: the conversation in a capture, as a replay needs it.
 *
 * Which side is the station?  Not simply the side sending VDP requests
 * without the response bit: a bridge sends unsolicited De-Associates
 * without it too (lldpad's bridge does, 15.8 s after a station leaves).
 * What only a bridge sends is a VSI or policy TLV *with* the response bit,
 * so the station is the side that sends VSI/policy requests and no such
 * responses.  (The Help Request runs the other way round, bridge asks and
 * station answers, so it is left out of the count.)
 *
 * The station's ECP requests become the frames to send, retransmissions
 * folded into one (the replay's ECP engine retransmits by itself); the
 * bridge's ECP requests become the VDPDUs to expect; the bridge's acks say
 * which station requests were acknowledged.  Acks the station sent are
 * not replayed: the engine acknowledges what the live bridge sends.
 */
#include <stdlib.h>
#include <string.h>

#include <vdp/ecp.h>
#include <vdp/tlv.h>

#include "array.h"
#include "vdp-pcap.h"

#define MAX_SIDES 16

struct side {
	uint8_t mac[6];
	unsigned requests;  /* VSI/policy TLVs without the response bit */
	unsigned responses; /* VSI/policy TLVs with it */
	unsigned frames;    /* ECP frames sent */
};

struct sides {
	struct side v[MAX_SIDES];
	size_t n;
};

static struct side *side_of(struct sides *s, const uint8_t mac[6])
{
	for (size_t i = 0; i < s->n; i++)
		if (memcmp(s->v[i].mac, mac, 6) == 0)
			return &s->v[i];
	if (s->n == MAX_SIDES)
		return NULL;
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	memcpy(s->v[s->n].mac, mac, 6);
	return &s->v[s->n++];
}

/* The status octet of a VSI or policy TLV, through its codec; -1 for
 * other TLVs and for ones the codec refuses. */
static int tlv_status(const struct vdp_tlv_hdr *h, const uint8_t *tlv, size_t len)
{
	static struct vdp_vsi vsi;
	static struct vdp_policy pol;
	if (vdp_is_vsi_type(h->type))
		return vdp_vsi_decode(tlv, len, &vsi) < 0 ? -1 : vsi.status;
	if (h->type >= VDP_TLV_POLICY_SYNC && h->type <= VDP_TLV_POLICY_REMOVE)
		return vdp_policy_decode(tlv, len, &pol) < 0 ? -1 : pol.status;
	return -1;
}

static void count_roles(const struct frame *f, struct sides *s)
{
	struct vdp_ecp_frame ef;
	if (frame_classify(f->data, f->len) != FRAME_ECP)
		return;
	struct side *sd = side_of(s, f->data + 6);
	if (!sd)
		return;
	sd->frames++;
	if (vdp_ecp_frame_decode(f->data, f->len, &ef) < 0 || ef.hdr.op != VDP_ECP_OP_REQUEST ||
	    ef.hdr.subtype != VDP_ECP_SUBTYPE_VDP)
		return;
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;
	vdp_pdu_iter_init(&it, ef.ulpdu, ef.ulpdu_len);
	while (vdp_pdu_next(&it, &h, &tlv, &tlen) == 1) {
		int st = tlv_status(&h, tlv, tlen);
		if (st >= 0 && (st & VDP_RESP))
			sd->responses++;
		else if (st >= 0)
			sd->requests++;
	}
}

static int find_station(const struct sides *s, uint8_t out[6], char *err, size_t errlen)
{
	const struct side *cand[2];
	unsigned n = 0;
	for (size_t i = 0; i < s->n && n < 2; i++)
		if (s->v[i].requests && !s->v[i].responses)
			cand[n++] = &s->v[i];
	if (n == 1) {
		memcpy(out, cand[0]->mac, 6);
		return 0;
	}
	if (n == 2) {
		char a[18], b[18];
		mac_str(cand[0]->mac, a);
		mac_str(cand[1]->mac, b);
		snprintf(err, errlen,
		         "both %s and %s send VDP requests and no responses: name the station "
		         "with --station-mac",
		         a, b);
		return -1;
	}
	snprintf(err, errlen, "%s",
	         s->n ? "no side sends well-formed VSI or policy requests only: name the station "
	                "with --station-mac"
	              : "no ECP frames in the capture");
	return -1;
}

/* The bridge: the other side that answered most, else the one that sent
 * most ECP frames (acks only, in an unanswered conversation). */
static const struct side *find_bridge(const struct sides *s, const uint8_t station[6])
{
	const struct side *best = NULL;
	for (size_t i = 0; i < s->n; i++) {
		const struct side *x = &s->v[i];
		if (memcmp(x->mac, station, 6) == 0)
			continue;
		if (!best || x->responses > best->responses ||
		    (x->responses == best->responses && x->frames > best->frames))
			best = x;
	}
	return best;
}

static struct conv_ev *ev_push(struct conv *c)
{
	if (ARRAY_GROW(c->ev, c->cap, c->nev + 1) < 0)
		return NULL;
	struct conv_ev *ev = &c->ev[c->nev++];
	memset(ev, 0, sizeof(*ev));
	return ev;
}

/* The last event of a kind, for folding retransmissions and placing acks. */
static struct conv_ev *last_of(struct conv *c, enum ev_kind k)
{
	for (size_t i = c->nev; i-- > 0;)
		if (c->ev[i].kind == k)
			return &c->ev[i];
	return NULL;
}

static bool same_request(const struct conv_ev *ev, const struct vdp_ecp_frame *f, size_t off)
{
	return ev && ev->seq == f->hdr.seq && ev->len - ev->ulpdu_off == f->ulpdu_len &&
	       memcmp(ev->data + off, f->ulpdu, f->ulpdu_len) == 0;
}

static void evb_merge(struct conv *c, const struct vdp_evb_tlv *t)
{
	/* Both ends settle on the larger values (802.1Qbg D.2.12). */
	if (!c->have_evb || t->r > c->evb.r)
		c->evb.r = t->r;
	if (!c->have_evb || t->rte > c->evb.rte)
		c->evb.rte = t->rte;
	c->have_evb = true;
}

static int add_frame(struct conv *c, const struct frame *f, double t)
{
	bool from_station = memcmp(f->data + 6, c->station, 6) == 0;
	bool from_bridge = c->have_bridge && memcmp(f->data + 6, c->bridge, 6) == 0;
	enum frame_kind k = frame_classify(f->data, f->len);
	struct vdp_ecp_frame ef;
	struct vdp_evb_tlv evb;

	if (k == FRAME_LLDP && (from_station || from_bridge) &&
	    lldp_find_evb(f->data, f->len, &evb))
		evb_merge(c, &evb);
	if (k != FRAME_ECP)
		return 0;
	if (!from_station && !from_bridge) {
		c->nignored++;
		return 0;
	}
	bool ok = vdp_ecp_frame_decode(f->data, f->len, &ef) >= 0 &&
	          ef.hdr.subtype == VDP_ECP_SUBTYPE_VDP;
	if (from_bridge && ok && ef.hdr.op == VDP_ECP_OP_ACK) {
		struct conv_ev *req = last_of(c, EV_STATION_REQ);
		if (req && req->seq == ef.hdr.seq)
			req->acked = true;
		return 0;
	}
	if (from_station && ok && ef.hdr.op == VDP_ECP_OP_ACK)
		return 0; /* the engine acknowledges the live bridge */
	if (from_bridge && !ok) {
		c->nignored++; /* nothing a well-behaved bridge sends; not comparable */
		return 0;
	}
	size_t off = (size_t)(ef.ulpdu - f->data);
	enum ev_kind kind = !ok ? EV_STATION_RAW : from_station ? EV_STATION_REQ : EV_BRIDGE_PDU;
	if (ok && same_request(last_of(c, kind), &ef, off))
		return 0; /* a retransmission */
	struct conv_ev *ev = ev_push(c);
	if (!ev || !(ev->data = malloc(f->len ? f->len : 1)))
		return -1;
	ev->kind = kind;
	ev->frame = f->no;
	ev->t = t;
	ev->seq = ok ? ef.hdr.seq : 0;
	ev->need = c->nbridge;
	memcpy(ev->data, f->data, f->len);
	ev->len = f->len;
	ev->ulpdu_off = ok ? off : 0;
	if (kind == EV_BRIDGE_PDU)
		c->nbridge++;
	else
		c->nstation++;
	return 0;
}

int conv_build(const struct capture *cap, const uint8_t *station_mac, const struct mac_map *m,
               size_t nmap, struct conv *out, char *err, size_t errlen)
{
	struct sides s = {.n = 0};
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < cap->n; i++)
		count_roles(&cap->v[i], &s);
	if (station_mac)
		memcpy(out->station, station_mac, 6);
	else if (find_station(&s, out->station, err, errlen) < 0)
		return -1;
	const struct side *br = find_bridge(&s, out->station);
	if (br) {
		memcpy(out->bridge, br->mac, 6);
		out->have_bridge = true;
	}
	/* From here on everything is in rewritten terms, the two sides'
	 * addresses included. */
	uint8_t hdr[12];
	memcpy(hdr, out->bridge, 6);
	memcpy(hdr + 6, out->station, 6);
	rewrite_frame(hdr, sizeof(hdr), m, nmap);
	memcpy(out->bridge, hdr, 6);
	memcpy(out->station, hdr + 6, 6);

	for (size_t i = 0; i < cap->n; i++) {
		struct frame f = cap->v[i];
		uint8_t *copy = malloc(f.len ? f.len : 1);
		if (!copy)
			goto nomem;
		memcpy(copy, f.data, f.len);
		rewrite_frame(copy, f.len, m, nmap);
		f.data = copy;
		double t = (double)(f.ts.tv_sec - cap->t0.tv_sec) +
		           (double)(f.ts.tv_usec - cap->t0.tv_usec) / 1e6;
		int rc = add_frame(out, &f, t);
		free(copy);
		if (rc < 0)
			goto nomem;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	conv_free(out);
	return -1;
}

void conv_free(struct conv *c)
{
	for (size_t i = 0; i < c->nev; i++)
		free(c->ev[i].data);
	free(c->ev);
	memset(c, 0, sizeof(*c));
}
