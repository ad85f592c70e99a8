#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A scripted station for the migration tests (run inside a station
namespace).  Sends one VDPDU (an Associate, say, with the M bit), then keeps
serving the bridge for S seconds: acks its VDPDUs and answers each Help
Request (TLV 9) with the response bit, after sending FRAME (hex; the DHCP
request the station makes on the VM's behalf, in these tests) when given.
Prints JSON: the response TLVs, and every Help Request as decoded by this
independent reader of vdp-protocol(7).

  migstation.py IFACE HEXPDU [--serve S] [--helps N] [--frame HEX] [--answer-status N]

--helps N: serve past S seconds until N Help Requests are answered (at most
HELPS_TIMEOUT s in all; vdpd's may come late on a loaded machine).
"""
import argparse
import json
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import station as st  # noqa: E402
import vdpwire as w  # noqa: E402

HELPS_TIMEOUT = 60


def parse_help(v):
    """The Help TLV value: status, flags, VSIID format, VSIID, MAC,
    PS|PCP|VID, IPv4 (31 octets)."""
    assert len(v) == 31, len(v)
    tci = struct.unpack("!H", v[25:27])[0]
    return {"status": v[0], "flags": v[1], "fmt": v[2], "vsiid": v[3:19].hex(),
            "mac": v[19:25].hex(":"), "vid": tci & 0xFFF, "pcp": (tci >> 12) & 7,
            "ip": ".".join(str(b) for b in v[27:31]), "raw": v.hex()}


def answer_pdu(mgrid_tlv, value, status):
    return mgrid_tlv + w.tlv(w.HELP, bytes([status]) + value[1:])


def send_request(sock, mac, pdu, timeout=3.0):
    """Sends a bridge-bound request; acks whatever the bridge sends meanwhile."""
    seq = int.from_bytes(os.urandom(2), "big")
    frame = w.ecp(mac, seq, pdu)
    deadline = time.monotonic() + timeout
    tries = 0
    while time.monotonic() < deadline:
        if tries < 8:
            sock.send(frame)
            tries += 1
        for e in st.frames(sock, min(deadline, time.monotonic() + 0.2)):
            if e["op"] == 1 and e["seq"] == seq:
                return True
            if e["op"] == 0:
                st.ack(sock, mac, e["seq"])
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("pdu")
    ap.add_argument("--serve", type=float, default=3.0)
    ap.add_argument("--frame")
    ap.add_argument("--answer-status", type=int, default=0x40)
    ap.add_argument("--helps", type=int, default=0)
    a = ap.parse_args()
    sock, mac = st.open_sock(a.iface)
    out = st.request(sock, mac, bytes.fromhex(a.pdu), 3.0)
    out["helps"] = []
    out["answered"] = []
    out["other"] = []
    start = time.monotonic()
    until = start + a.serve
    while time.monotonic() < until or (len(out["answered"]) < a.helps and
                                       time.monotonic() < start + HELPS_TIMEOUT):
        for e in st.frames(sock, max(until, time.monotonic() + 0.1)):
            if e["op"] != 0:
                continue
            st.ack(sock, mac, e["seq"])
            tlvs = w.parse_tlvs(e["pdu"])
            mg = [t for t in tlvs if t[0] == w.MGRID]
            for t, v in tlvs:
                if t != w.HELP:
                    if t != w.MGRID:
                        out["other"].append(t)
                    continue
                h = parse_help(v)
                h["t"] = time.monotonic()
                out["helps"].append(h)
                if a.frame:  # the DHCP request on the VM's behalf
                    sock.send(bytes.fromhex(a.frame))
                mgrid = w.tlv(w.MGRID, mg[0][1]) if mg else b""
                out["answered"].append(send_request(
                    sock, mac, answer_pdu(mgrid, v, a.answer_status)))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
