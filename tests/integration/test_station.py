# SPDX-License-Identifier: ISC
"""libvdp's station role (through the vdp-station CLI) against vdpd, in
network namespaces on the host kernel: the VNID-policy flows, a migration
between the two hypervisor namespaces behind the same bridge, refusals,
keepalives and bridge-initiated de-association.  Each step checks what
vdp-station reports, vdpd's tables (vdpctl -j) and the kernel state vdpd
programmed (the nftables fallback sets vids_PORT of table bridge vdpd, its
rules and tc classes); the migration is also checked on the wire, with a
capture on the destination's switch port read back by vdpwire."""
import json
import os
import re
import struct
import subprocess
import time

import pytest

import vdpwire as w
from conftest import BUILD, START_TIMEOUT, STOP_TIMEOUT, Tcpdump, sh, wait_for

VDP_STATION = os.path.join(BUILD, "tools", "vdp-station", "vdp-station")


def need_station():
    if not os.path.exists(VDP_STATION):
        pytest.fail(f"{VDP_STATION} not built (Makefile.am includes tools/station.mk?): run tools/build")
UUID_A = "00112233-4455-6677-8899-aabbccdd0001"
UUID_B = "00112233-4455-6677-8899-aabbccdd0002"
MAC_A = "52:54:00:aa:00:01"
MAC_B = "52:54:00:aa:00:02"
POLICY = ["bandwidth=50000", "acl=permit,tcp,dport=80"]


class Station:
    """A vdp-station daemon in a hypervisor namespace; its commands run
    outside the namespace (the control socket is a file)."""

    def __init__(self, lab, ns, iface, name, *opts):
        self.sock = os.path.join(lab.tmp, f"{name}.sock")
        self.logpath = os.path.join(lab.tmp, f"{name}.log")
        self.log = open(self.logpath, "w")
        self.proc = lab.spawn(["ip", "netns", "exec", ns, VDP_STATION, "-s", self.sock,
                               "daemon", "-f", "-i", iface, *opts],
                              stdout=self.log, stderr=subprocess.STDOUT)
        self.log.close()  # the daemon has its own copy
        end = time.monotonic() + START_TIMEOUT
        while time.monotonic() < end:
            if "ready on" in self.logtext():
                return
            assert self.proc.poll() is None, "vdp-station died:\n" + self.logtext()
            time.sleep(0.05)
        raise AssertionError("vdp-station did not start:\n" + self.logtext())

    def logtext(self):
        with open(self.logpath) as f:
            return f.read()

    def run(self, *args, rc=0):
        """Runs one command with -j; asserts its exit status; returns the JSON."""
        r = subprocess.run([VDP_STATION, "-s", self.sock, "-j", *args], capture_output=True,
                           text=True, timeout=90)
        assert r.returncode == rc, f"{args}: exit {r.returncode}\n{r.stdout}{r.stderr}"
        return json.loads(r.stdout)

    def op(self, *args, rc=0):
        """An operation on one link: returns its single result."""
        out = self.run(*args, rc=rc)
        assert len(out["results"]) == 1, out
        return out["results"][0]

    def vm(self, uuid):
        vms = [v for v in self.run("list", "vms")["vms"] if v["vsiid"] == uuid]
        return vms[0] if vms else None



@pytest.fixture
def stations(lab):
    """Starts vdp-station daemons; the lab stops them (and waits for
    them) when it goes, whatever the test's outcome."""
    need_station()
    yield lambda ns, iface, name, *opts: Station(lab, ns, iface, name, *opts)


# --- what vdpd and the kernel say ---------------------------------------------

def vsis(lab):
    return {v["vsiid"]: v for v in lab.vdpctl("show", "vsis")["vsis"]}


def vnids(lab):
    return {n["vnid"]: n for n in lab.vdpctl("show", "vnids")["vnids"]}


def vids(lab, port):
    """The VLANs the nftables fallback lets through `port`."""
    for o in lab.nft():
        s = o.get("set")
        if s and s["table"] == "vdpd" and s["name"] == f"vids_{port}":
            return sorted(e if isinstance(e, int) else e["elem"]["val"] for e in s.get("elem", []))
    return []


def rule_text(lab):
    """Rules and set elements of table bridge vdpd (per-VSI facts are elements)."""
    return json.dumps([o for o in lab.nft() if (o.get("rule") or o.get("set") or {}).get("table") == "vdpd"])


def htb_rates(lab, port):
    out = sh("tc", "class", "show", "dev", port, ns=lab.sw).stdout
    return re.findall(r"class htb 7664:\S+ .*?rate (\S+)", out)


def port_list(n):
    """vdpctl's PORTS of a VNID, as a sorted list."""
    p = n.get("ports") or n.get("sync_ports") or []
    return sorted(p if isinstance(p, list) else p.split(","))


# --- a capture on a switch port -------------------------------------------------

class Capture:
    """tcpdump of the ECP frames on a switch port; requests() keeps the
    ones its station sent (by source MAC: a Linux bridge with STP off floods
    the other stations' frames out of this port too)."""

    def __init__(self, lab, port, station_ns, station_if):
        link = json.loads(sh("ip", "-j", "link", "show", station_if, ns=station_ns).stdout)
        self.src = bytes.fromhex(link[0]["address"].replace(":", ""))
        self.dump = Tcpdump(lab.spawn, lab.sw, port, os.path.join(lab.tmp, f"{port}.pcap"),
                            "ether proto 0x8940")

    def _requests(self, frames):
        """The station's ECP requests, one per sequence number: an ECP
        retransmission (no ack within 10 us x 2^RTE, which a loaded machine
        easily misses) repeats the very same bytes and is not a new request."""
        first = {}
        for _, f in frames:
            e = w.parse_ecp(f)
            if not e or e["op"] != 0 or e["src"] != self.src:
                continue
            if e["seq"] in first:
                assert first[e["seq"]] == f, f"ECP request {e['seq']} retransmitted with other bytes"
                continue
            first[e["seq"]] = f
        return [w.parse_ecp(f) for f in first.values()]

    def requests(self, count):
        """Stops the capture once it holds `count` requests of the station
        (those it has seen answered); returns the request TLVs it sent, in
        order, as (type, status, vnid) tuples (ECP acks, retransmissions and
        the Manager ID left out)."""
        frames = self.dump.stop(until=lambda fr: len(self._requests(fr)) >= count)
        out = []
        for e in self._requests(frames):
            for t, v in w.parse_tlvs(e["pdu"]):
                if t in (w.PREASSOC, w.ASSOC, w.DEASSOC):
                    d = w.parse_vsi(t, v)
                    out.append((t, d["status"], d["vnid"]))
                elif t in (w.POLICY_SYNC, w.POLICY_UPDATE, w.POLICY_REMOVE):
                    d = w.parse_policy(t, v)
                    out.append((t, d["status"], d["vnid"]))
        return out


# --- the tests -----------------------------------------------------------------------

def test_vnid_policy_create_update_migrate_remove(lab, stations):
    lab.start()
    hv1 = stations(lab.hv1, "h1", "hv1")
    hv2 = stations(lab.hv2, "h2", "hv2")

    # A network is only declared: nothing reaches the switch yet.
    out = hv1.run("create-network", "10", *POLICY)
    assert out["ok"] and out["command"] == "create-network"
    assert vnids(lab) == {}

    # First VM of network 10 on hv1: Policy Sync, then Associate.
    r = hv1.op("create-vm", "10", UUID_A, MAC_A)
    assert r["link"] == "h1" and r["status"] == "ok" and r["vlan"] == 100
    assert r["sent"] == ["policy-sync", "associate"]
    t = vsis(lab)
    assert t[UUID_A]["port"] == "p1" and t[UUID_A]["state"] == "assoc" and t[UUID_A]["vlan"] == 100
    assert not t[UUID_A]["migrated"]
    assert vnids(lab)[10]["synced"]
    assert vids(lab, "p1") == [100] and vids(lab, "up0") == [100]
    assert MAC_A in rule_text(lab) and htb_rates(lab, "p1") == ["50Mbit"]
    assert hv1.vm(UUID_A)["switches"] == [{"link": "h1", "state": "assoc", "vlan": 100}]

    # Second VM, pre-associated: no second Policy Sync, nothing programmed.
    r = hv1.op("create-vm", "10", UUID_B, MAC_B, "preassoc")
    assert r["status"] == "ok" and r["sent"] == ["pre-associate"] and r["vlan"] == 100
    assert vsis(lab)[UUID_B]["state"] == "preassoc"
    assert MAC_B not in rule_text(lab)
    # ... then associated: it keeps its VLAN.
    r = hv1.op("associate", UUID_B)
    assert r["sent"] == ["associate"] and r["vlan"] == 100
    assert vsis(lab)[UUID_B]["state"] == "assoc" and MAC_B in rule_text(lab)

    # Policy Update: once, for both VMs.
    new_policy = ["bandwidth=90000", "acl=permit,tcp,dport=80"]
    r = hv1.op("update-policy", "10", *new_policy)
    assert r["status"] == "ok" and r["sent"] == ["policy-update"]
    assert htb_rates(lab, "p1") == ["90Mbit", "90Mbit"]

    # Migrate A to hv2, where network 10 is new: Policy Sync + Associate(M).
    hv2.run("create-network", "10", *new_policy)
    cap = Capture(lab, "p2", lab.hv2, "h2")
    r = hv2.op("migrate-in", "10", UUID_A, MAC_A)
    assert r["status"] == "ok" and r["sent"] == ["policy-sync", "associate"] and r["vlan"] == 100
    t = vsis(lab)
    assert t[UUID_A]["port"] == "p2" and t[UUID_A]["migrated"] and t[UUID_B]["port"] == "p1"
    assert port_list(vnids(lab)[10]) == ["p1", "p2"]
    assert vids(lab, "p2") == [100] and vids(lab, "p1") == [100]
    # The source still has B: De-Associate only, and the switch keeps A on p2.
    r = hv1.op("migrate-out", UUID_A)
    assert r["status"] == "ok" and r["sent"] == ["de-associate"]
    t = vsis(lab)
    assert t[UUID_A]["port"] == "p2" and t[UUID_A]["state"] == "assoc"
    assert hv1.vm(UUID_A) is None
    assert [n["policy"] for n in hv1.run("list", "networks")["networks"][0]["switches"]] == ["synced"]

    # Migrate B: network 10 exists on hv2 now, so no second Policy Sync.
    r = hv2.op("migrate-in", "10", UUID_B, MAC_B)
    assert r["status"] == "ok" and r["sent"] == ["associate"]
    # On the wire at p2: one Policy Sync in all, both Associates with M set.
    sent = cap.requests(3)
    assert sent == [(w.POLICY_SYNC, 0, 10), (w.ASSOC, w.M_BIT, 10), (w.ASSOC, w.M_BIT, 10)], sent
    assert vsis(lab)[UUID_B]["port"] == "p2" and vsis(lab)[UUID_B]["migrated"]
    # B was hv1's last VM of network 10: De-Associate, then Policy Remove.
    r = hv1.op("migrate-out", UUID_B)
    assert r["status"] == "ok" and r["sent"] == ["de-associate", "policy-remove"]
    n = vnids(lab)[10]
    assert n["synced"] and port_list(n) == ["p2"]
    assert vids(lab, "p1") == [] and vids(lab, "p2") == [100] and vids(lab, "up0") == [100]
    assert [n["policy"] for n in hv1.run("list", "networks")["networks"][0]["switches"]] == ["none"]

    # Remove both VMs on hv2: the last one takes the policy with it.
    r = hv2.op("remove-vm", UUID_A)
    assert r["sent"] == ["de-associate"] and list(vsis(lab)) == [UUID_B]
    r = hv2.op("remove-vm", UUID_B)
    assert r["sent"] == ["de-associate", "policy-remove"]
    assert vsis(lab) == {} and vnids(lab) == {}
    assert vids(lab, "p2") == [] and vids(lab, "up0") == []
    assert MAC_A not in rule_text(lab) and MAC_B not in rule_text(lab)
    assert htb_rates(lab, "p1") == [] and htb_rates(lab, "p2") == []
    assert hv2.run("list", "vms")["vms"] == []
    assert lab.alive()


def test_refusals_and_usage_errors(lab, stations):
    lab.start()
    hv1 = stations(lab.hv1, "h1", "hv1")
    # 200 Mbit/s is beyond p1's 100 Mbit/s: the Policy Sync is refused.
    hv1.run("create-network", "20", "bandwidth=200000")
    out = hv1.run("create-vm", "20", UUID_A, MAC_A, rc=1)
    assert not out["ok"]
    r = out["results"][0]
    assert r["status"] == "refused" and r["stage"] == "policy-sync" and r["sent"] == ["policy-sync"]
    assert r["error"] == 2 and r["error_text"] == "insufficient resources"
    assert hv1.run("list", "vms")["vms"] == [] and vsis(lab) == {}
    # A VLAN that another VNID owns: the Associate is refused, hard.
    hv1.run("create-network", "21", "plain")
    assert hv1.op("create-vm", "21", UUID_A, MAC_A)["vlan"] == 100
    hv1.run("create-network", "22", "plain")
    r = hv1.op("create-vm", "22", UUID_B, MAC_B, "vid=100", rc=1)
    assert r["status"] == "refused" and r["stage"] == "associate" and r["error"] == 5 and r["hard"]
    # Usage errors name what is wrong and exit 2.
    out = hv1.run("create-vm", "99", UUID_B, MAC_B, rc=2)
    assert out["error"] == "create-vm: no network 99: create the network first"
    out = hv1.run("create-vm", "21", "not-a-uuid", MAC_B, rc=2)
    assert "is not a VSIID" in out["error"]
    assert hv1.run("create-network", "24", "bandwidth=2M,from-vm")["ok"]
    pol = [n["policy"] for n in hv1.run("list", "networks")["networks"] if n["vnid"] == 24]
    assert pol == [["bandwidth=2000,from-vm"]]
    out = hv1.run("create-network", "23", "bandwidth=fast", rc=2)
    assert out["error"].startswith("create-network: policy 'bandwidth=fast': expected bandwidth=RATE")
    out = hv1.run("remove-vm", UUID_B, rc=2)
    assert out["error"] == f"remove-vm: no VM {UUID_B} on this station"
    r = subprocess.run([VDP_STATION, "-s", os.path.join(lab.tmp, "none.sock"), "list"],
                       capture_output=True, text=True)
    assert r.returncode == 3 and "start one with 'vdp-station daemon -i IFACE'" in r.stderr


# RKA 17: the station sends a keepalive every 2^17 x 10 us = 1.31 s; vdpd
# drops a silent VSI 1.5 x ((2R + 1) x 2^RTE + 2^RKA) x 10 us = 1.99 s after
# the last one.
KEEPALIVE_PERIOD = 2 ** 17 * 10e-6
KEEPALIVE_TIMEOUT = 1.5 * ((2 * 3 + 1) * 2 ** 8 + 2 ** 17) * 10e-6
# Anything the daemons do on their own (a keepalive, a timeout, a
# de-association reaching the station) on a loaded machine, beyond its
# nominal time.
LATE = 10


def test_keepalives_hold_and_bridge_deassociation(lab, stations):
    lab.start('timers = { r = 3; rte = 8; rwd = 20; rka = 17; };')
    hv1 = stations(lab.hv1, "h1", "hv1", "--timers", "3,8,20,17")
    hv1.run("create-network", "10", "plain")
    assert hv1.op("create-vm", "10", UUID_A, MAC_A)["status"] == "ok"
    # Three keepalives, i.e. twice vdpd's timeout: the VSI is held.
    link = wait_for(lambda: [l for l in hv1.run("list", "links")["links"] if l["keepalives"] >= 3],
                    3 * KEEPALIVE_PERIOD + LATE, "three keepalives")[0]
    assert link["rka"] == 17
    assert vsis(lab)[UUID_A]["state"] == "assoc"
    assert "keepalive timeout" not in lab.logtext()

    # vdpd de-associates on its own: the station reports it and
    # re-associates the VM once (libvdp(3), Events).
    lab.vdpctl("deassoc", UUID_A)

    def events():
        return [(e["event"], e["vsiid"], e["link"]) for e in hv1.run("events")["events"]]
    wait_for(lambda: ("reassociated", UUID_A, "h1") in events(), LATE,
             "the station to hear of the de-association and re-associate")
    assert events() == [("deassociated", UUID_A, "h1"), ("reassociated", UUID_A, "h1")]
    assert hv1.vm(UUID_A)["switches"][0] == {"link": "h1", "state": "assoc", "vlan": 100}
    assert vsis(lab)[UUID_A]["state"] == "assoc"
    # associate on an associated VM changes nothing.
    r = hv1.op("associate", UUID_A)
    assert r["status"] == "ok" and vsis(lab)[UUID_A]["state"] == "assoc"

    # Without the daemon nobody sends keepalives: vdpd times the VM out.
    hv1.run("stop")
    hv1.proc.wait(STOP_TIMEOUT)
    t0 = time.monotonic()
    wait_for(lambda: vsis(lab) == {}, KEEPALIVE_TIMEOUT + LATE, "vdpd's keepalive timeout")
    assert time.monotonic() - t0 >= KEEPALIVE_TIMEOUT - KEEPALIVE_PERIOD - 0.1
    assert vids(lab, "p1") == []


FAKE_BRIDGE = r'''
import json, socket, struct, sys, time
sys.path.insert(0, sys.argv[1])
import vdpwire as w
iface, secs = sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(263, 8, 1)  # SOL_PACKET, PACKET_AUXDATA: the kernel strips VLAN tags
s.bind((iface, 0))
mac = s.getsockname()[4]
seq, helped, out = 100, False, {"dhcp": None, "help_answer": None}
print("ready", flush=True)
end = time.monotonic() + secs
s.settimeout(0.1)
while time.monotonic() < end and not (out["dhcp"] and out["help_answer"]):
    try:
        data, anc, _, addr = s.recvmsg(2048, 64)
    except socket.timeout:
        continue
    if addr[2] == socket.PACKET_OUTGOING:
        continue
    for lvl, typ, aux in anc:  # struct tpacket_auxdata: put the tag back
        status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", aux[:20])
        if lvl == 263 and typ == 8 and status & 0x10 and data[12:14] != b"\x81\x00":
            data = data[:12] + struct.pack("!HH", tpid or 0x8100, tci) + data[12:]
    if data[12:14] == b"\x81\x00" and data[16:18] == b"\x08\x00" and data[18 + 9] == 17:
        out["dhcp"] = data.hex()
        continue
    e = w.parse_ecp(data)
    if not e or e["op"] != 0:
        continue
    s.send(w.ecp(mac, e["seq"], b"", op=1))
    for t, v in w.parse_tlvs(e["pdu"]):
        if t == w.HELP:
            out["help_answer"] = v.hex()
        if t != w.ASSOC:
            continue
        d = w.parse_vsi(t, v)
        resp = bytes([w.RESP]) + v[1:-2] + (100).to_bytes(2, "big")
        s.send(w.ecp(mac, seq, w.mgrid(b"fake") + w.tlv(t, resp)))
        seq += 1
        if not helped:
            helped = True
            help = bytes([0, 1]) + v[5:22] + bytes.fromhex(d["filters"][0]["mac"].replace(":", ""))
            help += (100).to_bytes(2, "big") + bytes(4)
            s.send(w.ecp(mac, seq, w.mgrid(b"fake") + w.tlv(w.HELP, help)))
            seq += 1
print(json.dumps(out))
'''


# The scripted bridge's whole part (an Associate answered, a Help Request
# and its answer, the DHCP frame): well under a second when idle; it stops
# as soon as it has both.
FAKE_BRIDGE_TIMEOUT = 60


def test_help_request_gets_dhcprequest_and_answer(lab, stations, tmp_path):
    """vdpd does not send Help Requests (yet): a scripted bridge on p1
    associates the VM, asks for help, and records what the station does."""
    script = tmp_path / "fakebridge.py"
    script.write_text(FAKE_BRIDGE)
    here = os.path.dirname(os.path.abspath(__file__))
    bridge = lab.spawn(["ip", "netns", "exec", lab.sw, "/usr/bin/python3", str(script), here, "p1",
                        str(FAKE_BRIDGE_TIMEOUT)], stdout=subprocess.PIPE, text=True)
    assert bridge.stdout.readline() == "ready\n"  # listening on p1
    hv1 = stations(lab.hv1, "h1", "hv1", "--dhcp-server", "192.0.2.1")
    hv1.run("create-network", "30", "plain")
    r = hv1.op("create-vm", "30", UUID_A, MAC_A, "ip=192.0.2.10")
    assert r["status"] == "ok" and r["vlan"] == 100
    out = json.loads(bridge.communicate(timeout=FAKE_BRIDGE_TIMEOUT + 10)[0])
    f = bytes.fromhex(out["dhcp"])
    # From the VM's MAC, broadcast, on its VLAN; IPv4 from its address to the server.
    assert f[0:6] == b"\xff" * 6 and f[6:12].hex(":") == MAC_A
    assert struct.unpack("!H", f[14:16])[0] & 0xFFF == 100
    ip = f[18:38]
    assert ip[12:16] == bytes([192, 0, 2, 10]) and ip[16:20] == bytes([192, 0, 2, 1])
    udp = f[38:46]
    assert struct.unpack("!HH", udp[:4]) == (68, 67)
    bootp = f[46:]
    assert bootp[0] == 1 and bootp[12:16] == bytes([192, 0, 2, 10])  # BOOTREQUEST, ciaddr
    assert bootp[28:34].hex(":") == MAC_A and bootp[236:240] == bytes.fromhex("63825363")
    assert bootp[240:243] == bytes([53, 1, 3])  # DHCPREQUEST
    # The answer: the same Help TLV, response bit set, success.
    ans = bytes.fromhex(out["help_answer"])
    assert ans[0] == w.RESP and ans[1] == 1 and ans[19:25].hex(":") == MAC_A
    ev = hv1.run("events")["events"]
    assert [e["event"] for e in ev] == ["help"] and ev[0]["error"] == 0


def test_station_syncs_again_a_policy_the_switch_lost(lab, stations):
    """A switch that restarts without its state (a replacement switch, its
    state directory empty) refuses a Policy Update for want of the policy (error 3);
    the station sends Policy Sync again with the updated policy, the
    update succeeds, and the event says so (libvdp(3), VDP_EV_RESYNCED).
    Keepalives are 42 s apart here, so that none reaches the new vdpd
    first."""
    lab.start()
    hv1 = stations(lab.hv1, "h1", "hv1", "--timers", "3,8,20,22")
    hv1.run("create-network", "10", *POLICY)
    assert hv1.op("create-vm", "10", UUID_A, MAC_A)["status"] == "ok"
    assert vnids(lab)[10]["synced"]
    lab.stop()
    # A switch without its state (a replaced one): the tables vdpd keeps
    # in its state directory (vdpd(8), STATE) go, the bindings stay.
    for f in ("state.snap", "state.journal"):
        os.unlink(os.path.join(lab.tmp, "state", f))
    lab.start()  # a new vdpd: no VSI, no policy
    assert vnids(lab) == {} and vsis(lab) == {}
    r = hv1.op("update-policy", "10", "bandwidth=90000")
    assert r["status"] == "ok", r
    assert sorted(r["sent"]) == ["policy-sync", "policy-update"], r
    assert "policy synced again" in r["detail"], r
    n = vnids(lab)[10]
    assert n["synced"] and port_list(n) == ["p1"], n
    ev = [e for e in hv1.run("events")["events"] if e["event"] == "resynced"]
    assert len(ev) == 1 and ev[0]["vnid"] == 10 and ev[0]["link"] == "h1", ev
    assert "no longer holds network 10's policy" in ev[0]["text"], ev
    # The switch holds the updated policy: a new VM gets its rate.
    r = hv1.op("create-vm", "10", UUID_B, MAC_B)
    assert r["status"] == "ok" and r["sent"] == ["associate"], r
    assert htb_rates(lab, "p1") == ["90Mbit"]
