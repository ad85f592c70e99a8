# SPDX-License-Identifier: ISC
"""Hypervisors, vdpd and the kernel agree under frame loss (issue 14): on
both hypervisor links 20% of the ECP frames are dropped in each direction
(nftables netdev egress hooks on both ends of each veth: this host kernel
has no netem, and AF_PACKET taps see received frames before an ingress
hook could drop them), while two vdp-station daemons create VMs in
parallel, migrate some in the documented order (migrate-in on the new
host, then migrate-out on the old one) and remove them all.

At each checkpoint (after the creates, the migrations, the removes) the
VMs each station reports associated, `vdpctl -j show vsis` and vdpd's
guards in the kernel (one element of set guards of table bridge vdpd
per associated VM: "PORT" . VID . MAC) are the same sets; vdpd's keepalive-expired counter counts only VMs a
station reported it gave up (keepalive-failed, lost, cleanup-failed); a
create that failed leaves vdpd holding nothing for it.

The creates and removes are checked as they happen; a migration
checkpoint that fails (vdpd's migration semantics, issue 14 item 1) is
reported at the end, after the removes have been checked.

VDP_LOSS_VMS: VMs per hypervisor (default 500: the issue's 1000 creates);
VDP_LOSS_MIGRATIONS: migrations in all (default 300); VDP_LOSS_PCT: the
loss in percent (default 20); VDP_LOSS_RKA: the keepalive exponent (20)."""
import concurrent.futures as cf
import json
import os
import re
import socket
import time

import pytest

from conftest import Lab, need_root, sh, wait_for
from test_station import need_station, Station

VMS = int(os.environ.get("VDP_LOSS_VMS", "500"))
MIGRATIONS = int(os.environ.get("VDP_LOSS_MIGRATIONS", "300"))
LOSS = int(os.environ.get("VDP_LOSS_PCT", "20"))
VNID = 10
# The keepalive exponent, VDP_LOSS_RKA (default 20: every 10.5 s, vdpd's
# timeout 15.8 s; the VMs are held for KEEPALIVES rounds after the creates,
# under loss).  Keepalives must stay within what a lossy ECP link carries:
# at 18 (2.6 s) 500 VMs a link overload it on a busy 2-CPU machine.
RKA = int(os.environ.get("VDP_LOSS_RKA", "20"))
TIMERS = f"3,8,20,{RKA}"
KEEPALIVES = 3
# Calls in flight per station (its daemon serves 32 clients at a time).
PARALLEL = 12
# One operation's result: 1.25 response waits (15.8 s) at most after its
# request first went out, plus its wait in the ECP queue and a loaded
# machine.
OP_TIMEOUT = 120
# The three views agreeing once every operation has its result: what is
# left are keepalives and their retries (a quarter response wait apart),
# vdpd's kernel batches, and a loaded machine.
SETTLE = 60


def uuid(i):
    return f"00000000-0000-4000-8000-{i:012x}"


def mac(i):
    return "52:54:00:%02x:%02x:%02x" % ((i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF)


def ctl(sock, *words):
    """One command on a vdp-station daemon's control socket (the protocol
    of tools/vdp-station/vdp-station.h, which the CLI speaks too): the
    exit status and the JSON answer.  Used instead of one CLI process per
    VM to keep a thousand calls cheap."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(OP_TIMEOUT)
        s.connect(sock)
        s.sendall(("json\n" + "".join(w + "\n" for w in words) + "\n").encode())
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    head, _, body = data.decode().partition("\n")
    return int(head), json.loads(body)


def loss_rules(lab, pct):
    """Drops pct% of the ECP frames leaving each end of the hypervisor
    links: the stations' h1, h2 and the switch's p1, p2 (what vdpd sends
    out of them)."""
    for ns, dev in ((lab.hv1, "h1"), (lab.hv2, "h2"), (lab.sw, "p1"), (lab.sw, "p2")):
        sh("nft", "-f", "-", ns=ns, input=f"""
table netdev loss {{
  chain {dev} {{
    type filter hook egress device "{dev}" priority 0;
    ether type 0x8940 numgen random mod 100 < {pct} counter drop;
  }}
}}
""")


def dropped(lab):
    n = 0
    for ns in (lab.hv1, lab.hv2, lab.sw):
        out = json.loads(sh("nft", "-j", "list", "table", "netdev", "loss", ns=ns).stdout)
        for o in out["nftables"]:
            for e in o.get("rule", {}).get("expr", []):
                if "counter" in e:
                    n += e["counter"]["packets"]
    return n


class Views:
    """What each side says is associated, as {port: {mac}}."""

    def __init__(self, lab, stations, macs):
        self.lab, self.stations, self.macs = lab, stations, macs

    def station(self):
        out, pending = {}, 0
        for port, st in self.stations.items():
            vms = ctl(st.sock, "list", "vms")[1]["vms"]
            states = [v["switches"][0]["state"] for v in vms]
            pending += states.count("pending")
            out[port] = {v["mac"] for v in vms if v["switches"][0]["state"] == "assoc"}
        return out, pending

    def vdpd(self):
        out = {p: set() for p in self.stations}
        for v in self.lab.vdpctl("show", "vsis")["vsis"]:
            if v["state"] == "assoc":
                out.setdefault(v["port"], set()).add(self.macs[v["vsiid"]])
        return out

    def kernel(self):
        out = {p: set() for p in self.stations}
        for port, _, m in self.lab.vsi_facts("guards"):
            out.setdefault(port, set()).add(m)
        return out

    def diff(self):
        """None when the three agree (and nothing is pending), else why not."""
        st, pending = self.station()
        vd, kn = self.vdpd(), self.kernel()
        if st == vd == kn and not pending:
            return None
        out = [f"{pending} pending"] if pending else []
        for p in sorted(set(st) | set(vd) | set(kn)):
            s, v, k = st.get(p, set()), vd.get(p, set()), kn.get(p, set())
            if s != v or v != k:
                out.append(f"{p}: station-only {sorted(s - v)[:5]} vdpd-only {sorted(v - s)[:5]} "
                           f"vdpd-not-kernel {sorted(v - k)[:5]} kernel-not-vdpd {sorted(k - v)[:5]}")
        return "; ".join(out)

    def agree(self, what):
        """Waits until the three views agree; returns the sets."""
        last = [None]

        def check():
            last[0] = self.diff()
            return last[0] is None
        try:
            wait_for(check, SETTLE, f"the views to agree {what}", step=0.5)
        except AssertionError as e:
            raise AssertionError(f"{e}: {last[0]}") from None
        return self.vdpd()


def reported(st):
    """The VMs a station said it gave up or lost, from its log."""
    out = set()
    for line in st.logtext().splitlines():
        m = re.search(r"VM (\S+) VNID \d+: (keepalive-failed|lost|cleanup-failed):", line)
        if m:
            out.add(m.group(1))
    return out


def expired(lab):
    return {m.group(1) for m in re.finditer(r"VSI (\S+) de-associated from VNID \d+: keepalive timeout",
                                            lab.logtext())}


def run_all(pool, calls):
    """Runs calls [(sock, words)] on a pool; returns their answers in order."""
    return list(pool.map(lambda c: ctl(c[0], *c[1]), calls))


# Room for every VM on either port (the lab's p1 has 8 VSIs, p2 vdpd's
# default 256).
BIG_PORTS = '( { name = "p1"; max_vsis = 4096; }, { name = "p2"; max_vsis = 4096; } )'


class Checks:
    """The checkpoints' outcomes, each asserted by its own test: a phase
    that fails (the migrations, until vdpd's item 1) does not hide how
    the others went."""

    def __init__(self):
        self.failures = {}

    def check(self, name, fn):
        try:
            fn()
        except AssertionError as e:
            self.failures.setdefault(name, str(e))


def scenario(lab):
    """The whole run; returns (figures, checks)."""
    lab.start(f"timers = {{ r = 3; rte = 8; rwd = 20; rka = {RKA}; }};", ports=BIG_PORTS)
    hv = {"p1": Station(lab, lab.hv1, "h1", "hv1", "--timers", TIMERS),
          "p2": Station(lab, lab.hv2, "h2", "hv2", "--timers", TIMERS)}
    for st in hv.values():
        assert ctl(st.sock, "create-network", str(VNID), "plain")[0] == 0
    loss_rules(lab, LOSS)
    ids = {"p1": list(range(VMS)), "p2": list(range(VMS, 2 * VMS))}
    macs = {uuid(i): mac(i) for i in range(2 * VMS)}
    views = Views(lab, hv, macs)
    checks = Checks()
    figures = {"ok": 0, "failed": 0, "refused": 0, "resends": 0, "retransmits": 0, "phantoms": 0}
    failed = set()

    def count(out):
        for r in out.get("results", []):
            figures["resends"] += r["resends"]
            figures["retransmits"] += r["retransmits"]
            figures["refused"] += r["status"] == "refused"

    def agree(name):
        held = {}

        def fn():
            held.update(views.agree(name))
        checks.check(name, fn)
        st, _ = views.station()
        vd = views.vdpd()
        figures["phantoms"] = max(figures["phantoms"],
                                  sum(len(vd.get(p, set()) - st.get(p, set())) for p in vd))
        return held or vd

    t0 = time.monotonic()
    # --- 1. creates, both hypervisors in parallel -------------------------------
    order = [(p, i) for p in ids for i in ids[p]]
    with cf.ThreadPoolExecutor(2 * PARALLEL) as pool:
        answers = run_all(pool, [(hv[p].sock, ["create-vm", str(VNID), uuid(i), mac(i)])
                                 for p, i in order])
    for (rc, out), (_, i) in zip(answers, order):
        count(out)
        figures["ok" if rc == 0 else "failed"] += 1
        if rc:
            failed.add(uuid(i))
    t_create = time.monotonic() - t0
    held = agree("creates")
    want = {macs[uuid(i)] for _, i in order} - {macs[u] for u in failed}

    def created():
        # Failed creates leave vdpd holding nothing (the station's own
        # De-Associate is through once the views agree); the rest are held.
        assert figures["refused"] == 0, "refusals: the lab's vdpd.conf is too small"
        assert held.get("p1", set()) | held.get("p2", set()) == want
    checks.check("creates", created)

    # Held for a few keepalive rounds under loss: the views still agree.
    def keepalives():
        return sum(l["keepalives"] for st in hv.values()
                   for l in ctl(st.sock, "list", "links")[1]["links"])
    checks.check("keepalives", lambda: wait_for(
        lambda: keepalives() >= KEEPALIVES * len(want), KEEPALIVES * 2 ** RKA * 1e-5 + SETTLE,
        f"{KEEPALIVES} keepalives per VM", step=0.5))
    held = agree("keepalives")
    checks.check("keepalives", lambda: _assert(
        held.get("p1", set()) | held.get("p2", set()) == want, "VMs lost during the keepalives"))

    # --- 2. migrations: migrate-in on the new host, then migrate-out ----------------
    where = {uuid(i): p for p, i in order if uuid(i) not in failed}
    step = max(1, (2 * VMS) // max(1, MIGRATIONS))
    movers = [u for u in sorted(where) if int(u[-12:], 16) % step == 0][:MIGRATIONS]
    other = {"p1": "p2", "p2": "p1"}

    def migrate(u):
        src, dst = where[u], other[where[u]]
        a = ctl(hv[dst].sock, "migrate-in", str(VNID), u, macs[u])
        return u, dst, a, ctl(hv[src].sock, "migrate-out", u)
    with cf.ThreadPoolExecutor(2 * PARALLEL) as pool:
        for u, dst, (rc_in, out_in), (_, out_out) in pool.map(migrate, movers):
            count(out_in)
            count(out_out)
            if rc_in == 0:
                where[u] = dst
            else:
                del where[u]  # the new host forgot it, the old one removed it
    held = agree("migrations")

    def migrated():
        wrong = [u for u in movers if u in where and macs[u] not in held.get(where[u], set())]
        assert not wrong, f"{len(wrong)} migrated VMs not on their new port: {wrong[:5]}"
        # The old host's keepalive (no M bit) must not have moved a
        # migrated VSI back to its old port (vdpd logs every move).
        back = [m.group(1) for m in re.finditer(r"VSI (\S+) moved from port \S+ to \S+$",
                                                lab.logtext(), re.M)]
        assert not back, f"{len(back)} VSIs moved back without the M bit: {back[:5]}"
    checks.check("migrations", migrated)

    # --- 3. removes ----------------------------------------------------------------------
    with cf.ThreadPoolExecutor(2 * PARALLEL) as pool:
        for _, out in run_all(pool, [(hv[p].sock, ["remove-vm", u]) for u, p in where.items()]):
            count(out)
    held = agree("removes")
    checks.check("removes", lambda: _assert(
        not held.get("p1") and not held.get("p2") and lab.vdpctl("show", "vsis")["vsis"] == [],
        f"vdpd still holds VSIs: {lab.vdpctl('show', 'vsis')['vsis'][:5]}"))

    # --- keepalive expiry only for what a station reported ----------------------------
    exp = expired(lab)
    rep = reported(hv["p1"]) | reported(hv["p2"])
    counters = lab.vdpctl("show", "counters")["total"]["reasons"]

    def expiry():
        assert counters.get("keepalive-expired", 0) == len(exp)
        assert set(exp) <= rep, f"vdpd timed out VMs no station reported: {sorted(set(exp) - rep)[:10]}"
    checks.check("expiry", expiry)
    links = [l for st in hv.values() for l in ctl(st.sock, "list", "links")[1]["links"]]
    figures.update(
        creates=2 * VMS, migrations=len(movers), dropped_frames=dropped(lab),
        link_resends=sum(l["resends"] for l in links), given_up=sum(l["given_up"] for l in links),
        late_acks=sum(l["late_acks"] for l in links),
        keepalive_expired=counters.get("keepalive-expired", 0), reported=len(rep),
        create_s=round(t_create, 1), total_s=round(time.monotonic() - t0, 1))
    print("\nloss test figures:", json.dumps(figures))
    print("loss test checkpoints failed:", json.dumps(checks.failures))
    return figures, checks


def _assert(cond, msg):
    assert cond, msg


@pytest.fixture(scope="module")
def loss_run(tmp_path_factory):
    """One run of the scenario for the tests below (it takes a minute)."""
    need_root()
    need_station()
    lab = Lab(str(tmp_path_factory.mktemp("loss")))
    try:
        yield scenario(lab)
    finally:
        lab.destroy()


def test_lossy_links_still_carry_and_lose_frames(loss_run):
    figures, _ = loss_run
    assert figures["dropped_frames"] > 0 and figures["retransmits"] > 0
    assert figures["ok"] + figures["failed"] == 2 * VMS


def test_creates_leave_one_view(loss_run):
    assert "creates" not in loss_run[1].failures, loss_run[1].failures.get("creates")


def test_keepalives_under_loss_lose_nothing(loss_run):
    assert "keepalives" not in loss_run[1].failures, loss_run[1].failures.get("keepalives")


def test_migrations_leave_one_view(loss_run):
    assert "migrations" not in loss_run[1].failures, loss_run[1].failures.get("migrations")


def test_removes_leave_nothing(loss_run):
    assert "removes" not in loss_run[1].failures, loss_run[1].failures.get("removes")


def test_vdpd_times_out_only_reported_vms(loss_run):
    assert "expiry" not in loss_run[1].failures, loss_run[1].failures.get("expiry")
    assert loss_run[0]["phantoms"] == 0
