/* SPDX-License-Identifier: ISC */
/* libvdp station: the VDPDUs a station sends.  Every one starts with the
 * VSI Manager ID TLV (lldpad does so and expects it; vdpd echoes it), then
 * carries exactly one request TLV, so that each exchange has its own ECP
 * frame and its own acknowledgement. */
#include <string.h>

#include "station_int.h"

enum req_kind { REQ_VSI, REQ_POLICY, REQ_HELP };

/* The Manager ID TLV, then the request TLV tlv (of the kind k). */
static int with_mgrid(const struct vdp_mgrid *m, enum req_kind k, const void *tlv, uint8_t *buf,
                      size_t cap)
{
	int a = vdp_mgrid_encode(m, buf, cap);
	if (a < 0)
		return a;
	uint8_t *p = buf + a;
	size_t room = cap - (size_t)a;
	int b = k == REQ_VSI      ? vdp_vsi_encode(tlv, p, room)
	        : k == REQ_POLICY ? vdp_policy_encode(tlv, p, room)
	                          : vdp_help_encode(tlv, p, room);
	return b < 0 ? b : a + b;
}

int st_pdu_vsi(const struct vdp_mgrid *m, const struct vdp_vsi *v, uint8_t *buf, size_t cap)
{
	return with_mgrid(m, REQ_VSI, v, buf, cap);
}

int st_pdu_policy(const struct vdp_mgrid *m, const struct vdp_policy *p, uint8_t *buf, size_t cap)
{
	return with_mgrid(m, REQ_POLICY, p, buf, cap);
}

int st_pdu_help(const struct vdp_mgrid *m, const struct vdp_help *h, uint8_t *buf, size_t cap)
{
	return with_mgrid(m, REQ_HELP, h, buf, cap);
}

int st_ecp_send(struct vdp_station *st, struct st_link *l, const uint8_t *pdu, size_t len,
                uint32_t id)
{
	int rc = vdp_ecp_engine_send(l->ecp, pdu, len, (void *)(uintptr_t)id, st_now(st));
	if (rc < 0)
		return st_fail(st, rc, "link %s: ECP send queue full (%d requests waiting)",
		               l->name, ST_ECP_DEPTH);
	l->tx_pdus++;
	return 0;
}
