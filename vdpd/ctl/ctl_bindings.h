/* SPDX-License-Identifier: ISC */
/* vdpd: `show bindings` (migration services): the DHCP-snooping binding table and the
 * migration counters, as vdpctl(8) prints them. */
#ifndef VDPD_CTL_BINDINGS_H
#define VDPD_CTL_BINDINGS_H

#include <stdint.h>

#include "ctl/ctl_out.h"

struct vdpd;

/* One row per binding (sorted by port, VLAN, MAC) under JSON key
 * "bindings", then one "name: value" line per migration counter (JSON:
 * members of the answer, keyed by mig_counter_key). */
void show_bindings(struct out *o, struct vdpd *d, uint64_t now_ns);
/* Test hook: the wall clock leases are measured against (NULL: time()). */
void ctl_bindings_set_clock(int64_t (*now_s)(void));

#endif
