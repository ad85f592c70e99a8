# SPDX-License-Identifier: ISC
"""EVB over LLDP, and interoperability with lldpad as the station.

The switch namespace runs lldpd (its own control socket) and vdpd serving
br0's ports p1 and p2; lldpad is the 802.1Qbg station on h1, p1's peer.
Both sides' timers differ so that the negotiation is visible: each of R,
RTE, RWD and RKA is won by one side or the other.  Every run is captured on
p1 and read back with tshark; set VDPD_SAVE_PCAPS=DIR to keep the captures
(pcaps/regen-lldpad-station-vs-vdpd.sh does)."""
import json
import os
import re
import shutil
import signal
import time
import uuid as uuidlib

import pytest

import vdpwire as w
from conftest import have, sh
from lldpad import Capture, Lldpad, Lldpd, ecp_frames, ecp_settled, evb_tlvs, lldp_since, num, wait_for

BRIDGE = {"r": 4, "rte": 8, "rwd": 16, "rka": 17}  # vdpd.conf
STATION = {"evbrrreq": "yes", "evbgpid": "yes",  # lldptool
           "ecpretries": "3", "ecprte": "9", "vdprwd": "18", "vdprka": "15"}
NEGOTIATED = {"r": 4, "rte": 9, "rwd": 18, "rka": 17}  # the larger of each
# The bridge's keepalive timeout, 1.5 x ((2R + 1) x 2^RTE + 2^RKA) x 10 us,
# and the station's keepalive period, 2^RKA x 10 us, with the negotiated values.
TIMEOUT = 1.5 * ((2 * 4 + 1) * 2 ** 9 + 2 ** 17) * 10e-6  # 2.04 s
PERIOD = 2 ** 17 * 10e-6  # 1.31 s
# The EVB TLV info octets both sides end up with (decoded in the tests).
BRIDGE_CONFIGURED = "0200885011"  # RRCAP; R 4 RTE 8; bridge, RWD 16; RKA 17
BRIDGE_NEGOTIATED = "030d897231"  # RRCAP RRCTR; station echo; R 4 RTE 9; ROL RWD 18; ROL RKA 17

EXPIRED = r"port p1: VSI \S+ de-associated from VNID \d+: keepalive timeout"
GONE = r"port p1: VSI \S+ de-associated from VNID \d+: station went away \(LLDP\)"
# Daemons acting on an event (a link down, an LLDPDU, a signal, lldpd
# coming back) on a loaded machine: seconds, where it takes milliseconds
# when idle.  Still well under the keepalive timeout of RKA 20 (15.7 s), so
# a VSI gone within it did not go by keepalive timeout.
LATE = 10
# vdpd's longest wait between attempts to reach lldpd (RETRY_MAX in
# vdpd/lldp/lldp.c), plus LATE.
RECONNECT = 10 + LATE

VSIS = {  # name: (VSIID, type id, vdptool filter, VLAN vdpd grants)
    "A": ("00112233-4455-6677-8899-aabbccdd0001", 6, "101-52:54:00:aa:00:01", 101),
    "B": ("00112233-4455-6677-8899-aabbccdd0002", 5, "0-52:54:00:aa:00:02", 100),
    "C": ("00112233-4455-6677-8899-aabbccdd0003", 7, "0", 103),
    "D": ("00112233-4455-6677-8899-aabbccdd0004", 5, "100", 100),
}


def granted(name):
    """A VSI's filter as vdptool shows it once vdpd answered: its VLAN."""
    vsiid, typeid, filt, vid = VSIS[name]
    return f"{vid}-{filt.split('-', 1)[1]}" if "-" in filt else str(vid)


def mac_of(ns, iface):
    return json.loads(sh("ip", "-j", "link", "show", iface, ns=ns).stdout)[0]["address"]


class Evb:
    """The lab plus lldpd, lldpad and the captures."""

    def __init__(self, lab, tmp, name):
        self.lab, self.tmp, self.name = lab, tmp, name
        self.lldpd = Lldpd(lab.spawn, lab.sw, tmp, ["p1", "p2"])
        self.lldpad = Lldpad(lab.spawn, lab.hv1, "h1", tmp)
        self.caps = {}
        self.last_assoc = 0.0

    def capture(self, ns, iface):
        self.caps[iface] = Capture(self.lab.spawn, ns, iface, os.path.join(self.tmp, f"{iface}.pcap"))

    def conf(self, timers):
        t = "; ".join(f"{k} = {v}" for k, v in timers.items())
        return f'timers = {{ {t}; }};\nlldp = {{ socket = "{self.lldpd.ctl}"; }};'

    def start_vdpd(self, timers=BRIDGE):
        self.lab.start(self.conf(timers))

    def start(self, timers=BRIDGE, negotiated=NEGOTIATED):
        """Station configured first (its set-up run is not captured), then
        the bridge side, then the station: negotiated on p1."""
        self.lldpad.configure(STATION)
        self.capture(self.lab.sw, "p1")
        self.lldpd.start()
        self.start_vdpd(timers)
        self.wait_log(r"(?m)lldpd \(\S+\): connected$")
        self.lldpad.start()
        self.wait_timers("p1", negotiated, 10)
        # Converged once the station's RRREQ is granted (RRCTR) and echoed.
        self.wait_log(r"port p1: lldpd advertises the EVB TLV 03 0d")
        self.station_mac, self.bridge_mac = mac_of(self.lab.hv1, "h1"), mac_of(self.lab.sw, "p1")

    def log(self):
        return self.lab.logtext()

    def wait_log(self, pattern, timeout=LATE, count=1):
        return wait_for(lambda: len(re.findall(pattern, self.log())) >= count, timeout,
                        what=f"vdpd log: {pattern}")

    def ports(self):
        return {p["port"]: p for p in self.lab.vdpctl("show", "ports")["ports"]}

    def timers(self, port):
        p = self.ports()[port]
        return {k: p[k] for k in ("r", "rte", "rwd", "rka")}

    def wait_timers(self, port, want, timeout):
        wait_for(lambda: self.timers(port) == want, timeout, what=f"{port} timers {want}")

    def vsis(self):
        return {v["vsiid"]: v for v in self.lab.vdpctl("show", "vsis")["vsis"]}

    def vids(self, port):
        for o in self.lab.nft():
            s = o.get("set")
            if s and s["table"] == "vdpd" and s["name"] == f"vids_{port}":
                return sorted(e if isinstance(e, int) else e["elem"]["val"] for e in s.get("elem", []))
        return []

    def assoc(self, name, mode="assoc"):
        """vdptool assoc/deassoc.  A De-Associate names the VLAN vdpd chose:
        lldpad refuses one whose filter differs from the VSI's ("mismatch
        filter data")."""
        vsiid, typeid, filt, vid = VSIS[name]
        if mode == "assoc":
            # lldpad hands a received VDPDU to its VDP layer ~2 ms after
            # acknowledging it, from a single buffer: a second response
            # arriving meanwhile overwrites the first, and that VSI's
            # state machine then waits forever and sends no keepalive
            # (seen: 1 run in 5 with VSIs associated 5 ms apart, as vdpd
            # answers within 0.1 ms).  Keepalives keep the phase of the
            # association, so VSIs associated 0.3 s apart never collide.
            time.sleep(max(0.0, self.last_assoc + 0.3 - time.monotonic()))
            self.last_assoc = time.monotonic()
        r = self.lldpad.vsi(mode, vsiid, typeid, filt if mode == "assoc" else granted(name))
        assert r is not None, f"vdptool got no answer for {mode} {name}"
        return r

    def stop_captures(self, until=ecp_settled, lldp=None):
        """Stops the captures once p1's holds every exchange the test saw
        (until: a condition on its frames); lldp "both" or "bridge": and
        an LLDPDU sent from now on by both sides or by the bridge (their
        last word)."""
        if lldp:
            macs = [mac_of(self.lab.sw, "p1")] + ([mac_of(self.lab.hv1, "h1")] if lldp == "both" else [])
            fresh = lldp_since(time.time(), macs)
            cond = until
            until = (lambda fr: cond(fr) and fresh(fr)) if cond else fresh
        for iface, c in self.caps.items():
            c.stop(until if iface == "p1" else None)

    def finish(self):
        """Whatever the test's outcome (the lab stops the processes too)."""
        try:
            for c in self.caps.values():
                c.stop()
            self.lldpad.stop()
        finally:
            self.lldpd.cleanup()
        keep = os.environ.get("VDPD_SAVE_PCAPS")
        if keep and "p1" in self.caps and self.lldpad.runs:
            shutil.copy(self.caps["p1"].path,
                        os.path.join(keep, f"lldpad-station-vs-vdpd-{self.name}.pcap"))


@pytest.fixture
def evb(lab, tmp_path, request):
    for tool in ("lldpd", "lldpcli", "lldpad", "lldptool", "vdptool", "tshark", "tcpdump"):
        if not have(tool):
            pytest.skip(f"{tool} not installed (tools/install-deps)")
    e = Evb(lab, str(tmp_path), request.node.name.replace("test_", "").replace("_", "-"))
    yield e
    e.finish()


# --- what every capture must show --------------------------------------------

def check_ecp(e, pcap, station_dies=False):
    """Every ECP frame decodes as ECP version 1, subtype VDP, op request or
    ack; every request is acknowledged with its sequence number (when the
    station dies, except the bridge's after the station's last frame); every
    VDPDU starts with a Manager ID, and tshark's reading of type id, version,
    VSIID format and VSIID agrees with vdpwire's reading of the raw frame.
    Returns the frames."""
    frames = ecp_frames(pcap)
    assert frames, "no ECP frame captured"
    last_station = max(float(f["frame.time_relative"]) for f in frames
                       if f["eth.src"] == e.station_mac)
    acks_until = last_station if station_dies else None
    macs = {e.station_mac, e.bridge_mac}
    for f in frames:
        assert f["eth.src"] in macs
        assert num(f["ecp.ver"]) == 1 and num(f["ecp.subtype"]) == 1, f
        assert num(f["ecp.op"]) in (0, 1), f
        ecp = w.parse_ecp(f["raw"])
        assert ecp["seq"] == num(f["ecp.seqno"]) and ecp["op"] == num(f["ecp.op"])
        if ecp["op"] == 1:
            continue
        # An ECP retransmission (no ack within 10 us x 2^RTE, e.g. on a
        # loaded machine) repeats the very same bytes and is not a new
        # request.
        first = [g for g in frames if g is not f and g["eth.src"] == f["eth.src"]
                 and num(g["ecp.op"]) == 0 and num(g["ecp.seqno"]) == ecp["seq"]
                 and int(g["frame.number"]) < int(f["frame.number"])]
        if first:
            assert first[0]["raw"] == f["raw"], "a retransmission with other bytes"
            f["retransmission"] = True
        acked = [g for g in frames if num(g["ecp.op"]) == 1 and g["eth.src"] != f["eth.src"]
                 and num(g["ecp.seqno"]) == ecp["seq"]
                 and float(g["frame.time_relative"]) >= float(f["frame.time_relative"])]
        if acks_until is None or float(f["frame.time_relative"]) < acks_until:
            assert acked, f"ECP request {ecp['seq']} from {f['eth.src']} never acknowledged"
        tlvs = w.parse_tlvs(ecp["pdu"])
        assert tlvs[0][0] == w.MGRID, "a VDPDU without a Manager ID first"
        assert [num(t) for t in f["vdp21.tlvtype"].split(",")] == [t for t, _ in tlvs]
        assert [num(n) for n in f["vdp21.tlvlen"].split(",")] == [len(v) for _, v in tlvs]
        vsi = [w.parse_vsi(t, v) for t, v in tlvs if t in (w.PREASSOC, w.ASSOC, w.DEASSOC)]
        assert len(vsi) == 1, tlvs
        v = vsi[0]
        assert num(f["vdp21.vsitypeid"]) == v["vnid"] and num(f["vdp21.vsiversion"]) == v["ver"]
        assert num(f["vdp21.vsiidformat"]) == w.FMT_UUID == v["fmt"]
        assert bytes.fromhex(f["vdp21.VSIID"].replace(":", "")) == v["vsiid"]
        st = v["status"]
        assert flag(f["vdp21.assoc.flags.req_rsp"]) == bool(st & w.RESP)
        if st & w.RESP:  # response: KEEP, HARD, error code
            assert flag(f["vdp21.assoc.flags.keep"]) == bool(st & w.KEEP)
            assert flag(f["vdp21.assoc.flags.hard_error"]) == bool(st & w.HARD)
            assert num(f["vdp21.assoc.error"]) == st & 0x0F
        else:  # request: M and S bits
            assert flag(f["vdp21.assoc.flags.mbit"]) == bool(st & w.M_BIT)
            assert flag(f["vdp21.assoc.flags.sbit"]) == bool(st & w.S_BIT)
        f["vsi"] = v
    return frames


def station_assocs(e, names):
    """{VSI name: [ECP sequence numbers]} of the station's Associates (the
    request and its keepalives, not retransmissions) in p1's capture so far."""
    out = {n: set() for n in names}
    ids = {vsiid_bytes(n): n for n in names}
    for _, f in e.caps["p1"].dump.frames():
        ecp = w.parse_ecp(f)
        if not ecp or ecp["op"] != 0 or ecp["src"].hex(":") != e.station_mac:
            continue
        for t, v in w.parse_tlvs(ecp["pdu"]):
            if t == w.ASSOC and w.parse_vsi(t, v)["vsiid"] in ids:
                out[ids[w.parse_vsi(t, v)["vsiid"]]].add(ecp["seq"])
    return {n: sorted(s) for n, s in out.items()}


def bridge_deassocs(frames, e):
    """The VSIIDs of vdpd's unsolicited De-Associates among captured frames."""
    out = set()
    for _, f in frames:
        ecp = w.parse_ecp(f)
        if not ecp or ecp["op"] != 0 or ecp["src"].hex(":") != e.bridge_mac:
            continue
        for t, v in w.parse_tlvs(ecp["pdu"]):
            if t == w.DEASSOC and not w.parse_vsi(t, v)["status"] & w.RESP:
                out.add(w.parse_vsi(t, v)["vsiid"])
    return out


def flag(v):
    return v in ("1", "True")


def exchanges(frames, e):
    """Station requests paired with the bridge's responses, by VSIID and type."""
    reqs = [f for f in frames if "vsi" in f and f["eth.src"] == e.station_mac
            and not f.get("retransmission")]
    resps = [f for f in frames if "vsi" in f and f["eth.src"] == e.bridge_mac
             and f["vsi"]["status"] & w.RESP]
    pairs = []
    for q in reqs:
        r = [p for p in resps if p["vsi"]["vsiid"] == q["vsi"]["vsiid"]
             and p["vsi"]["type"] == q["vsi"]["type"]
             and float(p["frame.time_relative"]) > float(q["frame.time_relative"])]
        pairs.append((q, r[0] if r else None))
    return pairs


def vsiid_bytes(name):
    return uuidlib.UUID(VSIS[name][0]).bytes


def check_evb(e, pcap):
    """Both sides' EVB TLVs: the bridge's starts configured and ends
    negotiated, the station's ends with the same timers."""
    tlvs = evb_tlvs(pcap)
    bridge = [t for t in tlvs if t[1] == e.bridge_mac]
    station = [t for t in tlvs if t[1] == e.station_mac]
    assert bridge and station, tlvs
    assert bridge[0][2] == BRIDGE_CONFIGURED, bridge[0]
    assert bridge[-1][2] == BRIDGE_NEGOTIATED, bridge[-1]
    b, s = bridge[-1][3], station[-1][3]
    assert b["mode"] == "bridge" and s["mode"] == "station"
    for k, v in NEGOTIATED.items():
        assert b[k] == v and s[k] == v, (k, b, s)
    # RRCTR: the station asks RRREQ and vdpd has RRCAP; the station sees it.
    assert s["rrreq"] and b["rrcap"] and b["rrctr"] and s["rrstat"] == 1
    # ROL: the station's RWD (18) won on the bridge, the bridge's RKA (17)
    # on the station.
    assert b["rol_rwd"] and s["rol_rka"]
    return bridge, station


# --- the tests ---------------------------------------------------------------

def test_negotiation(evb):
    """vdpd advertises its configured EVB TLV through lldpd, reads lldpad's,
    runs and advertises the larger of each timer; p2, without a station,
    keeps its configured TLV."""
    evb.capture(evb.lab.hv2, "h2")
    evb.start()
    assert evb.timers("p1") == NEGOTIATED
    assert evb.timers("p2") == BRIDGE
    assert evb.lldpd.agent_type() == "nearest customer bridge"
    log = evb.log()
    assert "LLDP agent type set to nearest customer bridge" in log
    assert re.search(r"port p1: EVB station \S+: R 4 RTE 9 RWD 18 RKA 17", log)
    assert re.search(r"port p1: EVB station \S+( changed its TLV)?: R 4 RTE 9 RWD 18 RKA 17, "
                     r"RRREQ yes", log)
    assert re.search(r"port p1: EVB timers R 4 RTE 9 RWD 18 RKA 17, reflective relay on "
                     r"\(keepalive timeout 2\.0 s\): negotiated with the station", log)
    # lldpad hears the negotiated bridge TLV ...
    seen = wait_for(lambda: "rte:9" in evb.lldpad.evb_neighbour() and evb.lldpad.evb_neighbour(),
                    5, what="lldpad's view of the bridge TLV")
    assert "retries:4 rte:9" in seen and "rwd:18" in seen and "rka:17" in seen, seen
    assert "rrcap,rrctr" in seen, seen
    # ... and lldpd the station's.
    nb = evb.lldpd.neighbours()["p1"]
    assert [t for t in nb if t["oui"] == "00,80,C2" and t["subtype"] == "13"], nb
    assert evb.lldpd.local_tlvs("p1") == [("00,80,C2", 13, "03,0D,89,72,31")]
    assert evb.lldpd.local_tlvs("p2") == [("00,80,C2", 13, "02,00,88,50,11")]
    evb.stop_captures(lldp="both")
    check_evb(evb, evb.caps["p1"].path)
    p2 = [t for t in evb_tlvs(evb.caps["h2"].path) if t[1] == mac_of(evb.lab.sw, "p2")]
    assert p2 and {t[2] for t in p2} == {BRIDGE_CONFIGURED}, p2
    # vdpd stopping withdraws its TLVs: no bridge EVB TLV without vdpd.
    evb.lab.stop()
    assert evb.lldpd.local_tlvs("p1") == [] and evb.lldpd.local_tlvs("p2") == []
    assert re.search(r"EVB TLV withdrawn from 2 of 2 ports", evb.log())


def test_vdptool_associate_list_deassociate(evb):
    """Associate with the VID and the MAC/VID filter formats, each with VID
    0 (vdpd chooses) and an explicit VID; list; keepalives hold the VSIs past
    the keepalive timeout; de-associate: the kernel state goes."""
    evb.start()
    for name in ("A", "B", "C", "D"):  # A first: its explicit 101 must be free
        vsiid, typeid, filt, vid = VSIS[name]
        r = evb.assoc(name)
        assert r["mode"] == "assoc" and r["uuid"] == vsiid and r["filter"] == granted(name), (name, r)
    table = evb.vsis()
    for name, (vsiid, typeid, filt, vid) in VSIS.items():
        t = table[vsiid]
        mac = filt.split("-", 1)[1] if "-" in filt else None
        assert t["port"] == "p1" and t["state"] == "assoc" and t["vlan"] == vid, t
        assert t["vnid"] == typeid
        assert t["macs"] == ([mac] if mac else []), t
    assert evb.vids("p1") == [100, 101, 103] and evb.vids("up0") == [100, 101, 103]
    listed = {v["uuid"]: v for v in evb.lldpad.list()}
    assert set(listed) == {v[0] for v in VSIS.values()}
    assert all(listed[v[0]]["mode"] == "assoc" for v in VSIS.values())
    assert listed[VSIS["B"][0]]["filter"] == "100-52:54:00:aa:00:02"

    # Keepalives: three keepalive timeouts later every VSI is still there.
    t_assoc = time.monotonic()
    time.sleep(3 * TIMEOUT)
    assert set(evb.vsis()) == {v[0] for v in VSIS.values()}
    assert not re.search(EXPIRED, evb.log())

    for name in ("A", "B", "C", "D"):
        r = evb.assoc(name, "deassoc")
        assert r["mode"] == "deassoc" and r["uuid"] == VSIS[name][0], r
    assert evb.vsis() == {}
    assert evb.vids("p1") == [] and evb.vids("up0") == []
    assert evb.lldpad.list() == []

    evb.stop_captures()
    frames = check_ecp(evb, evb.caps["p1"].path)
    check_evb(evb, evb.caps["p1"].path)
    pairs = exchanges(frames, evb)
    for q, r in pairs:
        assert r is not None, f"no response to {q['vsi']}"
        assert r["vsi"]["error"] == 0 and not (r["vsi"]["status"] & (w.KEEP | w.HARD))
        assert r["vsi"]["vnid"] == q["vsi"]["vnid"] and r["vsi"]["ver"] == q["vsi"]["ver"]
    for name, (vsiid, typeid, filt, vid) in VSIS.items():
        mine = [(q, r) for q, r in pairs if q["vsi"]["vsiid"] == vsiid_bytes(name)]
        assoc = [p for p in mine if p[0]["vsi"]["type"] == w.ASSOC]
        deassoc = [p for p in mine if p[0]["vsi"]["type"] == w.DEASSOC]
        assert deassoc and len(assoc) >= 3, (name, len(assoc))  # the request and keepalives
        q, r = assoc[0]
        want_fmt = w.FILTER_MAC_VID if "-" in filt else w.FILTER_VID
        assert [f["vid"] for f in q["vsi"]["filters"]] == [int(filt.split("-")[0])]
        assert [f["vid"] for f in r["vsi"]["filters"]] == [vid]  # the VLAN vdpd chose
        assert w.parse_tlvs(w.parse_ecp(r["raw"])["pdu"])[1][1][22] == want_fmt
        # Keepalives at the negotiated period (RKA 17), not lldpad's own 15.
        times = [float(p[0]["frame.time_relative"]) for p in assoc]  # first transmissions
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert all(abs(g - PERIOD) < 0.25 for g in gaps), (name, gaps)
    assert time.monotonic() - t_assoc > 3 * TIMEOUT


def test_lldpad_killed_vsis_expire(evb):
    """lldpad killed (no LLDP shutdown: its neighbour entry stays in lldpd
    for its 120 s TTL): vdpd de-associates the VSIs when the keepalive timeout
    expires, removes their kernel state and tells the (dead) station."""
    evb.start()
    for name in ("A", "C"):
        assert evb.assoc(name)["mode"] == "assoc"
    assert evb.vids("p1") == [100, 101]  # C gets the lowest free VLAN
    wait_for(lambda: all(len(v) >= 2 for v in station_assocs(evb, ("A", "C")).values()),
             PERIOD + LATE, what="a keepalive of each VSI on the wire")
    evb.lldpad.stop(signal.SIGKILL)
    wait_for(lambda: evb.vsis() == {}, TIMEOUT + LATE, step=0.05, what="VSIs to expire")
    log = evb.log()
    assert len(re.findall(EXPIRED, log)) == 2
    assert not re.search(GONE, log)
    assert evb.vids("p1") == [] and evb.vids("up0") == []
    assert evb.ports()["p1"]["tx_deassocs"] == 2
    assert "p1" in evb.lldpd.neighbours()  # LLDP still knows the station
    evb.stop_captures(until=lambda fr: len(bridge_deassocs(fr, evb)) >= 2)
    frames = check_ecp(evb, evb.caps["p1"].path, station_dies=True)
    # vdpd's unsolicited De-Associates after the kill, unacknowledged.
    deassocs = [f for f in frames if f["eth.src"] == evb.bridge_mac and "vsi" in f
                and f["vsi"]["type"] == w.DEASSOC and not f["vsi"]["status"] & w.RESP
                and not f.get("retransmission")]
    assert {f["vsi"]["vsiid"] for f in deassocs} == {vsiid_bytes("A"), vsiid_bytes("C")}
    # Each one keepalive timeout after the station's last request for the
    # VSI, on the wire (capture timestamps, whatever the load on the test).
    for d in deassocs:
        last = max(float(f["frame.time_relative"]) for f in frames
                   if f["eth.src"] == evb.station_mac and f.get("vsi", {}).get("vsiid") == d["vsi"]["vsiid"]
                   and f["vsi"]["type"] == w.ASSOC)
        gap = float(d["frame.time_relative"]) - last
        assert TIMEOUT - 0.05 <= gap <= TIMEOUT + 0.6, gap


def test_station_gone_via_lldp(evb):
    """The station's LLDP neighbour entry goes (its link goes down; later
    lldpad shuts down and says so in LLDP): vdpd de-associates its VSIs at
    once, long before their keepalive timeout (RKA 20 here: 15.7 s)."""
    slow = dict(BRIDGE, rka=20)
    evb.start(timers=slow, negotiated=dict(NEGOTIATED, rka=20))
    assert evb.assoc("A")["mode"] == "assoc" and evb.vids("p1") == [101]
    sh("ip", "link", "set", "h1", "down", ns=evb.lab.hv1)
    # Within LATE, i.e. before the keepalive timeout (and the log says why).
    wait_for(lambda: evb.vsis() == {}, LATE, step=0.05, what="VSIs to go on link down")
    assert evb.vids("p1") == [] and evb.vids("up0") == []
    evb.wait_log(r"port p1: EVB station \S+ went away .*de-associating its 1 VSIs")
    assert re.search(r"VSI 00112233-4455-6677-8899-aabbccdd0001 de-associated from VNID 6: "
                     r"station went away \(LLDP\)", evb.log())
    # Back up: the station is heard again, its next VSI associates; then
    # lldpad stops and sends an LLDP shutdown (TTL 0).
    sh("ip", "link", "set", "h1", "up", ns=evb.lab.hv1)
    evb.wait_log(r"port p1: EVB station \S+: R", count=2)
    for _ in range(3):  # lldpad's VDP may take a moment to run again
        r = evb.lldpad.vsi("assoc", VSIS["B"][0], VSIS["B"][1], VSIS["B"][2])
        if r and r["mode"] == "assoc":
            break
    assert r and r["mode"] == "assoc", r
    assert VSIS["B"][0] in evb.vsis()
    evb.lldpad.stop(signal.SIGTERM)
    wait_for(lambda: VSIS["B"][0] not in evb.vsis(), LATE, step=0.05, what="VSIs to go on shutdown")
    assert re.search(r"VSI 00112233-4455-6677-8899-aabbccdd0002 de-associated from VNID 5: "
                     r"station went away \(LLDP\)", evb.log())
    assert evb.vids("p1") == []
    assert not re.search(EXPIRED, evb.log())
    # No station: p1 goes back to its configured timers.
    evb.wait_timers("p1", slow, LATE)
    evb.stop_captures()
    check_ecp(evb, evb.caps["p1"].path)


def test_lldpd_absent_then_started_and_restarted(evb):
    """Without lldpd vdpd says so once, keeps retrying and serves VDP with its
    configured timers; it advertises once lldpd comes, and again after lldpd
    restarts (one more message)."""
    evb.lldpd.ifaces = ["p1"]  # and not p2: vdpd says so
    evb.capture(evb.lab.sw, "p1")
    evb.start_vdpd()
    evb.wait_log(r"next attempt in", count=2)  # retried at least twice
    assert len(re.findall(r"retrying in the background", evb.log())) == 1
    assert re.search(r"lldpd \(\S+\): cannot connect: No such file or directory; retrying", evb.log())
    # VDP goes on: a scripted station associates, with the configured timers.
    uuid = "00112233-4455-6677-8899-aabbccdd00f1"
    r = evb.lab.station(evb.lab.hv1, "h1", w.mgrid() + w.vsi(w.ASSOC, 9, uuid, [(bytes.fromhex("525400aa00f1"), 0)]))
    assert r["acked"] and r["tlvs"][1]["status"] == w.RESP and r["tlvs"][1]["filters"][0]["vid"] == 100
    assert evb.timers("p1") == BRIDGE and evb.timers("p2") == BRIDGE

    evb.lldpd.start()
    t_start = time.monotonic()
    evb.wait_log(r"lldpd \(\S+\): connected again after \d+ s", timeout=RECONNECT)
    evb.wait_log(r"port p1: lldpd advertises the EVB TLV 02 00 88 50 11 .*configured\)")
    evb.wait_log(r"port p2: lldpd does not run LLDP on it, so no EVB TLV is exchanged there")
    assert evb.lldpd.agent_type() == "nearest customer bridge"
    first = time.monotonic() - t_start

    evb.lldpd.stop()
    evb.wait_log(r"lldpd \(\S+\): lldpd closed the connection; retrying in the background")
    evb.lldpd.start()
    evb.wait_log(r"connected again after", count=2, timeout=RECONNECT)
    evb.wait_log(r"port p1: lldpd advertises the EVB TLV 02 00 88 50 11", count=2)
    assert evb.lldpd.agent_type() == "nearest customer bridge"
    assert len(re.findall(r"retrying in the background", evb.log())) == 2  # one per outage
    assert evb.lab.alive()
    evb.stop_captures(lldp="bridge")
    # lldpd's frames on p1 carry vdpd's configured EVB TLV, from both runs.
    p1 = mac_of(evb.lab.sw, "p1")
    sent = [t for t in evb_tlvs(evb.caps["p1"].path) if t[1] == p1]
    assert {t[2] for t in sent} == {BRIDGE_CONFIGURED}, sent
    assert first < RECONNECT


def test_lldpd_restart_keeps_station(evb):
    """lldpd restarting is not the station leaving: the VSIs and the
    negotiated timers stay, and the negotiated TLV is advertised again."""
    evb.start()
    for name in ("A", "B"):
        assert evb.assoc(name)["mode"] == "assoc"
    adverts = len(re.findall(r"port p1: lldpd advertises the EVB TLV 03 0d 89 72 31", evb.log()))
    assert adverts >= 1
    evb.lldpd.stop()
    t_stop = time.monotonic()
    evb.wait_log(r"lldpd \(\S+\): lldpd closed the connection; retrying in the background")
    assert evb.timers("p1") == NEGOTIATED  # kept: the station still runs them
    evb.lldpd.start()
    evb.wait_log(r"connected again after", timeout=RECONNECT)
    evb.wait_log(r"port p1: lldpd advertises the EVB TLV 03 0d 89 72 31", count=adverts + 1)
    # Keepalives carry the VSIs through and past the outage.
    while time.monotonic() - t_stop < 2 * TIMEOUT + 1:
        assert {VSIS["A"][0], VSIS["B"][0]} <= set(evb.vsis())
        time.sleep(0.3)
    log = evb.log()
    assert not re.search(GONE, log) and not re.search(EXPIRED, log)
    assert evb.timers("p1") == NEGOTIATED
    for name in ("A", "B"):
        assert evb.assoc(name, "deassoc")["mode"] == "deassoc"
    evb.stop_captures(lldp="both")
    check_ecp(evb, evb.caps["p1"].path)
    bridge, _ = check_evb(evb, evb.caps["p1"].path)
    assert bridge[-1][2] == BRIDGE_NEGOTIATED


def test_reload_renegotiates(evb):
    """SIGHUP with a longer RKA: vdpd negotiates again, advertises the
    result, lldpad follows, and the VSI lives on with the new keepalive
    period (5.2 s), which the old timeout (2.0 s) would not survive."""
    evb.start()
    assert evb.assoc("A")["mode"] == "assoc"
    evb.lab.write_conf(evb.conf(dict(BRIDGE, rka=19)))
    evb.lab.proc.send_signal(signal.SIGHUP)
    evb.wait_log(r"configuration reloaded")
    t_reload = time.monotonic()
    assert evb.timers("p1") == dict(NEGOTIATED, rka=19)
    assert evb.timers("p2") == dict(BRIDGE, rka=19)
    evb.wait_log(r"port p1: lldpd advertises the EVB TLV 03 0d 89 72 33 \(R 4 RTE 9 RWD 18 RKA 19, "
                 r"negotiated\)")
    evb.wait_log(r"port p2: lldpd advertises the EVB TLV 02 00 88 50 13")

    def station_rka():
        tlvs = [t for t in evb.lldpd.neighbours().get("p1", []) if t["subtype"] == "13"]
        return tlvs and int(tlvs[0]["value"].split(",")[4], 16) & 0x1F == 19
    wait_for(station_rka, 5, what="lldpad to take RKA 19")
    # The station's next keepalive: at most one old period (1.3 s), then
    # one new period (5.2 s) later.
    while time.monotonic() - t_reload < 7.5:
        assert VSIS["A"][0] in evb.vsis()
        time.sleep(0.5)
    assert not re.search(EXPIRED, evb.log())
    assert evb.assoc("A", "deassoc")["mode"] == "deassoc"
    evb.stop_captures()
    frames = check_ecp(evb, evb.caps["p1"].path)
    times = [float(f["frame.time_relative"]) for f in frames
             if f["eth.src"] == evb.station_mac and f.get("vsi", {}).get("type") == w.ASSOC
             and not f.get("retransmission")]
    assert max(b - a for a, b in zip(times, times[1:])) > 5.0  # the new keepalive period
