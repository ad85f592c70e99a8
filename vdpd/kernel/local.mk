# SPDX-License-Identifier: ISC
# vdpd/kernel/: the kernel backend (one interface, backend.h), its netlink
# implementation (bridge VLANs, nftables, tc) and the recording backend for
# unit tests.  May call: common/.  Linked by the daemon and by the
# kernel-tier driver (tests/kernel/backend-drive).
noinst_LTLIBRARIES += vdpd/kernel/libvdpd_kernel.la
vdpd_kernel_libvdpd_kernel_la_SOURCES = \
	vdpd/kernel/backend.h \
	vdpd/kernel/backend.c \
	vdpd/kernel/kop_check.c \
	vdpd/kernel/record.c \
	vdpd/kernel/netlink.h \
	vdpd/kernel/netlink.c \
	vdpd/kernel/vlan.c \
	vdpd/kernel/tc.c \
	vdpd/kernel/nft.c \
	vdpd/kernel/nft_model.c \
	vdpd/kernel/nft_sets.c \
	vdpd/kernel/nft_rules.h \
	vdpd/kernel/nft_rules.c \
	vdpd/kernel/nft_expr.h \
	vdpd/kernel/nft_expr.c \
	vdpd/kernel/nlsock.h \
	vdpd/kernel/nlsock.c \
	vdpd/kernel/kcaps.h \
	vdpd/kernel/kcaps.c
vdpd_kernel_libvdpd_kernel_la_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(LIBNFTNL_CFLAGS) $(LIBMNL_CFLAGS)
vdpd_kernel_libvdpd_kernel_la_LIBADD = $(LIBNL_LIBS) $(LIBNFTNL_LIBS) $(LIBMNL_LIBS)
# What a program linking this folder adds to its LDADD (so for each folder:
# itself, then what it calls, each convenience library once).
VDPD_KERNEL_LIBS = vdpd/kernel/libvdpd_kernel.la $(COMMON_LIBS)
