#!/bin/sh
# SPDX-License-Identifier: ISC
# Regenerates pcaps/lldpad-station-vs-vdpd-*.pcap: runs the lldpad interop
# tests (tests/integration/test_lldp.py), which capture every run on the
# bridge port, with VDPD_SAVE_PCAPS pointing here.  One capture per test:
#   -negotiation                       EVB TLVs both ways, configured then negotiated
#   -vdptool-associate-list-deassociate  Associate (VID and MAC/VID, VID 0 and explicit),
#                                        keepalives, De-Associate
#   -lldpad-killed-vsis-expire         keepalive timeout, unsolicited De-Associates
#   -station-gone-via-lldp             link down and LLDP shutdown
#   -lldpd-restart-keeps-station       lldpd restarted under running VSIs
#   -reload-renegotiates               SIGHUP with a longer RKA
# Needs root, a build (VDPD_BUILD, default build/), lldpd, lldpad, tcpdump,
# tshark.  Extra arguments go to pytest (e.g. -k negotiation).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
VDPD_SAVE_PCAPS="$top/pcaps" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
	tests/integration/test_lldp.py "$@"
ls -l pcaps/lldpad-station-vs-vdpd-*.pcap
