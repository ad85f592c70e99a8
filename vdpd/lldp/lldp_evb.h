/* SPDX-License-Identifier: ISC */
/* vdpd: the EVB side of the lldpd glue (lldp_evb.c): what each served port
 * advertises, what its station advertised, the negotiated timers in use,
 * and what happens when the station goes away.  No I/O: lldp.c feeds it
 * lldpd's neighbour atoms and sends what it decides to advertise. */
#ifndef VDPD_LLDP_EVB_H
#define VDPD_LLDP_EVB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lldpctl.h>
#include <vdp/evb.h>

struct vdpd;

#define LLDP_WHO_LEN 96 /* "CHASSIS-ID/PORT-ID" of a neighbour */

/* Per served port. */
struct lldp_evb {
	bool station;              /* an EVB station is known on the port */
	struct vdp_evb_tlv remote; /* its last EVB TLV */
	char who[LLDP_WHO_LEN];    /* its LLDP identity */
	struct vdp_evb_tlv cur;    /* what the port runs and advertises */
	bool dirty;                /* the advertisement must be (re)sent */
};

/* The bridge's own EVB TLV, from the configuration. */
struct vdp_evb_tlv lldp_evb_local(const struct vdpd *d);

/* Sets every port to its configured TLV (at start, with no station known). */
void lldp_evb_init(struct vdpd *d, struct lldp_evb *ports);
/* Negotiates port i again (after a reload or a change of its station),
 * puts the result in force (ECP timers, keepalive timeout) and marks the
 * port for advertising.  why goes into the log. */
void lldp_evb_negotiate(struct vdpd *d, struct lldp_evb *ports, unsigned i, const char *why);

/* A neighbour of port i was added or updated (watch), or found in
 * lldpd's table (after connecting). */
void lldp_evb_neighbour(struct vdpd *d, struct lldp_evb *ports, unsigned i, lldpctl_atom_t *nb);
/* A neighbour of port i was deleted: TTL expiry, link down or an LLDP
 * shutdown.  If it was the port's station, its VSIs are de-associated. */
void lldp_evb_neighbour_gone(struct vdpd *d, struct lldp_evb *ports, unsigned i,
                             lldpctl_atom_t *nb);

/* Whether a custom TLV atom carries OUI 00-80-C2, subtype 0x0D (EVB). */
bool lldp_evb_is_evb(lldpctl_atom_t *custom);

#endif
