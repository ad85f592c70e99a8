# SPDX-License-Identifier: ISC
# the durable store's libFuzzer target (after tests/fuzz/local.mk): the record
# format vdpd reads back from its state directory (vdpd/state/record.c).
# Seeds: tests/fuzz/corpus/state.
EXTRA_DIST += tests/fuzz/corpus/state

if FUZZ
FUZZ_PROGS += tests/fuzz/fuzz-state
noinst_PROGRAMS += tests/fuzz/fuzz-state
tests_fuzz_fuzz_state_SOURCES = tests/fuzz/fuzz-state.c vdpd/state/record.c
tests_fuzz_fuzz_state_CPPFLAGS = $(AM_CPPFLAGS)
tests_fuzz_fuzz_state_CFLAGS = $(FUZZ_CC_FLAGS) $(ZLIB_CFLAGS)
tests_fuzz_fuzz_state_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_state_LDADD = $(ZLIB_LIBS)
endif
