/* SPDX-License-Identifier: ISC */
/* vdpd: EVB over LLDP through lldpd (liblldpctl).  vdpd has no LLDP of its
 * own: lldpd sends the bridge's EVB TLV on each served port and tells vdpd
 * what the station sends.  See lldp.c and vdpd(8), LLDP AND EVB. */
#ifndef VDPD_LLDP_H
#define VDPD_LLDP_H

#include <ev.h>

struct vdpd;
struct lldp;

/* Before privileges are dropped: joins lldpd's group (lldp.group) so that
 * vdpd can reconnect to lldpd's socket later, sets every port to its
 * configured EVB TLV and schedules the first connection attempt on loop.
 * NULL only when out of memory. */
struct lldp *lldp_open(struct vdpd *d, struct ev_loop *loop);
/* After vdpd_reconfigure(): negotiates every port again with the new
 * timers, advertises the result, follows a change of lldp.socket or
 * lldp.enabled.  The caller then applies the ports' timers. */
void lldp_reload(struct lldp *l);
/* Withdraws vdpd's EVB TLVs from lldpd (waiting at most a second for it)
 * and frees everything.  NULL is fine. */
void lldp_close(struct lldp *l);

#endif
