/* SPDX-License-Identifier: ISC */
/* libFuzzer target: VDPDU iteration (vdp_pdu_next) and dispatch of every
 * TLV to the decoder for its type (VSI, Manager ID, policy, help, org).
 * Input: an ECP upper-layer PDU (what follows the 4-octet ECP header). */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_set_input(data, size);
	fuzz_walk_pdu(data, size);

	/* Header codec: whatever decodes re-encodes to the same 2 octets. */
	struct vdp_tlv_hdr h;
	uint8_t enc[VDP_TLV_HDR_LEN + VDP_TLV_MAX_LEN];
	int rc = vdp_tlv_hdr_decode(data, size, &h);
	if (rc < 0) {
		fuzz_check_err(rc, "vdp_tlv_hdr_decode");
		return 0;
	}
	FUZZ_CHECK(rc == VDP_TLV_HDR_LEN && VDP_TLV_HDR_LEN + (size_t)h.len <= size,
	           "vdp_tlv_hdr_decode returned %d for length %u in %zu octets", rc, h.len, size);
	rc = vdp_tlv_hdr_encode(&h, enc, sizeof(enc));
	FUZZ_CHECK(rc == VDP_TLV_HDR_LEN && enc[0] == data[0] && enc[1] == data[1],
	           "TLV header does not re-encode to its input");
	return 0;
}
