# The ECP engine's unit test: two engines back to back over a fake link,
# driven by a fake clock.  Included from Makefile.am.
check_PROGRAMS += tests/unit/check_ecp_engine
TESTS += tests/unit/check_ecp_engine
tests_unit_check_ecp_engine_SOURCES = tests/unit/check_ecp_engine.c
tests_unit_check_ecp_engine_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_ecp_engine_LDADD = libvdp/libvdp.la $(CHECK_LIBS)
