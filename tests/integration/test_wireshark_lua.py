# SPDX-License-Identifier: ISC
"""The Wireshark dissector of our extension TLVs (tools/wireshark/vdp-ext.lua)
against vdp-pcap, on every reference capture in pcaps/: tshark with the
script loaded decodes each VDP TLV of each frame, and every field it shows
(type, length, status bits M/S/KEEP/HARD/error, VSI type, VSIID and its
format, filters, policy VNID, every policy entry of every type, help
request fields) equals vdp-pcap's JSON for the same TLV.  tshark with the
script shows no VDP TLV as "Unknown".  Needs tshark, no root."""
import ipaddress
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conftest import BUILD, TOP

LUA = os.path.join(TOP, "tools", "wireshark", "vdp-ext.lua")
VDP_PCAP = os.path.join(BUILD, "tools", "vdp-pcap", "vdp-pcap")
PCAPS = os.path.join(TOP, "pcaps")
CAPTURES = sorted(f for f in os.listdir(PCAPS) if f.endswith(".pcap"))


def tshark(*args):
    if not shutil.which("tshark"):
        pytest.skip("tshark not installed")
    r = subprocess.run(["tshark", "-n", "-X", f"lua_script:{LUA}", *args],
                       capture_output=True, text=True, check=True)
    assert "Lua: Error" not in r.stderr and "Lua: Error" not in r.stdout, r.stderr
    return r.stdout


def lua_tlvs(path):
    """{frame: [TLV element]} from tshark's PDML, in TLV order."""
    root = ET.fromstring(tshark("-r", path, "-T", "pdml"))
    out = {}
    for pkt in root.iter("packet"):
        num = int(pkt.find("proto[@name='geninfo']/field[@name='num']").get("show"))
        tlvs = [t for p in pkt.iter("proto") if p.get("name") == "vdpext"
                for t in p.findall("field[@name='vdpext.tlv']")]
        if tlvs:
            out[num] = tlvs
    return out


def kids(el, name):
    return [c for c in el if c.get("name") == name]


def one(el, name):
    """The show value of child field NAME (searched in the whole subtree
    of el but not inside nested filter or policy entries)."""
    found = [c for c in el.iter() if c.get("name") == name]
    assert found, f"no {name} in {el.get('showname')}"
    return found[0].get("show")


def num(s):
    return int(s, 16) if s.startswith("0x") else int(s)


def boolean(s):
    return s in ("1", "True", "true")


def check_status(t, want, vsi):
    assert num(one(t, "vdpext.status")) == want["raw"]
    assert boolean(one(t, "vdpext.status.response")) == want["response"]
    if want["response"]:
        assert num(one(t, "vdpext.status.error")) == want["error"]
        if vsi:
            assert boolean(one(t, "vdpext.status.keep")) == want["keep"]
            assert boolean(one(t, "vdpext.status.hard")) == want["hard"]
    elif vsi:
        assert boolean(one(t, "vdpext.status.m")) == want["m"]
        assert boolean(one(t, "vdpext.status.s")) == want["s"]


def prefix_text(p):
    return "any" if p["family"] == 0 else f"{p['addr']}/{p['plen']}"


ENTRY_FIELDS = {  # policy type: [(vdp-pcap key, vdpext field)]
    1: [("dir", "vdpext.entry.dir"), ("rate_kbps", "vdpext.bw.rate"), ("burst", "vdpext.bw.burst")],
    2: [("action", "vdpext.acl.action"), ("dir", "vdpext.entry.dir"),
        ("ethertype", "vdpext.acl.ethertype"), ("ip_proto", "vdpext.acl.proto"),
        ("sport_lo", "vdpext.acl.sport_lo"), ("sport_hi", "vdpext.acl.sport_hi"),
        ("dport_lo", "vdpext.acl.dport_lo"), ("dport_hi", "vdpext.acl.dport_hi")],
    3: [("pcp", "vdpext.qos.pcp"), ("dscp", "vdpext.qos.dscp")],
    4: [("vnid", "vdpext.vn.vnid"), ("family", "vdpext.vn.family")],
    7: [("vid", "vdpext.vlan.vid")],
}


def check_entry(e, want):
    t = want["type"]
    assert num(one(e, "vdpext.entry.type")) == t
    for key, field in ENTRY_FIELDS.get(t, []):
        assert num(one(e, field)) == want[key], (key, want)
    if t == 2:
        assert one(e, "vdpext.acl.src") == prefix_text(want["src"])
        assert one(e, "vdpext.acl.dst") == prefix_text(want["dst"])
    if t == 4:
        assert ipaddress.ip_address(one(e, "vdpext.vn.mcast")) == ipaddress.ip_address(want["mcast"])
    if t in (5, 6):
        assert boolean(one(e, "vdpext.entry.enable")) == want["enable"]


def check_filters(t, want):
    got = kids(t, "vdpext.filter")
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert num(one(g, "vdpext.vid")) == w["vid"]
        assert num(one(g, "vdpext.pcp")) == w["pcp"]
        assert boolean(one(g, "vdpext.ps")) == w["ps"]
        if "mac" in w:
            assert one(g, "vdpext.mac") == w["mac"]
        if "group" in w:
            assert num(one(g, "vdpext.filter.group")) == w["group"]


def check_tlv(t, w):
    """One TLV: vdpext's fields against vdp-pcap's JSON object w."""
    assert num(one(t, "vdpext.type")) == w["type"]
    assert num(one(t, "vdpext.len")) == w["length"]
    if "error" in w:  # vdp-pcap refused it: only the header is compared
        return
    typ = w["type"]
    if 1 <= typ <= 4:
        check_status(t, w["status"], vsi=True)
        assert (num(one(t, "vdpext.vsi.type_id")), num(one(t, "vdpext.vsi.type_version"))) == \
            (w["vsi_type_id"], w["vsi_type_version"])
        assert num(one(t, "vdpext.vsiid_format")) == w["vsiid_format"]
        assert one(t, "vdpext.vsiid") == w["vsiid"]
        assert num(one(t, "vdpext.vsi.filter_format")) == w["filter_format"]
        assert num(one(t, "vdpext.count")) == w["filter_count"]
        check_filters(t, w["filters"])
    elif typ == 5:
        assert one(t, "vdpext.mgrid").replace(":", "") == w["manager_id_hex"]
    elif 6 <= typ <= 8:
        check_status(t, w["status"], vsi=False)
        assert num(one(t, "vdpext.policy.vnid")) == w["vnid"]
        assert (num(one(t, "vdpext.vsi.type_id")), num(one(t, "vdpext.vsi.type_version"))) == \
            (w["vsi_type_id"], w["vsi_type_version"])
        entries = kids(t, "vdpext.entry")
        assert num(one(t, "vdpext.count")) == w["entry_count"] == len(entries)
        known = [e for e in entries if num(one(e, "vdpext.entry.type")) <= 7]
        assert len(entries) - len(known) == w["skipped_unknown"]
        assert len(known) == len(w["entries"])
        for e, we in zip(known, w["entries"]):
            check_entry(e, we)
    elif typ == 9:
        check_status(t, w["status"], vsi=False)
        assert num(one(t, "vdpext.help.flags")) == w["flags"]["raw"]
        assert boolean(one(t, "vdpext.help.flags.dhcp")) == w["flags"]["dhcp"]
        assert num(one(t, "vdpext.vsiid_format")) == w["vsiid_format"]
        assert one(t, "vdpext.vsiid") == w["vsiid"]
        assert one(t, "vdpext.mac") == w["mac"]
        assert (boolean(one(t, "vdpext.ps")), num(one(t, "vdpext.pcp")), num(one(t, "vdpext.vid"))) == \
            (w["ps"], w["pcp"], w["vid"])
        assert one(t, "vdpext.help.ipv4") == w["ipv4"]
    return typ


@pytest.mark.parametrize("name", CAPTURES)
def test_lua_fields_equal_vdp_pcap(name):
    """Every VDP TLV of the capture: the Lua dissector's fields are
    vdp-pcap's (an ECP frame vdp-pcap refuses is left out)."""
    path = os.path.join(PCAPS, name)
    if not os.path.exists(VDP_PCAP):
        pytest.fail(f"{VDP_PCAP} not built: run tools/build")
    frames = json.loads(subprocess.run([VDP_PCAP, "decode", "-j", path], capture_output=True,
                                       text=True, check=True).stdout)
    lua = lua_tlvs(path)
    compared = 0
    for fr in frames:
        if "vdp" not in fr or "error" in fr.get("ecp", {}):
            continue
        got = lua.get(fr["frame"], [])
        want = fr["vdp"]
        assert len(got) >= len(want), (fr["frame"], len(got), want)
        for t, w in zip(got, want):
            try:
                check_tlv(t, w)
            except AssertionError as e:
                raise AssertionError(f"{name} frame {fr['frame']} TLV {w.get('type_name')}: {e}") from e
            compared += 1
    has_vdp = any("vdp" in fr for fr in frames)
    assert compared or not has_vdp


# The values vdpd-malformed.pcap gets wrong on purpose, which tshark's own
# ecp21/vdp21 dissectors name "Unknown": an ECP subtype and an operation
# that are no ECP's, a VSI TLV's filter format 9 (vdpext shows it as
# "reserved (invalid)").  Every other capture, and every TLV type of this
# one, has none.
DELIBERATE_UNKNOWN = {
    "vdpd-malformed.pcap": {"VDP Filter Format: Unknown (0x09)", "Subtype: Unknown (0x002)",
                            "Operation: Unknown (0x3)"},
}


@pytest.mark.parametrize("name", CAPTURES)
def test_no_unknown_vdp_tlv(name):
    """tshark with the script names every VDP TLV and value: no "Unknown"
    (decimal or hex) in the VDP and ECP parts of the decode but the
    malformed capture's deliberate values, each of which is there."""
    out = tshark("-r", os.path.join(PCAPS, name), "-O", "ecp21,vdp21,vdpext")
    vdp = [ln for ln in out.splitlines() if ln.startswith("    ")]  # protocol details only
    unknown = [ln for ln in vdp if re.search(r"Unknown \((0x[0-9a-fA-F]+|\d+)\)", ln)]
    assert not [ln for ln in unknown if "TLV Type" in ln], "\n".join(unknown[:10])
    allowed = DELIBERATE_UNKNOWN.get(name, set())
    bad = [ln for ln in unknown if not any(ln.endswith(a) for a in allowed)]
    assert not bad, "\n".join(bad[:10])
    assert {a for a in allowed if any(ln.endswith(a) for ln in unknown)} == allowed
