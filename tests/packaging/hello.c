/* SPDX-License-Identifier: ISC */
/* A C program built against the installed libvdp-dev with nothing but
 * `pkg-config --cflags --libs libvdp` (tests/packaging/run): it encodes
 * and decodes a VSI Manager ID TLV and prints the library's version. */
#include <stdio.h>
#include <string.h>

#include <vdp/error.h>
#include <vdp/tlv.h>
#include <vdp/version.h>

int main(void)
{
	printf("libvdp %s (headers %s)\n", vdp_version(), VDP_VERSION_STRING);
	return strcmp(vdp_version(), VDP_VERSION_STRING) != 0;
}
