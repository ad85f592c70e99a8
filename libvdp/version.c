/* SPDX-License-Identifier: ISC */
/* libvdp: vdp_version(), the version of the library actually loaded, which
 * can be later than the headers a program was compiled with (vdp/version.h). */
#include <vdp/version.h>

const char *vdp_version(void)
{
	return VDP_VERSION_STRING;
}
