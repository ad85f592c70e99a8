/* SPDX-License-Identifier: ISC */
/* vdpd: the control socket's table dumpers (ctl_show.c).  The names and
 * text forms of VDP values they print are libvdp's (vdp/format.h). */
#ifndef VDPD_CTL_SHOW_H
#define VDPD_CTL_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include <vdp/tlv.h>

#include "ctl/ctl_out.h"

struct vdpd;

void show_ports(struct out *o, struct vdpd *d);
/* VSIs on port (or on every port when port < 0), under JSON key "vsis". */
void show_vsis(struct out *o, struct vdpd *d, uint64_t now_ns, int port);
void show_vnids(struct out *o, struct vdpd *d);
void show_vlans(struct out *o, struct vdpd *d);
void show_counters(struct out *o, struct vdpd *d);

#endif
