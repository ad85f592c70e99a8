# SPDX-License-Identifier: ISC
"""The control socket under unprivileged clients (issue 15, item 3): idle
clients are dropped at control.idle_timeout, the last slot is root's, a
member of control.group reads but cannot change state, anyone else cannot
connect; each refusal is counted.  The clients run as nobody (setpriv)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from conftest import HERE, VDPCTL, sh

PEER = os.path.join(HERE, "ctlpeer.py")
IDLE = 5  # control.idle_timeout: the 15 held slots must outlast root's vdpctl
HOLD = 20  # more idle clients than the 16 slots
UUID = "00112233-4455-6677-8899-aabbccdd0001"


def as_user(gid, *args):
    return ["setpriv", "--reuid=nobody", f"--regid={gid}", "--clear-groups", sys.executable, PEER, *args]


@pytest.fixture
def ctl_lab(lab):
    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv (util-linux)")
    # A directory nobody can reach (pytest's own is root's, mode 0700).
    d = tempfile.mkdtemp(prefix="vdpctl-")
    os.chmod(d, 0o755)
    lab.ctl = os.path.join(d, "vdpd.sock")
    lab.control_extra = f'group = "nogroup"; idle_timeout = {IDLE};'
    try:
        lab.start()
        yield lab
    finally:
        lab.stop()
        shutil.rmtree(d, ignore_errors=True)


def counters(lab):
    return lab.vdpctl("show", "counters")["control"]


def ask(gid, lab, request):
    return subprocess.run(as_user(gid, lab.ctl, "ask", request), capture_output=True, text=True, timeout=60)


def test_idle_clients_dropped_and_root_keeps_a_slot(ctl_lab):
    lab = ctl_lab
    st = os.stat(lab.ctl)
    assert st.st_gid == 65534 and st.st_mode & 0o777 == 0o660
    holder = lab.spawn(as_user("nogroup", lab.ctl, "hold", str(HOLD)), stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    # (a) Root gets in at once, while the unprivileged clients hold every
    # slot they may have (the last is kept for root): its first request is
    # answered, and the held ones are not dropped yet.
    c = counters(lab)
    assert c["refused-full"] == HOLD - 15 and c["idle-dropped"] == 0, c
    # (b) vdpd closes the idle ones at the deadline: each ends with nothing
    # said; the five turned away were told why.
    out, _ = holder.communicate(timeout=60)
    got = json.loads(out)
    assert got.count("") == 15, got
    assert [g for g in got if g] == ["error: too many control clients (the last slot is kept for root), "
                                     "try again\n"] * (HOLD - 15)
    c = counters(lab)
    assert c["idle-dropped"] == 15 and c["refused-full"] == HOLD - 15, c


def test_group_reads_others_cannot_connect(ctl_lab):
    lab = ctl_lab
    # (c) In control.group: show works, deassoc is refused with the reason.
    r = ask("nogroup", lab, "show vsis json")
    assert r.returncode == 0 and json.loads(r.stdout)["vsis"] == [], r
    r = ask("nogroup", lab, f"deassoc {UUID}")
    assert r.stdout.startswith("error: permission denied: 'deassoc' changes state, which only root "
                               "or vdpd's own user may do"), r
    # Root's deassoc gets past the permission check (to "no such VSI").
    r = sh(VDPCTL, "-s", lab.ctl, "deassoc", UUID, check=False)
    assert r.returncode != 0 and "permission" not in r.stdout + r.stderr and "VSI" in r.stdout + r.stderr, r
    # Not in the group: the socket file's mode keeps it out...
    r = ask("daemon", lab, "show vsis")
    assert r.returncode == 3 and r.stdout.strip() == "EACCES", r
    # ... and so does vdpd itself when the file is opened to all.
    os.chmod(lab.ctl, 0o666)
    r = ask("daemon", lab, "show vsis")
    assert r.stdout.startswith("error: permission denied: only root, vdpd's own user and members of "
                               "control.group"), r
    c = counters(lab)
    assert c["refused-peer"] == 1 and c["refused-command"] == 1, c
