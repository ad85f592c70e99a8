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
