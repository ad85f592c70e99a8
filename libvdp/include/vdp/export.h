/* SPDX-License-Identifier: ISC */
/* libvdp: what every public header needs to state the library's ABI.
 *
 * libvdp is compiled with -fvisibility=hidden, so that the functions its
 * files share among themselves stay inside libvdp.so; VDP_API marks the
 * declarations that make up the public interface.  libvdp/libvdp.map
 * lists the same symbols under their version node, and `make check`
 * verifies that the two agree (tests/abi/check-symbols).
 *
 * The structures libvdp fills in and that may grow start with a
 * `size_t size` (libvdp(3), GROWABLE STRUCTURES): VDP_HAS_FIELD() tells
 * whether one that libvdp handed over is long enough to hold a field,
 * e.g. VDP_HAS_FIELD(struct vdp_station_event, ev, timers).
 */
#ifndef VDP_EXPORT_H
#define VDP_EXPORT_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define VDP_API __attribute__((visibility("default")))
#else
#define VDP_API
#endif

#define VDP_HAS_FIELD(type, p, field)                                                              \
	((p)->size >= offsetof(type, field) + sizeof(((const type *)0)->field))

#endif
