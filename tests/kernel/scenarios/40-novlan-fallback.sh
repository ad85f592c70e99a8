# SPDX-License-Identifier: ISC
# Without bridge VLAN filtering (here: a bridge left with vlan_filtering off;
# on the host kernel: a kernel without CONFIG_BRIDGE_VLAN_FILTERING).
# Mode nftables: VLAN membership becomes set vids_PORT plus two drop rules in
# table bridge vdpd.  Mode refuse: open fails naming the kernel option.
mkbridge br0 0
mkport vA br0
NFT="--bridge br0 --leave-vlan-filtering --novlan nftables"

say "mode nftables: vlan-add vA 100 and 200"
drive_ok $NFT vlan-add vA 100 vlan-add vA 200
grep -q "VLAN membership is enforced with nftables" "$T/out" ||
	fail "no log line saying VLAN membership is enforced with nftables"
has '(.[0].linkinfo.info_data.vlan_filtering // 0) == 0' "br0 still has vlan_filtering 0" \
	ip -j -d link show br0
SET='[.nftables[] | select(.set? and .set.table == "vdpd" and .set.name == "vids_vA") | .set]'
has "$SET | length == 1 and (.[0].elem | sort) == [100, 200]" "set vids_vA = {100, 200}" \
	nft -j list ruleset
for d in in:iifname out:oifname; do
	R=$(rules_of vlans "vlan-${d%%:*} vA")
	has "$R | length == 1 and (.[0].expr | $(mt ".meta.key == \"${d#*:}\"" '"vA"')) and (.[0].expr | $(mt '.payload.field == "id"' '"@vids_vA"' '!=')) and (.[0].expr | any(has(\"drop\")))" \
		"rule vlan-${d%%:*}: ${d#*:} vA vlan id != @vids_vA drop" nft -j list ruleset
done

say "mode nftables: vlan-del vA 100"
drive_ok $NFT vlan-del vA 100
has "$SET | (.[0].elem | sort) == [200]" "set vids_vA = {200}" nft -j list ruleset

say "mode refuse: open fails and names CONFIG_BRIDGE_VLAN_FILTERING"
drive_err CONFIG_BRIDGE_VLAN_FILTERING --bridge br0 --leave-vlan-filtering --novlan refuse \
	vlan-add vA 300
has "$SET | (.[0].elem | sort) == [200]" "nothing changed: set vids_vA = {200}" nft -j list ruleset
