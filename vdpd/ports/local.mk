# SPDX-License-Identifier: ISC
# vdpd/ports/: per-port I/O, an AF_PACKET socket and an ECP engine under
# libev, feeding the core.  May call: core/, libvdp, common/.
noinst_LTLIBRARIES += vdpd/ports/libvdpd_ports.la
vdpd_ports_libvdpd_ports_la_SOURCES = \
	vdpd/ports/port.h \
	vdpd/ports/port.c
vdpd_ports_libvdpd_ports_la_CFLAGS = $(AM_CFLAGS) $(LIBEV_CFLAGS)
vdpd_ports_libvdpd_ports_la_LIBADD = $(LIBEV_LIBS)
VDPD_PORTS_LIBS = vdpd/ports/libvdpd_ports.la $(VDPD_CORE_LIBS)
