# SPDX-License-Identifier: ISC
# pcaps/: the reference captures, the scenarios that make them, and what
# the tests compare with (pcaps/README.md).
dist_noinst_SCRIPTS = pcaps/regenerate
EXTRA_DIST += \
	pcaps/README.md \
	pcaps/scenarios.py \
	pcaps/pcapfile.py \
	pcaps/lldpad-station-unanswered-vdp.pcap \
	pcaps/vdpd-associate.pcap \
	pcaps/vdpd-deassociate.pcap \
	pcaps/vdpd-keepalive.pcap \
	pcaps/vdpd-malformed.pcap \
	pcaps/vdpd-migration.pcap \
	pcaps/vdpd-policy.pcap \
	pcaps/vdpd-policy-refused.pcap \
	pcaps/vdpd-vid0.pcap \
	tests/golden/lldpad-station-vs-lldpad-bridge.decode.txt \
	tests/golden/lldpad-station-vs-lldpad-bridge.decode.json \
	tests/integration/test_pcap_decode.py \
	tests/integration/test_pcap_replay.py
