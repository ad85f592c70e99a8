lib_LTLIBRARIES += libvdp/libvdp.la
libvdp_libvdp_la_SOURCES = \
	libvdp/error.c \
	libvdp/evb.c \
	libvdp/ecp.c \
	libvdp/ecp_engine.c \
	libvdp/tlv.c \
	libvdp/vsi.c \
	libvdp/vsiid.c \
	libvdp/policy.c \
	libvdp/help.c \
	libvdp/org.c \
	libvdp/wire.h \
	libvdp/tlv_internal.h
libvdp_libvdp_la_LDFLAGS = -version-info 0:0:0
vdpincludedir = $(includedir)/vdp
vdpinclude_HEADERS = \
	libvdp/include/vdp/error.h \
	libvdp/include/vdp/evb.h \
	libvdp/include/vdp/ecp.h \
	libvdp/include/vdp/ecp_engine.h \
	libvdp/include/vdp/tlv.h
