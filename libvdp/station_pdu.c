/* libvdp station: the VDPDUs a station sends.  Every one starts with the
 * VSI Manager ID TLV (lldpad does so and expects it; vdpd echoes it), then
 * carries exactly one request TLV, so that each exchange has its own ECP
 * frame and its own acknowledgement. */
#include <string.h>

#include "station_int.h"

static int with_mgrid(const struct vdp_mgrid *m, uint8_t *buf, size_t cap)
{
	return vdp_mgrid_encode(m, buf, cap);
}

int st_pdu_vsi(const struct vdp_mgrid *m, const struct vdp_vsi *v, uint8_t *buf, size_t cap)
{
	int a = with_mgrid(m, buf, cap);
	if (a < 0)
		return a;
	int b = vdp_vsi_encode(v, buf + a, cap - (size_t)a);
	return b < 0 ? b : a + b;
}

int st_pdu_policy(const struct vdp_mgrid *m, const struct vdp_policy *p, uint8_t *buf, size_t cap)
{
	int a = with_mgrid(m, buf, cap);
	if (a < 0)
		return a;
	int b = vdp_policy_encode(p, buf + a, cap - (size_t)a);
	return b < 0 ? b : a + b;
}

int st_pdu_help(const struct vdp_mgrid *m, const struct vdp_help *h, uint8_t *buf, size_t cap)
{
	int a = with_mgrid(m, buf, cap);
	if (a < 0)
		return a;
	int b = vdp_help_encode(h, buf + a, cap - (size_t)a);
	return b < 0 ? b : a + b;
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
