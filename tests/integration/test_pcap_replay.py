# SPDX-License-Identifier: ISC
"""vdp-pcap replay against a live vdpd in namespaces: every reference
conversation with vdpd matches, with the captured timing and as fast as the
protocol allows; altered captures fail with the difference printed; MAC
rewriting reaches vdpd's kernel state; the station is found where a bridge
also sends requests without the response bit."""
import os
import subprocess
import sys

import pytest

import vdpwire as w
from conftest import BUILD, TOP, sh

sys.path.insert(0, os.path.join(TOP, "pcaps"))
import pcapfile  # noqa: E402
import scenarios  # noqa: E402

VDP_PCAP = os.path.join(BUILD, "tools", "vdp-pcap", "vdp-pcap")
PCAPS = os.path.join(TOP, "pcaps")
REPLAYED = sorted(scenarios.SCENARIOS)


def start(lab, conf=""):
    lab.start(conf)
    # vdpd opens its control socket before its ports and answers on it only
    # once its loop runs, ports open: a replay sent earlier would find no
    # one listening and be reported unacknowledged.
    lab.vdpctl("show", "ports")


def replay(lab, path, *args):
    """vdp-pcap replay in the station namespace, on h1 (behind vdpd's p1)."""
    return sh(VDP_PCAP, "replay", path, "--iface", "h1", *args, ns=lab.hv1, check=False)


def bridge_vdpdus(path):
    """The bridge's distinct ECP requests in a capture, counted without
    vdp-pcap (the bridge being the side that sends VSI responses): the
    VDPDUs a replay must see sent again."""
    frames = [w.parse_ecp(f) for _, f in pcapfile.read(path)[0]]
    frames = [e for e in frames if e]
    bridge = {e["src"] for e in frames if e["op"] == 0 and any(
        t in (w.PREASSOC, w.PREASSOC_RR, w.ASSOC, w.DEASSOC) and len(v) > 0 and v[0] & w.RESP
        for t, v in w.parse_tlvs(e["pdu"]))}
    assert len(bridge) == 1, bridge
    return len({e["seq"] for e in frames if e["src"] in bridge and e["op"] == 0})


@pytest.mark.parametrize("timing", ["original", "fast"])
@pytest.mark.parametrize("name", REPLAYED)
def test_reference_conversation_replays(lab, name, timing):
    """Each capture of a conversation with vdpd, replayed against a fresh
    vdpd configured as when it was recorded, gives the same answers, field
    by field, and the same acknowledgements."""
    sc = scenarios.SCENARIOS[name]
    path = os.path.join(PCAPS, sc.pcap)
    if sc.made_by and not os.path.exists(path):
        pytest.skip(f"{sc.pcap} is not there: {sc.made_by} records it")
    if sc.pending and not os.path.exists(path):
        pytest.skip(f"{sc.pcap} is pending: {sc.pending}")
    start(lab, sc.conf)
    r = replay(lab, path, "--timing", timing)
    n = bridge_vdpdus(path)
    assert n > 0
    assert r.returncode == 0, f"{r.stdout}\n{r.stderr}\nvdpd:\n{lab.logtext()[-3000:]}"
    assert f"{n} of {n} bridge VDPDUs received, 0 differences" in r.stdout, r.stdout
    assert lab.alive()


def altered(tmp_path, src, fn):
    """A copy of a reference capture with fn(frames) applied."""
    frames, _ = pcapfile.read(os.path.join(PCAPS, src))
    frames = [(t, bytearray(f)) for t, f in frames]
    fn(frames)
    path = str(tmp_path / ("altered-" + src))
    pcapfile.write(path, [(t, bytes(f)) for t, f in frames])
    return path


def bridge_responses(frames):
    """The bridge's VDPDUs answering a VSI TLV, in order, as (frame number,
    [indices of the frame and of its ECP retransmissions])."""
    out, by_seq = [], {}
    for i, (_, f) in enumerate(frames):
        e = w.parse_ecp(bytes(f))
        if not e or e["src"].hex(":") != scenarios.BRIDGE_MAC or e["op"] != 0:
            continue
        if e["seq"] in by_seq:
            by_seq[e["seq"]][1].append(i)
        elif any(t in (w.PREASSOC, w.PREASSOC_RR, w.ASSOC, w.DEASSOC) for t, _ in w.parse_tlvs(e["pdu"])):
            by_seq[e["seq"]] = (i + 1, [i])
            out.append(by_seq[e["seq"]])
    return out


ASSOC_STATUS = 18 + 18 + 2  # Ethernet+ECP, Manager ID TLV, Associate header


def test_flipped_status_fails_with_the_difference(lab, tmp_path):
    """A captured response whose status byte has one bit flipped (0x40 ->
    0x41, invalid format) no longer matches vdpd's: the replay exits 1 and
    names the capture frame and the fields, expected against got."""
    where = {}

    def flip(frames):
        no, copies = bridge_responses(frames)[1]
        for i in copies:
            assert frames[i][1][ASSOC_STATUS] == 0x40
            frames[i][1][ASSOC_STATUS] ^= 0x01
        where["frame"] = no

    path = altered(tmp_path, "vdpd-associate.pcap", flip)
    start(lab)
    r = replay(lab, path, "--timing", "fast")
    assert r.returncode == 1, r.stdout + r.stderr
    pre = f"mismatch: bridge VDPDU 2 (capture frame {where['frame']}, replay frame "
    lines = [x for x in r.stdout.splitlines() if x.startswith("mismatch")]
    assert len(lines) == 2, r.stdout
    assert lines[0].startswith(pre) and lines[0].endswith("vdp[1].status.raw: expected 0x41, got 0x40"), lines
    assert lines[1].endswith("vdp[1].status.error: expected 1 (invalid format), got 0 (success)"), lines
    assert "4 of 4 bridge VDPDUs received, 2 differences" in r.stdout


def vid_changed(tmp_path):
    """vdpd-associate.pcap with the first granted VID changed, 101 -> 102."""
    def vid(frames):
        end = ASSOC_STATUS + 25 + 8  # the first entry's PS|PCP|VID
        for i in bridge_responses(frames)[0][1]:
            assert frames[i][1][end - 2:end] == b"\x00\x65"
            frames[i][1][end - 1] = 0x66
    return altered(tmp_path, "vdpd-associate.pcap", vid)


def test_changed_vid_fails(lab, tmp_path):
    """A granted VID changed in the capture is a difference."""
    start(lab)
    r = replay(lab, vid_changed(tmp_path), "--timing", "fast")
    assert r.returncode == 1, r.stdout
    assert "mismatch: bridge VDPDU 1 (capture frame " in r.stdout
    assert "vdp[1].filters[0].vid: expected 102, got 101" in r.stdout, r.stdout


def test_changed_vid_passes_when_volatile(lab, tmp_path):
    """... and declaring the field volatile makes the replay pass again."""
    start(lab)
    r = replay(lab, vid_changed(tmp_path), "--timing", "fast", "--volatile", "filters.vid")
    assert r.returncode == 0 and "0 differences" in r.stdout, r.stdout


def test_missing_response_is_an_extra_vdpdu(lab, tmp_path):
    """With the last response cut out of the capture, vdpd's answer to the
    last request is reported as a VDPDU the capture does not have."""
    def cut(frames):
        del frames[bridge_responses(frames)[-1][1][0]:]

    path = altered(tmp_path, "vdpd-associate.pcap", cut)
    start(lab)
    r = replay(lab, path, "--timing", "fast")
    assert r.returncode == 1
    assert "VDPDU 4 from the bridge, not in the capture:" in r.stdout, r.stdout
    assert "    vdp[1].status.raw = 0x40" in r.stdout
    assert "3 of 3 bridge VDPDUs received, 1 difference\n" in r.stdout


def test_lldpad_bridge_capture_differs_where_lldpad_does(lab):
    """The lldpad station's conversation with lldpad's bridge, replayed
    against vdpd: with the VLAN choice declared volatile (lldpad echoes VID
    0, vdpd grants 100), what remains is lldpad's two spurious unsolicited
    De-Associates, which vdpd rightly does not send."""
    start(lab)
    path = os.path.join(PCAPS, "lldpad-station-vs-lldpad-bridge.pcap")
    r = replay(lab, path, "--timing", "fast", "--volatile", "vid", "--timeout", "2")
    assert r.returncode == 1
    lines = [x for x in r.stdout.splitlines() if x.startswith("mismatch")]
    assert lines == ["mismatch: bridge VDPDU 7 (capture frame 53): not received",
                     "mismatch: bridge VDPDU 8 (capture frame 55): not received"], r.stdout


def test_rewritten_macs_reach_vdpd(lab, tmp_path):
    """--rewrite-mac changes the station's address and a VM's MAC in the
    requests and in the expected answers: the replay matches, vdpd's VSI
    table has the new VM MAC (as filter and as MAC-format VSIID) and not the
    old, and the frames the replay sent (--write) carry the station's new
    address and consecutive ECP sequence numbers of the replay's own."""
    start(lab)
    h1 = sh("cat", "/sys/class/net/h1/address", ns=lab.hv1).stdout.strip()
    out = str(tmp_path / "replayed.pcap")
    r = replay(lab, os.path.join(PCAPS, "vdpd-associate.pcap"), "--timing", "fast",
               "--rewrite-mac", f"{scenarios.STATION_MAC}={h1}",
               "--rewrite-mac", "52:54:00:aa:00:02=52:54:00:99:00:02", "--write", out)
    assert r.returncode == 0 and "0 differences" in r.stdout, r.stdout
    vsis = lab.vdpctl("show", "vsis")["vsis"]
    text = str(vsis)
    assert "52:54:00:99:00:02" in text and "52:54:00:aa:00:02" not in text, vsis
    assert [v for v in vsis if v["vsiid"] == "52:54:00:99:00:02"], vsis
    frames, _ = pcapfile.read(out)
    # One request per ECP sequence number: a retransmission (no ack within
    # 10 us x 2^RTE, which a loaded machine easily misses) repeats the very
    # same bytes and is not a new request.
    first = {}
    for _, f in frames:
        e = w.parse_ecp(f)
        if not e or e["op"] != 0 or e["src"].hex(":") != h1:
            continue
        if e["seq"] in first:
            assert first[e["seq"]][0] == f, f"request {e['seq']} retransmitted with other bytes"
        else:
            first[e["seq"]] = (f, e)
    requests = [e for _, e in first.values()]
    assert len(requests) == 4, requests
    seqs = [e["seq"] for e in requests]
    assert seqs == [(seqs[0] + k) % 65536 for k in range(4)]
    assert all(b"\x52\x54\x00\x99\x00\x02" in e["pdu"] for e in requests[2:3])


def test_station_found_despite_unsolicited_deassociates():
    """In the lldpad capture the bridge also sends De-Associates without the
    response bit; the station is still the side that never answers."""
    r = subprocess.run([VDP_PCAP, "replay", "-n", os.path.join(PCAPS, "lldpad-station-vs-lldpad-bridge.pcap")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "conversation: station 02:00:00:00:01:01, bridge 02:00:00:00:02:02" in r.stdout
    assert "6 station frames to send, 8 bridge VDPDUs to expect" in r.stdout
