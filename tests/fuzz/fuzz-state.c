/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the state directory's record format (vdpd/state/record.c),
 * which vdpd reads back from disk after a crash, a bad disk or an operator's
 * copy.  Input: a state file (header, records) or, if the header does not
 * decode, a bare record stream.
 * Checks: no read past the input (ASan); a decoded record re-encodes to the
 * octets it was decoded from; every error is named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-state: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum rec_file kind;
	unsigned version;
	size_t off = rec_header_decode(data, size, &kind, &version) == REC_OK ? REC_HEADER_SIZE : 0;
	static uint8_t again[REC_FIXED + REC_MAX_KEY + REC_MAX_VALUE];
	while (off < size) {
		struct rec r;
		size_t used = 0;
		int rc = rec_decode(data + off, size - off, &r, &used);
		if (rc < 0) {
			if (!strcmp(rec_strerror(rc), "unknown error"))
				fail("unnamed error");
			break;
		}
		if (used == 0 || used > size - off || used != rec_size(&r))
			fail("a record's size disagrees with what was consumed");
		rec_encode(again, &r);
		if (memcmp(again, data + off, used) != 0)
			fail("decode(encode(x)) != x");
		off += used;
	}
	return 0;
}
