# SPDX-License-Identifier: ISC
# needs: vlan_filtering
# Migration services, leasequery mode, with real peers: a VM (busybox udhcpc) gets a
# lease from ISC dhcpd through the bridge and joins a multicast group; it
# migrates from p1 to p2 (Associate with the M bit); vdpd asks dhcpd by
# DHCPLEASEQUERY and moves the binding, and its IGMPv2 query makes the VM
# report its group on p2 within a second.  A new VM (M = 0) gets neither;
# with dhcpd down the binding is kept, the failure counted, vdpd runs on.
A=00000000-0000-0000-0000-00000000006a
B=00000000-0000-0000-0000-00000000006b
MDB='bridge -j mdb show'
mkmiglab
dhcpd_start
vdpd_start 'dhcp = { mode = "leasequery"; server = "192.0.2.2"; timeout = 500; retries = 1; };
igmp = { version = 2; max_response = 2; };'
trap 'rc=$?; mig_cleanup; (exit $rc); vdpd_cleanup' EXIT

say "VNID 60 with DHCP and IGMP snooping; the VM associated on p1"
vsend h1 sync 60 dhcp=1 igmp=1
resp "sync status=0x40 error=0"
vsend h1 assoc 60 $A $VM_MAC 0
resp "assoc status=0x40 error=0 vid=100"
has '.nftables | any(.[]; .set? and .set.name == "dhcp_blocks" and (.set.elem // [] | any(.concat == ["p1", 100, "02:00:00:00:00:6a"])))' \
	"nftables: DHCP server replies from the VM on p1 are dropped" nft -j list ruleset

say "Lease: the VM asks dhcpd through the bridge; vdpd snoops the DHCPACK on p1"
vm_lease
binding_is ".port == \"p1\" and .ip == \"$VM_IP\" and .vlan == 100 and .vnid == 60 and .source == \"snooped\" and .state == \"bound\" and .lease > 590" \
	"binding: p1, $VM_IP, VLAN 100, snooped"
vm_join 239.1.1.1
has "$(mdb_on p1 239.1.1.1)" "mdb: the VM's group on p1" $MDB
hasnt "$(mdb_on p2 239.1.1.1)" "mdb: not on p2" $MDB
say "The binding table before the migration"
bindings_show

say "The VM migrates to the server behind p2: Associate with the M bit"
capture q2 p2 'igmp or (vlan and igmp)'
capture lq mg0 'udp port 67' -v
ip link set vmp master hvb2
t0=$(uptime_cs)
vsend h2 assoc 60 $A $VM_MAC 0 m
t1=$(uptime_cs)
resp "assoc status=0x40 error=0 vid=100"
mdb_within p2 239.1.1.1 "$t0" "$t1"
binding_is ".port == \"p2\" and .ip == \"$VM_IP\" and .source == \"leasequery\" and .state == \"bound\" and .lease <= 600 and .lease > 580" \
	"binding: p2, the same $VM_IP, lease from dhcpd's DHCPLEASEACTIVE"
capture_stop
grep -q "igmp query v2 \[max resp time 2\]" "$T/q2.txt" && grep -q "vlan 100" "$T/q2.txt" ||
	fail "no IGMPv2 query in VLAN 100 on p2: $(cat "$T/q2.txt")"
echo "  ok: tcpdump on p2: vdpd's IGMPv2 general query, VLAN 100"
grep -q "$VM_MAC > 01:00:5e:01:01:01.*igmp v2 report 239.1.1.1" "$T/q2.txt" ||
	fail "no report of the VM on p2: $(cat "$T/q2.txt")"
echo "  ok: tcpdump on p2: the VM's IGMPv2 report for 239.1.1.1"
grep -q "DHCPLEASEQUERY from 192.0.2.1 for MAC address $VM_MAC" "$T/dhcpd.log" &&
	grep -q "DHCPLEASEACTIVE to 192.0.2.1 for MAC address $VM_MAC" "$T/dhcpd.log" ||
	fail "dhcpd did not answer a leasequery by MAC: $(cat "$T/dhcpd.log")"
grep -q "DHCPLEASEQUERY from 192.0.2.1 for IP $VM_IP" "$T/dhcpd.log" ||
	fail "dhcpd saw no leasequery by IP"
echo "  ok: dhcpd: DHCPLEASEQUERY by MAC and by IP from 192.0.2.1, DHCPLEASEACTIVE"
grep -q "Lease-Query" "$T/lq.txt" || grep -q "LeaseQuery" "$T/lq.txt" ||
	fail "tcpdump on mg0 saw no leasequery: $(cat "$T/lq.txt")"
has '.migrations == 1 and .lq_sent == 2 and .lq_active == 2 and .igmp_queries >= 1' \
	"vdpctl: 1 migration, 2 leasequeries, 2 DHCPLEASEACTIVE, queries sent" ctl bindings
say "The binding table after the migration"
bindings_show

say "New VM: VSI B associated on p1 without the M bit: no leasequery, no query"
capture nq1 p1 'igmp or (vlan and igmp)'
capture nlq mg0 'udp port 67'
vsend h1 assoc 60 $B 02:00:00:00:00:6b 0
resp "assoc status=0x40 error=0 vid=100"
sleep 1.5
capture_stop
! grep -q "igmp query" "$T/nq1.txt" || fail "a query went out of p1: $(cat "$T/nq1.txt")"
! grep -q BOOTP "$T/nlq.txt" || fail "a leasequery went out: $(cat "$T/nlq.txt")"
has '.migrations == 1 and .lq_sent == 2' "vdpctl: still 1 migration, 2 leasequeries" ctl bindings
echo "  ok: no IGMP query on p1, no leasequery on mg0"

say "DHCP server down: the VM migrates back to p1"
dhcpd_stop
ip link set vmp master hvb1
vsend h1 deassoc 60 $A $VM_MAC 0 s
resp "deassoc status=0x40 error=0 vid=0"
vsend h1 assoc 60 $A $VM_MAC 0 m
resp "assoc status=0x40 error=0 vid=100"
binding_is ".port == \"p2\" and .ip == \"$VM_IP\" and .state == \"unverified\"" \
	"binding kept (on p2, where it was), marked unverified"
has '.lq_sent == 4 and .lq_server_down == 2 and .lq_active == 2' \
	"vdpctl: both leasequeries sent, both refused (ICMP): lq-server-down 2" ctl bindings
[ "$(grep -c "DHCP server 192.0.2.2 unreachable: Connection refused" "$T/vdpd.log")" = 2 ] ||
	fail "vdpd did not log the two failures"
echo "  ok: vdpd logged: DHCP server 192.0.2.2 unreachable: Connection refused (twice)"
has '.vsis | any(.[]; .vsiid == "'$A'" and .port == "p1")' "vdpd runs on: VSI A on p1" ctl vsis
bindings_show

mig_stop 'DHCP server|leasequery by' # the two failures provoked on purpose
hasnt 'any(.nftables[]; .table? and .table.family == "bridge" and .table.name == "vdpd")' \
	"table bridge vdpd is gone" nft -j list ruleset
grep -q "^# vdpd DHCP-snooping bindings v1" "$T/state/bindings" &&
	grep -q "^$VM_MAC 100 $VM_IP p2 " "$T/state/bindings" ||
	fail "the binding is not in $T/state/bindings"
echo "  ok: the binding is saved in the state directory"
