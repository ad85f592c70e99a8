# SPDX-License-Identifier: ISC
"""Classic pcap files, read and written in Python, for the tests that make
captures (synthetic frames, deliberately altered references) and that read
captures independently of vdp-pcap and libpcap."""
import struct

DLT_EN10MB = 1
_MAGIC_US, _MAGIC_NS = 0xA1B2C3D4, 0xA1B23C4D


def read(path):
    """[(ts_seconds_float, frame_bytes)], and the link type."""
    with open(path, "rb") as f:
        data = f.read()
    for endian in ("<", ">"):
        magic = struct.unpack(endian + "I", data[:4])[0]
        if magic in (_MAGIC_US, _MAGIC_NS):
            break
    else:
        raise ValueError(f"{path}: not a classic pcap file")
    div = 1e6 if magic == _MAGIC_US else 1e9
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    frames, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        frames.append((sec + frac / div, data[off:off + incl]))
        off += incl
    return frames, linktype


def write(path, frames, linktype=DLT_EN10MB):
    """frames: [(ts_seconds_float, frame_bytes)], written with microseconds."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", _MAGIC_US, 2, 4, 0, 0, 65535, linktype))
        for ts, frame in frames:
            sec = int(ts)
            usec = min(int(round((ts - sec) * 1e6)), 999999)
            f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
