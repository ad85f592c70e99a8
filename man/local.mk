# Manual pages.  libvdp's, and the wire format it implements, are
# installed with the library alone (./configure --disable-daemon) too.
dist_man_MANS += man/libvdp.3
dist_man_MANS += man/vdp-protocol.7
if DAEMON
dist_man_MANS += man/vdpd.conf.5
dist_man_MANS += man/vdpd.8
dist_man_MANS += man/vdpctl.8
dist_man_MANS += man/vdp-pcap.8
dist_man_MANS += man/vdp-station.8
endif
