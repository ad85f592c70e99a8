# vdpd's control socket and vdpctl: the Check test of the command
# interpreter (every command, text and JSON), the socket server (limits,
# timeouts, stale sockets) and the vdpctl client against it.  Included from
# Makefile.am, after vdpd/local.mk and tools/local.mk.
check_PROGRAMS += tests/unit/check_ctl
TESTS += tests/unit/check_ctl
tests_unit_check_ctl_SOURCES = \
	tests/unit/check_ctl.c \
	vdpd/ctl.h \
	vdpd/ctl.c \
	vdpd/ctl_cmd.c \
	vdpd/ctl_json.h \
	vdpd/ctl_json.c \
	vdpd/ctl_out.h \
	vdpd/ctl_out.c \
	vdpd/ctl_policy.c \
	vdpd/ctl_show.h \
	vdpd/ctl_show.c \
	vdpd/ctl_bindings.h \
	vdpd/ctl_bindings.c
tests_unit_check_ctl_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdpd
tests_unit_check_ctl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBEV_CFLAGS)
tests_unit_check_ctl_LDADD = vdpd/libvdpd_core.la $(CHECK_LIBS) $(LIBEV_LIBS)
# The test runs the real client (tools/vdpctl, from the build directory)
# against its in-process server.
EXTRA_tests_unit_check_ctl_DEPENDENCIES = tools/vdpctl$(EXEEXT)
