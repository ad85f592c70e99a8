#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Processes found by a mark in their environment, and stopped for good;
what a test tier left behind.

A test run (tests/run), a tier or a lab puts KEY=VALUE in the environment
of what it starts; every process started from there inherits it (`ip netns
exec`, unshare, the libtool wrappers, daemons that fork), so whatever is
still running with the mark when the starter is done was left behind by
it, whatever its name or namespace, and nobody else's process is taken for
one of ours.  Zombies are not counted: they run nothing and their parent
(or init) reaps them.

  procs.py list KEY=VALUE   prints each marked process, one a line
  procs.py reap KEY=VALUE   prints each one, stops it (SIGTERM, then SIGKILL)
                            and exits 1 if there was any
  procs.py snapshot DIR     prints the processes running a program under DIR
  procs.py leftovers KEY=VALUE DIR SNAPSHOT TAG
      after a tier: prints each process left ("process ...": marked, or
      running a program under DIR and not in SNAPSHOT, or inside one of the
      namespaces below) and each network namespace left ("netns NAME":
      named with the run's TAG, as PREFIX-TAG or PREFIX-TAG-SUFFIX), the
      system user vdpd-TAG that conftest makes for vdpd ("user NAME") and
      the labs' directories TMPDIR/vdpd-TAG-* ("dir PATH"), then stops those
      processes and deletes those namespaces, the user and the directories
"""
import glob
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import sys
import time
from collections import namedtuple

# A process's orderly exit after SIGTERM: vdpd removes its kernel state,
# lldpad and lldpd tell their peers; well under a second when idle.
TERM_TIMEOUT = 10.0
# After SIGKILL only the kernel is left to act.
KILL_TIMEOUT = 5.0

Proc = namedtuple("Proc", "pid comm start cmdline")


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def _stat(pid):
    """(state, start time) from /proc/PID/stat, or None when gone."""
    raw = _read(f"/proc/{pid}/stat")
    if raw is None:
        return None
    fields = raw[raw.rindex(b")") + 2:].split()
    return fields[0].decode(), int(fields[19])


def marked(key, value, exclude=()):
    """The live (not zombie) processes whose environment holds KEY=VALUE."""
    want = f"{key}={value}".encode()
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        pid = int(d)
        if pid == os.getpid() or pid in exclude:
            continue
        env = _read(f"/proc/{pid}/environ")
        if not env or want not in env.split(b"\0"):
            continue
        p = _proc(pid)
        if p:
            out.append(p)
    return sorted(out)


def alive(p):
    st = _stat(p.pid)
    return st is not None and st[0] != "Z" and st[1] == p.start


def _signal_all(procs, sig, timeout):
    for p in procs:
        if alive(p):
            try:
                os.kill(p.pid, sig)
            except ProcessLookupError:
                pass
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        left = [p for p in procs if alive(p)]
        if not left:
            return []
        for p in left:  # our own children: reap them, or they stay zombies
            try:
                os.waitpid(p.pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.05)
    return [p for p in procs if alive(p)]


def reap(procs):
    """Stops procs: SIGTERM, and SIGKILL what is left after TERM_TIMEOUT.
    Returns the ones SIGKILL did not stop either."""
    left = _signal_all(procs, signal.SIGTERM, TERM_TIMEOUT)
    return _signal_all(left, signal.SIGKILL, KILL_TIMEOUT) if left else []


def describe(p):
    return f"pid {p.pid} ({p.comm}): {p.cmdline[:200]}"


def _proc(pid):
    st = _stat(pid)
    if st is None or st[0] == "Z":
        return None
    comm = (_read(f"/proc/{pid}/comm") or b"?").decode(errors="replace").strip()
    cmd = (_read(f"/proc/{pid}/cmdline") or b"").replace(b"\0", b" ").decode(errors="replace")
    return Proc(pid, comm, st[1], cmd.strip())


def under(top):
    """The live processes running a program under the directory top."""
    top = os.path.realpath(top) + "/"
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            exe = os.readlink(f"/proc/{d}/exe")
        except OSError:
            continue
        p = _proc(int(d)) if exe.startswith(top) else None
        if p:
            out.append(p)
    return sorted(out)


def tagged_netns(tag):
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    pat = re.compile(rf"(^|-){re.escape(tag)}(-|$)")
    return [n.split()[0] for n in names.splitlines() if n.strip() and pat.search(n.split()[0])]


def netns_pids(ns):
    r = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
    return [int(x) for x in r.stdout.split()]


def leftovers(mark, top, snapshot, tag):
    key, value = mark.split("=", 1)
    before = set()
    with open(snapshot) as f:
        for line in f:
            pid, start = line.split()[:2]
            before.add((int(pid), int(start)))
    skip = {os.getppid()}
    procs = {p.pid: p for p in marked(key, value, exclude=skip)}
    procs.update((p.pid, p) for p in under(top) if (p.pid, p.start) not in before
                 and p.pid not in skip)
    spaces = tagged_netns(tag)
    for ns in spaces:
        for pid in netns_pids(ns):
            p = _proc(pid)
            if p and pid not in skip:
                procs[pid] = p
    procs = sorted(procs.values())
    for p in procs:
        print(f"process {describe(p)}")
    for ns in spaces:
        print(f"netns {ns}")
    for p in reap(procs):
        print(f"cannot stop {describe(p)}")
    for ns in spaces:
        r = subprocess.run(["ip", "netns", "del", ns], capture_output=True, text=True)
        if r.returncode:
            print(f"cannot delete netns {ns}: {r.stderr.strip()}")
    user_and_dirs(tag)
    return 0


def user_and_dirs(tag):
    """conftest's vdpd user and lab directories for this TAG, if left."""
    user = f"vdpd-{tag}"
    try:
        pwd.getpwnam(user)
    except KeyError:
        user = None
    if user:
        print(f"user {user}")
        r = subprocess.run(["userdel", user], capture_output=True, text=True)
        if r.returncode:
            print(f"cannot delete user {user}: {r.stderr.strip()}")
    for d in glob.glob(os.path.join(tempfile.gettempdir(), f"vdpd-{tag}-*")):
        print(f"dir {d}")
        shutil.rmtree(d, ignore_errors=True)


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "snapshot" and len(argv) == 3:
        for p in under(argv[2]):
            print(p.pid, p.start, p.comm)
        return 0
    if cmd == "leftovers" and len(argv) == 6 and "=" in argv[2]:
        return leftovers(*argv[2:])
    if cmd not in ("list", "reap") or len(argv) != 3 or "=" not in argv[2]:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    key, value = argv[2].split("=", 1)
    procs = marked(key, value, exclude=(os.getppid(),))
    for p in procs:
        print(describe(p))
    if cmd == "reap" and procs:
        for p in reap(procs):
            print(f"cannot stop {describe(p)}")
    return 1 if procs and cmd == "reap" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
