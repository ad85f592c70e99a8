# SPDX-License-Identifier: ISC
"""Every decodable request gets an answer (issue 14, item 3), on the wire: a
station namespace sends raw VDPDUs that libvdp would never write, and each
test reads the status octet of vdpd's answer (0x40 response, 0x20 KEEP,
0x10 HARD, bits 3..0 the error; vdp-protocol(7)) and the counter vdpctl
shows for it.  One vdpd for the module: each case uses its own VSI or
VNID and compares counters before and after."""
import os
import re
import struct

import pytest

import vdpwire as w
from conftest import Lab, TOP, VDPCTL, need_root, sh, wait_for

UUID = "00112233-4455-6677-8899-aabbccdd0{:03x}"
MAC = bytes.fromhex("525400bb0001")
NET6 = bytes.fromhex("20010db8000000000000000000000000")
# vdpd counting a frame it was sent, on a loaded machine.
LATE = 10

# Offsets into mgrid (18 octets) + one VSI TLV.
STATUS, VSIID_FMT, FILTER_FMT, COUNT = 18 + 2, 18 + 2 + 5, 18 + 2 + 22, 18 + 2 + 23


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    need_root()
    lab = Lab(str(tmp_path_factory.mktemp("answers")))
    try:
        lab.start()
        yield lab
    finally:
        lab.destroy()


def counters(lab, port="p1"):
    c = [p for p in lab.vdpctl("show", "counters")["ports"] if p["port"] == port][0]
    return dict(c["reasons"], **{"rx:" + k: v for k, v in c["rx_errors"].items()})


def delta(before, after):
    return {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}


def answers(r, t):
    """The answer TLVs of type t in a response VDPDU."""
    assert r["acked"], "the bridge did not acknowledge the request"
    assert r["tlvs"] is not None, "the bridge did not answer"
    return [x for x in r["tlvs"] if x["type"] == t]


def vsi_pdu(n, vid=0, status=0, t=w.ASSOC):
    return w.mgrid() + w.vsi(t, 10, UUID.format(n), [(MAC[:5] + bytes([n]), vid)], status=status)


def patched(pdu, **at):
    b = bytearray(pdu)
    for off, val in at.values():
        b[off:off + len(val)] = val
    return bytes(b)


# --- VSI TLVs ---------------------------------------------------------------------------

VSI_CASES = {
    # name: (patch of a valid Associate, answer status, counters moved)
    "bad entry count": ({"count": (COUNT, b"\x00\x02")}, w.RESP | w.HARD | 1,
                        {"malformed": 1, "rx:count": 1}),
    "unknown filter format": ({"f": (FILTER_FMT, b"\x09")}, w.RESP | w.HARD | 1,
                              {"malformed": 1, "rx:filter-format": 1}),
    "unknown VSIID format": ({"f": (VSIID_FMT, b"\x07")}, w.RESP | w.HARD | 1,
                             {"malformed": 1, "rx:vsiid-format": 1}),
    "VID 4095": ({"vid": (-2, b"\x0f\xff")}, w.RESP | w.HARD | 5,
                 {"vid-outside-pool": 1, "rx:vid": 1}),
    "reserved status bit": ({"s": (STATUS, b"\x80")}, w.RESP | w.HARD | 1,
                            {"malformed": 1, "rx:status": 1}),
}


@pytest.mark.parametrize("name", list(VSI_CASES))
def test_malformed_vsi_answered(lab, name):
    patch, status, moved = VSI_CASES[name]
    n = list(VSI_CASES).index(name) + 1
    good = vsi_pdu(n)
    patch = {k: ((o if o >= 0 else len(good) + o), v) for k, (o, v) in patch.items()}
    before = counters(lab)
    r = lab.station(lab.hv1, "h1", patched(good, **patch))
    a = answers(r, w.ASSOC)
    assert len(a) == 1, r
    a = a[0]
    assert a["status"] == status, f"{name}: status 0x{a['status']:02x}, expected 0x{status:02x}"
    # The answer echoes the fixed part: VNID, VSIID and its format, the
    # filter format, and no entries.
    assert a["vnid"] == 10 and a["filters"] == []
    assert a["vsiid"] == bytes(patched(good, **patch)[STATUS + 6:STATUS + 22]).hex()
    assert a["fmt"] == patched(good, **patch)[VSIID_FMT]
    assert a["ffmt"] == patched(good, **patch)[FILTER_FMT]
    assert delta(before, counters(lab)) == moved
    assert not [v for v in lab.vdpctl("show", "vsis")["vsis"] if v["vsiid"] == UUID.format(n)]


def test_malformed_request_for_known_vsi_keeps_it(lab):
    n = 0x20
    good = vsi_pdu(n)
    a = answers(lab.station(lab.hv1, "h1", good), w.ASSOC)[0]
    assert a["status"] == w.RESP
    vid = a["filters"][0]["vid"]
    r = lab.station(lab.hv1, "h1", patched(good, count=(COUNT, b"\x00\x03")))
    assert answers(r, w.ASSOC)[0]["status"] == w.RESP | w.KEEP | w.HARD | 1
    v = [v for v in lab.vdpctl("show", "vsis")["vsis"] if v["vsiid"] == UUID.format(n)]
    assert v and v[0]["state"] == "assoc" and v[0]["vlan"] == vid


def test_unnameable_tlvs_dropped_and_counted(lab):
    """A VSI TLV too short to name its VSI and a malformed response are not
    answered; the good request after them in the same VDPDU is."""
    short = w.tlv(w.ASSOC, w.vsi(w.ASSOC, 10, UUID.format(0x30), [])[2:2 + 24])
    resp = w.vsi(w.ASSOC, 10, UUID.format(0x31), [(MAC, 0)], status=w.RESP)
    resp = resp[:2 + 23] + b"\x00\x02" + resp[2 + 25:]  # count 2, one entry
    good = w.vsi(w.DEASSOC, 10, UUID.format(0x32), [(MAC, 0)])
    before = counters(lab)
    r = lab.station(lab.hv1, "h1", w.mgrid() + short + resp + good)
    assert [x["type"] for x in r["tlvs"]] == [w.MGRID, w.DEASSOC], r
    assert r["tlvs"][1]["status"] == w.RESP
    assert delta(before, counters(lab)) == {"undecodable": 2, "rx:tlv-length": 1, "rx:count": 1,
                                            "ok": 1}


# --- Policy TLVs: malformed ---------------------------------------------------------------

def test_malformed_policy_answered(lab):
    before = counters(lab)
    bad_status = w.mgrid() + w.policy(w.POLICY_SYNC, 300, [w.qos(3, 10)], status=0x80)
    bad_count = bytearray(w.mgrid() + w.policy(w.POLICY_UPDATE, 301, [w.qos(3, 10)]))
    bad_count[18 + 2 + 6] = 2
    for pdu, t in ((bad_status, w.POLICY_SYNC), (bytes(bad_count), w.POLICY_UPDATE)):
        a = answers(lab.station(lab.hv1, "h1", pdu), t)
        assert len(a) == 1 and a[0]["status"] == w.RESP | w.HARD | 1, a
        assert a[0]["nentries"] == 0
    assert delta(before, counters(lab)) == {"malformed": 2, "rx:status": 1, "rx:count": 1}


# --- Policy values and unprogrammable policies, refused at sync ----------------------------

POLICY_CASES = {
    # name: (entries, answer status, reason counted)
    "rate 0": ([w.bandwidth(0)], w.RESP | w.HARD | 1, "policy-value"),
    "IPv4 prefix length 33": ([w.acl(1, 6, (80, 80), (bytes([10, 0, 0, 0]), 33))],
                              w.RESP | w.HARD | 1, "policy-value"),
    "IPv6 prefix length 129": ([w.acl(1, 6, (80, 80), (NET6, 129))], w.RESP | w.HARD | 1,
                               "policy-value"),
    "ports backwards": ([w.acl(1, 6, (443, 80))], w.RESP | w.HARD | 1, "policy-value"),
    "PCP 8": ([w.qos(8, 0xFF)], w.RESP | w.HARD | 1, "policy-value"),
    "PCP marking": ([w.qos(3, 10)], w.RESP | w.HARD | 4, "policy-unsupported"),
    "DSCP 64": ([w.qos(0xFF, 64)], w.RESP | w.HARD | 1, "policy-value"),
    "VLAN 4095": ([w.vlan(4095)], w.RESP | w.HARD | 1, "policy-value"),
    "duplicate bandwidth": ([w.bandwidth(1000), w.bandwidth(2000)], w.RESP | w.HARD | 1,
                            "policy-value"),
    "unicast VN group": ([w.vn(400, bytes([10, 0, 0, 1]))], w.RESP | w.HARD | 1, "policy-value"),
    "host bits set": ([w.acl(1, 6, (80, 80), (bytes([10, 1, 2, 3]), 8))], w.RESP | w.HARD | 1,
                      "policy-value"),
    "ports without a protocol": ([w.acl(1, 0, (80, 80))], w.RESP | w.HARD | 4,
                                 "policy-unsupported"),
    "ICMP with ports": ([w.acl(1, 1, (80, 80))], w.RESP | w.HARD | 4, "policy-unsupported"),
    "IPv4 ethertype, IPv6 prefix": ([w.acl(1, 0, dst=(NET6, 32), ethertype=0x0800)],
                                    w.RESP | w.HARD | 4, "policy-unsupported"),
    "IPv6 ethertype, IPv4 prefix": ([w.acl(1, 0, dst=(bytes([10, 0, 0, 0]), 8), ethertype=0x86DD)],
                                    w.RESP | w.HARD | 4, "policy-unsupported"),
}


@pytest.mark.parametrize("name", list(POLICY_CASES))
def test_policy_refused_at_sync(lab, name):
    entries, status, reason = POLICY_CASES[name]
    vnid = 400 + list(POLICY_CASES).index(name)
    before = counters(lab)
    a = answers(lab.station(lab.hv1, "h1", w.mgrid() + w.policy(w.POLICY_SYNC, vnid, entries)),
                w.POLICY_SYNC)
    assert len(a) == 1 and a[0]["vnid"] == vnid
    assert a[0]["status"] == status, f"{name}: status 0x{a[0]['status']:02x}, expected 0x{status:02x}"
    assert delta(before, counters(lab)) == {reason: 1}
    assert vnid not in [n["vnid"] for n in lab.vdpctl("show", "vnids")["vnids"]]


def test_bad_update_keeps_synced_policy(lab):
    vnid = 500
    ok = answers(lab.station(lab.hv1, "h1", w.mgrid() + w.policy(w.POLICY_SYNC, vnid, [w.qos(0xFF, 10)])),
                 w.POLICY_SYNC)
    assert ok[0]["status"] == w.RESP
    for entries, status in (([w.qos(0xFF, 64)], w.RESP | w.KEEP | w.HARD | 1),
                            ([w.acl(1, 1, (22, 22))], w.RESP | w.KEEP | w.HARD | 4)):
        a = answers(lab.station(lab.hv1, "h1", w.mgrid() + w.policy(w.POLICY_UPDATE, vnid, entries)),
                    w.POLICY_UPDATE)
        assert a[0]["status"] == status
    n = [n for n in lab.vdpctl("show", "vnids")["vnids"] if n["vnid"] == vnid]
    assert n and n[0]["synced"] and "dscp 10" in str(n[0])


# --- ECP subtypes other than VDP ------------------------------------------------------------

@pytest.mark.parametrize("subtype", [2, 999])
def test_unknown_ecp_subtype_counted(lab, subtype):
    before = counters(lab)
    frame = w.NCB + MAC + struct.pack("!HHH", w.ECP_ETHERTYPE, 0x1000 | subtype, 7)
    lab.raw(lab.hv1, "h1", (frame + w.mgrid()).ljust(60, b"\0"))
    after = wait_for(lambda: (lambda c: c if c["ecp-subtype"] > before["ecp-subtype"] else None)(
        counters(lab)), LATE, f"vdpd to count the ECP frame of subtype {subtype}")
    assert delta(before, after) == {"ecp-subtype": 1}
    text = sh(VDPCTL, "-s", lab.ctl, "show", "counters").stdout
    assert re.search(r"^p1\s+reason\s+ecp-subtype\s+\d+$", text, re.M), text


# --- every counter vdpctl shows is in vdpctl(8) ---------------------------------------------

def man_text(path):
    """The roff source with its escapes for '-' undone."""
    with open(path) as f:
        return f.read().replace("\\-", "-").replace("\\(hy", "-")


def test_every_counter_documented(lab):
    shown = lab.vdpctl("show", "counters")
    c = shown["total"]
    # The text form names rx_drops "kernel-drops" (kind rx).
    names = set(c["reasons"]) | set(c["rx_errors"]) | set(shown["control"]) | {"kernel-drops"}
    text = sh(VDPCTL, "-s", lab.ctl, "show", "bindings").stdout
    mig = set(re.findall(r"^([a-z][a-z0-9-]*): \d+$", text, re.M))
    assert len(names) > 40 and len(mig) > 10, (names, text)
    man = man_text(os.path.join(TOP, "man", "vdpctl.8"))
    missing = sorted(n for n in names | mig if not re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", man))
    assert not missing, f"counters vdpctl shows but vdpctl(8) does not document: {missing}"
