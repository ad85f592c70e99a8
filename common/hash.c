/* SPDX-License-Identifier: ISC */
/* common: growing a chained hash table's bucket array (hash.h). */
#include <errno.h>
#include <stdlib.h>

#include "hash.h"

#define MIN_BUCKETS 64U

int hash_grow(void ***b, size_t *nb, size_t n, uint32_t (*hash_of)(const void *),
              void **(*next_of)(void *))
{
	size_t nn = *nb ? *nb * 2 : MIN_BUCKETS;
	void **fresh;

	if (n < *nb)
		return 0;
	fresh = calloc(nn, sizeof(*fresh));
	if (!fresh)
		return -ENOMEM;
	for (size_t i = 0; i < *nb; i++) {
		void *p = (*b)[i];

		while (p) {
			void *next = *next_of(p);
			size_t at = hash_of(p) & (nn - 1);

			*next_of(p) = fresh[at];
			fresh[at] = p;
			p = next;
		}
	}
	free(*b);
	*b = fresh;
	*nb = nn;
	return 0;
}

int hash_unlink(void **b, size_t nb, uint32_t h, void *p, void **(*next_of)(void *))
{
	void **at = &b[h & (nb - 1)];

	while (*at && *at != p)
		at = next_of(*at);
	if (!*at)
		return 0;
	*at = *next_of(p);
	return 1;
}
