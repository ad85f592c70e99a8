# vdpd: the kernel backend, as a convenience library the daemon and the
# kernel-tier driver (tests/kernel/backend-drive) link.
noinst_LTLIBRARIES += vdpd/libvdpd_backend.la
vdpd_libvdpd_backend_la_SOURCES = \
	vdpd/backend.h \
	vdpd/backend.c \
	vdpd/backend_record.c \
	vdpd/backend_nl.h \
	vdpd/backend_netlink.c \
	vdpd/backend_vlan.c \
	vdpd/backend_tc.c \
	vdpd/backend_nft.c \
	vdpd/nft_rules.h \
	vdpd/nft_rules.c \
	vdpd/nft_expr.h \
	vdpd/nft_expr.c \
	vdpd/nlsock.h \
	vdpd/nlsock.c \
	vdpd/kcaps.h \
	vdpd/kcaps.c
vdpd_libvdpd_backend_la_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(LIBNFTNL_CFLAGS) $(LIBMNL_CFLAGS)
vdpd_libvdpd_backend_la_LIBADD = $(LIBNL_LIBS) $(LIBNFTNL_LIBS) $(LIBMNL_LIBS)

# The daemon's core (tables, decisions, configuration) as a convenience
# library, so that unit tests link exactly what the daemon runs.
noinst_LTLIBRARIES += vdpd/libvdpd_core.la
vdpd_libvdpd_core_la_SOURCES = \
	vdpd/vdpd.h \
	vdpd/core.c \
	vdpd/vdpdu.c \
	vdpd/vsi.c \
	vdpd/policy.c \
	vdpd/kprog.c \
	vdpd/vlan_pool.h \
	vdpd/vlan_pool.c \
	vdpd/reason.h \
	vdpd/reason.c \
	vdpd/log.h \
	vdpd/log.c \
	vdpd/conf.h \
	vdpd/conf.c \
	vdpd/conf_parse.h \
	vdpd/conf_parse.c \
	vdpd/conf_acl.c \
	vdpd/conf_dhcp.c \
	vdpd/pkt.h \
	vdpd/pkt.c \
	vdpd/dhcp_wire.h \
	vdpd/dhcp_wire.c \
	vdpd/igmp.h \
	vdpd/igmp.c \
	vdpd/bindings.h \
	vdpd/bindings.c \
	vdpd/bindings_store.c \
	vdpd/migration.h \
	vdpd/migration.c \
	vdpd/leasequery.c \
	vdpd/help.c \
	vdpd/dhcp_snoop.c
vdpd_libvdpd_core_la_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS)
vdpd_libvdpd_core_la_LIBADD = vdpd/libvdpd_backend.la libvdp/libvdp.la $(LIBCONFIG_LIBS)

sbin_PROGRAMS += vdpd/vdpd
vdpd_vdpd_SOURCES = \
	vdpd/main.c \
	vdpd/port.h \
	vdpd/port.c \
	vdpd/privs.h \
	vdpd/privs.c \
	vdpd/ctl.h \
	vdpd/ctl.c \
	vdpd/ctl_cmd.c \
	vdpd/ctl_json.h \
	vdpd/ctl_json.c \
	vdpd/ctl_out.h \
	vdpd/ctl_out.c \
	vdpd/ctl_policy.c \
	vdpd/ctl_show.h \
	vdpd/ctl_show.c \
	vdpd/lldp.h \
	vdpd/lldp.c \
	vdpd/lldp_evb.h \
	vdpd/lldp_evb.c \
	vdpd/ctl_bindings.h \
	vdpd/ctl_bindings.c \
	vdpd/migration_io.c
vdpd_vdpd_CFLAGS = $(AM_CFLAGS) $(LIBEV_CFLAGS) $(LLDPCTL_CFLAGS) $(LIBPCAP_CFLAGS)
vdpd_vdpd_LDADD = vdpd/libvdpd_core.la $(LIBEV_LIBS) $(LLDPCTL_LIBS) $(LIBPCAP_LIBS)

check_PROGRAMS += tests/unit/check_decide
TESTS += tests/unit/check_decide
tests_unit_check_decide_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdpd
tests_unit_check_decide_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_decide_LDADD = vdpd/libvdpd_core.la $(CHECK_LIBS)
