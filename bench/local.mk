# SPDX-License-Identifier: ISC
# bench/: benchmarks of vdpd (issue 12).  Built with the tree, never run by
# `make check` or tests/run: they measure, they do not assert (see
# bench/README.md).  nft-scale drives the kernel backend directly,
# core-scale the core (vsi_handle) with the recording backend.
noinst_PROGRAMS += bench/nft-scale
bench_nft_scale_SOURCES = bench/nft-scale.c bench/benchutil.h
bench_nft_scale_LDADD = $(VDPD_KERNEL_LIBS)
EXTRA_DIST += bench/README.md bench/nft-scale.sh
noinst_PROGRAMS += bench/core-scale
bench_core_scale_SOURCES = bench/core-scale.c bench/benchutil.h
bench_core_scale_LDADD = $(VDPD_CORE_LIBS) libvdp/libvdp.la
