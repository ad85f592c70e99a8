# SPDX-License-Identifier: ISC
"""vdpd's least privilege, read from the running daemon started as root by
the Lab: it became its own user (conftest's VDPD_USER), keeps exactly
CAP_NET_ADMIN and CAP_NET_RAW, runs under a seccomp filter, and a process
with exactly its credentials (re-created with setpriv from /proc/PID/status)
can neither read /etc/shadow nor write a root-owned file."""
import os
import pwd
import re
import subprocess

from conftest import VDPD, VDPD_USER, sh

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
    # Its state directory is its own (the bindings are saved there).
    st = os.stat(os.path.join(lab.tmp, "state"))
    assert st.st_uid == uid, st


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
