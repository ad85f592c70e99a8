# SPDX-License-Identifier: ISC
# Check unit tests (`make check`).  Two families, each with one set of
# flags: libvdp's (codecs, ECP engine, station role, vdp-pcap's logic), and
# vdpd's (decisions over the daemon's tables with the recording backend,
# configuration, control socket, migration services).  The capture tests
# find pcaps/ through VDP_PCAP_DIR.

UNIT_CPPFLAGS = $(AM_CPPFLAGS) -DVDP_PCAP_DIR='"$(abs_top_srcdir)/pcaps"'
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBPCAP_CFLAGS)
UNIT_LDADD = libvdp/libvdp.la $(CHECK_LIBS) $(LIBPCAP_LIBS)
UNIT_COMMON = tests/unit/testutil.c tests/unit/testutil.h

# libvdp: one program per wire format, plus the engines.
LIBVDP_UNIT_TESTS = \
	tests/unit/check_tlv \
	tests/unit/check_evb \
	tests/unit/check_ecp \
	tests/unit/check_vsi \
	tests/unit/check_policy \
	tests/unit/check_help_org \
	tests/unit/check_format \
	tests/unit/check_pcap \
	tests/unit/check_ecp_engine \
	tests/unit/check_station \
	tests/unit/check_version
check_PROGRAMS += $(LIBVDP_UNIT_TESTS)
TESTS += $(LIBVDP_UNIT_TESTS)
EXTRA_DIST += pcaps/lldpad-station-vs-lldpad-bridge.pcap

tests_unit_check_tlv_SOURCES = tests/unit/check_tlv.c $(UNIT_COMMON)
tests_unit_check_tlv_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_tlv_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_tlv_LDADD = $(UNIT_LDADD)

tests_unit_check_evb_SOURCES = tests/unit/check_evb.c $(UNIT_COMMON)
tests_unit_check_evb_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_evb_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_evb_LDADD = $(UNIT_LDADD)

tests_unit_check_ecp_SOURCES = tests/unit/check_ecp.c $(UNIT_COMMON)
tests_unit_check_ecp_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_ecp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_ecp_LDADD = $(UNIT_LDADD)

tests_unit_check_vsi_SOURCES = tests/unit/check_vsi.c $(UNIT_COMMON)
tests_unit_check_vsi_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_vsi_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_vsi_LDADD = $(UNIT_LDADD)

tests_unit_check_policy_SOURCES = tests/unit/check_policy.c $(UNIT_COMMON)
tests_unit_check_policy_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_policy_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_policy_LDADD = $(UNIT_LDADD)

tests_unit_check_help_org_SOURCES = tests/unit/check_help_org.c $(UNIT_COMMON)
tests_unit_check_help_org_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_help_org_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_help_org_LDADD = $(UNIT_LDADD)

tests_unit_check_format_SOURCES = tests/unit/check_format.c $(UNIT_COMMON)
tests_unit_check_format_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_format_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_format_LDADD = $(UNIT_LDADD)

tests_unit_check_pcap_SOURCES = tests/unit/check_pcap.c $(UNIT_COMMON)
tests_unit_check_pcap_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_pcap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_pcap_LDADD = $(UNIT_LDADD)

# Two engines back to back over a fake link, driven by a fake clock.
tests_unit_check_ecp_engine_SOURCES = tests/unit/check_ecp_engine.c
tests_unit_check_ecp_engine_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_ecp_engine_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_ecp_engine_LDADD = $(UNIT_LDADD)

# The station core over a fake link and clock against a scripted bridge.
tests_unit_check_station_SOURCES = tests/unit/check_station.c $(UNIT_COMMON)
tests_unit_check_station_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_station_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_station_LDADD = $(UNIT_LDADD)

# The version macros and vdp_version() agree with configure's version.
tests_unit_check_version_SOURCES = tests/unit/check_version.c $(UNIT_COMMON)
tests_unit_check_version_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_version_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_version_LDADD = $(UNIT_LDADD)

# common/: the utilities the daemon and the tools share, tested once.
check_PROGRAMS += tests/unit/check_common
TESTS += tests/unit/check_common
tests_unit_check_common_SOURCES = tests/unit/check_common.c $(UNIT_COMMON)
tests_unit_check_common_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_common_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_common_LDADD = $(COMMON_LIBS) $(UNIT_LDADD)

# vdp-pcap's own logic (writers, comparison, rewriting, the choice of
# station), linked with its sources.
check_PROGRAMS += tests/unit/check_vdp_pcap
TESTS += tests/unit/check_vdp_pcap
tests_unit_check_vdp_pcap_SOURCES = tests/unit/check_vdp_pcap.c $(UNIT_COMMON) \
	tools/vdp-pcap/emit.c \
	tools/vdp-pcap/read.c \
	tools/vdp-pcap/decode.c \
	tools/vdp-pcap/conv.c \
	tools/vdp-pcap/rewrite.c \
	tools/vdp-pcap/compare.c
tests_unit_check_vdp_pcap_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/tools/vdp-pcap
tests_unit_check_vdp_pcap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_vdp_pcap_LDADD = $(COMMON_LIBS) $(UNIT_LDADD)

# vdpd: each test links the folders it exercises (their VDPD_*_LIBS).
DAEMON_UNIT_CPPFLAGS = $(UNIT_CPPFLAGS) -DCONF_FIXTURES=\"$(abs_top_srcdir)/tests/unit/conf\" \
	-DCONF_EXAMPLE=\"$(abs_top_srcdir)/etc/vdpd.conf\"
DAEMON_UNIT_CFLAGS = $(UNIT_CFLAGS) $(LIBEV_CFLAGS)
DAEMON_UNIT_TESTS = \
	tests/unit/check_decide \
	tests/unit/check_fairness \
	tests/unit/check_scale \
	tests/unit/check_vsi_migration \
	tests/unit/check_answers \
	tests/unit/check_conf \
	tests/unit/check_ctl \
	tests/unit/check_ctl_commands \
	tests/unit/check_dhcp \
	tests/unit/check_igmp \
	tests/unit/check_bindings \
	tests/unit/check_state \
	tests/unit/check_persist \
	tests/unit/check_migration \
	tests/unit/check_nft_model
check_PROGRAMS += $(DAEMON_UNIT_TESTS)
TESTS += $(DAEMON_UNIT_TESTS)

# The netlink backend's model of table bridge vdpd, without a kernel.
tests_unit_check_nft_model_SOURCES = tests/unit/check_nft_model.c $(UNIT_COMMON)
tests_unit_check_nft_model_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS) $(LIBNFTNL_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_check_nft_model_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_nft_model_LDADD = $(VDPD_KERNEL_LIBS) $(UNIT_LDADD)

# Decisions over the tables, with the recording backend.
tests_unit_check_decide_SOURCES = tests/unit/check_decide.c
tests_unit_check_decide_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_decide_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_decide_LDADD = $(VDPD_CORE_LIBS) $(UNIT_LDADD)

# The durable store: record codec, journal, snapshot, damaged files.
tests_unit_check_state_SOURCES = tests/unit/check_state.c $(UNIT_COMMON)
tests_unit_check_state_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_state_CFLAGS = $(DAEMON_UNIT_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_check_state_LDADD = $(VDPD_STATE_LIBS) $(UNIT_LDADD) $(ZLIB_LIBS)

# Fairness between ports: caps, the new-VSI token bucket, reasons.
tests_unit_check_persist_SOURCES = tests/unit/check_persist.c $(UNIT_COMMON)
tests_unit_check_persist_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_persist_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_persist_LDADD = $(VDPD_CORE_LIBS) $(UNIT_LDADD)

tests_unit_check_fairness_SOURCES = tests/unit/check_fairness.c $(UNIT_COMMON)
tests_unit_check_fairness_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_fairness_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_fairness_LDADD = $(VDPD_CORE_LIBS) $(UNIT_LDADD)

tests_unit_check_scale_SOURCES = tests/unit/check_scale.c $(UNIT_COMMON)
tests_unit_check_scale_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_scale_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_scale_LDADD = $(VDPD_CORE_LIBS) $(UNIT_LDADD)

# The migration state table of vdp-protocol(7), one test per transition.
tests_unit_check_vsi_migration_SOURCES = tests/unit/check_vsi_migration.c
tests_unit_check_vsi_migration_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_vsi_migration_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_vsi_migration_LDADD = $(VDPD_CORE_LIBS) $(UNIT_LDADD)

# Every decodable request gets an answer: malformed TLVs, policy values and
# unprogrammable policies, with the recording backend.
tests_unit_check_answers_SOURCES = tests/unit/check_answers.c $(UNIT_COMMON)
tests_unit_check_answers_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_answers_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_answers_LDADD = $(VDPD_CORE_LIBS) $(UNIT_LDADD)

# vdpd.conf(5): fixtures, and the sample configuration it keeps valid.
tests_unit_check_conf_SOURCES = tests/unit/check_conf.c
tests_unit_check_conf_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_conf_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_conf_LDADD = $(VDPD_CONF_LIBS) $(UNIT_LDADD)
EXTRA_DIST += \
	etc/vdpd.conf \
	tests/unit/conf/full.conf \
	tests/unit/conf/minimal.conf \
	tests/unit/conf/include.conf \
	tests/unit/conf/include-types.inc \
	tests/unit/conf/include-bad.conf \
	tests/unit/conf/include-bad.inc \
	tests/unit/conf/syntax.conf

# The control socket: every command (text and JSON), the server's limits,
# timeouts and stale sockets, and the real vdpctl client against it.
tests_unit_check_ctl_SOURCES = tests/unit/check_ctl.c
tests_unit_check_ctl_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_ctl_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_ctl_LDADD = $(VDPD_CTL_LIBS) $(UNIT_LDADD)
EXTRA_tests_unit_check_ctl_DEPENDENCIES = tools/vdpctl/vdpctl$(EXEEXT)

# The commands' one list (vdpd/ctl/ctl_commands.h) against the interpreter,
# `help`, vdpctl --help and vdpctl(8).
tests_unit_check_ctl_commands_SOURCES = tests/unit/check_ctl_commands.c
tests_unit_check_ctl_commands_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS) \
	-DMAN_VDPCTL=\"$(abs_top_srcdir)/man/vdpctl.8\"
tests_unit_check_ctl_commands_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_ctl_commands_LDADD = $(VDPD_CTL_LIBS) $(UNIT_LDADD)
EXTRA_tests_unit_check_ctl_commands_DEPENDENCIES = tools/vdpctl/vdpctl$(EXEEXT)

# Migration services: the DHCP and IGMP codecs (with real captures), the
# binding table and its state file, the decisions with fake I/O, and `show
# bindings` through the command interpreter.
EXTRA_DIST += \
	pcaps/regen-migration.sh \
	pcaps/dhcp-udhcpc-isc-dhcpd.pcap \
	pcaps/dhcp-leasequery-isc-dhcpd.pcap \
	pcaps/igmp-linux.pcap
tests_unit_check_dhcp_SOURCES = tests/unit/check_dhcp.c
tests_unit_check_dhcp_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_dhcp_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_dhcp_LDADD = $(VDPD_MIGRATION_LIBS) $(UNIT_LDADD)

tests_unit_check_igmp_SOURCES = tests/unit/check_igmp.c
tests_unit_check_igmp_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_igmp_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_igmp_LDADD = $(VDPD_MIGRATION_LIBS) $(UNIT_LDADD)

tests_unit_check_bindings_SOURCES = tests/unit/check_bindings.c $(UNIT_COMMON)
tests_unit_check_bindings_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_bindings_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_bindings_LDADD = $(VDPD_MIGRATION_LIBS) $(UNIT_LDADD)

tests_unit_check_migration_SOURCES = tests/unit/check_migration.c
tests_unit_check_migration_CPPFLAGS = $(DAEMON_UNIT_CPPFLAGS)
tests_unit_check_migration_CFLAGS = $(DAEMON_UNIT_CFLAGS)
tests_unit_check_migration_LDADD = $(VDPD_CTL_LIBS) $(UNIT_LDADD)

# vdp-station's codec of libvirt's port-profile netlink messages, on the
# very bytes libvirt 9.0.0 sent (recorded with strace).
check_PROGRAMS += tests/unit/check_portnl
TESTS += tests/unit/check_portnl
tests_unit_check_portnl_SOURCES = tests/unit/check_portnl.c tools/vdp-station/portnl.c \
	tools/vdp-station/portnl.h
tests_unit_check_portnl_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/tools/vdp-station
tests_unit_check_portnl_CFLAGS = $(UNIT_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_check_portnl_LDADD = $(CHECK_LIBS) $(LIBMNL_LIBS)
