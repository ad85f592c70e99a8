# SPDX-License-Identifier: ISC
# vdpd/core/: the tables (VSIs, VNID policies, VLAN pool), the decisions
# over them and the kernel operations they produce, the reasons table.  No
# I/O of its own but the state records it queues (persist.c).  May call:
# kernel/ (through struct backend), state/, conf/,
# libvdp, common/; the migration services above it only through d->hooks.
noinst_LTLIBRARIES += vdpd/core/libvdpd_core.la
vdpd_core_libvdpd_core_la_SOURCES = \
	vdpd/core/vdpd.h \
	vdpd/core/core.c \
	vdpd/core/vdpdu.c \
	vdpd/core/vsi.c \
	vdpd/core/vsi_index.c \
	vdpd/core/vnid_policy.c \
	vdpd/core/policy_check.c \
	vdpd/core/kprog.c \
	vdpd/core/vlan_pool.h \
	vdpd/core/vlan_pool.c \
	vdpd/core/fairness.c \
	vdpd/core/persist.h \
	vdpd/core/persist.c \
	vdpd/core/persist_load.c \
	vdpd/core/reason.h \
	vdpd/core/reason.c
VDPD_CORE_LIBS = vdpd/core/libvdpd_core.la $(VDPD_CONF_LIBS) $(VDPD_KERNEL_LIBS) $(VDPD_STATE_LIBS)
