# SPDX-License-Identifier: ISC
# vdpd/migration/: the services that follow a VM that migrated in (M bit):
# DHCP snooping and its bindings, leasequery, help request, IGMP query, their
# packet codecs, and their I/O (libpcap, UDP, raw socket).  May call: core/,
# ports/ (the clock), libvdp, common/.
noinst_LTLIBRARIES += vdpd/migration/libvdpd_migration.la
vdpd_migration_libvdpd_migration_la_SOURCES = \
	vdpd/migration/pkt.h \
	vdpd/migration/pkt.c \
	vdpd/migration/dhcp_wire.h \
	vdpd/migration/dhcp_wire.c \
	vdpd/migration/igmp.h \
	vdpd/migration/igmp.c \
	vdpd/migration/bindings.h \
	vdpd/migration/bindings.c \
	vdpd/migration/bindings_store.c \
	vdpd/migration/migration.h \
	vdpd/migration/migration.c \
	vdpd/migration/leasequery.c \
	vdpd/migration/help_request.c \
	vdpd/migration/dhcp_snoop.c \
	vdpd/migration/parser_msg.h \
	vdpd/migration/parser_msg.c \
	vdpd/migration/parser_child.h \
	vdpd/migration/parser_child.c \
	vdpd/migration/parser_link.h \
	vdpd/migration/parser_link.c \
	vdpd/migration/migration_io.c
vdpd_migration_libvdpd_migration_la_CFLAGS = $(AM_CFLAGS) $(LIBEV_CFLAGS) $(LIBPCAP_CFLAGS)
vdpd_migration_libvdpd_migration_la_LIBADD = $(LIBEV_LIBS) $(LIBPCAP_LIBS)
VDPD_MIGRATION_LIBS = vdpd/migration/libvdpd_migration.la $(VDPD_PORTS_LIBS)
