# SPDX-License-Identifier: ISC
# tools/: one folder per installed program; the developer scripts
# (install-deps, build, lint, abi-update, vdp-lab) sit beside them; the
# bash completions (tools/bash-completion/) and the Wireshark dissector
# of our extension TLVs (tools/wireshark/vdp-ext.lua) are installed too.
include $(srcdir)/tools/vdpctl/local.mk
include $(srcdir)/tools/vdp-station/local.mk
include $(srcdir)/tools/vdp-pcap/local.mk

dist_bashcompletion_DATA = tools/bash-completion/vdpctl tools/bash-completion/vdp-station \
	tools/bash-completion/vdp-pcap
dist_wiresharkplugin_DATA = tools/wireshark/vdp-ext.lua
