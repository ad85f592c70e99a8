/* SPDX-License-Identifier: ISC */
/* common: the bounded growing text buffer (see strbuf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "strbuf.h"

size_t sb_limit(const struct strbuf *sb)
{
	return sb->max ? sb->max : SIZE_MAX;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb->overflow = false;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->overflow = false;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Room for n more octets and the NUL; false (and overflow set) when that
 * would pass the ceiling or memory runs out.  Once truncated, a buffer
 * takes nothing more: a later short write must not hide the gap. */
static bool sb_reserve(struct strbuf *sb, size_t n)
{
	if (sb->overflow)
		return false;
	if (n > sb_limit(sb) - sb->len || sb->len + n == SIZE_MAX ||
	    ARRAY_GROW(sb->buf, sb->cap, sb->len + n + 1) < 0) {
		sb->overflow = true;
		return false;
	}
	return true;
}

void sb_write(struct strbuf *sb, const void *p, size_t n)
{
	if (!sb_reserve(sb, n))
		return;
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_write(sb, s, strlen(s));
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_write(sb, &c, 1);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	char small[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sb_write(sb, small, (size_t)n);
		return;
	}
	if (!sb_reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
