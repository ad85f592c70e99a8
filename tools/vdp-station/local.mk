# SPDX-License-Identifier: ISC
# vdp-station: the hypervisor-side CLI over libvdp's station API (a daemon
# and one-shot commands that talk to it).  liblldpctl only for the daemon's
# --lldp lldpd glue, libmnl only for the --libvirt glue: libvdp itself
# depends on neither.  May call: libvdp,
# common/ (the JSON writer and text buffer).  Included from
# tools/local.mk.
bin_PROGRAMS += tools/vdp-station/vdp-station
tools_vdp_station_vdp_station_SOURCES = \
	tools/vdp-station/vdp-station.h \
	tools/vdp-station/vdp-station.c \
	tools/vdp-station/daemon.c \
	tools/vdp-station/cmd.c \
	tools/vdp-station/parse.c \
	tools/vdp-station/lldpd.c \
	tools/vdp-station/libvirt.c \
	tools/vdp-station/portnl.c \
	tools/vdp-station/portnl.h \
	common/notify.h \
	common/notify.c
tools_vdp_station_vdp_station_CFLAGS = $(AM_CFLAGS) $(LLDPCTL_CFLAGS) $(LIBSYSTEMD_CFLAGS) \
	$(LIBMNL_CFLAGS)
tools_vdp_station_vdp_station_LDADD = libvdp/libvdp.la $(COMMON_LIBS) $(LLDPCTL_LIBS) \
	$(LIBSYSTEMD_LIBS) $(LIBMNL_LIBS)
