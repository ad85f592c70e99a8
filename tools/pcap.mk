# vdp-pcap: decode EVB/ECP/VDP captures, replay their station side against
# a live bridge (vdp-pcap(8)).  The reference captures it replays live in
# pcaps/ (pcaps/README.md); tests/integration/test_pcap*.py drive it.
bin_PROGRAMS += tools/vdp-pcap
tools_vdp_pcap_SOURCES = \
	tools/vdp-pcap.c \
	tools/vdp-pcap.h \
	tools/vdp-pcap-emit.c \
	tools/vdp-pcap-read.c \
	tools/vdp-pcap-decode.c \
	tools/vdp-pcap-conv.c \
	tools/vdp-pcap-rewrite.c \
	tools/vdp-pcap-compare.c \
	tools/vdp-pcap-replay.c
tools_vdp_pcap_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS)
tools_vdp_pcap_LDADD = libvdp/libvdp.la $(LIBPCAP_LIBS)

# Unit tests of the tool's own logic (writers, comparison, rewriting, the
# choice of station), linked with its sources.
check_PROGRAMS += tests/unit/check_vdp_pcap
TESTS += tests/unit/check_vdp_pcap
tests_unit_check_vdp_pcap_SOURCES = \
	tests/unit/check_vdp_pcap.c \
	tests/unit/testutil.c \
	tests/unit/testutil.h \
	tools/vdp-pcap-emit.c \
	tools/vdp-pcap-read.c \
	tools/vdp-pcap-decode.c \
	tools/vdp-pcap-conv.c \
	tools/vdp-pcap-rewrite.c \
	tools/vdp-pcap-compare.c
tests_unit_check_vdp_pcap_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools
tests_unit_check_vdp_pcap_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBPCAP_CFLAGS)
tests_unit_check_vdp_pcap_LDADD = libvdp/libvdp.la $(CHECK_LIBS) $(LIBPCAP_LIBS)

# The reference captures, the scenarios that make them, and what the
# tests compare with.
dist_noinst_SCRIPTS = pcaps/regenerate
EXTRA_DIST += \
	pcaps/README.md \
	pcaps/scenarios.py \
	pcaps/pcapfile.py \
	pcaps/lldpad-station-unanswered-vdp.pcap \
	pcaps/vdpd-associate.pcap \
	pcaps/vdpd-deassociate.pcap \
	pcaps/vdpd-keepalive.pcap \
	pcaps/vdpd-malformed.pcap \
	pcaps/vdpd-migration.pcap \
	pcaps/vdpd-policy.pcap \
	pcaps/vdpd-policy-refused.pcap \
	pcaps/vdpd-vid0.pcap \
	tests/golden/lldpad-station-vs-lldpad-bridge.decode.txt \
	tests/golden/lldpad-station-vs-lldpad-bridge.decode.json \
	tests/integration/test_pcap_decode.py \
	tests/integration/test_pcap_replay.py
