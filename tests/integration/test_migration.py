# SPDX-License-Identifier: ISC
"""Migration services on the host kernel: vdpd with a real ISC dhcpd (allow
leasequery) reached over a management link, scripted stations, and scapy
for the frames a VM or a server would send through the bridge.

The host kernel has no 802.1Q devices and ISC dhcpd drops VLAN-tagged
frames, so here the VM's lease is pre-seeded in dhcpd's lease file and the
DHCPACK that makes the first binding is written with scapy; the exchange
with real DHCP clients through the bridge (udhcpc, dhcpd serving the VLAN),
the VM's IGMP report and the bridge's mdb are proven on a real kernel in
tests/kernel/scenarios/6x-vdpd-*.sh.  What is real here: vdpd's captures,
its leasequeries and dhcpd's answers, the Help Request exchange with an
independent decoder, the IGMP query on the wire, the nftables rule against
rogue servers, the state file across a restart, and every counter."""
import datetime
import json
import os
import select
import subprocess
import time

import pytest

import vdpwire as w
from conftest import HERE, START_TIMEOUT, VDPCTL, Tcpdump, sh, stop_proc, wait_for

UUID_A = "00000000-0000-0000-0000-00000000006a"
UUID_B = "00000000-0000-0000-0000-00000000006b"
MAC_A = bytes.fromhex("02000000006a")
MAC_B = bytes.fromhex("02000000006b")
VNID, VNID_HELP = 60, 70
IP_A = "10.100.0.50"
SERVER = "192.0.2.2"

PY = "/usr/bin/python3"  # scapy lives there
# vdpd acting on what it was sent (a frame, a VDPDU, a timer) on a loaded
# machine, beyond its nominal time.
LATE = 10
# dhcp.help_timeout: for the station's answer to the Help Request, then
# for the DHCPACK its DHCPREQUEST brings (here sent by a scapy "server"
# once the station has answered); vdpd's default is 5 s.
HELP_TIMEOUT = 10
# One scapy send, the first one including scapy's import (seconds under
# load).
SCAPY_TIMEOUT = 60
# A scapy "server" in a namespace: sends what it is given, one Python
# snippet (JSON-encoded) a line, and answers each with "done" or the error.
SCAPY_SERVER = r"""
import json, sys, traceback
from scapy.all import *
print("ready", flush=True)
for line in sys.stdin:
    try:
        exec(json.loads(line), globals())
        print("done", flush=True)
    except Exception:
        print(json.dumps(traceback.format_exc()), flush=True)
"""


def dhcp_policy(vnid, dhcp=True, igmp=True):
    return w.mgrid() + w.policy(w.POLICY_SYNC, vnid, [
        w.pol_entry(w.POL_DHCP, bytes([int(dhcp)])),
        w.pol_entry(w.POL_IGMP, bytes([int(igmp)]))])


def assoc(vnid, uuid, mac, m_bit=False):
    return w.mgrid() + w.vsi(w.ASSOC, vnid, uuid, [(mac, 0)], status=w.M_BIT if m_bit else 0)


def migrate_out(vnid, uuid, mac):
    """The source's De-Associate (S bit): it releases the VSI, which may then
    migrate back to it (vdp-protocol(7), MIGRATION)."""
    return w.mgrid() + w.vsi(w.DEASSOC, vnid, uuid, [(mac, 0)], status=w.S_BIT)


class Migration:
    """The lab of conftest plus a management link sw:mg0 192.0.2.1 <->
    core:mg1 192.0.2.2, where dhcpd runs."""

    def __init__(self, lab):
        self.lab = lab
        self.dhcpd = None
        self.caps = []
        self.scapies = {}
        sh("ip", "link", "add", "mg0", "type", "veth", "peer", "name", "mg1", "netns", lab.core,
           ns=lab.sw)
        sh("ip", "addr", "add", "192.0.2.1/24", "dev", "mg0", ns=lab.sw)
        sh("ip", "link", "set", "mg0", "up", ns=lab.sw)
        sh("ip", "addr", "add", SERVER + "/24", "dev", "mg1", ns=lab.core)
        sh("ip", "link", "set", "mg1", "up", ns=lab.core)

    def start_dhcpd(self, leases):
        """dhcpd on mg1 with `leases`: [(mac, ip, seconds left)]."""
        t = self.lab.tmp
        with open(f"{t}/dhcpd.conf", "w") as f:
            f.write("authoritative;\nallow leasequery;\ndefault-lease-time 600;\n"
                    "max-lease-time 600;\n"
                    "subnet 192.0.2.0 netmask 255.255.255.0 { }\n"
                    "subnet 10.100.0.0 netmask 255.255.255.0 { range 10.100.0.50 10.100.0.59; }\n")
        now = datetime.datetime.now(datetime.timezone.utc)

        def stamp(d):
            return d.strftime("%w %Y/%m/%d %H:%M:%S")
        with open(f"{t}/dhcpd.leases", "w") as f:
            for mac, ip, left in leases:
                f.write(f"lease {ip} {{\n  starts {stamp(now - datetime.timedelta(seconds=10))};\n"
                        f"  ends {stamp(now + datetime.timedelta(seconds=left))};\n"
                        f"  cltt {stamp(now - datetime.timedelta(seconds=10))};\n"
                        "  binding state active;\n  next binding state free;\n"
                        f"  hardware ethernet {mac.hex(':')};\n}}\n")
        with open(f"{t}/dhcpd.log", "w") as log:
            self.dhcpd = self.lab.spawn(
                ["ip", "netns", "exec", self.lab.core, "dhcpd", "-4", "-f", "-d", "-cf",
                 f"{t}/dhcpd.conf", "-lf", f"{t}/dhcpd.leases", "-pf", f"{t}/dhcpd.pid", "mg1"],
                stdout=log, stderr=subprocess.STDOUT)
        end = time.monotonic() + START_TIMEOUT
        while time.monotonic() < end and self.dhcpd.poll() is None:
            if "Server starting service" in self.dhcpd_text():
                return
            time.sleep(0.05)
        raise AssertionError("dhcpd did not start:\n" + self.dhcpd_text())

    def dhcpd_text(self):
        with open(f"{self.lab.tmp}/dhcpd.log") as f:
            return f.read()

    def stop_dhcpd(self):
        stop_proc(self.dhcpd)

    def capture(self, ns, iface, name, flt):
        """tcpdump into a file until stop_captures(); returns the path.
        Immediate mode: without it libpcap hands frames over a buffer at a
        time (or after a second), and tcpdump stopped meanwhile drops them."""
        path = f"{self.lab.tmp}/{name}.pcap"
        self.caps.append(Tcpdump(self.lab.spawn, ns, iface, path, flt))
        return path

    def stop_captures(self, until=None):
        """until: {path: condition on its frames} to wait for first (see
        Tcpdump.stop)."""
        for c in self.caps:
            c.stop((until or {}).get(c.path))
        self.caps = []

    def scapy(self, ns, code):
        """Runs code (scapy imported) in namespace ns, through one scapy
        process per namespace, started at the first use: scapy's import
        takes seconds on a loaded machine, more than some of vdpd's timers
        leave."""
        p = self.scapies.get(ns)
        if p is None:
            p = self.scapies[ns] = self.lab.spawn(["ip", "netns", "exec", ns, PY, "-c", SCAPY_SERVER],
                                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                  text=True)
            assert self._line(p) == "ready", "the scapy server did not start"
        p.stdin.write(json.dumps(code) + "\n")
        p.stdin.flush()
        ans = self._line(p)
        assert ans == "done", json.loads(ans) if ans.startswith('"') else ans

    def _line(self, p):
        r, _, _ = select.select([p.stdout], [], [], SCAPY_TIMEOUT)
        assert r, f"no answer from the scapy server within {SCAPY_TIMEOUT} s"
        return p.stdout.readline().strip()

    def ack_to_vm(self, mac, ip, lease, vid=100):
        """A DHCPACK from the uplink (the server side) towards the VM."""
        self.scapy(self.lab.core, f"""
sendp(Ether(src='02:00:00:00:0c:0c', dst='{mac.hex(':')}') / Dot1Q(vlan={vid}) /
      IP(src='10.100.0.1', dst='{ip}') / UDP(sport=67, dport=68) /
      BOOTP(op=2, chaddr=bytes.fromhex('{mac.hex()}'), yiaddr='{ip}', xid=7) /
      DHCP(options=[('message-type', 'ack'), ('server_id', '10.100.0.1'),
                    ('lease_time', {lease}), 'end']), iface='c0', verbose=False)""")

    def bindings(self):
        return self.lab.vdpctl("show", "bindings")

    def wait_for(self, cond, what, secs=LATE):
        t0 = time.monotonic()
        while time.monotonic() - t0 < secs:
            b = self.bindings()
            if cond(b):
                return b, time.monotonic() - t0
            time.sleep(0.05)
        raise AssertionError(f"{what} within {secs} s; bindings: {json.dumps(self.bindings())}")

    def destroy(self):
        """The processes are the lab's: it stops them."""
        for p in self.scapies.values():
            p.stdin.close()


@pytest.fixture
def mig(lab):
    m = Migration(lab)
    yield m
    m.destroy()


def conf(extra=""):
    return f"""
dhcp = {{ mode = "leasequery"; server = "{SERVER}"; timeout = 300; retries = 2;
         help_timeout = {HELP_TIMEOUT * 1000}; vnids = ( {{ vnid = {VNID_HELP}; mode = "help"; }} ); }};
igmp = {{ version = 2; max_response = 5; }};
lldp = {{ enabled = false; }};
{extra}
"""


def station(lab, ns, iface, pdu):
    resp = lab.station(ns, iface, pdu)
    assert resp["acked"], resp
    return [t for t in resp["tlvs"] if t["type"] != w.MGRID]


def one(lab, ns, iface, pdu):
    tlvs = station(lab, ns, iface, pdu)
    assert len(tlvs) == 1 and tlvs[0]["status"] & 0x0F == 0, tlvs
    return tlvs[0]


def rows(b, mac):
    return [r for r in b["bindings"] if r["mac"] == mac.hex(":")]


def read_pcap(path):
    out = sh(PY, "-c", f"""
import json
from scapy.all import rdpcap, Dot1Q, IP, BOOTP, DHCP, UDP
res = []
for p in rdpcap('{path}'):
    d = {{'vid': p[Dot1Q].vlan if Dot1Q in p else None, 'dst': p.dst, 'src': p.src}}
    if IP in p:
        d.update(ip_src=p[IP].src, ip_dst=p[IP].dst, proto=p[IP].proto, ttl=p[IP].ttl,
                 options=[o.option for o in p[IP].options])
        if p[IP].proto == 2:
            raw = bytes(p[IP].payload)[:p[IP].len - 4 * p[IP].ihl]  # no Ethernet padding
            d.update(igmp_type=raw[0], max_resp=raw[1], igmp_len=len(raw),
                     group='.'.join(str(x) for x in raw[4:8]))
        if BOOTP in p:
            opts = dict(o for o in p[DHCP].options if isinstance(o, tuple))
            d.update(op=p[BOOTP].op, type=opts.get('message-type'), giaddr=p[BOOTP].giaddr,
                     ciaddr=p[BOOTP].ciaddr, chaddr=p[BOOTP].chaddr[:6].hex(':'),
                     sport=p[UDP].sport, dport=p[UDP].dport, lease=opts.get('lease_time'))
    res.append(d)
print(json.dumps(res))
""")
    return json.loads(out.stdout)


def test_leasequery_move_with_real_dhcpd(lab, mig):
    mig.start_dhcpd([(MAC_A, IP_A, 600)])
    lab.start(conf())
    one(lab, lab.hv1, "h1", dhcp_policy(VNID))
    one(lab, lab.hv1, "h1", assoc(VNID, UUID_A, MAC_A))
    # The server's DHCPACK on its way to the VM through p1: a binding.
    mig.ack_to_vm(MAC_A, IP_A, 3600)
    before, _ = mig.wait_for(lambda b: rows(b, MAC_A), "a binding from the snooped DHCPACK")
    r = rows(before, MAC_A)[0]
    assert (r["port"], r["ip"], r["vlan"], r["vnid"], r["vsiid"], r["source"], r["state"]) == \
        ("p1", IP_A, 100, VNID, UUID_A, "snooped", "bound")
    assert 3590 <= r["lease"] <= 3600
    print("\nbefore the migration:\n" + sh(VDPCTL, "-s", lab.ctl, "show", "bindings").stdout)

    lq = mig.capture(lab.sw, "mg0", "lq", "udp port 67")
    q = mig.capture(lab.hv2, "h2", "q2", "igmp or (vlan and igmp)")
    t0 = time.monotonic()
    one(lab, lab.hv2, "h2", assoc(VNID, UUID_A, MAC_A, m_bit=True))
    after, took = mig.wait_for(lambda b: rows(b, MAC_A)[0]["port"] == "p2" and
                               b["lq_active"] == 2, "the binding on p2 after the leasequeries")
    r = rows(after, MAC_A)[0]
    assert (r["port"], r["ip"], r["source"], r["state"]) == ("p2", IP_A, "leasequery", "bound")
    # dhcpd's lease (600 s, a few gone), not the snooped ACK's 3600
    assert 560 <= r["lease"] <= 600, r
    assert after["lq_active"] == 2 and after["lq_sent"] == 2 and after["migrations"] == 1
    print("after the migration (%.2f s):\n" % (time.monotonic() - t0) +
          sh(VDPCTL, "-s", lab.ctl, "show", "bindings").stdout)
    # The second IGMP query goes 1 s after the first: wait for vdpd to have
    # sent it, then for both queries and the leasequery exchange (two
    # queries, two answers) to be in the captures.
    mig.wait_for(lambda b: b["igmp_queries"] == 2, "vdpd's second IGMP query", secs=1 + LATE)
    mig.stop_captures(until={lq: lambda fr: len(fr) >= 4,
                             q: lambda fr: len(igmp_queries(fr)) >= 2})

    frames = read_pcap(lq)
    queries = [f for f in frames if f.get("type") == 10]
    answers = [f for f in frames if f.get("type") == 13]
    assert len(queries) == 2 and len(answers) == 2, frames
    by_mac = [f for f in queries if f["ciaddr"] == "0.0.0.0"][0]
    by_ip = [f for f in queries if f["ciaddr"] == IP_A][0]
    assert by_mac["chaddr"] == MAC_A.hex(":") and by_mac["giaddr"] == "192.0.2.1"
    assert by_ip["giaddr"] == "192.0.2.1"
    assert all(f["ip_dst"] == SERVER and f["sport"] == 67 and f["dport"] == 67 for f in queries)
    assert all(f["ip_dst"] == "192.0.2.1" and f["dport"] == 67 and f["ciaddr"] == IP_A
               for f in answers)
    assert mig.dhcpd_text().count("DHCPLEASEACTIVE to 192.0.2.1") == 2

    igmp = [f for f in read_pcap(q) if f.get("igmp_type") == 0x11]  # not the netns' reports
    # igmp.queries = 2, 1 s apart.  (A capture without immediate mode, stopped
    # half a second after the second query, used to lose it on a loaded
    # machine: libpcap had not handed it to tcpdump yet.)
    assert len(igmp) == 2, igmp
    for f in igmp:
        assert (f["vid"], f["dst"], f["ip_src"], f["ip_dst"], f["igmp_type"], f["max_resp"],
                f["igmp_len"], f["group"], f["ttl"]) == \
            (100, "01:00:5e:00:00:01", "0.0.0.0", "224.0.0.1", 0x11, 5, 8, "0.0.0.0", 1), f
        assert 20 in f["options"]  # router alert (scapy's option number)
    assert mig.bindings()["igmp_queries"] == 2


def igmp_queries(frames):
    """The IGMP queries (type 0x11) among captured frames, VLAN-tagged or
    not, read without scapy."""
    out = []
    for _, f in frames:
        off = 16 if f[12:14] == b"\x81\x00" else 12
        if f[off:off + 2] != b"\x08\x00" or len(f) < off + 2 + 20 or f[off + 2 + 9] != 2:
            continue
        ihl = (f[off + 2] & 0x0F) * 4
        if len(f) > off + 2 + ihl and f[off + 2 + ihl] == 0x11:
            out.append(f)
    return out


# vdpd sends a migrated VM's leasequeries and first IGMP query as soon as
# it has answered the Associate: nothing of either in this long says it
# sent none.
NOTHING_WINDOW = 1.5


def test_new_vm_gets_nothing(lab, mig):
    mig.start_dhcpd([(MAC_A, IP_A, 600)])
    lab.start(conf())
    one(lab, lab.hv1, "h1", dhcp_policy(VNID))
    lq = mig.capture(lab.sw, "mg0", "lq", "udp port 67")
    q = mig.capture(lab.hv1, "h1", "q1", "igmp or (vlan and igmp)")
    one(lab, lab.hv1, "h1", assoc(VNID, UUID_A, MAC_A))  # M = 0: a new VM
    time.sleep(NOTHING_WINDOW)
    mig.stop_captures()
    assert read_pcap(lq) == []
    assert [f for f in read_pcap(q) if f.get("igmp_type") == 0x11] == []  # no query
    b = mig.bindings()
    assert b["migrations"] == 0 and b["lq_sent"] == 0 and b["igmp_queries"] == 0
    assert "DHCPLEASEQUERY" not in mig.dhcpd_text()
    # The block of DHCP servers behind the VM is there all the same.
    assert ("p1", 100, "02:00:00:00:00:6a") in lab.vsi_facts("dhcp_blocks")


def test_dhcp_server_down(lab, mig):
    mig.start_dhcpd([(MAC_A, IP_A, 600)])
    lab.start(conf())
    one(lab, lab.hv1, "h1", dhcp_policy(VNID))
    one(lab, lab.hv1, "h1", assoc(VNID, UUID_A, MAC_A))
    mig.ack_to_vm(MAC_A, IP_A, 3600)
    mig.wait_for(lambda b: rows(b, MAC_A), "a binding")
    mig.stop_dhcpd()  # its host answers ICMP port unreachable
    one(lab, lab.hv2, "h2", assoc(VNID, UUID_A, MAC_A, m_bit=True))
    b, _ = mig.wait_for(lambda b: b["lq_server_down"] == 2, "two leasequeries refused")
    assert b["lq_sent"] == 2 and b["lq_active"] == 0, b  # each sent, each got its ICMP error
    r = rows(b, MAC_A)[0]
    assert (r["port"], r["ip"], r["state"]) == ("p1", IP_A, "unverified"), r  # kept
    assert "unreachable: Connection refused" in lab.logtext()
    # Then a server host that answers nothing at all: retransmissions, timeout.
    sent = b["lq_sent"]
    sh("ip", "link", "set", "mg1", "down", ns=lab.core)
    one(lab, lab.hv1, "h1", migrate_out(VNID, UUID_A, MAC_A))
    one(lab, lab.hv1, "h1", assoc(VNID, UUID_A, MAC_A, m_bit=True))
    b, took = mig.wait_for(lambda b: b["lq_timeout"] == 2, "two leasequery timeouts")
    assert b["lq_sent"] - sent == 6 and 0.8 <= took <= 3, (b, took)  # 3 tries x 300 ms
    assert rows(b, MAC_A)[0]["state"] == "unverified"
    assert lab.alive()
    assert lab.vdpctl("show", "vsis")["vsis"][0]["port"] == "p1"  # VDP went on


def test_help_request_then_ack(lab, mig):
    lab.start(conf())
    one(lab, lab.hv1, "h1", dhcp_policy(VNID_HELP, igmp=False))
    one(lab, lab.hv1, "h1", assoc(VNID_HELP, UUID_B, MAC_B))
    mig.ack_to_vm(MAC_B, "10.100.0.51", 600)
    mig.wait_for(lambda b: rows(b, MAC_B), "a binding")
    # The station answers the Help Request; a scapy "server" then sends the
    # DHCPACK the station's request brought.
    r = sh(PY, os.path.join(HERE, "migstation.py"), "h2",
           assoc(VNID_HELP, UUID_B, MAC_B, m_bit=True).hex(), "--serve", "1.5", "--helps", "1",
           ns=lab.hv2)
    out = json.loads(r.stdout)
    assert [t for t in out["tlvs"] if t["type"] == w.ASSOC][0]["status"] == 0x40
    assert len(out["helps"]) == 1 and out["answered"] == [True], out
    h = out["helps"][0]
    assert (h["status"], h["flags"], h["fmt"], h["vsiid"], h["mac"], h["vid"], h["ip"]) == \
        (0, 1, 5, UUID_B.replace("-", ""), MAC_B.hex(":"), 100, "10.100.0.51"), h
    b = mig.bindings()
    assert b["help_sent"] == 1 and b["help_answered"] == 1 and b["lq_sent"] == 0
    assert rows(b, MAC_B)[0]["state"] == "verifying"
    mig.ack_to_vm(MAC_B, "10.100.0.51", 900)
    b, _ = mig.wait_for(lambda b: rows(b, MAC_B)[0]["port"] == "p2", "the binding on p2")
    r = rows(b, MAC_B)[0]
    assert (r["source"], r["state"], r["ip"]) == ("help", "bound", "10.100.0.51")
    assert 890 <= r["lease"] <= 900 and b["help_moved"] == 1
    # A station that never answers: counted.
    one(lab, lab.hv1, "h1", migrate_out(VNID_HELP, UUID_B, MAC_B))
    r = sh(PY, os.path.join(HERE, "migstation.py"), "h1",
           assoc(VNID_HELP, UUID_B, MAC_B, m_bit=True).hex(), "--serve", "0", ns=lab.hv1)
    mig.wait_for(lambda b: b["help_timeout"] == 1, "help-timeout", secs=HELP_TIMEOUT + LATE)


def test_rogue_server_reply_dropped(lab, mig):
    lab.start(conf())
    one(lab, lab.hv1, "h1", dhcp_policy(VNID))
    one(lab, lab.hv1, "h1", assoc(VNID, UUID_A, MAC_A))
    seen = mig.capture(lab.core, "c0", "rogue", "udp port 68 or (vlan and udp port 68)")
    # The VM plays DHCP server: an OFFER from its own MAC, in its VLAN.
    mig.scapy(lab.hv1, f"""
sendp(Ether(src='{MAC_A.hex(':')}', dst='ff:ff:ff:ff:ff:ff') / Dot1Q(vlan=100) /
      IP(src='10.100.0.66', dst='255.255.255.255') / UDP(sport=67, dport=68) /
      BOOTP(op=2, chaddr=bytes.fromhex('02000000ffff'), yiaddr='10.100.0.77', xid=9) /
      DHCP(options=[('message-type', 'offer'), 'end']), iface='h1', verbose=False, count=3)""")

    # The VSI is an element of set dhcp_blocks; the one rule looking that
    # set up counts the drops (this VSI is the only one blocked).
    assert lab.vsi_facts("dhcp_blocks") == {("p1", 100, MAC_A.hex(":"))}

    def rule():
        return [o["rule"] for o in lab.nft() if "rule" in o and
                o["rule"].get("comment", "") == "dhcp-block-vsis"][0]

    def dropped():
        return [e["counter"]["packets"] for e in rule()["expr"] if "counter" in e]
    # 3 frames, dropped once per port the bridge would flood them to (p2,
    # up0): once counted, the bridge is done with them.
    wait_for(lambda: dropped() == [6], LATE, f"6 drops (now {dropped()})")
    assert rule()["chain"] == "ctl"
    mig.stop_captures()
    assert read_pcap(seen) == []  # nothing got through the bridge
    b, _ = mig.wait_for(lambda b: b["rogue_server_replies"] == 3, "three rogue replies counted")
    assert "rogue DHCP server" in lab.logtext()
    # The VSI gone, its element goes with it.
    one(lab, lab.hv1, "h1", w.mgrid() + w.vsi(w.DEASSOC, VNID, UUID_A, [(MAC_A, 0)]))
    assert lab.vsi_facts("dhcp_blocks") == set()


def test_bindings_survive_restart_and_text_output(lab, mig):
    lab.start(conf())
    one(lab, lab.hv1, "h1", dhcp_policy(VNID))
    one(lab, lab.hv1, "h1", assoc(VNID, UUID_A, MAC_A))
    mig.ack_to_vm(MAC_A, IP_A, 3600)
    before, _ = mig.wait_for(lambda b: rows(b, MAC_A), "a binding")
    text = sh(VDPCTL, "-s", lab.ctl, "show", "bindings").stdout.splitlines()
    assert text[0].split() == ["PORT", "MAC", "VLAN", "IP", "VNID", "VSIID", "LEASE", "SOURCE",
                               "STATE"]
    assert text[1].split()[:6] == ["p1", MAC_A.hex(":"), "100", IP_A, str(VNID), UUID_A]
    assert text[1].split()[7:] == ["snooped", "bound"]
    assert "lq-timeout: 0" in text and "dhcp-acks: 1" in text
    lab.stop()
    with open(f"{lab.tmp}/state/bindings") as f:
        lines = f.read().splitlines()
    assert lines[0] == "# vdpd DHCP-snooping bindings v1" and len(lines) == 2
    assert lines[1].startswith(f"{MAC_A.hex(':')} 100 {IP_A} p1 ")
    assert not os.path.exists(f"{lab.tmp}/state/bindings.tmp")
    lab.start(conf())
    after = mig.bindings()
    a, b0 = rows(after, MAC_A)[0], rows(before, MAC_A)[0]
    assert {k: a[k] for k in a if k != "lease"} == {k: b0[k] for k in b0 if k != "lease"}
    assert b0["lease"] - 10 <= a["lease"] <= b0["lease"]
    assert "1 restored from" in lab.logtext()
