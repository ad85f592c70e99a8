#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Compares what libvdp encoded (the TSV written by tshark-gen) with what
tshark's ecp21/vdp21 dissectors read from the same frames.

    tshark-compare.py EXPECTED.tsv TSHARK.tsv

TSHARK.tsv is `tshark -T fields -E header=y -E separator=/t -E occurrence=a
-E aggregator=,` output with the fields in FIELDS below (tshark-crosscheck.sh
runs it).  Prints one line per mismatch and exits 1 if there is any.

How tshark 4.0 prints these fields (found by experiment, see also the
dissector's field table, epan/dissectors/packet-ecp.c):
  - ecp.ver, ecp.seqno, vdp21.tlvtype, vdp21.tlvlen: decimal.
  - ecp.op, ecp.subtype: hex ("0x0001").
  - vdp21.vsitypeid "0x000005", vsiversion / vsiidformat / filterformat
    "0x04", assoc.reason / assoc.error (status bits 3..0) "0x00": hex.
  - vdp21.assoc.flags.*: booleans, printed 1 / 0.
  - vdp21.VSIID: 16 octets, colon separated hex.
  - vdp21.manager_id: the 16 octets printed as an IPv6 address; only when
    the TLV length is 16.
  - vdp21.org_oui: decimal (0x001122 prints 4386).
  - A field that occurs several times in a frame (several TLVs) is one
    comma-separated list in TLV order; a field that does not occur is empty.
  - Request status bits (M, S, reason) are shown only for TLVs without the
    response bit, response bits (KEEP, HARD, error) only for TLVs with it;
    the "Response" flag is shown for both.
  - Only Associate (3) and De-Associate (4) TLVs are dissected: for
    Pre-Associate (1) and Pre-Associate-RR (2) tshark 4.0 shows the TLV
    header only.  Types it does not know (our 6-9) are shown as data and
    stepped over by their length.  Dissection stops at a type 0 header
    (End TLV or zero padding).

NOT compared: the filter entries (vdp21.assoc.mac_id, vdp21.vidstr.*).
tshark's vdp21 dissector does not read the 2-octet number-of-entries field
that precedes the entries (IEEE 802.1Qbg-2012 41.2.9; lldpad sends it too),
so it reads the count and the first MAC octets as the MAC and the wrong
octets as PS/PCP/VID, and it decodes only one entry and only the VID and
MAC/VID formats.  Its PS/PCP masks (0x0800, 0x0700) are also not the
standard's (0x8000, 0x7000).  Filter entries are checked by the unit tests
against lldpad's captured frames instead.
"""

import ipaddress
import sys

FIELDS = [
    "frame.number",
    "ecp.ver", "ecp.op", "ecp.subtype", "ecp.seqno",
    "vdp21.tlvtype", "vdp21.tlvlen",
    "vdp21.assoc.flags.req_rsp",
    "vdp21.assoc.flags.mbit", "vdp21.assoc.flags.sbit", "vdp21.assoc.reason",
    "vdp21.assoc.flags.keep", "vdp21.assoc.flags.hard_error", "vdp21.assoc.error",
    "vdp21.vsitypeid", "vdp21.vsiversion", "vdp21.vsiidformat", "vdp21.VSIID",
    "vdp21.filterformat",
    "vdp21.manager_id",
    "vdp21.org_oui",
]

VDP_RESP, VDP_RESP_KEEP, VDP_RESP_HARD = 0x40, 0x20, 0x10
VDP_REQ_S, VDP_REQ_M = 0x20, 0x10
ECP_SUBTYPE_VDP = 1


def read_expected(path):
    """Returns {frame: {"ecp": [...], "desc": str, "tlvs": [dict]}}."""
    frames = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            col = line.split("\t")
            n = int(col[1])
            fr = frames.setdefault(n, {"tlvs": []})
            if col[0] == "frame":
                fr["ecp"] = [int(c) for c in col[2:6]]
                fr["desc"] = col[6]
            elif col[0] == "tlv":
                tlv = {"index": int(col[2]), "type": int(col[3]),
                       "len": int(col[4]), "kind": col[5]}
                for kv in col[6:]:
                    k, v = kv.split("=", 1)
                    tlv[k] = v
                fr["tlvs"].append(tlv)
            else:
                sys.exit(f"{path}:{lineno}: unknown line kind {col[0]!r}")
    return frames


def expected_fields(fr):
    """What tshark should print for a frame, in the normalised form of
    normalise(): lists of ints or strings, one element per occurrence."""
    ver, op, subtype, seq = fr["ecp"]
    exp = {"ecp.ver": [ver], "ecp.op": [op], "ecp.subtype": [subtype],
           "ecp.seqno": [seq]}
    for f in FIELDS[5:]:
        exp[f] = []
    if subtype != ECP_SUBTYPE_VDP:
        return exp  # tshark hands only subtype 1 to vdp21
    for t in sorted(fr["tlvs"], key=lambda t: t["index"]):
        exp["vdp21.tlvtype"].append(t["type"])
        exp["vdp21.tlvlen"].append(t["len"])
        if t["kind"] == "vsi" and t["type"] in (3, 4):
            st = int(t["status"])
            resp = bool(st & VDP_RESP)
            exp["vdp21.assoc.flags.req_rsp"].append(int(resp))
            if resp:
                exp["vdp21.assoc.flags.keep"].append(int(bool(st & VDP_RESP_KEEP)))
                exp["vdp21.assoc.flags.hard_error"].append(int(bool(st & VDP_RESP_HARD)))
                exp["vdp21.assoc.error"].append(st & 0x0F)
            else:
                exp["vdp21.assoc.flags.mbit"].append(int(bool(st & VDP_REQ_M)))
                exp["vdp21.assoc.flags.sbit"].append(int(bool(st & VDP_REQ_S)))
                exp["vdp21.assoc.reason"].append(st & 0x0F)
            exp["vdp21.vsitypeid"].append(int(t["type_id"]))
            exp["vdp21.vsiversion"].append(int(t["type_ver"]))
            exp["vdp21.vsiidformat"].append(int(t["vsiid_fmt"]))
            exp["vdp21.VSIID"].append(t["vsiid"])
            exp["vdp21.filterformat"].append(int(t["filter_fmt"]))
        elif t["kind"] == "mgrid" and t["len"] == 16:
            exp["vdp21.manager_id"].append(t["id"])
        elif t["kind"] == "org" and t["len"] >= 3:
            exp["vdp21.org_oui"].append(int(t["oui"]))
    return exp


def _int_auto(s):
    return int(s, 0)  # "0x0001" and "17" alike


NORMALISE = {
    "ecp.ver": int, "ecp.seqno": int, "ecp.op": _int_auto,
    "ecp.subtype": _int_auto,
    "vdp21.tlvtype": int, "vdp21.tlvlen": int,
    "vdp21.assoc.flags.req_rsp": int, "vdp21.assoc.flags.mbit": int,
    "vdp21.assoc.flags.sbit": int, "vdp21.assoc.flags.keep": int,
    "vdp21.assoc.flags.hard_error": int,
    "vdp21.assoc.reason": _int_auto, "vdp21.assoc.error": _int_auto,
    "vdp21.vsitypeid": _int_auto, "vdp21.vsiversion": _int_auto,
    "vdp21.vsiidformat": _int_auto, "vdp21.filterformat": _int_auto,
    "vdp21.VSIID": lambda s: s.replace(":", "").lower(),
    "vdp21.manager_id": lambda s: ipaddress.IPv6Address(s).packed.hex(),
    "vdp21.org_oui": int,
}


def normalise(field, text):
    if text == "":
        return []
    out = []
    for item in text.split(","):
        try:
            out.append(NORMALISE[field](item))
        except ValueError:
            out.append(f"unparsable:{item}")
    return out


def read_tshark(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        missing = [x for x in FIELDS if x not in header]
        if missing:
            sys.exit(f"{path}: tshark output lacks fields {missing}")
        frames = {}
        for line in f:
            col = line.rstrip("\n").split("\t")
            col += [""] * (len(header) - len(col))
            row = dict(zip(header, col))
            n = int(row["frame.number"])
            frames[n] = {k: normalise(k, row[k]) for k in FIELDS[1:]}
    return frames


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: tshark-compare.py EXPECTED.tsv TSHARK.tsv")
    expected = read_expected(sys.argv[1])
    got = read_tshark(sys.argv[2])
    bad = 0
    checked = 0
    for n in sorted(set(expected) | set(got)):
        if n not in got:
            print(f"frame {n}: missing from tshark's output")
            bad += 1
            continue
        if n not in expected or "ecp" not in expected[n]:
            print(f"frame {n}: tshark shows a frame tshark-gen did not write")
            bad += 1
            continue
        exp = expected_fields(expected[n])
        for field in FIELDS[1:]:
            checked += 1
            if exp[field] != got[n][field]:
                bad += 1
                print(f"frame {n} ({expected[n]['desc']}): {field}:\n"
                      f"    encoded: {exp[field]}\n"
                      f"    tshark:  {got[n][field]}")
    if not checked:
        print("nothing compared")
        return 1
    print(f"{len(expected)} frames, {checked} field lists compared, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
