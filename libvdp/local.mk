lib_LTLIBRARIES += libvdp/libvdp.la
libvdp_libvdp_la_SOURCES = \
	libvdp/error.c \
	libvdp/evb.c \
	libvdp/ecp.c \
	libvdp/ecp_engine.c \
	libvdp/tlv.c \
	libvdp/vsi.c \
	libvdp/vsiid.c \
	libvdp/format.c \
	libvdp/format_word.c \
	libvdp/format_int.h \
	libvdp/policy_tlv.c \
	libvdp/help.c \
	libvdp/org.c \
	libvdp/rawsock.c \
	libvdp/station.c \
	libvdp/station_ops.c \
	libvdp/station_task.c \
	libvdp/station_rx.c \
	libvdp/station_pdu.c \
	libvdp/station_lldp.c \
	libvdp/station_dhcp.c \
	libvdp/station_io.c \
	libvdp/station_int.h \
	libvdp/wire.h \
	libvdp/tlv_internal.h
libvdp_libvdp_la_LDFLAGS = -version-info 0:0:0
vdpincludedir = $(includedir)/vdp
vdpinclude_HEADERS = \
	libvdp/include/vdp/error.h \
	libvdp/include/vdp/evb.h \
	libvdp/include/vdp/ecp.h \
	libvdp/include/vdp/ecp_engine.h \
	libvdp/include/vdp/tlv.h \
	libvdp/include/vdp/format.h \
	libvdp/include/vdp/rawsock.h \
	libvdp/include/vdp/station.h
