/* SPDX-License-Identifier: ISC */
/* libvdp internal: what format.c and format_word.c share, bounded text
 * written the snprintf way. */
#ifndef VDP_FORMAT_INT_H
#define VDP_FORMAT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <vdp/tlv.h>

struct fmt_text {
	char *buf;
	size_t cap, len; /* len: what the whole text needs, even past cap */
};

void fmt_start(struct fmt_text *t, char *buf, size_t cap);
void fmt_put(struct fmt_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "10.0.0.0/8"; false for a prefix of no known family. */
bool fmt_prefix(const struct vdp_prefix *p, char *buf, size_t cap);

#endif
