# Seed 004's libFuzzer targets (after tests/fuzz/local.mk): the DHCP frame
# decoder a hostile VM feeds through snooping, and the IGMP decoder with the
# binding state file's line parser.  vdpd's sources are compiled into them
# with the sanitizers and coverage.  Seeds: tests/fuzz/corpus/{dhcp,igmp},
# frames of the seed-004 captures (pcaps/regen-seed004.sh).
EXTRA_DIST += tests/fuzz/corpus/dhcp tests/fuzz/corpus/igmp

if FUZZ
FUZZ_PROGS += tests/fuzz/fuzz-dhcp tests/fuzz/fuzz-igmp
noinst_PROGRAMS += tests/fuzz/fuzz-dhcp tests/fuzz/fuzz-igmp
SEED004_FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdpd
tests_fuzz_fuzz_dhcp_SOURCES = tests/fuzz/fuzz-dhcp.c vdpd/dhcp_wire.c vdpd/pkt.c
tests_fuzz_fuzz_dhcp_CPPFLAGS = $(SEED004_FUZZ_CPPFLAGS)
tests_fuzz_fuzz_dhcp_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_dhcp_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_igmp_SOURCES = tests/fuzz/fuzz-igmp.c vdpd/igmp.c vdpd/pkt.c vdpd/bindings.c
tests_fuzz_fuzz_igmp_CPPFLAGS = $(SEED004_FUZZ_CPPFLAGS)
tests_fuzz_fuzz_igmp_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_igmp_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_igmp_LDADD = tests/fuzz/libvdp-fuzz.la
endif
