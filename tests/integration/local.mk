# SPDX-License-Identifier: ISC
# Integration tests.
#
# tshark cross-check: tshark-gen encodes varied ECP/VDP frames with libvdp
# into a capture and records what it encoded; tshark-crosscheck.sh has
# tshark's independent ecp21/vdp21 dissectors read the capture and compares
# field by field.  Skipped (77) when tshark is not installed.  The script
# finds tshark-gen under the directory `make check` runs it from (the top
# build directory); TSHARK_GEN, TSHARK and PYTHON override.
check_PROGRAMS += tests/integration/tshark-gen
tests_integration_tshark_gen_SOURCES = tests/integration/tshark-gen.c
tests_integration_tshark_gen_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS)
tests_integration_tshark_gen_LDADD = libvdp/libvdp.la $(LIBPCAP_LIBS)
TESTS += tests/integration/tshark-crosscheck.sh
EXTRA_DIST += tests/integration/tshark-crosscheck.sh tests/integration/tshark-compare.py

# The flood test (test_flood.py): flood-gen is a hostile station, one
# AF_PACKET socket sending Associates for made-up VSIs and garbage with
# sendmmsg(2) until told to stop.  Built with the daemon (not only by
# `make check`), for the integration tier.
noinst_PROGRAMS += tests/integration/flood-gen
tests_integration_flood_gen_SOURCES = tests/integration/flood-gen.c
tests_integration_flood_gen_LDADD = libvdp/libvdp.la
