# SPDX-License-Identifier: ISC
"""Fairness between ports, the proof of issue 15: a hostile hypervisor
(hv1) floods its switch port with Associates for made-up VSIs in random
VNIDs and with garbage, as fast as flood-gen (one AF_PACKET socket,
sendmmsg) can, while the other hypervisor (hv2, a vdp-station daemon)
creates and removes 200 VMs, 500 creates in all, in rounds held to the
flood (each begins once the flooding port is held to its frame rate).
hv2 must see no failure, a p99 create latency within twice the quiet
figure (as many creates of 200 other VMs, in quiet rounds that alternate
with the flooded ones), and still get new VLANs; the flooding port stops
at its caps (vdpctl), and every refusal is counted by its reason.

hv2 here is faster than any hypervisor (a create every 0.3 ms, two frames
each to the switch), beyond the default frame budget of a port (2000 a
second, 1024 at once): its port gets a deeper burst, so that what is
measured is the flood's effect on hv2, not hv2's own budget (asserted: p2
was never paused).  The flooding port gets the same burst, which only
makes the flood's bursts harsher.

In the quiet rounds flood-gen goes on as a decoy (the same frames at the
same rate under another EtherType, which vdpd's socket filter drops): on
one host the flooding hypervisor's CPU and the bridge are the switch's
too, and the host's other work (stress-ng, the scheduler moving it off
the flood's CPU) should weigh on both kinds of round alike, so that only
what vdpd does for the flood differs."""
import os
import signal
import time

import pytest

from conftest import BUILD, wait_for
from test_station import need_station, Station
from test_station_loss import ctl, mac, uuid

FLOOD_GEN = os.path.join(BUILD, "tests", "integration", "flood-gen")
VMS = 200
MIN_FRAMES = 500000  # of each kind: Associates and garbage
# hv2's creates, in quiet and flooded rounds that alternate: many short
# rounds, so that whatever else loads the host weighs on both alike, and
# 500 creates of each kind, so that the p99 is not one scheduling hiccup.
ROUNDS, CHUNK = 20, 25
POOL = '[ "100-199" ]'  # 100 VLANs: a port's automatic share is 25


def p99(samples):
    s = sorted(samples)
    return s[max(0, int(len(s) * 0.99) - 1)]


def median(samples):
    return sorted(samples)[len(samples) // 2]


def create_remove(st, base, vnid=10, n=VMS):
    """Creates then removes n VMs on station st, one at a time; returns
    the create latencies (s) and the failed calls."""
    lat, failed = [], []
    for i in range(base, base + n):
        t = time.monotonic()
        rc, out = ctl(st.sock, "create-vm", str(vnid), uuid(i), mac(i))
        lat.append(time.monotonic() - t)
        if rc:
            failed.append(("create", i, out))
    for i in range(base, base + n):
        rc, out = ctl(st.sock, "remove-vm", uuid(i))
        if rc:
            failed.append(("remove", i, out))
    return lat, failed


def cpus():
    """The CPUs for the switch side and for the flooding hypervisor.

    The flooding hypervisor is another machine: its CPU time, and the
    kernel's work in its context (veth transmit, the bridge, the socket
    queues), are not the switch's.  On one host the flood gets a CPU of its
    own, so that hv2's latency measures how vdpd shares itself between
    ports rather than how this host shares its CPUs; with stress-ng beside
    the test every CPU is shared all the same.  One CPU: nothing to split."""
    mine = sorted(os.sched_getaffinity(0))
    if len(mine) < 2:
        return set(mine), set(mine)
    return set(mine[:-1]), {mine[-1]}


@pytest.fixture
def split_cpus():
    """This test's processes, and so vdpd and hv2 it starts, on the
    switch's CPUs; the flood's CPUs for flood-gen (cpus()).  All of them
    (and flood-gen) at a higher priority (nice -10) than the host's other
    work: the switch and the two hypervisors are three machines, the
    figures must not be the scheduler's slices given to stress-ng (a
    quiet round slowed by it is as wrong as a flooded one), and the flood
    must run at full rate when it is on."""
    saved, nice = os.sched_getaffinity(0), os.getpriority(os.PRIO_PROCESS, 0)
    switch, flood = cpus()
    os.sched_setaffinity(0, switch)
    os.setpriority(os.PRIO_PROCESS, 0, -10)
    try:
        yield switch, flood
    finally:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
        os.sched_setaffinity(0, saved)


class Flood:
    """flood-gen in hv1, on h1, on the flood's CPUs."""

    def __init__(self, lab, cpuset):
        self.out = os.path.join(lab.tmp, "flood.out")
        self.proc = lab.spawn(["taskset", "-c", ",".join(map(str, sorted(cpuset))),
                               "ip", "netns", "exec", lab.hv1, FLOOD_GEN, "h1", str(MIN_FRAMES),
                               str(MIN_FRAMES)], stdout=open(self.out, "w"))

    def lines(self):
        with open(self.out) as f:
            return f.read().split("\n")

    def pause(self, lab):
        """Decoy frames from now on (SIGUSR1), then until vdpd has read
        what p1 queued (its receive counters hold still)."""
        self.proc.send_signal(signal.SIGUSR1)
        last = [None]

        def still():
            now, last[0] = p1_rx(lab), p1_rx(lab)
            return now == last[0]
        wait_for(still, 30, "p1's queue to drain", step=0.05)

    def resume(self, lab):
        """ECP frames again (SIGUSR2), then until p1 has spent the frame
        budget it saved while quiet and is held to its rate (rx_pauses
        counts one more): the flood as a flooding station keeps it, until
        the next pause()."""
        before = port(lab, "p1")["rx_pauses"]
        self.proc.send_signal(signal.SIGUSR2)
        wait_for(lambda: port(lab, "p1")["rx_pauses"] > before, 30, "p1 held to its rate",
                 step=0.001)

    def stop(self):
        """SIGTERM; the counts it ends with (assoc, garbage, the two at
        the signal, decoy frames)."""
        assert self.proc.poll() is None, "flood-gen stopped before it was told to"
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(timeout=300) == 0
        last = [l for l in self.lines() if l.startswith("assoc ")][0].split()
        return int(last[1]), int(last[3]), int(last[5]), int(last[6]), int(last[8])


def cpu_s(pid):
    """CPU seconds process pid has run (the scheduler's own figure, in ns:
    the rounds are too short for /proc/PID/stat's clock ticks)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0]) / 1e9


def port(lab, name):
    return [p for p in lab.vdpctl("show", "ports")["ports"] if p["port"] == name][0]


def p1_rx(lab):
    """What reached vdpd on p1: frames read (decoded or not), and dropped
    by the kernel from its full socket."""
    p = port(lab, "p1")
    return (p["rx_pdus"] + p["rx_errors"], p["rx_drops"])


def reasons(lab, name):
    ports = lab.vdpctl("show", "counters")["ports"]
    return [p for p in ports if p["port"] == name][0]


def test_flood_one_port_others_unharmed(lab, split_cpus):
    need_station()
    assert os.path.exists(FLOOD_GEN), f"{FLOOD_GEN} not built: run tools/build"
    # hv2 creates 400 new VMs within seconds (200 quiet, 200 under the
    # flood), more than a port's default burst of new VSIs (256); the
    # flood exceeds any burst.
    lab.start('limits = { new_vsi_burst = 1024; rx_burst = 8192; };', ports='( "p1", "p2" )',
              pool=POOL)
    hv2 = Station(lab, lab.hv2, "h2", "hv2")
    lab.procs.append(hv2.proc)

    for vnid in (10, 20):
        assert ctl(hv2.sock, "create-network", str(vnid), "plain")[0] == 0
    flood = Flood(lab, split_cpus[1])
    # The flooding port reaches its VLAN cap within the first frames.
    at_cap = wait_for(lambda: (lambda p: p["vlans"] == p["max_vlans"] and p)(port(lab, "p1")),
                      60, "p1 at its VLAN cap")
    # Quiet and flooded rounds alternate; each flooded round must see the
    # flood reach vdpd's port while hv2 works (p1's counters move).
    quiet, loud, failed, busy, cpu_used = [], [], [], 0.0, 0.0
    during, flooded = [0, 0], 0
    for r in range(ROUNDS):
        base = r * CHUNK % VMS
        flood.pause(lab)
        lat, bad = create_remove(hv2, base, n=CHUNK)
        quiet += lat
        failed += bad
        flood.resume(lab)
        cpu0, t0, rx0 = cpu_s(lab.vdpd_pid()), time.monotonic(), p1_rx(lab)
        lat, bad = create_remove(hv2, VMS + base, n=CHUNK)
        rx1 = p1_rx(lab)
        loud += lat
        failed += bad
        during = [during[i] + rx1[i] - rx0[i] for i in (0, 1)]
        flooded += rx1[0] > rx0[0]
        busy += time.monotonic() - t0
        cpu_used += cpu_s(lab.vdpd_pid()) - cpu0
    cpu = cpu_used / busy
    # The pool keeps room for the others: hv2 gets a new VLAN for a new VNID.
    rc, out = ctl(hv2.sock, "create-vm", "20", uuid(5000), mac(5000))
    assert rc == 0, out
    n_assoc, n_garbage, *at_stop, n_decoy = flood.stop()

    p1, p2 = port(lab, "p1"), port(lab, "p2")
    c1, c2 = reasons(lab, "p1"), reasons(lab, "p2")
    print(f"\nflood-gen sent {n_assoc} Associates and {n_garbage} garbage frames "
          f"({at_stop[0]} and {at_stop[1]} before it was told to stop, "
          f"{during[0]} read by vdpd and {during[1]} dropped by p1's socket while hv2 created "
          f"and removed its VMs in {flooded}/{ROUNDS} flooded rounds; "
          f"{n_decoy} decoy frames in the quiet rounds)")
    print(f"hv2 create p99: quiet {p99(quiet) * 1000:.1f} ms, under flood {p99(loud) * 1000:.1f} ms")
    print(f"hv2 create slowest: quiet {[round(x * 1000, 1) for x in sorted(quiet)[-4:]]} ms, "
          f"under flood {[round(x * 1000, 1) for x in sorted(loud)[-4:]]} ms")
    print(f"CPUs: vdpd and hv2 {sorted(split_cpus[0])}, the flood {sorted(split_cpus[1])}")
    print(f"vdpd used {cpu * 100:.0f}% of a CPU while hv2 worked under the flood")
    print(f"hv2 create median: quiet {median(quiet) * 1000:.1f} ms, "
          f"under flood {median(loud) * 1000:.1f} ms")
    print(f"p1: vlans {p1['vlans']}/{p1['max_vlans']} vnids {p1['vnids']} vsis {p1['vsis']} "
          f"rx_pdus {p1['rx_pdus']} rx_errors {p1['rx_errors']} rx_drops {p1['rx_drops']} "
          f"rx_pauses {p1['rx_pauses']}; "
          f"refused: port-vlan-limit {c1['reasons']['port-vlan-limit']} "
          f"new-vsi-rate {c1['reasons']['new-vsi-rate']} "
          f"undecodable {c1['reasons']['undecodable']}")
    assert failed == [], failed[:5]
    assert n_assoc >= MIN_FRAMES and n_garbage >= MIN_FRAMES
    # The creates ran under the flood: in every flooded round vdpd read
    # flood frames; the quiet ones beside the decoy.
    assert flooded == ROUNDS
    assert n_decoy > 10 * VMS
    # The flooding port stopped at its caps (it reached them: wait_for
    # above; its VSIs, never kept alive, expire after 16 s and the flood
    # takes their place), what it holds is what it made: a VLAN per VNID
    # (a made-up VSI may by chance name a VNID the port already holds).
    assert p1["max_vlans"] == 25 and at_cap["vlans"] == 25 and at_cap["vnids"] == 25
    assert p1["vlans"] <= 25 and p1["vnids"] == p1["vlans"] <= p1["vsis"]
    assert p2["vlans"] == 1 and p2["vsis"] == 1 and p2["refused"] == 0
    # Every refusal counted by its reason: the cap, then the rate.
    assert c1["reasons"]["port-vlan-limit"] > 0
    assert c1["reasons"]["new-vsi-rate"] > 0
    assert c1["reasons"]["undecodable"] + p1["rx_errors"] > 0
    # The kernel dropped what vdpd did not read: p1 spent its frame budget.
    assert p1["rx_pauses"] > 0 and p1["rx_drops"] > 0 and p2["rx_drops"] == 0
    # hv2 stayed within its own frame budget: its latency is the flood's doing.
    assert p2["rx_pauses"] == 0
    assert sum(c2["reasons"][r] for r in ("port-vlan-limit", "new-vsi-rate", "pool-exhausted")) == 0
    assert lab.alive()
    # The bound of issue 15: hv2's p99 create latency under the flood
    # within twice the quiet figure.
    assert p99(loud) <= 2 * p99(quiet), \
        f"hv2 p99 create latency {p99(loud) * 1000:.1f} ms under the flood, " \
        f"more than twice the quiet {p99(quiet) * 1000:.1f} ms"
