/* SPDX-License-Identifier: ISC */
/* libvdp: copies between libvdp's layout of a growable public structure
 * and the caller's.  Such a structure starts with `size_t size`, which the
 * caller sets to the sizeof its headers gave it (libvdp(3), GROWABLE
 * STRUCTURES): a program built against an older libvdp has a shorter
 * structure, one built against a newer libvdp a longer one, and neither
 * may be read or written past its end. */
#ifndef VDP_SIZED_H
#define VDP_SIZED_H

#include <stdbool.h>
#include <stddef.h>

/* Copies libvdp's filled-in `full` (full_size octets) into the caller's
 * `out`: no more than the caller's out->size octets, nor than full_size,
 * and never out->size itself.  What lies past full_size in a newer
 * caller's structure is left as the caller had it.  False (nothing
 * written) when out->size is too small to hold even itself. */
bool sized_out(void *out, const void *full, size_t full_size);

/* Reads the caller's `in` (in->size octets) into libvdp's `full`
 * (full_size octets); fields an older caller's structure lacks are zero.
 * False (full untouched) when in->size is too small to hold itself. */
bool sized_in(void *full, size_t full_size, const void *in);

#endif
