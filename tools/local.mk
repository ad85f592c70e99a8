# Command-line tools.
bin_PROGRAMS += tools/vdpctl
tools_vdpctl_SOURCES = tools/vdpctl.c
