# vdpctl: vdpd's control client (vdpctl(8)).  May call: libc only; the
# protocol constants come from vdpd/ctl/ctl.h.
bin_PROGRAMS += tools/vdpctl/vdpctl
tools_vdpctl_vdpctl_SOURCES = tools/vdpctl/vdpctl.c
