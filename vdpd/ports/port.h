/* SPDX-License-Identifier: ISC */
/* vdpd: per-port I/O (AF_PACKET socket + ECP engine under libev). */
#ifndef VDPD_PORT_H
#define VDPD_PORT_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>
#include <vdp/ecp_engine.h>

struct vdpd;

int port_open(struct vdpd *d, unsigned port, struct ev_loop *loop, char *err, size_t errlen);
void port_close(struct vdpd *d, unsigned port);
/* vdpd_send_fn for bridge-initiated VDPDUs; arg is the struct vdpd. */
void port_send_pdu(void *arg, unsigned port, const uint8_t *pdu, size_t len);
/* Applies d->ports[port].evb's R and RTE to the port's ECP engine. */
void port_set_timers(struct vdpd *d, unsigned port);
uint64_t port_now_ns(void);

#endif
