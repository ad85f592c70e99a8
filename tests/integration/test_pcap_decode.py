# SPDX-License-Identifier: ISC
"""vdp-pcap decode: the golden output for the lldpad capture, every reference
capture cross-checked against the independent Python decoder (vdpwire),
and a synthetic capture with every extension, every filter format and the
malformed cases, each asserted field by field.  Needs no root."""
import difflib
import ipaddress
import json
import os
import socket
import struct
import subprocess
import sys
import uuid

import pytest

import vdpwire as w
from conftest import BUILD, TOP

sys.path.insert(0, os.path.join(TOP, "pcaps"))
import pcapfile  # noqa: E402
import scenarios  # noqa: E402

VDP_PCAP = os.path.join(BUILD, "tools", "vdp-pcap", "vdp-pcap")
PCAPS = os.path.join(TOP, "pcaps")
GOLDEN = os.path.join(TOP, "tests", "golden")
LLDPAD = os.path.join(PCAPS, "lldpad-station-vs-lldpad-bridge.pcap")
ALL_CAPTURES = sorted(f for f in os.listdir(PCAPS) if f.endswith(".pcap"))


def run(*args, check=True):
    if not os.path.exists(VDP_PCAP):
        pytest.fail(f"{VDP_PCAP} not built: run tools/build")
    r = subprocess.run([VDP_PCAP] + list(args), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError(f"vdp-pcap {' '.join(args)}: exit {r.returncode}\n{r.stderr}")
    return r


def decode_json(path):
    return {f["frame"]: f for f in json.loads(run("decode", "-j", path).stdout)}


# --- golden ---------------------------------------------------------------------


@pytest.mark.parametrize("ext,args", [("txt", []), ("json", ["-j"])])
def test_golden_decode_of_lldpad_capture(ext, args):
    """The decode of the lldpad capture, text and JSON, is exactly the
    reviewed golden file (pcaps/regenerate --golden rewrites it after an
    intended change; review the diff)."""
    got = run("decode", LLDPAD, *args).stdout
    with open(os.path.join(GOLDEN, f"lldpad-station-vs-lldpad-bridge.decode.{ext}")) as f:
        want = f.read()
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                            "golden", "vdp-pcap", n=2))
        pytest.fail("decode differs from the golden file:\n" + diff[:4000])


def test_lldpad_capture_frames_by_hand():
    """What the capture holds, read off its bytes by hand (as in
    tests/unit/check_pcap.c): 28 ECP frames, 14 LLDPDUs with the EVB TLV (the
    shutdown LLDPDUs 58 and 59 have none and are left out), the Associate
    exchange of frames 15-18, and the unsolicited De-Associates 53 and 55."""
    d = decode_json(LLDPAD)
    ecp = sorted(n for n, f in d.items() if f["proto"] == "ecp")
    assert ecp == [15, 16, 17, 18, 19, 20, 21, 23] + list(range(35, 43)) + \
        list(range(44, 52)) + [53, 54, 55, 56]
    assert sorted(n for n, f in d.items() if f["proto"] == "lldp") == \
        [4, 9, 12, 13, 14, 22, 24, 25, 26, 28, 30, 31, 32, 33]
    req, ack, resp, sack = d[15], d[16], d[17], d[18]
    assert req["src"] == "02:00:00:00:01:01" and resp["src"] == "02:00:00:00:02:02"
    assert [f["ecp"]["op_name"] for f in (req, ack, resp, sack)] == ["request", "ack", "request", "ack"]
    assert {f["ecp"]["seq"] for f in (req, ack, resp, sack)} == {1}
    assert req["vdp"][0]["manager_id"] == "blabla"
    a = req["vdp"][1]
    assert a["type_name"] == "associate" and a["length"] == 33
    assert a["status"] == {"raw": 0, "response": False, "s": False, "m": False}
    assert (a["vsi_type_id"], a["vsi_type_version"], a["vsiid"]) == (5, 4, "00112233-4455-6677-8899-aabbccddee01")
    # Counted from the TLV's own 2-octet count: one entry, MAC then VID
    # (Wireshark's vdp21 reads the count as part of the MAC).
    assert a["filter_count"] == 1
    assert a["filters"] == [{"mac": "52:54:00:aa:bb:01", "ps": False, "pcp": 0, "vid": 0}]
    assert resp["vdp"][1]["status"] == {"raw": 0x40, "response": True, "keep": False, "hard": False,
                                        "error": 0, "error_name": "success"}
    assert d[21]["vdp"][1]["filters"][0]["vid"] == 100
    for n, tail in ((53, "ee01"), (55, "ee02")):
        t = d[n]["vdp"][1]
        assert t["type_name"] == "de-associate" and t["status"]["raw"] == 0 and t["status"]["response"] is False
        assert t["vsiid"].endswith(tail)
    evb = d[4]["evb"][0]
    assert (evb["bgid"], evb["rrcap"], evb["rrctr"], evb["mode_name"], evb["r"], evb["rte"], evb["rwd"],
            evb["rka"]) == (True, True, False, "bridge", 3, 8, 20, 20)


def test_frames_option_selects():
    d = json.loads(run("decode", "-j", "-f", "15-18,53", LLDPAD).stdout)
    assert [f["frame"] for f in d] == [15, 16, 17, 18, 53]
    assert "frame 15," in run("decode", "-f", "15", LLDPAD).stdout


# --- every reference capture against an independent decoder -----------------------------


def lldp_evb(frame):
    """The EVB info octets of an LLDPDU, by PROTOCOL.md, or None."""
    off = 14
    while off + 2 <= len(frame):
        h = struct.unpack("!H", frame[off:off + 2])[0]
        t, ln = h >> 9, h & 0x1FF
        if t == 0:
            return None
        v = frame[off + 2:off + 2 + ln]
        if t == 127 and v[:4] == bytes.fromhex("0080c20d"):
            return v[4:]
        off += 2 + ln
    return None


def vsiid_text(fmt, b):
    if fmt == 5:
        return str(uuid.UUID(bytes=b))
    if fmt == 3:
        return b[10:].hex(":")
    if fmt == 1:
        return socket.inet_ntop(socket.AF_INET, b[12:])
    if fmt == 2:
        return socket.inet_ntop(socket.AF_INET6, b)
    return b.hex()


def check_tlv(j, t, v):
    assert j["type"] == t, (j, t)
    if j.get("error") == "tlv-overrun":  # vdpwire cuts the value short
        assert j["length"] > len(v)
        return
    assert j["length"] == len(v), (j, len(v))
    if "error" in j:
        return
    if t == w.MGRID:
        name = v.rstrip(b"\0")
        assert j["manager_id_hex"] == v.hex()
        if name and all(32 <= c < 127 for c in name):
            assert j["manager_id"] == name.decode()
    elif t in (w.PREASSOC, w.PREASSOC_RR, w.ASSOC, w.DEASSOC):
        p = w.parse_vsi(t, v)
        assert j["status"]["raw"] == p["status"]
        assert (j["vsi_type_id"], j["vsi_type_version"], j["vsiid_format"]) == (p["vnid"], p["ver"], p["fmt"])
        assert j["vsiid"] == vsiid_text(p["fmt"], p["vsiid"])
        assert j["filter_count"] == len(p["filters"]) == struct.unpack("!H", v[23:25])[0]
        assert [(f.get("mac"), f["vid"]) for f in j["filters"]] == [(f["mac"], f["vid"]) for f in p["filters"]]
    elif t in (w.POLICY_SYNC, w.POLICY_UPDATE, w.POLICY_REMOVE):
        p = w.parse_policy(t, v)
        assert (j["status"]["raw"], j["vnid"], j["entry_count"]) == (p["status"], p["vnid"], p["nentries"])


@pytest.mark.parametrize("name", ALL_CAPTURES)
def test_decode_agrees_with_vdpwire(name):
    """Every EVB, ECP and VDP frame of every reference capture: vdp-pcap's
    fields equal those of tests/integration/vdpwire.py, a decoder written
    separately from vdp-protocol(7); frames of other protocols are left out."""
    path = os.path.join(PCAPS, name)
    d = decode_json(path)
    frames, _ = pcapfile.read(path)
    shown = set()
    for no, (_, f) in enumerate(frames, 1):
        e = w.parse_ecp(f)
        evb = lldp_evb(f) if f[12:14] == b"\x88\xcc" else None
        if not e and evb is None:
            assert no not in d, f"frame {no} is neither ECP nor EVB but was decoded"
            continue
        shown.add(no)
        j = d[no]
        assert (j["src"], j["dst"], j["len"]) == (f[6:12].hex(":"), f[:6].hex(":"), len(f))
        if evb is not None:
            x = j["evb"][0]
            assert (x["r"], x["rte"], x["mode"], x["rwd"], x["rka"]) == \
                (evb[2] >> 5, evb[2] & 31, evb[3] >> 6, evb[3] & 31, evb[4] & 31)
            assert (x["rrcap"], x["rrreq"], x["rrstat"]) == (bool(evb[0] & 2), bool(evb[1] & 4), evb[1] & 3)
            continue
        if "error" in j["ecp"]:
            assert j["ecp"]["error"] in ("ecp-version", "ecp-op"), j
            continue
        assert (j["ecp"]["op"], j["ecp"]["seq"], j["ecp"]["subtype"]) == (e["op"], e["seq"], e["subtype"])
        if e["op"] == 1 or e["subtype"] != 1:  # acks, and ECP subtypes that are not VDP
            assert "vdp" not in j
            continue
        tlvs = w.parse_tlvs(e["pdu"])
        if any(x.get("error") in ("tlv-overrun", "truncated") for x in j["vdp"]):
            assert len(j["vdp"]) <= len(tlvs)
        else:
            assert len(j["vdp"]) == len(tlvs), (no, j["vdp"], tlvs)
        for jt, (t, v) in zip(j["vdp"], tlvs):
            check_tlv(jt, t, v)
    assert shown == set(d), "decoded frames that are neither ECP nor EVB LLDP"


# --- a synthetic capture: every extension, every format, the malformed ----------------------

ST = bytes.fromhex("020000000101")
BR = bytes.fromhex("020000000202")
UUID_H = "00112233-4455-6677-8899-aabbccdd0009"


def ecp_frame(src, seq, pdu=b"", op=0, subtype=1, tag=None):
    hdr = w.NCB + src
    if tag is not None:
        hdr += struct.pack("!HH", 0x8100, tag)
    return (hdr + struct.pack("!HHH", w.ECP_ETHERTYPE, 0x1000 | op << 10 | subtype, seq) + pdu).ljust(60, b"\0")


def lldp_frame(evb_tlv):
    tlvs = (struct.pack("!H", 1 << 9 | 7) + b"\x04" + ST + struct.pack("!H", 2 << 9 | 7) + b"\x03" + ST +
            struct.pack("!HH", 3 << 9 | 2, 120) + evb_tlv + b"\0\0")
    return w.NCB + ST + b"\x88\xcc" + tlvs


def help_tlv(status, flags, vid_word=0xD064):
    body = bytes([status, flags, 5]) + uuid.UUID(UUID_H).bytes + bytes.fromhex("525400bb0001")
    body += struct.pack("!H", vid_word) + bytes([192, 0, 2, 10])
    return w.tlv(w.HELP, body)


def vsi_raw(t, fmt, vsiid16, ffmt, entries, status=0, type_id=7, ver=0):
    body = bytes([status]) + type_id.to_bytes(3, "big") + bytes([ver, fmt]) + vsiid16
    body += bytes([ffmt]) + struct.pack("!H", len(entries)) + b"".join(entries)
    return w.tlv(t, body)


def policy_entries():
    acl = w.acl(1, 17, (53, 53), (bytes([10, 0, 0, 0]), 8), direction=1, ethertype=0x0800)
    vn4 = w.pol_entry(w.POL_VN, struct.pack("!IB", 5000, 4) + bytes([239, 1, 2, 3]))
    vn6 = w.pol_entry(w.POL_VN, struct.pack("!IB", 5001, 6) + ipaddress.IPv6Address("ff0e::1").packed)
    return [w.bandwidth(50000, direction=1, burst=64000), acl, w.qos(3, 0xFF), vn4, vn6,
            w.pol_entry(w.POL_DHCP, b"\x01"), w.pol_entry(w.POL_IGMP, b"\x00"), w.vlan(100),
            w.pol_entry(0x42, b"new")]


def synthetic_frames():
    good_evb = struct.pack("!H", 127 << 9 | 9) + bytes.fromhex("0080c20d") + bytes([0, 4, 0x68, 0xB4, 0x14])
    mg = w.mgrid()
    acl_bad = bytearray(w.acl(1))
    acl_bad[3 + 5] = 7  # source prefix family 7
    pol_count = w.tlv(w.POLICY_SYNC, bytes([0, 0, 0, 9, 0]) + struct.pack("!H", 3) + w.qos(1, 1))
    pol_nested = w.tlv(w.POLICY_SYNC, bytes([0, 0, 0, 9, 0]) + struct.pack("!H", 1) + bytes([3, 0, 200, 1, 1]))
    group = [struct.pack("!IH", g, v) for g, v in ((1, 10), (2, 20), (0xDEADBEEF, 0xF000 | 4094))]
    gmac = [struct.pack("!I", g) + bytes.fromhex(m) + struct.pack("!H", v)
            for g, m, v in ((5, "525400cc0001", 30), (6, "525400cc0002", 31))]
    return [
        ecp_frame(ST, 1, mg + w.policy(w.POLICY_SYNC, 0x01001388, policy_entries())),             # 1
        ecp_frame(BR, 9, mg + help_tlv(0, 1)),                                                     # 2
        ecp_frame(ST, 2, mg + help_tlv(0x44, 1)),                                                  # 3
        ecp_frame(ST, 3, mg
                  + vsi_raw(w.PREASSOC_RR, 1, bytes(12) + bytes([10, 1, 2, 3]), 3, group)
                  + vsi_raw(w.PREASSOC, 2, ipaddress.IPv6Address("2001:db8::1").packed, 4, gmac)
                  + vsi_raw(w.ASSOC, 4, bytes(range(16)), 1, [struct.pack("!H", 5)], status=0x30)),  # 4
        ecp_frame(ST, 4, mg + w.tlv(127, bytes.fromhex("001122") + b"hello") + w.tlv(50, b"\x01")),  # 5
        ecp_frame(ST, 5, w.tlv(w.MGRID, b"m" * 20) + help_tlv(0, 0)
                  + vsi_raw(w.ASSOC, 9, bytes(16), 2, [])
                  + w.policy(w.POLICY_SYNC, 9, [bytes(acl_bad)]) + pol_count + pol_nested
                  + bytes.fromhex("0664") + b"short"),                                             # 6
        ecp_frame(BR, 5, op=1, tag=0x2064),                                                        # 7
        ecp_frame(ST, 6, b"\x01\x02\x03", subtype=2),                                              # 8
        lldp_frame(struct.pack("!H", 127 << 9 | 8) + bytes.fromhex("0080c20d") + bytes(4)),        # 9
        lldp_frame(struct.pack("!H", 127 << 9 | 9) + bytes.fromhex("0080c20d") + bytes(5)),        # 10
        lldp_frame(b""),                                                                           # 11
        w.NCB + ST + b"\x08\x00" + bytes(46),                                                      # 12
        ecp_frame(ST, 7, mg + b"\0\0\xab\xcd"),                                                    # 13
        (w.NCB + ST + b"\x89\x40\x10"),                                                            # 14
        lldp_frame(good_evb),                                                                      # 15
    ]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("pcap") / "synthetic.pcap")
    pcapfile.write(path, [(1700000000 + i * 0.5, f) for i, f in enumerate(synthetic_frames())])
    return path, decode_json(path)


def test_synthetic_frames_shown(synthetic):
    _, d = synthetic
    # 11 (LLDP without EVB) and 12 (IPv4) are not EVB/ECP/VDP frames.
    assert sorted(d) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15]


def test_policy_entries_every_type(synthetic):
    p = synthetic[1][1]["vdp"][1]
    assert (p["type_name"], p["vnid"], p["vsi_type_id"], p["vsi_type_version"]) == ("policy-sync", 0x01001388, 0x1388, 1)
    assert p["entry_count"] == 9 and p["skipped_unknown"] == 1
    e = p["entries"]
    assert [x["type_name"] for x in e] == ["bandwidth", "acl", "qos", "vn", "vn", "dhcp-snooping",
                                           "igmp-snooping", "vlan"]
    assert (e[0]["dir_name"], e[0]["rate_kbps"], e[0]["burst"]) == ("from-vm", 50000, 64000)
    a = e[1]
    assert (a["action_name"], a["dir_name"], a["ethertype"], a["ip_proto"], a["dport_lo"], a["dport_hi"]) == \
        ("permit", "from-vm", 0x0800, 17, 53, 53)
    assert a["src"] == {"family": 0, "plen": 0, "addr": "any"}
    assert a["dst"] == {"family": 4, "plen": 8, "addr": "10.0.0.0"}
    assert (e[2]["pcp"], e[2]["dscp"], e[2]["dscp_name"]) == (3, 255, "unset")
    assert (e[3]["vnid"], e[3]["family"], e[3]["mcast"]) == (5000, 4, "239.1.2.3")
    assert (e[4]["vnid"], e[4]["family"], e[4]["mcast"]) == (5001, 6, "ff0e::1")
    assert (e[5]["enable"], e[6]["enable"], e[7]["vid"]) == (True, False, 100)


def test_help_request_and_answer(synthetic):
    _, d = synthetic
    q, a = d[2]["vdp"][1], d[3]["vdp"][1]
    assert q["type_name"] == "help-request" and q["length"] == 31
    assert q["status"] == {"raw": 0, "response": False}
    assert q["flags"] == {"raw": 1, "dhcp": True}
    assert (q["vsiid"], q["mac"], q["ps"], q["pcp"], q["vid"], q["ipv4"]) == \
        (UUID_H, "52:54:00:bb:00:01", True, 5, 100, "192.0.2.10")
    assert a["status"] == {"raw": 0x44, "response": True, "error": 4, "error_name": "other failure"}


def test_filter_formats_and_vsiid_formats(synthetic):
    rr, pre, assoc = synthetic[1][4]["vdp"][1:4]
    assert (rr["type_name"], rr["vsiid_format_name"], rr["vsiid"]) == ("pre-associate-rr", "ipv4", "10.1.2.3")
    assert (rr["filter_format_name"], rr["filter_count"]) == ("group-vid", 3)
    assert rr["filters"] == [{"group": 1, "ps": False, "pcp": 0, "vid": 10},
                             {"group": 2, "ps": False, "pcp": 0, "vid": 20},
                             {"group": 0xDEADBEEF, "ps": True, "pcp": 7, "vid": 4094}]
    assert (pre["vsiid_format_name"], pre["vsiid"], pre["filter_format_name"]) == ("ipv6", "2001:db8::1", "group-mac-vid")
    assert pre["filters"] == [{"group": 5, "mac": "52:54:00:cc:00:01", "ps": False, "pcp": 0, "vid": 30},
                              {"group": 6, "mac": "52:54:00:cc:00:02", "ps": False, "pcp": 0, "vid": 31}]
    assert (assoc["vsiid_format_name"], assoc["vsiid"]) == ("local", bytes(range(16)).hex())
    assert assoc["status"] == {"raw": 0x30, "response": False, "s": True, "m": True}


def test_org_and_reserved_tlvs(synthetic):
    org, res = synthetic[1][5]["vdp"][1:3]
    assert (org["type_name"], org["oui"], org["data"]) == ("org-specific", "00:11:22", b"hello".hex())
    assert (res["type"], res["type_name"], res["value"]) == (50, "unknown", "01")


def test_malformed_tlvs_named_and_walk_goes_on(synthetic):
    v = synthetic[1][6]["vdp"]
    assert [(x["type"], x.get("error")) for x in v] == [
        (w.MGRID, "mgrid-size"), (w.HELP, "help-flags"), (w.ASSOC, "vsiid-format"),
        (w.POLICY_SYNC, "policy-value"), (w.POLICY_SYNC, "count"), (w.POLICY_SYNC, "nested-overrun"),
        (3, "tlv-overrun")]
    assert v[0]["value"] == (b"m" * 20).hex() and v[0]["error_text"]
    assert v[-1]["length"] == 100 and v[-1]["value"] == "0664" + b"short".hex()


def test_ecp_variants(synthetic):
    _, d = synthetic
    assert d[7]["vlan_tci"] == 0x2064 and d[7]["ecp"]["op_name"] == "ack" and d[7]["ecp"]["seq"] == 5
    assert d[8]["ecp"]["subtype_name"] == "pecsp" and "vdp" not in d[8] and d[8]["trailer"].startswith("010203")
    assert d[13]["trailer"].startswith("0000abcd") and len(d[13]["vdp"]) == 1
    assert d[14]["ecp"]["error"] == "truncated"


def test_evb_errors(synthetic):
    _, d = synthetic
    assert d[9]["evb"][0]["error"] == "tlv-length"
    assert d[10]["evb"][0]["error"] == "evb-mode"
    good = d[15]["evb"][0]
    assert (good["mode_name"], good["rrreq"], good["rka"], good["rol_rwd"]) == ("station", True, 20, True)


def test_text_carries_the_same(synthetic):
    """Text and JSON come from one tree; spot-check the text for the
    extension fields and the errors."""
    t = run("decode", synthetic[0]).stdout
    for s in ("skipped_unknown: 1", "entries[2]: type 3 (qos), pcp 3, dscp 255 (unset)",
              "flags: raw 0x01, dhcp 1", "error help-flags", "error nested-overrun",
              "vlan_tci 0x2064", "filters[2]: group 3735928559, ps 1, pcp 7, vid 4094"):
        assert s in t, s


def test_errors_exit_2(tmp_path):
    r = run("decode", str(tmp_path / "missing.pcap"), check=False)
    assert r.returncode == 2 and "missing.pcap" in r.stderr
    sll = str(tmp_path / "sll.pcap")
    pcapfile.write(sll, [(0, bytes(20))], linktype=113)
    r = run("decode", sll, check=False)
    assert r.returncode == 2 and "Ethernet" in r.stderr
    r = run("decode", "-f", "9-3", LLDPAD, check=False)
    assert r.returncode == 2 and "frame list" in r.stderr


def test_every_capture_registered_and_described():
    """Each capture in pcaps/ is either a replayable conversation with vdpd
    (pcaps/scenarios.py) or listed as another kind, and README.md describes
    it; each scenario pcaps/regenerate makes has its capture."""
    with open(os.path.join(PCAPS, "README.md")) as f:
        readme = f.read()
    known = {sc.pcap for sc in scenarios.SCENARIOS.values()} | set(scenarios.OTHER_CAPTURES)
    for name in ALL_CAPTURES:
        assert name in known, f"pcaps/{name} is not registered in pcaps/scenarios.py"
        assert name in readme, f"pcaps/{name} is not described in pcaps/README.md"
    for sc in scenarios.SCENARIOS.values():
        assert sc.name in readme, f"scenario {sc.name} is not in pcaps/README.md"
        if not sc.made_by and not sc.pending:  # those others record are checked when there
            assert sc.pcap in ALL_CAPTURES, f"scenario {sc.name} has no capture: run pcaps/regenerate"


@pytest.mark.parametrize("name", sorted(n for n, sc in scenarios.SCENARIOS.items() if sc.check))
def test_capture_holds_its_scenario(name):
    """The libvdp captures hold the conversation their scenario describes,
    as pcaps/regenerate checked before writing them: the station's requests
    in order (the lazy Policy Sync, the M bit, the keepalives), each
    answered with success, where the LLDPDUs fall, no third address."""
    sc = scenarios.SCENARIOS[name]
    path = os.path.join(PCAPS, sc.pcap)
    if sc.pending and not os.path.exists(path):
        pytest.skip(f"{sc.pcap} is pending: {sc.pending}")
    sc.check(path)
