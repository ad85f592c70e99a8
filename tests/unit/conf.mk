# vdpd.conf(5) parsing: the Check test, its fixtures and the sample
# configuration it keeps valid.  Included from Makefile.am.
check_PROGRAMS += tests/unit/check_conf
TESTS += tests/unit/check_conf
tests_unit_check_conf_SOURCES = \
	tests/unit/check_conf.c \
	vdpd/conf.c \
	vdpd/conf.h \
	vdpd/conf_parse.c \
	vdpd/conf_parse.h \
	vdpd/conf_acl.c \
	vdpd/conf_dhcp.c
tests_unit_check_conf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdpd \
	-DCONF_FIXTURES=\"$(abs_top_srcdir)/tests/unit/conf\" \
	-DCONF_EXAMPLE=\"$(abs_top_srcdir)/etc/vdpd.conf\"
tests_unit_check_conf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBCONFIG_CFLAGS)
tests_unit_check_conf_LDADD = libvdp/libvdp.la $(CHECK_LIBS) $(LIBCONFIG_LIBS)
EXTRA_DIST += \
	etc/vdpd.conf \
	tests/unit/conf/full.conf \
	tests/unit/conf/minimal.conf \
	tests/unit/conf/include.conf \
	tests/unit/conf/include-types.inc \
	tests/unit/conf/include-bad.conf \
	tests/unit/conf/include-bad.inc \
	tests/unit/conf/syntax.conf
