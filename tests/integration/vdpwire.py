# SPDX-License-Identifier: ISC
"""A second, independent encoder/decoder of the VDP wire format, written from
vdp-protocol(7), for driving vdpd from tests.  Keeping it separate from
libvdp means a shared misreading of the format shows up as a test failure."""
import struct
import uuid as uuidlib

ECP_ETHERTYPE = 0x8940
NCB = bytes.fromhex("0180c2000000")

PREASSOC, PREASSOC_RR, ASSOC, DEASSOC, MGRID = 1, 2, 3, 4, 5
POLICY_SYNC, POLICY_UPDATE, POLICY_REMOVE, HELP = 6, 7, 8, 9
RESP, KEEP, HARD, M_BIT, S_BIT = 0x40, 0x20, 0x10, 0x10, 0x20

FMT_UUID, FMT_MAC = 5, 3
FILTER_VID, FILTER_MAC_VID = 1, 2

POL_BANDWIDTH, POL_ACL, POL_QOS, POL_VN, POL_DHCP, POL_IGMP, POL_VLAN = 1, 2, 3, 4, 5, 6, 7


def tlv(t, value):
    return struct.pack("!H", t << 9 | len(value)) + value


def mgrid(name=b"vdptest"):
    return tlv(MGRID, name.ljust(16, b"\0"))


def vsi(t, vnid, vsiid, filters, status=0, ver=0, fmt=FMT_UUID, ffmt=FILTER_MAC_VID):
    """filters: list of (mac bytes, vid) for MAC/VID, or vid ints for VID."""
    if fmt == FMT_UUID:
        idb = uuidlib.UUID(vsiid).bytes
    else:
        idb = vsiid.rjust(16, b"\0")
    ents = b""
    for f in filters:
        if ffmt == FILTER_MAC_VID:
            ents += f[0] + struct.pack("!H", f[1])
        else:
            ents += struct.pack("!H", f)
    body = struct.pack("!B", status) + vnid.to_bytes(3, "big") + bytes([ver, fmt]) + idb
    body += bytes([ffmt]) + struct.pack("!H", len(filters)) + ents
    return tlv(t, body)


def pol_entry(ptype, info):
    return struct.pack("!BH", ptype, len(info)) + info


def bandwidth(kbps, direction=0, burst=0):
    return pol_entry(POL_BANDWIDTH, struct.pack("!BII", direction, kbps, burst))


def acl(action, proto=0, dport=(0, 0), dst=None, direction=2, ethertype=0, src=None):
    """src, dst: (address bytes, plen) or None; 4 octets are IPv4, 16 IPv6."""
    def prefix(p):
        if p is None:
            return bytes(18)
        return bytes([4 if len(p[0]) == 4 else 6, p[1]]) + p[0].ljust(16, b"\0")
    info = struct.pack("!BBHB", action, direction, ethertype, proto)
    info += prefix(src) + prefix(dst) + struct.pack("!HHHH", 0, 0, dport[0], dport[1])
    return pol_entry(POL_ACL, info)


def vn(vnid, group):
    """group: 4 (IPv4) or 16 (IPv6) address octets."""
    return pol_entry(POL_VN, struct.pack("!IB", vnid, 4 if len(group) == 4 else 6) + group)


def qos(pcp, dscp):
    return pol_entry(POL_QOS, bytes([pcp, dscp]))


def vlan(vid):
    return pol_entry(POL_VLAN, struct.pack("!H", vid))


def policy(t, vnid, entries, status=0):
    body = struct.pack("!B", status) + (vnid & 0xFFFFFF).to_bytes(3, "big")
    body += bytes([vnid >> 24]) + struct.pack("!H", len(entries)) + b"".join(entries)
    return tlv(t, body)


def ecp(src, seq, payload, op=0):
    frame = NCB + src + struct.pack("!HHH", ECP_ETHERTYPE, 0x1000 | op << 10 | 1, seq)
    frame += payload
    return frame.ljust(60, b"\0")


def parse_ecp(frame):
    if len(frame) < 18 or struct.unpack("!H", frame[12:14])[0] != ECP_ETHERTYPE:
        return None
    w, seq = struct.unpack("!HH", frame[14:18])
    return {"src": frame[6:12], "op": (w >> 10) & 3, "subtype": w & 0x3FF, "seq": seq,
            "pdu": frame[18:]}


def parse_tlvs(pdu):
    out, off = [], 0
    while off + 2 <= len(pdu):
        (h,) = struct.unpack("!H", pdu[off:off + 2])
        t, ln = h >> 9, h & 0x1FF
        if t == 0:
            break
        out.append((t, pdu[off + 2:off + 2 + ln]))
        off += 2 + ln
    return out


def parse_vsi(t, v):
    n = struct.unpack("!H", v[23:25])[0]
    ffmt = v[22]
    # An error answer may echo a format the bridge did not know, with no
    # entries (vdp-protocol(7)).
    size = {1: 2, 2: 8, 3: 6, 4: 12}.get(ffmt, 0) if n else 0
    filters = []
    for i in range(n):
        e = v[25 + i * size:25 + (i + 1) * size]
        vid = struct.unpack("!H", e[-2:])[0] & 0xFFF
        mac = e[-8:-2].hex(":") if ffmt in (2, 4) else None
        filters.append({"mac": mac, "vid": vid})
    return {"type": t, "status": v[0], "error": v[0] & 0x0F, "vnid": int.from_bytes(v[1:4], "big"),
            "ver": v[4], "fmt": v[5], "vsiid": v[6:22], "ffmt": ffmt, "filters": filters}


def parse_policy(t, v):
    return {"type": t, "status": v[0], "error": v[0] & 0x0F,
            "vnid": int.from_bytes(v[1:4], "big") | v[4] << 24,
            "nentries": struct.unpack("!H", v[5:7])[0]}
