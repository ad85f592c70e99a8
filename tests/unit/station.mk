# The station role's unit test: the station core over a fake link and a
# fake clock against a scripted bridge (libvdp's own ECP engine).  Included
# from Makefile.am.
check_PROGRAMS += tests/unit/check_station
TESTS += tests/unit/check_station
tests_unit_check_station_SOURCES = tests/unit/check_station.c tests/unit/testutil.c \
	tests/unit/testutil.h
tests_unit_check_station_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_station_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_station_LDADD = libvdp/libvdp.la $(CHECK_LIBS)
