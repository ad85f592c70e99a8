/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the migration services' IGMP decoder (vdpd/migration/igmp.c) and the binding
 * table's state-file line parser (vdpd/migration/bindings.c).
 * Input: one Ethernet frame (and, NUL-terminated, one state-file line).
 * Checks: no read past the input (ASan); a decode returns the input's
 * length or a named error; a parsed line formats back to itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migration/bindings.h"
#include "migration/igmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-igmp: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct igmp_frame f;
	int rc = igmp_frame_decode(data, size, &f);
	if (rc >= 0 && (size_t)rc != size)
		fail("decode consumed less or more than the input");
	if (rc < 0 && !*igmp_strerror(rc))
		fail("unnamed error");
	if (rc >= 0 && f.version < 1)
		fail("no version");

	char line[512], again[512], port[IFNAMSIZ];
	struct binding b, c;
	size_t n = size < sizeof(line) - 1 ? size : sizeof(line) - 1;
	memcpy(line, data, n);
	line[n] = '\0';
	if (binding_parse(line, &b, port) == 0) {
		if (binding_format(&b, port, again, sizeof(again)) < 0)
			fail("a parsed binding does not format");
		if (binding_parse(again, &c, port) != 0 || memcmp(b.mac, c.mac, 6) ||
		    b.vid != c.vid || memcmp(b.ip, c.ip, 4) || b.expires != c.expires ||
		    b.vsiid_fmt != c.vsiid_fmt || memcmp(b.vsiid, c.vsiid, 16) || b.src != c.src ||
		    b.state != c.state)
			fail("parse(format(parse(x))) differs");
	}
	return 0;
}
