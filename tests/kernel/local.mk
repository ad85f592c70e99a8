# SPDX-License-Identifier: ISC
# Real-kernel test tier: tests/kernel/run boots the current Debian kernel
# under qemu and runs tests/kernel/scenarios/*.sh in it against the netlink
# backend (driven by backend-drive) and the daemon (vdpd, vdpctl, with
# vdp-send as the station).  Not part of `make check`: it needs root, qemu
# and the Debian archive; run `make check-kernel` or the script.
noinst_PROGRAMS += tests/kernel/backend-drive tests/kernel/vdp-send
tests_kernel_backend_drive_SOURCES = tests/kernel/backend-drive.c
tests_kernel_backend_drive_LDADD = $(VDPD_KERNEL_LIBS)
tests_kernel_vdp_send_SOURCES = tests/kernel/vdp-send.c
tests_kernel_vdp_send_LDADD = libvdp/libvdp.la
EXTRA_DIST += tests/kernel/run tests/kernel/guest-init tests/kernel/lib.sh \
	tests/kernel/scenarios

check-kernel: tests/kernel/backend-drive tests/kernel/vdp-send vdpd/vdpd tools/vdpctl/vdpctl
	$(srcdir)/tests/kernel/run $(abs_builddir)
