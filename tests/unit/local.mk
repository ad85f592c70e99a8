# Check unit tests for libvdp's codecs, one program per wire format.
# The capture tests find pcaps/ through VDP_PCAP_DIR (overridable from the
# environment: VDP_PCAP_DIR=/some/dir make check).
UNIT_TESTS = \
	tests/unit/check_tlv \
	tests/unit/check_evb \
	tests/unit/check_ecp \
	tests/unit/check_vsi \
	tests/unit/check_policy \
	tests/unit/check_help_org \
	tests/unit/check_pcap
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
EXTRA_DIST += pcaps/lldpad-station-vs-lldpad-bridge.pcap

UNIT_CPPFLAGS = $(AM_CPPFLAGS) -DVDP_PCAP_DIR='"$(abs_top_srcdir)/pcaps"'
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBPCAP_CFLAGS)
UNIT_LDADD = libvdp/libvdp.la $(CHECK_LIBS) $(LIBPCAP_LIBS)
UNIT_COMMON = tests/unit/testutil.c tests/unit/testutil.h

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

tests_unit_check_pcap_SOURCES = tests/unit/check_pcap.c $(UNIT_COMMON)
tests_unit_check_pcap_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_pcap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_pcap_LDADD = $(UNIT_LDADD)
