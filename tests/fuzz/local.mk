# SPDX-License-Identifier: ISC
# libFuzzer targets, one per decoder; built with ./configure --enable-fuzz CC=clang.
# Each decodes its input and, for whatever decodes, checks the codec contract
# and decode(encode(x)) == x (tests/fuzz/fuzz-common.h), aborting on a
# violation.  `make fuzz` builds them; tests/fuzz/run-short (also run by
# `make check` in a fuzz build) runs each for 15 s; tests/fuzz/run-long for
# hours; tests/fuzz/make-seeds rebuilds tests/fuzz/corpus/.
FUZZ_SCRIPT_FILES = tests/fuzz/run-short tests/fuzz/run-long tests/fuzz/make-seeds
# (The C sources are distributed through their _SOURCES, conditional or not.)
EXTRA_DIST += $(FUZZ_SCRIPT_FILES) tests/fuzz/vdp.dict tests/fuzz/corpus tests/fuzz/README.md

if FUZZ
# UBSan must abort, not print and go on, for libFuzzer to keep the input.
FUZZ_SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_CC_FLAGS = $(AM_CFLAGS) -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SANITIZE)
FUZZ_LINK_FLAGS = -fsanitize=fuzzer $(FUZZ_SANITIZE)

# libvdp's own sources, compiled again with the sanitizers and coverage
# instrumentation (the installed libvdp.la is not), plus the shared checks.
noinst_LTLIBRARIES += tests/fuzz/libvdp-fuzz.la
tests_fuzz_libvdp_fuzz_la_SOURCES = $(libvdp_libvdp_la_SOURCES) \
	tests/fuzz/fuzz-common.c tests/fuzz/fuzz-common.h
tests_fuzz_libvdp_fuzz_la_CFLAGS = $(FUZZ_CC_FLAGS)

FUZZ_PROGS = tests/fuzz/fuzz-evb tests/fuzz/fuzz-ecp tests/fuzz/fuzz-pdu \
	tests/fuzz/fuzz-vsi tests/fuzz/fuzz-mgrid tests/fuzz/fuzz-policy \
	tests/fuzz/fuzz-help tests/fuzz/fuzz-org tests/fuzz/fuzz-ecp-engine
noinst_PROGRAMS += $(FUZZ_PROGS) tests/fuzz/seedgen

tests_fuzz_fuzz_evb_SOURCES = tests/fuzz/fuzz-evb.c
tests_fuzz_fuzz_evb_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_evb_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_evb_LDADD = tests/fuzz/libvdp-fuzz.la
tests_fuzz_fuzz_ecp_SOURCES = tests/fuzz/fuzz-ecp.c
tests_fuzz_fuzz_ecp_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_ecp_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_ecp_LDADD = tests/fuzz/libvdp-fuzz.la
tests_fuzz_fuzz_pdu_SOURCES = tests/fuzz/fuzz-pdu.c
tests_fuzz_fuzz_pdu_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_pdu_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_pdu_LDADD = tests/fuzz/libvdp-fuzz.la
tests_fuzz_fuzz_vsi_SOURCES = tests/fuzz/fuzz-vsi.c
tests_fuzz_fuzz_vsi_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_vsi_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_vsi_LDADD = tests/fuzz/libvdp-fuzz.la
tests_fuzz_fuzz_mgrid_SOURCES = tests/fuzz/fuzz-mgrid.c
tests_fuzz_fuzz_mgrid_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_mgrid_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_mgrid_LDADD = tests/fuzz/libvdp-fuzz.la
tests_fuzz_fuzz_policy_SOURCES = tests/fuzz/fuzz-policy.c
tests_fuzz_fuzz_policy_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_policy_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_policy_LDADD = tests/fuzz/libvdp-fuzz.la
tests_fuzz_fuzz_help_SOURCES = tests/fuzz/fuzz-help.c
tests_fuzz_fuzz_help_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_help_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_help_LDADD = tests/fuzz/libvdp-fuzz.la
tests_fuzz_fuzz_org_SOURCES = tests/fuzz/fuzz-org.c
tests_fuzz_fuzz_org_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_org_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_org_LDADD = tests/fuzz/libvdp-fuzz.la
# Not a decoder but the state machine fed with received frames.
tests_fuzz_fuzz_ecp_engine_SOURCES = tests/fuzz/fuzz-ecp-engine.c
tests_fuzz_fuzz_ecp_engine_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_ecp_engine_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_ecp_engine_LDADD = tests/fuzz/libvdp-fuzz.la

# Writes the ext-* seeds (encoded sample structs) for make-seeds.
tests_fuzz_seedgen_SOURCES = tests/fuzz/seedgen.c
tests_fuzz_seedgen_LDADD = libvdp/libvdp.la

TESTS += tests/fuzz/run-short

.PHONY: fuzz fuzz-short fuzz-seeds
fuzz: $(FUZZ_PROGS) tests/fuzz/seedgen
fuzz-short: fuzz
	$(srcdir)/tests/fuzz/run-short
fuzz-seeds: tests/fuzz/seedgen
	$(srcdir)/tests/fuzz/make-seeds --seedgen tests/fuzz/seedgen
else
.PHONY: fuzz fuzz-short fuzz-seeds
fuzz fuzz-short fuzz-seeds:
	@echo "fuzz targets are not configured: ./configure --enable-fuzz CC=clang" >&2; exit 1
endif
