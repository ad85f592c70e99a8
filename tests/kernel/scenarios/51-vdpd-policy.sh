# SPDX-License-Identifier: ISC
# needs: vlan_filtering
# vdpd end to end, VNID policy lists (VNID policy): Policy Sync with a VLAN, a
# bandwidth and an ACL; Associate programs the VLAN, an htb class (tc) and
# nftables rules; Policy Update reprograms; Policy Remove cleans up.
A=00000000-0000-0000-0000-00000000005a
M=02:00:00:00:00:5a
mkvdplab
vdpd_start
V='bridge -j vlan show'
# The ACL's rules serve every VSI of VLAN 101 with it; A is a member of
# their set (acl_101_HASH: "p1" . MAC).
ACL=$(rules_of acl "acl vid 101 h=")
MEMBER="[.nftables[] | select(.set? and (.set.name | startswith(\"acl_101_\"))) | .set.elem[]? | .concat] | any(. == [\"p1\", \"$M\"])"
ACLSETS='[.nftables[] | select(.set? and (.set.name | startswith("acl_101_")))]'
TO=$(rules_of qos_out_p1 "rate to-vm p1 vid 101 mac $M")

say "Policy Sync VNID 50: VLAN 101, 10 Mbit/s to the VM, permit TCP 80"
vsend h1 sync 50 vlan=101 bw=10000 acl=permit:6:80
resp "sync status=0x40 error=0"
has '.vnids | length == 1 and (.[0] | .vnid == 50 and .synced and .vlan == 101 and .members == 0)' \
	"vdpctl: VNID 50 synced, VLAN 101, no members" ctl vnids
hasnt "$(vlan_on p1 101)" "nothing programmed yet: p1 not in VLAN 101" $V

say "a conflicting Policy Sync (same VNID, other policy) is refused, nothing applied"
# Packet counters move with traffic (the trap counts the ECP frames
# themselves): compare the rules without them.
nft -j list ruleset | jq -S 'del(.. | .counter?)' >"$T/before"
vsend h1 sync 50 vlan=101 bw=20000
resp "sync status=0x64 error=4"
nft -j list ruleset | jq -S 'del(.. | .counter?)' >"$T/after"
cmp -s "$T/before" "$T/after" || fail "the nftables ruleset changed"
echo "  ok: the nftables ruleset is unchanged"

say "Associate VSI A (VID 0) on p1: the policy's VLAN 101, rate and ACL"
vsend h1 assoc 50 $A $M 0
resp "assoc status=0x40 error=0 vid=101"
has "$(vlan_on p1 101) and $(vlan_on up0 101)" "p1 and up0 are in VLAN 101" $V
has_text '^class htb 7664:[0-9a-f]+ .*rate 10Mbit' "htb class at 10Mbit on p1" tc class show dev p1
has "$TO | length == 1" "nft: rate rule steering A's traffic to its class" nft -j list ruleset
has "$ACL | length >= 1 and all(.[]; .expr | any(has(\"accept\")))" "nft: permit rules for A" \
	nft -j list ruleset
has "$ACL | any(.expr | $(mt '.payload.field == "dport"' 80))" "nft: ... for dport 80" \
	nft -j list ruleset
has "$MEMBER" "nft: A (p1 . $M) is a member of the ACL's set" nft -j list ruleset

say "Policy Update to 20 Mbit/s reprograms the member"
vsend h1 update 50 vlan=101 bw=20000 acl=permit:6:80
resp "update status=0x40 error=0"
has_text '^class htb 7664:[0-9a-f]+ .*rate 20Mbit' "htb class at 20Mbit on p1" tc class show dev p1

say "Policy Remove: A (still on p1) is de-associated, and everything goes"
vsend h1 remove 50
resp "deassoc status=0x00 error=0 vid=101"
resp "remove status=0x40 error=0"
hasnt "$(vlan_on p1 101) or $(vlan_on up0 101)" "VLAN 101 is gone from p1 and up0" $V
hasnt_text '7664:' "no htb class on p1" tc class show dev p1
has "$ACL + $TO | length == 0" "nft: no rules for A" nft -j list ruleset
has "$ACLSETS | length == 0" "nft: no ACL set left for VLAN 101" nft -j list ruleset
has '.vnids == []' "vdpctl: no VNIDs" ctl vnids
has '.vsis == []' "vdpctl: no VSIs" ctl vsis

vdpd_stop
