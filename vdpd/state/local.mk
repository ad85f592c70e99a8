# SPDX-License-Identifier: ISC
# vdpd/state/: the durable store of the daemon's tables: the record format
# (a pure codec, fuzzed) and the journal + snapshot files with group
# commit.  Knows bytes, not VSIs: core/ says what the records mean.  May
# call: common/.
noinst_LTLIBRARIES += vdpd/state/libvdpd_state.la
vdpd_state_libvdpd_state_la_SOURCES = \
	vdpd/state/record.h \
	vdpd/state/record.c \
	vdpd/state/store.h \
	vdpd/state/store.c
vdpd_state_libvdpd_state_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
vdpd_state_libvdpd_state_la_LIBADD = $(ZLIB_LIBS)
VDPD_STATE_LIBS = vdpd/state/libvdpd_state.la $(COMMON_LIBS)
