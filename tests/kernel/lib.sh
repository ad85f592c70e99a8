# SPDX-License-Identifier: ISC
# Helpers for the kernel-tier scenarios (sourced by busybox sh in the guest,
# by sh on the host with `tests/kernel/run --host`).  A scenario runs in a
# fresh network namespace, prints what it checks, and fails at the first
# failed assertion (exit 1).  Kernel state is read back as JSON where the
# tool has it (bridge -j, nft -j, ip -j, tc -j qdisc) and asserted with jq.
T=$(mktemp -d)

# iproute2 and nftables, not busybox's applets of the same names (busybox sh
# may run its own `ip` and `tc` whatever PATH says): functions win.
for t in ip bridge tc nft; do
	for d in /usr/sbin /sbin /usr/bin /bin; do
		if [ -x "$d/$t" ] && [ ! -L "$d/$t" -o "$(readlink "$d/$t")" != /bin/busybox ]; then
			eval "$t() { $d/$t \"\$@\"; }"
			break
		fi
	done
done

say() { echo "- $*"; }
fail() {
	echo "ASSERTION FAILED: $*"
	exit 1
}

# drive ARGS...: runs backend-drive and shows its output; its status.
drive() {
	echo "  \$ backend-drive $*"
	backend-drive "$@" >"$T/out" 2>&1
	rc=$?
	sed 's/^/      /' "$T/out"
	return $rc
}
drive_ok() { drive "$@" || fail "backend-drive $* exited $rc"; }
# drive_err TEXT ARGS...: must fail and say TEXT.
drive_err() {
	text=$1
	shift
	drive "$@" && fail "backend-drive $* succeeded, expected a failure"
	grep -q -- "$text" "$T/out" || fail "backend-drive $* did not say \"$text\""
	echo "  ok: failed as expected, saying \"$text\""
}

# has FILTER WHAT CMD...: jq FILTER over CMD's JSON output must be true.
has() {
	filter=$1 what=$2
	shift 2
	"$@" >"$T/json" 2>&1 || fail "$* failed: $(cat "$T/json")"
	if jq -e "$filter" "$T/json" >/dev/null 2>&1; then
		echo "  ok: $what"
	else
		echo "  $* gave: $(head -c 3000 "$T/json")"
		fail "$what"
	fi
}
hasnt() {
	filter=$1 what=$2
	shift 2
	has "($filter) | not" "$what" "$@"
}
# has_text REGEX WHAT CMD...: for tools without JSON (tc class in iproute2 6.1).
has_text() {
	re=$1 what=$2
	shift 2
	"$@" >"$T/text" 2>&1 || fail "$* failed: $(cat "$T/text")"
	if grep -Eq -- "$re" "$T/text"; then
		echo "  ok: $what"
	else
		echo "  $* gave: $(cat "$T/text")"
		fail "$what"
	fi
}
hasnt_text() {
	re=$1 what=$2
	shift 2
	"$@" >"$T/text" 2>&1 || fail "$* failed: $(cat "$T/text")"
	if grep -Eq -- "$re" "$T/text"; then
		echo "  $* gave: $(cat "$T/text")"
		fail "$what"
	fi
	echo "  ok: $what"
}

# mkbridge NAME 0|1: a bridge, with vlan_filtering on (1) or left alone (0:
# the host kernel refuses the attribute altogether).
mkbridge() {
	if [ "$2" = 1 ]; then
		ip link add "$1" type bridge vlan_filtering 1 || fail "bridge $1 with vlan_filtering"
	else
		ip link add "$1" type bridge || fail "bridge $1"
	fi
	ip link set "$1" up
}
# mkport PORT BRIDGE: a veth whose end PORT is a port of BRIDGE.
mkport() {
	ip link add "$1" type veth peer name "$1p" || fail "veth $1"
	ip link set "$1" master "$2" || fail "$1 into $2"
	ip link set "$1" up
	ip link set "$1p" up
}

# jq snippets over `nft -j list ruleset`
RULES='[.nftables[] | select(.rule) | .rule]'
# rules_of CHAIN COMMENT-PREFIX
rules_of() {
	echo "[.nftables[] | select(.rule) | .rule | select(.chain == \"$1\" and ((.comment // \"\") | startswith(\"$2\")))]"
}
# a match expression: mt LEFT-FILTER RIGHT-JSON [OP]
mt() {
	echo "any(.match? and (.match.left | $1) and .match.right == $2 and .match.op == \"${3:-==}\")"
}

# ---- the daemon end to end (scenarios 5x-*): vdpd, vdpctl, vdp-send ----------
# Topology of mkvdplab: bridge br0 (vlan_filtering 1) with ports p1, p2 and
# uplink up0; their veth peers h1, h2, c0 stay in the same namespace, where
# vdp-send speaks ECP on h1 or h2 (AF_PACKET on a veth end works there).
VDPD_SOCK=$T/vdpd.sock
VDPD_PID=

mkvdplab() {
	mkbridge br0 1
	for p in p1:h1 p2:h2 up0:c0; do
		ip link add "${p%:*}" type veth peer name "${p#*:}" || fail "veth ${p%:*}"
		ip link set "${p%:*}" master br0 up || fail "${p%:*} into br0"
		ip link set "${p#*:}" up
	done
}

# guest_users: the guest's /etc/passwd names root (vdpd -u root) and
# tcpdump (tcpdump drops root for its own user: uid 0 here).
guest_users() {
	if ! grep -q '^tcpdump:' /etc/passwd 2>/dev/null; then
		mkdir -p /etc
		echo 'root:x:0:0:root:/:/bin/sh' >>/etc/passwd
		echo 'tcpdump:x:0:0:tcpdump:/:/bin/false' >>/etc/passwd
		echo 'root:x:0:' >>/etc/group
	fi
}

# vdpd_start [EXTRA-CONFIG]: writes $T/vdpd.conf (pool 100-103 less 102,
# uplink up0, ports p1 with 100 Mbit/s and p2) and starts `vdpd -d` in the
# background, logging to $T/vdpd.log; waits for the control socket.  The
# keepalive (rka 26: about 17 min) outlasts any scenario, since vdp-send
# does not refresh its VSIs; RTE 14 (164 ms) suits qemu TCG.
vdpd_start() {
	cat >"$T/vdpd.conf" <<CONF
bridge = "br0";
ports = ( { name = "p1"; bandwidth = 100000; }, "p2" );
uplinks = [ "up0" ];
vlans = { pool = [ "100-103" ]; reserved = [ 102 ]; };
timers = { r = 3; rte = 14; rwd = 20; rka = 26; };
state_dir = "$T/state";
control = { path = "$VDPD_SOCK"; };
# No lldpd in the guest: configured timers only, no reconnection warnings.
lldp = { enabled = false; };
log = { level = "debug"; };
# The scenarios use all three pool VLANs from one port (a port's default
# share of a 3-VLAN pool is two).
limits = { port_vlans = 4094; };
$1
CONF
	# The guest has no _vdpd user: vdpd stays root with its two
	# capabilities (vdpd(8), SECURITY).
	guest_users
	vdpd -d -u root -f "$T/vdpd.conf" >"$T/vdpd.log" 2>&1 &
	VDPD_PID=$!
	trap vdpd_cleanup EXIT
	i=0
	while [ ! -S "$VDPD_SOCK" ]; do
		kill -0 "$VDPD_PID" 2>/dev/null || fail "vdpd exited at start"
		i=$((i + 1))
		[ $i -lt 200 ] || fail "vdpd did not open $VDPD_SOCK within 20 s"
		sleep 0.1
	done
	echo "  ok: vdpd started (pid $VDPD_PID)"
}

# On any exit: the daemon's log (when the scenario failed), and no daemon
# left behind.
vdpd_cleanup() {
	rc=$?
	if [ -n "$VDPD_PID" ] && kill -0 "$VDPD_PID" 2>/dev/null; then
		kill -TERM "$VDPD_PID"
		wait "$VDPD_PID"
	fi
	if [ $rc != 0 ] && [ -f "$T/vdpd.log" ]; then
		echo "  vdpd log:"
		sed 's/^/      /' "$T/vdpd.log"
	fi
	exit $rc
}

# vdpd_stop: the daemon must still be running; SIGTERM, exit status 0, no
# warning or error in its log, and its nftables table is gone.
vdpd_stop() {
	kill -0 "$VDPD_PID" 2>/dev/null || fail "vdpd is no longer running"
	echo "  ok: vdpd still running"
	kill -TERM "$VDPD_PID"
	wait "$VDPD_PID"
	rc=$?
	VDPD_PID=
	[ $rc = 0 ] || fail "vdpd exited $rc after SIGTERM"
	grep -q "vdpd stopped" "$T/vdpd.log" || fail "vdpd did not log \"vdpd stopped\""
	echo "  ok: vdpd stopped on SIGTERM, exit 0"
	# A kernel refusal is an error line, an unacknowledged VDPDU a warning.
	! grep -E '^[0-9:.]+ (warning|err|crit|alert|emerg):' "$T/vdpd.log" ||
		fail "vdpd logged warnings or errors"
	echo "  ok: vdpd logged no warning or error"
	hasnt 'any(.nftables[]; .table? and .table.family == "bridge" and .table.name == "vdpd")' \
		"table bridge vdpd is gone" nft -j list ruleset
}

# vsend IF REQUEST...: vdp-send on IF must get a response; its lines are
# in $T/out.
vsend() {
	ifc=$1
	shift
	echo "  \$ vdp-send -i $ifc $*"
	vdp-send -i "$ifc" -t 10 "$@" >"$T/out" 2>&1
	rc=$?
	sed 's/^/      /' "$T/out"
	[ $rc = 0 ] || fail "vdp-send $* exited $rc"
}
# resp LINE: vdp-send printed exactly this line.
resp() {
	grep -qxF -- "$1" "$T/out" || fail "no response line \"$1\""
	echo "  ok: $1"
}

# ctl WHAT: `vdpctl -j show WHAT`, for has/hasnt.
ctl() { vdpctl -s "$VDPD_SOCK" -j show "$@"; }

# jq filter over `bridge -j vlan show`: PORT is a tagged member of VID.
vlan_on() {
	echo "any(.[] | select(.ifname == \"$1\") | .vlans[]?; .vlan <= $2 and (.vlanEnd // .vlan) >= $2 and ((.flags // []) | index(\"Egress Untagged\") | not))"
}

# ---- migration services (scenarios 6x-*): a VM that migrates, a real DHCP server -------
# mkmiglab: mkvdplab, and around it
#   - the two hypervisors' VLAN-100 uplinks h1.100 and h2.100, each in a
#     bridge of its own (hvb1, hvb2; no IGMP snooping: plain vswitches);
#   - netns $VM, the VM: vm0 (MAC $VM_MAC) whose peer vmp sits in hvb1.
#     Migrating the VM is `ip link set vmp master hvb2`: its interface,
#     address and multicast groups go along, as a live-migrated VM's do, so
#     that nothing but vdpd's query makes it report its groups again;
#   - netns $SRV, the DHCP server's host: c0 (up0's peer) with c0.100
#     10.100.0.1/24, and mg1 192.0.2.2/24, the management link to mg0
#     192.0.2.1/24 here, from where vdpd sends its leasequeries.
VM=vm$$
SRV=srv$$
VM_MAC=02:00:00:00:00:6a
DHCPD_PID=
# iproute2's ip by path, for commands run by other programs' busybox sh
# (which prefers its own applets whatever PATH says).
for IPROUTE2 in /usr/sbin/ip /sbin/ip /usr/bin/ip /bin/ip; do
	[ -x "$IPROUTE2" ] && [ "$(readlink "$IPROUTE2")" != /bin/busybox ] && break
done
mvm() { ip netns exec "$VM" "$@"; }
msrv() { ip netns exec "$SRV" "$@"; }

mkmiglab() {
	# No IPv6 chatter (router solicitations, MLD) in the captures.
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	mkvdplab
	ip netns add "$VM" || fail "netns $VM"
	ip netns add "$SRV" || fail "netns $SRV"
	for ns in "$VM" "$SRV"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
		ip -n "$ns" link set lo up
	done
	for h in 1 2; do
		ip link add link "h$h" name "h$h.100" type vlan id 100 || fail "vlan h$h.100"
		ip link add "hvb$h" type bridge mcast_snooping 0 || fail "bridge hvb$h"
		ip link set "h$h.100" master "hvb$h" up
		ip link set "hvb$h" up
	done
	ip link add vmp type veth peer name vm0 netns "$VM" || fail "veth vmp"
	ip -n "$VM" link set vm0 address $VM_MAC up
	ip link set vmp master hvb1 up
	ip link set c0 netns "$SRV"
	msrv ip link set c0 up
	msrv ip link add link c0 name c0.100 type vlan id 100 || fail "vlan c0.100"
	msrv ip addr add 10.100.0.1/24 dev c0.100
	msrv ip link set c0.100 up
	ip link add mg0 type veth peer name mg1 netns "$SRV"
	ip addr add 192.0.2.1/24 dev mg0
	ip link set mg0 up
	msrv ip addr add 192.0.2.2/24 dev mg1
	msrv ip link set mg1 up
	guest_users
}

# dhcpd_stop: dhcpd goes; its host stays (and answers ICMP port unreachable).
dhcpd_stop() {
	kill "$DHCPD_PID"
	i=0
	while kill -0 "$DHCPD_PID" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "dhcpd did not stop"
		sleep 0.1
	done
	DHCPD_PID=
	echo "  ok: dhcpd stopped"
}

# dhcpd_start: ISC dhcpd in $SRV on c0.100 (the VMs' subnet) and mg1,
# answering leasequeries; 600 s leases from 10.100.0.50.
dhcpd_start() {
	cat >"$T/dhcpd.conf" <<EOC
authoritative;
allow leasequery;
ping-check false;
default-lease-time 600;
max-lease-time 600;
subnet 10.100.0.0 netmask 255.255.255.0 { range 10.100.0.50 10.100.0.59; }
subnet 192.0.2.0 netmask 255.255.255.0 { }
EOC
	: >"$T/dhcpd.leases"
	msrv dhcpd -4 -f -d -cf "$T/dhcpd.conf" -lf "$T/dhcpd.leases" -pf "$T/dhcpd.pid" \
		c0.100 mg1 >"$T/dhcpd.log" 2>&1 &
	i=0
	until grep -q 'Server starting service' "$T/dhcpd.log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "dhcpd did not start: $(cat "$T/dhcpd.log")"
		sleep 0.1
	done
	DHCPD_PID=$(cat "$T/dhcpd.pid") # dhcpd's own: $! is the shell running msrv
	echo "  ok: dhcpd serving 10.100.0.0/24 on c0.100, leasequery on mg1"
}

# vm_lease: busybox udhcpc in the VM; the address it got is in $VM_IP.
vm_lease() {
	printf '#!/bin/sh\n[ "$1" = bound ] && ip addr add "$ip/$mask" dev "$interface" 2>/dev/null\nexit 0\n' \
		>"$T/udhcpc.sh"
	chmod +x "$T/udhcpc.sh"
	mvm udhcpc -i vm0 -f -q -n -t 4 -T 1 -s "$T/udhcpc.sh" >"$T/udhcpc.out" 2>&1 ||
		fail "udhcpc got no lease: $(cat "$T/udhcpc.out")"
	VM_IP=$(sed -n 's/.*lease of \([0-9.]*\) obtained.*/\1/p' "$T/udhcpc.out")
	[ -n "$VM_IP" ] || fail "udhcpc: $(cat "$T/udhcpc.out")"
	echo "  ok: the VM got $VM_IP from dhcpd through the bridge: $(grep 'lease of' "$T/udhcpc.out")"
}

# vm_join GROUP: the VM joins GROUP; its unsolicited reports are done with
# before the test goes on (intervals of 10 ms).
vm_join() {
	mvm sysctl -qw net.ipv4.conf.vm0.igmpv2_unsolicited_report_interval=10 \
		net.ipv4.conf.vm0.igmpv3_unsolicited_report_interval=10
	mvm ip addr add "$1/32" dev vm0 autojoin || fail "join $1"
	sleep 0.3
}

# capture NAME IF FILTER [FLAG]: tcpdump -e (and FLAG, e.g. -v) on IF into
# $T/NAME.txt, until capture_stop.
CAPTURES=
capture() {
	tcpdump -i "$2" -nn -e -l ${4:-} "$3" >"$T/$1.txt" 2>"$T/$1.err" &
	CAPTURES="$CAPTURES $!"
	i=0
	until grep -q 'listening on' "$T/$1.err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "tcpdump on $2: $(cat "$T/$1.err")"
		sleep 0.1
	done
}
capture_stop() {
	sleep 0.3
	for p in $CAPTURES; do kill -INT "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	CAPTURES=
}

# uptime_cs: /proc/uptime in centiseconds.
uptime_cs() {
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}"
}

# bindings_show: `vdpctl show bindings`, shown in the output.
bindings_show() {
	echo "  \$ vdpctl show bindings"
	vdpctl -s "$VDPD_SOCK" show bindings | sed 's/^/      /'
}

# binding_is FILTER WHAT: within 5 s, jq FILTER holds for the binding of $VM_MAC.
binding_is() {
	i=0
	until ctl bindings | jq -e "[.bindings[] | select(.mac == \"$VM_MAC\")][0] | $1" \
		>/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "$2: $(ctl bindings)"
		sleep 0.1
	done
	echo "  ok: $2"
}

# mdb_within PORT GROUP T0 [T1]: `bridge -j mdb show` lists GROUP on PORT
# within one second of T0, when the Associate was sent (T1: its response
# came; both uptime_cs).
mdb_within() {
	# Polled with the text form (cheaper than jq under TCG), checked in JSON.
	until bridge mdb show dev br0 | grep -q "port $1 grp $2 .*vid 100"; do
		[ $(($(uptime_cs) - $3)) -le 300 ] || fail "no mdb entry for $2 on $1 within 3 s"
		sleep 0.02
	done
	took=$(($(uptime_cs) - $3))
	after=
	[ -n "${4:-}" ] && after=", $(((took - $4 + $3) * 10)) ms after its response"
	echo "  mdb: $2 on $1 $((took * 10)) ms after the Associate was sent$after"
	[ "$took" -le 100 ] || fail "$2 reached $1's mdb after $((took * 10)) ms, not within 1 s"
	has "$(mdb_on "$1" "$2")" "bridge -j mdb show lists $2 on $1 (VLAN 100) within one second" \
		bridge -j mdb show
}

# mdb_on PORT GROUP: jq filter over `bridge -j mdb show`.
mdb_on() {
	echo "any(.[].mdb[]?; .port == \"$1\" and .grp == \"$2\" and .vid == 100)"
}

# mig_stop: stops vdpd as vdpd_stop does, allowing the warnings the scenario
# provoked on purpose (lines matching EXPECTED, an ERE); then the rest.
mig_stop() {
	kill -0 "$VDPD_PID" 2>/dev/null || fail "vdpd is no longer running"
	kill -TERM "$VDPD_PID"
	wait "$VDPD_PID"
	rc=$?
	VDPD_PID=
	[ $rc = 0 ] || fail "vdpd exited $rc after SIGTERM"
	grep -q "vdpd stopped" "$T/vdpd.log" || fail "vdpd did not log \"vdpd stopped\""
	echo "  ok: vdpd stopped on SIGTERM, exit 0"
	if grep -E '^[0-9:.]+ (warning|err|crit|alert|emerg):' "$T/vdpd.log" |
		grep -Ev "${1:-^$}"; then
		fail "vdpd logged unexpected warnings or errors"
	fi
	echo "  ok: vdpd logged no unexpected warning or error"
}

mig_cleanup() {
	for p in $CAPTURES $DHCPD_PID; do kill "$p" 2>/dev/null; done
	ip netns del "$VM" 2>/dev/null
	ip netns del "$SRV" 2>/dev/null
}
