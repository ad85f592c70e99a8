# SPDX-License-Identifier: ISC
"""libvdp's station role (vdp-station) against lldpad in the bridge role,
the other open 802.1Qbg implementation, over a veth pair between two
namespaces.  The recipe is ../shared/design/TESTBED.md's: lldpad runs in
its own IPC and mount namespace with a private /dev/shm and config file,
is configured with lldptool (evbmode=bridge) and then restarted, since it
latches its VDP role at start.  lldpad's bridge accepts every request and
knows no policy TLVs, so the network is a plain 802.1Qbg one."""
import json
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import BUILD, START_TIMEOUT, have, need_root, ns_name, sh, stop_proc, wait_for

VDP_STATION = os.path.join(BUILD, "tools", "vdp-station", "vdp-station")


def need_station():
    if not os.path.exists(VDP_STATION):
        pytest.fail(f"{VDP_STATION} not built (Makefile.am includes tools/station.mk?): run tools/build")
UUID = "00112233-4455-6677-8899-aabbccdd0001"
MAC = "52:54:00:aa:bb:01"
# lldpad latches its VDP role from evbmode about a second after it starts
# ("vdp22_create:IF role:1" in its log for the bridge role).
ROLE_TIMEOUT = 30
# LLDP at the default 30 s interval: the first LLDPDU of each side, and
# lldpad's answer to it, on a loaded machine.
LLDP_TIMEOUT = 45
# lldpad's unsolicited De-Associate, ~15.8 s after the station's (its
# keepalive timer re-armed, vdp-protocol(7)), on a loaded machine.
LATE_DEASSOC_TIMEOUT = 40
# A daemon doing what it was just told (lldpd sending, lldpad logging).
LATE = 10


class LldpadLab:
    """br: lldpad as the EVB bridge on b0; hv: vdp-station on h0."""

    def __init__(self, tmp):
        self.br, self.hv = ns_name("vdplb"), ns_name("vdplh")
        self.tmp = tmp
        self.conf = os.path.join(tmp, "lldpad.conf")
        self.lldpad = self.station = self.lldpd = self.lldpd_dir = None
        self.runs = 0
        self.sock = os.path.join(tmp, "station.sock")
        open(self.conf, "w").close()
        try:
            self._build()
        except BaseException:
            self.destroy()
            raise

    def _build(self):
        for ns in (self.br, self.hv):
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "set", "lo", "up", ns=ns)
        sh("ip", "link", "add", "b0", "type", "veth", "peer", "name", "h0", "netns", self.hv, ns=self.br)
        sh("ip", "link", "set", "b0", "up", ns=self.br)
        sh("ip", "link", "set", "h0", "up", ns=self.hv)

    def start_lldpad(self):
        self.runs += 1
        self.lldpad_log = os.path.join(self.tmp, f"lldpad-{self.runs}.log")
        # Line-buffered: the test reads its log as it goes.
        script = f"mount -t tmpfs -o size=1m shm /dev/shm && exec stdbuf -oL -eL lldpad -p -V7 -f {self.conf}"
        self.lldpad = subprocess.Popen(["ip", "netns", "exec", self.br, "unshare", "--ipc", "--mount",
                                        "--propagation", "private", "sh", "-c", script],
                                       stdout=open(self.lldpad_log, "w"), stderr=subprocess.STDOUT)
        wait_for(lambda: sh("lldptool", "-p", ns=self.br, check=False).returncode == 0, START_TIMEOUT,
                 "lldpad's control socket")

    def tool(self, *args):
        return sh("lldptool", "-i", "b0", "-g", "ncb", *args, ns=self.br, check=False)

    def bridge(self):
        """Configures lldpad as an EVB bridge, then restarts it so that the
        VDP role is latched from evbmode."""
        self.start_lldpad()
        self.tool("-L", "adminStatus=rxtx")
        for kv in ("evbmode=bridge", "evbrrcap=yes", "enableTx=yes"):
            assert self.tool("-T", "-V", "evb", "-c", kv).returncode == 0, kv
        stop_proc(self.lldpad)
        self.start_lldpad()
        wait_for(lambda: self.lldpad_said("vdp22_create:b0 role:1"), ROLE_TIMEOUT,
                 "lldpad to take the VDP bridge role")

    def start_station(self, *opts):
        self.station_log = open(os.path.join(self.tmp, "station.log"), "w")
        self.station = subprocess.Popen(["ip", "netns", "exec", self.hv, VDP_STATION, "-s", self.sock,
                                         "daemon", "-f", "-i", "h0", "-m", "vdptest", *opts],
                                        stdout=self.station_log, stderr=subprocess.STDOUT)
        wait_for(lambda: "ready on" in open(self.station_log.name).read() or self.station.poll() is not None,
                 START_TIMEOUT, "vdp-station to start")
        assert self.station.poll() is None, open(self.station_log.name).read()

    def vs(self, *args, rc=0):
        r = subprocess.run([VDP_STATION, "-s", self.sock, "-j", *args], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == rc, f"{args}: exit {r.returncode}\n{r.stdout}{r.stderr}"
        return json.loads(r.stdout)

    def lldpad_said(self, text):
        with open(self.lldpad_log) as f:
            return text in f.read()

    def start_lldpd(self):
        """lldpd on the hypervisor, with its own control socket in a
        directory its unprivileged user can reach (tmp_path is 0700)."""
        self.lldpd_dir = tempfile.mkdtemp(prefix="vdp-station-lldpd-")
        os.chmod(self.lldpd_dir, 0o755)
        self.lldpd_ctl = os.path.join(self.lldpd_dir, "ctl")
        self.lldpd = subprocess.Popen(["ip", "netns", "exec", self.hv, "lldpd", "-d", "-u", self.lldpd_ctl,
                                       "-I", "h0"], stdout=open(os.path.join(self.tmp, "lldpd.log"), "w"),
                                      stderr=subprocess.STDOUT)
        wait_for(lambda: self.lldpcli("show", "configuration").returncode == 0, START_TIMEOUT, "lldpd")
        self.lldpcli("configure", "lldp", "tx-interval", "1")

    def lldpcli(self, *args):
        return sh("lldpcli", "-u", self.lldpd_ctl, *args, ns=self.hv, check=False)

    def lldpd_evb_tlvs(self):
        """The EVB TLVs lldpd sends on h0, as (oui, subtype) pairs."""
        out = json.loads(self.lldpcli("-f", "json0", "show", "interfaces", "ports", "h0",
                                      "details").stdout)
        return [(t["oui"], int(t["subtype"]))
                for lldp in out.get("lldp", []) for i in lldp.get("interface", [])
                for u in i.get("unknown-tlvs", []) for t in u.get("unknown-tlv", [])]

    def destroy(self):
        try:
            for p in (self.station, self.lldpd, self.lldpad):
                stop_proc(p)
        finally:
            if self.lldpd_dir:
                shutil.rmtree(self.lldpd_dir, ignore_errors=True)
            for ns in (self.br, self.hv):
                sh("ip", "netns", "del", ns, check=False)


@pytest.fixture
def llab(tmp_path):
    need_root()
    need_station()
    if not have("lldpad"):
        pytest.skip("lldpad not installed (apt-get install lldpad)")
    lab = LldpadLab(str(tmp_path))
    yield lab
    lab.destroy()


def test_associate_and_deassociate_with_lldpad_bridge(llab):
    llab.bridge()
    llab.start_station()
    llab.vs("create-network", "5", "plain")

    out = llab.vs("create-vm", "5", UUID, MAC)
    r = out["results"][0]
    assert out["ok"] and r["status"] == "ok" and r["stage"] == "associate" and r["error"] == 0
    assert r["sent"] == ["associate"]
    # lldpad's own log: it processed VSI type 5 and answered "response, success".
    wait_for(lambda: llab.lldpad_said("resp_vsi_mode:0 status:0x40"), LATE, "lldpad's answer in its log")
    vm = llab.vs("list", "vms")["vms"][0]
    assert vm["switches"][0]["state"] == "assoc"
    link = llab.vs("list", "links")["links"][0]
    assert link["bridge"] is not None and link["unmatched"] == 0

    # Each side hears the other's EVB TLV: lldpad shows ours (station mode),
    # and ours negotiates from lldpad's (bridge mode).
    wait_for(lambda: "mode:station" in llab.tool("-t", "-n", "-V", "evb").stdout, LLDP_TIMEOUT,
             "lldpad to list the station's EVB TLV")
    wait_for(lambda: llab.vs("list", "links")["links"][0]["bridge_evb"], LLDP_TIMEOUT,
             "the bridge's EVB TLV")
    link = llab.vs("list", "links")["links"][0]
    assert (link["r"], link["rte"], link["rwd"], link["rka"]) == (3, 8, 20, 20)

    out = llab.vs("remove-vm", UUID)
    r = out["results"][0]
    assert out["ok"] and r["status"] == "ok" and r["stage"] == "de-associate"
    assert r["sent"] == ["de-associate"]
    assert llab.vs("list", "vms")["vms"] == []
    # lldpad's quirk (vdp-protocol(7)): an unsolicited De-Associate ~15.8 s
    # later for the VSI already gone.  The station ignores it: no event.
    wait_for(lambda: llab.vs("list", "links")["links"][0]["unmatched"] >= 1, LATE_DEASSOC_TIMEOUT,
             "lldpad's late De-Associate")
    events = [e["event"] for e in llab.vs("events")["events"]]
    assert "deassociated" not in events, events
    assert llab.station.poll() is None


def test_evb_tlv_through_the_hosts_lldpd(llab):
    """--lldp lldpd: the host's lldpd carries the station EVB TLV (the
    daemon sends no LLDPDU of its own) and reports the bridge's."""
    if not have("lldpd"):
        pytest.skip("lldpd not installed (apt-get install lldpd)")
    llab.bridge()
    llab.start_lldpd()
    llab.start_station("--lldp", f"lldpd:{llab.lldpd_ctl}")
    wait_for(lambda: "mode:station" in llab.tool("-t", "-n", "-V", "evb").stdout, LLDP_TIMEOUT,
             "lldpad to hear the station EVB TLV from lldpd")
    assert "nearest customer bridge" in llab.lldpcli("show", "configuration").stdout
    assert llab.lldpd_evb_tlvs() == [("00,80,C2", 13)]
    wait_for(lambda: llab.vs("list", "links")["links"][0]["bridge_evb"], LLDP_TIMEOUT, "the bridge's EVB TLV")
    assert llab.vs("list", "links")["links"][0]["tx_lldp"] == 0
    llab.vs("create-network", "5", "plain")
    assert llab.vs("create-vm", "5", UUID, MAC)["results"][0]["status"] == "ok"
    assert llab.vs("remove-vm", UUID)["results"][0]["status"] == "ok"
    # Stopping the daemon withdraws the TLV from lldpd.
    llab.vs("stop")
    llab.station.wait(LATE)
    assert llab.lldpd_evb_tlvs() == []
