/* SPDX-License-Identifier: ISC */
/* common: interface name validation (ifname.h). */
#include <stdio.h>
#include <string.h>

#include "ifname.h"

/* isspace() of the kernel's ctype, which dev_valid_name() refuses. */
static bool kernel_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool bad_octet(unsigned char c, char *why, size_t cap)
{
	if (c == '/' || c == ':' || kernel_space(c)) {
		snprintf(why, cap, "holds '%s', which the kernel refuses in a name",
		         c == '/'   ? "/"
		         : c == ':' ? ":"
		                    : "white space");
		return true;
	}
	if (c < 0x20 || c == 0x7f) {
		snprintf(why, cap, "holds control octet 0x%02x", c);
		return true;
	}
	if (c == '"' || c == '\\' || c == '*') {
		snprintf(why, cap, "holds '%c', which nftables text cannot carry back", c);
		return true;
	}
	return false;
}

bool ifname_valid(const char *name, char *why, size_t cap)
{
	size_t len = strnlen(name, IFNAME_SIZE);

	if (!len)
		return snprintf(why, cap, "is empty"), false;
	if (len >= IFNAME_SIZE)
		return snprintf(why, cap, "is longer than %d octets", IFNAME_SIZE - 1), false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return snprintf(why, cap, "is not a name the kernel takes"), false;
	for (size_t i = 0; i < len; i++)
		if (bad_octet((unsigned char)name[i], why, cap))
			return false;
	return true;
}

void ifname_quote(const char *name, char *out, size_t cap)
{
	size_t o = 0;

	if (!cap)
		return;
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 5 < cap; p++) {
		if (*p == '"' || *p == '\\')
			o += (size_t)snprintf(out + o, cap - o, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = 0;
}
