# SPDX-License-Identifier: ISC
# needs: vlan_filtering
# Bridge VLAN filtering: the backend makes a port a tagged member of VLANs and
# removes it again (rtnetlink AF_BRIDGE); read back with `bridge -j vlan show`.

# filter: PORT is a tagged (not egress-untagged) member of VID
tagged() {
	echo "any(.[] | select(.ifname == \"$1\") | .vlans[]; .vlan <= $2 and (.vlanEnd // .vlan) >= $2 and ((.flags // []) | index(\"Egress Untagged\") | not))"
}

mkbridge br0 1
mkport vA br0
mkport vB br0
ip link add vX type veth peer name vXp

say "vlan-add vA 100 and 200 in one batch, then 100 again (idempotent)"
drive_ok --bridge br0 vlan-add vA 100 vlan-add vA 200
drive_ok --bridge br0 vlan-add vA 100
has "$(tagged vA 100)" "vA is a tagged member of VLAN 100" bridge -j vlan show
has "$(tagged vA 200)" "vA is a tagged member of VLAN 200" bridge -j vlan show
hasnt "$(tagged vB 100)" "vB is not in VLAN 100" bridge -j vlan show
hasnt 'any(.nftables[]; (.set.name? // "") | startswith("vids_"))' \
	"no nftables fallback set: the kernel filters" nft -j list ruleset

say "all or nothing: vA 300 then a non-port fails, and vA 300 is undone"
drive_err "vX is not a port of bridge br0" --bridge br0 vlan-add vA 300 vlan-add vX 300
hasnt "$(tagged vA 300)" "vA is not in VLAN 300" bridge -j vlan show

say "vlan-del vA 100 and 200, then 100 again (idempotent)"
drive_ok --bridge br0 vlan-del vA 100 vlan-del vA 200
drive_ok --bridge br0 vlan-del vA 100
hasnt "$(tagged vA 100)" "vA left VLAN 100" bridge -j vlan show
hasnt "$(tagged vA 200)" "vA left VLAN 200" bridge -j vlan show

say "a bridge created without vlan_filtering gets it switched on at open"
mkbridge br1 0
mkport vC br1
drive_ok --bridge br1 vlan-add vC 10
has '.[0].linkinfo.info_data.vlan_filtering == 1' "br1 has vlan_filtering 1" ip -j -d link show br1
has "$(tagged vC 10)" "vC is a tagged member of VLAN 10" bridge -j vlan show
