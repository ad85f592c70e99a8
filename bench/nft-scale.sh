#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs bench/nft-scale in a fresh network namespace: a bridge br0 with
# PORTS veth ports p0.., then N VSIs programmed one apply() each.  Prints
# nft-scale's lines, then the kernel object counts of table bridge vdpd
# (rules in all and per chain, sets, set elements).
# usage: bench/nft-scale.sh BUILDDIR PORTS VSIS [nft-scale options...]
set -eu
build=$1 ports=$2 vsis=$3
shift 3
ns=nftscale$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
ip netns add "$ns"
ip -n "$ns" link add br0 type bridge
i=0
while [ "$i" -lt "$ports" ]; do
	ip -n "$ns" link add "p$i" type veth peer name "q$i"
	ip -n "$ns" link set "p$i" master br0 up
	i=$((i + 1))
done
ip -n "$ns" link set br0 up
ip netns exec "$ns" "$build/bench/nft-scale" --bridge br0 --ports "$ports" --vsis "$vsis" "$@"
ip netns exec "$ns" nft -j list table bridge vdpd | python3 -c '
import json, sys
objs = json.load(sys.stdin)["nftables"]
rules = [o["rule"]["chain"] for o in objs if "rule" in o]
elems = sum(len(o["set"].get("elem", [])) for o in objs if "set" in o)
sets = sum(1 for o in objs if "set" in o)
per = " ".join(f"kernel_rules_{c}={rules.count(c)}" for c in sorted(set(rules)))
print(f"kernel_rules={len(rules)} kernel_sets={sets} kernel_set_elements={elems} {per}")'
