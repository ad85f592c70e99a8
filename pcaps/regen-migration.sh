#!/bin/bash
# SPDX-License-Identifier: ISC
# Records the real-peer captures the migration services' unit tests decode (run as root
# on the host kernel; needs isc-dhcp-server, busybox, tcpdump, python3-scapy):
#   dhcp-udhcpc-isc-dhcpd.pcap    busybox udhcpc and ISC dhcpd: DISCOVER,
#                                 OFFER, REQUEST, ACK; a REQUEST for an
#                                 address the server did not give (NAK);
#                                 the client's RELEASE
#   dhcp-leasequery-isc-dhcpd.pcap RFC 4388 queries written with scapy (an
#                                 encoder independent of vdpd's) and ISC
#                                 dhcpd's answers: ACTIVE by MAC, ACTIVE by
#                                 IP, UNKNOWN (MAC), UNASSIGNED (IP)
#   igmp-linux.pcap               a Linux bridge's IGMPv3 and IGMPv2
#                                 general queries, a Linux host's v3 report,
#                                 v2 report and v2 leave
# Usage: pcaps/regen-migration.sh [OUTDIR]   (default: the script's directory)
set -eu
out=$(cd "${1:-$(dirname "$0")}" && pwd)
w=$(mktemp -d)
S=rg4srv C=rg4cli
cleanup() {
	[ -f "$w/dhcpd.pid" ] && kill "$(cat "$w/dhcpd.pid")" 2>/dev/null || true
	ip netns del $S 2>/dev/null || true
	ip netns del $C 2>/dev/null || true
	rm -rf "$w"
}
trap cleanup EXIT
ip netns add $S
ip netns add $C
ip -n $S link add s0 type veth peer name c0 netns $C
ip -n $S addr add 10.100.0.1/24 dev s0
ip -n $S link set s0 up
ip -n $C link set c0 address 02:00:00:00:00:6a
ip -n $C link set c0 up
cat >"$w/dhcpd.conf" <<EOF
authoritative;
allow leasequery;
default-lease-time 600;
max-lease-time 600;
subnet 10.100.0.0 netmask 255.255.255.0 { range 10.100.0.50 10.100.0.59; }
EOF
: >"$w/leases"
ip netns exec $S dhcpd -4 -q -cf "$w/dhcpd.conf" -lf "$w/leases" -pf "$w/dhcpd.pid" s0
sleep 1

# --- DHCP: udhcpc against dhcpd, then a NAK and the release ---------------
ip netns exec $C tcpdump -i c0 -U -w "$w/dhcp.pcap" 'udp port 67 or udp port 68' 2>/dev/null &
td=$!
sleep 1
printf '#!/bin/sh\n[ "$1" = bound ] && ip addr add "$ip/$mask" dev "$interface"\nexit 0\n' \
	>"$w/udhcpc.sh"
chmod +x "$w/udhcpc.sh"
ip netns exec $C busybox udhcpc -i c0 -f -q -n -t 5 -T 1 -s "$w/udhcpc.sh"
ip netns exec $C /usr/bin/python3 - <<'EOF'
from scapy.all import Ether, IP, UDP, BOOTP, DHCP, sendp
mac = bytes.fromhex("02000000006a")
# INIT-REBOOT for an address on another network: an authoritative server NAKs.
sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255") /
      UDP(sport=68, dport=67) / BOOTP(chaddr=mac, xid=0x4e414b21, flags=0x8000) /
      DHCP(options=[("message-type", "request"), ("requested_addr", "10.9.9.9"), "end"]),
      iface="c0", verbose=False)
EOF
sleep 1
# RELEASE of the lease udhcpc got (udhcpc -R sends one when it quits).
ip=$(ip -n $C -4 -o addr show dev c0 | awk '{print $4}' | cut -d/ -f1)
ip netns exec $C /usr/bin/python3 - "$ip" <<'EOF'
import sys
from scapy.all import Ether, IP, UDP, BOOTP, DHCP, sendp
mac = bytes.fromhex("02000000006a")
sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src=sys.argv[1], dst="10.100.0.1") /
      UDP(sport=68, dport=67) / BOOTP(chaddr=mac, ciaddr=sys.argv[1], xid=0x72656c21) /
      DHCP(options=[("message-type", "release"), ("server_id", "10.100.0.1"), "end"]),
      iface="c0", verbose=False)
EOF
sleep 1
kill $td
wait $td 2>/dev/null || true

# --- leasequery: a second lease, then four queries ------------------------
ip -n $C addr flush dev c0
ip netns exec $C busybox udhcpc -i c0 -f -q -n -t 5 -T 1 -s "$w/udhcpc.sh"
lease=$(ip -n $C -4 -o addr show dev c0 | awk '{print $4}' | cut -d/ -f1)
ip -n $C addr add 10.100.0.9/24 dev c0 # the requester, giaddr
ip netns exec $C tcpdump -i c0 -U -w "$w/lq.pcap" 'udp port 67' 2>/dev/null &
td=$!
sleep 1
ip netns exec $C /usr/bin/python3 - "$lease" <<'EOF'
import sys, time
from scapy.all import IP, UDP, BOOTP, DHCP, send
lease = sys.argv[1]
def lq(xid, **kw):
    send(IP(src="10.100.0.9", dst="10.100.0.1") / UDP(sport=67, dport=67) /
         BOOTP(op=1, xid=xid, giaddr="10.100.0.9", **kw) /
         DHCP(options=[("message-type", "lease_query"), ("param_req_list", [51, 91, 92]), "end"]),
         verbose=False)
    time.sleep(0.5)
lq(0x6c710001, chaddr=bytes.fromhex("02000000006a"))          # ACTIVE by MAC
lq(0x6c710002, ciaddr=lease)                                   # ACTIVE by IP
lq(0x6c710003, chaddr=bytes.fromhex("020000000099"))          # UNKNOWN
lq(0x6c710004, ciaddr="10.100.0.58")                           # UNASSIGNED (free in range)
EOF
sleep 1
kill $td
wait $td 2>/dev/null || true

# --- IGMP: a Linux bridge as querier, a Linux host answering -------------
ip -n $C addr flush dev c0
ip -n $S link del s0
ip -n $S link add br0 type bridge mcast_querier 1 mcast_query_interval 100 \
	mcast_startup_query_interval 100 mcast_igmp_version 3
ip -n $S link add s0 type veth peer name c0 netns $C
ip -n $S link set s0 master br0 up
ip -n $S addr add 10.200.0.1/24 dev br0
ip netns exec $C sysctl -qw net.ipv4.conf.all.force_igmp_version=3
ip -n $C link set c0 up
ip -n $C addr add 10.200.0.2/24 dev c0
ip -n $C link set lo up
ip netns exec $C tcpdump -i c0 -U -w "$w/igmp.pcap" igmp 2>/dev/null &
td=$!
sleep 1
ip -n $S link set br0 up
sleep 1.5 # a v3 query
ip -n $C addr add 239.2.2.2/32 dev c0 autojoin # v3 report
sleep 1
ip -n $S link set br0 type bridge mcast_igmp_version 2
ip netns exec $C sysctl -qw net.ipv4.conf.all.force_igmp_version=2
sleep 1.5 # a v2 query
ip -n $C addr add 239.1.1.1/32 dev c0 autojoin # v2 report
sleep 1
ip -n $C addr del 239.1.1.1/32 dev c0 # v2 leave
sleep 2
kill $td
wait $td 2>/dev/null || true

cp "$w/dhcp.pcap" "$out/dhcp-udhcpc-isc-dhcpd.pcap"
cp "$w/lq.pcap" "$out/dhcp-leasequery-isc-dhcpd.pcap"
cp "$w/igmp.pcap" "$out/igmp-linux.pcap"
for f in dhcp-udhcpc-isc-dhcpd dhcp-leasequery-isc-dhcpd igmp-linux; do
	echo "== $f"
	tcpdump -nn -r "$out/$f.pcap" 2>/dev/null
done
