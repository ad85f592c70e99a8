"""Fixtures for tests in network namespaces on the host kernel: a switch
namespace with a Linux bridge and vdpd, station namespaces behind veth
ports, and helpers that read back real kernel state."""
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("VDPD_BUILD", os.path.join(TOP, "build"))
VDPD = os.path.join(BUILD, "vdpd", "vdpd")
VDPCTL = os.path.join(BUILD, "tools", "vdpctl", "vdpctl")


def sh(*args, check=True, ns=None, **kw):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def need_root():
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")
    if not os.path.exists(VDPD):
        pytest.fail(f"{VDPD} not built: run tools/build")


class Lab:
    """sw: bridge br0 with ports p1, p2 (stations h1 in hv1, h2 in hv2) and
    uplink up0 (to c0 in core)."""

    def __init__(self, tmp):
        tag = f"{os.getpid() % 10000}"
        self.sw, self.hv1, self.hv2, self.core = (f"vdp{n}{tag}" for n in ("sw", "h1", "h2", "co"))
        self.tmp = tmp
        self.proc = None
        for ns in (self.sw, self.hv1, self.hv2, self.core):
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "set", "lo", "up", ns=ns)
        sh("ip", "link", "add", "br0", "type", "bridge", ns=self.sw)
        for port, peer, ns in (("p1", "h1", self.hv1), ("p2", "h2", self.hv2), ("up0", "c0", self.core)):
            sh("ip", "link", "add", port, "type", "veth", "peer", "name", peer, "netns", ns, ns=self.sw)
            sh("ip", "link", "set", port, "master", "br0", "up", ns=self.sw)
            sh("ip", "link", "set", peer, "up", ns=ns)
        sh("ip", "link", "set", "br0", "up", ns=self.sw)
        self.ctl = os.path.join(tmp, "vdpd.sock")

    def write_conf(self, extra=""):
        path = os.path.join(self.tmp, "vdpd.conf")
        with open(path, "w") as f:
            f.write(f"""
bridge = "br0";
ports = ( {{ name = "p1"; max_vsis = 8; bandwidth = 100000; }}, "p2" );
uplinks = [ "up0" ];
vlans = {{ pool = [ "100-103" ]; reserved = [ 102 ]; }};
device_acls = ( {{ action = "deny"; proto = "tcp"; dst = "192.0.2.0/24"; dport = "23"; }} );
state_dir = "{self.tmp}/state";
control = {{ path = "{self.ctl}"; }};
log = {{ level = "debug"; }};
{extra}
""")
        return path

    def start(self, extra=""):
        conf = self.write_conf(extra)
        self.log = open(os.path.join(self.tmp, "vdpd.log"), "w")
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.sw, VDPD, "-d", "-f", conf],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            if os.path.exists(self.ctl) and "vdpd ready" in self.logtext():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("vdpd did not start:\n" + self.logtext())

    def vdpd_pid(self):
        """The daemon's pid (`ip netns exec` may run it as a child)."""
        pid = self.proc.pid
        for _ in range(3):
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == "vdpd":
                    return pid
            kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
            if not kids:
                break
            pid = int(kids[0])
        raise AssertionError("no vdpd process under " + str(self.proc.pid))

    def logtext(self):
        with open(os.path.join(self.tmp, "vdpd.log")) as f:
            return f.read()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def station(self, ns, iface, pdu, timeout=3.0):
        r = sh(sys.executable, os.path.join(HERE, "station.py"), iface, pdu.hex(),
               "--timeout", str(timeout), ns=ns)
        return json.loads(r.stdout)

    def listen(self, ns, iface, secs):
        r = sh(sys.executable, os.path.join(HERE, "station.py"), iface, "--listen", str(secs), ns=ns)
        return json.loads(r.stdout)

    def raw(self, ns, iface, frame):
        sh(sys.executable, os.path.join(HERE, "station.py"), iface, "--frame", frame.hex(), ns=ns)

    def vdpctl(self, *args):
        r = sh(VDPCTL, "-s", self.ctl, "-j", *args)
        return json.loads(r.stdout)

    def nft(self):
        r = sh("nft", "-j", "list", "ruleset", ns=self.sw)
        return json.loads(r.stdout)["nftables"]

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()

    def destroy(self):
        self.stop()
        for ns in (self.sw, self.hv1, self.hv2, self.core):
            sh("ip", "netns", "del", ns, check=False)


@pytest.fixture
def lab(tmp_path):
    need_root()
    lab = Lab(str(tmp_path))
    yield lab
    lab.destroy()


def have(cmd):
    return shutil.which(cmd) is not None
