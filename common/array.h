/* SPDX-License-Identifier: ISC */
/* common: growing a dynamic array by doubling, with the size checked for
 * overflow, so that the daemon and the tools do not each carry their own
 * "if (n == cap) realloc(cap * 2)" block (and its unchecked multiply).
 *
 *	if (ARRAY_GROW(l->ops, l->cap, l->n + 1) < 0)
 *		return -ENOMEM;
 *	l->ops[l->n++] = *op;
 */
#ifndef COMMON_ARRAY_H
#define COMMON_ARRAY_H

#include <stddef.h>

/* Makes room for at least `need` elements of `elem` octets in the array
 * whose pointer is at pp (the pointer may be NULL) and whose capacity, in
 * elements, is *cap.  The capacity doubles from 16 until it is enough, so
 * n appends cost O(n) copies.  Returns 0, or -ENOMEM when the size would
 * not fit in a size_t or realloc fails; the array and *cap are then left
 * as they were.
 *
 * pp is the address of the caller's pointer (a `struct x **` in effect).
 * It is taken as void * rather than void ** because a `struct x **` is not
 * a `void **`: the cast the latter needs at every call would write the
 * pointer through the wrong type.  The pointer is read and written with
 * memcpy instead; ARRAY_GROW below also supplies elem from the type. */
int array_grow(void *pp, size_t *cap, size_t need, size_t elem);

#define ARRAY_GROW(ptr, cap, need) array_grow(&(ptr), &(cap), (need), sizeof(*(ptr)))

#endif
