/* libFuzzer target: the ECP header and frame codecs (ecp_hdr_decode,
 * ecp_frame_decode).  Input: a whole Ethernet frame as captured.  A frame
 * that decodes is re-encoded (octet for octet the same), and its ULPDU is
 * walked as a VDPDU with every TLV decoder, as vdpd does on receipt. */
#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecp_hdr h;
	struct ecp_frame f;
	uint8_t enc[ETH_HDR_LEN + ECP_HDR_LEN + ECP_MAX_ULPDU];
	int rc;

	fuzz_set_input(data, size);

	/* The header alone, at the start of the input. */
	rc = ecp_hdr_decode(data, size, &h);
	if (rc < 0) {
		fuzz_check_err(rc, "ecp_hdr_decode");
	} else {
		FUZZ_CHECK(rc == ECP_HDR_LEN && size >= ECP_HDR_LEN, "ecp_hdr_decode returned %d", rc);
		FUZZ_CHECK(h.version == ECP_VERSION && h.op <= ECP_OP_ACK && h.subtype <= 0x3ff,
			   "ecp_hdr_decode accepted version %u op %u subtype %u", h.version, h.op,
			   h.subtype);
		/* No bit of the header is reserved: re-encoding gives the input. */
		FUZZ_CHECK(ecp_hdr_encode(&h, enc, sizeof(enc)) == ECP_HDR_LEN &&
				   memcmp(enc, data, ECP_HDR_LEN) == 0,
			   "ECP header does not re-encode to its input");
		fuzz_rt_ecp_hdr(&h);
	}

	rc = ecp_frame_decode(data, size, &f);
	if (rc < 0) {
		fuzz_check_err(rc, "ecp_frame_decode");
		return 0;
	}
	FUZZ_CHECK((size_t)rc == size, "ecp_frame_decode consumed %d of %zu", rc, size);
	FUZZ_CHECK(f.ulpdu == data + ETH_HDR_LEN + ECP_HDR_LEN &&
			   f.ulpdu_len == size - ETH_HDR_LEN - ECP_HDR_LEN,
		   "ULPDU at %td, %zu octets, in a %zu-octet frame", f.ulpdu - data, f.ulpdu_len,
		   size);
	if (f.ulpdu_len <= ECP_MAX_ULPDU) {
		int n = ecp_frame_encode(&f, 0, enc, sizeof(enc));
		FUZZ_CHECK(n == (int)size && memcmp(enc, data, size) == 0,
			   "ECP frame does not re-encode to its input (%d octets)", n);
		fuzz_rt_ecp_frame(&f);
	} else {
		/* Jumbo: the encoder refuses what the decoder accepted; say
		 * so only if it refuses with the wrong code. */
		int n = ecp_frame_encode(&f, 0, enc, sizeof(enc));
		FUZZ_CHECK(n == VDP_E_INVAL, "oversized ULPDU: encode returned %d", n);
	}
	if (f.hdr.op == ECP_OP_REQUEST && f.hdr.subtype == ECP_SUBTYPE_VDP)
		fuzz_walk_pdu(f.ulpdu, f.ulpdu_len);
	return 0;
}
