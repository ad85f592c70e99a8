# Seed 004 (migration services): Check tests of the DHCP / IGMP codecs (with
# real captures), the binding table and its state file, and the decisions
# (snooping, leasequery, help request, IGMP query) over vdpd's tables with
# fake I/O.  Included from Makefile.am after vdpd/local.mk.
SEED004_TESTS = \
	tests/unit/check_dhcp \
	tests/unit/check_igmp \
	tests/unit/check_bindings \
	tests/unit/check_migration
check_PROGRAMS += $(SEED004_TESTS)
TESTS += $(SEED004_TESTS)
EXTRA_DIST += \
	pcaps/regen-seed004.sh \
	pcaps/dhcp-udhcpc-isc-dhcpd.pcap \
	pcaps/dhcp-leasequery-isc-dhcpd.pcap \
	pcaps/igmp-linux.pcap

SEED004_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdpd \
	-DVDP_PCAP_DIR='"$(abs_top_srcdir)/pcaps"'
SEED004_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBPCAP_CFLAGS)
SEED004_LDADD = vdpd/libvdpd_core.la $(CHECK_LIBS) $(LIBPCAP_LIBS)

tests_unit_check_dhcp_SOURCES = tests/unit/check_dhcp.c
tests_unit_check_dhcp_CPPFLAGS = $(SEED004_CPPFLAGS)
tests_unit_check_dhcp_CFLAGS = $(SEED004_CFLAGS)
tests_unit_check_dhcp_LDADD = $(SEED004_LDADD)

tests_unit_check_igmp_SOURCES = tests/unit/check_igmp.c
tests_unit_check_igmp_CPPFLAGS = $(SEED004_CPPFLAGS)
tests_unit_check_igmp_CFLAGS = $(SEED004_CFLAGS)
tests_unit_check_igmp_LDADD = $(SEED004_LDADD)

tests_unit_check_bindings_SOURCES = tests/unit/check_bindings.c
tests_unit_check_bindings_CPPFLAGS = $(SEED004_CPPFLAGS)
tests_unit_check_bindings_CFLAGS = $(SEED004_CFLAGS)
tests_unit_check_bindings_LDADD = $(SEED004_LDADD)

# The decisions, with vdpd's core and the recording backend; `show bindings`
# through the control socket's interpreter (so the ctl sources, as in ctl.mk).
tests_unit_check_migration_SOURCES = \
	tests/unit/check_migration.c \
	vdpd/ctl_cmd.c \
	vdpd/ctl_json.c \
	vdpd/ctl_out.c \
	vdpd/ctl_policy.c \
	vdpd/ctl_show.c \
	vdpd/ctl_bindings.c
tests_unit_check_migration_CPPFLAGS = $(SEED004_CPPFLAGS)
tests_unit_check_migration_CFLAGS = $(SEED004_CFLAGS)
tests_unit_check_migration_LDADD = $(SEED004_LDADD)
