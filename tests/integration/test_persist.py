# SPDX-License-Identifier: ISC
"""vdpd's tables survive a crash (issue 13, vdpd(8) STATE): VSIs, a VNID's
synced policy list and its VLAN come back from the state directory after
kill -9, before any station keepalive, and the kernel holds them again;
a torn journal loads its valid prefix and says where it was cut."""
import os
import signal
import time

from conftest import wait_for
from test_migration_race import mac, uuid
from test_station import POLICY, htb_rates, rule_text, stations, vnids, vsis  # noqa: F401

PORTS = '( { name = "p1"; bandwidth = 100000; }, "p2" )'
LIMITS = "limits = { port_vlans = 4094; new_vsi_rate = 1000; new_vsi_burst = 1000; };"
# Keepalives 42 s apart: none reaches the restarted vdpd during a test.
TIMERS = ("--timers", "3,8,20,22")
NVMS = 50


def table_view(lab):
    """The tables as vdpctl shows them, without the keepalive countdown."""
    vs = {k: {f: x for f, x in v.items() if f != "expires"} for k, v in vsis(lab).items()}
    return vs, vnids(lab)


def crash_and_restart(lab):
    pid = lab.vdpd_pid()
    os.kill(pid, signal.SIGKILL)
    lab.proc.wait(timeout=10)
    lab.log.close()
    os.rename(os.path.join(lab.tmp, "vdpd.log"), os.path.join(lab.tmp, "vdpd-before-crash.log"))
    lab.start(LIMITS, ports=PORTS)


def test_tables_and_kernel_survive_kill_9(lab, stations):  # noqa: F811
    lab.start(LIMITS, ports=PORTS)
    hv1 = stations(lab.hv1, "h1", "hv1", *TIMERS)
    hv1.run("create-network", "10", *POLICY)
    for i in range(NVMS):
        assert hv1.op("create-vm", "10", uuid(i), mac(i))["status"] == "ok"
    before = table_view(lab)
    assert len(before[0]) == NVMS and before[1][10]["synced"], before[1]
    guards, rates = lab.vsi_facts("guards"), htb_rates(lab, "p1")
    assert len(guards) == NVMS and rates == ["50Mbit"] * NVMS, (guards, rates)
    assert '"dport"' in rule_text(lab)

    t0 = time.monotonic()
    crash_and_restart(lab)
    assert f"state: {NVMS} VSIs, 1 VNIDs (1 synced), 1 VLANs restored from {lab.tmp}/state" \
        in lab.logtext(), lab.logtext()
    assert table_view(lab) == before
    wait_for(lambda: lab.vsi_facts("guards") == guards, 5, "the guards programmed again")
    assert htb_rates(lab, "p1") == rates
    assert '"dport"' in rule_text(lab)
    # Before any keepalive could have brought a VSI back.
    assert time.monotonic() - t0 < 20
    assert "keepalive" not in lab.logtext()
    # The policy is still synced: an update needs no re-sync.
    r = hv1.op("update-policy", "10", "bandwidth=90000", "acl=permit,tcp,dport=80")
    assert r["status"] == "ok" and r["sent"] == ["policy-update"], r
    assert htb_rates(lab, "p1") == ["90Mbit"] * NVMS


def test_torn_journal_loads_its_valid_prefix(lab, stations):  # noqa: F811
    lab.start(LIMITS, ports=PORTS)
    hv1 = stations(lab.hv1, "h1", "hv1", *TIMERS)
    hv1.run("create-network", "10", *POLICY)
    assert hv1.op("create-vm", "10", uuid(1), mac(1))["status"] == "ok"
    assert hv1.op("create-vm", "10", uuid(2), mac(2))["status"] == "ok"
    journal = os.path.join(lab.tmp, "state", "state.journal")
    pid = lab.vdpd_pid()
    os.kill(pid, signal.SIGKILL)
    lab.proc.wait(timeout=10)
    # The last record (VM 2's) cut short, as a crash inside its write would.
    size = os.path.getsize(journal)
    os.truncate(journal, size - 5)
    lab.log.close()
    lab.start(LIMITS, ports=PORTS)
    log = lab.logtext()
    assert f"{journal}: offset " in log and "torn final record of" in log, log
    assert "state: 1 VSIs, 1 VNIDs (1 synced), 1 VLANs restored" in log, log
    assert set(vsis(lab)) == {uuid(1)}
    assert vnids(lab)[10]["synced"]
