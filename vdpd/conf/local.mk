# SPDX-License-Identifier: ISC
# vdpd/conf/: vdpd.conf(5) parsed into one struct conf, checked as a whole
# (file:line errors).  May call: libvdp, common/.
noinst_LTLIBRARIES += vdpd/conf/libvdpd_conf.la
vdpd_conf_libvdpd_conf_la_SOURCES = \
	vdpd/conf/conf.h \
	vdpd/conf/conf.c \
	vdpd/conf/conf_parse.h \
	vdpd/conf/conf_parse.c \
	vdpd/conf/conf_acl.c \
	vdpd/conf/conf_dhcp.c \
	vdpd/conf/conf_limits.c
vdpd_conf_libvdpd_conf_la_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS)
vdpd_conf_libvdpd_conf_la_LIBADD = $(LIBCONFIG_LIBS)
VDPD_CONF_LIBS = vdpd/conf/libvdpd_conf.la libvdp/libvdp.la $(COMMON_LIBS)
