/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the ECP header and frame codecs (vdp_ecp_hdr_decode,
 * vdp_ecp_frame_decode).  Input: a whole Ethernet frame as captured.  A frame
 * that decodes is re-encoded (octet for octet the same), and its ULPDU is
 * walked as a VDPDU with every TLV decoder, as vdpd does on receipt. */
#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vdp_ecp_hdr h;
	struct vdp_ecp_frame f;
	uint8_t enc[VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN + VDP_ECP_MAX_ULPDU];
	int rc;

	fuzz_set_input(data, size);

	/* The header alone, at the start of the input. */
	rc = vdp_ecp_hdr_decode(data, size, &h);
	if (rc < 0) {
		fuzz_check_err(rc, "vdp_ecp_hdr_decode");
	} else {
		FUZZ_CHECK(rc == VDP_ECP_HDR_LEN && size >= VDP_ECP_HDR_LEN,
		           "vdp_ecp_hdr_decode returned %d", rc);
		FUZZ_CHECK(h.version == VDP_ECP_VERSION && h.op <= VDP_ECP_OP_ACK &&
		               h.subtype <= 0x3ff,
		           "vdp_ecp_hdr_decode accepted version %u op %u subtype %u", h.version,
		           h.op, h.subtype);
		/* No bit of the header is reserved: re-encoding gives the input. */
		FUZZ_CHECK(vdp_ecp_hdr_encode(&h, enc, sizeof(enc)) == VDP_ECP_HDR_LEN &&
		               memcmp(enc, data, VDP_ECP_HDR_LEN) == 0,
		           "ECP header does not re-encode to its input");
		fuzz_rt_ecp_hdr(&h);
	}

	rc = vdp_ecp_frame_decode(data, size, &f);
	if (rc < 0) {
		fuzz_check_err(rc, "vdp_ecp_frame_decode");
		return 0;
	}
	FUZZ_CHECK((size_t)rc == size, "vdp_ecp_frame_decode consumed %d of %zu", rc, size);
	FUZZ_CHECK(f.ulpdu == data + VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN &&
	               f.ulpdu_len == size - VDP_ETH_HDR_LEN - VDP_ECP_HDR_LEN,
	           "ULPDU at %td, %zu octets, in a %zu-octet frame", f.ulpdu - data, f.ulpdu_len,
	           size);
	if (f.ulpdu_len <= VDP_ECP_MAX_ULPDU) {
		int n = vdp_ecp_frame_encode(&f, 0, enc, sizeof(enc));
		FUZZ_CHECK(n == (int)size && memcmp(enc, data, size) == 0,
		           "ECP frame does not re-encode to its input (%d octets)", n);
		fuzz_rt_ecp_frame(&f);
	} else {
		/* Jumbo: the encoder refuses what the decoder accepted; say
		 * so only if it refuses with the wrong code. */
		int n = vdp_ecp_frame_encode(&f, 0, enc, sizeof(enc));
		FUZZ_CHECK(n == VDP_E_INVAL, "oversized ULPDU: encode returned %d", n);
	}
	if (f.hdr.op == VDP_ECP_OP_REQUEST && f.hdr.subtype == VDP_ECP_SUBTYPE_VDP)
		fuzz_walk_pdu(f.ulpdu, f.ulpdu_len);
	return 0;
}
