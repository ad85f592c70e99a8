# SPDX-License-Identifier: ISC
# the migration services' libFuzzer targets (after tests/fuzz/local.mk): the DHCP frame
# decoder a hostile VM feeds through snooping, and the IGMP decoder with the
# binding state file's line parser.  vdpd's sources are compiled into them
# with the sanitizers and coverage.  Seeds: tests/fuzz/corpus/{dhcp,igmp},
# frames of the migration captures (pcaps/regen-migration.sh).  fuzz-pmsg: the
# daemon's decoder of its DHCP parser child's messages (parser_msg.c); seeds
# tests/fuzz/corpus/pmsg, one message of each type.
EXTRA_DIST += tests/fuzz/corpus/dhcp tests/fuzz/corpus/igmp tests/fuzz/corpus/pmsg

if FUZZ
FUZZ_PROGS += tests/fuzz/fuzz-dhcp tests/fuzz/fuzz-igmp tests/fuzz/fuzz-pmsg
noinst_PROGRAMS += tests/fuzz/fuzz-dhcp tests/fuzz/fuzz-igmp tests/fuzz/fuzz-pmsg
MIGRATION_FUZZ_CPPFLAGS = $(AM_CPPFLAGS)
tests_fuzz_fuzz_dhcp_SOURCES = tests/fuzz/fuzz-dhcp.c vdpd/migration/dhcp_wire.c vdpd/migration/pkt.c
tests_fuzz_fuzz_dhcp_CPPFLAGS = $(MIGRATION_FUZZ_CPPFLAGS)
tests_fuzz_fuzz_dhcp_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_dhcp_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_igmp_SOURCES = tests/fuzz/fuzz-igmp.c vdpd/migration/igmp.c vdpd/migration/pkt.c vdpd/migration/bindings.c \
	common/array.c
tests_fuzz_fuzz_igmp_CPPFLAGS = $(MIGRATION_FUZZ_CPPFLAGS)
tests_fuzz_fuzz_igmp_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_igmp_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_igmp_LDADD = tests/fuzz/libvdp-fuzz.la
tests_fuzz_fuzz_pmsg_SOURCES = tests/fuzz/fuzz-pmsg.c vdpd/migration/parser_msg.c \
	vdpd/migration/dhcp_wire.c vdpd/migration/pkt.c
tests_fuzz_fuzz_pmsg_CPPFLAGS = $(MIGRATION_FUZZ_CPPFLAGS)
tests_fuzz_fuzz_pmsg_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_pmsg_LDFLAGS = $(FUZZ_LINK_FLAGS)
endif
