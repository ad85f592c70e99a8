# SPDX-License-Identifier: ISC
"""vdpd end to end on the host kernel: a scripted station in a namespace
drives the VNID-policy flow and the refusals; each step checks the response
bytes, vdpctl's tables and the kernel's nftables/tc state.  The host kernel
has no bridge VLAN filtering, so VLAN membership is enforced by vdpd's
nftables fallback; tests/kernel checks `bridge vlan` on a real kernel."""
import json
import os
import re
import signal
import subprocess
import sys
import time

import vdpwire as w
from conftest import sh, wait_for

UUID_A = "00112233-4455-6677-8899-aabbccdd0001"
UUID_B = "00112233-4455-6677-8899-aabbccdd0002"
MAC_A = bytes.fromhex("525400aa0001")
MAC_B = bytes.fromhex("525400aa0002")


# vdpd acting on what it was sent (a frame, a signal) on a loaded machine.
LATE = 10


def vsi_pdu(t, vnid, uuid, mac, vid=0, status=0):
    return w.mgrid() + w.vsi(t, vnid, uuid, [(mac, vid)], status=status)


def pol_pdu(t, vnid, entries):
    return w.mgrid() + w.policy(t, vnid, entries)


def only(resp, t):
    assert resp["acked"], "the bridge did not acknowledge the request"
    tlvs = [x for x in resp["tlvs"] if x["type"] == t]
    assert len(tlvs) == 1, resp
    assert resp["tlvs"][0] == {"type": w.MGRID, "mgrid": "vdptest"}, resp
    return tlvs[0]


def vids(lab, port):
    """The VLANs the nftables fallback lets through `port`."""
    for o in lab.nft():
        s = o.get("set")
        if s and s["table"] == "vdpd" and s["name"] == f"vids_{port}":
            return sorted(e if isinstance(e, int) else e["elem"]["val"] for e in s.get("elem", []))
    return []


def nft_state(lab):
    """The ruleset without packet counters (traffic moves those)."""
    out = []
    for o in lab.nft():
        if "rule" in o:
            o = {"rule": dict(o["rule"], expr=[e for e in o["rule"]["expr"] if "counter" not in e])}
        out.append(o)
    return out


def rules(lab):
    return [o["rule"] for o in lab.nft() if "rule" in o and o["rule"]["table"] == "vdpd"]


def rule_text(lab):
    """Rules and set elements of table bridge vdpd (per-VSI facts are elements)."""
    return json.dumps([o for o in lab.nft() if (o.get("rule") or o.get("set") or {}).get("table") == "vdpd"])


def htb_rates(lab, port):
    """Rates of vdpd's htb classes on a port (iproute2 6.1 has no JSON for
    tc classes)."""
    out = sh("tc", "class", "show", "dev", port, ns=lab.sw).stdout
    return re.findall(r"class htb 7664:\S+ .*?rate (\S+)", out)


def by_vsiid(table, uuid):
    return [v for v in table if v["vsiid"] == uuid]


def test_vnid_policy_flow(lab):
    lab.start()
    # Policy Sync: bandwidth 50 Mbit/s to the VM, permit TCP 80.
    r = lab.station(lab.hv1, "h1", pol_pdu(w.POLICY_SYNC, 10, [w.bandwidth(50000), w.acl(1, 6, (80, 80))]))
    p = only(r, w.POLICY_SYNC)
    assert p["status"] == w.RESP and p["vnid"] == 10 and p["nentries"] == 2
    vn = lab.vdpctl("show", "vnids")["vnids"]
    assert [n["vnid"] for n in vn] == [10] and vn[0]["synced"]
    assert vids(lab, "p1") == []

    # Pre-Associate: in the list, disabled, VLAN reserved, nothing programmed.
    r = lab.station(lab.hv1, "h1", vsi_pdu(w.PREASSOC, 10, UUID_A, MAC_A))
    v = only(r, w.PREASSOC)
    assert v["status"] == w.RESP and v["filters"] == [{"mac": "52:54:00:aa:00:01", "vid": 100}]
    t = by_vsiid(lab.vdpctl("show", "vsis")["vsis"], UUID_A)
    assert t and t[0]["state"] == "preassoc" and t[0]["port"] == "p1" and t[0]["vlan"] == 100
    assert vids(lab, "p1") == [] and "52:54:00:aa:00:01" not in rule_text(lab)

    # Associate: enabled, kernel programmed.
    r = lab.station(lab.hv1, "h1", vsi_pdu(w.ASSOC, 10, UUID_A, MAC_A))
    v = only(r, w.ASSOC)
    assert v["status"] == w.RESP and v["filters"][0]["vid"] == 100
    t = by_vsiid(lab.vdpctl("show", "vsis")["vsis"], UUID_A)
    assert t[0]["state"] == "assoc"
    assert vids(lab, "p1") == [100] and vids(lab, "up0") == [100]
    assert "52:54:00:aa:00:01" in rule_text(lab)
    assert lab.vsi_facts("guards") == {("p1", 100, "52:54:00:aa:00:01")}
    assert htb_rates(lab, "p1") == ["50Mbit"]

    # Policy Update: 90 Mbit/s, reprogrammed once.
    r = lab.station(lab.hv1, "h1", pol_pdu(w.POLICY_UPDATE, 10, [w.bandwidth(90000), w.acl(1, 6, (80, 80))]))
    assert only(r, w.POLICY_UPDATE)["status"] == w.RESP
    assert htb_rates(lab, "p1") == ["90Mbit"]

    # De-Associate of the last VSI: its kernel state and the VNID's go.
    r = lab.station(lab.hv1, "h1", vsi_pdu(w.DEASSOC, 10, UUID_A, MAC_A))
    assert only(r, w.DEASSOC)["status"] == w.RESP
    assert lab.vdpctl("show", "vsis")["vsis"] == []
    assert vids(lab, "p1") == [] and vids(lab, "up0") == []
    assert "52:54:00:aa:00:01" not in rule_text(lab)
    assert lab.vsi_facts("guards") == set()
    assert htb_rates(lab, "p1") == []

    # Policy Remove: the list goes.
    r = lab.station(lab.hv1, "h1", pol_pdu(w.POLICY_REMOVE, 10, []))
    assert only(r, w.POLICY_REMOVE)["status"] == w.RESP
    assert lab.vdpctl("show", "vnids")["vnids"] == []
    assert lab.alive()


def test_refusals(lab):
    lab.start()
    ok = lab.station(lab.hv1, "h1", pol_pdu(w.POLICY_SYNC, 10, [w.acl(1, 6, (22, 22))]))
    assert only(ok, w.POLICY_SYNC)["status"] == w.RESP
    before = nft_state(lab)
    # Same VNID, different policy: error 4 with KEEP, nothing applied.
    r = lab.station(lab.hv1, "h1", pol_pdu(w.POLICY_SYNC, 10, [w.acl(1, 6, (443, 443))]))
    assert only(r, w.POLICY_SYNC)["status"] == w.RESP | w.KEEP | 4
    # A permit that contradicts the device's deny of TCP 23 to 192.0.2.0/24.
    r = lab.station(lab.hv1, "h1", pol_pdu(w.POLICY_SYNC, 11, [w.acl(1, 6, (23, 23), (bytes([192, 0, 2, 7]), 32))]))
    assert only(r, w.POLICY_SYNC)["status"] == w.RESP | 4
    # Bandwidth beyond p1's 100 Mbit/s.
    r = lab.station(lab.hv1, "h1", pol_pdu(w.POLICY_SYNC, 12, [w.bandwidth(200000)]))
    assert only(r, w.POLICY_SYNC)["status"] == w.RESP | 2
    assert nft_state(lab) == before
    assert [n["vnid"] for n in lab.vdpctl("show", "vnids")["vnids"]] == [10]

    # Pool 100-103 less reserved 102: three VNIDs fit, the fourth gets error 2.
    # (The VNIDs come from both ports: it works with the default shares too.)
    for i, vnid in enumerate((20, 21, 22)):
        ns, st = (lab.hv2, "h2") if i == 1 else (lab.hv1, "h1")
        r = lab.station(ns, st, vsi_pdu(w.ASSOC, vnid, f"00000000-0000-0000-0000-00000000010{i}",
                                        bytes([2, 0, 0, 0, 1, i])))
        assert only(r, w.ASSOC)["filters"][0]["vid"] == [100, 101, 103][i]
    r = lab.station(lab.hv2, "h2", vsi_pdu(w.ASSOC, 23, UUID_B, MAC_B))
    assert only(r, w.ASSOC)["status"] == w.RESP | 2
    # A VID owned by another VNID: error 5.
    r = lab.station(lab.hv2, "h2", vsi_pdu(w.ASSOC, 24, UUID_B, MAC_B, vid=101))
    assert only(r, w.ASSOC)["status"] == w.RESP | w.HARD | 5

    total = lab.vdpctl("show", "counters")["total"]["reasons"]
    assert total.get("policy-conflict") == 1 and total.get("acl-conflict") == 1
    assert total.get("bandwidth") == 1 and total.get("pool-exhausted") == 1
    assert total.get("vid-owned") == 1


def test_malformed_frames_counted_daemon_keeps_serving(lab):
    lab.start()
    good = vsi_pdu(w.ASSOC, 10, UUID_A, MAC_A)
    bad_filter = bytearray(good)
    bad_filter[18 + 2 + 22] = 9  # unknown filter format: answered (test_answers.py)
    overrun = good[:-3]          # TLV length past the PDU
    r = lab.station(lab.hv1, "h1", bytes(bad_filter))
    assert only(r, w.ASSOC)["status"] == w.RESP | w.HARD | 1
    for pdu in (overrun, b"\xff" * 40):
        r = lab.station(lab.hv1, "h1", pdu, timeout=1.0)
        assert r["acked"] and r["tlvs"] is None  # acked by ECP, nothing to answer
    lab.raw(lab.hv1, "h1", (w.NCB + MAC_A + bytes.fromhex("8940 2001 0001")).ljust(60, b"\0"))  # ECP version 2

    def p1_counters():
        return [p for p in lab.vdpctl("show", "counters")["ports"] if p["port"] == "p1"][0]
    p1 = wait_for(lambda: (lambda p: p if p["rx_errors"]["ecp-version"] else None)(p1_counters()),
                  LATE, "vdpd to count the ECP frame of version 2")
    assert lab.alive()
    # One bad TLV answered; one bad TLV, one garbage PDU and one ECP frame
    # of version 2 dropped.
    assert p1["reasons"]["malformed"] == 1 and p1["reasons"]["undecodable"] == 3, p1
    errs = p1["rx_errors"]
    assert errs["filter-format"] == 1 and errs["tlv-overrun"] == 2 and errs["ecp-version"] == 1, p1
    r = lab.station(lab.hv1, "h1", good)
    assert only(r, w.ASSOC)["status"] == w.RESP


# A check's frames crossing the bridge on a loaded machine; the sniffer
# stops as soon as the frame sent after them has arrived.
SNIFF_TIMEOUT = 30


def arrivals(lab, send, marker, end_frame, end_marker):
    """Frames containing marker that reach h2 while send() runs: a sniffer
    on h2 listens, send() sends from h1, then end_frame (one that h2 gets,
    holding end_marker) follows from h1 and the sniffer stops when it
    arrives; the bridge
    forwards a port's frames in order, so by then every frame sent before
    it that was let through has arrived."""
    p = lab.spawn(["ip", "netns", "exec", lab.hv2, sys.executable, os.path.join(lab_dir(), "station.py"),
                   "h2", "--sniff", str(SNIFF_TIMEOUT), marker.hex(), "--until", end_marker.hex()],
                  stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline() == "ready\n"
    send()
    lab.raw(lab.hv1, "h1", end_frame)
    out = json.loads(p.communicate(timeout=SNIFF_TIMEOUT + 10)[0])
    assert out["ended"], "the frame sent last never reached h2"
    return out["count"]


def test_vlan_enforced_by_nftables_fallback(lab):
    """Frames tagged with the VNID's VLAN cross the bridge between two VSIs'
    ports; frames tagged with a VLAN the port was not given are dropped."""
    lab.start()
    for ns, ifc, uuid, mac in ((lab.hv1, "h1", UUID_A, MAC_A), (lab.hv2, "h2", UUID_B, MAC_B)):
        r = lab.station(ns, ifc, vsi_pdu(w.ASSOC, 10, uuid, mac))
        assert only(r, w.ASSOC)["filters"][0]["vid"] == 100

    def tagged(vid, marker):
        return (MAC_B + MAC_A + bytes.fromhex("8100") + vid.to_bytes(2, "big") +
                bytes.fromhex("88b5") + marker.ljust(46, b"\0"))

    def count(marker, vid):
        def send():
            for _ in range(3):
                lab.raw(lab.hv1, "h1", tagged(vid, marker))
        end = b"vdpd-end-" + marker
        return arrivals(lab, send, marker, tagged(100, end), end)

    assert count(b"vdpd-ok-100", 100) == 3
    assert count(b"vdpd-drop-101", 101) == 0


def lab_dir():
    return os.path.dirname(os.path.abspath(__file__))


def test_isolation_between_vnids_and_control_frames(lab):
    """Isolation: a VM cannot reach another VNID's VLAN by tagging with it,
    even where both VLANs are allowed on its port, nor send with a MAC that
    is not its own; and one station's ECP frames are not flooded to the
    other stations."""
    lab.start()
    uuid_c = "00112233-4455-6677-8899-aabbccdd0003"
    mac_c = bytes.fromhex("525400aa0003")
    assert only(lab.station(lab.hv1, "h1", vsi_pdu(w.ASSOC, 10, UUID_A, MAC_A)), w.ASSOC)["filters"][0]["vid"] == 100
    assert only(lab.station(lab.hv1, "h1", vsi_pdu(w.ASSOC, 20, uuid_c, mac_c)), w.ASSOC)["filters"][0]["vid"] == 101
    assert only(lab.station(lab.hv2, "h2", vsi_pdu(w.ASSOC, 20, UUID_B, MAC_B)), w.ASSOC)["filters"][0]["vid"] == 101
    assert vids(lab, "p1") == [100, 101]

    def frame(src, vid, marker):
        return (MAC_B + src + bytes.fromhex("8100") + vid.to_bytes(2, "big") +
                bytes.fromhex("88b5") + marker.ljust(46, b"\0"))

    def check(send, marker):
        # VM C's frames to VM B on VLAN 101 get through: the last one.
        end = b"iso-end-" + marker.hex().encode()
        return arrivals(lab, send, marker, frame(mac_c, 101, end), end)

    def send_frames(src, vid, marker):
        return lambda: [lab.raw(lab.hv1, "h1", frame(src, vid, marker)) for _ in range(3)]

    # VM C (VNID 20) reaches VM B (VNID 20) on VLAN 101.
    assert check(send_frames(mac_c, 101, b"iso-c-101"), b"iso-c-101") == 3
    # VM A (VNID 10) tagging with VNID 20's VLAN is dropped at the port.
    assert check(send_frames(MAC_A, 101, b"iso-a-101"), b"iso-a-101") == 0
    # A MAC no VSI owns is dropped, on a VLAN the port carries.
    spoof = bytes.fromhex("525400ffffff")
    assert check(send_frames(spoof, 101, b"iso-spoof"), b"iso-spoof") == 0
    guard = [r for r in rules(lab) if r["chain"] == "guard"]
    assert any("guard-drop p1" == r.get("comment") for r in guard), guard
    # One lookup rule for every VSI's guard, not one rule per VSI.
    assert [r.get("comment") for r in guard if not r.get("comment", "").startswith("guard-drop")] == \
        ["guard-vsis", "guard-vsis-anyvid"], guard
    # A station's VDP exchange is not heard on the other station's port.
    seen = check(lambda: lab.station(lab.hv1, "h1", vsi_pdu(w.ASSOC, 10, UUID_A, MAC_A)),
                 bytes.fromhex("8940"))
    assert seen == 0


def wait_log(lab, text, secs=LATE):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if text in lab.logtext():
            return True
        time.sleep(0.05)
    return False


def test_sighup_reload_keeps_associations_and_refuses_bad_files(lab):
    lab.start()
    assert only(lab.station(lab.hv1, "h1", vsi_pdu(w.ASSOC, 10, UUID_A, MAC_A)), w.ASSOC)["status"] == w.RESP
    conf = os.path.join(lab.tmp, "vdpd.conf")
    # A valid change: VLAN 101 reserved from now on.
    text = open(conf).read().replace("reserved = [ 102 ];", "reserved = [ 101, 102 ];")
    open(conf, "w").write(text)
    lab.proc.send_signal(signal.SIGHUP)
    assert wait_log(lab, "configuration reloaded")
    assert by_vsiid(lab.vdpctl("show", "vsis")["vsis"], UUID_A)[0]["vlan"] == 100
    assert vids(lab, "p1") == [100]
    # The new pool applies: the next VNID skips 101 and 102.
    r = lab.station(lab.hv2, "h2", vsi_pdu(w.ASSOC, 20, UUID_B, MAC_B))
    assert only(r, w.ASSOC)["filters"][0]["vid"] == 103
    # A broken file is refused with its line, nothing changes.
    open(conf, "w").write(text + "\nvlans = oops;\n")
    lab.proc.send_signal(signal.SIGHUP)
    assert wait_log(lab, "reload refused")
    line = [l for l in lab.logtext().splitlines() if "reload refused" in l][0]
    assert "vdpd.conf:" in line, line
    assert lab.alive()
    assert len(lab.vdpctl("show", "vsis")["vsis"]) == 2


def test_runs_with_net_raw_and_net_admin_only(lab):
    lab.start()
    status = open(f"/proc/{lab.vdpd_pid()}/status").read()
    caps = {k: int(v, 16) for k, v in re.findall(r"^(Cap\w+):\s+([0-9a-f]+)$", status, re.M)}
    net_admin_raw = (1 << 12) | (1 << 13)
    assert caps["CapEff"] == net_admin_raw and caps["CapPrm"] == net_admin_raw, caps
    assert caps["CapBnd"] == net_admin_raw, caps
    assert re.search(r"^NoNewPrivs:\s+1$", status, re.M)
    # Still able to program the kernel after dropping the rest.
    r = lab.station(lab.hv1, "h1", vsi_pdu(w.ASSOC, 10, UUID_A, MAC_A))
    assert only(r, w.ASSOC)["status"] == w.RESP and vids(lab, "p1") == [100]
    mode = os.stat(lab.ctl).st_mode & 0o777
    assert mode == 0o660, oct(mode)
