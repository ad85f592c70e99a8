# SPDX-License-Identifier: ISC
# needs: vlan_filtering
# vdpd end to end, VLAN on demand (VLAN on demand): a station (vdp-send) associates
# VSIs; vdpd answers and programs bridge VLAN membership, read back with
# `bridge -j vlan show` and `vdpctl -j`.  Pool 100-103, 102 reserved.
A=00000000-0000-0000-0000-00000000000a
A2=00000000-0000-0000-0000-0000000000a2
B=00000000-0000-0000-0000-00000000000b
C=00000000-0000-0000-0000-00000000000c
D=00000000-0000-0000-0000-00000000000d
mkvdplab
vdpd_start
V='bridge -j vlan show'

say "Associate VSI A, VNID 10, VID 0 on p1: lowest free VLAN 100"
vsend h1 assoc 10 $A 02:00:00:00:00:0a 0
resp "assoc status=0x40 error=0 vid=100"
has "$(vlan_on p1 100)" "p1 is a tagged member of VLAN 100" $V
has "$(vlan_on up0 100)" "uplink up0 is a tagged member of VLAN 100" $V
hasnt "$(vlan_on p2 100)" "p2 is not in VLAN 100" $V
has ".vsis | length == 1 and (.[0] | .vsiid == \"$A\" and .port == \"p1\" and .vnid == 10 and .state == \"assoc\" and .vlan == 100)" \
	"vdpctl: VSI A on p1, VNID 10, associated, VLAN 100" ctl vsis

say "VNID 20 on p2 gets VLAN 101, VNID 30 gets 103 (102 is reserved)"
vsend h2 assoc 20 $B 02:00:00:00:00:0b 0 assoc 30 $C 02:00:00:00:00:0c 0
resp "assoc status=0x40 error=0 vid=101"
resp "assoc status=0x40 error=0 vid=103"
has "$(vlan_on p2 101) and $(vlan_on p2 103)" "p2 is in VLANs 101 and 103" $V
has "$(vlan_on up0 101) and $(vlan_on up0 103)" "up0 is in VLANs 101 and 103" $V
hasnt "$(vlan_on p1 101) or $(vlan_on p1 103)" "p1 is in neither" $V
hasnt "any(.[] | .vlans[]?; .vlan == 102)" "nobody is in reserved VLAN 102" $V
has '[.vnids[] | {vnid, vlan}] == [{"vnid":10,"vlan":100},{"vnid":20,"vlan":101},{"vnid":30,"vlan":103}]' \
	"vdpctl: VNIDs 10, 20, 30 own VLANs 100, 101, 103" ctl vnids

say "a second VSI of VNID 10 gets the VNID's VLAN 100"
vsend h1 assoc 10 $A2 02:00:00:00:00:a2 0
resp "assoc status=0x40 error=0 vid=100"

say "refusals: pool exhausted (error 2), VID owned by another VNID (error 5)"
vsend h1 assoc 40 $D 02:00:00:00:00:0d 0
resp "assoc status=0x42 error=2 vid=0"
vsend h1 assoc 41 $D 02:00:00:00:00:0d 101
resp "assoc status=0x55 error=5 vid=101"
hasnt "$(vlan_on p1 101)" "p1 still not in VLAN 101" $V
has '[.vnids[].vnid] == [10, 20, 30]' "vdpctl: no VNID 40 or 41" ctl vnids
has '.pool_free == 0' "vdpctl: the pool has no free VLAN" ctl vlans
has '.total.reasons["pool-exhausted"] == 1 and .total.reasons["vid-owned"] == 1' \
	"vdpctl: counted pool-exhausted and vid-owned" ctl counters

say "De-Associate A: VNID 10 keeps VLAN 100 on p1 for A2"
vsend h1 deassoc 10 $A 02:00:00:00:00:0a 0
resp "deassoc status=0x40 error=0 vid=100"
has "$(vlan_on p1 100) and $(vlan_on up0 100)" "p1 and up0 still in VLAN 100" $V

say "De-Associate A2, VNID 10's last VSI: VLAN 100 leaves p1 and up0"
vsend h1 deassoc 10 $A2 02:00:00:00:00:a2 0
resp "deassoc status=0x40 error=0 vid=100"
hasnt "$(vlan_on p1 100) or $(vlan_on up0 100)" "VLAN 100 is gone from p1 and up0" $V
has "$(vlan_on up0 101) and $(vlan_on up0 103)" "up0 keeps 101 and 103" $V
has '[.vlans[].vlan] == [101, 103]' "vdpctl: VLAN 100 released" ctl vlans

say "VLAN 100, free again, is the lowest free for a new VNID"
vsend h1 assoc 40 $D 02:00:00:00:00:0d 0
resp "assoc status=0x40 error=0 vid=100"
has "$(vlan_on p1 100)" "p1 is in VLAN 100 again" $V

say "SIGTERM: vdpd removes its VLANs and its table"
vdpd_stop
hasnt "any(.[] | .vlans[]?; .vlan >= 100 and .vlan <= 103)" "no port is in VLANs 100-103" $V
