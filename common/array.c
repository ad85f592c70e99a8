/* SPDX-License-Identifier: ISC */
/* common: the one grow-by-doubling helper (see array.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

#define ARRAY_MIN 16

int array_grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	void *p, *np;
	size_t n = *cap ? *cap : ARRAY_MIN;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / elem) /* elem > 0: sizeof of an element */
		return -ENOMEM;
	memcpy(&p, pp, sizeof(p));
	np = realloc(p, n * elem);
	if (!np)
		return -ENOMEM; /* p is still the caller's, untouched */
	memcpy(pp, &np, sizeof(np));
	*cap = n;
	return 0;
}
