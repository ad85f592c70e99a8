# SPDX-License-Identifier: ISC
"""Fixtures for tests in network namespaces on the host kernel: a switch
namespace with a Linux bridge and vdpd, station namespaces behind veth
ports, and helpers that read back real kernel state."""
import contextlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("VDPD_BUILD", os.path.join(TOP, "build"))
VDPD = os.path.join(BUILD, "vdpd", "vdpd")
VDPCTL = os.path.join(BUILD, "tools", "vdpctl", "vdpctl")
# Every network namespace a test makes is named PREFIX-TAG: TAG is the
# test run's (tests/run sets it, and after the tier deletes whatever
# namespace with its TAG is left, as a failure) or else this pytest's own.
TAG = os.environ.get("VDP_TESTS_TAG") or f"t{os.getpid()}"
# The system user vdpd becomes (vdpd -u): made for the session and deleted
# after it (vdpd_user below), so that the tier neither needs nor leaves the
# packaged _vdpd (the packaging tier checks that a purge removes that one).
VDPD_USER = f"vdpd-{TAG}"
# A daemon's orderly exit after SIGTERM (vdpd removes its kernel state,
# lldpad and lldpd tell their peers) before it gets SIGKILL.
STOP_TIMEOUT = 10
# vdpd's start (its control socket answering) on a loaded machine.
START_TIMEOUT = 30


# Frames a test has seen happen reaching a capture file: tcpdump -U
# --immediate-mode writes each as it comes, but on a loaded machine tcpdump
# itself may run late.
CAPTURE_TIMEOUT = 30


def ns_name(prefix):
    return f"{prefix}-{TAG}"


def wait_for(pred, timeout, what, step=0.05):
    """Polls pred() until it returns something true, and returns that;
    fails after timeout seconds."""
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(step)


def stop_proc(proc, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
    """Stops a process started with Popen and waits for its exit: sig,
    then SIGKILL if it is still there after timeout."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait()


def sh(*args, check=True, ns=None, **kw):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def need_root():
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")
    if not os.path.exists(VDPD):
        pytest.fail(f"{VDPD} not built: run tools/build")



def nft_vsi_facts(objs, kind):
    """{(port, vid, mac)} of the elements of sets `kind` and `kind`_anyvid
    (vid 0) of table bridge vdpd in `nft -j list` objects."""
    out = set()
    for o in objs:
        s = o.get("set")
        if not s or s["table"] != "vdpd" or s["name"] not in (kind, kind + "_anyvid"):
            continue
        for e in s.get("elem", []):
            c = e.get("concat") or e.get("elem", {}).get("val", {}).get("concat")
            port, vid, m = (c[0], c[1], c[2]) if len(c) == 3 else (c[0], 0, c[1])
            out.add((port, vid, m.lower()))
    return out

class Lab:
    """sw: bridge br0 with ports p1, p2 (stations h1 in hv1, h2 in hv2) and
    uplink up0 (to c0 in core)."""

    def __init__(self, tmp):
        self.sw, self.hv1, self.hv2, self.core = (ns_name(f"vdp{n}") for n in ("sw", "h1", "h2", "co"))
        # vdpd runs as VDPD_USER: its configuration (read again on SIGHUP),
        # state and control socket are in a directory that user can reach
        # (pytest's tmp is 0700); what is there is copied to tmp at the end.
        self.results = tmp
        self.tmp = tempfile.mkdtemp(prefix=f"vdpd-{TAG}-")
        os.chmod(self.tmp, 0o755)
        self.proc = None
        self.procs = []
        try:
            self._build()
        except BaseException:
            self.destroy()
            raise
        # vdpd makes run/ and gives it to its user, who removes the socket.
        self.ctl = os.path.join(self.tmp, "run", "vdpd.sock")

    # The two station ports' names (a subclass may choose others).
    NAMES = ("p1", "p2")
    # More settings of vdpd.conf's control group (group, idle_timeout).
    control_extra = ""

    def _build(self):
        for ns in (self.sw, self.hv1, self.hv2, self.core):
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "set", "lo", "up", ns=ns)
        sh("ip", "link", "add", "br0", "type", "bridge", ns=self.sw)
        p1, p2 = self.NAMES
        for port, peer, ns in ((p1, "h1", self.hv1), (p2, "h2", self.hv2), ("up0", "c0", self.core)):
            sh("ip", "link", "add", port, "type", "veth", "peer", "name", peer, "netns", ns, ns=self.sw)
            sh("ip", "link", "set", port, "master", "br0", "up", ns=self.sw)
            sh("ip", "link", "set", peer, "up", ns=ns)
        sh("ip", "link", "set", "br0", "up", ns=self.sw)

    PORTS = '( { name = "p1"; max_vsis = 8; bandwidth = 100000; }, "p2" )'

    POOL = '[ "100-103" ]; reserved = [ 102 ]'
    # The lab's pool is three VLANs, of which a port's default share
    # (vdpd.conf(5), limits) is two; its tests, and the reference captures
    # made in it, use all three from one port.  A test of the shares sets
    # limits itself (test_flood).
    LIMITS = 'limits = { port_vlans = 4094; };'

    def write_conf(self, extra="", ports=PORTS, pool=POOL):
        path = os.path.join(self.tmp, "vdpd.conf")
        if "limits" not in extra:
            extra = self.LIMITS + "\n" + extra
        with open(path, "w") as f:
            f.write(f"""
bridge = "br0";
ports = {ports};
uplinks = [ "up0" ];
vlans = {{ pool = {pool}; }};
device_acls = ( {{ action = "deny"; proto = "tcp"; dst = "192.0.2.0/24"; dport = "23"; }} );
state_dir = "{self.tmp}/state";
control = {{ path = "{self.ctl}"; {self.control_extra} }};
log = {{ level = "debug"; }};
{extra}
""")
        return path

    def start(self, extra="", ports=PORTS, pool=POOL, env=None, wrap=()):
        """env: variables added to vdpd's environment; wrap: a command
        that execs vdpd (setpriv ...)."""
        conf = self.write_conf(extra, ports, pool)
        self.log = open(os.path.join(self.tmp, "vdpd.log"), "w")
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.sw, *wrap, VDPD, "-d", "-u", VDPD_USER, "-f", conf],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, **(env or {})))
        end = time.monotonic() + START_TIMEOUT
        while time.monotonic() < end:
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

    def spawn(self, args, **kw):
        """Popen(args, **kw), stopped and waited for when the lab goes,
        whatever the test's outcome."""
        p = subprocess.Popen(args, **kw)
        self.procs.append(p)
        return p

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

    def vsi_facts(self, kind, objs=None):
        """{(port, vid, mac)}: the per-VSI elements of table bridge vdpd's
        sets `kind` ("guards", "dhcp_blocks"; vid 0: the _anyvid set)."""
        return nft_vsi_facts(self.nft() if objs is None else objs, kind)

    def stop(self):
        stop_proc(self.proc)
        if self.proc:
            self.log.close()

    def destroy(self):
        try:
            for p in reversed(self.procs):
                stop_proc(p)
            self.stop()
        finally:
            for ns in (self.sw, self.hv1, self.hv2, self.core):
                sh("ip", "netns", "del", ns, check=False)
            keep_files(self.tmp, self.results)
            shutil.rmtree(self.tmp, ignore_errors=True)


def keep_files(src, dst):
    """Copies the regular files under src into dst (logs, captures, the
    configuration), for a look after the test; sockets are left out."""
    for root, _, files in os.walk(src):
        to = os.path.join(dst, os.path.relpath(root, src))
        os.makedirs(to, exist_ok=True)
        for name in files:
            path = os.path.join(root, name)
            if os.path.isfile(path) and not os.path.islink(path):
                shutil.copy2(path, to)


def read_pcap(path):
    """[(time, frame)] of the complete records of a classic pcap file that
    tcpdump may still be writing."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    if len(data) < 24:
        return []
    endian = "<" if struct.unpack("<I", data[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    div = 1e9 if struct.unpack(endian + "I", data[:4])[0] == 0xA1B23C4D else 1e6
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        if off + 16 + incl > len(data):
            break
        out.append((sec + frac / div, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out


class Tcpdump:
    """tcpdump into a file on an interface of a namespace, started through
    spawn (Lab.spawn: stopped with the lab whatever happens).  frames()
    reads what it has written so far; stop() first waits until the frames
    satisfy `until` (tcpdump drops what it has not written yet when it
    stops), then stops it and waits for its exit."""

    def __init__(self, spawn, ns, iface, path, flt):
        self.path = path
        with open(path + ".log", "w") as err:
            self.proc = spawn(["ip", "netns", "exec", ns, "tcpdump", "-i", iface, "-U",
                               "--immediate-mode", "-n", "-w", path, flt],
                              stdout=subprocess.DEVNULL, stderr=err)
        wait_for(lambda: "listening on" in self.log() or self.proc.poll() is not None,
                 START_TIMEOUT, f"tcpdump on {iface}")
        assert self.proc.poll() is None, f"tcpdump on {iface} failed:\n{self.log()}"

    def log(self):
        with open(self.path + ".log") as f:
            return f.read()

    def frames(self):
        return read_pcap(self.path)

    def stop(self, until=None):
        """Returns the frames in the file once tcpdump has exited.  until: a
        condition on frames() to wait for first, at most CAPTURE_TIMEOUT
        (past that, the test's own assertions say what is missing)."""
        end = time.monotonic() + CAPTURE_TIMEOUT
        while until is not None and self.proc.poll() is None and time.monotonic() < end:
            if until(self.frames()):
                break
            time.sleep(0.05)
        stop_proc(self.proc, signal.SIGINT)
        return self.frames()


@contextlib.contextmanager
def lab_of(cls, tmp_path):
    """A lab of class cls, destroyed whatever the test's outcome."""
    need_root()
    lab = cls(str(tmp_path))
    try:
        yield lab
    finally:
        lab.destroy()


@contextlib.contextmanager
def throwaway_vdpd_user():
    """VDPD_USER, a system user without a home, while the block runs (the
    test session, pcaps/regenerate)."""
    if os.geteuid() != 0:
        yield None
        return
    if sh("getent", "passwd", VDPD_USER, check=False).returncode != 0:
        sh("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
           "--shell", "/usr/sbin/nologin", "--user-group", VDPD_USER)
    try:
        yield VDPD_USER
    finally:
        r = sh("userdel", VDPD_USER, check=False)
        sh("groupdel", VDPD_USER, check=False)  # if USERGROUPS_ENAB did not
    assert r.returncode == 0, f"userdel {VDPD_USER}: {r.stderr}"


@pytest.fixture(scope="session", autouse=True)
def vdpd_user():
    with throwaway_vdpd_user() as u:
        yield u


@pytest.fixture
def lab(tmp_path):
    with lab_of(Lab, tmp_path) as l:
        yield l


def have(cmd):
    return shutil.which(cmd) is not None
