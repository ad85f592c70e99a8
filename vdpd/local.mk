# SPDX-License-Identifier: ISC
# vdpd: the bridge daemon.  One folder per concept, each one convenience
# library; the layering (who may call whom) is vdpd/README.md's table.
include $(srcdir)/vdpd/state/local.mk
include $(srcdir)/vdpd/kernel/local.mk
include $(srcdir)/vdpd/conf/local.mk
include $(srcdir)/vdpd/core/local.mk
include $(srcdir)/vdpd/ports/local.mk
include $(srcdir)/vdpd/migration/local.mk
include $(srcdir)/vdpd/lldp/local.mk
include $(srcdir)/vdpd/ctl/local.mk

# The program itself: options, privileges, the event loop that ties the
# folders together.
sbin_PROGRAMS += vdpd/vdpd
# common/notify.c (sd_notify) is linked here and in vdp-station only, so
# that no other program links libsystemd.
vdpd_vdpd_SOURCES = \
	vdpd/main.c \
	vdpd/privs.h \
	vdpd/privs.c \
	vdpd/sandbox.h \
	vdpd/sandbox.c \
	common/notify.h \
	common/notify.c
vdpd_vdpd_CFLAGS = $(AM_CFLAGS) $(LIBEV_CFLAGS) $(LIBSYSTEMD_CFLAGS) \
	$(LIBCAPNG_CFLAGS) $(LIBSECCOMP_CFLAGS)
vdpd_vdpd_LDADD = vdpd/ctl/libvdpd_ctl.la vdpd/lldp/libvdpd_lldp.la $(VDPD_MIGRATION_LIBS) \
	$(LIBEV_LIBS) $(LIBSYSTEMD_LIBS) $(LIBCAPNG_LIBS) $(LIBSECCOMP_LIBS)
EXTRA_DIST += vdpd/README.md
