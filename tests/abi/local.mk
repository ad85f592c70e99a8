# SPDX-License-Identifier: ISC
# The library's ABI as a vendor links it, checked by `make check`:
# - C++ use of every public header (tests/abi/cxx_link.cc, when configure
#   found a C++ compiler);
# - the exported symbols are libvdp/libvdp.map's, in its version nodes,
#   and the headers' VDP_API declarations (check-symbols);
# - every public name has the vdp_/VDP_ prefix (check-names);
# - the ABI is the committed baseline libvdp/abi/libvdp.abi (check-abi,
#   libabigail; tools/abi-update regenerates it on purpose);
# - libvdp.so needs libc only (check-standalone; with --full, by hand, it
#   also builds and installs a fresh ./configure --disable-daemon).
# They need no more than libvdp does, and run with --disable-daemon too.
ABI_TESTS = tests/abi/check-symbols tests/abi/check-names tests/abi/check-abi \
	tests/abi/check-standalone
TESTS += $(ABI_TESTS)
EXTRA_DIST += $(ABI_TESTS) tests/abi/abi-dump libvdp/abi/libvdp.abi

if HAVE_CXX
check_PROGRAMS += tests/abi/cxx_link
TESTS += tests/abi/cxx_link
tests_abi_cxx_link_SOURCES = tests/abi/cxx_link.cc
# As an outside program sees libvdp: its headers only, strict C++11.
tests_abi_cxx_link_CPPFLAGS = -I$(top_srcdir)/libvdp/include -I$(top_builddir)/libvdp/include
tests_abi_cxx_link_CXXFLAGS = -std=c++11 -Wall -Wextra -Wshadow -pedantic -Werror
tests_abi_cxx_link_LDADD = libvdp/libvdp.la
endif
