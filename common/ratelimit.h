/* SPDX-License-Identifier: ISC */
/* common: which bandwidth limits the kernel holds exactly as vdpd
 * programs them, so that vdpd.conf (conf/), a station's policy (core/) and
 * the backend (kernel/) refuse the same values instead of the kernel
 * silently changing them (a to-VM burst of 4294967295 octets at 10 Mbit/s
 * once became "burst 0b").
 *
 * To the VM, htb keeps a burst as the time it lasts at the rate: a u32
 * count of the kernel's 64 ns scheduler ticks, which libnl (like tc)
 * computes through whole microseconds.  From the VM, nftables' limit keeps
 * (rate + burst) * 10^9 in 64 bits (nft_limit_init(): EOVERFLOW, or on
 * older kernels a wrapped value). */
#ifndef COMMON_RATELIMIT_H
#define COMMON_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The burst vdpd programs when a policy gives none (0): 20 ms at the rate,
 * at least two full frames. */
uint32_t rate_burst_default(uint32_t rate_kbps);

/* 0, or -1 with why when the kernel would not hold burst octets (0: the
 * default) at rate_kbps as given; to_vm: htb, else nftables' limit. */
int rate_burst_check(bool to_vm, uint32_t rate_kbps, uint32_t burst, char *why, size_t cap);

#endif
