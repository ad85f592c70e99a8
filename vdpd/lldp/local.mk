# SPDX-License-Identifier: ISC
# vdpd/lldp/: EVB over LLDP through lldpd (liblldpctl, non-blocking in the
# libev loop): advertise the bridge EVB TLV, negotiate with the station's,
# apply the timers to the port, clean up when the station goes.  May call:
# core/, ports/, libvdp, common/.
noinst_LTLIBRARIES += vdpd/lldp/libvdpd_lldp.la
vdpd_lldp_libvdpd_lldp_la_SOURCES = \
	vdpd/lldp/lldp.h \
	vdpd/lldp/lldp.c \
	vdpd/lldp/lldp_evb.h \
	vdpd/lldp/lldp_evb.c
vdpd_lldp_libvdpd_lldp_la_CFLAGS = $(AM_CFLAGS) $(LIBEV_CFLAGS) $(LLDPCTL_CFLAGS)
vdpd_lldp_libvdpd_lldp_la_LIBADD = $(LIBEV_LIBS) $(LLDPCTL_LIBS)
VDPD_LLDP_LIBS = vdpd/lldp/libvdpd_lldp.la $(VDPD_PORTS_LIBS)
