# SPDX-License-Identifier: ISC
# Bandwidth: to-VM shaped by an htb class on the port (tc), steered by an nft
# mark; from-VM policed by an nft limit.  Read back with `tc -j qdisc show`,
# `tc class show` (iproute2 6.1 has no JSON for classes) and `nft -j`.
M=02:00:00:00:00:01
mkbridge br0 0
mkport vA br0
mkport vB br0

say "rate-set to-vm 10000 kbit/s and from-vm 5000 kbit/s for one VSI"
drive_ok --bridge br0 rate-set vA 100 $M to-vm 10000 rate-set vA 100 $M from-vm 5000
has 'any(.[]; .root == true and .kind == "htb" and .handle == "7664:")' \
	"root qdisc of vA is htb 7664:" tc -j qdisc show dev vA
has_text '^class htb 7664:10 root .*rate 10Mbit ceil 10Mbit' "class 7664:10 rate 10Mbit" \
	tc class show dev vA
# A VSI's marks live in its port's chains (qos_out_vA, qos_in_vA), which
# chain qos jumps to.
TO=$(rules_of qos_out_vA "rate to-vm vA vid 100 mac $M")
FROM=$(rules_of qos_in_vA "rate from-vm vA vid 100 mac $M")
has "($(rules_of qos "qos-out vA") | length == 1) and ($(rules_of qos "qos-in vA") | length == 1)" \
	"chain qos jumps to vA's chains" nft -j list ruleset
has "$TO | length == 1 and (.[0].expr | any(.mangle? and .mangle.key.meta.key == \"priority\" and .mangle.value == \"7664:10\"))" \
	"nft steers the VSI to class 7664:10" nft -j list ruleset
has "$TO[0].expr | $(mt '.meta.key == "oifname"' '"vA"')" "to-vm rule: oifname vA" nft -j list ruleset
has "$FROM | length == 1 and (.[0].expr | any(.limit? and .limit.inv == true and .limit.per == \"second\" and .limit.rate * ({\"bytes\":1,\"kbytes\":1024,\"mbytes\":1048576}[.limit.rate_unit // \"bytes\"]) == 625000))" \
	"from-vm policer: limit rate over 625000 bytes/s" nft -j list ruleset

say "a new rate reuses the VSI's class"
drive_ok --bridge br0 rate-set vA 100 $M to-vm 20000
has_text '^class htb 7664:10 root .*rate 20Mbit ceil 20Mbit' "class 7664:10 rate 20Mbit" \
	tc class show dev vA
[ "$(tc class show dev vA | grep -c '^class')" = 1 ] || fail "vA has one class"
echo "  ok: vA has one class"

say "rate-clear removes the class and both rules"
drive_ok --bridge br0 rate-clear vA 100 $M to-vm rate-clear vA 100 $M from-vm
hasnt_text '7664:10' "class 7664:10 is gone" tc class show dev vA
has "$TO + $FROM | length == 0" "no rate rules" nft -j list ruleset

say "all or nothing: the htb qdisc made for a failing batch is removed"
drive_err "ports need proto" --bridge br0 rate-set vB 0 any to-vm 1000 acl-add vB 0 any deny both sport 1
hasnt 'any(.[]; .kind == "htb")' "no htb on vB" tc -j qdisc show dev vB

say "a root qdisc vdpd does not own is refused, and kept by flush"
tc qdisc add dev vB root handle 1: tbf rate 1mbit burst 10k latency 50ms
drive_err "is not vdpd's" --bridge br0 rate-set vB 0 any to-vm 1000
drive_ok --bridge br0 flush
hasnt 'any(.[]; .kind == "htb")' "flush removed vdpd's htb from vA" tc -j qdisc show dev vA
has 'any(.[]; .root == true and .kind == "tbf" and .handle == "1:")' "vB keeps its own tbf" \
	tc -j qdisc show dev vB
