#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A scripted VDP station for the integration tests.  Run inside a station
namespace: sends one VDPDU over ECP (retransmitting until acked), waits for
the bridge's response VDPDU, acks it, and prints the response TLVs as JSON.

  station.py IFACE HEXPDU [--timeout S] [--raw]
  station.py IFACE --listen S      print every VDPDU the bridge sends for S s
  station.py IFACE --frame HEX     send one raw frame, expect nothing
  station.py IFACE --sniff S HEX [--until END]
                                   count received frames containing HEX for S s,
                                   or until a frame containing END arrives; says
                                   "ready" on a line of its own once listening
"""
import argparse
import json
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vdpwire as w  # noqa: E402

ETH_P_ALL = 3


def open_sock(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    return s, s.getsockname()[4]


def frames(sock, until):
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return
        r, _, _ = select.select([sock], [], [], left)
        if not r:
            return
        data, addr = sock.recvfrom(2048)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        e = w.parse_ecp(data)
        if e:
            yield e


def decode(pdu):
    out = []
    for t, v in w.parse_tlvs(pdu):
        if t in (w.PREASSOC, w.PREASSOC_RR, w.ASSOC, w.DEASSOC):
            d = w.parse_vsi(t, v)
            d["vsiid"] = d["vsiid"].hex()
            out.append(d)
        elif t in (w.POLICY_SYNC, w.POLICY_UPDATE, w.POLICY_REMOVE):
            out.append(w.parse_policy(t, v))
        elif t == w.MGRID:
            out.append({"type": t, "mgrid": v.rstrip(b"\0").decode(errors="replace")})
        else:
            out.append({"type": t, "raw": v.hex()})
    return out


def ack(sock, mac, seq):
    sock.send(w.ecp(mac, seq, b"", op=1))


def request(sock, mac, pdu, timeout):
    seq = int.from_bytes(os.urandom(2), "big")
    frame = w.ecp(mac, seq, pdu)
    acked = False
    deadline = time.monotonic() + timeout
    tries = 0
    while time.monotonic() < deadline:
        if not acked and tries < 8:
            sock.send(frame)
            tries += 1
        for e in frames(sock, min(deadline, time.monotonic() + 0.2)):
            if e["op"] == 1 and e["seq"] == seq:
                acked = True
            elif e["op"] == 0:
                ack(sock, mac, e["seq"])
                return {"acked": acked, "tlvs": decode(e["pdu"]), "pdu": e["pdu"].hex()}
    return {"acked": acked, "tlvs": None}


def listen(sock, mac, secs):
    seen = []
    for e in frames(sock, time.monotonic() + secs):
        if e["op"] == 0:
            ack(sock, mac, e["seq"])
            seen.append(decode(e["pdu"]))
    return seen


def sniff(sock, secs, marker, end=None):
    n, ended = 0, False
    until = time.monotonic() + secs
    while time.monotonic() < until:
        r, _, _ = select.select([sock], [], [], max(0, until - time.monotonic()))
        if not r:
            break
        data, addr = sock.recvfrom(2048)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if end and end in data:
            ended = True
            break
        if marker in data:
            n += 1
    return {"count": n, "ended": ended}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("pdu", nargs="?")
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--listen", type=float)
    ap.add_argument("--frame")
    ap.add_argument("--sniff", nargs=2)
    ap.add_argument("--until")
    a = ap.parse_args()
    sock, mac = open_sock(a.iface)
    if a.sniff:
        print("ready", flush=True)
    if a.listen is not None:
        print(json.dumps(listen(sock, mac, a.listen)))
    elif a.sniff:
        print(json.dumps(sniff(sock, float(a.sniff[0]), bytes.fromhex(a.sniff[1]),
                               bytes.fromhex(a.until) if a.until else None)))
    elif a.frame:
        sock.send(bytes.fromhex(a.frame))
        print(json.dumps({"sent": True}))
    else:
        print(json.dumps(request(sock, mac, bytes.fromhex(a.pdu), a.timeout)))


if __name__ == "__main__":
    main()
