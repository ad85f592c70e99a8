# SPDX-License-Identifier: ISC
# vdpd/ctl/: the control socket vdpctl talks to: its protocol's constants
# and command list (the two headers tools/vdpctl shares), the server
# (limits, timeouts), the command interpreter, text and JSON output.  May
# call: core/, migration/ (show bindings), libvdp, common/.
noinst_LTLIBRARIES += vdpd/ctl/libvdpd_ctl.la
vdpd_ctl_libvdpd_ctl_la_SOURCES = \
	vdpd/ctl/ctl_proto.h \
	vdpd/ctl/ctl_commands.h \
	vdpd/ctl/ctl.h \
	vdpd/ctl/ctl.c \
	vdpd/ctl/ctl_cmd.c \
	vdpd/ctl/ctl_out.h \
	vdpd/ctl/ctl_out.c \
	vdpd/ctl/ctl_show.h \
	vdpd/ctl/ctl_show.c \
	vdpd/ctl/ctl_bindings.h \
	vdpd/ctl/ctl_bindings.c
vdpd_ctl_libvdpd_ctl_la_CFLAGS = $(AM_CFLAGS) $(LIBEV_CFLAGS)
vdpd_ctl_libvdpd_ctl_la_LIBADD = $(LIBEV_LIBS)
VDPD_CTL_LIBS = vdpd/ctl/libvdpd_ctl.la $(VDPD_MIGRATION_LIBS)
