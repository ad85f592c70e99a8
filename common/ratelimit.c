/* SPDX-License-Identifier: ISC */
/* common: the kernel's bounds on a rate's burst (ratelimit.h). */
#include <stdio.h>

#include "ratelimit.h"

/* The longest htb burst: UINT32_MAX ticks of 64 ns, in whole microseconds
 * (4294967295 / 15.625). */
#define HTB_MAX_US 274877906ULL
#define US_PER_S   1000000ULL
#define NS_PER_S   1000000000ULL

uint32_t rate_burst_default(uint32_t rate_kbps)
{
	uint64_t b = (uint64_t)rate_kbps * 125 / 50;

	return b < 3028 ? 3028 : b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

static int htb_check(uint64_t bps, uint64_t burst, char *why, size_t cap)
{
	/* burst / bps seconds, in µs: at least one, at most HTB_MAX_US. */
	uint64_t most = bps / US_PER_S * HTB_MAX_US + bps % US_PER_S * HTB_MAX_US / US_PER_S;
	uint64_t least = (bps + US_PER_S - 1) / US_PER_S;

	if (burst > most)
		return snprintf(why, cap,
		                "burst %llu octets lasts more than the %llu s htb holds at "
		                "%llu kbit/s (at most %llu)",
		                (unsigned long long)burst, HTB_MAX_US / US_PER_S,
		                (unsigned long long)(bps / 125), (unsigned long long)most),
		       -1;
	if (burst < least)
		return snprintf(why, cap,
		                "burst %llu octets lasts less than the 1 us htb counts at "
		                "%llu kbit/s (at least %llu)",
		                (unsigned long long)burst, (unsigned long long)(bps / 125),
		                (unsigned long long)least),
		       -1;
	return 0;
}

int rate_burst_check(bool to_vm, uint32_t rate_kbps, uint32_t burst, char *why, size_t cap)
{
	uint64_t bps = (uint64_t)rate_kbps * 125;
	uint64_t b = burst ? burst : rate_burst_default(rate_kbps);

	if (!rate_kbps)
		return snprintf(why, cap, "rate 0"), -1;
	if (to_vm)
		return htb_check(bps, b, why, cap);
	if (bps + b > UINT64_MAX / NS_PER_S)
		return snprintf(why, cap,
		                "rate %u kbit/s with burst %llu octets is more than nftables' "
		                "limit holds (rate + burst at most %llu octets/s)",
		                rate_kbps, (unsigned long long)b,
		                (unsigned long long)(UINT64_MAX / NS_PER_S)),
		       -1;
	return 0;
}
