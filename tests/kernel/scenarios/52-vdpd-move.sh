# SPDX-License-Identifier: ISC
# needs: vlan_filtering
# vdpd end to end, a VSI that moves: associated on p1, then on p2 with the
# same UUID and the M bit; its VLAN leaves p1 and appears on p2; the source's
# keepalive is refused and its De-Associate releases only its claim.
A=00000000-0000-0000-0000-00000000006a
M=02:00:00:00:00:6a
mkvdplab
vdpd_start
V='bridge -j vlan show'

say "Associate VSI A, VNID 60, on p1"
vsend h1 assoc 60 $A $M 0
resp "assoc status=0x40 error=0 vid=100"
has "$(vlan_on p1 100)" "p1 is in VLAN 100" $V

say "Associate A on p2 with the M bit: a move"
vsend h2 assoc 60 $A $M 0 m
resp "assoc status=0x40 error=0 vid=100"
hasnt "$(vlan_on p1 100)" "VLAN 100 left p1" $V
has "$(vlan_on p2 100) and $(vlan_on up0 100)" "VLAN 100 is on p2 and up0" $V
has ".vsis | length == 1 and (.[0] | .vsiid == \"$A\" and .port == \"p2\" and .migrated)" \
	"vdpctl: A is on p2, migrated" ctl vsis
has '.ports[] | select(.port == "p1") | .reasons.moved == 1' "vdpctl: p1 counted the move" \
	ctl counters

say "a keepalive from p1 (the source, before its De-Associate) is stale: refused, nothing moves"
vsend h1 assoc 60 $A $M 0
resp "assoc status=0x44 error=4 vid=0"
has "$(vlan_on p2 100)" "VLAN 100 stays on p2" $V
hasnt "$(vlan_on p1 100)" "VLAN 100 stays off p1" $V
has '.vsis[0] | .port == "p2" and .stale == ["p1"]' "vdpctl: A on p2, p1's claim stale" ctl vsis

say "the source's De-Associate (S bit) releases only its own claim"
vsend h1 deassoc 60 $A $M 0 s
resp "deassoc status=0x40 error=0 vid=0"
has "$(vlan_on p2 100)" "VLAN 100 stays on p2" $V
has '.vsis[0] | .port == "p2" and .stale == []' "vdpctl: A on p2, no stale claim" ctl vsis
has '.ports[] | select(.port == "p1") | .reasons."migrated-away" == 1 and .reasons.released == 1' \
	"vdpctl: p1 counted the stale request and the release" ctl counters

vdpd_stop
hasnt "$(vlan_on p2 100) or $(vlan_on up0 100)" "VLAN 100 is gone after stop" $V
