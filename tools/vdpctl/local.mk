# SPDX-License-Identifier: ISC
# vdpctl: vdpd's control client (vdpctl(8)).  May call: common/ (the
# answer's buffer).  The protocol's constants and the command list are the
# daemon's own headers, vdpd/ctl/ctl_proto.h and ctl_commands.h (constants
# only, no daemon code).
bin_PROGRAMS += tools/vdpctl/vdpctl
tools_vdpctl_vdpctl_SOURCES = tools/vdpctl/vdpctl.c
tools_vdpctl_vdpctl_LDADD = $(COMMON_LIBS)
