# SPDX-License-Identifier: ISC
# vdp-pcap: decode EVB/ECP/VDP captures, replay their station side against
# a live bridge (vdp-pcap(8)).  The reference captures it replays live in
# pcaps/ (pcaps/README.md); tests/integration/test_pcap*.py drive it.  May
# call: libvdp, common/ (the JSON writer).
bin_PROGRAMS += tools/vdp-pcap/vdp-pcap
tools_vdp_pcap_vdp_pcap_SOURCES = \
	tools/vdp-pcap/vdp-pcap.c \
	tools/vdp-pcap/vdp-pcap.h \
	tools/vdp-pcap/emit.c \
	tools/vdp-pcap/read.c \
	tools/vdp-pcap/decode.c \
	tools/vdp-pcap/conv.c \
	tools/vdp-pcap/rewrite.c \
	tools/vdp-pcap/compare.c \
	tools/vdp-pcap/replay.c
tools_vdp_pcap_vdp_pcap_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS)
tools_vdp_pcap_vdp_pcap_LDADD = libvdp/libvdp.la $(COMMON_LIBS) $(LIBPCAP_LIBS)
