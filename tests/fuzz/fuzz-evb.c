/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the LLDP EVB TLV (vdp_evb_tlv_decode, vdp_evb_info_decode) and
 * the negotiation rule (vdp_evb_negotiate).  Input: a whole EVB TLV (fe 09 00 80
 * c2 0d + 5 info octets) or the 5 info octets alone; both decoders see it. */
#include <string.h>

#include "fuzz-common.h"

/* Reserved bits, which decoders ignore and encoders write as 0. */
static const uint8_t info_mask[VDP_EVB_INFO_LEN] = {0x07, 0x0f, 0xff, 0xff, 0x3f};

static void check_info_octets(const uint8_t *wire, const struct vdp_evb_tlv *x)
{
	uint8_t enc[VDP_EVB_INFO_LEN];
	FUZZ_CHECK(vdp_evb_info_encode(x, enc, sizeof(enc)) == VDP_EVB_INFO_LEN,
	           "vdp_evb_info_encode");
	for (int i = 0; i < VDP_EVB_INFO_LEN; i++)
		FUZZ_CHECK(enc[i] == (wire[i] & info_mask[i]),
		           "EVB info octet %d: wire %02x, re-encoded %02x", i, wire[i], enc[i]);
}

static uint8_t max8(uint8_t a, uint8_t b)
{
	return a > b ? a : b;
}

static bool same(const struct vdp_evb_tlv *a, const struct vdp_evb_tlv *b)
{
	return a->bgid == b->bgid && a->rrcap == b->rrcap && a->rrctr == b->rrctr &&
	       a->sgid == b->sgid && a->rrreq == b->rrreq && a->rrstat == b->rrstat &&
	       a->r == b->r && a->rte == b->rte && a->mode == b->mode && a->rol_rwd == b->rol_rwd &&
	       a->rwd == b->rwd && a->rol_rka == b->rol_rka && a->rka == b->rka;
}

/* The rule of vdp/evb.h, checked on decoded local and remote values. */
static void check_negotiate(const struct vdp_evb_tlv *local, const struct vdp_evb_tlv *remote)
{
	struct vdp_evb_tlv out, again;
	vdp_evb_negotiate(local, remote, &out);
	FUZZ_CHECK(out.r == max8(local->r, remote->r), "negotiated R");
	FUZZ_CHECK(out.rte == max8(local->rte, remote->rte), "negotiated RTE");
	FUZZ_CHECK(out.rwd == max8(local->rwd, remote->rwd), "negotiated RWD");
	FUZZ_CHECK(out.rka == max8(local->rka, remote->rka), "negotiated RKA");
	FUZZ_CHECK(!out.rol_rwd || out.rwd == remote->rwd, "ROL set for RWD but local value used");
	FUZZ_CHECK(!out.rol_rka || out.rka == remote->rka, "ROL set for RKA but local value used");
	FUZZ_CHECK(out.rol_rwd || out.rwd == local->rwd, "ROL clear for RWD but remote value used");
	FUZZ_CHECK(out.rol_rka || out.rka == local->rka, "ROL clear for RKA but remote value used");
	FUZZ_CHECK(out.mode == local->mode, "negotiation changed our mode");
	if (local->mode == VDP_EVB_MODE_BRIDGE)
		FUZZ_CHECK(out.rrctr == (local->rrcap && remote->rrreq),
		           "bridge RRCTR %d with RRCAP %d, station RRREQ %d", out.rrctr,
		           local->rrcap, remote->rrreq);
	else
		FUZZ_CHECK(out.rrstat == (remote->rrctr ? VDP_EVB_RRSTAT_YES : VDP_EVB_RRSTAT_NO),
		           "station RRSTAT %u with bridge RRCTR %d", out.rrstat, remote->rrctr);
	/* What we advertise next must encode, and negotiating it again
	 * against the same remote must change nothing. */
	fuzz_rt_evb_info(&out);
	vdp_evb_negotiate(&out, remote, &again);
	FUZZ_CHECK(same(&out, &again), "negotiation is not idempotent");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vdp_evb_tlv a, b;
	int rc;

	fuzz_set_input(data, size);

	rc = vdp_evb_tlv_decode(data, size, &a);
	if (rc < 0) {
		fuzz_check_err(rc, "vdp_evb_tlv_decode");
	} else {
		FUZZ_CHECK(rc == VDP_EVB_TLV_LEN && (size_t)rc <= size,
		           "vdp_evb_tlv_decode returned %d", rc);
		FUZZ_CHECK(data[0] == 0xfe && data[1] == 0x09 && data[2] == VDP_EVB_OUI_0 &&
		               data[3] == VDP_EVB_OUI_1 && data[4] == VDP_EVB_OUI_2 &&
		               data[5] == VDP_EVB_SUBTYPE,
		           "vdp_evb_tlv_decode accepted a TLV that is not fe 09 00 80 c2 0d");
		check_info_octets(data + 6, &a);
		fuzz_rt_evb_tlv(&a);
	}

	rc = vdp_evb_info_decode(data, size, &a);
	if (rc < 0) {
		fuzz_check_err(rc, "vdp_evb_info_decode");
		return 0;
	}
	FUZZ_CHECK(rc == VDP_EVB_INFO_LEN && (size_t)rc <= size, "vdp_evb_info_decode returned %d",
	           rc);
	check_info_octets(data, &a);
	fuzz_rt_evb_info(&a);

	/* Two info blocks in a row: negotiate each side against the other. */
	if (size >= 2 * VDP_EVB_INFO_LEN &&
	    vdp_evb_info_decode(data + VDP_EVB_INFO_LEN, size - VDP_EVB_INFO_LEN, &b) ==
	        VDP_EVB_INFO_LEN) {
		check_negotiate(&a, &b);
		check_negotiate(&b, &a);
	}
	return 0;
}
