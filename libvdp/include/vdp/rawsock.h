/* SPDX-License-Identifier: ISC */
/* libvdp: the raw socket ECP and EVB run on, shared by vdpd's ports, the
 * station role and the test tools.
 *
 * It listens with ETH_P_ALL and a BPF filter rather than binding to one
 * EtherType: with STP off a Linux bridge forwards frames for the
 * nearest-customer-bridge address 01:80:C2:00:00:00 instead of passing them
 * up, and only ETH_P_ALL taps see a bridge port's frames before the bridge
 * takes them.  It joins that group address and ignores its own
 * transmissions. */
#ifndef VDP_RAWSOCK_H
#define VDP_RAWSOCK_H

#include <stddef.h>
#include <stdint.h>

#include <vdp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VDP_RAWSOCK_ECP  0x01 /* deliver EtherType 0x8940 */
#define VDP_RAWSOCK_LLDP 0x02 /* deliver EtherType 0x88cc as well */

struct vdp_rawsock {
	int fd; /* non-blocking, close-on-exec */
	int ifindex;
	uint8_t mac[6];
};

/* Returns 0, or a negative errno with a sentence naming the interface in
 * err ("no interface named 'x'", "...: needs CAP_NET_RAW"). */
VDP_API int vdp_rawsock_open(struct vdp_rawsock *s, const char *ifname, unsigned what, char *err,
                             size_t errlen);
/* Sends one whole frame; 0 or a negative errno. */
VDP_API int vdp_rawsock_send(const struct vdp_rawsock *s, const uint8_t *frame, size_t len);
VDP_API void vdp_rawsock_close(struct vdp_rawsock *s);

#ifdef __cplusplus
}
#endif

#endif
