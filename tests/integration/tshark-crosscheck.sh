#!/bin/sh
# SPDX-License-Identifier: ISC
# Cross-checks libvdp's encoders against an independent decoder, tshark's
# ecp21/vdp21 dissectors: tshark-gen writes a capture of varied ECP/VDP
# frames plus a TSV of the values it encoded, tshark reads the capture back,
# tshark-compare.py compares field by field (ECP version/op/subtype/seq, VDP
# TLV types and lengths, status flags, VSI type id/version, VSIID format and
# VSIID, Manager ID, org OUI) and prints every mismatch.
#
# Filter entries are NOT compared: tshark's vdp21 dissector does not read
# the 2-octet number-of-entries field, so it misreads every MAC/VID (see
# tshark-compare.py and vdp-protocol(7), INTEROPERABILITY).
#
# Exit: 0 pass, 1 mismatch, 77 skip (tshark not installed), 99 hard error.
# Run by `make check`; by hand: tests/integration/tshark-crosscheck.sh from
# the top build directory.  Environment (all optional):
#   TSHARK_GEN   the tshark-gen binary (default: tests/integration/tshark-gen
#                under the current directory, i.e. the top build directory)
#   TSHARK       the tshark binary (default: tshark from PATH)
#   PYTHON       python3
#   KEEP_TMP=1   keep the work directory (capture, TSVs) and print its name
set -u

here=$(cd "$(dirname "$0")" && pwd)
gen=${TSHARK_GEN:-$PWD/tests/integration/tshark-gen}
tshark=${TSHARK:-tshark}
python=${PYTHON:-python3}

if ! command -v "$tshark" >/dev/null 2>&1; then
	echo "SKIP: tshark not installed (apt-get install tshark)"
	exit 77
fi
if [ ! -x "$gen" ]; then
	echo "ERROR: $gen not built (make check builds it; or set TSHARK_GEN)"
	exit 99
fi
if ! command -v "$python" >/dev/null 2>&1; then
	echo "ERROR: $python not found"
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tshark-crosscheck.XXXXXX") || exit 99
if [ "${KEEP_TMP:-0}" = 1 ]; then
	echo "work directory: $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi

"$gen" "$tmp/frames.pcap" "$tmp/encoded.tsv" || {
	echo "ERROR: tshark-gen failed"
	exit 99
}

set -- -e frame.number \
	-e ecp.ver -e ecp.op -e ecp.subtype -e ecp.seqno \
	-e vdp21.tlvtype -e vdp21.tlvlen \
	-e vdp21.assoc.flags.req_rsp \
	-e vdp21.assoc.flags.mbit -e vdp21.assoc.flags.sbit -e vdp21.assoc.reason \
	-e vdp21.assoc.flags.keep -e vdp21.assoc.flags.hard_error -e vdp21.assoc.error \
	-e vdp21.vsitypeid -e vdp21.vsiversion -e vdp21.vsiidformat -e vdp21.VSIID \
	-e vdp21.filterformat -e vdp21.manager_id -e vdp21.org_oui
# -n: no name resolution; -E: one header line, tab separated, every
# occurrence of a field, comma between occurrences.
"$tshark" -n -r "$tmp/frames.pcap" -T fields -E header=y -E separator=/t \
	-E occurrence=a -E aggregator=, "$@" >"$tmp/tshark.tsv" 2>"$tmp/tshark.err" || {
	echo "ERROR: tshark failed:"
	cat "$tmp/tshark.err"
	exit 99
}

"$python" "$here/tshark-compare.py" "$tmp/encoded.tsv" "$tmp/tshark.tsv"
rc=$?
case $rc in
0) echo "PASS: tshark reads back what libvdp encoded" ;;
1) echo "FAIL: tshark disagrees with libvdp's encoding (mismatches above)"; exit 1 ;;
*) echo "ERROR: tshark-compare.py exited $rc"; exit 99 ;;
esac

# With the project's dissector of the extension TLVs loaded
# (tools/wireshark/vdp-ext.lua, which hands each standard TLV to vdp21 and
# decodes types 6 to 9 itself), the same comparison must hold with every
# TLV's type and length read from its fields (vdpext.type, vdpext.len, now
# for every TLV), and no VDP TLV may be shown as "Unknown".
lua=${VDP_EXT_LUA:-$here/../../tools/wireshark/vdp-ext.lua}
if [ -f "$lua" ]; then
	"$tshark" -n -X "lua_script:$lua" -r "$tmp/frames.pcap" -T fields -E header=y -E separator=/t \
		-E occurrence=a -E aggregator=, "$@" -e vdpext.type -e vdpext.len \
		>"$tmp/lua.tsv" 2>"$tmp/lua.err" || {
		echo "ERROR: tshark with $lua failed:"
		cat "$tmp/lua.err"
		exit 99
	}
	# vdpext's two columns take the place of vdp21's (by header name).
	awk 'BEGIN { FS = OFS = "\t" }
	NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "vdp21.tlvtype") a = i; if ($i == "vdp21.tlvlen") b = i
		if ($i == "vdpext.type") c = i; if ($i == "vdpext.len") d = i } }
	NR > 1 { $a = $c; $b = $d }
	{ NF = NF - 2; print }' "$tmp/lua.tsv" >"$tmp/lua-cmp.tsv"
	"$python" "$here/tshark-compare.py" "$tmp/encoded.tsv" "$tmp/lua-cmp.tsv" || {
		echo "FAIL: with vdp-ext.lua, tshark disagrees with libvdp's encoding (mismatches above)"
		exit 1
	}
	if "$tshark" -n -X "lua_script:$lua" -r "$tmp/frames.pcap" -O ecp21,vdp21,vdpext 2>&1 |
		grep -E 'Unknown \([0-9]+\)|Lua: Error'; then
		echo "FAIL: with vdp-ext.lua, tshark still shows an Unknown VDP TLV (above)"
		exit 1
	fi
	echo "PASS: with vdp-ext.lua, every TLV is named and vdp21 reads the standard ones as before"
else
	echo "ERROR: $lua not found (set VDP_EXT_LUA)"
	exit 99
fi

# Negative control: with one encoded value changed (the last digit of the
# first VSIID) the comparison must fail, and say where; otherwise the check
# above proves nothing.
awk 'BEGIN { FS = OFS = "\t" }
!done { for (i = 1; i <= NF; i++) if ($i ~ /^vsiid=/) {
		c = substr($i, length($i))
		$i = substr($i, 1, length($i) - 1) (c == "0" ? "1" : "0")
		done = 1
		break
	} }
{ print }' "$tmp/encoded.tsv" >"$tmp/corrupted.tsv"
"$python" "$here/tshark-compare.py" "$tmp/corrupted.tsv" "$tmp/tshark.tsv" >"$tmp/control.out"
rc=$?
if [ $rc -ne 1 ] || ! grep -q 'vdp21.VSIID' "$tmp/control.out"; then
	echo "ERROR: negative control (one VSIID corrupted) was not detected (exit $rc):"
	cat "$tmp/control.out"
	exit 99
fi
echo "negative control: a corrupted expected VSIID is reported:"
sed 's/^/    /' "$tmp/control.out"
exit 0
