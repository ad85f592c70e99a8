/* SPDX-License-Identifier: ISC */
/* common: a growing text buffer with an optional hard ceiling, for
 * answers built in memory before they are sent (vdpd's control socket,
 * vdp-station's daemon) and for JSON written before it is printed
 * (vdp-pcap).  The ceiling is what keeps a daemon from allocating without
 * bound for one answer: past it, or when memory runs out, writes are
 * dropped and `overflow` says the text is truncated.
 */
#ifndef COMMON_STRBUF_H
#define COMMON_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf; /* NUL-terminated once anything was written */
	size_t len, cap;
	size_t max;    /* ceiling on len; 0: none but memory */
	bool overflow; /* something did not fit (or malloc failed): truncated */
};

#define STRBUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0, 0, false                                                               \
	}

void sb_free(struct strbuf *sb);
size_t sb_limit(const struct strbuf *sb); /* max, or SIZE_MAX when there is none */
void sb_reset(struct strbuf *sb);         /* empties it, keeps the memory */
void sb_write(struct strbuf *sb, const void *p, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far ("" when nothing was written). */
const char *sb_str(const struct strbuf *sb);

#endif
