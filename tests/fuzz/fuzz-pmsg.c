/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the decoder of the messages between vdpd and its DHCP
 * parser child (vdpd/migration/parser_msg.c), which the daemon runs over
 * whatever the child sends: the child parses VM traffic, so a compromised
 * child is the attacker here.
 * Input: one datagram.
 * Checks: no read past the input (ASan); a decode error is named; a message
 * that decodes encodes back to the same octets, and decodes again to the
 * same message; a child's answer a frame produced (the child's own path:
 * dhcp_frame_decode, then pmsg_encode_*) always decodes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migration/parser_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-pmsg: %s\n", what);
	abort();
}

static void round_trip(const uint8_t *data, size_t size)
{
	static struct pmsg m, m2;
	static uint8_t again[PMSG_MAX_LEN];
	int rc = pmsg_decode(data, size, &m);
	if (rc < 0) {
		if (!strcmp(pmsg_strerror(rc), "unknown error"))
			fail("unnamed error");
		return;
	}
	int n = pmsg_encode(&m, again, sizeof(again));
	if (n < 0 || (size_t)n != size || memcmp(again, data, size))
		fail("encode(decode(x)) != x");
	if (pmsg_decode(again, (size_t)n, &m2) < 0 || m2.type != m.type || m2.seq != m.seq ||
	    m2.err != m.err || memcmp(&m2.dhcp, &m.dhcp, sizeof(m.dhcp)))
		fail("decode(encode(m)) != m");
}

/* The input as a captured frame: what the child would answer. */
static void child_answer(const uint8_t *data, size_t size)
{
	static struct dhcp_frame f;
	static struct pmsg m;
	static uint8_t out[PMSG_HDR_LEN + PMSG_DHCP_LEN];
	int rc = dhcp_frame_decode(data, size, &f);
	int n = rc < 0 ? pmsg_encode_reject(7, rc < -PMSG_MAX_ERR ? -PMSG_MAX_ERR : rc, out,
	                                    sizeof(out))
	               : pmsg_encode_dhcp(7, &f, out, sizeof(out));
	if (n < 0)
		fail("the child cannot encode its answer");
	if (pmsg_decode(out, (size_t)n, &m) < 0 || m.seq != 7)
		fail("the daemon refuses an honest child's answer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	round_trip(data, size);
	child_answer(data, size);
	return 0;
}
