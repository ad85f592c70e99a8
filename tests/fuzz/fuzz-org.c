/* SPDX-License-Identifier: ISC */
/* libFuzzer target: organizationally defined TLVs.
 * Input: one TLV, header first, possibly followed by more octets (the rest
 * of a PDU).  Checks: fuzz-common.h. */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_set_input(data, size);
	fuzz_tlv(FK_ORG, data, size);
	return 0;
}
