# SPDX-License-Identifier: ISC
# common/: the project's internal utilities (logging, ...), one copy each,
# used by the daemon and the tools.  Needs libc only; calls nothing else in
# the tree.  Not installed: libvdp, the public library, does not use it.
noinst_LTLIBRARIES += common/libvdp_common.la
common_libvdp_common_la_SOURCES = \
	common/array.h \
	common/bytes.h \
	common/array.c \
	common/hash.h \
	common/hash.c \
	common/strbuf.h \
	common/strbuf.c \
	common/json.h \
	common/json.c \
	common/ctlsock.h \
	common/ctlsock.c \
	common/fsutil.h \
	common/fsutil.c \
	common/ifname.h \
	common/ifname.c \
	common/ratelimit.h \
	common/ratelimit.c \
	common/log.h \
	common/log.c
COMMON_LIBS = common/libvdp_common.la
EXTRA_DIST += common/README.md
