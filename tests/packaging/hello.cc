/* SPDX-License-Identifier: ISC */
/* The C++ twin of hello.c: libvdp's installed headers and library used
 * from C++ with `pkg-config --cflags --libs libvdp` only. */
#include <cstring>
#include <iostream>

#include <vdp/ecp.h>
#include <vdp/error.h>
#include <vdp/evb.h>
#include <vdp/station.h>
#include <vdp/tlv.h>
#include <vdp/version.h>

int main()
{
	std::cout << "libvdp " << vdp_version() << " from C++, error -2 is " << vdp_err_name(-2)
	          << "\n";
	return std::strcmp(vdp_version(), VDP_VERSION_STRING) != 0;
}
