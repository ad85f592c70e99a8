# SPDX-License-Identifier: ISC
"""libvirt drives vdp-station (--libvirt) exactly as it drives lldpad: a
real libvirtd (Debian's) starts a qemu domain (TCG, paused: libvirt
associates the port profile while it sets up the macvtap, before the guest
runs) with <interface type='direct'> and <virtualport type='802.1Qbg'>,
and vdpd must show the domain's VSI, its VLAN and its kernel state; `virsh
destroy` must take them away.  The same domain with lldpad in vdp-station's
place gives the same VSI (lldpad is the reference).  The migration path
(libvirt's PREASSOCIATE at migrate-in start, ASSOCIATE at its end), which
needs a second libvirt host, is driven with libvirt's own recorded netlink
messages (tests/unit/check_portnl.c has them byte for byte).

libvirt and lldpad talk over the root network namespace's netlink and
lldpad's pid file /var/run/lldpad.pid, so the hypervisor side of this test
is the root namespace: its link lv-TAG is a VXLAN tunnel to the switch port
p3 (libvirt follows IFLA_LINK to find the macvtap's physical device, and a
veth's points into the other namespace; a VXLAN device has none, like a
NIC).  The test starts libvirtd and virtlogd if they are not running, and
stops what it started."""
import json
import os
import signal
import socket
import struct
import subprocess
import time

import pytest

from conftest import START_TIMEOUT, TAG, have, sh, stop_proc, wait_for
from lldpad import Lldpd
from test_station import VDP_STATION, need_station, rule_text, vids

PIDFILE = "/var/run/lldpad.pid"
VIRSH = ["virsh", "-c", "qemu:///system"]
VNID = 5000
UUID_VM = "09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f"
MAC_VM = "52:54:00:6a:00:01"
# libvirt's first domain start probes qemu's capabilities (tens of seconds
# under TCG on a loaded machine); later ones take a second or two.
VIRSH_TIMEOUT = 300
# lldpad's VDP role is latched at start, then its EVB TLV exchange with
# lldpd at a 1 s interval.
LLDPAD_TIMEOUT = 60
LATE = 10


def domain_xml(name, source):
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <interface type='direct'>
      <mac address='{MAC_VM}'/>
      <source dev='{source}' mode='vepa'/>
      <virtualport type='802.1Qbg'>
        <parameters managerid='11' typeid='{VNID}' typeidversion='0' instanceid='{UUID_VM}'/>
      </virtualport>
      <model type='virtio'/>
    </interface>
  </devices>
</domain>
"""


def pid_of(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def alive(pid):
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def route_ports(pid):
    """The netlink ports of the NETLINK_ROUTE sockets process pid holds."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    ports = []
    with open(f"/proc/{pid}/net/netlink") as f:
        for line in f.readlines()[1:]:
            col = line.split()
            if col[1] == "0" and col[-1] in inodes:
                ports.append(int(col[2]))
    return ports


class Libvirt:
    """libvirtd and virtlogd: the running ones, or ones started here (and
    stopped by close()).

    libvirt 9.0 has a bug on the lldpad path: it casts the netlink port of
    its event socket to int (virNetlinkEventServiceLocalPid), and libnl
    gives ports above 2^31 about half of the time; then every 802.1Qbg
    request fails at once ("sending of PortProfileRequest failed"), before
    anything is sent, for lldpad as for vdp-station.  A libvirtd started
    here is restarted until its port is below 2^31.

    libnl picks the port's upper bits from a walk seeded with time(NULL)
    with its low five bits all but ignored (lib/socket.c,
    generate_local_port), so every start within one 32-second window gets
    nearly the same port: a retry waits for the next window.  Each window
    is an independent coin toss; WINDOWS of them all failing is 1 in 2^12."""

    WINDOWS = 12

    def __init__(self, tmp):
        self.tmp, self.started, self.domains = tmp, [], []
        if subprocess.run(VIRSH + ["version"], capture_output=True).returncode == 0:
            bad = [p for p in route_ports(pid_of("/run/libvirtd.pid")) if p >= 2 ** 31]
            assert not bad, (f"the running libvirtd's netlink port {bad[0]} is above 2^31: libvirt "
                             "9.0 cannot send 802.1Qbg requests (see this file); restart it")
            return
        try:
            if not alive(pid_of("/run/virtlogd.pid")):
                self.started.append(self.start("virtlogd", "/run/virtlogd.pid"))
            self.start_libvirtd()
        except BaseException:
            self.close()  # what was started here is stopped here, on failure too
            raise

    @staticmethod
    def window():
        return int(time.time()) >> 5

    def start_libvirtd(self):
        ports = []
        for _ in range(self.WINDOWS):
            tried = self.window()
            pid = self.start("libvirtd", "/run/libvirtd.pid")
            wait_for(lambda: subprocess.run(VIRSH + ["version"], capture_output=True).returncode == 0,
                     START_TIMEOUT, "libvirtd to answer")
            ports = route_ports(pid)
            if all(p < 2 ** 31 for p in ports):
                self.started.append(pid)
                return
            self.stop(pid)
            wait_for(lambda: self.window() != tried, 64, "libnl's next 32-second seed window")
        raise AssertionError(f"libvirtd got a netlink port above 2^31 in {self.WINDOWS} seed windows "
                             f"(last: {[hex(p) for p in ports]})")

    @staticmethod
    def start(daemon, pidfile):
        sh(daemon, "-d")  # forks; its pid file names the daemon
        return wait_for(lambda: alive(pid_of(pidfile)) and pid_of(pidfile), START_TIMEOUT,
                        f"{daemon} to start")

    @staticmethod
    def stop(pid):
        os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not alive(pid), START_TIMEOUT, f"pid {pid} to stop")

    def virsh(self, *args, check=True):
        r = subprocess.run(VIRSH + list(args), capture_output=True, text=True, timeout=VIRSH_TIMEOUT)
        assert not check or r.returncode == 0, f"virsh {args}: {r.stdout}{r.stderr}"
        return r

    def define(self, name, source):
        path = os.path.join(self.tmp, f"{name}.xml")
        with open(path, "w") as f:
            f.write(domain_xml(name, source))
        self.virsh("define", path)
        self.domains.append(name)

    def close(self):
        for name in self.domains:
            self.virsh("destroy", name, check=False)
            self.virsh("undefine", name, check=False)
        for pid in reversed(self.started):
            self.stop(pid)


class Hypervisor:
    """The root namespace's link to switch port p3: a VXLAN tunnel over a
    veth underlay, both named after the test run's TAG."""

    def __init__(self, lab):
        self.lab = lab
        self.link = f"lv-{TAG}"[:15]
        self.under = f"lu-{TAG}"[:15]
        sh("ip", "link", "add", self.under, "type", "veth", "peer", "name", "u3", "netns", lab.sw)
        sh("ip", "addr", "add", "10.254.99.1/30", "dev", self.under)
        sh("ip", "link", "set", self.under, "up")
        sh("ip", "addr", "add", "10.254.99.2/30", "dev", "u3", ns=lab.sw)
        sh("ip", "link", "set", "u3", "up", ns=lab.sw)
        sh("ip", "link", "add", self.link, "type", "vxlan", "id", "99", "local", "10.254.99.1",
           "remote", "10.254.99.2", "dstport", "4789", "dev", self.under)
        sh("ip", "link", "add", "p3", "type", "vxlan", "id", "99", "local", "10.254.99.2",
           "remote", "10.254.99.1", "dstport", "4789", "dev", "u3", ns=lab.sw)
        sh("ip", "link", "set", "p3", "master", "br0", "up", ns=lab.sw)
        sh("ip", "link", "set", self.link, "up")

    def close(self):
        for dev in (self.link, self.under):
            sh("ip", "link", "del", dev, check=False)


class Station:
    """vdp-station daemon --libvirt in the root namespace."""

    def __init__(self, lab, link, *opts):
        self.sock = os.path.join(lab.tmp, "libvirt-station.sock")
        self.logpath = os.path.join(lab.tmp, "libvirt-station.log")
        with open(self.logpath, "w") as log:
            self.proc = lab.spawn([VDP_STATION, "-s", self.sock, "daemon", "-f", "-i", link,
                                   "--libvirt", *opts], stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: "ready on" in self.log() or self.proc.poll() is not None, START_TIMEOUT,
                 "vdp-station to start")
        assert self.proc.poll() is None, self.log()

    def log(self):
        with open(self.logpath) as f:
            return f.read()

    def run(self, *args):
        r = subprocess.run([VDP_STATION, "-s", self.sock, "-j", *args], capture_output=True,
                           text=True, timeout=90)
        assert r.returncode == 0, f"{args}: {r.stdout}{r.stderr}"
        return json.loads(r.stdout)

    def stop(self):
        stop_proc(self.proc)


class Lldpad:
    """lldpad as the EVB station on the root namespace's link, with its pid
    file where libvirt looks (its IPC and /dev/shm private, as in
    lldpad.py, so that it shares nothing else with the machine)."""

    def __init__(self, lab, link):
        self.lab, self.link = lab, link
        self.conf = os.path.join(lab.tmp, "lldpad-libvirt.conf")
        open(self.conf, "w").close()
        self.proc, self.runs = None, 0

    def start(self):
        self.runs += 1
        script = f"mount -t tmpfs -o size=1m shm /dev/shm && exec lldpad -V7 -f {self.conf}"
        with open(os.path.join(self.lab.tmp, f"lldpad-libvirt-{self.runs}.log"), "w") as log:
            self.proc = self.lab.spawn(["unshare", "--ipc", "--mount", "--propagation", "private",
                                        "sh", "-c", script], stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: sh("lldptool", "-p", check=False).returncode == 0, START_TIMEOUT,
                 "lldpad's control socket")

    def tool(self, *args):
        return sh("lldptool", "-i", self.link, "-g", "ncb", *args, check=False)

    def station(self):
        """Station role with EVB on the link; restarted so that it latches it."""
        self.start()
        self.tool("-L", "adminStatus=rxtx")
        for kv in ("evbmode=station", "enableTx=yes"):
            self.tool("-T", "-V", "evb", "-c", kv)
        self.stop()
        self.start()
        wait_for(lambda: "mode:bridge" in self.tool("-t", "-n", "-V", "evb").stdout,
                 LLDPAD_TIMEOUT, "lldpad to hear the bridge's EVB TLV")

    def stop(self):
        stop_proc(self.proc)
        self.proc = None


@pytest.fixture
def rig(lab):
    for tool in ("virsh", "libvirtd", "qemu-system-x86_64", "lldpad", "lldpd"):
        assert have(tool), f"{tool} missing: tools/install-deps installs it"
    need_station()
    holder = pid_of(PIDFILE)
    assert not alive(holder), f"{PIDFILE} names a running process ({holder}): not ours to stop"
    hv = Hypervisor(lab)
    lldpd = Lldpd(lab.spawn, lab.sw, lab.tmp, ["p3"])
    virt = None
    try:
        lldpd.start()
        lab.start(f'lldp = {{ socket = "{lldpd.ctl}"; }};', ports='( "p1", "p2", "p3" )')
        virt = Libvirt(lab.tmp)
        yield lab, hv, virt
    finally:
        if virt:
            virt.close()
        lab.stop()
        lldpd.cleanup()
        hv.close()


def vsi_view(lab):
    """vdpd's VSIs, without the countdown."""
    out = {}
    for v in lab.vdpctl("show", "vsis")["vsis"]:
        v.pop("expires")
        out[v["vsiid"]] = v
    return out


def guarded_on(lab, port):
    """The VM's MAC has a guard on port (vdpd's kernel state: an element of set guards)."""
    return any(p == port and m == MAC_VM.lower() for p, _, m in lab.vsi_facts("guards"))


def test_libvirt_domain_associates_through_vdp_station_as_through_lldpad(rig):
    lab, hv, virt = rig
    name = f"vdp-{TAG}"
    virt.define(name, hv.link)

    # --- vdp-station in lldpad's place ---
    st = Station(lab, hv.link)
    assert pid_of(PIDFILE) == st.proc.pid  # libtool's wrapper execs the program
    st.run("create-network", str(VNID), "bandwidth=20000")
    virt.virsh("start", "--paused", name)
    got = wait_for(lambda: vsi_view(lab).get(UUID_VM), LATE, "the domain's VSI")
    assert (got["port"], got["vnid"], got["state"], got["vlan"], got["macs"]) == \
        ("p3", VNID, "assoc", 100, [MAC_VM]), got
    n = lab.vdpctl("show", "vnids")["vnids"]
    assert [x["synced"] for x in n if x["vnid"] == VNID] == [True]  # policy sync went first
    assert 100 in vids(lab, "p3") and guarded_on(lab, "p3")
    vms = st.run("list", "vms")["vms"]
    assert [(v["vsiid"], v["switches"][0]["state"]) for v in vms] == [(UUID_VM, "assoc")]
    assert "libvirt: associate of " + UUID_VM in st.log()
    # A second daemon may not take libvirt's pid file over.
    r = subprocess.run([VDP_STATION, "-s", st.sock + "2", "daemon", "-f", "-i", hv.link, "--libvirt"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "names a running vdp-station" in r.stderr, r.stderr
    virt.virsh("destroy", name)
    wait_for(lambda: UUID_VM not in vsi_view(lab), LATE, "the VSI to go with the domain")
    assert not guarded_on(lab, "p3") and 100 not in vids(lab, "p3")
    assert "libvirt: disassociate of " + UUID_VM in st.log()
    st.stop()
    assert not os.path.exists(PIDFILE)  # ours, removed

    # --- lldpad, the reference ---
    ref = Lldpad(lab, hv.link)
    ref.station()
    try:
        r = subprocess.run([VDP_STATION, "-s", st.sock + "3", "daemon", "-f", "-i", hv.link,
                            "--libvirt"], capture_output=True, text=True, timeout=60)
        assert r.returncode != 0 and "names a running lldpad" in r.stderr, r.stderr
        virt.virsh("start", "--paused", name)
        ref_vsi = wait_for(lambda: vsi_view(lab).get(UUID_VM), LATE, "lldpad's VSI")
        assert ref_vsi == got, (ref_vsi, got)
        # lldpad (1.1, Debian 12) acknowledges libvirt's DISASSOCIATE but
        # goes on refreshing the VSI: not a reference for the removal.
        virt.virsh("destroy", name)
    finally:
        ref.stop()
    assert lab.alive()


# --- libvirt's migration requests, from its recorded messages ---------------

# libvirt 9.0.0's RTM_SETLINK for the domain above (tests/unit/check_portnl.c),
# with the interface name, index, VSI type, UUID and request put in.
SETLINK = bytes.fromhex(
    "9800000013000500e172116b8a6a401c000000000c0000000000000000000000080003006c763000"
    "400016803c00018028000100ffffffff5254006a000100000000000000000000000000000000000000"
    "0000000000000010000200ffffffff0000000000000000300018802c0001800c0003000b5634120000"
    "00001400040009b11c538b5c4eeb8f00d84eaa0aaa4f0500060002000000")
GETLINK = bytes.fromhex("2800000012000500e172116b8a6a401c000000000c000000000000000000000008001d0001000000")


def libvirt_message(template, seq, ifindex, ifname=None, uuid=None, request=None, vnid=None):
    """The recorded message with the sequence number, interface, VSI type,
    instance UUID and request put in (for a SETLINK, IFLA_IFNAME, the first
    attribute, is rebuilt for the name)."""
    head, rest = bytearray(template[:32]), bytearray(template[32:])
    head[8:12] = struct.pack("=I", seq)
    head[20:24] = struct.pack("=i", ifindex)
    if ifname is not None:  # rest starts with IFLA_IFNAME (8 octets: "lv0")
        name = ifname.encode() + b"\0"
        attr = struct.pack("=HH", 4 + len(name), 3) + name
        rest = bytearray(attr + b"\0" * (-len(attr) % 4)) + rest[8:]
    if uuid is not None:
        i = rest.index(bytes.fromhex("09b11c538b5c4eeb8f00d84eaa0aaa4f"))
        rest[i:i + 16] = bytes.fromhex(uuid.replace("-", ""))
    if request is not None:
        rest[-4] = request  # IFLA_PORT_REQUEST, the last attribute
    if vnid is not None:
        i = rest.index(bytes.fromhex("0b563412"))  # IFLA_PORT_VSI_TYPE: mgr, type id
        rest[i + 1:i + 4] = bytes([vnid & 0xFF, (vnid >> 8) & 0xFF, (vnid >> 16) & 0xFF])
    msg = head + rest
    msg[0:4] = struct.pack("=I", len(msg))
    return bytes(msg)


class Netlink:
    """libvirt's side: a netlink socket talking to the pid file's port."""

    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
        self.s.bind((0, 0))
        self.s.settimeout(10)
        self.seq = 1000

    def ask(self, msg):
        self.s.sendto(msg, (pid_of(PIDFILE), 0))
        data = self.s.recv(65536)
        return struct.unpack("=IHHII", data[:16]), data

    def setlink(self, ifindex, uuid, request, vnid):
        self.seq += 1
        name = socket.if_indextoname(ifindex)
        (_, typ, _, seq, _), data = self.ask(libvirt_message(SETLINK, self.seq, ifindex, name, uuid,
                                                            request, vnid))
        assert typ == 2 and seq == self.seq  # NLMSG_ERROR
        return struct.unpack("=i", data[16:20])[0]

    def status(self, ifindex, uuid):
        """IFLA_PORT_RESPONSE for uuid; None while in progress."""
        self.seq += 1
        (_, typ, _, _, _), data = self.ask(libvirt_message(GETLINK, self.seq, ifindex))
        assert typ == 16, typ  # RTM_NEWLINK
        want = bytes.fromhex(uuid.replace("-", ""))
        off = 32
        while off + 4 <= len(data):
            alen, atype = struct.unpack("=HH", data[off:off + 4])
            if atype & 0x3FFF == 24:  # IFLA_VF_PORTS
                p = off + 4
                while p < off + alen:
                    plen, _ = struct.unpack("=HH", data[p:p + 4])
                    attrs, q = {}, p + 4
                    while q < p + plen:
                        l, t = struct.unpack("=HH", data[q:q + 4])
                        attrs[t] = data[q + 4:q + l]
                        q += (l + 3) & ~3
                    if attrs.get(4) == want:  # IFLA_PORT_INSTANCE_UUID
                        r = attrs.get(7)  # IFLA_PORT_RESPONSE
                        return None if r is None else struct.unpack("=H", r)[0]
                    p += (plen + 3) & ~3
            off += (alen + 3) & ~3
        raise AssertionError(f"no IFLA_VF_PORT for {uuid}")


def test_libvirt_migration_requests(rig):
    lab, hv, _ = rig
    st = Station(lab, hv.link)
    ifindex = socket.if_nametoindex(hv.link)
    nl = Netlink()
    uuid = "09b11c53-8b5c-4eeb-8f00-d84eaa0a0002"
    # MIGRATE_IN_START: PREASSOCIATE (0); the VM arrives with the M bit.
    assert nl.setlink(ifindex, uuid, 0, 77) == 0
    wait_for(lambda: nl.status(ifindex, uuid) is not None, LATE, "the pre-association's outcome")
    assert nl.status(ifindex, uuid) == 0
    v = vsi_view(lab)[uuid]
    assert (v["port"], v["vnid"], v["state"], v["migrated"]) == ("p3", 77, "preassoc", True), v
    # MIGRATE_IN_FINISH: ASSOCIATE (2), the M bit kept.
    assert nl.setlink(ifindex, uuid, 2, 77) == 0
    wait_for(lambda: nl.status(ifindex, uuid) == 0 and vsi_view(lab)[uuid]["state"] == "assoc",
             LATE, "the association")
    assert vsi_view(lab)[uuid]["migrated"] is True
    # DISASSOCIATE (3), then again: the second one has nothing to send.
    assert nl.setlink(ifindex, uuid, 3, 77) == 0
    wait_for(lambda: uuid not in vsi_view(lab), LATE, "the VSI to go")
    assert nl.setlink(ifindex, uuid, 3, 77) == 0 and nl.status(ifindex, uuid) == 0
    # A request on an interface that is not the station's: refused at once.
    assert nl.setlink(1, uuid, 2, 77) == -19  # -ENODEV (lo, the name sent with index 1)

    # The switch's refusal reaches libvirt as its VDP error code: the lab's
    # pool has three VLANs, so a fourth VNID's ASSOCIATE is refused with
    # error 2 (insufficient resources: pool-exhausted), which libvirt reads
    # as PORT_VDP_RESPONSE_INSUFFICIENT_RESOURCES.
    held = [f"09b11c53-8b5c-4eeb-8f00-d84eaa0a01{n:02x}" for n in range(4)]
    for n, u in enumerate(held[:3]):
        assert nl.setlink(ifindex, u, 2, 78 + n) == 0
        wait_for(lambda: nl.status(ifindex, u) is not None, LATE, f"the association of VNID {78 + n}")
        assert nl.status(ifindex, u) == 0 and vsi_view(lab)[u]["state"] == "assoc"
    before = lab.vdpctl("show", "counters")["total"]["reasons"]["pool-exhausted"]
    assert nl.setlink(ifindex, held[3], 2, 81) == 0  # accepted; the outcome comes by poll
    wait_for(lambda: nl.status(ifindex, held[3]) is not None, LATE, "the refusal")
    assert nl.status(ifindex, held[3]) == 2
    assert lab.vdpctl("show", "counters")["total"]["reasons"]["pool-exhausted"] == before + 1
    assert held[3] not in vsi_view(lab)
    for u in held:
        assert nl.setlink(ifindex, u, 3, 78) == 0
    wait_for(lambda: not set(held) & set(vsi_view(lab)), LATE, "the VSIs to go")
    st.stop()
