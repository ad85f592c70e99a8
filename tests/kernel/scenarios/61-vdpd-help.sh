# SPDX-License-Identifier: ISC
# needs: vlan_filtering
# Migration services, help-request mode (chosen for VNID 70 only: the global mode is
# leasequery), IGMPv3, with real peers: the VM (udhcpc) has its lease from
# ISC dhcpd and a group; it migrates from p1 to p2; vdpd sends the station a
# Help Request; the station (vdp-send -H) has the VM's DHCP client renew and
# answers; vdpd snoops the DHCPACK on p2 and moves the binding there.  The
# IGMPv3 query brings the VM's report to p2's mdb within a second.
A=00000000-0000-0000-0000-00000000007a
mkmiglab
dhcpd_start
vdpd_start 'dhcp = { mode = "leasequery"; server = "192.0.2.2"; help_timeout = 8000;
	vnids = ( { vnid = 70; mode = "help"; } ); };
igmp = { version = 3; max_response = 2; };'
trap 'rc=$?; mig_cleanup; (exit $rc); vdpd_cleanup' EXIT

say "VNID 70 with DHCP and IGMP snooping; the VM associated on p1, leased, in 239.2.2.2"
vsend h1 sync 70 dhcp=1 igmp=1
resp "sync status=0x40 error=0"
vsend h1 assoc 70 $A $VM_MAC 0
resp "assoc status=0x40 error=0 vid=100"
vm_lease
binding_is ".port == \"p1\" and .ip == \"$VM_IP\" and .vnid == 70 and .source == \"snooped\"" \
	"binding: p1, $VM_IP, snooped"
vm_join 239.2.2.2
has "$(mdb_on p1 239.2.2.2)" "mdb: the VM's group on p1" bridge -j mdb show
say "The binding table before the migration"
bindings_show

say "The VM migrates to p2; the station answers the Help Request"
capture q2 p2 'igmp or (vlan and igmp)'
capture d2 p2 'udp port 67 or udp port 68 or (vlan and (udp port 67 or udp port 68))' -v
capture lq mg0 'udp port 67'
ip link set vmp master hvb2
t0=$(uptime_cs)
# The station's help: the VM's DHCP client asks again for its address.
vdp-send -i h2 -t 10 -w 4 \
	-H "$IPROUTE2 netns exec $VM udhcpc -i vm0 -f -q -n -t 3 -T 1 -r \$VDP_HELP_IP -s $T/udhcpc.sh \
		>$T/help-udhcpc.out 2>&1" \
	assoc 70 $A $VM_MAC 0 m >"$T/help.out" 2>&1 &
station=$!
mdb_within p2 239.2.2.2 "$t0"
wait $station || fail "vdp-send: $(cat "$T/help.out")"
sed 's/^/      /' "$T/help.out"
sed 's/^/      station: /' "$T/help-udhcpc.out"
grep -qxF "assoc status=0x40 error=0 vid=100" "$T/help.out" || fail "no Associate response"
grep -qxF "help status=0x00 flags=0x01 mac=$VM_MAC vid=100 ip=$VM_IP" "$T/help.out" ||
	fail "no Help Request naming the VM, its VLAN and $VM_IP"
echo "  ok: Help Request: flags 0x01 (DHCP), MAC $VM_MAC, VLAN 100, last address $VM_IP"
grep -qxF "help answered status=0x40" "$T/help.out" || fail "the station did not answer"
binding_is ".port == \"p2\" and .ip == \"$VM_IP\" and .source == \"help\" and .state == \"bound\" and .lease > 590" \
	"binding: p2, the same $VM_IP, moved by the DHCPACK the help brought"
has '.migrations == 1 and .help_sent == 1 and .help_answered == 1 and .help_moved == 1 and .lq_sent == 0 and .help_timeout == 0 and .help_no_ack == 0' \
	"vdpctl: 1 help request sent, answered, binding moved; no leasequery" ctl bindings
capture_stop
grep -q "igmp query v3 \[max resp time 0.2s\]" "$T/q2.txt" && grep -q "vlan 100" "$T/q2.txt" ||
	fail "no IGMPv3 query in VLAN 100 on p2: $(cat "$T/q2.txt")"
echo "  ok: tcpdump on p2: vdpd's IGMPv3 general query, VLAN 100"
grep -q "^.*$VM_MAC > 01:00:5e:00:00:16.*igmp v3 report" "$T/q2.txt" ||
	fail "no IGMPv3 report of the VM on p2: $(cat "$T/q2.txt")"
echo "  ok: tcpdump on p2: the VM's IGMPv3 report"
grep -q "DHCP-Message (53), length 1: Request" "$T/d2.txt" &&
	grep -q "DHCP-Message (53), length 1: ACK" "$T/d2.txt" ||
	fail "no DHCPREQUEST / DHCPACK through p2: $(cat "$T/d2.txt")"
echo "  ok: tcpdump on p2: the VM's DHCPREQUEST and dhcpd's DHCPACK"
! grep -q BOOTP "$T/lq.txt" || fail "a leasequery went out in help mode"
grep -c "DHCPACK on $VM_IP to $VM_MAC" "$T/dhcpd.log" | grep -qx 2 ||
	fail "dhcpd did not ACK the VM twice: $(cat "$T/dhcpd.log")"
echo "  ok: dhcpd: two DHCPACKs for $VM_IP (the lease, the help), no leasequery"
say "The binding table after the migration"
bindings_show
vdpd_stop
