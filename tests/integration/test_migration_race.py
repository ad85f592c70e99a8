# SPDX-License-Identifier: ISC
"""The migration state table of vdp-protocol(7) (MIGRATION) against two real
vdp-station daemons racing: keepalives at a short period from both
hypervisors while 100 VMs migrate back and forth between them, several at a
time, in the documented order (migrate-in on the destination, then
migrate-out on the source).  A sampler reads the kernel's guards all
the while: every VM's frames must be let in on exactly one bridge port at
every sample, and at the end no VM is lost: each is associated on the host
it last migrated to, in the station's view, in vdpd's tables and in the
kernel.

VDP_RACE_VMS and VDP_RACE_ROUNDS scale it (default 100 VMs, 5 round trips);
VDP_RACE_RKA sets the keepalive exponent.
"""
import json
import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import nft_vsi_facts, sh, wait_for
from test_station import VDP_STATION, Station, need_station

VMS = int(os.environ.get("VDP_RACE_VMS", "100"))
ROUNDS = int(os.environ.get("VDP_RACE_ROUNDS", "5"))
WORKERS = 8
# Keepalive exponent of both sides, VDP_RACE_RKA (default 12: 2^12 x 10 us
# = 41 ms between keepalives of each VM, the ECP ack timeout below): the
# shortest period at which a keepalive does not go before the previous
# one's ack could come, so that nearly every migration has its source's
# keepalive between its two steps (about 1000 of 1000 refused as stale,
# against about 300 at 2^15; beside stress-ng --cpu 4 too).
RKA = int(os.environ.get("VDP_RACE_RKA", "12"))
# A 41 ms ECP ack timeout (2^12 x 10 us): the acks of a bridge busy with
# thousands of keepalives a second on a loaded machine come late, and a
# give-up (no-ack) is the station issue of libvdp(3), not this test's.
RTE = 12
# How long the whole of one phase may take on a loaded machine.
PHASE_TIMEOUT = 600


def uuid(i):
    return f"00000000-0000-4000-8000-{i:012x}"


def mac(i):
    return f"52:54:00:{(i >> 16) & 0xff:02x}:{(i >> 8) & 0xff:02x}:{i & 0xff:02x}"


def guard_ports(lab):
    """{MAC: sorted [port]}: the ports whose guards (elements of set guards
    of table bridge vdpd) let each MAC in."""
    out = sh("nft", "-j", "list", "table", "bridge", "vdpd", ns=lab.sw).stdout
    seen = {}
    for port, _, m in nft_vsi_facts(json.loads(out)["nftables"], "guards"):
        seen.setdefault(m, []).append(port)
    return {k: sorted(v) for k, v in seen.items()}


class Sampler(threading.Thread):
    """Reads the guard rules over and over until stopped; keeps every
    sample in which a VM was let in on a number of ports other than one."""

    def __init__(self, lab, macs):
        super().__init__(daemon=True)
        self.lab, self.macs = lab, macs
        self.samples, self.bad = 0, []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            g = guard_ports(self.lab)
            self.samples += 1
            wrong = {m: g.get(m, []) for m in self.macs if len(g.get(m, [])) != 1}
            if wrong:
                self.bad.append(wrong)

    def stop(self):
        self.halt.set()
        self.join(60)


def cli(st, *args):
    """One vdp-station command; returns (exit status, JSON)."""
    r = subprocess.run([VDP_STATION, "-s", st.sock, "-j", *args],
                       capture_output=True, text=True, timeout=PHASE_TIMEOUT)
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else {})


def test_migration_race_keeps_each_vm_on_one_port(lab):
    need_station()
    lab.start(f"timers = {{ r = 3; rte = {RTE}; rwd = 20; rka = {RKA}; }};", ports="( \"p1\", \"p2\" )")
    timers = f"3,{RTE},20,{RKA}"
    hv = {"p1": Station(lab, lab.hv1, "h1", "hv1", "--timers", timers),
          "p2": Station(lab, lab.hv2, "h2", "hv2", "--timers", timers)}
    for st in hv.values():
        st.run("create-network", "10", "plain")

    ids = range(1, VMS + 1)
    with ThreadPoolExecutor(WORKERS) as pool:
        rcs = list(pool.map(lambda i: cli(hv["p1"], "create-vm", "10", uuid(i), mac(i))[0], ids))
    assert rcs == [0] * VMS, f"creates failed: {VMS - rcs.count(0)}"
    where = {i: "p1" for i in ids}

    def vdpd_ports():
        return {v["vsiid"]: v["port"] for v in lab.vdpctl("show", "vsis")["vsis"]}

    assert vdpd_ports() == {uuid(i): "p1" for i in ids}
    macs = [mac(i) for i in ids]
    sampler = Sampler(lab, macs)
    sampler.start()
    failures = []

    def migrate(i):
        src = where[i]
        dst = "p2" if src == "p1" else "p1"
        rc, out = cli(hv[dst], "migrate-in", "10", uuid(i), mac(i))
        if rc != 0:
            failures.append(("migrate-in", i, out))
            return
        rc, out = cli(hv[src], "migrate-out", uuid(i))
        if rc != 0:
            failures.append(("migrate-out", i, out))
        where[i] = dst

    t0 = time.monotonic()
    try:
        for _ in range(2 * ROUNDS):
            with ThreadPoolExecutor(WORKERS) as pool:
                list(pool.map(migrate, ids))
    finally:
        sampler.stop()
    took = time.monotonic() - t0
    refused = lab.vdpctl("show", "counters")["total"]["reasons"]
    print(f"race: {VMS} VMs x {2 * ROUNDS} migrations in {took:.1f} s; "
          f"{sampler.samples} kernel samples, {len(sampler.bad)} wrong; "
          f"stale keepalives refused (migrated-away): {refused.get('migrated-away')}, "
          f"claims released: {refused.get('released')}, "
          f"keepalive-expired: {refused.get('keepalive-expired')}")
    assert failures == [], failures[:5]
    # The race was run: source keepalives did fall between the two steps.
    assert refused.get("migrated-away", 0) > 0
    assert sampler.samples > 0
    assert sampler.bad == [], sampler.bad[:3]

    # No VM lost: each is associated where it went, in all three views.
    want = {uuid(i): where[i] for i in ids}
    assert vdpd_ports() == want
    g = guard_ports(lab)
    assert {m: g.get(m) for m in macs} == {mac(i): [where[i]] for i in ids}
    for port, st in hv.items():
        vms = {v["vsiid"]: v["switches"][0]["state"] for v in st.run("list", "vms")["vms"]}
        assert vms == {u: "assoc" for u, p in want.items() if p == port}, port
    # Still so after two more keepalives of every VM: nothing stale comes back.
    def keepalives():
        return sum(link["keepalives"] for st in hv.values() for link in st.run("list", "links")["links"])
    k0 = keepalives()
    wait_for(lambda: keepalives() >= k0 + 2 * VMS, PHASE_TIMEOUT, "two more keepalives per VM")
    assert vdpd_ports() == want
    assert refused.get("keepalive-expired", 0) == 0
    assert lab.alive()
