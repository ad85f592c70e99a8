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
$1
CONF
	vdpd -d -f "$T/vdpd.conf" >"$T/vdpd.log" 2>&1 &
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
