/* SPDX-License-Identifier: ISC */
/* libvdp: the growable-structure copies (see sized.h). */
#include <string.h>

#include "sized.h"

static size_t size_of(const void *s)
{
	size_t n;
	memcpy(&n, s, sizeof(n)); /* the first member of every growable structure */
	return n;
}

bool sized_out(void *out, const void *full, size_t full_size)
{
	size_t n = size_of(out);
	if (n < sizeof(size_t))
		return false;
	if (n > full_size)
		n = full_size;
	memcpy((char *)out + sizeof(size_t), (const char *)full + sizeof(size_t),
	       n - sizeof(size_t));
	return true;
}

bool sized_in(void *full, size_t full_size, const void *in)
{
	size_t n = size_of(in);
	if (n < sizeof(size_t))
		return false;
	if (n > full_size)
		n = full_size;
	memset(full, 0, full_size);
	memcpy(full, in, n);
	return true;
}
