# tools/: one folder per installed program; the developer scripts
# (install-deps, build, lint, abi-update, vdp-lab) sit beside them.
include $(srcdir)/tools/vdpctl/local.mk
include $(srcdir)/tools/vdp-station/local.mk
include $(srcdir)/tools/vdp-pcap/local.mk
