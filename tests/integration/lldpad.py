# SPDX-License-Identifier: ISC
"""Real peers for the EVB interop tests: lldpd on the bridge side and lldpad
as the 802.1Qbg station, each in its network namespace, plus a capture of
the link read back with tshark.  The recipes are those of
../shared/design/TESTBED.md: lldpad in a private IPC and mount namespace
with its own /dev/shm and config file, configured with lldptool and then
restarted (it latches its VDP role from evbmode about a second after it
starts); lldpd with its own control socket (-u)."""
import json
import os
import re
import signal
import struct
import shutil
import subprocess
import tempfile

import conftest
import vdpwire as w
from conftest import START_TIMEOUT, Tcpdump, sh, stop_proc


def wait_for(pred, timeout, step=0.1, what="condition"):
    """Polls pred() until it returns something true; returns it."""
    return conftest.wait_for(pred, timeout, what, step)


class Lldpd:
    """lldpd on the bridge side: `lldpd -d -u DIR/ctl -I IFACES`.  The
    transmit interval is set to 1 s so that a restarted station hears the
    bridge's EVB TLV at once (lldpd's default is 30 s)."""

    def __init__(self, spawn, ns, tmp, ifaces):
        self.spawn, self.ns, self.ifaces = spawn, ns, ifaces
        # lldpcli (and lldpd's own check for a running instance) work as
        # user _lldpd: the socket's directory must be reachable by it, and
        # pytest's tmp_path is not (0700).
        self.dir = tempfile.mkdtemp(prefix="vdp-lldpd-")
        os.chmod(self.dir, 0o755)
        self.ctl = os.path.join(self.dir, "ctl")
        self.logdir = tmp
        self.proc = None
        self.runs = 0

    def start(self, tx_interval=1):
        self.runs += 1
        with open(os.path.join(self.logdir, f"lldpd-{self.runs}.log"), "w") as log:
            self.proc = self.spawn(["ip", "netns", "exec", self.ns, "lldpd", "-d", "-u", self.ctl,
                                    "-I", ",".join(self.ifaces)], stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: self.cli("show", "configuration", check=False).returncode == 0, START_TIMEOUT,
                 what="lldpd's control socket")
        if tx_interval:
            self.cli("configure", "lldp", "tx-interval", str(tx_interval))

    def cli(self, *args, check=True):
        return sh("lldpcli", "-u", self.ctl, *args, ns=self.ns, check=check)

    def neighbours(self):
        """{interface: [unknown TLV dicts]} from lldpcli's JSON."""
        out = json.loads(self.cli("-f", "json0", "show", "neighbors", "details").stdout)
        res = {}
        for lldp in out.get("lldp", []):
            for iface in lldp.get("interface", []):
                tlvs = []
                for u in iface.get("unknown-tlvs", []):
                    tlvs += u.get("unknown-tlv", [])
                res.setdefault(iface["name"], []).extend(tlvs)
        return res

    def local_tlvs(self, iface):
        """The custom TLVs lldpd sends on iface: [(oui, subtype, value)]."""
        out = json.loads(self.cli("-f", "json0", "show", "interfaces", "ports", iface,
                                  "details").stdout)
        return [(t["oui"], int(t["subtype"]), t["value"])
                for lldp in out.get("lldp", []) for i in lldp.get("interface", [])
                for u in i.get("unknown-tlvs", []) for t in u.get("unknown-tlv", [])]

    def agent_type(self):
        text = self.cli("show", "configuration").stdout
        m = re.search(r"Agent type:\s*(.*)", text)
        return m.group(1).strip() if m else None

    def stop(self, sig=signal.SIGTERM):
        stop_proc(self.proc, sig)
        self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Lldpad:
    """lldpad as the EVB station on one interface."""

    def __init__(self, spawn, ns, iface, tmp):
        self.spawn, self.ns, self.iface = spawn, ns, iface
        self.dir = os.path.join(tmp, "lldpad")
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, "lldpad.conf")
        self.proc = None
        self.runs = 0

    def start(self):
        self.runs += 1
        script = f"mount -t tmpfs -o size=1m shm /dev/shm && exec lldpad -p -V7 -f {self.conf}"
        with open(os.path.join(self.dir, f"lldpad-{self.runs}.log"), "w") as log:
            self.proc = self.spawn(["ip", "netns", "exec", self.ns, "unshare", "--ipc", "--mount",
                                    "--propagation", "private", "sh", "-c", script],
                                   stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: sh("lldptool", "-p", ns=self.ns, check=False).returncode == 0, START_TIMEOUT,
                 what="lldpad's control socket")

    def tool(self, *args):
        return sh("lldptool", "-i", self.iface, "-g", "ncb", *args, ns=self.ns)

    def configure(self, evb):
        """Writes the station configuration with lldptool, then stops lldpad:
        the next start() latches it.  evb: lldptool evb settings (the mode
        is set first, enableTx last)."""
        self.start()
        self.tool("-L", "adminStatus=rxtx")
        settings = {"evbmode": "station", **evb, "enableTx": "yes"}
        for k, v in settings.items():
            self.tool("-T", "-V", "evb", "-c", f"{k}={v}")
        got = dict(l.split("=", 1) for l in self.tool("-t", "-V", "evb", "-c").stdout.split())
        for k, v in settings.items():
            assert got.get(k) == v, f"lldpad did not take {k}={v}: {got}"
        self.stop()

    def evb_neighbour(self):
        """lldptool's view of the bridge's EVB TLV (text), '' if none."""
        return sh("lldptool", "-i", self.iface, "-g", "ncb", "-t", "-n", "-V", "evb",
                  ns=self.ns, check=False).stdout

    def vdptool(self, *args):
        return sh("vdptool", "-i", self.iface, *args, ns=self.ns, check=False)

    def vsi(self, mode, uuid, typeid, filt, ver=0, mgrid="vdptest"):
        """vdptool -T -W: sends one VSI request and waits (at most 5 s) for
        the bridge's answer.  Returns the parsed response (mode, filter, ...)
        or None when vdptool got none."""
        r = self.vdptool("-T", "-W", "-V", mode, "-c", f"mode={mode}", "-c", f"mgrid2={mgrid}",
                         "-c", f"typeid={typeid}", "-c", f"typeidver={ver}", "-c", f"uuid={uuid}",
                         "-c", "hints=none", "-c", f"filter={filt}")
        resp = parse_vdptool(r.stdout)
        if "Response from VDP" not in r.stdout or r.returncode != 0 or not resp:
            return None
        return resp[0]

    def list(self):
        return parse_vdptool(self.vdptool("-t", "-V", "assoc").stdout)

    def stop(self, sig=signal.SIGTERM):
        stop_proc(self.proc, sig)
        self.proc = None


def parse_vdptool(text):
    """vdptool prints blocks of 'key = value' lines; one dict per block."""
    blocks, cur = [], None
    for line in text.splitlines():
        m = re.match(r"\s+(\w+) = (.*)$", line)
        if m:
            if cur is None:
                cur = {}
                blocks.append(cur)
            cur[m.group(1)] = m.group(2).strip()
        else:
            cur = None
    return blocks


class Capture:
    """tcpdump on one interface of a namespace, LLDP and ECP only."""

    def __init__(self, spawn, ns, iface, path):
        self.path = path
        self.dump = Tcpdump(spawn, ns, iface, path, "ether proto 0x88cc or ether proto 0x8940")

    def stop(self, until=None):
        """until: a condition on the frames to wait for first (Tcpdump.stop)."""
        self.dump.stop(until)
        return self.path


def ecp_settled(frames):
    """Every ECP request in frames has been acknowledged (by the other
    side, with its sequence number, after it): the exchanges a test saw
    complete are in the capture in full."""
    reqs, acks = [], set()
    for _, f in frames:
        e = w.parse_ecp(f)
        if e and e["op"] == 0:
            reqs.append((e["src"], e["seq"]))
        elif e and e["op"] == 1:
            acks.add((e["src"], e["seq"]))
    srcs = {s for s, _ in reqs} | {s for s, _ in acks}
    return all(any((o, seq) in acks for o in srcs if o != src) for src, seq in reqs)


def lldp_since(t0, macs):
    """A condition on captured frames: an LLDPDU from each MAC (aa:bb:..)
    stamped after t0 (time.time())."""
    want = {bytes.fromhex(m.replace(":", "")) for m in macs}

    def cond(frames):
        seen = {f[6:12] for t, f in frames if t > t0 and f[12:14] == b"\x88\xcc"}
        return want <= seen
    return cond


# --- reading a capture back -------------------------------------------------

def tshark_json(pcap, dfilter):
    r = subprocess.run(["tshark", "-r", pcap, "-Y", dfilter, "-T", "json", "-x"],
                       check=True, capture_output=True, text=True)
    return json.loads(r.stdout or "[]")


def _one(layers, proto, field):
    v = layers.get(proto, {}).get(field)
    return v[0] if isinstance(v, list) else v


def decode_evb(info):
    """The 5 information octets of the EVB TLV (802.1Qbg D.2.12), decoded
    here independently of libvdp."""
    b = info
    return {"bgid": bool(b[0] & 4), "rrcap": bool(b[0] & 2), "rrctr": bool(b[0] & 1),
            "sgid": bool(b[1] & 8), "rrreq": bool(b[1] & 4), "rrstat": b[1] & 3,
            "r": b[2] >> 5, "rte": b[2] & 0x1F, "mode": {1: "bridge", 2: "station"}.get(b[3] >> 6),
            "rol_rwd": bool(b[3] & 0x20), "rwd": b[3] & 0x1F,
            "rol_rka": bool(b[4] & 0x20), "rka": b[4] & 0x1F}


def lldp_tlvs(lldpdu):
    off = 0
    while off + 2 <= len(lldpdu):
        (h,) = struct.unpack("!H", lldpdu[off:off + 2])
        t, n = h >> 9, h & 0x1FF
        if t == 0:
            return
        yield t, lldpdu[off + 2:off + 2 + n]
        off += 2 + n


def evb_tlvs(pcap):
    """Every EVB TLV in the capture's LLDPDUs: tshark picks the frames (its
    LLDP dissector labels the TLV, IEEE 802.1 subtype 0x0d, but does not
    decode it) and hands over the raw LLDPDU; decode_evb reads the fields.
    [(time, source MAC, raw info hex, fields)]."""
    out = []
    for p in tshark_json(pcap, "lldp.ieee.802_1.subtype == 0x0d"):
        layers = p["_source"]["layers"]
        raw = bytes.fromhex(layers["lldp_raw"][0])
        for t, v in lldp_tlvs(raw):
            if t == 127 and v[:4] == bytes.fromhex("0080c20d"):
                assert len(v) == 9, f"EVB TLV of {len(v)} octets"
                out.append((float(_one(layers, "frame", "frame.time_relative")),
                            _one(layers, "eth", "eth.src"), v[4:].hex(), decode_evb(v[4:])))
    return out


ECP_FIELDS = ["frame.number", "frame.time_relative", "eth.src", "ecp.ver", "ecp.op", "ecp.subtype",
              "ecp.seqno", "vdp21.tlvtype", "vdp21.tlvlen", "vdp21.assoc.flags.req_rsp",
              "vdp21.assoc.flags.mbit", "vdp21.assoc.flags.sbit", "vdp21.assoc.flags.keep",
              "vdp21.assoc.flags.hard_error", "vdp21.assoc.error", "vdp21.vsitypeid",
              "vdp21.vsiversion", "vdp21.vsiidformat", "vdp21.VSIID"]


def ecp_frames(pcap):
    """Every ECP frame as tshark's ecp21/vdp21 dissectors decode it, with the
    raw frame alongside (tshark's vdp21 misreads filter entries, see
    vdp-protocol(7), so filters are read with vdpwire from the raw bytes)."""
    cmd = ["tshark", "-r", pcap, "-Y", "ecp21", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in ECP_FIELDS:
        cmd += ["-e", f]
    r = subprocess.run(cmd, check=True, capture_output=True, text=True)
    raw = {int(_one(p["_source"]["layers"], "frame", "frame.number")):
           bytes.fromhex(p["_source"]["layers"]["frame_raw"][0]) for p in tshark_json(pcap, "ecp21")}
    frames = []
    for line in r.stdout.splitlines():
        vals = line.split("\t")
        f = dict(zip(ECP_FIELDS, vals + [""] * (len(ECP_FIELDS) - len(vals))))
        f["raw"] = raw[int(f["frame.number"])]
        frames.append(f)
    return frames


def num(v):
    """tshark prints integers in decimal or 0x-hex."""
    return int(v, 0)
