# SPDX-License-Identifier: ISC
# Manual pages.  libvdp's, and the wire format it implements, are
# installed with the library alone (./configure --disable-daemon) too.
# The sources name the Debian paths (/etc/vdpd.conf, /var/lib/vdpd,
# /run/vdpd/...); what is installed is man/out/NAME, with the paths
# configure chose (--sysconfdir, --localstatedir, --runstatedir), by the
# sed of $(VDP_SUBST_PATHS) below.
MAN_LIB = man/libvdp.3 man/vdp-protocol.7
MAN_DAEMON = man/vdpd.conf.5 man/vdpd.8 man/vdpctl.8 man/vdp-pcap.8 man/vdp-station.8
EXTRA_DIST += $(MAN_LIB) $(MAN_DAEMON)
nodist_man_MANS += man/out/libvdp.3 man/out/vdp-protocol.7
if DAEMON
nodist_man_MANS += man/out/vdpd.conf.5 man/out/vdpd.8 man/out/vdpctl.8 man/out/vdp-pcap.8 \
	man/out/vdp-station.8
endif
CLEANFILES += man/out/*

VDP_SUBST_PATHS = sed \
	-e 's|/etc/vdpd\.conf|$(VDP_SYSCONFDIR)/vdpd.conf|g' \
	-e 's|/var/lib/vdpd|$(VDP_LOCALSTATEDIR)/lib/vdpd|g' \
	-e 's|/run/vdpd\([/),]\)|$(VDP_RUNSTATEDIR)/vdpd\1|g' \
	-e 's|/run/vdp-station\([/),]\)|$(VDP_RUNSTATEDIR)/vdp-station\1|g' \
	-e 's|@sbindir[@]|$(VDP_SBINDIR)|g' \
	-e 's|@bindir[@]|$(VDP_BINDIR)|g' \
	-e 's|@sysconfdir[@]|$(VDP_SYSCONFDIR)|g' \
	-e 's|@localstatedir[@]|$(VDP_LOCALSTATEDIR)|g' \
	-e 's|@runstatedir[@]|$(VDP_RUNSTATEDIR)|g' \
	-e 's|@VDPD_USER[@]|$(VDPD_USER)|g'

man/out/%: $(srcdir)/man/% Makefile
	$(AM_V_GEN)$(MKDIR_P) man/out && $(VDP_SUBST_PATHS) $< >$@.tmp && mv $@.tmp $@
