# SPDX-License-Identifier: ISC
# ACLs: nftables bridge-family rules in table bridge vdpd, installed and
# removed by the backend; read back with `nft -j list ruleset`.
M=02:00:00:00:00:01
mkbridge br0 0
mkport vA br0

say "a deny (from-vm, tcp to 10.1.0.0/16 port 22) and a permit (both ways)"
drive_ok --bridge br0 acl-add vA 100 $M deny from-vm proto 6 dst 10.1.0.0/16 dport 22 \
	acl-add vA 100 $M permit both
has 'any(.nftables[]; .table? and .table.family == "bridge" and .table.name == "vdpd")' \
	"table bridge vdpd exists" nft -j list ruleset
has '[.nftables[] | select(.chain) | .chain | select(.table == "vdpd" and .hook == "forward") | .name] | sort == ["acl","ctl","guard","qos","vlans"]' \
	"chains acl, ctl, guard, qos, vlans hook forward" nft -j list ruleset
# An ACL is one rule per direction for every VSI of VLAN 100 with it
# (comment "acl vid 100 h=HASH"), looking up set acl_100_HASH, of which
# the VSI (port . MAC) is an element.
ACL=$(rules_of acl "acl vid 100 h=")
DENY="[$ACL[] | select(.expr | any(has(\"drop\")))]"
PERMIT="[$ACL[] | select(.expr | any(has(\"accept\")))]"
# members DIR-META MAC-FIELD: the rule looks up DIR-META . ether MAC-FIELD in a set
members() {
	echo "any(.match? and .match.left.concat? and .match.left.concat[0].meta.key == \"$1\" and .match.left.concat[1].payload.protocol == \"ether\" and .match.left.concat[1].payload.field == \"$2\" and (.match.right | startswith(\"@acl_100_\")))"
}
# in_set RULE: the set RULE looks up holds ["vA", "$M"]
in_set() {
	echo "(($1).expr[] | select(.match?.left.concat?) | .match.right | ltrimstr(\"@\")) as \$n | [.nftables[] | select(.set? and .set.name == \$n) | .set.elem[]? | .concat] | any(. == [\"vA\", \"$M\"])"
}
has "$DENY | length == 1" "one deny rule" nft -j list ruleset
has "$DENY[0].expr | $(members iifname saddr)" "deny: iifname . ether saddr @acl_100_..." nft -j list ruleset
has "$(in_set "$DENY[0]")" "deny: vA . $M is a member of its set" nft -j list ruleset
has "$DENY[0].expr | $(mt '.payload.protocol == "vlan" and .payload.field == "id"' 100)" \
	"deny: vlan id 100" nft -j list ruleset
has "$DENY[0].expr | $(mt '.payload.field == "daddr"' '{"prefix":{"addr":"10.1.0.0","len":16}}')" \
	"deny: ip daddr 10.1.0.0/16" nft -j list ruleset
has "$DENY[0].expr | $(mt '.payload.field == "dport"' 22)" "deny: dport 22" nft -j list ruleset
has "$PERMIT | length == 2" "two permit rules (both directions)" nft -j list ruleset
has "$PERMIT | any(.expr | $(members oifname daddr))" \
	"permit: oifname . ether daddr @acl_100_... (to the VM)" nft -j list ruleset
has "$(in_set "$PERMIT[0]")" "permit: vA . $M is a member of its set" nft -j list ruleset

say "adding the same ACL again changes nothing"
drive_ok --bridge br0 acl-add vA 100 $M permit both
has "$PERMIT | length == 2" "still two permit rules" nft -j list ruleset

say "acl-del removes the deny rule only"
drive_ok --bridge br0 acl-del vA 100 $M deny from-vm proto 6 dst 10.1.0.0/16 dport 22
has "$DENY | length == 0" "no deny rule (its last member went)" nft -j list ruleset
has "$PERMIT | length == 2" "the permit rules stay" nft -j list ruleset
has "[.nftables[] | select(.set? and (.set.name | startswith(\"acl_100_\")))] | length == 1" \
	"one ACL set left (the deny's went with its last member)" nft -j list ruleset

say "all or nothing: a batch whose second ACL is invalid adds nothing"
drive_err "ports need proto" --bridge br0 acl-add vA 5 $M deny from-vm proto 17 \
	acl-add vA 5 $M deny from-vm sport 53
has "$(rules_of acl "acl vid 5 ") | length == 0" "no rule for vid 5" nft -j list ruleset
hasnt 'any(.nftables[]; .set? and (.set.name | startswith("acl_5_")))' "no set for vid 5" \
	nft -j list ruleset

say "flush removes table bridge vdpd"
drive_ok --bridge br0 flush
hasnt 'any(.nftables[]; .table? and .table.name == "vdpd")' "table bridge vdpd is gone" \
	nft -j list ruleset
