/* SPDX-License-Identifier: ISC */
/* vdpd: the daemon's side of the DHCP parser child (parser_link.c). */
#ifndef VDPD_PARSER_LINK_H
#define VDPD_PARSER_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vdpd;
struct ev_loop;

/* Starts the child (fork) once the daemon has dropped its privileges and
 * loaded its own filter, which the child inherits; confine is called in
 * the child (drop every capability, load its own filter).  trap: the test
 * hook of parser_child.c.  0 or -1 with err filled. */
int parser_link_start(struct vdpd *d, struct ev_loop *loop, int (*confine)(char *, size_t),
                      bool trap, char *err, size_t errlen);
/* A captured frame of port (out: towards the VM), handed to the child;
 * its answer reaches dhcp_snoop_decoded() later.  Dropped, and counted,
 * while the child is down or behind. */
void parser_link_frame(unsigned port, bool out, const uint8_t *frame, size_t len);
/* Stops the child and waits for it. */
void parser_link_stop(void);

#endif
