/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the migration services' DHCP snooping decoder (vdpd/migration/dhcp_wire.c), the
 * parser that reads frames a hostile VM can write.
 * Input: one Ethernet frame.  Checks: a decode never reads past the input
 * (ASan) and returns the input's length or a named error; whatever decodes
 * re-encodes (dhcp_frame_encode) and decodes again to the same message;
 * the BOOTP part alone decodes the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migration/dhcp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-dhcp: %s\n", what);
	abort();
}

static void same(const struct dhcp_msg *a, const struct dhcp_msg *b)
{
	if (a->op != b->op || a->htype != b->htype || a->hlen != b->hlen || a->xid != b->xid ||
	    memcmp(a->ciaddr, b->ciaddr, 4) || memcmp(a->yiaddr, b->yiaddr, 4) ||
	    memcmp(a->giaddr, b->giaddr, 4) || memcmp(a->chaddr, b->chaddr, 16) ||
	    a->type != b->type || a->has_lease != b->has_lease ||
	    (a->has_lease && a->lease_s != b->lease_s) || a->has_server_id != b->has_server_id ||
	    a->has_requested_ip != b->has_requested_ip || a->has_cltt != b->has_cltt ||
	    a->nassoc != b->nassoc || a->nprl != b->nprl)
		fail("decode(encode(decode(x))) differs");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_frame f, g;
	static uint8_t buf[4096];
	int rc = dhcp_frame_decode(data, size, &f);
	if (rc >= 0 && (size_t)rc != size)
		fail("frame decode consumed less or more than the input");
	if (rc < 0 && !*dhcp_strerror(rc))
		fail("unnamed error");
	if (rc >= 0) {
		int n = dhcp_frame_encode(&f, buf, sizeof(buf));
		if (n < 0)
			fail("a decoded frame does not encode");
		if (dhcp_frame_decode(buf, (size_t)n, &g) != n)
			fail("an encoded frame does not decode");
		same(&f.msg, &g.msg);
	}
	struct dhcp_msg m;
	rc = dhcp_decode(data, size, &m);
	if (rc >= 0 && (size_t)rc != size)
		fail("message decode consumed less or more than the input");
	return 0;
}
