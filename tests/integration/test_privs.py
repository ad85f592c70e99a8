# SPDX-License-Identifier: ISC
"""vdpd's least privilege, read from the running daemon started as root by
the Lab: it became its own user (conftest's VDPD_USER), keeps exactly
CAP_NET_ADMIN and CAP_NET_RAW, runs under a seccomp filter, and a process
with exactly its credentials (re-created with setpriv from /proc/PID/status)
can neither read /etc/shadow nor write a root-owned file."""
import os
import pwd
import re
import signal
import struct
import subprocess

from conftest import VDPD, VDPD_USER, sh, wait_for

# vdpd acting on what it was sent (a frame, a signal) on a loaded machine.
LATE = 10

NET_ADMIN_RAW = (1 << 12) | (1 << 13)


def status(pid):
    with open(f"/proc/{pid}/status") as f:
        text = f.read()
    fields = dict(re.findall(r"^(\w+):\s*(.*)$", text, re.M))
    caps = {k: int(v, 16) for k, v in fields.items() if k.startswith("Cap")}
    return fields, caps


def creds_cmd(pid, argv):
    """argv under setpriv with the uid, gid, groups and capabilities (as
    ambient ones: an unprivileged program keeps them across exec) that
    /proc/PID/status shows, and vdpd's no_new_privs."""
    f, caps = status(pid)
    uid, gid = f["Uid"].split()[0], f["Gid"].split()[0]
    groups = ",".join(f["Groups"].split()) or gid
    names = {12: "net_admin", 13: "net_raw"}
    assert caps["CapEff"] & ~NET_ADMIN_RAW == 0, caps
    keep = ",".join("+" + names[b] for b in names if caps["CapEff"] >> b & 1)
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", f"--groups={groups}",
            f"--inh-caps=-all,{keep}", f"--ambient-caps=-all,{keep}",
            f"--bounding-set=-all,{keep}", "--no-new-privs", *argv]


def test_daemon_user_caps_seccomp(lab):
    lab.start()
    f, caps = status(lab.vdpd_pid())
    uid = pwd.getpwnam(VDPD_USER).pw_uid
    assert uid != 0
    assert f["Uid"].split() == [str(uid)] * 4, f["Uid"]
    assert f["Gid"].split()[0] != "0" and "0" not in f["Groups"].split(), (f["Gid"], f["Groups"])
    assert caps["CapEff"] == NET_ADMIN_RAW and caps["CapPrm"] == NET_ADMIN_RAW, caps
    assert caps["CapAmb"] == 0 and caps["CapInh"] == 0, caps
    assert f["NoNewPrivs"] == "1" and f["Seccomp"] == "2", (f["NoNewPrivs"], f["Seccomp"])
    assert f"running as user {VDPD_USER}" in lab.logtext()
    # Its state directory and the control socket's, which it made, are its
    # own: it saves the bindings in one and removes the socket from the other.
    for d in ("state", "run"):
        st = os.stat(os.path.join(lab.tmp, d))
        assert st.st_uid == uid, (d, st)
    lab.stop()
    assert not os.path.exists(lab.ctl), "vdpd did not remove its socket"
    assert os.path.exists(os.path.join(lab.tmp, "state", "bindings"))


def test_daemon_creds_cannot_read_shadow(lab):
    lab.start()
    pid = lab.vdpd_pid()
    root_only = os.path.join(lab.tmp, "root-only")
    with open(root_only, "w") as f:
        f.write("root's\n")
    os.chmod(root_only, 0o600)
    # The helper shows its own credentials, then tries both.
    script = ("grep -E '^(Uid|Gid|Groups|CapEff|CapPrm):' /proc/self/status; "
              "cat /etc/shadow >/dev/null && echo READ-SHADOW; "
              f"echo x >>{root_only} && echo WROTE")
    r = subprocess.run(creds_cmd(pid, ["sh", "-c", script]), capture_output=True, text=True)
    mine = dict(re.findall(r"^(\w+):\s*(.*)$", r.stdout, re.M))
    f, caps = status(pid)
    for k in ("Uid", "Gid", "Groups"):
        assert mine[k].split() == f[k].split(), (k, mine, f)
    assert int(mine["CapEff"], 16) == caps["CapEff"] == NET_ADMIN_RAW, mine
    assert "READ-SHADOW" not in r.stdout and "WROTE" not in r.stdout, r.stdout
    assert "/etc/shadow: Permission denied" in r.stderr, r.stderr
    assert "Permission denied" in r.stderr.split("/etc/shadow")[-1], r.stderr
    with open(root_only) as f:
        assert f.read() == "root's\n"


def test_unknown_user_is_named(lab):
    conf = lab.write_conf('user = "no-such-vdpd-user";')
    r = sh("ip", "netns", "exec", lab.sw, VDPD, "-d", "-f", conf,
           check=False, timeout=30)
    assert r.returncode == 1, r
    assert 'user "no-such-vdpd-user"' in r.stderr and "does not exist" in r.stderr, r.stderr


def parser_child(lab, other_than=None):
    """The pid of vdpd's DHCP parser child (comm vdpd-parser), waited for."""
    pid = lab.vdpd_pid()

    def find():
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for kid in f.read().split():
                try:
                    with open(f"/proc/{kid}/comm") as c:
                        if c.read().strip() == "vdpd-parser" and int(kid) != other_than:
                            return int(kid)
                except FileNotFoundError:
                    pass
        return None
    return wait_for(find, LATE, "vdpd's parser child")


def test_parser_child_has_nothing(lab):
    lab.start()
    f, caps = status(parser_child(lab))
    uid = pwd.getpwnam(VDPD_USER).pw_uid
    assert f["Uid"].split() == [str(uid)] * 4, f["Uid"]
    assert "0" not in f["Groups"].split() and f["Gid"].split()[0] != "0", f
    assert caps["CapEff"] == caps["CapPrm"] == caps["CapAmb"] == caps["CapInh"] == 0, caps
    assert f["NoNewPrivs"] == "1" and f["Seccomp"] == "2", f
    # Its descriptors: its socket to the daemon, nothing else.
    fds = os.listdir(f"/proc/{parser_child(lab)}/fd")
    assert len(fds) == 1, fds
    assert os.readlink(f"/proc/{parser_child(lab)}/fd/{fds[0]}").startswith("socket:")


def udp_frame(src_mac, payload, sport=68, dport=67):
    """An Ethernet/IPv4/UDP frame to the broadcast address (checksums right)."""
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes(4), b"\xff" * 4)
    csum = sum(struct.unpack(">10H", ip))
    csum = (csum & 0xFFFF) + (csum >> 16)
    csum = ~((csum & 0xFFFF) + (csum >> 16)) & 0xFFFF
    ip = ip[:10] + struct.pack(">H", csum) + ip[12:]
    return b"\xff" * 6 + src_mac + b"\x08\x00" + ip + udp


def test_forbidden_syscall_kills_only_the_child(lab):
    """The test hook (parser_child.c): with VDPD_TEST_PARSER_TRAP in vdpd's
    environment, SIGUSR2 makes the child call socket(2), outside its
    allow-list.  The kernel kills it; vdpd logs that, counts it and starts
    another, which parses frames."""
    lab.start(env={"VDPD_TEST_PARSER_TRAP": "1"})
    pid = lab.vdpd_pid()
    old = parser_child(lab)
    os.kill(old, signal.SIGUSR2)
    line = f"DHCP parser child (pid {old}) was killed by SIGSYS: a system call outside its seccomp allow-list; restarting it"
    wait_for(lambda: line in lab.logtext(), LATE, "vdpd's log of the child's death")
    new = parser_child(lab, other_than=old)
    assert lab.alive() and lab.vdpd_pid() == pid
    assert status(new)[0]["Seccomp"] == "2"
    b = lab.vdpctl("show", "bindings")
    assert b["parser_restarts"] == 1, b
    # The kernel's own record of the kill (audit; dmesg where readable).
    r = sh("dmesg", check=False)
    if r.returncode == 0 and "type=1326" in r.stdout:
        assert re.search(rf"type=1326 .* pid={old} .*sig=31", r.stdout), "no audit record of the kill"
    # The new child parses: a frame that is not DHCP is counted malformed.
    before = b.get("snoop_malformed", 0)
    lab.raw(lab.hv1, "h1", udp_frame(bytes.fromhex("525400aa0001"), b"not DHCP"))
    wait_for(lambda: lab.vdpctl("show", "bindings").get("snoop_malformed", 0) > before, LATE,
             "the new child's answer (snoop-malformed)")
    assert lab.alive()


def test_started_as_its_user_with_ambient_caps(lab):
    """As the systemd unit starts it (User=, AmbientCapabilities=,
    CapabilityBoundingSet=, its directories made for it): vdpd stays that
    user, does not try to change it, and drops the ambient set."""
    pw = pwd.getpwnam(VDPD_USER)
    for d in ("state", "run"):
        os.mkdir(os.path.join(lab.tmp, d), 0o750)
        os.chown(os.path.join(lab.tmp, d), pw.pw_uid, pw.pw_gid)
    caps = "+net_raw,+net_admin"
    lab.start(wrap=["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups",
                    f"--inh-caps=-all,{caps}", f"--ambient-caps=-all,{caps}",
                    f"--bounding-set=-all,{caps}", "--no-new-privs"])
    f, c = status(lab.vdpd_pid())
    assert f["Uid"].split() == [str(pw.pw_uid)] * 4, f["Uid"]
    assert c["CapEff"] == c["CapPrm"] == c["CapBnd"] == NET_ADMIN_RAW, c
    assert c["CapAmb"] == 0, c
    assert f["Seccomp"] == "2", f
    assert "running as user" not in lab.logtext()
    fc, cc = status(parser_child(lab))
    assert cc["CapEff"] == cc["CapPrm"] == 0 and fc["Seccomp"] == "2", (fc, cc)
    # It serves: the control socket answers, and the bindings are saved.
    assert [p["port"] for p in lab.vdpctl("show", "ports")["ports"]][:2] == ["p1", "p2"]
    lab.stop()
    assert os.path.exists(os.path.join(lab.tmp, "state", "bindings"))
