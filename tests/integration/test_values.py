# SPDX-License-Identifier: ISC
"""Values vdpd takes only as the kernel will hold them (issue 15, item 4):
interface names the kernel and nftables text both carry back, rates and
bursts tc programs exactly as vdpctl shows them.  Each refusal is checked
for its reason; each acceptance against the kernel's own listing."""
import os
import re
import subprocess

import pytest

import vdpwire as w
from conftest import VDPCTL, VDPD, Lab, lab_of, need_root, sh

UUID_A = "00112233-4455-6677-8899-aabbccdd0001"
MAC_A = bytes.fromhex("525400aa0001")

# Names the kernel takes and nftables prints in a form `nft -f` reads back.
ODD_A = "p-1.x_y@"
ODD_B = "q'x{;}#$"


class OddLab(Lab):
    """The usual lab, its two station ports named ODD_A and ODD_B."""
    NAMES = (ODD_A, ODD_B)


@pytest.fixture
def odd(tmp_path):
    with lab_of(OddLab, tmp_path) as lab:
        yield lab


def only(resp, t):
    assert resp["acked"], "the bridge did not acknowledge the request"
    tlvs = [x for x in resp["tlvs"] if x["type"] == t]
    assert len(tlvs) == 1, resp
    return tlvs[0]


def sync(lab, vnid, entries, ns=None, iface="h1"):
    r = lab.station(ns or lab.hv1, iface, w.mgrid() + w.policy(w.POLICY_SYNC, vnid, entries))
    return only(r, w.POLICY_SYNC)["status"]


def assoc(lab, vnid, ns=None, iface="h1"):
    r = lab.station(ns or lab.hv1, iface, w.mgrid() + w.vsi(w.ASSOC, vnid, UUID_A, [(MAC_A, 0)]))
    return only(r, w.ASSOC)["status"]


def check_conf(path):
    return subprocess.run([VDPD, "-n", "-f", path], capture_output=True, text=True)


def test_interface_names_refused_with_file_line(tmp_path):
    need_root()
    for name, why in (('q\\"x{;}', "holds '\"', which nftables text cannot carry back"),
                      ("p 1", "holds 'white space'"), ("..", "not a name the kernel takes"),
                      ("eth*", "holds '*'"), ("a-very-long-name", "longer than 15 octets")):
        path = os.path.join(str(tmp_path), "bad.conf")
        with open(path, "w") as f:
            f.write(f'bridge = "br0";\nports = [ "p1",\n\t"{name}" ];\n')
        r = check_conf(path)
        assert r.returncode != 0, name
        assert f"bad.conf:3: ports[1]: " in r.stderr and why in r.stderr, r.stderr


def test_unusual_names_programmed_and_ruleset_reloads(odd):
    # A to-VM class, the per-port VLAN set and rules all name the port.
    odd.start(ports=f'( {{ name = "{ODD_A}"; bandwidth = 100000; }}, "{ODD_B}" )')
    assert sync(odd, 10, [w.bandwidth(8000, burst=64000), w.acl(1, 6, (80, 80))]) == w.RESP
    assert assoc(odd, 10) == w.RESP
    vsis = odd.vdpctl("show", "vsis")["vsis"]
    assert [v["port"] for v in vsis] == [ODD_A]
    assert re.search(r"class htb 7664:\S+ ", sh("tc", "class", "show", "dev", ODD_A, ns=odd.sw).stdout)
    text = sh("nft", "list", "ruleset", ns=odd.sw).stdout
    assert f'iifname "{ODD_A}"' in text, text
    # What nft lists, nft reads back, and lists the same again.
    path = os.path.join(odd.tmp, "ruleset.nft")
    with open(path, "w") as f:
        f.write(text)
    r = subprocess.run(["unshare", "-n", "sh", "-c", f"nft -f {path} && nft list ruleset"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    strip = lambda t: re.sub(r"packets \d+ bytes \d+", "", t)  # noqa: E731
    assert strip(r.stdout) == strip(text)
    # The impact command takes the name as it is, and refuses a name no
    # interface could have, saying which argument and why.
    assert odd.vdpctl("impact", "port", ODD_A)["affected_vsis"] == 1
    r = sh(VDPCTL, "-s", odd.ctl, "impact", "port", 'a"b', check=False)
    assert r.returncode != 0 and 'PORT "a\\"b" is not a valid interface name' in r.stdout + r.stderr


def tc_classes(lab, port):
    """(rate, burst) of vdpd's htb classes on port, as tc prints them."""
    out = sh("tc", "class", "show", "dev", port, ns=lab.sw).stdout
    return re.findall(r"class htb 7664:\S+ .*?rate (\S+) ceil \S+ burst (\S+)", out)


def tc_size(text):
    """tc's printed size ("64000b", "64Kb", "1Mb") in octets."""
    m = re.fullmatch(r"([\d.]+)(b|Kb|Mb|Gb)", text)
    assert m, text
    return round(float(m.group(1)) * {"b": 1, "Kb": 1024, "Mb": 1 << 20, "Gb": 1 << 30}[m.group(2)])


def shown_bandwidth(lab, vnid):
    """The bandwidth entries of a VNID's policy as vdpctl's JSON gives them."""
    n = [n for n in lab.vdpctl("show", "vnids")["vnids"] if n["vnid"] == vnid]
    return [e for e in n[0]["policy"] if e["type"] == "bandwidth"] if n else []


def test_burst_shown_is_burst_programmed(lab):
    lab.start()
    # 8000 kbit/s is one octet per microsecond: a burst of 64000 octets is
    # 64000 us, a whole number of the kernel's 64 ns ticks, held exactly.
    assert sync(lab, 10, [w.bandwidth(8000, burst=64000)]) == w.RESP
    assert assoc(lab, 10) == w.RESP
    bw = shown_bandwidth(lab, 10)
    assert len(bw) == 1 and bw[0]["rate_kbps"] == 8000 and bw[0]["burst"] == 64000, bw
    assert tc_classes(lab, "p1") == [("8Mbit", "64000b")]
    assert tc_size("64000b") == bw[0]["burst"]


def test_values_the_kernel_would_change_are_refused(lab):
    lab.start()
    cases = (
        # 4294967295 octets at 10 Mbit/s: once "burst 0b" in tc.
        [w.bandwidth(10000, burst=4294967295)],
        # Under one microsecond at 10 Gbit/s: 0 ticks.
        [w.bandwidth(10000000, burst=1)],
        # From the VM, (rate + burst) * 10^9 beyond 64 bits: EOVERFLOW.
        [w.bandwidth(4294967295, direction=1)],
        # Two to-VM entries: the last would win.
        [w.bandwidth(10000), w.bandwidth(20000)],
        # 10.1.2.3/8 would be programmed as 10.0.0.0/8.
        [w.acl(1, 6, (80, 80), dst=(bytes([10, 1, 2, 3]), 8))],
        # A unicast address as the virtual network's multicast group.
        [w.vn(10, bytes([10, 0, 0, 1]))],
    )
    for i, entries in enumerate(cases):
        assert sync(lab, 10, entries) == w.RESP | w.HARD | 1, (i, entries)
    assert lab.vdpctl("show", "counters")["total"]["reasons"].get("policy-value") == len(cases)
    assert lab.vdpctl("show", "vnids")["vnids"] == []
    assert assoc(lab, 10) == w.RESP
    assert tc_classes(lab, "p1") == []
    # The largest burst htb holds at 10 Mbit/s is taken, and tc shows it.
    assert sync(lab, 11, [w.bandwidth(10000, burst=343597382)]) == w.RESP
    r = lab.station(lab.hv2, "h2", w.mgrid() + w.vsi(w.ASSOC, 11, "00112233-4455-6677-8899-aabbccdd0002",
                                                     [(bytes.fromhex("525400aa0002"), 0)]))
    assert only(r, w.ASSOC)["status"] == w.RESP
    got = tc_classes(lab, "p2")
    assert len(got) == 1 and got[0][0] == "10Mbit", got
    # tc prints Mb to one decimal: within 0.05 Mb of what vdpctl shows.
    assert abs(tc_size(got[0][1]) - shown_bandwidth(lab, 11)[0]["burst"]) <= 0.05 * (1 << 20), got
